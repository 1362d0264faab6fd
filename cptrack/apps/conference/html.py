"""The conference page's HTML, from its models (``cptrack.casework.conference``) through the
templates in ``cptrack/render/templates/conference/``: plain HTML, tested without a browser."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from cptrack import engine
from cptrack.apps.parts import card_box
from cptrack.casework.conference import agenda
from cptrack.casework.conference import preparation as prep
from cptrack.domain.values import fmt
from cptrack.render.templating import macro, render
from cptrack.rules import checklist

# Items whose answer is a fact about the child, not something done or missed.
FACT_ITEMS = ("interpreter_needed", "parent_learning_disability", "child_age")
STATUS_KINDS = {
    "met": "green",
    "met_late": "red",
    "overdue": "red",
    "due": "amber",
    "cannot_tell": "amber",
}


def card(file: agenda.ConferenceFile) -> Markup:
    """Who and what the conference is, in one box."""
    c = file.conference
    when = fmt(file.date, "—")
    if c.get("scheduled_time") and not file.held:
        when += f" at {c['scheduled_time']:%H:%M}"
    age = file.age_on(file.date)
    plan = file.plan()
    kv = [
        ("Child", file.child_id),
        ("Age on the day", "unborn" if age is None else str(age)),
        ("Conference", f"{agenda.TYPE_WORDS.get(file.type, file.type)}"),
        ("Date", when + (" (held)" if file.held else "")),
        (file.profile.chair_role, file.chair_name()),
        ("Plan", f"No. {plan['id']}, since {fmt(plan['start_date'], '—')}" if plan else "none"),
    ]
    if c.get("stood_down"):
        kv.append(("Status", "stood down"))
    return card_box("conference-card", file.child_name, kv)


def cite(citation: str) -> str:
    return "; ".join(engine.short_citation(part) for part in citation.split("; "))


def question(answer: checklist.Answer, facts: checklist.Facts) -> Markup:
    """A checklist item's question, with its source."""
    text = checklist.item_text(answer.item, facts)
    return macro("conference/answer.html", "question")(text, cite(answer.item.citation))


def answer(a: checklist.Answer) -> Markup:
    """The answer the records give (or "does not apply"), coloured and in words."""
    if a.item.answer_from in FACT_ITEMS or a.answer == "n/a":
        kind = "grey"
    else:
        kind = {"yes": "green", "no": "red"}.get(a.answer, "amber")
    source = "from the records" if a.item.automatic else "does not apply"
    return macro("conference/answer.html", "answer")(kind, a.words, source, a.detail)


def deadlines(checks: dict[str, list[checklist.ReportCheck] | None], chair_role: str) -> Markup:
    """Each agency's report against its deadlines (to the chair, to the family)."""
    by_agency: dict[str, dict[str, checklist.ReportCheck]] = {}
    for event, found in checks.items():
        for c in found or []:
            by_agency.setdefault(c.label, {})[event] = c
    rows = []
    for label, events in by_agency.items():
        cells = []
        for event in prep.REPORT_EVENTS:
            c = events.get(event)
            if c is None:
                cells.append(None)
                continue
            verb = "received" if event == "report_to_chair" else "shared"
            done = f"{verb} {fmt(c.actual_date, '—')}" if c.actual_date else f"not {verb} yet"
            cells.append(
                {
                    "due": c.due_date,
                    "done": done,
                    "status_text": c.status_text,
                    "kind": STATUS_KINDS.get(c.status, "grey"),
                    "citation": c.citation,
                }
            )
        rows.append((label, cells))
    return render("conference/deadlines.html", rows=rows, chair_role=chair_role)


def schedule(plan_id: int, findings: pd.DataFrame, profile_name: str, midway) -> Markup:
    """What is due for the plan now (``midway``: the midway point when the standards set no
    midway review, else None)."""
    rows = [
        {
            "what": r.message.split(":")[0],
            "due": r.due_date,
            "booked": r.booked_date,
            "rag": r.rag,
            "status_text": r.status_text,
            "citation": engine.short_citation(r.citation),
        }
        for r in findings.sort_values("due_date").itertuples()
    ]
    return render(
        "conference/schedule.html", plan_id=plan_id, rows=rows, profile=profile_name, midway=midway
    )
