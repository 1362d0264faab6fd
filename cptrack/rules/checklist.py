"""The conference preparation checklist: a profile section, and how each item is answered.

The checklist is data in the authority's profile (section ``preparation_checklist``), one
entry per item, each with the standard it comes from::

    [[preparation_checklist]]
    id = "interpreter_arranged"
    text = "An accredited interpreter is booked and the reports are translated"
    when = "interpreter_needed"          # optional: only for these children
    applies_to = ["initial", "review"]   # optional: conference types (default: all)
    citation = "003_b9b37e5469565ffe.txt §2.6, §2.16, §2.20"

    [[preparation_checklist]]
    id = "reports_to_family"
    text = "Reports shared with the family by their deadlines"
    answer_from = "reports_to_family"    # optional: the data answers it (see AUTO)
    citation = "003_b9b37e5469565ffe.txt §2.19"

Items with ``answer_from`` are answered from the records (and, for reports, from the
engine's findings against the profile's deadlines); the chair ticks the others (yes, no or
not applicable, with a note when the answer is not yes). An item whose ``when`` condition is
false is not applicable, and says why. ``{chair}`` in an item's text reads as the profile's
``chair_role`` (QARO in Dorset). A child profile's checklist replaces its parent's whole.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cptrack.domain.models import AGENCY_LABELS
from cptrack.rules.profiles.model import Problem
from cptrack.rules.profiles.vocabulary import CITATION_PATTERN, CONFERENCE_TYPES

SECTION = "preparation_checklist"

# What the records answer, by ``answer_from`` name.
AUTO = {
    "consultation_date": "the date of the pre-conference consultation on this form",
    "family_met_date": "the date the chair met the family, on this form",
    "venue": "the conference's venue (in person, virtual or hybrid)",
    "interpreter_needed": "the child's record: interpreter needed and first language",
    "parent_learning_disability": "the child's record: a parent with a learning disability",
    "child_age": "the child's age on the day of the conference",
    "reports_to_chair": "the agency reports' dates against the profile's report_to_chair rules",
    "reports_to_family": "the agency reports' dates against the profile's report_to_family rules",
}
# Conditions an item may depend on (``when``).
CONDITIONS = {
    "interpreter_needed": "a parent's or the child's first language is not English",
    "parent_learning_disability": "a parent has a learning disability",
    "child_10_plus": "the child is 10 or older on the day of the conference",
}
ANSWERS = {"yes": "Yes", "no": "No", "n/a": "Not applicable"}
ITEM_FIELDS = {"id", "text", "citation", "answer_from", "when", "applies_to", "help"}
CHILD_INVITATION_AGE = 10  # 003_b9b37e5469565ffe.txt §3.2


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to have in place before a conference, and where the standard says so."""

    id: str
    text: str
    citation: str
    answer_from: str = ""
    when: str = ""
    applies_to: tuple[str, ...] = CONFERENCE_TYPES
    help: str = ""

    @property
    def automatic(self) -> bool:
        return bool(self.answer_from)


def parse(value: Any, problems: list[Problem]) -> tuple[ChecklistItem, ...]:
    """The ``preparation_checklist`` section as items; problems named by item and field."""
    if not isinstance(value, list) or not value:
        problems.append(
            Problem(
                SECTION, SECTION, "must be a non-empty array of tables ([[preparation_checklist]])"
            )
        )
        return ()
    items: list[ChecklistItem] = []
    seen: set[str] = set()
    for i, entry in enumerate(value, 1):
        if not isinstance(entry, dict):
            problems.append(Problem(f"{SECTION} #{i}", "item", "must be a table"))
            continue
        where = f"{SECTION} {entry.get('id') or f'#{i}'}"
        before = len(problems)
        for key in sorted(set(entry) - ITEM_FIELDS):
            problems.append(
                Problem(
                    where, key, f"is not an item field; fields: {', '.join(sorted(ITEM_FIELDS))}"
                )
            )
        for key in ("id", "text", "citation"):
            if not str(entry.get(key) or "").strip():
                problems.append(Problem(where, key, "is required"))
        item_id = str(entry.get("id") or "")
        if item_id in seen:
            problems.append(Problem(where, "id", "appears twice in the checklist"))
        seen.add(item_id)
        if entry.get("citation") and not CITATION_PATTERN.match(str(entry["citation"])):
            problems.append(
                Problem(where, "citation", "give a seed file and paragraph or an https URL")
            )
        source = str(entry.get("answer_from") or "")
        if source and source not in AUTO:
            problems.append(
                Problem(where, "answer_from", f"{source!r} is not one of {', '.join(AUTO)}")
            )
        when = str(entry.get("when") or "")
        if when and when not in CONDITIONS:
            problems.append(
                Problem(where, "when", f"{when!r} is not one of {', '.join(CONDITIONS)}")
            )
        applies = entry.get("applies_to", list(CONFERENCE_TYPES))
        if not isinstance(applies, list) or not applies or set(applies) - set(CONFERENCE_TYPES):
            problems.append(
                Problem(
                    where, "applies_to", f"give conference types from {', '.join(CONFERENCE_TYPES)}"
                )
            )
            applies = list(CONFERENCE_TYPES)
        if len(problems) > before:
            continue
        items.append(
            ChecklistItem(
                id=item_id,
                text=str(entry["text"]).strip(),
                citation=str(entry["citation"]).strip(),
                answer_from=source,
                when=when,
                applies_to=tuple(applies),
                help=str(entry.get("help") or "").strip(),
            )
        )
    return tuple(items)


