"""The escalation log's HTML, through ``cptrack/render/templates/escalation/``: plain HTML from
``cptrack.casework.escalation_log.log``, tested without a browser."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from cptrack.casework.escalations import STATUS_WORDS
from cptrack.render.templating import macro, render

# The engine's verdict on a response, as a tag's colour.
FINDING_WORDS = {
    "overdue": "red",
    "due": "amber",
    "met": "green",
    "met_late": "grey",
    "cannot_tell": "amber",
}


def log_table(
    rows: pd.DataFrame, *, with_child: bool = True, table_id: str = "", summary: str = ""
) -> Markup:
    """The escalation log as one HTML table (escaped; the verdict in words and colour), with
    a line of ``summary`` above it."""
    return render(
        "escalation/log.html",
        rows=list(rows.itertuples()),
        with_child=with_child,
        table_id=table_id,
        summary=summary,
        status_words=STATUS_WORDS,
        kinds=FINDING_WORDS,
    )


def header(authority: str, profile: str, day: str) -> Markup:
    return macro("escalation/bits.html", "header")(authority, profile, day)
