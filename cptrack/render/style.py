"""Shared look of the apps and static pages: one stylesheet, and the escaping helper.

``CSS`` is the one stylesheet (``static/cptrack.css``) as a style element: the apps show
it once per page, the reports once per document. Everything shown that came from a user or a
database is escaped: by the templates (``cptrack.render.templating``), or through ``esc``
where a few words go into a widget's own HTML.
"""

from __future__ import annotations

import html
from typing import Any

from cptrack.render.templating import missing, render, stylesheet

CSS = stylesheet()


def esc(value: Any) -> str:
    """Text for HTML: escaped, with missing values shown as an em dash."""
    if missing(value):
        return "—"
    return html.escape(str(value), quote=True)


def notice(message: str) -> str:
    """A message box for problems the user should see (never a traceback)."""
    return render("notice.html", message=message)
