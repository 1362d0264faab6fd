"""The midway review page: who is due, and the form for one child.

The list comes from ``model.due_list`` (the engine's midway findings); the form from
``model.open_review``: the facts the records show are written out for the chair to read,
the judgement is theirs to give. Nothing here computes a date or writes to the database.
"""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import pandas as pd

from cptrack import profiles, settings
from cptrack.apps import parts
from cptrack.apps.escalation.view import EscalationForm, log_table
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
from cptrack.caseload import load
from cptrack.casework import midway as mw
from cptrack.escalations import log as escalation_log
from cptrack.models import CATEGORY_LABELS, MidwayDecision, RecordError, today
from cptrack.profiles import Profile
from cptrack.render.style import esc
from cptrack.sources import legend
from cptrack.store import StaleVersionError, Store, StoreError

WINDOWS = {10: "2 weeks", 20: "4 weeks", 40: "8 weeks"}


def _outcome_list() -> parts.RowList:
    rag = lambda: widgets.ToggleButtons(  # noqa: E731
        options=[("Red", "red"), ("Amber", "amber"), ("Green", "green")], value=None,
        tooltips=[mw.RAG_WORDS["red"], mw.RAG_WORDS["amber"], mw.RAG_WORDS["green"]],
        style={"button_width": "70px"},
    )  # fmt: skip
    return parts.RowList(
        "outcomes",
        [parts.Column("outcome", "Outcome of the plan", lambda: parts.area(2), "330px"),
         parts.Column("rag", "Progress", rag, "240px"),
         parts.Column("evidence", "Evidence: what has changed for the child",
                      lambda: parts.area(2), "420px")],
        from_item=lambda o: {"outcome": o.outcome, "rag": o.rag, "evidence": o.evidence},
        to_item=lambda v, _o: mw.OutcomeRow(v["outcome"], v["rag"], v["evidence"]),
        add_label="Add an outcome",
        new_item=mw.OutcomeRow,
    )  # fmt: skip


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
        self.file: mw.MidwayFile | None = None
        staff = load_staff(store)
        self.chair = widgets.Dropdown(
            options=[("All chairs", 0)] + [(n, i) for i, n in staff.items()],
            value=chair_id if chair_id in staff else 0, description="Chair",
        )  # fmt: skip
        self.window = widgets.Dropdown(options=[(w, n) for n, w in WINDOWS.items()], value=20,
                                       description="Due within")  # fmt: skip
        self.listing = widgets.HTML("")
        self.picker = widgets.Dropdown(options=[], layout=widgets.Layout(width="520px"))
        self.child_id = widgets.Text(placeholder="or a child ID, e.g. C000001",
                                     layout=widgets.Layout(width="240px"))  # fmt: skip
        self.open_button = primary(widgets.Button(description="Open the midway review",
                                                  layout=widgets.Layout(width="auto")))  # fmt: skip
        self.open_button.on_click(guarded(self.banner, "open the review")(
            lambda _b: self.open_child(self.child_id.value.strip() or self.picker.value)))  # fmt: skip
        self.chair.observe(lambda _c: self.refresh_list(), names="value")
        self.window.observe(lambda _c: self.refresh_list(), names="value")
        self.form_box = widgets.VBox([])
        authority = settings.get("authority_name", store)
        checked = (f"{profile.name} makes the midway review a standard "
                   f"({'; '.join(r.citation.split(':')[0] for r in profile.rules_for('midway_review'))}). "
                   if mw.has_rule(profile) else
                   f"{profile.name} sets no midway review standard: the midway points below are "
                   "a prompt (the setting midway_review_point of the way to the next review), "
                   "not checked. ")  # fmt: skip
        header = widgets.HTML(parts.box(
            f"<h1>Midway review</h1><p class='sub'>{esc(authority)} · {esc(profile.name)} · "
            f"{self.as_of:%-d %B %Y}</p><p>Halfway between conferences the "
            f"{esc(profile.chair_role)} checks that the plan is working for the child, not only "
            f"that meetings happen. {esc(checked)}</p>"))  # fmt: skip
        self.due = widgets.Accordion(children=[widgets.VBox([
            widgets.HTML(parts.box("<p class='note'>Overdue first, then due within the period "
                                   "you choose. Open a child's review from the list below it."
                                   "</p>")),
            widgets.HBox([self.chair, self.window]), self.listing])], selected_index=0)  # fmt: skip
        self.widget = widgets.VBox([
            style(), header, self.due,
            widgets.HBox([self.picker, self.child_id, self.open_button],
                         layout=widgets.Layout(gap="10px")),
            self.banner, self.form_box,
        ])  # fmt: skip
        self.widget.layout.max_width = parts.APP_WIDTH
        self.refresh_list()
        if child_id:
            self.open_child(child_id)

    # -- the list ----------------------------------------------------------

    def refresh_list(self) -> None:
        caseload = load(self.store, chair_id=self.chair.value or None)
        rows = mw.due_list(caseload, self.profile, self.as_of, within_wd=self.window.value)
        self.rows = rows
        self.listing.value = parts.box(due_table(rows))
        options = [(f"{r.child_id} {r.name}: {r.status_text} (due {r.due_date:%-d %b %Y})",
                    str(r.child_id)) for r in rows.itertuples()] or [("No child is due", "")]  # fmt: skip
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
        self.file = mw.open_review(self.store, child_id, self.profile, self.as_of)
        if self.file.plan is None:
            self.form_box.children = []
            self.banner.info(f"{child_id} has no open child protection plan, so there is no "
                             "midway review to record.")  # fmt: skip
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