# ---------------------------------------------------------------------------
# Answering


@dataclass(frozen=True)
class ReportCheck:
    """One agency's report against one deadline (from the engine's findings)."""

    agency: str
    due_date: dt.date | None
    actual_date: dt.date | None
    status: str  # the engine's status: met, met_late, overdue, due, cannot_tell
    status_text: str
    citation: str = ""

    @property
    def label(self) -> str:
        return AGENCY_LABELS.get(self.agency, self.agency) if self.agency else "No report"


@dataclass
class Facts:
    """What the records say about one conference, for answering the checklist."""

    conference_type: str
    conference_date: dt.date
    consultation_date: dt.date | None = None
    family_met_date: dt.date | None = None
    venue: str | None = None
    interpreter_needed: bool = False
    first_language: str = "English"
    parent_learning_disability: bool = False
    child_age: int | None = None  # whole years on the conference date; None if unborn
    reports_to_chair: list[ReportCheck] | None = None  # None: the profile sets no deadline
    reports_to_family: list[ReportCheck] | None = None
    chair_role: str = "Chair"


@dataclass(frozen=True)
class Answer:
    """An item's answer: from the data (``automatic``) or as the chair ticked it."""

    item: ChecklistItem
    answer: str  # yes, no, n/a, or "" when not answered yet
    detail: str = ""  # what the data shows, or why the item does not apply
    note: str = ""
    automatic: bool = False
    needs_attention: bool = False
    reports: tuple[ReportCheck, ...] = field(default_factory=tuple)

    @property
    def words(self) -> str:
        if not self.answer:
            return "Waiting" if self.automatic else "Not answered yet"
        return ANSWERS[self.answer]


def item_text(item: ChecklistItem, facts: Facts) -> str:
    return item.text.replace("{chair}", facts.chair_role)


def items_for(items: tuple[ChecklistItem, ...], conference_type: str) -> list[ChecklistItem]:
    return [i for i in items if conference_type in i.applies_to]


def answer(
    items: tuple[ChecklistItem, ...], facts: Facts, saved: dict[str, dict[str, Any]] | None = None
) -> list[Answer]:
    """Every item that applies to this conference, answered by the data or the chair."""
    saved = saved or {}
    out = []
    for item in items_for(items, facts.conference_type):
        note = str((saved.get(item.id) or {}).get("note") or "")
        holds, why_not = _condition(item.when, facts)
        if not holds:
            out.append(Answer(item, "n/a", why_not, note, automatic=True))
        elif item.automatic:
            out.append(_automatic(item, facts, note))
        else:
            given = str((saved.get(item.id) or {}).get("answer") or "")
            given = given if given in ANSWERS else ""
            out.append(Answer(item, given, "", note, needs_attention=given != "yes"))
    return out


def _condition(when: str, facts: Facts) -> tuple[bool, str]:
    if not when:
        return True, ""
    if when == "interpreter_needed":
        return (
            facts.interpreter_needed,
            f"No interpreter needed: first language {facts.first_language}.",
        )
    if when == "parent_learning_disability":
        return facts.parent_learning_disability, "No parent has a recorded learning disability."
    if when == "child_10_plus":
        if facts.child_age is None:
            return False, "The child is not yet born."
        return (
            facts.child_age >= CHILD_INVITATION_AGE,
            f"The child is {facts.child_age}: under {CHILD_INVITATION_AGE}.",
        )
    raise KeyError(when)


