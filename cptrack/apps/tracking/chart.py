"""The child's timeline: every event of the chronology on one date axis, as an SVG.

One lane per kind of event; the marker's shape and fill say its state (done, booked or due,
late, cancelled) and the legend names them, so colour is never the only signal. Open plan
periods are shaded and today is a labelled line. Only kinds and dates are drawn: no names.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from cptrack.casework.tracking.chronology import CHRONOLOGY_KINDS

STATES = {  # state: (label, marker, face, edge)
    "done": ("Done", "o", "#1d70b8", "#1d70b8"),
    "planned": ("Booked or due", "o", "#ffffff", "#0b0c0c"),
    "late": ("Late or not done", "X", "#d4351c", "#d4351c"),
    "cancelled": ("Cancelled", "s", "#b1b4b6", "#505a5f"),
}


def timeline_svg(
    chronology: pd.DataFrame, as_of: dt.date, plans: list[tuple[dt.date, dt.date | None]] = ()
) -> str:
    """The chronology as an inline SVG (a string), or "" when there is nothing to draw."""
    from matplotlib.figure import Figure  # here: only a child view pays for the import

    if chronology.empty:
        return ""
    kinds = [k for k in CHRONOLOGY_KINDS if k in set(chronology["kind"])]
    lane = {k: len(kinds) - 1 - i for i, k in enumerate(kinds)}
    first = min(chronology["date"].min(), as_of)
    last = max(chronology["date"].max(), as_of + dt.timedelta(days=30))
    pad = dt.timedelta(days=max(7, (last - first).days // 40))
    fig = Figure(figsize=(11.2, 0.45 * len(kinds) + 1.3), dpi=100)
    ax = fig.add_subplot()
    for start, end in plans:
        ax.axvspan(start, end or last + pad, color="#eef4fa", zorder=0)
    for state, (label, marker, face, edge) in STATES.items():
        rows = chronology[chronology["state"] == state]
        if rows.empty:
            continue
        ax.scatter(
            list(rows["date"]),
            [lane[k] for k in rows["kind"]],
            marker=marker,
            s=46,
            facecolors=face,
            edgecolors=edge,
            linewidths=1.2,
            label=label,
            zorder=3,
        )
    ax.axvline(as_of, color="#0b0c0c", linewidth=1.2, linestyle="--", zorder=2)
    ax.text(as_of, len(kinds) - 0.45, f" {as_of:%-d %b %Y}", fontsize=9, va="bottom")
    ax.set_yticks(range(len(kinds)), list(reversed(kinds)), fontsize=10)
    ax.set_ylim(-0.7, len(kinds) - 0.3)
    ax.set_xlim(first - pad, last + pad)
    ax.grid(axis="y", color="#dcdcdc", linewidth=0.8, zorder=1)
    ax.tick_params(axis="x", labelsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.12), ncol=4, frameon=False, fontsize=9)
    fig.subplots_adjust(left=0.14, right=0.99, top=0.93, bottom=0.3 if len(kinds) < 5 else 0.2)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]
