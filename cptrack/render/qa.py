"""Static HTML for the QA apps: the heat map, the tables and the trend chart.

Pure functions from summary frames to HTML strings, so they read the same in Voila and in a
report, and are tested without a browser. Every value that came from a user or the database
is escaped by the templates (``templates/qa/pieces.html``). Colour is never the only signal: each heat-map cell carries its
grade in words and numbers.
"""

from __future__ import annotations

import base64
import io
from functools import cache

import pandas as pd

from cptrack.quality import questionnaires
from cptrack.quality.observation import GRADE, JUDGEMENTS, SCALE, Framework, grade_for_score
from cptrack.quality.observation.summary import HeatMap
from cptrack.render.templating import ENV, piece, render

# Colours for the grades (dark text on light fills, white on dark), chosen to stay apart
# for the common colour-vision deficiencies; the words in every cell carry the meaning.
FILL = {
    "outstanding": ("#1d5b34", "#ffffff"),
    "good": ("#8cc49a", "#0b0c0c"),
    "requires_improvement": ("#f6c34a", "#0b0c0c"),
    "inadequate": ("#b21f1f", "#ffffff"),
    "not_observed": ("#f3f2f1", "#505a5f"),
}


@cache
def _macros():
    return ENV.get_template("qa/pieces.html").make_module(
        {"grades": GRADE, "fill": FILL, "scale": SCALE}
    )


def _html(macro: str, *args, **kwargs) -> str:
    """A macro of templates/qa/pieces.html, as HTML text."""
    return str(getattr(_macros(), macro)(*args, **kwargs)).strip()


def grade_tag(code: str | None, short: bool = False) -> str:
    return _html("grade_tag", code, short=short)


def legend() -> str:
    """The rating scale as a key: colour, grade and what it means."""
    return _html("legend")


def heatmap(hm: HeatMap, framework: Framework, by: str = "chair") -> str:
    """The domains heat map: rows are chairs (or observations), columns are domains; each
    cell shows the grade, the mean score and how many ratings were below Good."""
    rows = []
    for key, row in hm.rows.iterrows():
        rows.append(
            {
                "key": key,
                "label": row["label"],
                "observations": int(row["observations"]) if by == "chair" else None,
                "date": row.get("date"),
                "judgement": row.get("overall_judgement"),
                "cells": [_cell(hm, key, d) for d, _ in hm.domains],
            }
        )
    shorts = {d.id: d.heading for d in framework.domains}
    return _html("heatmap", rows, hm.domains, shorts, by)


def _cell(hm: HeatMap, key, domain: str) -> dict | None:
    mean = hm.mean.at[key, domain]
    rated = int(hm.rated.at[key, domain])
    if rated == 0 or pd.isna(mean):
        return None
    below = int(hm.below_good.at[key, domain])
    return {
        "grade": grade_for_score(float(mean)),
        "mean": float(mean),
        "rated": rated,
        "below": below,
    }


HEATMAP_NOTE = (
    "Each cell: the domain's grade (the mean of its criteria's scores, Outstanding 4 to "
    "Inadequate 1, rounded to the nearest grade), the mean and how many ratings it comes "
    "from, and how many of those were below Good. Not observed is left out."
)


def domains_key(framework: Framework) -> str:
    return _html("domains_key", HEATMAP_NOTE, framework.domains)


def table(frame: pd.DataFrame, columns: list[tuple[str, str, str]], table_id: str) -> str:
    """A plain table: ``columns`` is (column, heading, kind) with kind text, num, pct,
    score, date, grade or flag."""
    rows = [] if frame.empty else frame[[c for c, _, _ in columns]].to_dict("records")
    return _html("table", rows, columns, table_id)


def per_period(counts: pd.DataFrame) -> str:
    """Observations per chair (rows) and period (columns)."""
    return _html("per_period", list(counts.index), list(counts.columns), counts.to_numpy().tolist())


def overdue(frame: pd.DataFrame, months: int) -> str:
    """Chairs flagged when not observed within ``months`` months."""
    n = int(frame["overdue"].sum()) if len(frame) else 0
    return _html("overdue", list(frame.itertuples()), months, n)


def below_good(frame: pd.DataFrame, framework: Framework) -> str:
    titles = {d.id: d.heading for d in framework.domains}
    return _html("below_good", list(frame.itertuples()), titles)


