"""The conference page: pick a conference, prepare it, record it.

The Preparation tab shows the profile's checklist answered from the records (the data's
answer in words, the chair's ticks for the rest) and the reports against their deadlines;
the Record tab is the conference record. Dates due come from the model (the profile's rules
through the engine); nothing here computes a timescale or writes to the database.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import pandas as pd

from cptrack import checklist, engine, profiles, settings
from cptrack.apps import parts
from cptrack.apps.escalation.view import EscalationPanel
from cptrack.apps.widgets import (
    DOCUMENT_FORMATS,
    Banner,
    ReportDownload,
    guarded,
    open_store,
    primary,
    query_params,
    record_report,
    style,
)
from cptrack.casework.conference import agenda
from cptrack.casework.conference import preparation as prep
from cptrack.casework.conference import record as rec
from cptrack.models import CATEGORY_LABELS, PLAN_OUTCOMES, RecordError, today
from cptrack.profiles import Profile
from cptrack.render.style import esc
from cptrack.sources import legend
from cptrack.store import StaleVersionError, Store, StoreError
from cptrack.values import fmt

CATEGORY_CHOICES = {c.value: w for c, w in CATEGORY_LABELS.items()}
FREQUENCIES = {5: "every 5 working days (weekly)", 10: "every 10 working days (2 weeks)",
               15: "every 15 working days (3 weeks)", 20: "every 20 working days (4 weeks)",
               30: "every 30 working days (6 weeks)"}  # fmt: skip
# Items whose answer is a fact about the child, not something done or missed.
FACT_ITEMS = ("interpreter_needed", "parent_learning_disability", "child_age")
TYPE_CHOICES_INITIAL = {"initial": "Initial", "pre_birth": "Pre-birth",
                        "transfer_in": "Transfer-in"}  # fmt: skip


def card(file: agenda.ConferenceFile) -> str:
    """Who and what the conference is, in one box."""
    c = file.conference
    when = fmt(file.date, "—")
    if c.get("scheduled_time") and not file.held:
        when += f" at {c['scheduled_time']:%H:%M}"
    age = file.age_on(file.date)
    plan = file.plan()
    kv = [("Child", file.child_id), ("Age on the day", "unborn" if age is None else str(age)),
          ("Conference", f"{agenda.TYPE_WORDS.get(file.type, file.type)}"),
          ("Date", when + (" (held)" if file.held else "")),
          (file.profile.chair_role, file.chair_name()),
          ("Plan", f"No. {plan['id']}, since {fmt(plan['start_date'], '—')}" if plan else "none")]  # fmt: skip
    if c.get("stood_down"):
        kv.append(("Status", "stood down"))
    body = "".join(f"<span class='cpt-kv'><b>{esc(k)}</b>{esc(v)}</span>" for k, v in kv)
    return parts.box(f"<div class='cpt-card' id='conference-card'><h2>{esc(file.child_name)}</h2>"
                f"{body}</div>")  # fmt: skip


# ---------------------------------------------------------------------------
# Preparation


def report_list(chair_role: str) -> parts.RowList:
    return parts.RowList(
        "reports",
        [parts.Column("agency", "Agency", lambda: parts.choice(parts.AGENCY_CHOICES), "220px"),
         parts.Column("author", "Author", parts.text, "200px"),
         parts.Column("received_by_chair", f"Reached the {chair_role} on", parts.date, "180px"),
         parts.Column("shared_with_family", "Shared with the family on", parts.date, "200px"),
         parts.Column("confidential", "Confidential",
                      lambda: widgets.Checkbox(indent=False), "110px")],
        from_item=lambda r: {"agency": r.agency, "author": r.author,
                             "received_by_chair": r.received_by_chair,
                             "shared_with_family": r.shared_with_family,
                             "confidential": r.confidential},
        to_item=lambda v, r: prep.ReportRow(
            agency=v["agency"] or "", author=v["author"], received_by_chair=v["received_by_chair"],
            shared_with_family=v["shared_with_family"], confidential=bool(v["confidential"]),
            record_id=getattr(r, "record_id", None), version=getattr(r, "version", None),
            original=getattr(r, "original", {})),
        add_label="Add a report",
        new_item=prep.ReportRow,
    )  # fmt: skip


class PreparationView:
    """The Preparation tab."""

    def __init__(self, store: Store, file: agenda.ConferenceFile):
        self.store = store
        self.file = file
        self.profile = file.profile
        self.banner = Banner()
        self.draft = prep.open_draft(file)
        self.fields = {
            "consultation_date": parts.field("consultation_date",
                                             "Pre-conference consultation held on", parts.date()),
            "family_met_date": parts.field("family_met_date",
                                           f"The {self.profile.chair_role} met the family on",
                                           parts.date()),
            "venue": parts.field("venue", "Venue", parts.choice(prep.VENUES, none="Not decided",
                                                                width="220px")),
            "split_conference": parts.field("split_conference", "Split conference",
                                            widgets.Checkbox(description="Split (family members "
                                                             "attend separately)", indent=False)),
            "notes": parts.field("notes", "Notes", parts.area(3)),
        }  # fmt: skip
        self.reports = report_list(self.profile.chair_role)
        self.checklist_box = widgets.VBox([])
        self.checklist_box.add_class("cpt-checklist")
        self.item_inputs: dict[str, tuple[widgets.Widget | None, widgets.Text, widgets.HTML]] = {}
        self.deadlines = widgets.HTML("")
        self.save_button = primary(widgets.Button(description="Save the preparation",
                                                  layout=widgets.Layout(width="auto")))  # fmt: skip
        self.save_button.on_click(guarded(self.banner, "save")(lambda _b: self.save()))
        f = self.fields
        self.widget = widgets.VBox([
            parts.section("Before the conference", "Dates and arrangements; the checklist "
                          "below answers from them."),
            parts.side_by_side(f["consultation_date"], f["family_met_date"], f["venue"]),
            f["split_conference"].box,
            parts.section("Checklist", f"From {self.profile.name}'s standards. Items marked "
                          "'from the records' are answered for you; tick the others, with a note "
                          "when the answer is not yes."),
            self.checklist_box,
            parts.section("Reports", "Each agency's report and when the chair and the family "
                          "had it. The deadlines come from the profile."),
            self.reports.widget, self.deadlines,
            f["notes"].box, self.banner, parts.buttons(self.save_button),
        ])  # fmt: skip
        self.show(self.draft)

    def show(self, draft: prep.PreparationDraft) -> None:
        self.draft = draft
        for name, f in self.fields.items():
            f.value = getattr(draft, name)
        self.reports.set(draft.reports)
        self._checklist()
        self._deadlines()

    def _checklist(self) -> None:
        rows = []
        self.item_inputs = {}
        facts = prep.facts(self.file, self.draft)
        for a in prep.answers(self.file, self.draft):
            question = (f"<div class='cpt-answer'><b>{esc(checklist.item_text(a.item, facts))}"
                        f"</b><div class='cpt-cite'>{esc(_cite(a.item.citation))}</div></div>")  # fmt: skip
            if a.automatic:
                if a.item.answer_from in FACT_ITEMS or a.answer == "n/a":
                    kind = "grey"
                else:
                    kind = {"yes": "green", "no": "red"}.get(a.answer, "amber")
                source = "from the records" if a.item.automatic else "does not apply"
                answer = widgets.HTML(parts.box(
                    f"<div class='cpt-answer'>{parts.tag(kind, a.words)} <span class='cpt-cite'>"
                    f"{source}</span><div>{esc(a.detail)}</div></div>"),
                    layout=widgets.Layout(width="420px"))  # fmt: skip
                control = None
            else:
                control = widgets.ToggleButtons(
                    options=[(w, k) for k, w in checklist.ANSWERS.items()], value=a.answer or None,
                    style={"button_width": "110px"})  # fmt: skip
                answer = control
            note = parts.text("300px", placeholder="Note")
            note.value = a.note
            error = widgets.HTML("")
            self.item_inputs[a.item.id] = (control, note, error)
            line = widgets.HBox([widgets.HTML(question, layout=widgets.Layout(width="470px")),
                                 answer, note], layout=widgets.Layout(gap="10px"))  # fmt: skip
            box = widgets.VBox([line, error])
            box.add_class("cpt-row")
            box.add_class(f"cpt-item-{a.item.id}")
            rows.append(box)
        self.checklist_box.children = rows

    def _deadlines(self) -> None:
        checks = prep.report_checks(self.file)
        by_agency: dict[str, dict[str, checklist.ReportCheck]] = {}
        for event, found in checks.items():
            for c in found or []:
                by_agency.setdefault(c.label, {})[event] = c
        if not by_agency:
            self.deadlines.value = parts.box("<p class='note'>No report deadlines apply.</p>")
            return
        rows = []
        for label, events in by_agency.items():
            cells = [esc(label)]
            for event in prep.REPORT_EVENTS:
                c = events.get(event)
                if c is None:
                    cells.append("—")
                    continue
                kind = {"met": "green", "met_late": "red", "overdue": "red", "due": "amber",
                        "cannot_tell": "amber"}.get(c.status, "grey")  # fmt: skip
                verb = "received" if event == "report_to_chair" else "shared"
                done = f"{verb} {fmt(c.actual_date, '—')}" if c.actual_date else f"not {verb} yet"
                cells.append(f"due by {fmt(c.due_date, '—')}; {done}"
                             f"<div>{parts.tag(kind, c.status_text)} <span class='cpt-cite'>"
                             f"[{esc(c.citation)}]</span></div>")  # fmt: skip
            rows.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
        self.deadlines.value = parts.box(
            "<table class='grid' id='report-deadlines'><thead><tr><th>Report</th>"
            f"<th>To the {esc(self.profile.chair_role)}</th><th>To the family</th></tr></thead>"
            "<tbody>" + "".join(rows) + "</tbody></table>")  # fmt: skip

    def read(self) -> prep.PreparationDraft:
        values = {name: f.value for name, f in self.fields.items()}
        items = {}
        for item_id, (control, note, _e) in self.item_inputs.items():
            entry = {"note": note.value.strip()}
            if control is not None:
                entry["answer"] = control.value or ""
            if entry.get("answer") or entry["note"]:
                items[item_id] = entry
        values["items"] = items
        values["reports"] = self.reports.items()
        return self.draft.with_values(**values)

    def save(self) -> prep.Saved | None:
        draft = self.read()
        self.banner.clear()
        for _c, _n, error in self.item_inputs.values():
            error.value = ""
        parts.clear_errors(self.fields, {"reports": self.reports})
        try:
            saved = prep.save(self.store, draft, self.profile, today())
        except RecordError as exc:
            by_field = exc.by_field()
            parts.show_errors(by_field, self.fields, {"reports": self.reports}, self.banner,
                              extra=[self._item_errors])  # fmt: skip
            return None
        except StaleVersionError as exc:
            self.banner.bad(str(exc))
            return None
        self.file = agenda.open_conference(self.store, self.file.id, self.profile,
                                           self.file.as_of)  # fmt: skip
        self.show(prep.open_draft(self.file))
        self.banner.ok(saved.message)
        return saved

    def _item_errors(self, by_field: dict[str, list[str]]) -> set[str]:
        shown = set()
        for item_id, (_c, _n, error) in self.item_inputs.items():
            key = f"items.{item_id}"
            if key in by_field:
                error.value = "".join(f"<div class='cpt-error' role='alert'>{esc(m)}</div>"
                                      for m in by_field[key])  # fmt: skip
                shown.add(key)
        return shown


def _cite(citation: str) -> str:
    return "; ".join(engine.short_citation(part) for part in citation.split("; "))


# ---------------------------------------------------------------------------
# Record


def attendance_list(on_change) -> parts.RowList:
    score = lambda: parts.choice({i: str(i) for i in range(11)}, none="—")  # noqa: E731
    return parts.RowList(
        "attendance",
        [parts.Column("agency", "Agency", lambda: parts.choice(parts.AGENCY_CHOICES), "200px"),
         parts.Column("person", "Name and role", parts.text, "190px"),
         parts.Column("status", "Attended?", lambda: parts.choice(rec.STATUS_WORDS, none=None),
                      "190px"),
         parts.Column("scaling_score", "Scaling 0-10", score, "95px"),
         parts.Column("view", "View on the decision", lambda: parts.choice(rec.VIEW_WORDS),
                      "200px"),
         parts.Column("category_view", "Category view",
                      lambda: parts.choice(CATEGORY_CHOICES, none="—"), "150px"),
         parts.Column("dissent", "Dissents", lambda: widgets.Checkbox(indent=False), "80px")],
        from_item=lambda a: {"agency": a.agency, "person": a.person, "status": a.status,
                             "scaling_score": a.scaling_score, "view": a.view,
                             "category_view": a.category_view, "dissent": a.dissent},
        to_item=lambda v, a: rec.AttendeeRow(
            agency=v["agency"] or "", person=v["person"], role=getattr(a, "role", ""),
            status=v["status"], scaling_score=v["scaling_score"], view=v["view"],
            category_view=v["category_view"], dissent=bool(v["dissent"]),
            record_id=getattr(a, "record_id", None), version=getattr(a, "version", None),
            original=getattr(a, "original", {})),
        add_label="Add a person or agency",
        new_item=rec.AttendeeRow,
        on_change=on_change,
    )  # fmt: skip


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
            "type": parts.field("type", "Type of conference", parts.choice(types, none=None,
                                                                           width="220px")),
            "held_date": parts.field("held_date", "Date of the conference", parts.date(),
                                     required=True),
            "venue": parts.field("venue", "Venue", parts.choice(prep.VENUES, none="—",
                                                                width="220px")),
            "venue_name": parts.field("venue_name", "Where it was held", parts.text(
                width="260px", placeholder="e.g. Civic Centre, room 2")),
            "participation": parts.field("participation", "How the child took part",
                                         parts.choice(rec.PARTICIPATION_WORDS, none="—",
                                                      width="420px")),
            "stood_down": parts.field("stood_down", "Stood down?", widgets.Checkbox(
                description="The conference was stood down (adjourned) and did not reach a "
                "decision", indent=False, layout=widgets.Layout(width="auto"))),
            "stood_down_reason": parts.field("stood_down_reason", "Why it was stood down",
                                             parts.area(2), required=True),
            "bridging_plan": parts.field("bridging_plan", "Bridging plan", parts.area(3),
                                         help="Including any urgent action to keep the child "
                                         "safe until the conference reconvenes.", required=True),
            "reconvene_date": parts.field("reconvene_date", "Reconvenes on", parts.date(),
                                          required=True),
            "worried_about": parts.field("worried_about", "What are we worried about?",
                                         parts.area(4), required=True),
            "working_well": parts.field("working_well", "What's working well?", parts.area(4)),
            "child_views": parts.field("child_views", "What are the child's views?",
                                       parts.area(3), required=d.type != "pre_birth"),
            "needs_to_happen": parts.field("needs_to_happen", "What needs to happen?",
                                           parts.area(3), required=True),
            "danger_statements": parts.field("danger_statements", "Danger statements",
                                             parts.area(3),
                                             help="What are we worried will happen to the child "
                                             "if nothing changes?"),
            "safety_goals": parts.field("safety_goals", "Safety goals", parts.area(3),
                                        help="What we need to see to be willing to close the "
                                        "case; one per line (the midway review rates each)."),
            "outcome": parts.field("outcome", "Decision", widgets.RadioButtons(
                options=[(rec.OUTCOME_WORDS[o], o) for o in d.outcomes], value=None,
                layout=widgets.Layout(width="auto")), required=True),
            "category": parts.field("category", "Category of abuse",
                                    parts.choice(CATEGORY_CHOICES, width="260px")),
            "end_reason": parts.field("end_reason", "Why the plan ends",
                                      parts.choice(rec.END_REASON_WORDS, width="360px")),
            "dissent_detail": parts.field("dissent_detail", "Dissent: who, and their reasons",
                                          parts.area(2),
                                          help="Needed when anyone dissents from the decision."),
            "core_group_members": parts.field("core_group_members", "Core group members",
                                              parts.area(2), required=True),
            "first_core_group_date": parts.field(
                "first_core_group_date", "First core group on" if d.initial_like
                else "Next core group on", parts.date(), required=d.initial_like),
            "next_review_date": parts.field("next_review_date", "Review conference on",
                                            parts.date(), required=True),
            "visit_frequency_wd": parts.field("visit_frequency_wd", "Social worker visits",
                                              parts.choice(frequencies, width="320px"),
                                              help=f"{self.profile.name}'s default: every "
                                              f"{default_visits} working days.", required=True),
            "contingency_plan": parts.field("contingency_plan", "Contingency plan",
                                            parts.area(3), help="What will happen if the plan "
                                            "does not keep the child safe, specific to this "
                                            "child.", required=True),
            "decisions_distributed": parts.field("decisions_distributed", "Decisions sent on",
                                                 parts.date()),
            "plan_distributed": parts.field("plan_distributed", "Plan sent on", parts.date()),
            "minutes_distributed": parts.field("minutes_distributed", "Minutes sent on",
                                               parts.date()),
        }  # fmt: skip
        self.core_hint = widgets.HTML("")
        self.review_hint = widgets.HTML("")
        self.use_dates = widgets.Button(description="Use the profile's dates",
                                        layout=widgets.Layout(width="auto"),
                                        tooltip="Fill in the core group and review dates the "
                                        "profile's timescales give")  # fmt: skip
        self.use_dates.on_click(lambda _b: self.fill_dates(force=True))
        self.quorum = widgets.HTML("")
        self.attendance = attendance_list(self._attendance_changed)
        self.actions = parts.action_list(rec.ActionRow)
        self.lists = {"attendance": self.attendance, "actions": self.actions}
        self.schedule = widgets.HTML("")
        self.save_button = primary(widgets.Button(description="Save the conference record",
                                                  layout=widgets.Layout(width="auto")))  # fmt: skip
        self.save_button.on_click(guarded(self.banner, "save")(lambda _b: self.save()))
        _hint(f["first_core_group_date"], self.core_hint)
        _hint(f["next_review_date"], self.review_hint)
        self.stand_down_box = widgets.VBox([
            parts.section("Stood down", "Say why, put a bridging plan in place and reconvene "
                          "at the earliest opportunity.", "003 §4.3-4.4"),
            f["stood_down_reason"].box, f["bridging_plan"].box, f["reconvene_date"].box,
        ])  # fmt: skip
        self.plan_box = widgets.VBox([
            parts.section("The plan", "Core group, review, visits and contingency plan; then the "
                          "actions: who does what, by when.",
                          "002 standards 7-10; 003 §5.2"),
            f["core_group_members"].box,
            parts.side_by_side(f["first_core_group_date"], f["next_review_date"], width="460px"),
            parts.buttons(self.use_dates),
            f["visit_frequency_wd"].box, f["contingency_plan"].box,
            widgets.HTML("<div class='cpt-label'>Actions (SMART: who, what, by when)</div>"),
            self.actions.widget,
        ])  # fmt: skip
        sos = widgets.GridBox(
            [f[n].box for n in rec.SOS_FIELDS],
            layout=widgets.Layout(grid_template_columns="1fr 1fr", grid_gap="4px 24px"))
        self.held_box = widgets.VBox([
            parts.section("Attendance and apologies", "Everyone invited, by agency. Quorate: "
                          "children's social care and at least two other agencies.",
                          "003 §4.2"),
            self.attendance.widget, self.quorum,
            parts.section("Signs of Safety analysis", "", "001"),
            sos,
            parts.section("Decision", "Each professional's view is recorded above; record any "
                          "dissent here.", "002 standards 4 and 6"),
            f["outcome"].box, f["category"].box, f["end_reason"].box, f["dissent_detail"].box,
            self.plan_box,
            parts.section("After the conference", "When the decisions, the plan and the minutes "
                          "were sent out (fill in later)."),
            parts.side_by_side(f["decisions_distributed"], f["plan_distributed"],
                               f["minutes_distributed"]),
        ])  # fmt: skip
        self.widget = widgets.VBox([
            parts.section("The conference"),
            parts.side_by_side(f["type"], f["held_date"], f["venue"], f["venue_name"]),
            f["participation"].box, f["stood_down"].box,
            self.stand_down_box, self.held_box,
            self.banner, parts.buttons(self.save_button), self.download.widget, self.schedule,
            widgets.HTML(parts.box("<p class='note'>Sources: " + "; ".join(
                esc(line) for line in legend(["000", "001", "002", "003"])) + ".</p>")),
        ])  # fmt: skip
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
        f["held_date"].label.value = ("<div class='cpt-label'>Date it was stood down <span "
                                      "class='cpt-help'>(required)</span></div>" if down else
                                      "<div class='cpt-label'>Date of the conference <span "
                                      "class='cpt-help'>(required)</span></div>")  # fmt: skip

    def _attendance_changed(self) -> None:
        draft = self.draft.with_values(attendance=self.attendance.items())
        ok, words = draft.quorum()
        self.quorum.value = parts.box(f"<p id='quorum'>{parts.tag('green' if ok else 'red', words)}</p>")

    def fill_dates(self, force: bool = False) -> None:
        """Show when the profile says the core group and review are due; fill empty dates
        (all of them when ``force``) with the dates it proposes."""
        held = self.fields["held_date"].value
        kind = self.fields["type"].value or self.draft.type
        if held is None:
            self.core_hint.value = self.review_hint.value = ""
            return
        s = rec.suggested_dates(self.profile, kind, held)
        self.core_hint.value = (f"<div class='cpt-help'>{esc(s['core_group'].words(self.profile))}"
                                "</div>" if s["core_group"].due else "")  # fmt: skip
        self.review_hint.value = f"<div class='cpt-help'>{esc(s['review'].words(self.profile))}</div>"
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
        self.file = agenda.open_conference(self.store, self.file.id, self.profile,
                                           self.file.as_of)  # fmt: skip
        self.show(rec.open_draft(self.file))
        self.show_schedule()
        self.download.forget()  # a document made before the save no longer matches
        if self.on_saved:
            self.on_saved(self.file)
        self.banner.ok(saved.message)
        return saved

    def show_schedule(self) -> None:
        """What the engine now says is due for the child's plan, from the saved records."""
        sched, findings = rec.schedule(self.store, self.file.child_id, self.profile,
                                       self.file.as_of)  # fmt: skip
        if sched.empty:
            self.schedule.value = ""
            return
        row = sched.iloc[-1]
        f = findings[findings["status"].isin(("due", "overdue"))
                     & findings["event"].isin(("first_core_group", "core_group", "first_review",
                                               "review", "visit", "midway_review"))]  # fmt: skip
        lines = []
        for r in f.sort_values("due_date").itertuples():
            booked = f" (booked {fmt(r.booked_date, '—')})" if not pd.isna(r.booked_date) else ""
            lines.append(f"<tr><td>{esc(r.message.split(':')[0])}</td><td>{fmt(r.due_date, '—')}"
                         f"{booked}</td><td>{parts.tag(r.rag, r.status_text)}</td>"
                         f"<td class='cpt-cite'>{esc(engine.short_citation(r.citation))}</td>"
                         "</tr>")  # fmt: skip
        mid = ("" if self.profile.rules_for("midway_review") else
               f"<p>Midway point: {fmt(row['midway_point'], '—')} ({esc(self.profile.name)} sets no "
               "midway review standard; the midway review app lists it as a prompt).</p>")  # fmt: skip
        self.schedule.value = parts.box(
            f"<h2>What is now due for plan {int(row['plan_id'])}</h2>"
            f"<p class='sub'>From the saved records, judged by {esc(self.profile.name)}.</p>"
            "<table class='grid' id='now-due'><thead><tr><th>What</th><th>Due by</th>"
            "<th>Status</th><th>Source</th></tr></thead><tbody>" + "".join(lines)
            + f"</tbody></table>{mid}")  # fmt: skip


