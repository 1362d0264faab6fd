"""One child on the case-tracking page: the card, what needs attention (every finding with
its rule and citation), the plan's actions, the chronology (timeline and table), the
case-tracking records and the form, and the child's escalations (``EscalationPanel``)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.apps.escalation.panel import EscalationPanel
from cptrack.apps.tracking import html
from cptrack.apps.tracking.form import RecordForm
from cptrack.apps.widgets import Banner, ReportDownload, guarded
from cptrack.casework.tracking import child as child_file
from cptrack.casework.tracking import record as tracking_record
from cptrack.casework.tracking.child import REPORT_FORMATS, ChildFile
from cptrack.casework.tracking.record import Saved
from cptrack.casework.tracking.words import DECISION_WORDS
from cptrack.domain import values
from cptrack.domain.models import TrackingDecision, today
from cptrack.domain.values import fmt
from cptrack.rules.profiles import Profile
from cptrack.storage.store import Store


class Page(Protocol):
    """What a child's view reads from the page around it (``view.TrackingApp``)."""

    store: Store
    profile: Profile
    as_of: dt.date


class ChildView:
    """One child: card, findings, actions, chronology, records and form, escalations."""

    def __init__(self, app: Page):
        self.app = app
        self.banner = Banner()
        self.file: ChildFile | None = None
        self.panel: EscalationPanel | None = None
        self.built = False
        self.body = widgets.VBox([widgets.HTML(html.no_child())])
        self.widget = widgets.VBox([self.banner, self.body])

    def build(self) -> None:
        """The child view's widgets, made when the first child opens (the dashboard's page
        is interactive sooner without them)."""
        if self.built:
            return
        self.built = True
        self.card = widgets.HTML("")
        self.findings = widgets.HTML("")
        self.history = widgets.HTML("")
        self.history_box = widgets.Accordion(children=[self.history], selected_index=None)
        self.actions = widgets.HTML("")
        self.timeline = widgets.HTML("")
        self.chron = widgets.HTML("")
        self.records = widgets.HTML("")
        self.amend_pick = widgets.Dropdown(options=[], layout=widgets.Layout(width="420px"))
        self.amend_button = widgets.Button(
            description="Amend this record", layout=widgets.Layout(width="auto")
        )
        self.new_button = widgets.Button(
            description="Start a new check", layout=widgets.Layout(width="auto")
        )
        self.amend_button.on_click(
            guarded(self.banner, "open the record")(lambda _b: self.amend(self.amend_pick.value))
        )
        self.new_button.on_click(guarded(self.banner, "start a check")(lambda _b: self.new()))
        self.form = RecordForm(self.saved)
        self.escalation_box = widgets.VBox([])
        app = self.app
        self.download = ReportDownload(
            self.banner,
            lambda: child_file.report_request(
                app.store, app.profile, app.as_of, child_id=self.file.child_id
            ),
            REPORT_FORMATS["child_summary"],
        )

    def open(self, child_id: str) -> None:
        self.banner.clear()
        self.build()
        self.file = child_file.open_child(
            self.app.store, child_id, self.app.profile, self.app.as_of
        )
        self.panel = EscalationPanel(
            self.app.store,
            self.app.profile,
            child_id,
            plan_id=self._plan_id(),
            raised_by=values.as_int(self.file.child.get("chair_id")),
            source_kind="case_tracking",
            as_of=self.app.as_of,
            title="Escalations",
            on_saved=self.refresh,
        )
        self.escalation_box.children = [self.panel.widget]
        self.form.store = self.app.store
        self.show()
        self.new()
        self.download.forget()
        self.body.children = [
            self.card,
            self.download.widget,
            parts.section(
                "What needs attention",
                "Every open item for this child, worst "
                "first: the standard, its due date and where it comes from.",
            ),
            self.findings,
            self.history_box,
            parts.section("Plan actions", "Who does what by when."),
            self.actions,
            parts.section("Chronology", "Every event in the records, newest first in the table."),
            self.timeline,
            self.chron,
            parts.section(
                "Case-tracking records",
                "Your checks between conferences; choose one to amend it.",
                "000 Case Tracking",
            ),
            self.records,
            parts.buttons(self.amend_pick, self.amend_button, self.new_button),
            self.form.widget,
            self.escalation_box,
        ]

    def _plan_id(self) -> int | None:
        return self.file.plan["id"] if self.file and self.file.plan_open else None

    def show(self) -> None:
        from cptrack.apps.tracking.chart import timeline_svg

        file = self.file
        self.card.value = html.child_card(file)
        self.findings.value = html.findings_table(file.open_findings(), "tracking-findings")
        settled = file.settled_findings()
        self.history.value = html.findings_table(settled, "tracking-settled")
        self.history_box.titles = (f"Settled: {len(settled)} items met, met late or missed",)
        self.actions.value = html.actions_table(file.actions())
        chron = file.chronology()
        plans = [
            (values.as_date(p.start_date), values.as_date(p.end_date))
            for p in file.caseload.cp_plans.itertuples()
        ]
        svg = timeline_svg(chron, file.as_of, plans)
        self.timeline.value = html.timeline(svg)
        self.chron.value = html.chronology_table(chron)
        recs = file.records()
        self.records.value = html.records_table(recs)
        own = recs[recs["kind"] == "case_tracking"]
        options = [
            (
                f"{fmt(r.date, '—')}: {DECISION_WORDS.get(r.decision, r.decision)} "
                f"(version {int(r.version)})",
                int(r.id),
            )
            for r in own.itertuples()
        ]
        self.amend_pick.options = options
        self.amend_pick.value = options[0][1] if options else None
        shown = None if options else "none"
        self.amend_pick.layout.display = shown
        self.amend_button.layout.display = shown

    def new(self) -> None:
        self.form.set(tracking_record.new_draft(self.file, today()))

    def amend(self, record_id: int | None) -> None:
        row = self.app.store.get("case_tracking", record_id) if record_id else None
        if row is None or row["child_id"] != self.file.child_id:
            self.banner.bad("Choose one of this child's records to amend.")
            return
        self.form.set(tracking_record.open_draft(row))

    def saved(self, saved: Saved) -> None:
        """After a save: the child's history and the dashboard read again; an escalation
        decision opens the escalation form, linked to the record."""
        record = saved.record
        self.file = child_file.open_child(
            self.app.store, self.file.child_id, self.app.profile, self.app.as_of
        )
        self.show()
        self.form.set(tracking_record.open_draft(self.app.store.get("case_tracking", record["id"])))
        self.app.refresh()
        if record.get("decision") == TrackingDecision.ESCALATE.value and self.panel:
            self.panel.source_record_id = record["id"]
            self.panel.start_new()

    def refresh(self) -> None:
        if self.file is not None:
            self.file = child_file.open_child(
                self.app.store, self.file.child_id, self.app.profile, self.app.as_of
            )
            self.show()
        self.app.refresh()
