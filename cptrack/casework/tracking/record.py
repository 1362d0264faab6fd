"""The case-tracking record: the draft (what was checked, observations, concerns, decision,
next check), its checks field by field, and its save in one audited transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from cptrack.casework.tracking.child import ChildFile
from cptrack.casework.tracking.words import CHECK_WORDS, DECISION_WORDS, FORM_FIELDS, LABEL
from cptrack.domain.drafts import cleaned
from cptrack.domain.models import (
    FieldError,
    RecordError,
    TrackingDecision,
    TrackingKind,
    today,
)
from cptrack.domain.values import as_date, as_int, fmt
from cptrack.storage.store import Store


@dataclass
class TrackingDraft:
    """What the form holds: a new record, or an amendment of ``record_id`` at ``version``."""

    child_id: str
    plan_id: int | None = None
    chair_id: int | None = None
    date: dt.date | None = None
    checked_core_groups: bool = False
    checked_visits: bool = False
    checked_actions: bool = False
    checked_reports: bool = False
    observations: str = ""
    concerns: str = ""
    decision: str | None = TrackingDecision.NO_ACTION.value
    next_check_date: dt.date | None = None
    escalation_id: int | None = None
    record_id: int | None = None
    version: int | None = None
    original: dict[str, Any] = field(default_factory=dict)

    @property
    def amending(self) -> bool:
        return self.record_id is not None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FORM_FIELDS}

    def with_values(self, **values: Any) -> TrackingDraft:
        clean = cleaned(
            values,
            FORM_FIELDS,
            "case-tracking record",
            text=("observations", "concerns"),
            optional=("decision",),
        )
        for name in CHECK_WORDS:
            if name in clean:
                clean[name] = bool(clean[name])
        return replace(self, **clean)

    def problems(self, on: dt.date | None = None) -> list[FieldError]:
        """What the form refuses, by field, in words a chair can act on."""
        on = on or today()
        out: list[FieldError] = []
        if self.date is None:
            out.append(FieldError("date", "Give the date of the check."))
        elif self.date > on:
            out.append(
                FieldError(
                    "date",
                    f"{fmt(self.date, '—')} is in the future: record a check once it is done.",
                )
            )
        if not self.observations:
            out.append(
                FieldError(
                    "observations",
                    "Write what you found: core groups, visits, "
                    "actions and reports as the records show them.",
                )
            )
        if self.decision not in DECISION_WORDS:
            out.append(FieldError("decision", "Choose the decision."))
        elif self.decision != TrackingDecision.NO_ACTION.value and not self.concerns:
            out.append(
                FieldError(
                    "concerns", "Say what concerns you: the advice or escalation rests on it."
                )
            )
        if self.next_check_date is None:
            out.append(FieldError("next_check_date", "Set the date of the next check."))
        elif not self.amending and self.next_check_date < on:
            out.append(
                FieldError(
                    "next_check_date",
                    f"{fmt(self.next_check_date, '—')} is before "
                    f"today ({fmt(on, '—')}): choose a later date.",
                )
            )
        elif self.date is not None and self.next_check_date <= self.date:
            out.append(
                FieldError(
                    "next_check_date",
                    f"The next check comes after this one ({fmt(self.date, '—')}).",
                )
            )
        return out

    def record_data(self) -> dict[str, Any]:
        return {
            "child_id": self.child_id,
            "plan_id": self.plan_id,
            "chair_id": self.chair_id,
            "kind": TrackingKind.CASE_TRACKING.value,
            "date": self.date,
            **{name: bool(getattr(self, name)) for name in CHECK_WORDS},
            "observations": self.observations,
            "concerns": self.concerns or None,
            "decision": self.decision,
            "next_check_date": self.next_check_date,
            "escalation_id": self.escalation_id,
        }


NEXT_CHECK_WD = 20  # the proposed next check: four working weeks on


def new_draft(file: ChildFile, on: dt.date | None = None) -> TrackingDraft:
    """A blank record dated today, with the next check proposed four working weeks on."""
    from cptrack.rules import workdays

    on = on or today()
    plan_id = file.plan["id"] if file.plan_open else None
    draft = TrackingDraft(
        child_id=file.child_id,
        plan_id=plan_id,
        chair_id=as_int(file.child.get("chair_id")),
        date=on,
        decision=None,
        next_check_date=workdays.add_working_days(on, NEXT_CHECK_WD),
    )
    draft.original = draft.record_data()
    return draft


def open_draft(record: dict[str, Any]) -> TrackingDraft:
    """A stored record as a draft, to amend from its current version."""
    draft = TrackingDraft(
        child_id=str(record["child_id"]),
        plan_id=as_int(record.get("plan_id")),
        chair_id=as_int(record.get("chair_id")),
        date=as_date(record.get("date")),
        **{name: bool(record.get(name)) for name in CHECK_WORDS},
        observations=record.get("observations") or "",
        concerns=record.get("concerns") or "",
        decision=record.get("decision"),
        next_check_date=as_date(record.get("next_check_date")),
        escalation_id=as_int(record.get("escalation_id")),
        record_id=int(record["id"]),
        version=int(record["version"]),
    )
    draft.original = draft.record_data()
    return draft


@dataclass(frozen=True)
class Saved:
    record: dict
    message: str


def save(store: Store, draft: TrackingDraft, on: dt.date | None = None) -> Saved:
    """The record in one audited transaction (an amendment from a stale version is refused
    with ``StaleVersionError``; nothing is written when anything is refused)."""
    on = on or today()
    problems = draft.problems(on)
    if problems:
        raise RecordError(LABEL, problems)
    note = "case-tracking record amended" if draft.amending else "case-tracking record"
    with store.transaction(note=note) as tx:
        if draft.amending:
            record = tx.update("case_tracking", draft.record_id, draft.record_data(), draft.version)
        else:
            record = tx.add("case_tracking", draft.record_data())
    verb = "amended" if draft.amending else "saved"
    message = (
        f"Case-tracking check of {fmt(draft.date, '—')} {verb} for {draft.child_id}. "
        f"Decision: {DECISION_WORDS[draft.decision]}. Next check "
        f"{fmt(draft.next_check_date, '—')}. It is in the records and the chronology above."
    )
    if draft.decision == TrackingDecision.ESCALATE.value and not draft.amending:
        message += " Open the escalation in the Escalations section."
    return Saved(record, message)
