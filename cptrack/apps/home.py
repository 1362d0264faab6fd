"""The home page: caseload size per chair, and links to the apps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cptrack.apps import APPS
from cptrack.caseload import chair_summary
from cptrack.domain.models import today as clock_today
from cptrack.render import templating
from cptrack.render.style import notice
from cptrack.storage import settings
from cptrack.storage.connection import StoreError
from cptrack.storage.store import Store


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
    summary = chair_summary(store, today)
    unallocated = summary.attrs.get("unallocated", 0)
    totals = {k: int(v) for k, v in summary[["children", "on_plan", "awaiting_icpc"]].sum().items()}
    totals["children"] += unallocated
    return templating.render(
        "home.html",
        authority=settings.get("authority_name", store),
        today=today,
        apps=[
            app
            for app in APPS
            if (notebooks / app.notebook).exists() and (admin or not app.admin_only)
        ],
        chairs=list(summary.itertuples()),
        unallocated=unallocated,
        totals=totals,
    )


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
