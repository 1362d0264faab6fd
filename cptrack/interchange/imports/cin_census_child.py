"""One ``Child`` of a CIN census return, read into plain values.

``read_child`` turns a ``Child`` element into a ``ChildXml``: its groups (``CINdetails`` →
``Episode``, ``ChildProtectionPlans`` → ``Plan``, their ``Reviews``, ``CINPlanDates``,
``Assessments`` and ``Section47`` → ``Group``) with each value of the part of the DfE
specification cptrack reads (``census_spec``) as a date, yes/no or text, or ``Bad`` with the
reason when it cannot be read. Elements outside that part are kept aside as XML text
(``ChildXml.extras``). Each group knows its place in the file ("Child 12 (C123) ›
CINdetails 1 › …"), for problems to name.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from cptrack.interchange import census_spec as spec
from cptrack.interchange.imports.values import read_yes_no

DATE_ELEMENTS = {
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    "PersonDeathDate",
    "CINreferralDate",
    "CINclosureDate",
    "DateOfInitialCPC",
    "CINPlanStartDate",
    "CINPlanEndDate",
    "AssessmentActualStartDate",
    "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate",
    "S47ActualStartDate",
    "InitialCPCtarget",
    "CPPstartDate",
    "CPPendDate",
    "CPPreviewDate",
}
YES_NO_ELEMENTS = {"ReferralNFA", "ICPCnotRequired"}

# The part of the DfE specification cptrack reads, group by group.
IDENTIFIERS = set(spec.CHILD_IDENTIFIERS)
CHARACTERISTICS = set(spec.CHARACTERISTICS)
EPISODE_VALUES = set(spec.EPISODE_VALUES)
CIN_PLAN = set(spec.CIN_PLAN)
ASSESSMENT = {*spec.ASSESSMENT, spec.ASSESSMENT_FACTORS}
SECTION_47 = set(spec.SECTION_47)
PLAN_VALUES = set(spec.PLAN_VALUES)


@dataclass(slots=True)
class Bad:
    """A value that could not be read, kept with the reason."""

    raw: str
    problem: str


@dataclass
class Group:
    """One census group (CINPlanDates, Section47, Reviews …) and the values in it."""

    where: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan(Group):
    reviews: list[Group] = field(default_factory=list)


@dataclass
class Episode(Group):
    cin_plans: list[Group] = field(default_factory=list)
    assessments: list[Group] = field(default_factory=list)
    s47s: list[Group] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)


@dataclass
class ChildXml(Group):
    n: int = 0
    disabilities: list[str] | None = None
    episodes: list[Episode] = field(default_factory=list)
    extras: list[tuple[str, str]] = field(default_factory=list)

    @property
    def child_id(self) -> str | None:
        value = self.values.get("LAchildID")
        return value if isinstance(value, str) and value else None


def local_name(tag: str) -> str:
    """An element's name without its namespace."""
    return tag if "}" not in tag else tag.rsplit("}", 1)[1]


def read_value(element: str, text: str | None) -> Any:
    """A census element's text as a date, yes/no or text; ``Bad`` when it cannot be read."""
    raw = (text or "").strip()
    if not raw:
        return None
    if element in DATE_ELEMENTS:
        try:
            return dt.date.fromisoformat(raw[:10] if len(raw) > 10 and raw[10] in "T " else raw)
        except ValueError:
            return Bad(raw, "is not a date in the census form YYYY-MM-DD")
    if element in YES_NO_ELEMENTS:
        try:
            return read_yes_no(raw)
        except ValueError as exc:
            return Bad(raw, str(exc))
    return raw


def read_child(el: ET.Element, n: int) -> ChildXml:
    """One ``Child`` element as plain values, with unknown elements kept aside."""
    child = ChildXml(where="", n=n)
    counts: dict[str, int] = {}
    for part in el:
        tag = local_name(part.tag)
        counts[tag] = counts.get(tag, 0) + 1
        path = f"{tag}[{counts[tag]}]"
        if tag == "ChildIdentifiers":
            _read_values(part, IDENTIFIERS, child.values, path, child.extras)
        elif tag == "ChildCharacteristics":
            for item in part:
                name = local_name(item.tag)
                if name == "Ethnicity":
                    child.values["Ethnicity"] = read_value(name, item.text)
                elif name == "Disabilities":
                    child.disabilities = [
                        (d.text or "").strip()
                        for d in item
                        if local_name(d.tag) == "Disability" and (d.text or "").strip()
                    ]
                else:
                    child.extras.append((f"{path}/{name}", _xml(item)))
        elif tag == "CINdetails":
            child.episodes.append(_read_episode(part, path, child.extras))
        else:
            child.extras.append((path, _xml(part)))
    _name_places(child)
    return child


