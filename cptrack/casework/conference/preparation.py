"""The conference preparation form's model: the checklist, reports received, one save.

A ``PreparationDraft`` holds what the chair records before a conference: the date of the
pre-conference consultation (``000`` IRS standards; ``004_112bca42ee448b63.txt §4.7``) and
of meeting the family, the venue and whether the conference is split (kept on the
conference itself), the answers to the profile's checklist (``cptrack.rules.checklist``), and
the agency reports with the dates the chair and the family received them.

``answers`` answers the checklist: the records answer what they can (interpreter, learning
disability, the child's age, venue, dates, and the reports against the deadlines the engine
computes from the profile, late reports named by agency); the chair's ticks answer the
rest. ``save`` writes the preparation record, the conference's venue and split, and the
reports in one audited transaction, refusing a record or conference changed by somebody
else since the form was opened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from cptrack import engine
from cptrack.casework.conference.agenda import ConferenceFile
from cptrack.domain.drafts import cleaned, removed
from cptrack.domain.models import Agency, FieldError, RecordError, Venue, today
from cptrack.domain.values import as_date as _day
from cptrack.domain.values import fmt
from cptrack.rules import checklist
from cptrack.rules.checklist import Facts, ReportCheck
from cptrack.rules.profiles import Profile
from cptrack.storage.store import Store

LABEL = "Conference preparation"
VENUES = {
    Venue.IN_PERSON.value: "In person",
    Venue.VIRTUAL.value: "Virtual",
    Venue.HYBRID.value: "Hybrid",
}
REPORT_EVENTS = ("report_to_chair", "report_to_family")
REPORT_FIELDS = ("agency", "author", "received_by_chair", "shared_with_family", "confidential")


@dataclass
class ReportRow:
    """One agency report for the conference, and when the chair and the family had it."""

    agency: str = ""
    author: str = ""
    received_by_chair: dt.date | None = None
    shared_with_family: dt.date | None = None
    confidential: bool = False
    record_id: int | None = None
    version: int | None = None
    original: dict[str, Any] = field(default_factory=dict)

    def data(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "author": self.author or None,
            "received_by_chair": self.received_by_chair,
            "shared_with_family": self.shared_with_family,
            "confidential": bool(self.confidential),
        }


@dataclass
class PreparationDraft:
    """What the preparation form holds for one conference."""

    conference_id: int
    child_id: str
    conference_type: str
    conference_date: dt.date
    conference_version: int
    chair_id: int | None = None
    consultation_date: dt.date | None = None
    family_met_date: dt.date | None = None
    venue: str | None = None
    split_conference: bool = False
    notes: str = ""
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    reports: list[ReportRow] = field(default_factory=list)
    removed_reports: list[ReportRow] = field(default_factory=list)
    record_id: int | None = None
    version: int | None = None
    original: dict[str, Any] = field(default_factory=dict)
    conference_original: dict[str, Any] = field(default_factory=dict)

    @property
    def amending(self) -> bool:
        return self.record_id is not None

    def with_values(self, **values: Any) -> PreparationDraft:
        allowed = {
            "consultation_date",
            "family_met_date",
            "venue",
            "split_conference",
            "notes",
            "items",
            "reports",
        }
        clean = cleaned(values, allowed, "preparation form", text=("notes",), optional=("venue",))
        if "reports" in clean:
            clean["removed_reports"] = removed(
                self.reports + self.removed_reports, clean["reports"]
            )
        return replace(self, **clean)

    # -- validation --------------------------------------------------------

    def problems(self, profile: Profile, on: dt.date | None = None) -> list[FieldError]:
        on = on or today()
        out: list[FieldError] = []
        for name in ("consultation_date", "family_met_date"):
            day = getattr(self, name)
            if day is not None and day > on:
                out.append(
                    FieldError(
                        name, f"{fmt(day)} is in the future: record it once it has happened."
                    )
                )
        if self.family_met_date and self.family_met_date > self.conference_date:
            out.append(
                FieldError(
                    "family_met_date",
                    f"The family is met before the conference ({fmt(self.conference_date)}).",
                )
            )
        if self.venue is not None and self.venue not in VENUES:
            out.append(FieldError("venue", f"Choose one of: {', '.join(VENUES.values())}."))
        items = profile.sections.get(checklist.SECTION, ())
        for item_id, message in checklist.problems(items, self.conference_type, self.items):
            out.append(FieldError(f"items.{item_id}", message))
        agencies = {a.value for a in Agency}
        for i, report in enumerate(self.reports, 1):
            where = f"reports.{i}"
            if not report.agency:
                out.append(FieldError(f"{where}.agency", "Choose the agency the report is from."))
            elif report.agency not in agencies:
                out.append(FieldError(f"{where}.agency", f"{report.agency!r} is not an agency."))
            for name in ("received_by_chair", "shared_with_family"):
                day = getattr(report, name)
                if day is not None and day > on:
                    out.append(FieldError(f"{where}.{name}", f"{fmt(day)} is in the future."))
        return out

    def record_data(self) -> dict[str, Any]:
        return {
            "conference_id": self.conference_id,
            "chair_id": self.chair_id,
            "consultation_date": self.consultation_date,
            "family_met_date": self.family_met_date,
            "items": {
                k: {"answer": v.get("answer") or "", "note": (v.get("note") or "").strip()}
                for k, v in self.items.items()
                if (v.get("answer") or (v.get("note") or "").strip())
            },
            "notes": self.notes or None,
        }

    def conference_data(self) -> dict[str, Any]:
        return {"venue": self.venue, "split_conference": bool(self.split_conference)}


def open_draft(file: ConferenceFile) -> PreparationDraft:
    """The form for ``file``'s conference: its saved preparation, or a new one."""
    conf = file.conference
    preps = file.caseload.conference_preparations
    saved = preps[preps["conference_id"] == file.id]
    reports = file.caseload.agency_reports
    reports = reports[reports["conference_id"] == file.id].sort_values("id")
    rows = []
    for r in reports.itertuples():
        row = ReportRow(
            agency=str(r.agency),
            author=r.author or "",
            received_by_chair=_day(r.received_by_chair),
            shared_with_family=_day(r.shared_with_family),
            confidential=bool(r.confidential) if not pd.isna(r.confidential) else False,
            record_id=int(r.id),
            version=int(r.version),
        )
        row.original = row.data()
        rows.append(row)
    draft = PreparationDraft(
        conference_id=file.id,
        child_id=file.child_id,
        conference_type=file.type,
        conference_date=file.date,
        conference_version=int(conf["version"]),
        chair_id=conf.get("chair_id") or file.child.get("chair_id"),
        venue=conf.get("venue"),
        split_conference=bool(conf.get("split_conference")),
        reports=rows,
    )
    if len(saved):
        rec = saved.iloc[-1]
        draft.record_id, draft.version = int(rec["id"]), int(rec["version"])
        draft.consultation_date = _day(rec["consultation_date"])
        draft.family_met_date = _day(rec["family_met_date"])
        draft.items = {k: dict(v) for k, v in (rec["items"] or {}).items()}
        draft.notes = rec["notes"] or ""
        if draft.chair_id is None and not pd.isna(rec["chair_id"]):
            draft.chair_id = int(rec["chair_id"])
    draft.original = draft.record_data()
    draft.conference_original = draft.conference_data()
    return draft


