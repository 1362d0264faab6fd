"""The midway review form for one child: the facts the records show are written out for the
chair to read, the judgement is theirs to give; a decision to escalate opens the escalation
form, saved with the review (``cptrack.casework.midway``)."""

from __future__ import annotations

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.apps.escalation.form import EscalationForm
from cptrack.apps.escalation.html import log_table
from cptrack.apps.midway import html
from cptrack.apps.widgets import (
    DOCUMENT_FORMATS,
    Banner,
    ReportDownload,
    form_piece,
    guarded,
    primary,
    record_report,
)
from cptrack.caseload import load
from cptrack.casework.escalation_log import log as escalation_log
from cptrack.casework.midway import opening as midway_opening
from cptrack.casework.midway import saving as midway_saving
from cptrack.casework.midway.draft import ActionRow, MidwayDraft, OutcomeRow
from cptrack.casework.midway.opening import MidwayFile
from cptrack.casework.midway.saving import Saved
from cptrack.casework.midway.words import CITE, DECISION_WORDS, RAG_WORDS, RISK_WORDS
from cptrack.domain.models import MidwayDecision, RecordError, today
from cptrack.rules.sources import legend
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store


def _outcome_list() -> parts.RowList:
    rag = lambda: widgets.ToggleButtons(  # noqa: E731
        options=[("Red", "red"), ("Amber", "amber"), ("Green", "green")],
        value=None,
        tooltips=[RAG_WORDS["red"], RAG_WORDS["amber"], RAG_WORDS["green"]],
        style={"button_width": "70px"},
    )
    return parts.RowList(
        "outcomes",
        [
            parts.Column("outcome", "Outcome of the plan", lambda: parts.area(2), "330px"),
            parts.Column("rag", "Progress", rag, "240px"),
            parts.Column(
                "evidence",
                "Evidence: what has changed for the child",
                lambda: parts.area(2),
                "420px",
            ),
        ],
        from_item=lambda o: {"outcome": o.outcome, "rag": o.rag, "evidence": o.evidence},
        to_item=lambda v, _o: OutcomeRow(v["outcome"], v["rag"], v["evidence"]),
        add_label="Add an outcome",
        new_item=OutcomeRow,
    )


