"""The feedback page's HTML: the macros of ``cptrack/render/templates/feedback/bits.html``."""

from __future__ import annotations

from cptrack.render.templating import macro


def piece(name: str, *args) -> str:
    """The macro ``name`` of templates/feedback/bits.html, as HTML (its text escaped)."""
    return str(macro("feedback/bits.html", name)(*args))
