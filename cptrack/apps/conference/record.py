"""The conference's Record tab: who came, what the conference decided, the plan, the dates it
sets, and what is due after it, over ``cptrack.casework.conference.record``. Dates due come
from the model (the profile's rules through the engine); nothing here computes a timescale."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.apps.conference import html
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
from cptrack.casework.conference import preparation as prep
from cptrack.casework.conference import record as rec
from cptrack.domain.models import CATEGORY_LABELS, PLAN_OUTCOMES, RecordError, today
from cptrack.rules.sources import legend
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store

CATEGORY_CHOICES = {c.value: w for c, w in CATEGORY_LABELS.items()}
FREQUENCIES = {
    5: "every 5 working days (weekly)",
    10: "every 10 working days (2 weeks)",
    15: "every 15 working days (3 weeks)",
    20: "every 20 working days (4 weeks)",
    30: "every 30 working days (6 weeks)",
}
TYPE_CHOICES_INITIAL = {
    "initial": "Initial",
    "pre_birth": "Pre-birth",
    "transfer_in": "Transfer-in",
}


def attendance_list(on_change) -> parts.RowList:
    score = lambda: parts.choice({i: str(i) for i in range(11)}, none="—")  # noqa: E731
    return parts.RowList(
        "attendance",
        [
            parts.Column("agency", "Agency", lambda: parts.choice(parts.AGENCY_CHOICES), "200px"),
            parts.Column("person", "Name and role", parts.text, "190px"),
            parts.Column(
                "status", "Attended?", lambda: parts.choice(rec.STATUS_WORDS, none=None), "190px"
            ),
            parts.Column("scaling_score", "Scaling 0-10", score, "95px"),
            parts.Column(
                "view", "View on the decision", lambda: parts.choice(rec.VIEW_WORDS), "200px"
            ),
            parts.Column(
                "category_view",
                "Category view",
                lambda: parts.choice(CATEGORY_CHOICES, none="—"),
                "150px",
            ),
            parts.Column("dissent", "Dissents", lambda: widgets.Checkbox(indent=False), "80px"),
        ],
        from_item=lambda a: {
            "agency": a.agency,
            "person": a.person,
            "status": a.status,
            "scaling_score": a.scaling_score,
            "view": a.view,
            "category_view": a.category_view,
            "dissent": a.dissent,
        },
        to_item=lambda v, a: rec.AttendeeRow(
            agency=v["agency"] or "",
            person=v["person"],
            role=getattr(a, "role", ""),
            status=v["status"],
            scaling_score=v["scaling_score"],
            view=v["view"],
            category_view=v["category_view"],
            dissent=bool(v["dissent"]),
            record_id=getattr(a, "record_id", None),
            version=getattr(a, "version", None),
            original=getattr(a, "original", {}),
        ),
        add_label="Add a person or agency",
        new_item=rec.AttendeeRow,
        on_change=on_change,
    )


class RecordView:
    """The Record tab."""

    def __init__(self, store: Store, file: agenda.ConferenceFile, on_saved=None):
        self.store = store
        self.file = file
        self.profile = file.profile
        self.on_saved = on_saved
        self.banner = Banner()
        self._proposed: dict[str, dt.date] = {}  # dates the form proposed, by field
        self.draft = rec.open_draft(file)
        # The conference record as a document (PDF, Word, HTML), as it stands when made.
        self.download = ReportDownload(
            self.banner,
            lambda: record_report(self.store, "conference_record", self.draft.conference_id),
            DOCUMENT_FORMATS,
        )
        d = self.draft
        types = TYPE_CHOICES_INITIAL if d.initial_like else {"review": "Review"}
        frequencies = dict(FREQUENCIES)
        if d.visit_frequency_wd and d.visit_frequency_wd not in frequencies:
            frequencies[d.visit_frequency_wd] = f"every {d.visit_frequency_wd} working days"
        default_visits = self.profile.settings["visit_frequency_wd"]
        self.fields = f = {
            "type": parts.field(
                "type", "Type of conference", parts.choice(types, none=None, width="220px")
            ),
            "held_date": parts.field(
                "held_date", "Date of the conference", parts.date(), required=True
            ),
            "venue": parts.field(
                "venue", "Venue", parts.choice(prep.VENUES, none="—", width="220px")
            ),
            "venue_name": parts.field(
                "venue_name",
                "Where it was held",
                parts.text(width="260px", placeholder="e.g. Civic Centre, room 2"),
            ),
            "participation": parts.field(
                "participation",
                "How the child took part",
                parts.choice(rec.PARTICIPATION_WORDS, none="—", width="420px"),
            ),
            "stood_down": parts.field(
                "stood_down",
                "Stood down?",
                widgets.Checkbox(
                    description="The conference was stood down (adjourned) and did not reach a "
                    "decision",
                    indent=False,
                    layout=widgets.Layout(width="auto"),
                ),
            ),
            "stood_down_reason": parts.field(
                "stood_down_reason", "Why it was stood down", parts.area(2), required=True
            ),
            "bridging_plan": parts.field(
                "bridging_plan",
                "Bridging plan",
                parts.area(3),
                help="Including any urgent action to keep the child "
                "safe until the conference reconvenes.",
                required=True,
            ),
            "reconvene_date": parts.field(
                "reconvene_date", "Reconvenes on", parts.date(), required=True
            ),
            "worried_about": parts.field(
                "worried_about", "What are we worried about?", parts.area(4), required=True
            ),
            "working_well": parts.field("working_well", "What's working well?", parts.area(4)),
            "child_views": parts.field(
                "child_views",
                "What are the child's views?",
                parts.area(3),
                required=d.type != "pre_birth",
            ),
            "needs_to_happen": parts.field(
                "needs_to_happen", "What needs to happen?", parts.area(3), required=True
            ),
            "danger_statements": parts.field(
                "danger_statements",
                "Danger statements",
                parts.area(3),
                help="What are we worried will happen to the child if nothing changes?",
            ),
            "safety_goals": parts.field(
                "safety_goals",
                "Safety goals",
                parts.area(3),
                help="What we need to see to be willing to close the "
                "case; one per line (the midway review rates each).",
            ),
            "outcome": parts.field(
                "outcome",
                "Decision",
                widgets.RadioButtons(
                    options=[(rec.OUTCOME_WORDS[o], o) for o in d.outcomes],
                    value=None,
                    layout=widgets.Layout(width="auto"),
                ),
                required=True,
            ),
            "category": parts.field(
                "category", "Category of abuse", parts.choice(CATEGORY_CHOICES, width="260px")
            ),
            "end_reason": parts.field(
                "end_reason", "Why the plan ends", parts.choice(rec.END_REASON_WORDS, width="360px")
            ),
            "dissent_detail": parts.field(
                "dissent_detail",
                "Dissent: who, and their reasons",
                parts.area(2),
                help="Needed when anyone dissents from the decision.",
            ),
            "core_group_members": parts.field(
                "core_group_members", "Core group members", parts.area(2), required=True
            ),
            "first_core_group_date": parts.field(
                "first_core_group_date",
                "First core group on" if d.initial_like else "Next core group on",
                parts.date(),
                required=d.initial_like,
            ),
            "next_review_date": parts.field(
                "next_review_date", "Review conference on", parts.date(), required=True
            ),
            "visit_frequency_wd": parts.field(
                "visit_frequency_wd",
                "Social worker visits",
                parts.choice(frequencies, width="320px"),
                help=f"{self.profile.name}'s default: every {default_visits} working days.",
                required=True,
            ),
            "contingency_plan": parts.field(
                "contingency_plan",
                "Contingency plan",
                parts.area(3),
                help="What will happen if the plan "
                "does not keep the child safe, specific to this "
                "child.",
                required=True,
            ),
            "decisions_distributed": parts.field(
                "decisions_distributed", "Decisions sent on", parts.date()
            ),
            "plan_distributed": parts.field("plan_distributed", "Plan sent on", parts.date()),
            "minutes_distributed": parts.field(
                "minutes_distributed", "Minutes sent on", parts.date()
            ),
        }
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
        self.actions = parts.action_list(rec.ActionRow)
        self.lists = {"attendance": self.attendance, "actions": self.actions}
        self.schedule = widgets.HTML("")
        self.save_button = primary(
            widgets.Button(
                description="Save the conference record", layout=widgets.Layout(width="auto")
            )
        )
        self.save_button.on_click(guarded(self.banner, "save")(lambda _b: self.save()))
        _hint(f["first_core_group_date"], self.core_hint)
        _hint(f["next_review_date"], self.review_hint)
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
            [f[n].box for n in rec.SOS_FIELDS],
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

    def show(self, d: rec.RecordDraft) -> None:
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
        s = rec.suggested_dates(self.profile, kind, held)
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

    def read(self) -> rec.RecordDraft:
        values = {name: f.value for name, f in self.fields.items()}
        values["attendance"] = self.attendance.items()
        values["actions"] = self.actions.items()
        values["stood_down"] = bool(values["stood_down"])
        return self.draft.with_values(**values)

    def save(self) -> rec.Saved | None:
        draft = self.read()
        self.banner.clear()
        parts.clear_errors(self.fields, self.lists)
        try:
            saved = rec.save(self.store, draft, today())
        except RecordError as exc:
            parts.show_errors(exc.by_field(), self.fields, self.lists, self.banner)
            return None
        except StaleVersionError as exc:
            self.banner.bad(str(exc))
            return None
        self.file = agenda.open_conference(self.store, self.file.id, self.profile, self.file.as_of)
        self.show(rec.open_draft(self.file))
        self.show_schedule()
        self.download.forget()  # a document made before the save no longer matches
        if self.on_saved:
            self.on_saved(self.file)
        self.banner.ok(saved.message)
        return saved

    def show_schedule(self) -> None:
        """What the engine now says is due for the child's plan, from the saved records."""
        sched, findings = rec.schedule(
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


def _hint(field, hint: widgets.HTML) -> None:
    """Put ``hint`` under the field's input, above its error line."""
    children = list(field.box.children)
    field.box.children = (*children[:-1], hint, children[-1])
