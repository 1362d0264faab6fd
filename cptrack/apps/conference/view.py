"""The conference page: pick a conference, prepare it (``preparation.PreparationView``),
record it (``record.RecordView``), and the child's escalations.

The HTML comes from ``html`` (templates); nothing here computes a timescale or writes to the
database.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.apps.conference import html
from cptrack.apps.conference.preparation import PreparationView
from cptrack.apps.conference.record import RecordView
from cptrack.apps.escalation.panel import EscalationPanel
from cptrack.apps.widgets import Banner, guarded, open_store, primary, query_params, style
from cptrack.casework.conference import agenda
from cptrack.domain.models import today
from cptrack.rules import profiles
from cptrack.rules.profiles import Profile
from cptrack.storage import settings
from cptrack.storage.connection import StoreError
from cptrack.storage.store import Store


class ConferenceApp:
    """Choose a conference; prepare it and record it."""

    def __init__(
        self,
        store: Store,
        profile: Profile,
        as_of: dt.date | None = None,
        *,
        chair_id: int | None = None,
        conference_id: int | None = None,
    ):
        self.store = store
        self.profile = profile
        self.as_of = as_of or today()
        self.banner = Banner()
        chairs = {s["id"]: s["name"] for s in store.rows("staff", role="chair")}
        self.chair = widgets.Dropdown(
            options=[("All chairs", 0)] + [(n, i) for i, n in chairs.items()],
            value=chair_id if chair_id in chairs else 0,
            description="Chair",
        )
        self.chair.observe(lambda _c: self.refresh(), names="value")
        self.picker = widgets.Dropdown(options=[], layout=widgets.Layout(width="640px"))
        self.open_button = primary(
            widgets.Button(description="Open", layout=widgets.Layout(width="auto"))
        )
        self.open_button.on_click(
            guarded(self.banner, "open the conference")(lambda _b: self.open(self.picker.value))
        )
        self.body = widgets.VBox([])
        self.preparation: PreparationView | None = None
        self.record: RecordView | None = None
        self.tabs: widgets.Tab | None = None
        authority = settings.get("authority_name", store)
        header = parts.header(
            "Conference preparation and record", authority, profile.name, f"{self.as_of:%-d %B %Y}"
        )
        self.widget = widgets.VBox(
            [
                style(),
                header,
                parts.section(
                    "Choose a conference",
                    "Booked in the next six weeks (or not yet "
                    "recorded), soonest first; then those held in the last 60 days. Any "
                    "conference opens from its link: conference.ipynb?conference=ID.",
                ),
                widgets.HBox([self.chair]),
                widgets.HBox([self.picker, self.open_button], layout=widgets.Layout(gap="10px")),
                self.banner,
                self.body,
            ]
        )
        self.widget.layout.max_width = parts.APP_WIDTH
        self.refresh()
        if conference_id is not None:
            self.open(conference_id)

    def refresh(self) -> None:
        rows = agenda.conferences(self.store, self.as_of, chair_id=self.chair.value or None)
        options = [(agenda.label(r), int(r["id"])) for _, r in rows.iterrows()] or [
            ("No conferences", "")
        ]
        self.picker.options = options
        self.picker.value = options[0][1]

    def open(self, conference_id: int | str | None) -> None:
        if not conference_id:
            self.banner.bad("Choose a conference.")
            return
        file = agenda.open_conference(self.store, int(conference_id), self.profile, self.as_of)
        self.banner.clear()
        self.preparation = PreparationView(self.store, file)
        self.card = widgets.HTML(html.card(file))
        self.record = RecordView(self.store, file, on_saved=self._recorded)
        self.tabs = widgets.Tab(children=[self.preparation.widget, self.record.widget])
        self.tabs.titles = ("Preparation", "Record")
        self.tabs.add_class("cpt-tabs")
        if file.held or file.conference.get("stood_down"):
            self.tabs.selected_index = 1
        plan = file.plan()
        self.escalations = EscalationPanel(
            self.store,
            self.profile,
            file.child_id,
            plan_id=plan["id"] if plan else None,
            raised_by=file.conference.get("chair_id"),
            source_kind="conference",
            source_record_id=file.id,
            as_of=self.as_of,
            title="Escalations for this child",
        )
        self.body.children = [self.card, self.tabs, self.escalations.widget]
        if int(conference_id) in [v for _, v in self.picker.options]:
            self.picker.value = int(conference_id)

    def _recorded(self, file: agenda.ConferenceFile) -> None:
        """After a record is saved: the card shows the plan, the list the conference held."""
        self.card.value = html.card(file)
        self.refresh()
        if file.id in [v for _, v in self.picker.options]:
            self.picker.value = file.id

    @classmethod
    def from_environment(cls) -> ConferenceApp | parts.Unavailable:
        """The page as Voila serves it; ``?conference=ID`` opens one, ``?chair=ID`` narrows
        the list."""
        try:
            store = open_store()
            profile = profiles.load(settings.get("profile", store))
        except (StoreError, profiles.ProfileError) as exc:
            return parts.unavailable(f"The conference app cannot open: {exc}")
        q = query_params()
        conference = int(q["conference"]) if q.get("conference", "").isdigit() else None
        chair = int(q["chair"]) if q.get("chair", "").isdigit() else None
        return cls(store, profile, chair_id=chair, conference_id=conference)