def due_table(rows: pd.DataFrame) -> str:
    if rows.empty:
        return "<p class='note'>No child's midway review is due in this period.</p>"
    body = []
    for r in rows.itertuples():
        words = r.status_text if r.checked else f"{r.status_text} (not checked)"
        cite = f"<div class='note'>{esc(r.citation)}</div>" if r.citation else ""
        last = f"{r.last_conference:%-d %b %Y}" if not pd.isna(r.last_conference) else "—"
        body.append(
            f"<tr><td><a href='midway_review.ipynb?child={esc(r.child_id)}'>{esc(r.child_id)}</a>"
            f"</td><td>{esc(r.name)}</td><td>{esc(r.chair)}</td><td>{last}</td>"
            f"<td>{r.due_date:%-d %b %Y}</td><td>{parts.tag(r.rag, words)}{cite}</td></tr>"
        )
    return ("<table class='grid' id='midway-due'><thead><tr><th>Child</th><th>Name</th>"
            "<th>Chair</th><th>Last conference</th><th>Midway review due</th><th>Status</th>"
            "</tr></thead><tbody>" + "".join(body) + "</tbody></table>")  # fmt: skip


class MidwayForm:
    """The form for one child's midway review."""

    def __init__(self, file: mw.MidwayFile, store: Store, on_saved=None):
        self.file = file
        self.store = store
        self.profile = file.profile
        self.on_saved = on_saved
        self.banner = Banner()
        d = mw.fill_compliance(file)
        self.draft = d
        # The saved review as a document (PDF, Word, HTML), once there is one.
        self.download = ReportDownload(
            self.banner,
            lambda: record_report(self.store, "midway_review", self.draft.record_id),
            DOCUMENT_FORMATS,
        )
        self.download.widget.layout.display = None if d.record_id else "none"
        f = self.fields = {
            "date": parts.field("date", "Date of the review", parts.date(d.date), required=True),
            "risks_reducing": parts.field(
                "risks_reducing", "Are the original risks reducing?",
                widgets.ToggleButtons(options=[(w, k) for k, w in mw.RISK_WORDS.items()],
                                      value=None, style={"button_width": "90px"}),
                required=True),
            "risks_evidence": parts.field("risks_evidence", "Evidence", parts.area(3),
                                          help="What has changed in the risks that led to the "
                                          "plan, and how you know.", required=True),
            "child_voice_heard": parts.field("child_voice_heard",
                                             "Is the child's voice heard in the plan?",
                                             parts.yes_no(), required=True),
            "child_voice_evidence": parts.field(
                "child_voice_evidence", "How are the child's wishes and feelings known?",
                parts.area(2), help="Seen alone, their words, an advocate; or what will be done.",
                required=True),
            "contingency_still_right": parts.field("contingency_still_right",
                                                   "Is the contingency plan still right?",
                                                   parts.yes_no(), required=True),
            "contingency_note": parts.field("contingency_note", "What should change in it?",
                                            parts.area(2)),
            "core_group_compliance": parts.field(
                "core_group_compliance", "Core groups", parts.area(3),
                help="Written from the records: check it and add what matters."),
            "visit_compliance": parts.field("visit_compliance", "Visits", parts.area(3),
                                            help="Written from the records: check it and add "
                                            "what matters."),
            "decision": parts.field(
                "decision", "Decision",
                widgets.RadioButtons(options=[(w, k) for k, w in mw.DECISION_WORDS.items()],
                                     value=None, layout=widgets.Layout(width="auto")),
                required=True),
            "decision_rationale": parts.field("decision_rationale", "Reasons for the decision",
                                              parts.area(3),
                                              help="Needed unless the plan is on track."),
        }  # fmt: skip
        for name in ("risks_reducing", "risks_evidence", "child_voice_heard",
                     "child_voice_evidence", "contingency_still_right", "contingency_note",
                     "core_group_compliance", "visit_compliance", "decision",
                     "decision_rationale"):  # fmt: skip
            f[name].value = getattr(d, name)
        self.outcomes = _outcome_list()
        self.outcomes.set(d.outcomes or [mw.OutcomeRow()])
        self.actions = parts.action_list(mw.ActionRow)
        self.actions.set(d.actions)
        self.escalation: EscalationForm | None = None
        self.escalation_box = widgets.VBox([])
        f["decision"].widget.observe(lambda _c: self._decision_changed(), names="value")
        self.save_button = primary(widgets.Button(
            description="Save the midway review" if not d.amending else "Save changes",
            layout=widgets.Layout(width="auto")))  # fmt: skip
        self.save_button.on_click(guarded(self.banner, "save")(lambda _b: self.save()))
        self.outcomes_error = widgets.HTML("")
        self.history = widgets.HTML("")
        self.widget = widgets.VBox([
            widgets.HTML(parts.box(self.card())),
            parts.section("What the records show", "Since the conference: read this before "
                          "you judge; it is filled in for you."),
            widgets.HTML(parts.box(self.facts())),
            parts.section("Progress against each outcome of the plan",
                          "Rate each outcome and say what has changed for the child; add or "
                          "remove outcomes as the plan has them.", mw.CITE["midway"]),
            self.outcomes.widget,
            parts.section("The original risks", "Are the risks that led to the plan reducing?",
                          mw.CITE["risks"]),
            widgets.HTML(parts.box(self.original_risks())),
            f["risks_reducing"].box, f["risks_evidence"].box,
            parts.section("The child's voice", "", mw.CITE["child"]),
            f["child_voice_heard"].box, f["child_voice_evidence"].box,
            parts.section("Contingency plan", "", mw.CITE["contingency"]),
            widgets.HTML(parts.box(f"<p><b>Current contingency plan:</b> "
                              f"{esc(file.plan.get('contingency_plan'))}</p>")),
            f["contingency_still_right"].box, f["contingency_note"].box,
            parts.section("Core groups and visits"),
            f["core_group_compliance"].box, f["visit_compliance"].box,
            parts.section("Decision and actions"),
            f["date"].box, f["decision"].box, f["decision_rationale"].box,
            self.escalation_box,
            widgets.HTML("<div class='cpt-label'>Actions from this review</div>"
                         "<div class='cpt-help'>Added to the child's plan (who does what, by "
                         "when).</div>"),
            self.actions.widget,
            self.banner, parts.buttons(self.save_button), self.download.widget,
            widgets.HTML(parts.box("<p class='note'>Sources: " + "; ".join(
                esc(line) for line in legend(["002", "003", "004"])) + ".</p>")),
            parts.section("Escalations for this child"), self.history,
        ])  # fmt: skip
        self.widget.add_class("cpt-midway-form")
        self._decision_changed()
        self.show_history()

    # -- read-only parts ---------------------------------------------------

    def card(self) -> str:
        file = self.file
        plan = file.plan
        m = file.midway
        kind = m["rag"] if m and m["rag"] else ("green" if m and m["status"] == "met" else "grey")
        status = (parts.tag(kind, f"Midway review {m['status_text']}") +
                  f" <span class='cpt-cite'>[{esc(m['message'].split('[')[-1].rstrip(']'))}]</span>"
                  if m else parts.tag("grey", "Not checked by this profile"))  # fmt: skip
        cat = CATEGORY_LABELS.get(plan.get("latest_category"), plan.get("latest_category"))
        sched = file.schedule
        review = sched.get("next_review_due")
        booked = sched.get("review_booked")
        review_words = (f"{pd.Timestamp(review):%-d %b %Y}" if review is not None
                        and not pd.isna(review) else "—")  # fmt: skip
        if booked is not None and not pd.isna(booked):
            review_words += f" (booked {pd.Timestamp(booked):%-d %b %Y})"
        due = f"{m['due_date']:%-d %b %Y}" if m and m.get("due_date") else "—"
        kv = [("Child", f"{file.child_id}"), ("Plan started", f"{plan['start_date']:%-d %b %Y}"),
              ("Category", cat), ("Last conference", f"{file.since:%-d %b %Y}" if file.since
                                  else "—"),
              ("Midway review due", due), ("Next review due", review_words)]  # fmt: skip
        body = "".join(f"<span class='cpt-kv'><b>{esc(k)}</b>{esc(v)}</span>" for k, v in kv)
        saved = ("<p>A midway review is already saved for this interval: you are amending it "
                 f"(version {self.draft.version}).</p>" if self.draft.amending else "")  # fmt: skip
        return (f"<div class='cpt-card' id='midway-child'><h2>{esc(file.child_name)}</h2>"
                f"{body}<div>{status}</div>{saved}</div>")  # fmt: skip

    def facts(self) -> str:
        file = self.file
        parts_ = [f"<p><b>Core groups:</b> {esc(file.core_group_summary())}</p>",
                  f"<p><b>Visits:</b> {esc(file.visit_summary())}</p>"]  # fmt: skip
        overdue = file.actions_overdue()
        if len(overdue):
            rows = "".join(
                f"<tr><td>{esc(a.description)}</td><td>{esc(a.owner)}</td>"
                f"<td>{a.due_date:%-d %b %Y}</td></tr>" for a in overdue.itertuples()
            )
            parts_.append("<p><b>Actions overdue:</b></p><table class='grid'><thead><tr>"
                          "<th>Action</th><th>Who</th><th>Due</th></tr></thead>"
                          f"<tbody>{rows}</tbody></table>")  # fmt: skip
        else:
            parts_.append("<p><b>Actions overdue:</b> none.</p>")
        found = file.open_findings()
        if len(found):
            rows = "".join(
                f"<tr><td>{parts.tag(f.rag, f.rag.capitalize())}</td><td>{esc(f.message)}</td>"
                f"<td>{f.due_date:%-d %b %Y}</td></tr>" for f in found.itertuples()
            )
            parts_.append("<p><b>Standards not met or due soon:</b></p><table class='grid' "
                          "id='midway-findings'><thead><tr><th>RAG</th><th>Standard</th>"
                          f"<th>Due</th></tr></thead><tbody>{rows}</tbody></table>")  # fmt: skip
        else:
            parts_.append("<p><b>Standards:</b> nothing overdue or due soon.</p>")
        return "<div class='cpt-facts'>" + "".join(parts_) + "</div>"

    def original_risks(self) -> str:
        conf = self.file.conference or {}
        items = [("What we were worried about", conf.get("worried_about")),
                 ("Danger statements", conf.get("danger_statements"))]  # fmt: skip
        shown = "".join(f"<p><b>{esc(k)}:</b> {esc(v)}</p>" for k, v in items if v)
        return shown or "<p class='note'>The conference record holds no worries or danger " \
                        "statements.</p>"

    def show_history(self) -> None:
        rows = escalation_log(load(self.store, child_ids=[self.file.child_id]), self.profile,
                              self.file.as_of)  # fmt: skip
        self.history.value = parts.box(log_table(rows, with_child=False))

    # -- the escalation a decision opens -----------------------------------

    def _decision_changed(self) -> None:
        escalating = self.fields["decision"].value == MidwayDecision.ESCALATE.value
        if escalating and self.draft.escalation_id is not None:
            self.escalation_box.children = [widgets.HTML(parts.box(
                f"<p>This review opened escalation {self.draft.escalation_id}; record its "
                "response in the escalation log.</p>"))]  # fmt: skip
        elif escalating:
            if self.escalation is None:
                self.escalation = EscalationForm(self.profile, mw.new_escalation(self.file),
                                                 prefix="escalation.")  # fmt: skip
            self.escalation_box.children = [
                widgets.HTML("<div class='cpt-label'>The escalation</div><div class='cpt-help'>"
                             "Saved with the review.</div>"), self.escalation.widget]  # fmt: skip
        else:
            self.escalation_box.children = []

    # -- saving ------------------------------------------------------------

    def read(self) -> mw.MidwayDraft:
        values = {name: f.value for name, f in self.fields.items()}
        values["outcomes"] = self.outcomes.items()
        values["actions"] = self.actions.items()
        escalating = values["decision"] == MidwayDecision.ESCALATE.value
        values["escalation"] = self.escalation.draft() if escalating and self.escalation else None
        return self.draft.with_values(**values)

    def save(self) -> mw.Saved | None:
        draft = self.read()
        lists = {"outcomes": self.outcomes, "actions": self.actions}
        parts.clear_errors(self.fields, lists)
        if self.escalation:
            self.escalation.clear_errors()
        self.banner.clear()
        try:
            saved = mw.save(self.store, draft, self.profile, today())
        except RecordError as exc:
            extra = [self.escalation.show_errors] if self.escalation else []
            parts.show_errors(exc.by_field(), self.fields, lists, self.banner, extra=extra)
            return None
        except StaleVersionError as exc:
            self.banner.bad(str(exc))
            return None
        # Reopen from the database: the form now amends what was saved.
        self.file = mw.open_review(self.store, self.file.child_id, self.profile, self.file.as_of)
        self.draft = self.file.draft
        self.actions.set(self.draft.actions)
        self.escalation = None
        self._decision_changed()
        self.widget.children = (widgets.HTML(parts.box(self.card())), *self.widget.children[1:])
        self.save_button.description = "Save changes"
        self.download.forget()
        self.download.widget.layout.display = None
        self.show_history()
        if self.on_saved:  # the list first: everything is up to date when the message shows
            self.on_saved()
        self.banner.ok(saved.message)
        return saved
