"""Static HTML for the QA apps: the heat map, the tables and the trend chart.

Pure functions from summary frames to HTML strings, so they read the same in Voila and in a
report, and are tested without a browser. Every value that came from a user or the database
passes through ``esc``. Colour is never the only signal: each heat-map cell carries its
grade in words and numbers.
"""

from __future__ import annotations

import base64
import io
import math

import pandas as pd

from cptrack.quality import feedback
from cptrack.quality.observation import GRADE, JUDGEMENTS, SCALE, Framework, grade_for_score
from cptrack.quality.observation.summary import HeatMap
from cptrack.render.style import esc

# Colours for the grades (dark text on light fills, white on dark), chosen to stay apart
# for the common colour-vision deficiencies; the words in every cell carry the meaning.
FILL = {
    "outstanding": ("#1d5b34", "#ffffff"),
    "good": ("#8cc49a", "#0b0c0c"),
    "requires_improvement": ("#f6c34a", "#0b0c0c"),
    "inadequate": ("#b21f1f", "#ffffff"),
    "not_observed": ("#f3f2f1", "#505a5f"),
}

CSS = """
<style>
.cpt .heat-wrap { overflow-x: auto; max-width: 100%; }
.cpt table.heat { border-collapse: separate; border-spacing: 3px; margin: 6px 0 10px 0; }
.cpt table.heat th { font-size: 13px; font-weight: 700; padding: 4px 6px; text-align: center;
                     vertical-align: bottom; max-width: 96px; line-height: 1.2; }
.cpt table.heat th.row, .cpt table.heat td.row { text-align: left; max-width: none;
                     white-space: nowrap; padding-right: 12px; }
.cpt table.heat td.cell { width: 94px; min-width: 90px; height: 58px; text-align: center;
                     vertical-align: middle; font-size: 13px; line-height: 1.25;
                     border-radius: 3px; }
.cpt table.heat td.cell b { display: block; font-size: 13px; }
.cpt table.heat td.cell span { display: block; font-size: 12px; white-space: nowrap; }
.cpt table.heat td.none { background: #ffffff; color: #6f777b; border: 1px dashed #b1b4b6; }
.cpt .legend { display: flex; flex-wrap: wrap; gap: 8px 18px; margin: 4px 0 12px 0;
               font-size: 13px; }
.cpt .legend .key { display: inline-block; width: 18px; height: 14px; border-radius: 2px;
                    vertical-align: middle; margin-right: 6px; border: 1px solid #b1b4b6; }
.cpt .tag.overdue { background: #b21f1f; color: #fff; }
.cpt .tag.ok { background: #1d5b34; color: #fff; }
.cpt .domains-key { font-size: 13px; color: #333; columns: 2; margin: 0 0 12px 0; }
.cpt img.chart { max-width: 100%; border: 1px solid #dcdcdc; }
</style>
"""


def _num(value: float, digits: int = 1) -> str:
    return (
        "—"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else (f"{value:.{digits}f}")
    )


def _pct(value: float) -> str:
    return (
        "—"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else (f"{value:.0f}%")
    )


def grade_tag(code: str | None, short: bool = False) -> str:
    if not code or code not in GRADE:
        return "—"
    bg, fg = FILL[code]
    grade = GRADE[code]
    return (
        f'<span class="tag" style="background:{bg};color:{fg}" title="{esc(grade.label)}">'
        f"{esc(grade.short if short else grade.label)}</span>"
    )


def legend() -> str:
    """The rating scale as a key: colour, grade and what it means."""
    items = "".join(
        f'<span><span class="key" style="background:{FILL[g.code][0]}"></span>'
        f"<b>{esc(g.label)}</b> ({g.score if g.score else 'not scored'}): {esc(g.descriptor)}"
        "</span>"
        for g in SCALE
    )
    return f'<div class="legend" aria-label="Rating scale">{items}</div>'


