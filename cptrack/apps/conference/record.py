"""The conference's Record tab: who came, what the conference decided, the plan, the dates it
sets, and what is due after it, over ``cptrack.casework.conference.record``. Dates due come
from the model (the profile's rules through the engine); nothing here computes a timescale."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.apps.conference import html
from cptrack.apps.conference.record_fields import attendance_list, put_hint, record_fields
from cptrack.apps.widgets import (
    DOCUMENT_FORMATS,
    Banner,
    ReportDownload,
    form_piece,
    guarded,
    primary,
    record_report,
)
from cptrack.casework.conference import agenda
from cptrack.casework.conference.record import dates, opening, saving
from cptrack.casework.conference.record.draft import ActionRow, RecordDraft
from cptrack.casework.conference.record.saving import Saved
from cptrack.casework.conference.record.words import SOS_FIELDS
from cptrack.domain.models import PLAN_OUTCOMES, RecordError, today
from cptrack.rules.sources import legend
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store


class RecordView:
    """The Record tab."""

    def __init__(self, store: Store, file: agenda.ConferenceFile, on_saved=None):
        self.store = store
        self.file = file
        self.profile = file.profile
        self.on_saved = on_saved
        self.banner = Banner()
        self._proposed: dict[str, dt.date] = {}  # dates the form proposed, by field
        self.draft = opening.open_draft(file)
        # The conference record as a document (PDF, Word, HTML), as it stands when made.
        self.download = ReportDownload(
            self.banner,
            lambda: record_report(self.store, "conference_record", self.draft.conference_id),
            DOCUMENT_FORMATS,
        )
        d = self.draft
        self.fields = f = record_fields(d, self.profile)
        self.core_hint = widgets.HTML("")
        self.review_hint = widgets.HTML("")
        self.use_dates = widgets.Button(
            description="Use the profile's dates",
            layout=widgets.Layout(width="auto"),
            tooltip="Fill in the core group and review dates the profile's timescales give",
        )
        self.use_dates.on_click(lambda _b: self.fill_dates(force=True))
        self.quorum = widgets.HTML("")
        self.attendance = attendance_list(self._attendance_changed)
        self.actions = parts.action_list(ActionRow)
        self.lists = {"attendance": self.attendance, "actions": self.actions}
        self.schedule = widgets.HTML("")
        self.save_button = primary(
            widgets.Button(
                description="Save the conference record", layout=widgets.Layout(width="auto")
            )
        )
        self.save_button.on_click(guarded(self.banner, "save")(lambda _b: self.save()))
        put_hint(f["first_core_group_date"], self.core_hint)
        put_hint(f["next_review_date"], self.review_hint)
        self.stand_down_box = widgets.VBox(
            [
                parts.section(
                    "Stood down",
                    "Say why, put a bridging plan in place and reconvene "
                    "at the earliest opportunity.",
                    "003 §4.3-4.4",
                ),
                f["stood_down_reason"].box,
                f["bridging_plan"].box,
                f["reconvene_date"].box,
            ]
        )
        self.plan_box = widgets.VBox(
            [
                parts.section(
                    "The plan",
                    "Core group, review, visits and contingency plan; then the "
                    "actions: who does what, by when.",
                    "002 standards 7-10; 003 §5.2",
                ),
                f["core_group_members"].box,
                parts.side_by_side(
                    f["first_core_group_date"], f["next_review_date"], width="460px"
                ),
                parts.buttons(self.use_dates),
                f["visit_frequency_wd"].box,
                f["contingency_plan"].box,
                widgets.HTML(form_piece("label", "Actions (SMART: who, what, by when)")),
                self.actions.widget,
            ]
        )
        sos = widgets.GridBox(
            [f[n].box for n in SOS_FIELDS],
            layout=widgets.Layout(grid_template_columns="1fr 1fr", grid_gap="4px 24px"),
        )
        self.held_box = widgets.VBox(
            [
                parts.section(
                    "Attendance and apologies",
                    "Everyone invited, by agency. Quorate: "
                    "children's social care and at least two other agencies.",
                    "003 §4.2",
                ),
                self.attendance.widget,
                self.quorum,
                parts.section("Signs of Safety analysis", "", "001"),
                sos,
                parts.section(
                    "Decision",
                    "Each professional's view is recorded above; record any dissent here.",
                    "002 standards 4 and 6",
                ),
                f["outcome"].box,
                f["category"].box,
                f["end_reason"].box,
                f["dissent_detail"].box,
                self.plan_box,
                parts.section(
                    "After the conference",
                    "When the decisions, the plan and the minutes were sent out (fill in later).",
                ),
                parts.side_by_side(
                    f["decisions_distributed"], f["plan_distributed"], f["minutes_distributed"]
                ),
            ]
        )
        self.widget = widgets.VBox(
            [
                parts.section("The conference"),
                parts.side_by_side(f["type"], f["held_date"], f["venue"], f["venue_name"]),
                f["participation"].box,
                f["stood_down"].box,
                self.stand_down_box,
                self.held_box,
                self.banner,
                parts.buttons(self.save_button),
                self.download.widget,
                self.schedule,
                widgets.HTML(
                    parts.note("Sources: " + "; ".join(legend(["000", "001", "002", "003"])) + ".")
                ),
            ]
        )
        self.widget.add_class("cpt-record-form")
        self.show(d)
        f["stood_down"].widget.observe(lambda _c: self._toggle(), names="value")
        f["outcome"].widget.observe(lambda _c: self._toggle(), names="value")
        f["held_date"].widget.observe(lambda _c: self.fill_dates(), names="value")
        f["type"].widget.observe(lambda _c: self.fill_dates(), names="value")

    def show(self, d: RecordDraft) -> None:
        self.draft = d
        for name, field in self.fields.items():
            field.value = getattr(d, name)
        self.attendance.set(d.attendance)
        self.actions.set(d.actions)
        self._attendance_changed()
        self._toggle()
        self.fill_dates()
        if d.saved_outcome is not None or d.stood_down:
            self.save_button.description = "Save changes"
            self.show_schedule()

    def _toggle(self) -> None:
        f = self.fields
        down = bool(f["stood_down"].value)
        self.stand_down_box.layout.display = None if down else "none"
        self.held_box.layout.display = "none" if down else None
        outcome = f["outcome"].value
        plan = outcome in PLAN_OUTCOMES
        self.plan_box.layout.display = None if plan else "none"
        f["category"].box.layout.display = None if plan else "none"
        f["end_reason"].box.layout.display = None if outcome == "plan_ends" else "none"
        f["held_date"].label.value = form_piece(
            "label", "Date it was stood down" if down else "Date of the conference", True
        )

    def _attendance_changed(self) -> None:
        draft = self.draft.with_values(attendance=self.attendance.items())
        ok, words = draft.quorum()
        self.quorum.value = parts.tag_line("quorum", "green" if ok else "red", words)

    def fill_dates(self, force: bool = False) -> None:
        """Show when the profile says the core group and review are due; fill empty dates
        (all of them when ``force``) with the dates it proposes."""
        held = self.fields["held_date"].value
        kind = self.fields["type"].value or self.draft.type
        if held is None:
            self.core_hint.value = self.review_hint.value = ""
            return
        s = dates.suggested_dates(self.profile, kind, held)
        self.core_hint.value = (
            form_piece("help", s["core_group"].words(self.profile)) if s["core_group"].due else ""
        )
        self.review_hint.value = form_piece("help", s["review"].words(self.profile))
        proposed = self._proposed
        for name, key in (("first_core_group_date", "core_group"), ("next_review_date", "review")):
            field = self.fields[name]
            # A date the form proposed (not one the chair typed) follows the conference date.
            untouched = field.value is None or field.value == proposed.get(name)
            fresh = untouched and self.draft.saved_outcome is None
            if s[key].book and (force or fresh):
                field.value = s[key].book
                proposed[name] = s[key].book

    def read(self) -> RecordDraft:
        values = {name: f.value for name, f in self.fields.items()}
        values["attendance"] = self.attendance.items()
        values["actions"] = self.actions.items()
        values["stood_down"] = bool(values["stood_down"])
        return self.draft.with_values(**values)

    def save(self) -> Saved | None:
        draft = self.read()
        self.banner.clear()
        parts.clear_errors(self.fields, self.lists)
        try:
            saved = saving.save(self.store, draft, today())
        except RecordError as exc:
            parts.show_errors(exc.by_field(), self.fields, self.lists, self.banner)
            return None
        except StaleVersionError as exc:
            self.banner.bad(str(exc))
            return None
        self.file = agenda.open_conference(self.store, self.file.id, self.profile, self.file.as_of)
        self.show(opening.open_draft(self.file))
        self.show_schedule()
        self.download.forget()  # a document made before the save no longer matches
        if self.on_saved:
            self.on_saved(self.file)
        self.banner.ok(saved.message)
        return saved

    def show_schedule(self) -> None:
        """What the engine now says is due for the child's plan, from the saved records."""
        sched, findings = dates.schedule(
            self.store, self.file.child_id, self.profile, self.file.as_of
        )
        if sched.empty:
            self.schedule.value = ""
            return
        row = sched.iloc[-1]
        f = findings[
            findings["status"].isin(("due", "overdue"))
            & findings["event"].isin(
                (
                    "first_core_group",
                    "core_group",
                    "first_review",
                    "review",
                    "visit",
                    "midway_review",
                )
            )
        ]
        midway = None if self.profile.rules_for("midway_review") else row["midway_point"]
        self.schedule.value = html.schedule(int(row["plan_id"]), f, self.profile.name, midway)
