"""Static HTML for reports: tables, tags and figures, from the templates in
``cptrack/render/templates/reports/`` (every value from the database escaped).

Reports are read on paper as much as on screen, so the stylesheet keeps tables whole where it
can (a row is never split across pages, the header row repeats on each page) and every figure
is an image with its title and axis labels drawn in.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
from markupsafe import Markup

from cptrack.render import style
from cptrack.render.style import esc
from cptrack.render.templating import macro
from cptrack.reports.context import day

CSS = style.CSS  # the one stylesheet, shared with the apps (rules for reports under .rpt)

RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}
_PIECES = "reports/pieces.html"


def tag(colour: str, words: str) -> str:
    """A coloured label that says its meaning in words too."""
    return str(macro(_PIECES, "tag")(colour, words))


def rag(colour: Any, words: Any = None) -> str:
    if colour is None or pd.isna(colour) or not str(colour):
        return esc(words) if words is not None else ""
    colour = str(colour)
    label = RAG_WORDS.get(colour, colour)
    return tag(colour, f"{label}: {words}" if words else label)


def rag_and(colour: Any, words: Any, more: Any) -> str:
    """A RAG tag followed by more words (a status in full)."""
    return str(macro(_PIECES, "after")(Markup(rag(colour, words)), more))


def cell(value: Any, kind: str) -> Any:
    """A table cell's content: words (escaped by the template) or, for kind ``html``, HTML
    the report's code made (a tag, a grade) and passes as it is."""
    if kind == "html":
        return Markup("" if value is None else str(value))
    if kind == "date":
        return day(value)
    if kind in ("id", "nowrap"):
        return value
    if kind == "num":
        if value is None or pd.isna(value):
            return "—"
        if isinstance(value, float):
            return f"{value:,.0f}" if value.is_integer() else f"{value:.1f}"
        return f"{value:,}" if isinstance(value, int) else value
    if kind == "pct":
        return "—" if value is None or pd.isna(value) else f"{float(value):.1f}%"
    if kind == "yesno":
        if value is None or pd.isna(value):
            return "—"
        return "Yes" if bool(value) else "No"
    return value


Column = tuple[str, str, str]  # (column in the frame, heading, kind)


def table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    table_id: str = "",
    empty: str = "None.",
    total: dict[str, Any] | None = None,
) -> str:
    """An HTML table of ``frame``'s ``columns`` (kinds: text, num, pct, date, yesno, html).

    One table however long: printed, its header row repeats on every page and no row is cut
    in two. (Splitting long tables into chunks of 60 rows was measured: no faster to print.)
    """
    if frame is None or not len(frame):
        return note(empty)
    data = [[cell(v, kind) for v in frame[name].tolist()] for name, _, kind in columns]
    rows = list(zip(*data, strict=True))
    last = None
    if total:
        last = [
            cell(total.get(name, ""), kind) if name in total else "" for name, _, kind in columns
        ]
    return str(macro(_PIECES, "table")(list(columns), rows, table_id, last))


def key_values(pairs: Sequence[tuple[str, Any]], raw: Sequence[str] = ()) -> str:
    """A two-column table of labels and values (values in ``raw`` are HTML already)."""
    shown = [(k, Markup(v) if k in raw else v) for k, v in pairs]
    return str(macro(_PIECES, "key_values")(shown))


def figure(
    draw: Callable[[Any], None], *, width: float = 7.2, height: float = 3.0, alt: str = ""
) -> str:
    """A matplotlib figure drawn by ``draw(ax)`` as an embedded PNG (titles and labels drawn in)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    draw(ax)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    data = base64.b64encode(buf.getvalue()).decode()
    return str(macro(_PIECES, "figure")(data, alt))


def figures(html: str) -> str:
    """Figures (``figure``'s HTML) kept together on a page."""
    return str(macro(_PIECES, "figures")(Markup(html)))


def stat(label: str, value: Any, stat_id: str = "") -> str:
    return str(macro(_PIECES, "stat")(label, value, stat_id))


def note(words: str) -> str:
    """A line of explanation under a heading or a table."""
    return str(macro(_PIECES, "note")(words))


def block(heading: str, html: str) -> str:
    """A heading and its HTML (``html``, made by the report's code) kept on one page."""
    return str(macro(_PIECES, "block")(heading, Markup(html)))
