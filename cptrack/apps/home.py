"""The home page: caseload size per chair, and links to the apps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cptrack import settings
from cptrack.apps import APPS
from cptrack.caseload import chair_summary
from cptrack.models import today as clock_today
from cptrack.render.style import esc, notice, page
from cptrack.store import Store, StoreError


def render(
    store: Store,
    notebooks: Path | None = None,
    today: dt.date | None = None,
    admin: bool = True,
) -> str:
    """The home page as HTML (static: it shows the same in Voila and in a report). An
    admin's pages (staff and roles) are linked only when ``admin``."""
    notebooks = notebooks or Path.cwd()
    today = today or clock_today()
    authority = settings.get("authority_name", store)
    summary = chair_summary(store)
    rows = "".join(
        f"<tr><td>{esc(r.chair)}</td><td>{esc(r.team)}</td>"
        f'<td class="num">{r.children}</td><td class="num">{r.on_plan}</td>'
        f'<td class="num">{r.awaiting_icpc}</td></tr>'
        for r in summary.itertuples()
    )
    totals = summary[["children", "on_plan", "awaiting_icpc"]].sum()
    unallocated = summary.attrs.get("unallocated", 0)
    if unallocated:
        rows += (
            f'<tr><td><em>No chair allocated</em></td><td></td><td class="num">{unallocated}'
            "</td><td></td><td></td></tr>"
        )
    rows += (
        f'<tr class="total"><td>All chairs</td><td></td>'
        f'<td class="num">{int(totals["children"]) + unallocated}</td>'
        f'<td class="num">{int(totals["on_plan"])}</td>'
        f'<td class="num">{int(totals["awaiting_icpc"])}</td></tr>'
    )
    cards = "".join(
        f'<div class="card"><a href="{esc(app.notebook)}">{esc(app.title)}</a>'
        f'<p>{esc(app.description)}</p><div class="who">For: {esc(app.audience)}</div></div>'
        for app in APPS
        if (notebooks / app.notebook).exists() and (admin or not app.admin_only)
    )
    apps = (
        f'<h2>Apps</h2><div class="cards">{cards}</div>'
        if cards
        else '<h2>Apps</h2><p class="note">No apps are installed in this folder yet.</p>'
    )
    body = (
        f"<h1>cptrack</h1>"
        f'<p class="sub">{esc(authority)} · caseloads on {today:%-d %B %Y}</p>'
        f"{apps}"
        "<h2>Caseload by chair</h2>"
        '<table class="grid" id="chair-caseloads"><thead><tr><th>Chair</th><th>Team</th>'
        '<th class="num">Children</th><th class="num">On a plan</th>'
        '<th class="num">Awaiting initial conference</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return page(body)


def show() -> None:
    """Display the home page in a notebook, or a clear message when it cannot open."""
    from IPython.display import HTML, display

    from cptrack.apps.widgets import open_store
    from cptrack.casework import staff

    try:
        with open_store() as store:
            display(HTML(render(store, admin=staff.viewer(store).may_change)))
    except StoreError as exc:
        display(HTML(notice(f"cptrack cannot open its database: {exc}")))
