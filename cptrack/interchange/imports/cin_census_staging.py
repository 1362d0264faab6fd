"""What a CIN census return says about a child, staged as cptrack's records.

``stage_child`` turns one ``ChildXml`` into staged records (``staging``): the child, its CIN
episodes and plans, each s47 enquiry with the strategy discussion that started it, the
initial conferences, the plans and their review conferences, and the elements kept aside
(``source_extras``). ``cin_census`` describes what each element becomes. A value that could
not be read refuses its record, named by the census element (``ELEMENT_NAMES``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cptrack.domain.models import ConferenceOutcome, ConferenceType, FieldError
from cptrack.interchange.imports.cin_census_child import Bad, ChildXml, Group
from cptrack.interchange.imports.staging import Batch, Link
from cptrack.interchange.imports.values import (
    read_category,
    read_ethnicity,
    read_int,
    read_sex,
)

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