def _date(day: dt.date | None) -> str:
    return f"{day:%-d %b %Y}" if day else ""


def _automatic(item: ChecklistItem, facts: Facts, note: str) -> Answer:
    source = item.answer_from

    def done(ok: bool, detail: str, attention: bool | None = None) -> Answer:
        return Answer(
            item,
            "yes" if ok else "no",
            detail,
            note,
            automatic=True,
            needs_attention=(not ok) if attention is None else attention,
        )

    if source == "consultation_date":
        if facts.consultation_date:
            return done(True, f"Held on {_date(facts.consultation_date)}.")
        return done(False, "No consultation date recorded yet.")
    if source == "family_met_date":
        if facts.family_met_date:
            return done(True, f"Met on {_date(facts.family_met_date)}.")
        return done(False, "Not recorded yet.")
    if source == "venue":
        words = {"in_person": "In person", "virtual": "Virtual", "hybrid": "Hybrid"}
        if facts.venue:
            return done(True, f"{words.get(facts.venue, facts.venue)}.")
        return done(False, "Not decided yet.")
    if source == "interpreter_needed":
        if facts.interpreter_needed:
            return done(True, f"Needed: first language {facts.first_language}.", False)
        return done(False, f"Not needed: first language {facts.first_language}.", False)
    if source == "parent_learning_disability":
        if facts.parent_learning_disability:
            return done(True, "Yes: a parent has a learning disability.", False)
        return done(False, "None recorded.", False)
    if source == "child_age":
        if facts.child_age is None:
            return done(False, "Unborn.", False)
        old = facts.child_age >= CHILD_INVITATION_AGE
        tail = (
            ": invite them, or record the agreed reason they are not invited."
            if old
            else f": under {CHILD_INVITATION_AGE}."
        )
        return done(old, f"Aged {facts.child_age} on the day{tail}", False)
    if source in ("reports_to_chair", "reports_to_family"):
        return _reports(item, getattr(facts, source), note, facts)
    raise KeyError(source)


def _reports(
    item: ChecklistItem, checks: list[ReportCheck] | None, note: str, facts: Facts
) -> Answer:
    if checks is None:
        return Answer(
            item, "n/a", "The profile sets no deadline for these reports.", note, automatic=True
        )
    if not checks:
        return Answer(
            item, "", "No reports expected yet.", note, automatic=True, needs_attention=True
        )
    late = [c for c in checks if c.status in ("met_late", "overdue")]
    unknown = [c for c in checks if c.status == "cannot_tell"]
    waiting = [c for c in checks if c.status == "due"]
    parts = []
    if late:
        parts.append(
            "Late: "
            + "; ".join(
                f"{c.label} (due {_date(c.due_date)}, "
                + (f"received {_date(c.actual_date)})" if c.actual_date else "not received)")
                for c in late
            )
            + "."
        )
    if unknown:
        parts.append(
            "Cannot tell: " + "; ".join(f"{c.label}: {c.status_text}" for c in unknown) + "."
        )
    if waiting:
        parts.append(
            "Not yet due: " + "; ".join(f"{c.label} by {_date(c.due_date)}" for c in waiting) + "."
        )
    on_time = len(checks) - len(late) - len(unknown) - len(waiting)
    if on_time:
        parts.insert(0, f"{on_time} of {len(checks)} on time.")
    if late or unknown:
        value = "no"
    elif waiting:
        value = ""
    else:
        value = "yes"
    return Answer(
        item,
        value,
        " ".join(parts),
        note,
        automatic=True,
        needs_attention=value != "yes",
        reports=tuple(checks),
    )


def problems(
    items: tuple[ChecklistItem, ...], conference_type: str, given: dict[str, dict[str, Any]]
) -> list[tuple[str, str]]:
    """(item id, message) for answers the chair gave that cannot be saved."""
    known = {i.id: i for i in items_for(items, conference_type)}
    out = []
    for item_id, value in given.items():
        item = known.get(item_id)
        if item is None:
            out.append((item_id, f"{item_id!r} is not on this conference's checklist."))
            continue
        value = value or {}
        ans = str(value.get("answer") or "")
        note = str(value.get("note") or "").strip()
        if item.automatic:
            continue
        if ans not in ("", *ANSWERS):
            out.append((item_id, f"Answer yes, no or not applicable (not {ans!r})."))
        elif ans in ("no", "n/a") and not note:
            what = "what is being done about it" if ans == "no" else "why it does not apply"
            out.append((item_id, f"Add a note saying {what}."))
    return out