def trend_chart(trend: pd.DataFrame, framework: Framework, chair: str) -> str:
    """The chair's overall judgements over time, and the mean of the criteria, as a chart
    (an embedded PNG with a text alternative) and a table of the grades by domain."""
    if trend.empty:
        return str(render("qa/no_trend.html", chair=chair))
    from matplotlib.figure import Figure

    domain_ids = [d.id for d in framework.domains]
    criteria_mean = trend[[d for d in domain_ids if d in trend]].mean(axis=1)
    fig = Figure(figsize=(8.2, 3.1), dpi=110)
    ax = fig.add_subplot()
    dates = pd.to_datetime(trend["date"])
    ax.plot(
        dates,
        trend["overall_score"],
        marker="o",
        linewidth=2.2,
        color="#1d70b8",
        label="Overall judgement",
    )
    ax.plot(
        dates,
        criteria_mean,
        marker="s",
        linewidth=1.2,
        linestyle="--",
        color="#505a5f",
        label="Mean of the criteria",
    )
    ax.set_ylim(0.6, 4.4)
    ax.set_yticks([g.score for g in JUDGEMENTS])
    ax.set_yticklabels(["Outstanding", "Good", "Requires\nimprovement", "Inadequate"])
    for g in JUDGEMENTS:
        ax.axhspan(g.score - 0.5, g.score + 0.5, color=FILL[g.code][0], alpha=0.12, linewidth=0)
    ax.set_xticks(dates)
    ax.set_xticklabels([f"{d:%-d %b %Y}" for d in dates], fontsize=9)
    ax.grid(axis="y", color="#dcdcdc")
    title = chair.replace("$", r"\$")  # never read as mathtext
    ax.set_title(f"{title}: observations over time", fontsize=11, loc="left")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    data = base64.b64encode(buf.getvalue()).decode()
    words = "; ".join(
        f"{d:%-d %b %Y}: {GRADE[j].label if j in GRADE else 'no judgement'}"
        for d, j in zip(dates, trend["overall_judgement"], strict=True)
    )
    rows = [
        {
            "date": r.date,
            "judgement": r.overall_judgement,
            "grades": [_grade(getattr(r, d)) for d in domain_ids if hasattr(r, d)],
        }
        for r in trend.itertuples(index=False)
    ]
    return _html("trend", chair, data, words, framework.domains, rows)


def _grade(mean: float) -> dict | None:
    if mean is None or pd.isna(mean):
        return None
    return {"short": grade_for_score(float(mean)).short, "mean": float(mean)}


# ---------------------------------------------------------------------------
# Feedback


FEEDBACK_COLUMNS = [
    ("conferences", "Conferences", "num"),
    ("sought", "Feedback sought", "num"),
    ("sought_pct", "Sought %", "pct"),
    ("not_recorded", "Not recorded", "num"),
    ("child", "Children", "num"),
    ("parent", "Parents/carers", "num"),
    ("professional", "Professionals", "num"),
    ("declined_or_not_returned", "Declined or not returned", "num"),
    ("mean_score", "Mean score (1-5)", "score"),
    ("positive_pct", "Agree %", "pct"),
]


def feedback_by_chair(frame: pd.DataFrame) -> str:
    return table(frame, [("chair", "Chair", "text"), *FEEDBACK_COLUMNS], "feedback-by-chair")


def feedback_by_period(frame: pd.DataFrame) -> str:
    return table(frame, [("period", "Quarter", "text"), *FEEDBACK_COLUMNS], "feedback-by-period")


def feedback_questions(frame: pd.DataFrame) -> str:
    if frame.empty:
        return ""
    frame = frame.assign(
        who=frame["respondent"].map(lambda r: questionnaires.RESPONDENT_LABELS.get(r, r))
    )
    return table(
        frame,
        [
            ("who", "From", "text"),
            ("text", "Question", "text"),
            ("answers", "Answers", "num"),
            ("mean_score", "Mean (1-5)", "score"),
            ("positive_pct", "Agree %", "pct"),
        ],
        "feedback-by-question",
    )


def feedback_sought(frame: pd.DataFrame, limit: int = 200) -> str:
    """Each meeting a chair held: was feedback sought, and what came back."""
    if frame.empty:
        return str(piece("note", "No conferences held in this period."))
    shown = frame.head(limit).assign(
        sought_words=[
            "Yes" if s else ("No" if rec else "Not recorded")
            for s, rec in zip(
                frame.head(limit)["sought"], frame.head(limit)["recorded"], strict=True
            )
        ],
        kind=frame.head(limit)["type"].map(lambda t: str(t).replace("_", "-").capitalize()),
    )
    out = table(
        shown,
        [
            ("held_date", "Held", "date"),
            ("kind", "Type", "text"),
            ("children", "Children", "text"),
            ("sought_words", "Feedback sought", "text"),
            ("child", "Children's", "num"),
            ("parent", "Parents'", "num"),
            ("professional", "Professionals'", "num"),
        ],
        "feedback-sought",
    )
    if len(frame) > limit:
        out += str(piece("note", f"The {limit} most recent of {len(frame)} conferences."))
    return out
