"""What an Annex A file says, staged as cptrack's records.

A List 7 row becomes the child, the plan, the last statutory visit and the latest review
conference; a List 5 row the child, the strategy discussion, the s47 enquiry and the ICPC
(``annex_a`` says what each becomes). A child in several rows or both lists is staged once,
the List 7 values winning, with each disagreement noted. A value that could not be read
refuses the record it belongs to, named by the list's heading.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cptrack.domain.models import ConferenceOutcome, ConferenceType, FieldError, TeamKind
from cptrack.interchange.imports.annex_a_file import AnnexFile, Row
from cptrack.interchange.imports.annex_a_lists import FORMAT, KEPT_ASIDE
from cptrack.interchange.imports.staging import Batch, Link


def _heading(row: Row, name: str) -> str:
    return next(c.headings[0] for c in row.annex.columns if c.name == name)


def _child_data(row: Row, reference: dt.date) -> dict[str, Any]:
    v = row.values
    data: dict[str, Any] = {"id": row.child}
    born = v.get("date_of_birth")
    if born is not None:
        if born > reference:
            data["expected_date_of_delivery"] = born
        else:
            data["date_of_birth"] = born
    for name, fld in (("gender", "sex"), ("ethnicity", "ethnicity"), ("disability", "disability")):
        if v.get(name) is not None:
            data[fld] = v[name]
    if v.get("worker") is not None:
        data["social_worker"] = v["worker"]
    if v.get("team") is not None:
        data["team_id"] = Link("teams", (v["team"].casefold(),))
    return data


CHILD_FIELDS = {
    "id": "child_id",
    "date_of_birth": "date_of_birth",
    "expected_date_of_delivery": "date_of_birth",
    "sex": "gender",
    "ethnicity": "ethnicity",
    "disability": "disability",
    "social_worker": "worker",
    "team_id": "team",
}


def stage(annex: AnnexFile, reference: dt.date, notes: list[str]) -> Batch:
    """Everything the lists say, staged for the store."""
    batch = Batch()
    children: dict[str, tuple[Row, dict[str, Any]]] = {}
    for row in annex.rows:
        if row.child is None:
            batch.refuse(
                "children",
                {},
                row.where,
                [
                    FieldError(
                        "child_id", row.errors.get("child_id", "is blank; every row needs one")
                    )
                ],
                names={"child_id": _heading(row, "child_id")},
            )
            continue
        data = _child_data(row, reference)
        if row.child not in children:
            children[row.child] = (row, data)
            continue
        first_row, first = children[row.child]
        for key, value in data.items():
            if key not in first:
                first[key] = value
            elif first[key] != value:
                shown = value.key[0] if isinstance(value, Link) else value
                kept = first[key].key[0] if isinstance(first[key], Link) else first[key]
                notes.append(
                    f"child {row.child}: {_heading(row, CHILD_FIELDS[key])} is {shown!r} at "
                    f"{row.where} but {kept!r} at {first_row.where}; kept {kept!r}"
                )
    teams = {}
    for row, data in children.values():
        team = row.values.get("team")
        if team is not None and team.casefold() not in teams:
            teams[team.casefold()] = batch.add(
                "teams", {"name": team}, row.where, insert_only={"kind": TeamKind.SOCIAL_WORK.value}
            )
        errors = [
            FieldError(name, msg)
            for name, msg in row.errors.items()
            if name in {"child_id", "gender", "ethnicity", "date_of_birth", "disability"}
        ]
        names = _names(row, CHILD_FIELDS)
        if errors:
            batch.refuse("children", data, row.where, errors, names=names)
            continue
        batch.add(
            "children",
            data,
            row.where,
            insert_only={"given_name": "Child", "family_name": row.child},
            names=names,
        )

    plans_by_start: dict[tuple[str, dt.date], str] = {}
    for row in annex.rows:
        if row.child is None or row.annex.number != 7:
            continue
        _stage_list_7(batch, row, children[row.child][1], plans_by_start)
    for row in annex.rows:
        if row.child is None or row.annex.number != 5:
            continue
        _stage_list_5(batch, row, children[row.child][1], plans_by_start, notes)
    for row in annex.rows:
        if row.child is None:
            continue
        key_date = row.values.get("plan_start") or row.values.get("s47_start")
        for name in KEPT_ASIDE:
            if name in row.errors:
                heading = _heading(row, name)
                batch.refuse(
                    "source_extras",
                    {"child_id": Link("children", (row.child,)), "element": heading},
                    row.where,
                    [FieldError(name, row.errors[name])],
                    names={name: heading},
                )
        for heading, value in row.extras.items():
            element = f"{row.annex.name}/{heading[:100]}/{key_date or row.where}"
            batch.add(
                "source_extras",
                {
                    "child_id": Link("children", (row.child,)),
                    "element": element,
                    "content": value,
                    "source": f"{FORMAT} {annex.name}"[:120],
                },
                row.where,
            )
    return batch


def _unborn_on(child: dict[str, Any], day: dt.date) -> bool:
    born = child.get("date_of_birth")
    if born is not None:
        return born > day
    return child.get("expected_date_of_delivery") is not None


def _row_errors(row: Row, names: set[str]) -> list[FieldError]:
    return [FieldError(n, m) for n, m in row.errors.items() if n in names]


def _names(row: Row, mapping: dict[str, str]) -> dict[str, str]:
    names = {f: _heading(row, col) for f, col in mapping.items()}
    return {**names, **{col: _heading(row, col) for col in mapping.values()}}


def _stage_list_7(batch: Batch, row: Row, child: dict, plans_by_start: dict) -> None:
    v = row.values
    cid = row.child
    child_link = Link("children", (cid,))
    start = v.get("plan_start")
    plan_fields = {
        "start_date": "plan_start",
        "end_date": "plan_end",
        "initial_category": "initial_category",
        "latest_category": "latest_category",
        "previous_plans": "previous_plans",
        "child_id": "child_id",
    }
    plan = {
        "child_id": child_link,
        "start_date": start,
        "end_date": v.get("plan_end"),
        "initial_category": v.get("initial_category"),
        "latest_category": v.get("latest_category") or v.get("initial_category"),
    }
    if v.get("previous_plans") is not None:
        plan["previous_plans"] = v["previous_plans"]
    if start is not None:
        plan["pre_birth"] = _unborn_on(child, start)
    errors = _row_errors(row, set(plan_fields.values()))
    names = _names(row, plan_fields)
    if errors:
        plan_link = batch.refuse("cp_plans", plan, row.where, errors, child=cid, names=names)
    else:
        plan_link = batch.add("cp_plans", plan, row.where, names=names)
        if start is not None:
            plans_by_start[(cid, start)] = plan["initial_category"]
    visit_day = v.get("last_visit")
    if visit_day is not None or "last_visit" in row.errors:
        visit = {"child_id": child_link, "date": visit_day, "seen": True}
        if v.get("seen_alone") is not None:
            visit["seen_alone"] = v["seen_alone"]
        if start is not None and visit_day is not None and visit_day >= start:
            visit["plan_id"] = plan_link
        errors = _row_errors(row, {"last_visit", "seen_alone"})
        names = _names(row, {"date": "last_visit", "seen_alone": "seen_alone"})
        if errors:
            batch.refuse("visits", visit, row.where, errors, child=cid, names=names)
        else:
            batch.add("visits", visit, row.where, names=names)
    review_day = v.get("latest_review")
    if review_day is not None or "latest_review" in row.errors:
        end = v.get("plan_end")
        insert_only: dict[str, Any] = {
            "type": ConferenceType.REVIEW.value,
            "scheduled_date": review_day,
        }
        if end is not None and review_day == end:
            insert_only["outcome"] = ConferenceOutcome.PLAN_ENDS.value
        elif end is None or (review_day is not None and review_day < end):
            insert_only["outcome"] = ConferenceOutcome.PLAN_CONTINUES.value
            insert_only["category"] = plan["latest_category"]
        review = {"child_id": child_link, "plan_id": plan_link, "held_date": review_day}
        names = _names(row, {"held_date": "latest_review", "plan_id": "plan_start"})
        errors = _row_errors(row, {"latest_review"})
        if errors:
            batch.refuse(
                "conferences", {**insert_only, **review}, row.where, errors, child=cid, names=names
            )
        else:
            batch.add("conferences", review, row.where, insert_only=insert_only, names=names)


def _stage_list_5(
    batch: Batch, row: Row, child: dict, plans_by_start: dict, notes: list[str]
) -> None:
    v = row.values
    cid = row.child
    child_link = Link("children", (cid,))
    start = v.get("s47_start")
    names = _names(
        row,
        {
            "date": "s47_start",
            "start_date": "s47_start",
            "icpc_not_required": "icpc_not_required",
            "held_date": "icpc_date",
            "icpc_plan": "icpc_plan",
        },
    )
    errors = _row_errors(row, {"s47_start", "icpc_not_required"})
    discussion = {"child_id": child_link, "date": start, "s47_initiated": True}
    s47: dict[str, Any] = {"child_id": child_link, "start_date": start}
    if v.get("icpc_not_required") is not None:
        s47["icpc_not_required"] = v["icpc_not_required"]
    if errors:
        s47_link = batch.refuse("s47_enquiries", s47, row.where, errors, child=cid, names=names)
    else:
        s47["strategy_discussion_id"] = batch.add(
            "strategy_discussions", discussion, row.where, names=names
        )
        s47_link = batch.add("s47_enquiries", s47, row.where, names=names)
    day = v.get("icpc_date")
    if day is None and "icpc_date" not in row.errors:
        return
    conference: dict[str, Any] = {"child_id": child_link, "held_date": day, "s47_id": s47_link}
    insert_only: dict[str, Any] = {
        "type": (
            ConferenceType.PRE_BIRTH if day and _unborn_on(child, day) else ConferenceType.INITIAL
        ).value,
        "scheduled_date": day,
    }
    made_plan = v.get("icpc_plan")
    if made_plan and (cid, day) in plans_by_start:
        conference["plan_id"] = Link("cp_plans", (cid, day))
        conference["outcome"] = ConferenceOutcome.CP_PLAN.value
        conference["category"] = plans_by_start[(cid, day)]
    elif made_plan and day is not None:
        conference["plan_id"] = Link("cp_plans", (cid, day), optional=True)
        notes.append(
            f"{row.where}: the ICPC on {day:%d/%m/%Y} made a plan, but List 7 has no plan for "
            f"child {cid} starting that day; linked to cptrack's plan if it holds one, "
            "outcome left unrecorded"
        )
    errors = _row_errors(row, {"icpc_date", "icpc_plan"})
    if errors:
        batch.refuse(
            "conferences", {**insert_only, **conference}, row.where, errors, child=cid, names=names
        )
    else:
        batch.add("conferences", conference, row.where, insert_only=insert_only, names=names)
