"""The QA dashboard page's HTML: the macros of ``cptrack/render/templates/qa_dashboard/bits.html``."""

from __future__ import annotations

from cptrack.render.templating import macro


def piece(name: str, *args) -> str:
    """The macro ``name`` of templates/qa_dashboard/bits.html, as HTML (its text escaped)."""
    return str(macro("qa_dashboard/bits.html", name)(*args))
