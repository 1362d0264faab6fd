"""The staff and roles page: every staff member with their role and login, and the admin's
form to add a person, change a role or link a login.

The list and the rules come from ``cptrack.casework.staff``; the store decides who may save
(only an admin, when someone is signed in), so a chair or a manager who opens this page
reads the list and is refused, in words, if they try to change it. Nothing here writes to
the database itself.
"""

from __future__ import annotations

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.apps.staff import html
from cptrack.apps.widgets import Banner, Form, guarded, open_store, primary, query_params, style
from cptrack.casework import staff as sm
from cptrack.domain.models import RecordError
from cptrack.storage import settings
from cptrack.storage.connection import StoreError
from cptrack.storage.store import Store

NEW = 0  # the person picker's value for "add a new person"


class StaffApp:
    """The staff and roles page."""

    def __init__(self, store: Store, person_id: int | None = None):
        self.store = store
        self.banner = Banner()
        self.viewer = sm.viewer(store)
        self.form_model = sm.PersonChange()
        self.listing = widgets.HTML("")
        self.person = widgets.Dropdown(description="", layout=widgets.Layout(width="420px"))
        self.person.add_class("cpt-staff-person")
        team_choices = {str(k): v for k, v in sm.teams(store).items()}
        self.fields = {
            "name": parts.field("name", "Name", parts.text("420px"), required=True),
            "role": parts.field(
                "role", "Role", parts.choice(sm.ROLE_CHOICES, width="200px"), required=True
            ),
            "login": parts.field(
                "login",
                "Login: the name they sign in with",
                parts.text("300px", placeholder="e.g. ruth.baker"),
            ),
            "team_id": parts.field("team_id", "Team", parts.choice(team_choices, none="No team")),
            "active": parts.field("active", "May sign in and be allocated work", parts.yes_no()),
        }
        self.form = Form(self.fields.values(), self.banner)
        self.role_help = widgets.HTML("")
        self.save_button = primary(
            widgets.Button(description="Save the change", layout=widgets.Layout(width="auto"))
        )
        self.save_button.on_click(guarded(self.form, "save")(lambda _b: self.save()))
        self._refreshing = False
        self.person.observe(self._picked, names="value")
        self.fields["role"].widget.observe(lambda _c: self._show_role_help(), names="value")
        authority = settings.get("authority_name", store)
        header = widgets.HTML(parts.box(html.header(authority, self.viewer.words)))
        f = self.fields
        self.editor = widgets.VBox(
            [
                parts.section(
                    "Add a person, or change one",
                    "Choose a person to change their role, login or team, or “Add a new person”.",
                ),
                self.person,
                f["name"].box,
                parts.side_by_side(f["role"], f["login"], f["team_id"], width="330px"),
                self.role_help,
                widgets.HTML(html.login_help()),
                f["active"].box,
                parts.buttons(self.save_button),
                self.banner,
            ]
        )
        self.editor.add_class("cpt-staff-form")
        self.widget = widgets.VBox(
            [style(), header, self.editor, parts.section("Staff"), self.listing]
        )
        self.widget.layout.max_width = parts.APP_WIDTH
        self.refresh(person_id if person_id is not None else NEW)

    # -- the list and the picker ------------------------------------------

    def refresh(self, keep: int) -> None:
        rows = sm.listing(self.store)
        self.listing.value = parts.box(html.staff_table(rows))
        options = [("Add a new person", NEW)] + [
            (f"{r.name} ({r.role_label}{', ' + r.login if r.login else ''})", r.id) for r in rows
        ]
        self._refreshing = True
        try:
            self.person.options = options
            self.person.value = keep if keep in [v for _, v in options] else NEW
        finally:
            self._refreshing = False
        self.pick(self.person.value, clear_banner=False)

    def _picked(self, _change) -> None:
        if not self._refreshing:
            guarded(self.banner, "open the record")(self.pick)(self.person.value)

    def pick(self, person_id: int, clear_banner: bool = True) -> None:
        """Fill the form with ``person_id`` (NEW: an empty form)."""
        self.form_model = (
            sm.PersonChange() if person_id == NEW else sm.PersonChange.of(self.store, person_id)
        )
        m = self.form_model
        for name, value in (
            ("name", m.name),
            ("role", m.role),
            ("login", m.login),
            ("team_id", str(m.team_id) if m.team_id else None),
            ("active", m.active),
        ):
            parts._write(self.fields[name].widget, value)
            self.fields[name].set_error(None)
        if clear_banner:
            self.banner.clear()
        self.save_button.description = "Add the person" if m.is_new else "Save the change"
        self._show_role_help()

    def _show_role_help(self) -> None:
        role = parts._read(self.fields["role"].widget)
        self.role_help.value = html.role_may(role)

    # -- saving -------------------------------------------------------------

    def save(self) -> dict | None:
        m = self.form_model
        team = parts._read(self.fields["team_id"].widget)
        m.name = parts._read(self.fields["name"].widget) or ""
        m.role = parts._read(self.fields["role"].widget)
        m.login = parts._read(self.fields["login"].widget) or None
        m.team_id = int(team) if team else None
        m.active = self.fields["active"].widget.value is not False
        self.form.clear_errors()
        try:
            row, message = sm.save(self.store, m)
        except RecordError as exc:
            self.form.show_errors(exc.by_field())
            return None
        self.refresh(row["id"])
        self.banner.ok(message)
        return row

    @classmethod
    def from_environment(cls) -> StaffApp | parts.Unavailable:
        """The page as Voila serves it; ``?person=ID`` opens that person's record."""
        try:
            store = open_store()
        except StoreError as exc:
            return parts.unavailable(f"The staff page cannot open: {exc}")
        raw = query_params().get("person", "")
        return cls(store, int(raw) if raw.isdigit() else None)