def _hint(field, hint: widgets.HTML) -> None:
    """Put ``hint`` under the field's input, above its error line."""
    children = list(field.box.children)
    field.box.children = (*children[:-1], hint, children[-1])


# ---------------------------------------------------------------------------
# The page


class ConferenceApp:
    """Choose a conference; prepare it and record it."""

    def __init__(self, store: Store, profile: Profile, as_of: dt.date | None = None, *,
                 chair_id: int | None = None, conference_id: int | None = None):  # fmt: skip
        self.store = store
        self.profile = profile
        self.as_of = as_of or today()
        self.banner = Banner()
        chairs = {s["id"]: s["name"] for s in store.rows("staff", role="chair")}
        self.chair = widgets.Dropdown(options=[("All chairs", 0)] + [(n, i) for i, n in
                                                                    chairs.items()],
                                      value=chair_id if chair_id in chairs else 0,
                                      description="Chair")  # fmt: skip
        self.chair.observe(lambda _c: self.refresh(), names="value")
        self.picker = widgets.Dropdown(options=[], layout=widgets.Layout(width="640px"))
        self.open_button = primary(widgets.Button(description="Open",
                                                  layout=widgets.Layout(width="auto")))  # fmt: skip
        self.open_button.on_click(guarded(self.banner, "open the conference")(
            lambda _b: self.open(self.picker.value)))  # fmt: skip
        self.body = widgets.VBox([])
        self.preparation: PreparationView | None = None
        self.record: RecordView | None = None
        self.tabs: widgets.Tab | None = None
        authority = settings.get("authority_name", store)
        header = widgets.HTML(parts.box(
            f"<h1>Conference preparation and record</h1><p class='sub'>{esc(authority)} · "
            f"{esc(profile.name)} · {self.as_of:%-d %B %Y}</p>"))  # fmt: skip
        self.widget = widgets.VBox([
            style(), header,
            parts.section("Choose a conference", "Booked in the next six weeks (or not yet "
                          "recorded), soonest first; then those held in the last 60 days. Any "
                          "conference opens from its link: conference.ipynb?conference=ID."),
            widgets.HBox([self.chair]), widgets.HBox([self.picker, self.open_button], layout=widgets.Layout(gap="10px")),
            self.banner, self.body,
        ])  # fmt: skip
        self.widget.layout.max_width = parts.APP_WIDTH
        self.refresh()
        if conference_id is not None:
            self.open(conference_id)

    def refresh(self) -> None:
        rows = agenda.conferences(self.store, self.as_of, chair_id=self.chair.value or None)
        options = [(agenda.label(r), int(r["id"])) for _, r in rows.iterrows()] or [
            ("No conferences", "")]  # fmt: skip
        self.picker.options = options
        self.picker.value = options[0][1]

    def open(self, conference_id: int | str | None) -> None:
        if not conference_id:
            self.banner.bad("Choose a conference.")
            return
        file = agenda.open_conference(self.store, int(conference_id), self.profile, self.as_of)
        self.banner.clear()
        self.preparation = PreparationView(self.store, file)
        self.card = widgets.HTML(card(file))
        self.record = RecordView(self.store, file, on_saved=self._recorded)
        self.tabs = widgets.Tab(children=[self.preparation.widget, self.record.widget])
        self.tabs.titles = ("Preparation", "Record")
        self.tabs.add_class("cpt-tabs")
        if file.held or file.conference.get("stood_down"):
            self.tabs.selected_index = 1
        plan = file.plan()
        self.escalations = EscalationPanel(
            self.store, self.profile, file.child_id, plan_id=plan["id"] if plan else None,
            raised_by=file.conference.get("chair_id"), source_kind="conference",
            source_record_id=file.id, as_of=self.as_of,
            title="Escalations for this child")  # fmt: skip
        self.body.children = [self.card, self.tabs, self.escalations.widget]
        if int(conference_id) in [v for _, v in self.picker.options]:
            self.picker.value = int(conference_id)

    def _recorded(self, file: agenda.ConferenceFile) -> None:
        """After a record is saved: the card shows the plan, the list the conference held."""
        self.card.value = card(file)
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
