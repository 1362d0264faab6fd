"""The case-tracking page: scope, summary, filters and the caseload table (built from
``casework.tracking.dashboard``), and a second tab for one child (``child.ChildView``).

Clicking a child id in the caseload fills the "Open a child" box and the child opens in the
second tab (the link is also a deep link, ``?child=ID``, for a new tab). The HTML comes from
``html`` (templates); nothing here computes a date or writes SQL.
"""

from __future__ import annotations

import base64
import datetime as dt

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.apps.tracking import html
from cptrack.apps.tracking.child import ChildView
from cptrack.apps.widgets import (
    Banner,
    ReportDownload,
    form_piece,
    guarded,
    open_store,
    primary,
    query_params,
    style,
)
from cptrack.casework.tracking import child as child_file
from cptrack.casework.tracking import dashboard
from cptrack.casework.tracking.child import REPORT_FORMATS
from cptrack.casework.tracking.words import CATEGORY_WORDS
from cptrack.domain.models import today
from cptrack.rules import profiles
from cptrack.rules.profiles import Profile
from cptrack.storage import settings
from cptrack.storage.connection import StoreError
from cptrack.storage.store import Store

PAGE_SIZES = {100: "100 most urgent", 250: "250 most urgent", 0: "All"}
AMBER_CHOICES = (3, 5, 10, 15, 20)