def heatmap(hm: HeatMap, framework: Framework, by: str = "chair") -> str:
    """The domains heat map: rows are chairs (or observations), columns are domains; each
    cell shows the grade, the mean score and how many ratings were below Good."""
    if hm.rows.empty:
        return '<p class="note">No observations were submitted in this period.</p>'
    shorts = {d.id: d.heading for d in framework.domains}
    heads = "".join(
        f'<th scope="col" title="{esc(title)}">{n}. {esc(shorts.get(domain, title))}</th>'
        for n, (domain, title) in enumerate(hm.domains, 1)
    )
    if by == "chair":
        first = '<th class="row" scope="col">Chair</th><th scope="col">Obs.</th>'
    else:
        first = '<th class="row" scope="col">Observation<br>(overall judgement)</th>'
    body = []
    for key, row in hm.rows.iterrows():
        if by == "chair":
            lead = (
                f'<td class="row">{esc(row["label"])}</td>'
                f'<td class="num">{int(row["observations"])}</td>'
            )
        else:
            lead = (
                f'<td class="row">{esc(row["label"])}<br><span class="note">'
                f"{row['date']:%-d %b %Y} · no. {key}</span><br>"
                f"{grade_tag(row['overall_judgement'], short=True)}</td>"
            )
        cells = "".join(_cell(hm, key, d) for d, _ in hm.domains)
        body.append(f'<tr data-key="{esc(key)}">{lead}{cells}</tr>')
    return (
        f'<div class="heat-wrap"><table class="heat" id="heatmap-{by}"><thead><tr>{first}'
        f"{heads}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _cell(hm: HeatMap, key, domain: str) -> str:
    mean = hm.mean.at[key, domain]
    rated = int(hm.rated.at[key, domain])
    below = int(hm.below_good.at[key, domain])
    if rated == 0 or pd.isna(mean):
        return '<td class="cell none" title="No ratings">Not rated</td>'
    grade = grade_for_score(float(mean))
    bg, fg = FILL[grade.code]
    shortfall = f"{below} below Good" if below else "none below Good"
    title = f"{grade.label}: mean score {mean:.2f} from {rated} ratings; {shortfall}"
    return (
        f'<td class="cell" style="background:{bg};color:{fg}" title="{esc(title)}" '
        f'data-grade="{grade.code}"><b>{esc(grade.short)}</b>'
        f"<span>{mean:.1f} from {rated}</span>"
        + (f"<span>{below} below Good</span>" if below else "")
        + "</td>"
    )


HEATMAP_NOTE = (
    "Each cell: the domain's grade (the mean of its criteria's scores, Outstanding 4 to "
    "Inadequate 1, rounded to the nearest grade), the mean and how many ratings it comes "
    "from, and how many of those were below Good. Not observed is left out."
)


def domains_key(framework: Framework) -> str:
    items = "".join(
        f"<div>{n}. <b>{esc(d.heading)}</b>: {esc(d.title)}</div>"
        for n, d in enumerate(framework.domains, 1)
    )
    return f'<p class="note">{esc(HEATMAP_NOTE)}</p><div class="domains-key">{items}</div>'


def table(frame: pd.DataFrame, columns: list[tuple[str, str, str]], table_id: str) -> str:
    """A plain table: ``columns`` is (column, heading, kind) with kind text, num, pct,
    score, date, grade or flag."""
    if frame.empty:
        return '<p class="note">Nothing to show for this period.</p>'
    heads = "".join(
        f'<th class="{"num" if kind in ("num", "pct", "score") else ""}">{esc(h)}</th>'
        for _, h, kind in columns
    )
    rows = []
    for r in frame.itertuples(index=False):
        cells = []
        for col, _, kind in columns:
            v = getattr(r, col)
            if kind == "num":
                cells.append(f'<td class="num">{esc(v)}</td>')
            elif kind == "pct":
                cells.append(f'<td class="num">{_pct(v)}</td>')
            elif kind == "score":
                cells.append(f'<td class="num">{_num(v)}</td>')
            elif kind == "date":
                cells.append(f"<td>{'—' if pd.isna(v) else f'{v:%-d %b %Y}'}</td>")
            elif kind == "grade":
                cells.append(f"<td>{grade_tag(v)}</td>")
            elif col == columns[0][0]:
                cells.append(f'<td style="white-space:nowrap">{esc(v)}</td>')
            else:
                cells.append(f"<td>{esc(v)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="grid" id="{esc(table_id)}"><thead><tr>{heads}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def per_period(counts: pd.DataFrame) -> str:
    """Observations per chair (rows) and period (columns)."""
    if counts.empty:
        return '<p class="note">No chairs.</p>'
    heads = "".join(f'<th class="num">{esc(c)}</th>' for c in counts.columns)
    rows = "".join(
        f"<tr><td>{esc(chair)}</td>"
        + "".join(f'<td class="num">{int(v) if v else "·"}</td>' for v in r)
        + "</tr>"
        for chair, r in zip(counts.index, counts.to_numpy().tolist(), strict=True)
    )
    return (
        '<table class="grid" id="observations-per-period"><thead><tr><th>Chair</th>'
        f"{heads}</tr></thead><tbody>{rows}</tbody></table>"
    )


def overdue(frame: pd.DataFrame, months: int) -> str:
    """Chairs flagged when not observed within ``months`` months."""
    if frame.empty:
        return '<p class="note">No chairs.</p>'
    rows = []
    for r in frame.itertuples():
        if r.overdue:
            flag = (
                f'<span class="tag overdue">Not observed in {months} months</span>'
                if not pd.isna(r.last_observed)
                else '<span class="tag overdue">Never observed</span>'
            )
        else:
            flag = f'<span class="tag ok">Observed within {months} months</span>'
        last = "—" if pd.isna(r.last_observed) else f"{r.last_observed:%-d %b %Y}"
        since = "—" if pd.isna(r.months_since) else f"{int(r.months_since)}"
        rows.append(
            f'<tr class="{"flagged" if r.overdue else ""}"><td>{esc(r.chair)}</td>'
            f'<td>{last}</td><td class="num">{since}</td><td>{flag}</td></tr>'
        )
    n = int(frame["overdue"].sum())
    lead = (
        f"<p><b>{n} chair{'s' if n != 1 else ''}</b> not observed within {months} months.</p>"
        if n
        else f"<p>Every chair has been observed within {months} months.</p>"
    )
    return (
        f'{lead}<table class="grid" id="not-observed"><thead><tr><th>Chair</th>'
        '<th>Last observed</th><th class="num">Months since</th><th>Flag</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def below_good(frame: pd.DataFrame, framework: Framework) -> str:
    if frame.empty:
        return '<p class="note">No criterion was rated below Good in this period.</p>'
    titles = {d.id: d.heading for d in framework.domains}
    rows = "".join(
        f"<tr><td>{esc(titles.get(r.domain, r.domain))}</td><td>{esc(r.text)}</td>"
        f'<td class="num">{r.below_good} of {r.rated}</td><td class="num">{r.share:.0%}</td>'
        f'<td class="num">{r.inadequate}</td></tr>'
        for r in frame.itertuples()
    )
    return (
        '<table class="grid" id="below-good"><thead><tr><th>Domain</th><th>Criterion</th>'
        '<th class="num">Below Good</th><th class="num">Share</th>'
        '<th class="num">Inadequate</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def trend_chart(trend: pd.DataFrame, framework: Framework, chair: str) -> str:
    """The chair's overall judgements over time, and the mean of the criteria, as a chart
    (an embedded PNG with a text alternative) and a table of the grades by domain."""
    if trend.empty:
        return f'<p class="note">{esc(chair)} has no submitted observations yet.</p>'
    from matplotlib.figure import Figure

    domain_ids = [d.id for d in framework.domains]
    criteria_mean = trend[[d for d in domain_ids if d in trend]].mean(axis=1)
    fig = Figure(figsize=(8.2, 3.1), dpi=110)
    ax = fig.add_subplot()
    dates = pd.to_datetime(trend["date"])
    ax.plot(dates, trend["overall_score"], marker="o", linewidth=2.2, color="#1d70b8",
            label="Overall judgement")  # fmt: skip
    ax.plot(dates, criteria_mean, marker="s", linewidth=1.2, linestyle="--", color="#505a5f",
            label="Mean of the criteria")  # fmt: skip
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
    img = (
        f'<img class="chart" id="trend-chart" src="data:image/png;base64,{data}" '
        f'alt="{esc(chair)}, overall judgements: {esc(words)}">'
    )
    heads = "".join(f'<th title="{esc(d.title)}">{esc(d.heading)}</th>' for d in framework.domains)
    rows = []
    for r in trend.itertuples(index=False):
        cells = "".join(
            f"<td>{_grade_words(getattr(r, d))}</td>" for d in domain_ids if hasattr(r, d)
        )
        rows.append(
            f"<tr><td>{r.date:%-d %b %Y}</td><td>{grade_tag(r.overall_judgement)}</td>{cells}</tr>"
        )
    table_html = (
        '<table class="grid" id="trend-table"><thead><tr><th>Date</th><th>Overall</th>'
        f"{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return img + table_html


def _grade_words(mean: float) -> str:
    if mean is None or pd.isna(mean):
        return "—"
    return f"{esc(grade_for_score(float(mean)).short)} ({mean:.1f})"


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
        who=frame["respondent"].map(lambda r: feedback.RESPONDENT_LABELS.get(r, r))
    )
    return table(
        frame,
        [("who", "From", "text"), ("text", "Question", "text"), ("answers", "Answers", "num"),
         ("mean_score", "Mean (1-5)", "score"), ("positive_pct", "Agree %", "pct")],
        "feedback-by-question",
    )  # fmt: skip


def feedback_sought(frame: pd.DataFrame, limit: int = 200) -> str:
    """Each meeting a chair held: was feedback sought, and what came back."""
    if frame.empty:
        return '<p class="note">No conferences held in this period.</p>'
    shown = frame.head(limit).assign(
        sought_words=[
            "Yes" if s else ("No" if rec else "Not recorded")
            for s, rec in zip(frame.head(limit)["sought"], frame.head(limit)["recorded"],
                              strict=True)
        ],
        kind=frame.head(limit)["type"].map(lambda t: str(t).replace("_", "-").capitalize()),
    )  # fmt: skip
    out = table(
        shown,
        [("held_date", "Held", "date"), ("kind", "Type", "text"), ("children", "Children", "text"),
         ("sought_words", "Feedback sought", "text"), ("child", "Children's", "num"),
         ("parent", "Parents'", "num"), ("professional", "Professionals'", "num")],
        "feedback-sought",
    )  # fmt: skip
    if len(frame) > limit:
        out += f'<p class="note">The {limit} most recent of {len(frame)} conferences.</p>'
    return out
