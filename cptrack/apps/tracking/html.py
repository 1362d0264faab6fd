"""The case-tracking page's HTML, from the page model (``cptrack.casework.tracking``) through
the templates in ``cptrack/render/templates/tracking/``: plain HTML, tested without a browser.

The dashboard is one HTML table (a 2,000-child caseload is one widget, not 2,000); a child's id
in it is a link that opens the child in the page, and a deep link (``?child=ID``) for a new
tab. Every value is escaped by the templates.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from markupsafe import Markup

from cptrack import engine
from cptrack.casework.tracking.child import ChildFile
from cptrack.casework.tracking.words import (
    AGENCY_WORDS,
    CATEGORY_WORDS,
    CHECK_WORDS,
    DECISION_WORDS,
    KIND_WORDS,
    RAG_WORDS,
    yes,
)
from cptrack.domain.values import fmt
from cptrack.render.templating import macro, render, trusted

_BITS = "tracking/bits.html"


def summary(
    s: dict[str, int], *, who: str, profile: str, as_of: dt.date, amber: int, shown: int, total: int
) -> Markup:
    """The scope line (whose caseload, which standards, what day) and the summary strip."""
    return render(
        "tracking/summary.html",
        s=s,
        who=who,
        profile=profile,
        as_of=as_of,
        amber=amber,
        shown=shown,
        total=total,
    )


def dashboard_table(rows: pd.DataFrame, *, with_chair: bool, limit: int = 0) -> Markup:
    """The caseload as one table, a row per child, the RAG in words and colour."""
    shown = rows if not limit else rows.head(limit)
    return render(
        "tracking/caseload.html",
        rows=list(shown.itertuples()),
        total=len(rows),
        with_chair=with_chair,
        rag_words=RAG_WORDS,
        category_words=CATEGORY_WORDS,
        yes=yes,
    )


def findings_table(f: pd.DataFrame, table_id: str) -> Markup:
    rows = [
        {
            "rag": str(r.rag),
            "status": r.status,
            "rule_text": r.rule_text,
            "due_date": r.due_date,
            "actual_date": r.actual_date,
            "status_text": r.status_text,
            "basis_text": r.basis_text,
            "label": engine.EVENT_LABELS.get(str(r.event), str(r.event)).replace(
                "{chair}", "chair"
            ),
            "citation": engine.short_citation(str(r.citation)),
        }
        for r in f.itertuples()
    ]
    return render("tracking/findings.html", rows=rows, table_id=table_id, rag_words=RAG_WORDS)


def chronology_table(chron: pd.DataFrame) -> Markup:
    return render("tracking/chronology.html", rows=list(chron.iloc[::-1].itertuples()))


def actions_table(a: pd.DataFrame) -> Markup:
    return render("tracking/actions.html", rows=list(a.itertuples()), agency_words=AGENCY_WORDS)


def records_table(recs: pd.DataFrame) -> Markup:
    rows = []
    for r in recs.itertuples():
        checked = (
            ", ".join(w.split(" (")[0] for k, w in CHECK_WORDS.items() if yes(getattr(r, k))) or "—"
        )
        decision = (
            DECISION_WORDS.get(r.decision, r.decision)
            if r.kind == "case_tracking"
            else KIND_WORDS.get(r.kind, r.kind)
        )
        rows.append({**r._asdict(), "checked": checked, "decision_words": decision})
    return render("tracking/records.html", rows=rows)


def child_card(file: ChildFile) -> Markup:
    c, plan = file.child, file.plan
    born = (
        fmt(c.get("date_of_birth"), "—")
        if c.get("date_of_birth")
        else f"expected {fmt(c.get('expected_date_of_delivery'), '—')}"
    )
    facts = [
        ("Child", file.child_id),
        ("Born", born),
        ("Chair", file.chair_name or "—"),
        ("Social worker", c.get("social_worker") or "—"),
    ]
    if plan:
        state = "open" if file.plan_open else f"ended {fmt(plan.get('end_date'), '—')}"
        facts += [
            ("Plan", f"started {fmt(plan['start_date'], '—')} ({state})"),
            ("Category", CATEGORY_WORDS.get(plan.get("latest_category"), "—")),
        ]
        if plan.get("previous_plans"):
            facts.append(("Previous plans", str(plan["previous_plans"])))
    else:
        facts.append(("Plan", "none: awaiting an initial conference or not on a plan"))
    rag = file.findings[file.findings["live"]]["rag"].astype(object)
    return render(
        "tracking/child_card.html",
        child_id=file.child_id,
        name=file.name,
        facts=facts,
        red=int((rag == "red").sum()),
        amber=int((rag == "amber").sum()),
        green=int((rag == "green").sum()),
        siblings=list(file.siblings.itertuples()),
    )


def header(authority: str) -> Markup:
    return macro(_BITS, "header")(authority)


def no_child() -> Markup:
    return macro(_BITS, "no_child")()


def timeline(svg: str) -> Markup:
    """The timeline (an SVG the chart code drew: kinds and dates, no names)."""
    return macro(_BITS, "timeline")(trusted(svg))


def calendar_link(name: str, href: str, n: int, days: int) -> Markup:
    return macro(_BITS, "calendar_link")(name, href, n, days)


def open_label() -> Markup:
    return macro(_BITS, "open_label")()


def form_title(date: dt.date | None, version: int | None) -> Markup:
    """ "A new check", or which record is being amended."""
    return macro(_BITS, "form_title")(date, version)
