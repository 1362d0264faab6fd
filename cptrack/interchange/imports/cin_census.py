"""The DfE Children in Need census return (XML): reading, checking and importing it.

The file is streamed with ``xml.etree.ElementTree.iterparse``: each ``Child`` is read into a
small ``ChildXml`` and then cleared, so memory stays flat however many children the
return holds. A batch of children becomes two things:

* census frames (``cptrack.interchange.dataquality.census``) with the values as the file gives them,
  for the DfE rules and cptrack's own checks;
* staged records (``cptrack.interchange.imports.staging``) for cptrack's store.

What a census says, in cptrack's records (docs/imports.md has the full table):

* ``Child`` → a child, ``id`` = LAchildID. The census has no names: a new child is called
  "Child <LAchildID>" until a case-system extract gives names; names are never overwritten.
* ``CINdetails`` → a CIN episode; ``CINPlanDates`` → CIN plans; ``Section47`` → an s47
  enquiry and the strategy discussion that started it (the census defines
  S47ActualStartDate as that discussion's date).
* ``DateOfInitialCPC`` (in ``Section47``, or in ``CINdetails`` when there is no s47) → an
  initial conference, pre-birth when the child was not yet born. A plan starting that day
  (DfE 2885) is linked to it and gives its outcome (cp_plan) and category; a CIN plan
  starting that day gives the outcome cin_plan; otherwise the outcome is left unrecorded.
* ``ChildProtectionPlans`` → a plan; each ``CPPreviewDate`` → a review conference on that
  plan, whose outcome is plan_ends on the plan's end date and plan_continues (with the
  latest category) before it. Outcomes and categories inferred this way are written only
  when cptrack does not already hold the conference.
* Elements outside this part of the DfE specification are kept aside (``source_extras``).
  Elements of the specification cptrack does not model (assessments, referral source,
  primary need, UPN unknown reasons) are read for the DfE rules and not stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cptrack.domain.models import ConferenceOutcome, ConferenceType, FieldError
from cptrack.interchange import census_spec as spec
from cptrack.interchange.dataquality.census import CensusData, frame
from cptrack.interchange.imports.report import ImportFileError
from cptrack.interchange.imports.staging import Batch, Link
from cptrack.interchange.imports.values import (
    read_category,
    read_ethnicity,
    read_int,
    read_sex,
    read_yes_no,
)

FORMAT = "CIN census"

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

# cptrack field → census element, so problems name what the file calls it.
_LINKS = {
    "child_id": "Child",
    "episode_id": "CINdetails",
    "strategy_discussion_id": "Section47",
    "s47_id": "Section47",
    "plan_id": "ChildProtectionPlans",
}
ELEMENT_NAMES = {
    "children": {
        "id": "LAchildID",
        "date_of_birth": "PersonBirthDate",
        "expected_date_of_delivery": "ExpectedPersonBirthDate",
        "date_of_death": "PersonDeathDate",
        "sex": "Sex",
        "ethnicity": "Ethnicity",
        "disability": "Disabilities",
        "upn": "UPN",
    },
    "cin_episodes": {
        "referral_date": "CINreferralDate",
        "referral_nfa": "ReferralNFA",
        "closure_date": "CINclosureDate",
        "reason_for_closure": "ReasonForClosure",
    },
    "cin_plans": {"start_date": "CINPlanStartDate", "end_date": "CINPlanEndDate"},
    "strategy_discussions": {"date": "S47ActualStartDate"},
    "s47_enquiries": {
        "start_date": "S47ActualStartDate",
        "icpc_target": "InitialCPCtarget",
        "icpc_not_required": "ICPCnotRequired",
    },
    "cp_plans": {
        "start_date": "CPPstartDate",
        "end_date": "CPPendDate",
        "initial_category": "InitialCategoryOfAbuse",
        "latest_category": "LatestCategoryOfAbuse",
        "previous_plans": "NumberOfPreviousCPP",
    },
    "initial_conferences": {"held_date": "DateOfInitialCPC"},
    "review_conferences": {"held_date": "CPPreviewDate"},
}
ELEMENT_NAMES = {k: {**_LINKS, **v} for k, v in ELEMENT_NAMES.items()}


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


# ---------------------------------------------------------------------------
# Reading


def _local(tag: str) -> str:
    return tag if "}" not in tag else tag.rsplit("}", 1)[1]


def _value(element: str, text: str | None) -> Any:
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


class _Counting:
    """A file wrapper that moves a progress bar as the parser reads."""

    def __init__(self, f, bar):
        self.f = f
        self.bar = bar

    def read(self, n: int = -1) -> bytes:
        data = self.f.read(n)
        if self.bar is not None:
            self.bar.update(len(data))
        return data


class CensusReader:
    """A CIN census file, open for streaming. The header is read on opening.

    Only end-of-element events are asked of the parser (half the events of start and
    end), and each ``Child`` is cleared once read; the emptied shells left in
    ``<Children>`` cost a few bytes each.
    """

    def __init__(self, path: str | os.PathLike, *, progress: bool = False):
        self.path = Path(path)
        self.name = self.path.name
        self.sha256, root = _check_file(self.path)
        if root != "Message":
            raise ImportFileError(
                f"{self.name} is not a CIN census return: its root element is <{root}>, "
                "not <Message>"
            )
        self.reference_date: dt.date | None = None
        self.la_code: str | None = None
        self.extras_count = 0
        self._bar = None
        if progress:
            from tqdm import tqdm

            self._bar = tqdm(
                total=self.path.stat().st_size,
                unit="B",
                unit_scale=True,
                desc=self.name,
                file=sys.stderr,
                leave=False,
            )
        self._file = open(self.path, "rb")  # noqa: SIM115 - closed when reading ends
        self._events = ET.iterparse(_Counting(self._file, self._bar), events=("end",))
        self._read_header()

    def _parse_error(self, exc: ET.ParseError) -> ImportFileError:
        self.close()
        return ImportFileError(f"{self.name} is not well-formed XML ({exc}); nothing was imported")

    def _read_header(self) -> None:
        try:
            for _, el in self._events:
                tag = el.tag if "}" not in el.tag else el.tag.rsplit("}", 1)[1]
                if tag == "Header":
                    self._take_header(el)
                    break
                if tag == "Child":  # children before the header: refused below
                    break
        except ET.ParseError as exc:
            raise self._parse_error(exc) from None
        if self.reference_date is None:
            self.close()
            raise ImportFileError(
                f"{self.name} has no Header/CollectionDetails/ReferenceDate before its children; "
                "the census year cannot be known without it"
            )

    def _take_header(self, header: ET.Element) -> None:
        for el in header.iter():
            tag = _local(el.tag)
            if tag == "ReferenceDate":
                value = _value("CPPstartDate", el.text)
                if not isinstance(value, dt.date):
                    self.close()
                    raise ImportFileError(
                        f"{self.name}: Header ReferenceDate {el.text!r} is not a date (YYYY-MM-DD)"
                    )
                self.reference_date = value
            elif tag == "LEA" and el.text and el.text.strip():
                self.la_code = el.text.strip()

    def children(self) -> Iterator[ChildXml]:
        """Each Child in the file, in order, read and then released."""
        n = 0
        try:
            for _, el in self._events:
                tag = el.tag
                if "}" in tag:
                    tag = tag.rsplit("}", 1)[1]
                if tag != "Child":
                    continue
                n += 1
                child = read_child(el, n)
                el.clear()
                self.extras_count += len(child.extras)
                yield child
        except ET.ParseError as exc:
            raise self._parse_error(exc) from None
        finally:
            self.close()

    def batches(self, size: int) -> Iterator[list[ChildXml]]:
        chunk: list[ChildXml] = []
        for child in self.children():
            chunk.append(child)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    @property
    def source_label(self) -> str:
        la = f" LA {self.la_code}" if self.la_code else ""
        return f"{FORMAT} {self.reference_date}{la}"

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if not self._file.closed:
            self._file.close()


_PROLOGUE = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S)
_FIRST_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def _check_file(path: Path) -> tuple[str, str]:
    """The file's SHA-256 and root element, refusing what is plainly not census XML."""
    if not path.exists():
        raise ImportFileError(f"{path} does not exist")
    if path.is_dir():
        raise ImportFileError(f"{path} is a folder, not a file")
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        head = f.read(65536)
        digest.update(head)
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if not head.strip():
        raise ImportFileError(f"{path.name} is empty")
    if head.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            f"{path.name} is an Excel workbook or zip file, not a CIN census XML file "
            "(for Annex A use `cptrack import annex-a`)"
        )
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"<"):
        shown = start[:30].decode("utf-8", "replace")
        raise ImportFileError(
            f"{path.name} is not XML (it starts {shown!r}); a CIN census return is an XML file"
        )
    found = _FIRST_TAG.search(_PROLOGUE.sub(b"", start))
    if found is None:
        raise ImportFileError(f"{path.name} holds no XML elements")
    return digest.hexdigest(), found.group(1).decode("ascii", "replace")


