"""The escalation log page (``escalations.ipynb``): every escalation (open ones by default),
and the panel (``panel.EscalationPanel``) for the child picked. The form is
``form.EscalationForm``; the HTML comes from ``html`` (templates)."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import pandas as pd

from cptrack.apps import parts
from cptrack.apps.escalation import html
from cptrack.apps.escalation.panel import EscalationPanel
from cptrack.apps.widgets import Banner, guarded, open_store, primary, query_params, style
from cptrack.caseload import load
from cptrack.casework import escalation_log
from cptrack.domain.models import today
from cptrack.rules import profiles
from cptrack.rules.profiles import Profile
from cptrack.storage import settings
from cptrack.storage.connection import StoreError
from cptrack.storage.store import Store


class EscalationLogApp:
    """The escalation log page: every escalation, the open ones first, and one child's
    panel to open or answer an escalation."""

    def __init__(
        self,
        store: Store,
        profile: Profile,
        as_of: dt.date | None = None,
        child_id: str | None = None,
    ):
        self.store = store
        self.profile = profile
        self.as_of = as_of or today()
        self.banner = Banner()
        self.only_open = widgets.Checkbox(
            value=True, description="Open escalations only", indent=False
        )
        self.only_open.observe(lambda _c: self.refresh(), names="value")
        self.table = widgets.HTML("")
        self.child = widgets.Text(
            placeholder="Child ID, e.g. C000015", layout=widgets.Layout(width="240px")
        )
        self.go = primary(
            widgets.Button(
                description="Show this child's escalations", layout=widgets.Layout(width="auto")
            )
        )
        self.go.on_click(guarded(self.banner, "open the child")(lambda _b: self.open_child()))
        self.panel_box = widgets.VBox([])
        self.panel: EscalationPanel | None = None
        authority = settings.get("authority_name", store)
        header = widgets.HTML(html.header(authority, profile.name, f"{self.as_of:%-d %B %Y}"))
        self.widget = widgets.VBox(
            [
                style(),
                header,
                self.only_open,
                self.table,
                parts.section(
                    "Open or answer an escalation",
                    "Choose a child to see their "
                    "escalations, open a new one, or record a response and outcome.",
                ),
                parts.buttons(self.child, self.go),
                self.banner,
                self.panel_box,
            ]
        )
        self.widget.layout.max_width = parts.APP_WIDTH
        self.refresh()
        if child_id:
            self.child.value = child_id
            self.open_child()

    def refresh(self) -> None:
        caseload = load(self.store)
        rows = escalation_log.log(
            caseload, self.profile, self.as_of, open_only=self.only_open.value
        )
        late = rows["finding_status"] == "overdue"
        rows = pd.concat([rows[late], rows[~late]])
        n = len(rows)
        summary = (
            f"{n} {'open ' if self.only_open.value else ''}escalation{'s' if n != 1 else ''}"
            f"; {int(late.sum())} with the response overdue."
        )
        self.table.value = html.log_table(rows, table_id="escalation-log", summary=summary)

    def open_child(self) -> None:
        child_id = self.child.value.strip()
        if self.store.get("children", child_id) is None:
            self.banner.bad(f"There is no child with ID {child_id!r}.")
            return
        self.banner.clear()
        self.panel = EscalationPanel(
            self.store,
            self.profile,
            child_id,
            as_of=self.as_of,
            title=f"Escalations for {child_id}",
            on_saved=self.refresh,
        )
        self.panel_box.children = [self.panel.widget]

    @classmethod
    def from_environment(cls) -> EscalationLogApp | parts.Unavailable:
        """The page as Voila serves it: the database and profile from the settings, a child
        from ``?child=``; a clear message when the database cannot be opened."""
        try:
            store = open_store()
            profile = profiles.load(settings.get("profile", store))
        except (StoreError, profiles.ProfileError) as exc:
            return parts.unavailable(f"The escalation log cannot open: {exc}")
        return cls(store, profile, child_id=query_params().get("child"))
