"""The staff and roles page's HTML, through the templates in
``cptrack/render/templates/staff/``: plain HTML, tested without a browser."""

from __future__ import annotations

from markupsafe import Markup

from cptrack.casework import staff as sm
from cptrack.render.templating import macro

_BITS = "staff/bits.html"


def header(authority: str, viewer: str) -> Markup:
    return macro(_BITS, "header")(authority, viewer)


def login_help() -> Markup:
    return macro(_BITS, "login_help")()


def role_may(role: str | None) -> Markup:
    """What someone in ``role`` may change (nothing when no role is chosen)."""
    if not role:
        return Markup("")
    return macro(_BITS, "role_may")(
        sm.with_article(sm.ROLE_CHOICES[role], capital=True), sm.ROLE_MAY[role]
    )


def staff_table(rows: list[sm.StaffRow]) -> Markup:
    return macro(_BITS, "table")(rows)