def read_child(el: ET.Element, n: int) -> ChildXml:
    """One ``Child`` element as plain values, with unknown elements kept aside."""
    child = ChildXml(where="", n=n)
    counts: dict[str, int] = {}
    for part in el:
        tag = _local(part.tag)
        counts[tag] = counts.get(tag, 0) + 1
        path = f"{tag}[{counts[tag]}]"
        if tag == "ChildIdentifiers":
            _read_values(part, IDENTIFIERS, child.values, path, child.extras)
        elif tag == "ChildCharacteristics":
            for item in part:
                name = _local(item.tag)
                if name == "Ethnicity":
                    child.values["Ethnicity"] = _value(name, item.text)
                elif name == "Disabilities":
                    child.disabilities = [
                        (d.text or "").strip()
                        for d in item
                        if _local(d.tag) == "Disability" and (d.text or "").strip()
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
        name = _local(item.tag)
        if name in known:
            into[name] = _value(name, item.text)
        else:
            extras.append((f"{path}/{name}", _xml(item)))


def _read_episode(el: ET.Element, path: str, extras: list) -> Episode:
    ep = Episode(where=path)
    counts: dict[str, int] = {}
    for part in el:
        tag = _local(part.tag)
        counts[tag] = counts.get(tag, 0) + 1
        sub = f"{path}/{tag}[{counts[tag]}]"
        if tag in EPISODE_VALUES:
            ep.values[tag] = _value(tag, part.text)
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
        tag = _local(part.tag)
        if tag in PLAN_VALUES:
            plan.values[tag] = _value(tag, part.text)
        elif tag == "Reviews":
            dates = [item for item in part if _local(item.tag) == "CPPreviewDate"]
            for item in part:
                if _local(item.tag) != "CPPreviewDate":
                    extras.append((f"{path}/Reviews/{_local(item.tag)}", _xml(item)))
            if not dates:  # an empty Reviews group (DfE 8842Q)
                n_reviews += 1
                plan.reviews.append(Group(f"{path}/Reviews[{n_reviews}]", {"CPPreviewDate": None}))
            for item in dates:
                n_reviews += 1
                plan.reviews.append(
                    Group(
                        f"{path}/Reviews[{n_reviews}]",
                        {"CPPreviewDate": _value("CPPreviewDate", item.text)},
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


# ---------------------------------------------------------------------------
# Census frames, for the data-quality rules


def census_data(children: list[ChildXml], reference_date: dt.date) -> CensusData:
    """The children as census frames, values as the file gives them."""
    rows: dict[str, list[tuple]] = {
        name: []
        for name in (
            "children",
            "episodes",
            "assessments",
            "cin_plans",
            "s47",
            "plans",
            "reviews",
            "unreadable",
        )
    }
    unreadable = rows["unreadable"]
    for c in children:
        cid = c.child_id

        def v(values: dict, name: str, _cid=cid) -> Any:
            value = values.get(name)
            if isinstance(value, Bad):
                unreadable.append((_cid, name, value.raw, value.problem))
                return None
            return value

        rows["children"].append(
            (
                cid,
                v(c.values, "PersonBirthDate"),
                v(c.values, "ExpectedPersonBirthDate"),
                v(c.values, "PersonDeathDate"),
            )
        )
        for i, ep in enumerate(c.episodes, 1):
            ek = f"{c.n}.{i}"
            e = ep.values
            rows["episodes"].append(
                (
                    cid,
                    ek,
                    v(e, "CINreferralDate"),
                    v(e, "ReferralNFA"),
                    v(e, "CINclosureDate"),
                    v(e, "ReasonForClosure"),
                    v(e, "DateOfInitialCPC"),
                )
            )
            for a in ep.assessments:
                rows["assessments"].append(
                    (
                        cid,
                        ek,
                        v(a.values, "AssessmentActualStartDate"),
                        v(a.values, "AssessmentAuthorisationDate"),
                    )
                )
            for p in ep.cin_plans:
                rows["cin_plans"].append(
                    (cid, ek, v(p.values, "CINPlanStartDate"), v(p.values, "CINPlanEndDate"))
                )
            for j, s in enumerate(ep.s47s, 1):
                sv = s.values
                rows["s47"].append(
                    (
                        cid,
                        ek,
                        f"{ek}.s{j}",
                        v(sv, "S47ActualStartDate"),
                        v(sv, "InitialCPCtarget"),
                        v(sv, "DateOfInitialCPC"),
                        v(sv, "ICPCnotRequired"),
                    )
                )
            for k, plan in enumerate(ep.plans, 1):
                pk = f"{ek}.p{k}"
                pv = plan.values
                rows["plans"].append(
                    (
                        cid,
                        ek,
                        pk,
                        v(pv, "CPPstartDate"),
                        v(pv, "CPPendDate"),
                        pv.get("InitialCategoryOfAbuse"),
                        pv.get("LatestCategoryOfAbuse"),
                        pv.get("NumberOfPreviousCPP"),
                    )
                )
                for r in plan.reviews:
                    rows["reviews"].append((cid, ek, pk, v(r.values, "CPPreviewDate")))
    frames = {name: frame(name, r) for name, r in rows.items()}
    return CensusData(reference_date, frames)


# ---------------------------------------------------------------------------
# Staging, for the store


class _Record:
    """Collects one record's fields from census values, noting what could not be read."""

    def __init__(self, kind: str, values: dict[str, Any]):
        self.kind = kind
        self.values = values
        self.data: dict[str, Any] = {}
        self.errors: list[FieldError] = []

    def take(self, field_name: str, element: str, reader=None, *, always: bool = False) -> Any:
        """Set ``field_name`` from ``element``; absent elements are left out unless ``always``."""
        if element not in self.values and not always:
            return None
        value = self.values.get(element)
        if isinstance(value, Bad):
            self.errors.append(FieldError(field_name, f"{value.raw!r} {value.problem}"))
            return None
        if reader is not None and value is not None:
            try:
                value = reader(value)
            except ValueError as exc:
                self.errors.append(FieldError(field_name, str(exc)))
                return None
        self.data[field_name] = value
        return value


def _stage(batch: Batch, rec: _Record, where: str, *, names: str | None = None, **kwargs) -> Link:
    """Stage the record, or refuse it when a value could not be read; a link either way."""
    names_ = ELEMENT_NAMES.get(names or rec.kind, _LINKS)
    if rec.errors:
        return batch.refuse(rec.kind, rec.data, where, rec.errors, names=names_)
    return batch.add(rec.kind, rec.data, where, names=names_, **kwargs)


def stage_child(c: ChildXml, batch: Batch, source: str) -> None:
    """Stage everything the census says about one child."""
    cid = c.child_id
    if cid is None:
        batch.refuse(
            "children",
            {},
            c.where,
            [FieldError("id", "is missing; every child in a census has one")],
            names=ELEMENT_NAMES["children"],
        )
        return
    child = _Record("children", c.values)
    child.data["id"] = cid
    born = child.take("date_of_birth", "PersonBirthDate")
    expected = child.take("expected_date_of_delivery", "ExpectedPersonBirthDate")
    child.take("date_of_death", "PersonDeathDate", always=True)
    if "Sex" in c.values:
        child.take("sex", "Sex", read_sex)
    elif "GenderCurrent" in c.values:
        child.take("sex", "GenderCurrent", read_sex)
    child.take("ethnicity", "Ethnicity", read_ethnicity)
    child.take("upn", "UPN")
    if c.disabilities:
        child.data["disability"] = any(code.upper() != "NONE" for code in c.disabilities)
    child_link = _stage(
        batch, child, c.where, insert_only={"given_name": "Child", "family_name": cid}
    )

    def unborn_on(day: dt.date) -> bool:
        if isinstance(born, dt.date):
            return born > day
        return isinstance(expected, dt.date)

    plans_by_start: dict[dt.date, tuple[Link, str | None]] = {}
    cin_plan_starts: set[dt.date] = set()
    icpcs: list[tuple[dt.date, Link | None, str]] = []
    reviews: list[tuple[Group, Link, _Record]] = []

    for ep in c.episodes:
        episode = _Record("cin_episodes", ep.values)
        episode.data["child_id"] = child_link
        episode.take("referral_date", "CINreferralDate", always=True)
        episode.take("referral_nfa", "ReferralNFA")
        episode.take("closure_date", "CINclosureDate", always=True)
        episode.take("reason_for_closure", "ReasonForClosure", always=True)
        ep_link = _stage(batch, episode, ep.where)
        for group in ep.cin_plans:
            plan = _Record("cin_plans", group.values)
            plan.data.update(child_id=child_link, episode_id=ep_link)
            start = plan.take("start_date", "CINPlanStartDate", always=True)
            plan.take("end_date", "CINPlanEndDate", always=True)
            _stage(batch, plan, group.where)
            if isinstance(start, dt.date) and not plan.errors:
                cin_plan_starts.add(start)
        s47_icpc_dates = set()
        for group in ep.s47s:
            s47 = _Record("s47_enquiries", group.values)
            s47.data.update(child_id=child_link, episode_id=ep_link)
            start = s47.take("start_date", "S47ActualStartDate", always=True)
            s47.take("icpc_target", "InitialCPCtarget", always=True)
            s47.take("icpc_not_required", "ICPCnotRequired")
            if isinstance(start, dt.date) and not s47.errors:
                discussion = _Record("strategy_discussions", {})
                discussion.data.update(child_id=child_link, date=start, s47_initiated=True)
                s47.data["strategy_discussion_id"] = _stage(batch, discussion, group.where)
            s47_link = _stage(batch, s47, group.where)
            icpc = group.values.get("DateOfInitialCPC")
            if isinstance(icpc, Bad):
                batch.refuse(
                    "conferences",
                    {},
                    group.where,
                    [FieldError("held_date", f"{icpc.raw!r} {icpc.problem}")],
                    child=cid,
                    names=ELEMENT_NAMES["initial_conferences"],
                )
            elif isinstance(icpc, dt.date):
                icpcs.append((icpc, s47_link, group.where))
                s47_icpc_dates.add(icpc)
        cin_icpc = ep.values.get("DateOfInitialCPC")
        if isinstance(cin_icpc, dt.date) and cin_icpc not in s47_icpc_dates:
            icpcs.append((cin_icpc, None, ep.where))
        for p in ep.plans:
            plan = _Record("cp_plans", p.values)
            plan.data.update(child_id=child_link, episode_id=ep_link)
            start = plan.take("start_date", "CPPstartDate", always=True)
            plan.take("end_date", "CPPendDate", always=True)
            initial = plan.take(
                "initial_category", "InitialCategoryOfAbuse", read_category, always=True
            )
            plan.take("latest_category", "LatestCategoryOfAbuse", read_category, always=True)
            plan.take("previous_plans", "NumberOfPreviousCPP", read_int)
            if isinstance(start, dt.date):
                plan.data["pre_birth"] = unborn_on(start)
            plan_link = _stage(batch, plan, p.where)
            if isinstance(start, dt.date):
                plans_by_start.setdefault(start, (plan_link, initial))
            for r in p.reviews:
                reviews.append((r, plan_link, plan))

    for day, s47_link, where in icpcs:
        data: dict[str, Any] = {"child_id": child_link, "held_date": day}
        if s47_link is not None:
            data["s47_id"] = s47_link
        kind = ConferenceType.PRE_BIRTH if unborn_on(day) else ConferenceType.INITIAL
        found = plans_by_start.get(day)
        if found is not None:
            data.update(
                plan_id=found[0], outcome=ConferenceOutcome.CP_PLAN.value, category=found[1]
            )
        elif day in cin_plan_starts:
            data["outcome"] = ConferenceOutcome.CIN_PLAN.value
        batch.add(
            "conferences",
            data,
            where,
            insert_only={"type": kind.value, "scheduled_date": day},
            names=ELEMENT_NAMES["initial_conferences"],
        )

    for r, plan_link, plan in reviews:
        day = r.values.get("CPPreviewDate")
        if day is None:
            continue  # an empty Reviews group: DfE 8842Q reports it; nothing to store
        if isinstance(day, Bad):
            batch.refuse(
                "conferences",
                {},
                r.where,
                [FieldError("held_date", f"{day.raw!r} {day.problem}")],
                child=cid,
                names=ELEMENT_NAMES["review_conferences"],
            )
            continue
        end = plan.data.get("end_date")
        insert_only: dict[str, Any] = {"type": ConferenceType.REVIEW.value, "scheduled_date": day}
        if end is not None and day == end:
            insert_only["outcome"] = ConferenceOutcome.PLAN_ENDS.value
        elif end is None or day < end:
            insert_only["outcome"] = ConferenceOutcome.PLAN_CONTINUES.value
            insert_only["category"] = plan.data.get("latest_category")
        batch.add(
            "conferences",
            {"child_id": child_link, "plan_id": plan_link, "held_date": day},
            r.where,
            insert_only=insert_only,
            names=ELEMENT_NAMES["review_conferences"],
        )

    for element, content in c.extras:
        batch.add(
            "source_extras",
            {"child_id": child_link, "element": element, "content": content, "source": source},
            f"{c.where} › {element}",
        )


# ---------------------------------------------------------------------------
# Checking and importing a file

BATCH_CHILDREN = 5000


def validate_file(
    path: str | os.PathLike, *, progress: bool = False, batch_children: int = BATCH_CHILDREN
):
    """The data-quality findings for a census file, and its reader (for the header)."""
    from cptrack.interchange.dataquality import Validator

    reader = CensusReader(path, progress=progress)
    validator = Validator()
    for chunk in reader.batches(batch_children):
        validator.add(census_data(chunk, reader.reference_date))
    if validator.last is None:
        validator.add(census_data([], reader.reference_date))
    return validator.finish(), reader


def import_file(
    store,
    path: str | os.PathLike,
    *,
    partial: bool = False,
    dry_run: bool = False,
    progress: bool = False,
    batch_children: int = BATCH_CHILDREN,
):
    """Import a census return into ``store`` (see ``cptrack.interchange.imports.apply.run_import``)."""
    from cptrack.interchange.dataquality import Validator
    from cptrack.interchange.imports.apply import run_import
    from cptrack.interchange.imports.report import ImportResult

    reader = CensusReader(path, progress=progress)
    result = ImportResult(FORMAT, reader.name, reference_date=reader.reference_date)
    validator = Validator()
    source = reader.source_label

    def batches() -> Iterator[Batch]:
        for chunk in reader.batches(batch_children):
            validator.add(census_data(chunk, reader.reference_date))
            batch = Batch()
            for child in chunk:
                stage_child(child, batch, source)
            yield batch

    note = (
        f"import {FORMAT} {reader.name} (sha256 {reader.sha256[:16]}, reference date "
        f"{reader.reference_date}{', LA ' + reader.la_code if reader.la_code else ''})"
    )
    try:
        run_import(store, batches(), result, partial=partial, dry_run=dry_run, note=note)
    finally:
        reader.close()
        if validator.last is None:
            validator.add(census_data([], reader.reference_date))
        result.findings = validator.finish()
        if reader.extras_count:
            result.notes.append(
                f"{reader.extras_count} element(s) outside the DfE specification cptrack reads "
                "were kept aside (source_extras)"
            )
    return result
