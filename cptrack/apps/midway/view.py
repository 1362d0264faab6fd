"""The midway review page: who is due (``casework.midway.due.due_list``, the engine's midway
findings), and the form for one child (``form.MidwayForm``). The HTML comes from ``html``
(templates); nothing here computes a date or writes to the database.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.apps.midway import html
from cptrack.apps.midway.form import MidwayForm
from cptrack.apps.widgets import Banner, guarded, open_store, primary, query_params, style
from cptrack.caseload import load
from cptrack.casework.midway import due as midway_due
from cptrack.casework.midway import opening as midway_opening
from cptrack.casework.midway.opening import MidwayFile
from cptrack.domain.models import today
from cptrack.rules import profiles
from cptrack.rules.profiles import Profile
from cptrack.storage import settings
from cptrack.storage.connection import StoreError
from cptrack.storage.store import Store

WINDOWS = {10: "2 weeks", 20: "4 weeks", 40: "8 weeks"}


class MidwayApp:
    """The midway review page."""

    def __init__(
        self,
        store: Store,
        profile: Profile,
        as_of: dt.date | None = None,
        *,
        chair_id: int | None = None,
        child_id: str | None = None,
    ):
        self.store = store
        self.profile = profile
        self.as_of = as_of or today()
        self.banner = Banner()
        self.file: MidwayFile | None = None
        staff = load_staff(store)
        self.chair = widgets.Dropdown(
            options=[("All chairs", 0)] + [(n, i) for i, n in staff.items()],
            value=chair_id if chair_id in staff else 0,
            description="Chair",
        )
        self.window = widgets.Dropdown(
            options=[(w, n) for n, w in WINDOWS.items()], value=20, description="Due within"
        )
        self.listing = widgets.HTML("")
        self.picker = widgets.Dropdown(options=[], layout=widgets.Layout(width="520px"))
        self.child_id = widgets.Text(
            placeholder="or a child ID, e.g. C000001", layout=widgets.Layout(width="240px")
        )
        self.open_button = primary(
            widgets.Button(
                description="Open the midway review", layout=widgets.Layout(width="auto")
            )
        )
        self.open_button.on_click(
            guarded(self.banner, "open the review")(
                lambda _b: self.open_child(self.child_id.value.strip() or self.picker.value)
            )
        )
        self.chair.observe(lambda _c: self.refresh_list(), names="value")
        self.window.observe(lambda _c: self.refresh_list(), names="value")
        self.form_box = widgets.VBox([])
        authority = settings.get("authority_name", store)
        header = widgets.HTML(html.header(authority, profile, f"{self.as_of:%-d %B %Y}"))
        self.due = widgets.Accordion(
            children=[
                widgets.VBox(
                    [
                        widgets.HTML(
                            parts.note(
                                "Overdue first, then due within the period you choose. "
                                "Open a child's review from the list below it."
                            )
                        ),
                        widgets.HBox([self.chair, self.window]),
                        self.listing,
                    ]
                )
            ],
            selected_index=0,
        )
        self.widget = widgets.VBox(
            [
                style(),
                header,
                self.due,
                widgets.HBox(
                    [self.picker, self.child_id, self.open_button],
                    layout=widgets.Layout(gap="10px"),
                ),
                self.banner,
                self.form_box,
            ]
        )
        self.widget.layout.max_width = parts.APP_WIDTH
        self.refresh_list()
        if child_id:
            self.open_child(child_id)

    # -- the list ----------------------------------------------------------

    def refresh_list(self) -> None:
        caseload = load(self.store, chair_id=self.chair.value or None)
        rows = midway_due.due_list(caseload, self.profile, self.as_of, within_wd=self.window.value)
        self.rows = rows
        self.listing.value = html.due_table(rows)
        options = [
            (
                f"{r.child_id} {r.name}: {r.status_text} (due {r.due_date:%-d %b %Y})",
                str(r.child_id),
            )
            for r in rows.itertuples()
        ] or [("No child is due", "")]
        current = self.picker.value
        self.picker.options = options
        self.picker.value = current if current in [v for _, v in options] else options[0][1]
        self.due.titles = (f"Children due a midway review: {len(rows)}",)

    # -- one child ---------------------------------------------------------

    def open_child(self, child_id: str | None) -> None:
        if not child_id:
            self.banner.bad("Choose a child from the list, or type a child ID.")
            return
        if self.store.get("children", child_id) is None:
            self.banner.bad(f"There is no child with ID {child_id!r}.")
            return
        self.banner.clear()
        self.file = midway_opening.open_review(self.store, child_id, self.profile, self.as_of)
        if self.file.plan is None:
            self.form_box.children = []
            self.banner.info(
                f"{child_id} has no open child protection plan, so there is no "
                "midway review to record."
            )
            return
        self.form = MidwayForm(self.file, self.store, on_saved=self.refresh_list)
        self.form_box.children = [self.form.widget]
        if child_id in [v for _, v in self.picker.options]:
            self.picker.value = child_id
        self.due.selected_index = None  # fold the list away while a child's review is open

    @classmethod
    def from_environment(cls) -> MidwayApp | parts.Unavailable:
        """The page as Voila serves it: database and profile from the settings; ``?child=``
        opens a child's review, ``?chair=`` narrows the list."""
        try:
            store = open_store()
            profile = profiles.load(settings.get("profile", store))
        except (StoreError, profiles.ProfileError) as exc:
            return parts.unavailable(f"The midway review cannot open: {exc}")
        q = query_params()
        chair = int(q["chair"]) if q.get("chair", "").isdigit() else None
        return cls(store, profile, chair_id=chair, child_id=q.get("child"))


def load_staff(store: Store) -> dict[int, str]:
    return {s["id"]: s["name"] for s in store.rows("staff", role="chair")}