# ---------------------------------------------------------------------------
# Answering the checklist


def report_checks(file: ConferenceFile) -> dict[str, list[ReportCheck] | None]:
    """Per report event, one check per report: the binding (earliest) deadline of the
    profile's rules for that report, from the engine's findings; None where the profile
    sets no deadline for the event."""
    out: dict[str, list[ReportCheck] | None] = {}
    f = file.findings
    reports = file.caseload.agency_reports
    agency_of = dict(zip(reports["id"].astype("int64"), reports["agency"], strict=True))
    mine = set(reports.loc[reports["conference_id"] == file.id, "id"].astype("int64"))
    for event in REPORT_EVENTS:
        if not file.profile.rules_for(event):
            out[event] = None
            continue
        rows = f[(f["event"] == event)]
        ours = rows[
            ((rows["subject_table"] == "agency_reports") & rows["subject_id"].isin(mine))
            | ((rows["subject_table"] == "conferences") & (rows["subject_id"] == file.id))
        ]
        ours = ours.sort_values("due_date", kind="stable")
        ours = ours.drop_duplicates(["subject_table", "subject_id"])
        checks = []
        for r in ours.itertuples():
            is_report = r.subject_table == "agency_reports"
            checks.append(
                ReportCheck(
                    agency=agency_of.get(int(r.subject_id), "") if is_report else "",
                    due_date=_day(r.due_date),
                    actual_date=_day(r.actual_date),
                    status=str(r.status),
                    status_text=str(r.status_text),
                    citation=engine.short_citation(str(r.citation)),
                )
            )
        out[event] = checks
    return out


