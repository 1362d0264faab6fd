"""Saving a midway review: the review, its actions and the escalation it opens, in one audited
transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from cptrack.casework import escalations
from cptrack.casework.midway.draft import MidwayDraft
from cptrack.casework.midway.words import DECISION_WORDS, LABEL
from cptrack.domain.models import (
    ActionSource,
    FieldError,
    RecordError,
)
from cptrack.domain.values import fmt
from cptrack.rules.profiles import Profile
from cptrack.storage.store import Store


@dataclass(frozen=True)
class Saved:
    record: dict
    escalation: dict | None
    message: str


def save(store: Store, draft: MidwayDraft, profile: Profile, on: dt.date | None = None) -> Saved:
    """The review, its actions and any escalation it opens, in one audited transaction."""
    problems = draft.problems(profile, on)
    if problems:
        raise RecordError(LABEL, problems)
    escalation = None
    with store.transaction(
        note="midway review amended" if draft.amending else "midway review"
    ) as tx:
        data = draft.record_data()
        if draft.amending:
            record = tx.update("midway_reviews", draft.record_id, data, draft.version)
        else:
            record = tx.add("midway_reviews", data)
        fixed = {
            "child_id": draft.child_id,
            "plan_id": draft.plan_id,
            "source": ActionSource.MIDWAY_REVIEW.value,
            "source_record_id": record["id"],
            "set_date": draft.date,
        }
        for a in draft.removed_actions:
            tx.delete("plan_actions", a.record_id, a.version)
        for i, a in enumerate(draft.actions, 1):
            if not (a.description or a.owner or a.due_date):
                continue
            try:
                if a.record_id is None:
                    tx.add("plan_actions", {**fixed, **a.data()})
                else:
                    tx.update("plan_actions", a.record_id, {**fixed, **a.data()}, a.version)
            except RecordError as exc:
                raise RecordError(
                    LABEL, [FieldError(f"actions.{i}.{e.field}", e.message) for e in exc.errors]
                ) from None
        if draft.opens_escalation and draft.escalation is not None:
            esc = replace(
                draft.escalation, source_kind="midway_review", source_record_id=record["id"]
            )
            escalation = escalations.write(tx, esc, profile, on, prefix="escalation.")
    return Saved(record, escalation, _message(draft, record, escalation))


def _message(draft: MidwayDraft, record: dict, escalation: dict | None) -> str:
    verb = "amended" if draft.amending else "saved"
    parts = [
        f"Midway review of {fmt(draft.date)} {verb}. Decision: {DECISION_WORDS[draft.decision]}."
    ]
    n = len([a for a in draft.actions if a.description])
    if n:
        parts.append(f"{n} action{'s' if n != 1 else ''} added to the plan.")
    if escalation:
        parts.append(escalations.saved_message(escalation, amended=False))
    parts.append("It is in the child's history, and the midway review standard counts it.")
    return " ".join(parts)