class TrackingApp:
    """The case-tracking page: scope, summary, filters, the caseload table; the child tab."""

    def __init__(
        self,
        store: Store,
        profile: Profile,
        as_of: dt.date | None = None,
        *,
        chair_id: int | None = None,
        team_id: int | None = None,
        child_id: str | None = None,
    ):
        self.store = store
        self.base_profile = profile
        self.profile = profile
        self.as_of = as_of or today()
        self.banner = Banner()
        self.chairs = dashboard.chairs(store)
        teams = self.chairs.dropna(subset=["team_id"]).drop_duplicates("team_id")
        self.team = widgets.Dropdown(
            options=[("All teams", 0)] + [(t.team, int(t.team_id)) for t in teams.itertuples()],
            value=team_id if team_id in set(teams["team_id"]) else 0,
            description="Team",
        )
        self.chair = widgets.Dropdown(description="Chair", layout=widgets.Layout(width="330px"))
        self._chair_options(chair_id)
        self.profile_pick = widgets.Dropdown(
            options=[(n, n) for n in profiles.available()]
            + ([] if profile.id in profiles.available() else [(profile.name, profile.id)]),
            value=profile.id,
            description="Standards",
        )
        self.as_of_pick = widgets.DatePicker(
            value=self.as_of, description="As of", layout=widgets.Layout(width="250px")
        )
        amber = int(profile.settings["amber_window_wd"])
        self.amber = widgets.Dropdown(
            options=[(f"{n} working days", n) for n in sorted({*AMBER_CHOICES, amber})],
            value=amber,
            description="Amber within",
            style={"description_width": "initial"},
        )
        self.rag = widgets.ToggleButtons(
            options=[
                ("Any", "any"),
                ("Red: overdue", "red"),
                ("Amber: due soon", "amber"),
                ("Green: on track", "green"),
            ],
            value="any",
            style={"button_width": "130px"},
        )
        self.category = widgets.Dropdown(
            options=[("Any category", "")] + [(w, k) for k, w in CATEGORY_WORDS.items()],
            value="",
            layout=widgets.Layout(width="200px"),
        )
        self.sw_team = widgets.Dropdown(
            options=[("Any social work team", 0)], layout=widgets.Layout(width="280px")
        )
        self.drift = widgets.Checkbox(
            description="Drift alerts only", indent=False, layout=widgets.Layout(width="auto")
        )
        self.limit = widgets.Dropdown(
            options=[(w, n) for n, w in PAGE_SIZES.items()],
            value=100,
            description="Show",
            layout=widgets.Layout(width="230px"),
        )
        self.summary = widgets.HTML("")
        self.table = widgets.HTML("")
        self.child_id = widgets.Text(
            placeholder="Child ID, e.g. C000015",
            continuous_update=False,
            layout=widgets.Layout(width="220px"),
        )
        self.child_id.add_class("cpt-open-child")
        self.open_button = primary(
            widgets.Button(description="Open the child", layout=widgets.Layout(width="auto"))
        )
        self.calendar_button = widgets.Button(
            description="Calendar of due dates (.ics)", layout=widgets.Layout(width="auto")
        )
        self.calendar_link = widgets.HTML("")
        self.download = ReportDownload(
            self.banner,
            lambda: child_file.report_request(
                self.store,
                self.profile,
                self.as_of,
                chair_id=self.chair.value or None,
                team_id=self.team.value or None,
                filtered=self._filtered(),
            ),
            REPORT_FORMATS["chair_caseload"],
        )
        self.child_view = ChildView(self)
        self.open_button.on_click(
            guarded(self.banner, "open the child")(lambda _b: self._open_clicked())
        )
        self.child_id.observe(self._typed, names="value")
        self.calendar_button.on_click(
            guarded(self.banner, "make the calendar")(lambda _b: self.make_calendar())
        )
        self.team.observe(lambda _c: self._team_changed(), names="value")
        for w in (self.chair, self.profile_pick, self.as_of_pick, self.amber):
            w.observe(lambda _c: self.reload(), names="value")
        for w in (self.rag, self.category, self.sw_team, self.drift, self.limit):
            w.observe(lambda _c: self.show_table(), names="value")
        authority = settings.get("authority_name", store)
        self.header = widgets.HTML(html.header(authority))
        scope = widgets.HBox(
            [self.team, self.chair, self.profile_pick],
            layout=widgets.Layout(gap="8px", flex_flow="row wrap"),
        )
        scope2 = widgets.HBox(
            [self.as_of_pick, self.amber, self.calendar_button, self.calendar_link],
            layout=widgets.Layout(gap="8px", flex_flow="row wrap"),
        )
        filters = widgets.HBox(
            [self.rag, self.category, self.sw_team, self.drift, self.limit],
            layout=widgets.Layout(gap="8px", flex_flow="row wrap"),
        )
        for box in (scope, scope2, filters):
            box.add_class("cpt-controls")
        caseload_tab = widgets.VBox(
            [
                self.summary,
                self.download.widget,
                widgets.HTML(form_piece("label", "Filter")),
                filters,
                self.table,
            ]
        )
        self.tabs = widgets.Tab(children=[caseload_tab, self.child_view.widget])
        self.tabs.titles = ("Caseload", "Child")
        self.tabs.add_class("cpt-tabs")
        self.widget = widgets.VBox(
            [
                style(),
                self.header,
                scope,
                scope2,
                widgets.HBox(
                    [widgets.HTML(html.open_label()), self.child_id, self.open_button],
                    layout=widgets.Layout(gap="8px"),
                ),
                self.banner,
                self.tabs,
            ]
        )
        self.widget.add_class("cpt-tracking")
        self.widget.layout.max_width = "1280px"
        self.reload()
        if child_id:
            self.open_child(child_id)

    # -- scope -------------------------------------------------------------

    def _chair_options(self, chair_id: int | None = None) -> None:
        team = self.team.value
        rows = self.chairs if not team else self.chairs[self.chairs["team_id"] == team]
        label = "All chairs" if not team else "All chairs in the team"
        options = [(label, 0)] + [(r.name, int(r.id)) for r in rows.itertuples()]
        self._quiet = True
        self.chair.options = options
        self.chair.value = chair_id if chair_id in [v for _, v in options] else 0
        self._quiet = False

    def _team_changed(self) -> None:
        self._chair_options(self.chair.value or None)
        self.reload()

    def reload(self) -> None:
        """Read the caseload again (scope, standards, date or amber window changed)."""
        if getattr(self, "_quiet", False):
            return
        try:
            base = (
                self.base_profile
                if self.profile_pick.value == self.base_profile.id
                else profiles.load(self.profile_pick.value)
            )
            amber = int(self.amber.value)
            self.profile = (
                base
                if amber == base.settings["amber_window_wd"]
                else profiles.with_settings(base, amber_window_wd=amber)
            )
        except profiles.ProfileError as exc:
            self.banner.bad(f"Those standards cannot be used: {exc}")
            return
        self.as_of = self.as_of_pick.value or today()
        self.refresh()

    def refresh(self) -> None:
        self.dash = dashboard.dashboard(
            self.store,
            self.profile,
            self.as_of,
            chair_id=self.chair.value or None,
            team_id=self.team.value or None,
        )
        teams = self.dash.rows.dropna(subset=["team_id"]).drop_duplicates("team_id")
        teams = teams.sort_values("team_id")
        current = self.sw_team.value
        self.sw_team.options = [("Any social work team", 0)] + [
            (t.team, int(t.team_id)) for t in teams.itertuples()
        ]
        self.sw_team.value = current if current in [v for _, v in self.sw_team.options] else 0
        self.calendar_link.value = ""
        self.download.forget()
        self.show_table()

    def show_table(self) -> None:
        rows = self.dash.filtered(
            rag=self.rag.value,
            category=self.category.value or None,
            team=self.sw_team.value or None,
            drift_only=self.drift.value,
        )
        who = (
            self.chair.label
            if self.chair.value
            else self.team.label
            if self.team.value
            else "All chairs"
        )
        # The table first: the scope line's change is the sign that the page has updated.
        self.table.value = html.dashboard_table(
            rows, with_chair=not self.chair.value, limit=self.limit.value
        )
        self.summary.value = html.summary(
            self.dash.summary(rows),
            who=who,
            profile=self.profile.name,
            as_of=self.as_of,
            amber=self.profile.settings["amber_window_wd"],
            shown=len(rows),
            total=len(self.dash.rows),
        )

    def _filtered(self) -> bool:
        return bool(
            self.rag.value != "any" or self.category.value or self.sw_team.value or self.drift.value
        )

    # -- the child ---------------------------------------------------------

    def _open_clicked(self) -> None:
        # Leaving the box (to click) has usually opened the child already: show them.
        typed = self.child_id.value.strip()
        file = self.child_view.file
        if file is not None and typed == file.child_id:
            self.tabs.selected_index = 1
            return
        self.open_child(typed)

    def _typed(self, change) -> None:
        value = (change["new"] or "").strip()
        if value:
            guarded(self.banner, "open the child")(self.open_child)(value)

    def open_child(self, child_id: str | None) -> None:
        child_id = (child_id or "").strip()
        if not child_id:
            self.banner.bad("Type a child ID, or click one in the caseload.")
            return
        if self.store.get("children", child_id) is None:
            self.banner.bad(f"There is no child with ID {child_id!r}.")
            return
        self.banner.clear()
        self.child_view.open(child_id)
        self.tabs.titles = ("Caseload", f"Child {child_id}")
        self.tabs.selected_index = 1

    # -- calendar ----------------------------------------------------------

    def make_calendar(self) -> None:
        from cptrack.interchange import ics  # here: only a download pays for icalendar

        caseload = dashboard.scoped_caseload(
            self.store, chair_id=self.chair.value or None, team_id=self.team.value or None
        )
        who = self.chair.label if self.chair.value else "all chairs"
        data, n = ics.chair_calendar(caseload, self.profile, self.as_of, chair=who)
        name = (
            f"cptrack-due-{'chair-' + str(self.chair.value) if self.chair.value else 'all'}"
            f"-{self.as_of:%Y%m%d}.ics"
        )
        href = "data:text/calendar;charset=utf-8;base64," + base64.b64encode(data).decode()
        self.calendar_link.value = html.calendar_link(name, href, n, ics.DEFAULT_DAYS)

    @classmethod
    def from_environment(cls) -> TrackingApp | parts.Unavailable:
        """The page as Voila serves it: database, profile and default chair from the
        settings; ``?chair=ID``, ``?team=ID`` and ``?child=ID`` from the query string."""
        try:
            store = open_store()
            profile = profiles.load(settings.get("profile", store))
        except (StoreError, profiles.ProfileError) as exc:
            return parts.unavailable(f"Case tracking cannot open: {exc}")
        q = query_params()
        chair = q.get("chair", "") or str(settings.get("chair", store) or "")
        chair_id = _chair_id(store, chair)
        team = int(q["team"]) if q.get("team", "").isdigit() else None
        child = q.get("child")
        if child and chair_id is None and not q.get("chair"):
            row = store.get("children", child)
            chair_id = row.get("chair_id") if row else None
        return cls(store, profile, chair_id=chair_id, team_id=team, child_id=child)


def _chair_id(store: Store, value: str) -> int | None:
    if not value or value == "all":
        return None
    for s in store.rows("staff", role="chair"):
        if str(s["id"]) == value or s["name"].casefold() == value.casefold():
            return s["id"]
    return None
