"""The escalation form: a concern a chair escalates, its stage, response date and outcome.

Chairs escalate when practice falls short (``004_112bca42ee448b63.txt §4.15``; in Sunderland
informally first, then through the Resolving Professional Differences procedure,
``003_b9b37e5469565ffe.txt §5.10``). Each escalation is one ``cptrack.domain.models.Escalation``
record: the stage (from the profile's ``escalation_stages``), the reason, who it went to,
when a response is due (proposed from the profile's ``escalation_response`` rule, else its
``escalation_response_wd`` setting), the response and the outcome.

Any form may open one: ``new_draft`` makes a draft for a child, ``EscalationDraft.problems``
says what is missing, and ``write`` adds (or amends) it inside the caller's transaction, so
that a midway review, a conference record or a case-tracking record and the escalation it
opens are saved together or not at all. ``save`` does the same on its own transaction.

Whether a response is late is the engine's business (``escalation_response`` findings), read
with each escalation by ``cptrack.casework.escalation_log``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from cptrack.domain.drafts import cleaned
from cptrack.domain.models import EscalationStatus, FieldError, RecordError, today
from cptrack.domain.values import as_date as _day
from cptrack.domain.values import as_int as _int
from cptrack.domain.values import fmt
from cptrack.rules import workdays
from cptrack.rules.profiles import Profile
from cptrack.storage.store import Store
from cptrack.storage.transaction import Transaction

LABEL = "Escalation"
FORM_FIELDS = (
    "raised_on",
    "stage",
    "reason",
    "raised_with",
    "response_due",
    "response",
    "response_date",
    "outcome",
    "status",
)
STATUS_WORDS = {
    EscalationStatus.OPEN.value: "Open",
    EscalationStatus.RESOLVED.value: "Resolved",
    EscalationStatus.WITHDRAWN.value: "Withdrawn",
}
SOURCE_WORDS = {
    "midway_review": "Midway review",
    "conference": "Conference",
    "case_tracking": "Case tracking",
    "escalation_log": "Escalation log",
}
# Where chairs' escalation duties are written, for the form's heading.
CITATIONS = (
    "004_112bca42ee448b63.txt §4.15",
    "003_b9b37e5469565ffe.txt §5.10",
)


def stages(profile: Profile) -> list[str]:
    """The profile's escalation stages, in order (setting ``escalation_stages``)."""
    return [str(s) for s in profile.settings.get("escalation_stages", [])]


def response_due(profile: Profile, raised_on: dt.date) -> dt.date:
    """The response date a new escalation proposes: the profile's ``escalation_response``
    rule counted from the day it is raised (its ``escalation_response_wd`` setting when the
    profile does not apply the rule)."""
    rules = profile.rules_for("escalation_response")
    if rules and rules[0].unit != "hours":
        return _date(workdays.shift(raised_on, rules[0].amount, rules[0].unit))
    n = int(profile.settings["escalation_response_wd"])
    return _date(workdays.add_working_days(raised_on, n))


def _date(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


@dataclass
class EscalationDraft:
    """A new escalation, or an amendment of ``record_id`` made from ``version``."""

    child_id: str
    plan_id: int | None = None
    raised_by: int | None = None
    raised_on: dt.date | None = None
    stage: str = ""
    reason: str = ""
    raised_with: str = ""
    response_due: dt.date | None = None
    response: str = ""
    response_date: dt.date | None = None
    outcome: str = ""
    status: str = EscalationStatus.OPEN.value
    source_kind: str | None = None
    source_record_id: int | None = None
    record_id: int | None = None
    version: int | None = None
    original: dict[str, Any] = field(default_factory=dict)

    @property
    def amending(self) -> bool:
        return self.record_id is not None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FORM_FIELDS}

    def with_values(self, **values: Any) -> EscalationDraft:
        """A copy holding what a view read from its inputs (unknown names refused)."""
        text = ("reason", "raised_with", "response", "outcome", "stage")
        return replace(self, **cleaned(values, FORM_FIELDS, "escalation form", text=text))

    # -- validation --------------------------------------------------------

    def problems(self, profile: Profile, on: dt.date | None = None) -> list[FieldError]:
        """What the form refuses, by field (empty when it can be saved)."""
        on = on or today()
        out: list[FieldError] = []
        if self.raised_on is None:
            out.append(FieldError("raised_on", "Give the date the concern was raised."))
        elif self.raised_on > on:
            out.append(
                FieldError(
                    "raised_on",
                    f"{fmt(self.raised_on)} is in the future: "
                    "record an escalation once it is raised.",
                )
            )
        known = stages(profile)
        unchanged_stage = self.amending and self.stage == self.original.get("stage")
        if not self.stage:
            out.append(FieldError("stage", "Choose the stage of the escalation."))
        elif known and self.stage not in known and not unchanged_stage:
            out.append(
                FieldError(
                    "stage",
                    f"Choose one of the stages in {profile.name}'s procedure: {', '.join(known)}.",
                )
            )
        if len(self.reason) < 3:
            out.append(FieldError("reason", "Say what the concern is and what you are asking for."))
        if not self.raised_with:
            out.append(
                FieldError("raised_with", "Say who the concern is raised with (name and role).")
            )
        if self.response_due is None:
            out.append(FieldError("response_due", "Give the date a response is due."))
        elif self.raised_on and self.response_due < self.raised_on:
            out.append(
                FieldError(
                    "response_due",
                    f"{fmt(self.response_due)} is before the "
                    f"escalation was raised ({fmt(self.raised_on)}).",
                )
            )
        out += self._response_problems(on)
        return out

    def _response_problems(self, on: dt.date) -> list[FieldError]:
        out = []
        if self.response_date is not None:
            if self.response_date > on:
                out.append(
                    FieldError("response_date", f"{fmt(self.response_date)} is in the future.")
                )
            elif self.raised_on and self.response_date < self.raised_on:
                out.append(
                    FieldError(
                        "response_date",
                        "The response came before the "
                        f"escalation was raised ({fmt(self.raised_on)}).",
                    )
                )
            if not self.response:
                out.append(FieldError("response", "Record what the response was."))
        elif self.response:
            out.append(FieldError("response_date", "Give the date of the response."))
        if self.status not in STATUS_WORDS:
            out.append(FieldError("status", f"Choose one of: {', '.join(STATUS_WORDS.values())}."))
        elif self.status == EscalationStatus.RESOLVED.value:
            if self.response_date is None:
                out.append(
                    FieldError(
                        "response_date",
                        "A resolved escalation needs the date of the response that resolved it.",
                    )
                )
            if not self.outcome:
                out.append(FieldError("outcome", "Say how the escalation was resolved."))
        elif self.status == EscalationStatus.WITHDRAWN.value and not self.outcome:
            out.append(FieldError("outcome", "Say why the escalation was withdrawn."))
        return out

    # -- what is written ---------------------------------------------------

    def data(self) -> dict[str, Any]:
        return {
            "child_id": self.child_id,
            "plan_id": self.plan_id,
            "raised_by": self.raised_by,
            "raised_on": self.raised_on,
            "stage": self.stage,
            "reason": self.reason,
            "raised_with": self.raised_with,
            "response_due": self.response_due,
            "response": self.response or None,
            "response_date": self.response_date,
            "outcome": self.outcome or None,
            "status": self.status,
            "source_kind": self.source_kind,
            "source_record_id": self.source_record_id,
        }