class MidwayForm:
    """The form for one child's midway review."""

    def __init__(self, file: MidwayFile, store: Store, on_saved=None):
        self.file = file
        self.store = store
        self.profile = file.profile
        self.on_saved = on_saved
        self.banner = Banner()
        d = midway_opening.fill_compliance(file)
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
                "risks_reducing",
                "Are the original risks reducing?",
                widgets.ToggleButtons(
                    options=[(w, k) for k, w in RISK_WORDS.items()],
                    value=None,
                    style={"button_width": "90px"},
                ),
                required=True,
            ),
            "risks_evidence": parts.field(
                "risks_evidence",
                "Evidence",
                parts.area(3),
                help="What has changed in the risks that led to the plan, and how you know.",
                required=True,
            ),
            "child_voice_heard": parts.field(
                "child_voice_heard",
                "Is the child's voice heard in the plan?",
                parts.yes_no(),
                required=True,
            ),
            "child_voice_evidence": parts.field(
                "child_voice_evidence",
                "How are the child's wishes and feelings known?",
                parts.area(2),
                help="Seen alone, their words, an advocate; or what will be done.",
                required=True,
            ),
            "contingency_still_right": parts.field(
                "contingency_still_right",
                "Is the contingency plan still right?",
                parts.yes_no(),
                required=True,
            ),
            "contingency_note": parts.field(
                "contingency_note", "What should change in it?", parts.area(2)
            ),
            "core_group_compliance": parts.field(
                "core_group_compliance",
                "Core groups",
                parts.area(3),
                help="Written from the records: check it and add what matters.",
            ),
            "visit_compliance": parts.field(
                "visit_compliance",
                "Visits",
                parts.area(3),
                help="Written from the records: check it and add what matters.",
            ),
            "decision": parts.field(
                "decision",
                "Decision",
                widgets.RadioButtons(
                    options=[(w, k) for k, w in DECISION_WORDS.items()],
                    value=None,
                    layout=widgets.Layout(width="auto"),
                ),
                required=True,
            ),
            "decision_rationale": parts.field(
                "decision_rationale",
                "Reasons for the decision",
                parts.area(3),
                help="Needed unless the plan is on track.",
            ),
        }
        for name in (
            "risks_reducing",
            "risks_evidence",
            "child_voice_heard",
            "child_voice_evidence",
            "contingency_still_right",
            "contingency_note",
            "core_group_compliance",
            "visit_compliance",
            "decision",
            "decision_rationale",
        ):
            f[name].value = getattr(d, name)
        self.outcomes = _outcome_list()
        self.outcomes.set(d.outcomes or [OutcomeRow()])
        self.actions = parts.action_list(ActionRow)
        self.actions.set(d.actions)
        self.escalation: EscalationForm | None = None
        self.escalation_box = widgets.VBox([])
        f["decision"].widget.observe(lambda _c: self._decision_changed(), names="value")
        self.save_button = primary(
            widgets.Button(
                description="Save the midway review" if not d.amending else "Save changes",
                layout=widgets.Layout(width="auto"),
            )
        )
        self.save_button.on_click(guarded(self.banner, "save")(lambda _b: self.save()))
        self.outcomes_error = widgets.HTML("")
        self.history = widgets.HTML("")
        self.widget = widgets.VBox(
            [
                widgets.HTML(html.card(file, d)),
                parts.section(
                    "What the records show",
                    "Since the conference: read this before you judge; it is filled in for you.",
                ),
                widgets.HTML(html.facts(file)),
                parts.section(
                    "Progress against each outcome of the plan",
                    "Rate each outcome and say what has changed for the child; add or "
                    "remove outcomes as the plan has them.",
                    CITE["midway"],
                ),
                self.outcomes.widget,
                parts.section(
                    "The original risks",
                    "Are the risks that led to the plan reducing?",
                    CITE["risks"],
                ),
                widgets.HTML(html.original_risks(file)),
                f["risks_reducing"].box,
                f["risks_evidence"].box,
                parts.section("The child's voice", "", CITE["child"]),
                f["child_voice_heard"].box,
                f["child_voice_evidence"].box,
                parts.section("Contingency plan", "", CITE["contingency"]),
                widgets.HTML(html.contingency(file)),
                f["contingency_still_right"].box,
                f["contingency_note"].box,
                parts.section("Core groups and visits"),
                f["core_group_compliance"].box,
                f["visit_compliance"].box,
                parts.section("Decision and actions"),
                f["date"].box,
                f["decision"].box,
                f["decision_rationale"].box,
                self.escalation_box,
                widgets.HTML(
                    form_piece("label", "Actions from this review")
                    + form_piece("help", "Added to the child's plan (who does what, by when).")
                ),
                self.actions.widget,
                self.banner,
                parts.buttons(self.save_button),
                self.download.widget,
                widgets.HTML(
                    parts.note("Sources: " + "; ".join(legend(["002", "003", "004"])) + ".")
                ),
                parts.section("Escalations for this child"),
                self.history,
            ]
        )
        self.widget.add_class("cpt-midway-form")
        self._decision_changed()
        self.show_history()

    # -- read-only parts ---------------------------------------------------

    def show_history(self) -> None:
        rows = escalation_log(
            load(self.store, child_ids=[self.file.child_id]), self.profile, self.file.as_of
        )
        self.history.value = log_table(rows, with_child=False)

    # -- the escalation a decision opens -----------------------------------

    def _decision_changed(self) -> None:
        escalating = self.fields["decision"].value == MidwayDecision.ESCALATE.value
        if escalating and self.draft.escalation_id is not None:
            self.escalation_box.children = [
                widgets.HTML(
                    html.paragraph(
                        f"This review opened escalation {self.draft.escalation_id}; record its "
                        "response in the escalation log."
                    )
                )
            ]
        elif escalating:
            if self.escalation is None:
                self.escalation = EscalationForm(
                    self.profile, midway_opening.new_escalation(self.file), prefix="escalation."
                )
            self.escalation_box.children = [
                widgets.HTML(
                    form_piece("label", "The escalation")
                    + form_piece("help", "Saved with the review.")
                ),
                self.escalation.widget,
            ]
        else:
            self.escalation_box.children = []

    # -- saving ------------------------------------------------------------

    def read(self) -> MidwayDraft:
        values = {name: f.value for name, f in self.fields.items()}
        values["outcomes"] = self.outcomes.items()
        values["actions"] = self.actions.items()
        escalating = values["decision"] == MidwayDecision.ESCALATE.value
        values["escalation"] = self.escalation.draft() if escalating and self.escalation else None
        return self.draft.with_values(**values)

    def save(self) -> Saved | None:
        draft = self.read()
        lists = {"outcomes": self.outcomes, "actions": self.actions}
        parts.clear_errors(self.fields, lists)
        if self.escalation:
            self.escalation.clear_errors()
        self.banner.clear()
        try:
            saved = midway_saving.save(self.store, draft, self.profile, today())
        except RecordError as exc:
            extra = [self.escalation.show_errors] if self.escalation else []
            parts.show_errors(exc.by_field(), self.fields, lists, self.banner, extra=extra)
            return None
        except StaleVersionError as exc:
            self.banner.bad(str(exc))
            return None
        # Reopen from the database: the form now amends what was saved.
        self.file = midway_opening.open_review(
            self.store, self.file.child_id, self.profile, self.file.as_of
        )
        self.draft = self.file.draft
        self.actions.set(self.draft.actions)
        self.escalation = None
        self._decision_changed()
        self.widget.children = (
            widgets.HTML(html.card(self.file, self.draft)),
            *self.widget.children[1:],
        )
        self.save_button.description = "Save changes"
        self.download.forget()
        self.download.widget.layout.display = None
        self.show_history()
        if self.on_saved:  # the list first: everything is up to date when the message shows
            self.on_saved()
        self.banner.ok(saved.message)
        return saved
