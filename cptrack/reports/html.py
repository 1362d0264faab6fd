"""Static HTML for reports: tables, tags and figures, every value from the database escaped.

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

from cptrack.render import style
from cptrack.render.style import esc
from cptrack.reports.context import day

CSS = style.CSS  # the one stylesheet, shared with the apps (rules for reports under .rpt)

RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}


def tag(colour: str, words: str) -> str:
    """A coloured label that says its meaning in words too."""
    colour = colour if colour in ("red", "amber", "green") else "grey"
    return f'<span class="tag {colour}">{esc(words)}</span>'


def rag(colour: Any, words: Any = None) -> str:
    if colour is None or pd.isna(colour) or not str(colour):
        return esc(words) if words is not None else ""
    colour = str(colour)
    label = RAG_WORDS.get(colour, colour)
    return tag(colour, f"{label}: {words}" if words else label)


def cell(value: Any, kind: str) -> str:
    if kind == "html":
        return "" if value is None else str(value)
    if kind == "date":
        return esc(day(value))
    if kind in ("id", "nowrap"):
        return esc(value)
    if kind == "num":
        if value is None or pd.isna(value):
            return "—"
        if isinstance(value, float):
            return esc(f"{value:,.0f}" if value.is_integer() else f"{value:.1f}")
        return esc(f"{value:,}" if isinstance(value, int) else value)
    if kind == "pct":
        return "—" if value is None or pd.isna(value) else esc(f"{float(value):.1f}%")
    if kind == "yesno":
        if value is None or pd.isna(value):
            return "—"
        return "Yes" if bool(value) else "No"
    return esc(value)


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
        return f'<p class="note">{esc(empty)}</p>'
    attr = f' id="{esc(table_id)}"' if table_id else ""
    head = "".join(
        f'<th class="{"num" if kind in ("num", "pct") else ""}">{esc(heading)}</th>'
        for _, heading, kind in columns
    )
    data = {name: frame[name].tolist() for name, _, _ in columns}
    rows = []
    for i in range(len(frame)):
        tds = "".join(
            f'<td class="{kind}">{cell(data[name][i], kind)}</td>' for name, _, kind in columns
        )
        rows.append(f"<tr>{tds}</tr>")
    if total:
        tds = "".join(
            f'<td class="{kind}">{cell(total.get(name, ""), kind) if name in total else ""}</td>'
            for name, _, kind in columns
        )
        rows.append(f'<tr class="total">{tds}</tr>')
    return (f'<table class="t"{attr}><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')  # fmt: skip


def key_values(pairs: Sequence[tuple[str, Any]], raw: Sequence[str] = ()) -> str:
    """A two-column table of labels and values (values in ``raw`` are HTML already)."""
    rows = "".join(
        f"<tr><th>{esc(k)}</th><td>{v if k in raw else esc(v)}</td></tr>" for k, v in pairs
    )
    return f'<table class="kv">{rows}</table>'


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
    return f'<img class="fig" alt="{esc(alt)}" src="data:image/png;base64,{data}">'


def stat(label: str, value: Any, stat_id: str = "") -> str:
    attr = f' id="{esc(stat_id)}"' if stat_id else ""
    return f'<div class="stat"><b{attr}>{esc(value)}</b>{esc(label)}</div>'