def new_draft(
    profile: Profile,
    child_id: str,
    *,
    plan_id: int | None = None,
    raised_by: int | None = None,
    on: dt.date | None = None,
    source_kind: str | None = None,
    source_record_id: int | None = None,
    stage: str | None = None,
) -> EscalationDraft:
    """A blank escalation raised today at the profile's first stage (or ``stage``), with
    the response date the profile proposes."""
    on = on or today()
    known = stages(profile)
    return EscalationDraft(
        child_id=child_id,
        plan_id=plan_id,
        raised_by=raised_by,
        raised_on=on,
        stage=stage or (known[0] if known else ""),
        response_due=response_due(profile, on),
        source_kind=source_kind,
        source_record_id=source_record_id,
    )


def open_draft(record: dict[str, Any]) -> EscalationDraft:
    """A draft holding a stored escalation, to amend it from its current version."""
    draft = EscalationDraft(
        child_id=str(record["child_id"]),
        plan_id=_int(record.get("plan_id")),
        raised_by=_int(record.get("raised_by")),
        raised_on=_day(record.get("raised_on")),
        stage=record.get("stage") or "",
        reason=record.get("reason") or "",
        raised_with=record.get("raised_with") or "",
        response_due=_day(record.get("response_due")),
        response=record.get("response") or "",
        response_date=_day(record.get("response_date")),
        outcome=record.get("outcome") or "",
        status=record.get("status") or EscalationStatus.OPEN.value,
        source_kind=record.get("source_kind"),
        source_record_id=_int(record.get("source_record_id")),
        record_id=int(record["id"]),
        version=int(record["version"]),
    )
    draft.original = draft.data()
    return draft


def write(
    tx: Transaction,
    draft: EscalationDraft,
    profile: Profile,
    on: dt.date | None = None,
    *,
    prefix: str = "",
) -> dict:
    """Validate and add (or amend) the escalation inside ``tx``; returns the stored row.

    Refusals are ``RecordError``s whose fields carry ``prefix`` (a host form that embeds
    the escalation names its fields ``escalation.stage`` and so on). An amendment made
    from an old version raises ``StaleVersionError``.
    """
    problems = draft.problems(profile, on)
    if problems:
        raise RecordError(LABEL, [FieldError(prefix + p.field, p.message) for p in problems])
    try:
        if draft.amending:
            data = draft.data()
            changes = {k: v for k, v in data.items() if draft.original.get(k) != v}
            return tx.update("escalations", draft.record_id, changes, draft.version)
        return tx.add("escalations", draft.data())
    except RecordError as exc:
        if not prefix:
            raise
        raise RecordError(
            exc.kind, [FieldError(prefix + e.field, e.message) for e in exc.errors]
        ) from None


def save(store: Store, draft: EscalationDraft, profile: Profile, on: dt.date | None = None) -> dict:
    """``write`` in a transaction of its own (audited; nothing kept if refused)."""
    note = "escalation amended" if draft.amending else "escalation opened"
    with store.transaction(note=note) as tx:
        return write(tx, draft, profile, on)


def saved_message(row: dict, amended: bool) -> str:
    """What the chair reads after a save."""
    if amended:
        return f"Escalation {row['id']} updated ({STATUS_WORDS.get(row['status'], row['status'])})."
    return (
        f"Escalation {row['id']} opened at stage \u201c{row['stage']}\u201d with "
        f"{row['raised_with']}; a response is due by {fmt(_day(row['response_due']))}."
    )
