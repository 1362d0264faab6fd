"""The observation page's HTML: the macros of ``cptrack/render/templates/observation/bits.html``."""

from __future__ import annotations

from cptrack.render.templating import macro


def piece(name: str, *args) -> str:
    """The macro ``name`` of templates/observation/bits.html, as HTML (its text escaped)."""
    return str(macro("observation/bits.html", name)(*args))
