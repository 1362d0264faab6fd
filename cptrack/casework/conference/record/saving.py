"""Saving the conference record: everything that follows from it in one audited transaction
(the conference, its attendance, the plan, the booked core group and review, the actions, a
reconvened conference for a stand-down)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from cptrack.casework.conference.record.draft import RecordDraft
from cptrack.casework.conference.record.words import CITE, LABEL, OUTCOME_WORDS, REVIEW_OUTCOMES
from cptrack.domain.models import (
    CATEGORY_LABELS,
    PLAN_OUTCOMES,
    ActionSource,
    Category,
    CoreGroupStatus,
    FieldError,
    PlanEndReason,
    RecordError,
)
from cptrack.domain.values import fmt
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES


@dataclass(frozen=True)
class Saved:
    conference: dict
    plan: dict | None
    core_group: dict | None
    next_review: dict | None
    reconvened: dict | None
    message: str


def save(store: Store, draft: RecordDraft, on: dt.date | None = None) -> Saved:
    """Write the record and everything that follows from it in one transaction.

    Raises ``RecordError`` (fields as the form names them, messages citing the standards)
    or ``StaleVersionError`` (the conference, its plan, attendance or actions changed by
    somebody else since the form was opened); nothing is written in either case.
    """
    problems = draft.problems(on)
    if problems:
        raise RecordError(LABEL, problems)
    with store.transaction(note="conference record") as tx:
        current = tx.get("conferences", draft.conference_id)
        if current is None or current["version"] != draft.conference_version:
            raise StaleVersionError(
                "Conference", draft.conference_id, draft.conference_version, current
            )
        if draft.stood_down:
            return _save_stand_down(tx, draft, current)
        plan = _save_plan(tx, draft, current)
        conf_data = draft.conference_data()
        if plan is not None:
            conf_data["plan_id"] = plan["id"]
        conference = tx.update(
            "conferences", draft.conference_id, conf_data, draft.conference_version
        )
        _save_rows(
            tx,
            "attendance",
            draft.attendance,
            draft.removed_attendance,
            {"conference_id": draft.conference_id},
            "attendance",
        )
        core_group = review = None
        if plan is not None and draft.outcome in PLAN_OUTCOMES:
            fixed = {
                "child_id": draft.child_id,
                "plan_id": plan["id"],
                "source": ActionSource.CONFERENCE.value,
                "source_record_id": draft.conference_id,
                "set_date": draft.held_date,
            }
            _save_rows(tx, "plan_actions", draft.actions, draft.removed_actions, fixed, "actions")
            core_group = _book_core_group(tx, draft, plan["id"])
            review = _book_review(tx, draft, plan["id"])
        if draft.outcome == "cin_plan" or (
            draft.outcome == "plan_ends" and draft.end_reason == PlanEndReason.STEP_DOWN_CIN.value
        ):
            _open_cin_plan(tx, draft)
    return Saved(
        conference, plan, core_group, review, None, _message(draft, plan, core_group, review)
    )


def _save_stand_down(tx, draft: RecordDraft, current: dict) -> Saved:
    conference = tx.update(
        "conferences", draft.conference_id, draft.conference_data(), draft.conference_version
    )
    if draft.attendance:
        _save_rows(
            tx,
            "attendance",
            draft.attendance,
            draft.removed_attendance,
            {"conference_id": draft.conference_id},
            "attendance",
        )
    reconvened = tx.add(
        "conferences",
        {
            "child_id": draft.child_id,
            "type": draft.type,
            "plan_id": draft.plan_id,
            "s47_id": draft.s47_id,
            "meeting_ref": draft.meeting_ref,
            "chair_id": draft.chair_id,
            "scheduled_date": draft.reconvene_date,
            "venue": draft.venue,
        },
    )
    message = (
        f"The conference of {fmt(draft.held_date)} is recorded as stood down, with its bridging "
        f"plan [{CITE['bridging']}]. It reconvenes on {fmt(draft.reconvene_date)} (booked as "
        f"conference {reconvened['id']})."
    )
    return Saved(conference, None, None, None, reconvened, message)


def _save_plan(tx, draft: RecordDraft, current: dict) -> dict | None:
    """Make, continue or end the plan; returns the plan row (None when there is none)."""
    if draft.outcome == "cp_plan":
        data = {
            "child_id": draft.child_id,
            "start_date": draft.held_date,
            "initial_category": draft.category,
            "latest_category": draft.category,
            "visit_frequency_wd": draft.visit_frequency_wd,
            "contingency_plan": draft.contingency_plan,
            "pre_birth": draft.type == "pre_birth",
        }
        if current.get("plan_id") is not None:
            existing = tx.get("cp_plans", current["plan_id"])
            return _as_form_error(
                lambda: tx.update("cp_plans", existing["id"], data, existing["version"]), "outcome"
            )
        earlier = [p for p in _child_plans(tx, draft.child_id) if p["start_date"] < draft.held_date]
        data["previous_plans"] = len(earlier)
        return _as_form_error(lambda: tx.add("cp_plans", data), "outcome")
    if draft.outcome in REVIEW_OUTCOMES:
        if draft.plan_id is None:
            raise RecordError(
                LABEL,
                [
                    FieldError(
                        "outcome",
                        "This review has no plan recorded: link it to the child's plan first.",
                    )
                ],
            )
        plan = tx.get("cp_plans", draft.plan_id)
        if draft.outcome == "plan_continues":
            changes = {
                "latest_category": draft.category,
                "visit_frequency_wd": draft.visit_frequency_wd,
                "contingency_plan": draft.contingency_plan,
                "end_date": None,
                "end_reason": None,
            }
        else:
            changes = {"end_date": draft.held_date, "end_reason": draft.end_reason}
        return _as_form_error(
            lambda: tx.update("cp_plans", plan["id"], changes, plan["version"]), "outcome"
        )
    return None


def _child_plans(tx, child_id: str) -> list[dict]:
    t = TABLES["cp_plans"]
    return [dict(r._mapping) for r in tx.conn.execute(sa.select(t).where(t.c.child_id == child_id))]


def _as_form_error(write, field_name: str):
    try:
        return write()
    except RecordError as exc:
        raise RecordError(
            LABEL,
            [
                FieldError(field_name, f"The plan could not be saved: {e.message}")
                for e in exc.errors
            ],
        ) from None


def _save_rows(tx, kind: str, rows: list, removed: list, fixed: dict, prefix: str) -> None:
    for row in removed:
        tx.delete(kind, row.record_id, row.version)
    for i, row in enumerate(rows, 1):
        try:
            if row.record_id is None:
                tx.add(kind, {**fixed, **row.data()})
            else:  # refused if changed since it was opened; nothing written when unchanged
                tx.update(kind, row.record_id, {**fixed, **row.data()}, row.version)
        except RecordError as exc:
            raise RecordError(
                LABEL, [FieldError(f"{prefix}.{i}.{e.field}", e.message) for e in exc.errors]
            ) from None


def _book_core_group(tx, draft: RecordDraft, plan_id: int) -> dict | None:
    """The first (or next) core group set by the conference, as a scheduled meeting."""
    day = draft.first_core_group_date
    if day is None:
        return None
    t = TABLES["core_groups"]
    q = (
        sa.select(t)
        .where(
            t.c.plan_id == plan_id,
            t.c.status == CoreGroupStatus.SCHEDULED.value,
            t.c.date > draft.held_date,
        )
        .order_by(t.c.date)
    )
    found = tx.conn.execute(q).first()
    if found is None:
        return tx.add(
            "core_groups",
            {
                "child_id": draft.child_id,
                "plan_id": plan_id,
                "date": day,
                "status": CoreGroupStatus.SCHEDULED.value,
                "notes": "Set at the conference",
            },
        )
    row = dict(found._mapping)
    if row["date"] == day:
        return row
    return tx.update("core_groups", row["id"], {"date": day}, row["version"])


def _book_review(tx, draft: RecordDraft, plan_id: int) -> dict | None:
    """The next review conference agreed at the conference, as a booked conference."""
    t = TABLES["conferences"]
    q = (
        sa.select(t)
        .where(
            t.c.plan_id == plan_id,
            t.c.type == "review",
            t.c.held_date.is_(None),
            t.c.stood_down.is_(False),
            t.c.id != draft.conference_id,
            t.c.scheduled_date > draft.held_date,
        )
        .order_by(t.c.scheduled_date)
    )
    found = tx.conn.execute(q).first()
    if found is None:
        return tx.add(
            "conferences",
            {
                "child_id": draft.child_id,
                "type": "review",
                "plan_id": plan_id,
                "chair_id": draft.chair_id,
                "scheduled_date": draft.next_review_date,
                "meeting_ref": None,
                "venue": draft.venue,
            },
        )
    row = dict(found._mapping)
    if row["scheduled_date"] == draft.next_review_date:
        return row
    return tx.update(
        "conferences", row["id"], {"scheduled_date": draft.next_review_date}, row["version"]
    )


def _open_cin_plan(tx, draft: RecordDraft) -> None:
    """A child in need plan from the day of the conference (003 §5.3), unless one is open."""
    t = TABLES["cin_plans"]
    q = sa.select(t.c.id).where(t.c.child_id == draft.child_id, t.c.end_date.is_(None))
    if tx.conn.execute(q).first() is None:
        tx.add("cin_plans", {"child_id": draft.child_id, "start_date": draft.held_date})


def _message(draft: RecordDraft, plan, core_group, review) -> str:
    words = OUTCOME_WORDS[draft.outcome]
    parts = [f"The conference of {fmt(draft.held_date)} is recorded: {words}."]
    if draft.outcome in PLAN_OUTCOMES and plan is not None:
        cat = CATEGORY_LABELS.get(Category(draft.category), draft.category)
        parts.append(f"Plan {plan['id']} ({cat}).")
        if core_group is not None:
            parts.append(f"Core group booked for {fmt(core_group['date'])}.")
        if review is not None:
            parts.append(f"Review conference booked for {fmt(review['scheduled_date'])}.")
        n = len(draft.actions)
        parts.append(f"{n} action{'s' if n != 1 else ''} in the plan.")
    elif draft.outcome == "plan_ends":
        parts.append(f"Plan {plan['id']} ended on {fmt(draft.held_date)}.")
    return " ".join(parts)
