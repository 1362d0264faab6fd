"""One child's escalations, to embed in any app: the log, each with the engine's verdict on
its response (red when overdue), a button to open a new one and a form to record a response
and outcome::

    panel = EscalationPanel(store, profile, child_id, plan_id=plan_id,
                            source_kind="case_tracking", source_record_id=record_id)
    display(panel.widget)        # panel.refresh() after the host saves
"""

from __future__ import annotations

import datetime as dt
import logging

import ipywidgets as widgets
import pandas as pd

from cptrack.apps import parts
from cptrack.apps.escalation.form import EscalationForm
from cptrack.apps.escalation.html import log_table
from cptrack.apps.widgets import Banner, form_piece, guarded, primary
from cptrack.caseload import load
from cptrack.casework import escalation_log, escalations
from cptrack.casework.escalations import STATUS_WORDS, EscalationDraft
from cptrack.domain.models import RecordError, today
from cptrack.rules.profiles import Profile
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store

log = logging.getLogger("cptrack.apps")


class EscalationPanel:
    """One child's escalations: the log, open a new one, record a response and outcome."""

    def __init__(
        self,
        store: Store,
        profile: Profile,
        child_id: str,
        *,
        plan_id: int | None = None,
        raised_by: int | None = None,
        source_kind: str = "escalation_log",
        source_record_id: int | None = None,
        as_of: dt.date | None = None,
        title: str = "Escalations",
        on_saved=None,
    ):
        self.store = store
        self.profile = profile
        self.child_id = child_id
        self.plan_id = plan_id
        self.raised_by = raised_by
        self.source_kind = source_kind
        self.source_record_id = source_record_id
        self.as_of = as_of or today()
        self.on_saved = on_saved
        self.banner = Banner()
        self.table = widgets.HTML("")
        self.pick = widgets.Dropdown(description="", layout=widgets.Layout(width="420px"))
        self.open_new = widgets.Button(
            description="Open a new escalation", layout=widgets.Layout(width="auto")
        )
        self.open_existing = widgets.Button(
            description="Record a response or outcome", layout=widgets.Layout(width="auto")
        )
        self.save_button = primary(
            widgets.Button(description="Save the escalation", layout=widgets.Layout(width="auto"))
        )
        self.cancel = widgets.Button(description="Cancel", layout=widgets.Layout(width="auto"))
        self.form: EscalationForm | None = None
        self.form_box = widgets.VBox([])
        self.open_new.on_click(guarded(self.banner, "open the form")(lambda _b: self.start_new()))
        self.open_existing.on_click(
            guarded(self.banner, "open the escalation")(lambda _b: self.start_existing())
        )
        self.save_button.on_click(guarded(self.banner, "save")(lambda _b: self.save()))
        self.cancel.on_click(lambda _b: self.close_form())
        self.controls = parts.buttons(self.open_new, self.pick, self.open_existing)
        self.widget = widgets.VBox(
            [
                parts.section(
                    title,
                    "Escalate when practice falls short; a response overdue "
                    "shows red here and on the dashboard.",
                    "; ".join(escalations.CITATIONS),
                ),
                self.table,
                self.controls,
                self.form_box,
                self.banner,
            ]
        )
        self.widget.add_class("cpt-escalation-panel")
        self.refresh()

    def rows(self) -> pd.DataFrame:
        caseload = load(self.store, child_ids=[self.child_id])
        return escalation_log.log(caseload, self.profile, self.as_of)

    def refresh(self) -> None:
        rows = self.rows()
        self.table.value = log_table(
            rows, with_child=False, table_id=f"escalations-{self.child_id}"
        )
        options = [
            (
                f"No. {int(r.id)}: {r.raised_on:%-d %b %Y}, {r.stage} "
                f"({STATUS_WORDS.get(r.status, r.status)})",
                int(r.id),
            )
            for r in rows.itertuples()
        ]
        self.pick.options = options
        self.pick.layout.display = None if options else "none"
        self.open_existing.layout.display = None if options else "none"

    def start_new(self) -> None:
        draft = escalations.new_draft(
            self.profile,
            self.child_id,
            plan_id=self.plan_id,
            raised_by=self.raised_by,
            on=self.as_of,
            source_kind=self.source_kind,
            source_record_id=self.source_record_id,
        )
        self._show_form(draft)

    def start_existing(self, escalation_id: int | None = None) -> None:
        escalation_id = escalation_id or self.pick.value
        row = self.store.get("escalations", escalation_id)
        if row is None or row["child_id"] != self.child_id:
            self.banner.bad(f"There is no escalation {escalation_id} for this child.")
            return
        self._show_form(escalations.open_draft(row))

    def _show_form(self, draft: EscalationDraft) -> None:
        self.banner.clear()
        self.form = EscalationForm(self.profile, draft)
        head = (
            f"Record the response and outcome of escalation {draft.record_id}"
            if draft.amending
            else "A new escalation"
        )
        self.form_box.children = [
            widgets.HTML(form_piece("label", head)),
            self.form.widget,
            parts.buttons(self.save_button, self.cancel),
        ]

    def close_form(self) -> None:
        self.form = None
        self.form_box.children = []

    def save(self) -> dict | None:
        if self.form is None:
            return None
        draft = self.form.draft()
        self.form.clear_errors()
        try:
            row = escalations.save(self.store, draft, self.profile, today())
        except RecordError as exc:
            by_field = exc.by_field()
            shown = self.form.show_errors(by_field)
            loose = [m for k, ms in by_field.items() if k not in shown for m in ms]
            self.banner.bad("Not saved: put right what is marked in red.", loose)
            return None
        except StaleVersionError as exc:
            self.banner.bad(str(exc))
            return None
        self.close_form()
        self.refresh()
        if self.on_saved:  # the host first: all is up to date when the message shows
            self.on_saved()
        self.banner.ok(escalations.saved_message(row, amended=draft.amending))
        return row