def facts(file: ConferenceFile, draft: PreparationDraft) -> Facts:
    """What the records (and the form's dates and venue) say, for the checklist."""
    checks = report_checks(file)
    child = file.child
    return Facts(
        conference_type=draft.conference_type,
        conference_date=draft.conference_date,
        consultation_date=draft.consultation_date,
        family_met_date=draft.family_met_date,
        venue=draft.venue,
        interpreter_needed=bool(child.get("interpreter_needed")),
        first_language=child.get("first_language") or "English",
        parent_learning_disability=bool(child.get("parent_learning_disability")),
        child_age=file.age_on(draft.conference_date),
        reports_to_chair=checks["report_to_chair"],
        reports_to_family=checks["report_to_family"],
        chair_role=file.profile.chair_role,
    )


def answers(file: ConferenceFile, draft: PreparationDraft) -> list[checklist.Answer]:
    items = file.profile.sections.get(checklist.SECTION, ())
    return checklist.answer(items, facts(file, draft), draft.items)


# ---------------------------------------------------------------------------
# Saving


@dataclass(frozen=True)
class Saved:
    record: dict
    message: str


def save(
    store: Store, draft: PreparationDraft, profile: Profile, on: dt.date | None = None
) -> Saved:
    """Write the preparation, the conference's venue and split, and the reports, in one
    transaction; ``RecordError`` (by form field) or ``StaleVersionError`` and nothing kept."""
    problems = draft.problems(profile, on)
    if problems:
        raise RecordError(LABEL, problems)
    with store.transaction(note="conference preparation") as tx:
        changes = {
            k: v
            for k, v in draft.conference_data().items()
            if draft.conference_original.get(k) != v
        }
        if changes:
            tx.update("conferences", draft.conference_id, changes, draft.conference_version)
        data = draft.record_data()
        if draft.amending:
            diff = {k: v for k, v in data.items() if draft.original.get(k) != v}
            record = tx.update("conference_preparations", draft.record_id, diff, draft.version)
        else:
            record = tx.add("conference_preparations", data)
        for report in draft.removed_reports:
            tx.delete("agency_reports", report.record_id, report.version)
        for i, report in enumerate(draft.reports, 1):
            try:
                if report.record_id is None:
                    tx.add(
                        "agency_reports", {"conference_id": draft.conference_id, **report.data()}
                    )
                else:
                    diff = {k: v for k, v in report.data().items() if report.original.get(k) != v}
                    if diff:
                        tx.update("agency_reports", report.record_id, diff, report.version)
            except RecordError as exc:
                raise RecordError(
                    LABEL, [FieldError(f"reports.{i}.{e.field}", e.message) for e in exc.errors]
                ) from None
    n = len(draft.reports)
    message = (
        f"Preparation saved for the conference on {fmt(draft.conference_date)}: "
        f"{n} report{'s' if n != 1 else ''} recorded. The checklist below is up to date."
    )
    return Saved(record=record, message=message)