def _read_values(el, known: set[str], into: dict, path: str, extras: list) -> None:
    for item in el:
        name = local_name(item.tag)
        if name in known:
            into[name] = read_value(name, item.text)
        else:
            extras.append((f"{path}/{name}", _xml(item)))


def _read_episode(el: ET.Element, path: str, extras: list) -> Episode:
    ep = Episode(where=path)
    counts: dict[str, int] = {}
    for part in el:
        tag = local_name(part.tag)
        counts[tag] = counts.get(tag, 0) + 1
        sub = f"{path}/{tag}[{counts[tag]}]"
        if tag in EPISODE_VALUES:
            ep.values[tag] = read_value(tag, part.text)
        elif tag == "CINPlanDates":
            group = Group(sub)
            _read_values(part, CIN_PLAN, group.values, sub, extras)
            ep.cin_plans.append(group)
        elif tag == "Assessments":
            group = Group(sub)
            _read_values(part, ASSESSMENT, group.values, sub, extras)
            ep.assessments.append(group)
        elif tag == "Section47":
            group = Group(sub)
            _read_values(part, SECTION_47, group.values, sub, extras)
            ep.s47s.append(group)
        elif tag == "ChildProtectionPlans":
            ep.plans.append(_read_plan(part, sub, extras))
        else:
            extras.append((sub, _xml(part)))
    return ep


def _read_plan(el: ET.Element, path: str, extras: list) -> Plan:
    plan = Plan(where=path)
    n_reviews = 0
    for part in el:
        tag = local_name(part.tag)
        if tag in PLAN_VALUES:
            plan.values[tag] = read_value(tag, part.text)
        elif tag == "Reviews":
            dates = [item for item in part if local_name(item.tag) == "CPPreviewDate"]
            for item in part:
                if local_name(item.tag) != "CPPreviewDate":
                    extras.append((f"{path}/Reviews/{local_name(item.tag)}", _xml(item)))
            if not dates:  # an empty Reviews group (DfE 8842Q)
                n_reviews += 1
                plan.reviews.append(Group(f"{path}/Reviews[{n_reviews}]", {"CPPreviewDate": None}))
            for item in dates:
                n_reviews += 1
                plan.reviews.append(
                    Group(
                        f"{path}/Reviews[{n_reviews}]",
                        {"CPPreviewDate": read_value("CPPreviewDate", item.text)},
                    )
                )
        else:
            extras.append((f"{path}/{tag}", _xml(part)))
    return plan


def _xml(el: ET.Element) -> str:
    """The element as XML text, in the file's own default namespace when it has one."""
    if el.tag.startswith("{"):
        namespace = el.tag[1:].split("}", 1)[0]
        try:
            return ET.tostring(el, encoding="unicode", default_namespace=namespace).strip()
        except ValueError:  # elements outside the namespace: keep the prefixes
            pass
    return ET.tostring(el, encoding="unicode").strip()


def _name_places(child: ChildXml) -> None:
    """Turn element paths into places people can find: "Child 12 (C123) › CINdetails 1 › …"."""
    who = child.child_id or "no LAchildID"
    child.where = f"Child {child.n} ({who})"

    def place(path: str) -> str:
        parts = [p.replace("[", " ").rstrip("]") for p in path.split("/")]
        return " › ".join([child.where, *parts])

    for ep in child.episodes:
        ep.where = place(ep.where)
        for group in (*ep.cin_plans, *ep.assessments, *ep.s47s):
            group.where = place(group.where)
        for plan in ep.plans:
            plan.where = place(plan.where)
            for review in plan.reviews:
                review.where = place(review.where)
