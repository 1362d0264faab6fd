"""The midway review page's HTML, from its model (``cptrack.casework.midway``) through the
templates in ``cptrack/render/templates/midway/``: plain HTML, tested without a browser."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from cptrack.casework.midway import due as midway_due
from cptrack.casework.midway.draft import MidwayDraft
from cptrack.casework.midway.opening import MidwayFile
from cptrack.domain.models import CATEGORY_LABELS
from cptrack.domain.values import fmt
from cptrack.render.templating import macro, render

_BITS = "midway/bits.html"


def header(authority: str, profile, day: str) -> Markup:
    """The page's title, and whether the profile makes the midway review a standard."""
    if midway_due.has_rule(profile):
        rules = "; ".join(r.citation.split(":")[0] for r in profile.rules_for("midway_review"))
        checked = f"{profile.name} makes the midway review a standard ({rules}). "
    else:
        checked = (
            f"{profile.name} sets no midway review standard: the midway points below are "
            "a prompt (the setting midway_review_point of the way to the next review), "
            "not checked. "
        )
    return macro(_BITS, "header")(authority, profile.name, day, profile.chair_role, checked)


def due_table(rows: pd.DataFrame) -> Markup:
    return render("midway/due.html", rows=list(rows.itertuples()))


def card(file: MidwayFile, draft: MidwayDraft) -> Markup:
    """The child, the plan and the midway review's status, in one box."""
    plan, m, sched = file.plan, file.midway, file.schedule
    status = None
    if m:
        kind = m["rag"] if m["rag"] else ("green" if m["status"] == "met" else "grey")
        status = {
            "kind": kind,
            "text": m["status_text"],
            "cite": m["message"].split("[")[-1].rstrip("]"),
        }
    review_words = fmt(sched.get("next_review_due"), "—")
    booked = sched.get("review_booked")
    if booked is not None and not pd.isna(booked):
        review_words += f" (booked {fmt(booked)})"
    facts = [
        ("Child", f"{file.child_id}"),
        ("Plan started", fmt(plan["start_date"])),
        ("Category", CATEGORY_LABELS.get(plan.get("latest_category"), plan.get("latest_category"))),
        ("Last conference", fmt(file.since, "—")),
        ("Midway review due", fmt(m.get("due_date"), "—") if m else "—"),
        ("Next review due", review_words),
    ]
    return render(
        "midway/card.html",
        name=file.child_name,
        facts=facts,
        status=status,
        version=draft.version if draft.amending else None,
    )


def facts(file: MidwayFile) -> Markup:
    """What the records show since the conference."""
    return render(
        "midway/facts.html",
        core_groups=file.core_group_summary(),
        visits=file.visit_summary(),
        actions=list(file.actions_overdue().itertuples()),
        findings=list(file.open_findings().itertuples()),
    )


def original_risks(file: MidwayFile) -> Markup:
    conf = file.conference or {}
    items = [
        ("What we were worried about", conf.get("worried_about")),
        ("Danger statements", conf.get("danger_statements")),
    ]
    return macro(_BITS, "paragraphs")(
        items, "The conference record holds no worries or danger statements."
    )


def contingency(file: MidwayFile) -> Markup:
    return macro(_BITS, "paragraphs")(
        [("Current contingency plan", file.plan.get("contingency_plan") or "—")], ""
    )


def paragraph(words: str) -> Markup:
    return macro(_BITS, "paragraph")(words)
