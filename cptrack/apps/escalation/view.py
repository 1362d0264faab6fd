"""Escalation widgets: a form any app can embed, a panel for one child, and the log app.

* ``EscalationForm``: the inputs of one escalation (new or being answered), bound to an
  ``cptrack.escalations.EscalationDraft``. A host form that saves the escalation with its
  own record (the midway review) reads ``draft()`` and passes refusals to ``show_errors``
  with its prefix; the response date follows the date raised (the profile's default) until
  the chair changes it.
* ``EscalationPanel``: one child's escalations, each with the engine's verdict on its
  response (red when overdue), a button to open a new one and a form to record a response
  and outcome. Embed it in any app::

      panel = EscalationPanel(store, profile, child_id, plan_id=plan_id,
                              source_kind="case_tracking", source_record_id=record_id)
      display(panel.widget)        # panel.refresh() after the host saves

* ``EscalationLogApp``: every escalation (open ones by default), and the panel for the one
  picked; the ``escalations.ipynb`` page.
"""

from __future__ import annotations

import datetime as dt
import logging

import ipywidgets as widgets
import pandas as pd

from cptrack import escalations, profiles, settings
from cptrack.apps import parts
from cptrack.apps.widgets import Banner, guarded, open_store, primary, query_params, style
from cptrack.caseload import load
from cptrack.escalations import STATUS_WORDS, EscalationDraft
from cptrack.models import RecordError, today
from cptrack.profiles import Profile
from cptrack.render.style import esc
from cptrack.store import StaleVersionError, Store, StoreError

log = logging.getLogger("cptrack.apps")
FINDING_WORDS = {"overdue": "red", "due": "amber", "met": "green", "met_late": "grey",
                 "cannot_tell": "amber"}  # fmt: skip


class EscalationForm:
    """The inputs of one escalation. ``prefix`` is how a host names its fields."""

    def __init__(self, profile: Profile, draft: EscalationDraft, prefix: str = ""):
        self.profile = profile
        self.prefix = prefix
        self.base = draft
        known = escalations.stages(profile)
        stages = known + ([draft.stage] if draft.stage and draft.stage not in known else [])
        self.fields = {
            "raised_on": parts.field("raised_on", "Date raised", parts.date(draft.raised_on),
                                     required=True),
            "stage": parts.field("stage", "Stage",
                                 parts.choice({s: s[:1].upper() + s[1:] for s in stages}),
                                 help=f"{profile.name}'s escalation stages, in order.",
                                 required=True),
            "raised_with": parts.field("raised_with", "Raised with", parts.text("420px"),
                                       help="Name and role, e.g. the social worker's team manager.",
                                       required=True),
            "reason": parts.field("reason", "The concern, and what you are asking for",
                                  parts.area(3), required=True),
            "response_due": parts.field("response_due", "Response due by",
                                        parts.date(draft.response_due), required=True,
                                        help="Proposed from the profile: "
                                        f"{_rule_words(profile)}. Change it if you agreed "
                                        "another date."),
            "response": parts.field("response", "Response received", parts.area(2)),
            "response_date": parts.field("response_date", "Date of the response", parts.date()),
            "outcome": parts.field("outcome", "Outcome", parts.area(2),
                                   help="How it was resolved, or why it was withdrawn."),
            "status": parts.field("status", "Status", parts.choice(STATUS_WORDS, none=None,
                                                                    width="200px")),
        }  # fmt: skip
        self._auto_due = True
        self.set(draft)
        self.fields["raised_on"].widget.observe(self._raised_changed, names="value")
        self.fields["response_due"].widget.observe(self._due_changed, names="value")
        answer = ("response", "response_date", "outcome", "status")
        self.answer_box = widgets.VBox([self.fields[n].box for n in answer])
        first = ("raised_on", "stage", "raised_with", "reason", "response_due")
        self.widget = widgets.VBox([self.fields[n].box for n in first] + [self.answer_box])
        self.widget.add_class("cpt-escalation-form")
        self.answer_box.layout.display = None if draft.amending else "none"

    def _raised_changed(self, change) -> None:
        if self._auto_due and change["new"] is not None:
            self._setting_due = True
            self.fields["response_due"].value = escalations.response_due(self.profile,
                                                                        change["new"])  # fmt: skip
            self._setting_due = False

    def _due_changed(self, _change) -> None:
        if not getattr(self, "_setting_due", False):
            self._auto_due = False

    def set(self, draft: EscalationDraft) -> None:
        self.base = draft
        self._setting_due = True
        for name, value in draft.values().items():
            self.fields[name].value = value
        self._setting_due = False
        self._auto_due = not draft.amending

    def draft(self) -> EscalationDraft:
        values = {name: f.value for name, f in self.fields.items()}
        values["stage"] = values["stage"] or ""
        return self.base.with_values(**values)

    def show_errors(self, by_field: dict[str, list[str]]) -> set[str]:
        """Show the messages meant for this form (named with its prefix); returns the names
        it showed."""
        shown = set()
        for name, f in self.fields.items():
            key = self.prefix + name
            f.set_error(by_field.get(key))
            if key in by_field:
                shown.add(key)
        return shown

    def clear_errors(self) -> None:
        for f in self.fields.values():
            f.set_error(None)


def _rule_words(profile: Profile) -> str:
    rules = profile.rules_for("escalation_response")
    if rules:
        return f"{rules[0].amount} {rules[0].unit.replace('_', ' ')} after it is raised"
    return f"{profile.settings['escalation_response_wd']} working days after it is raised"


def log_table(rows: pd.DataFrame, *, with_child: bool = True, table_id: str = "") -> str:
    """The escalation log as one HTML table (escaped; the verdict in words and colour)."""
    if rows.empty:
        return "<p class='note'>No escalations.</p>"
    head = ["No.", *(["Child"] if with_child else []), "Raised", "Stage", "Raised with",
            "Concern", "Response due", "Response", "Status"]  # fmt: skip
    body = []
    for r in rows.itertuples():
        verdict = str(r.status_text or "")
        kind = FINDING_WORDS.get(str(r.finding_status or ""), "grey")
        words = verdict or "not checked by the profile"
        response = esc(r.response) if r.response else "<span class='note'>none yet</span>"
        if r.response_date is not None and not pd.isna(r.response_date):
            response += f"<div class='note'>{r.response_date:%-d %b %Y}</div>"
        cells = [f"{int(r.id)}"]
        if with_child:
            cells.append(f"<a href='escalations.ipynb?child={esc(r.child_id)}'>{esc(r.child_id)}"
                         f"</a><div class='note'>{esc(r.child_name)}</div>")
        cells += [
            f"{r.raised_on:%-d %b %Y}",
            esc(r.stage),
            esc(r.raised_with),
            esc(r.reason),
            f"{r.response_due:%-d %b %Y}",
            response,
            f"{esc(STATUS_WORDS.get(r.status, r.status))}<div>{parts.tag(kind, words)}</div>"
            + (f"<div class='cpt-cite'>[{esc(r.basis_text)}]</div>" if r.basis_text else "")
            + (f"<div class='note'>{esc(r.outcome)}</div>" if r.outcome else ""),
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    ident = f" id='{esc(table_id)}'" if table_id else ""
    return (
        f"<table class='grid'{ident}><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )


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
        self.open_new = widgets.Button(description="Open a new escalation",
                                       layout=widgets.Layout(width="auto"))  # fmt: skip
        self.open_existing = widgets.Button(description="Record a response or outcome",
                                            layout=widgets.Layout(width="auto"))  # fmt: skip
        self.save_button = primary(widgets.Button(description="Save the escalation",
                                                  layout=widgets.Layout(width="auto")))  # fmt: skip
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
        self.widget = widgets.VBox([
            parts.section(title, "Escalate when practice falls short; a response overdue "
                          "shows red here and on the dashboard.",
                          "; ".join(escalations.CITATIONS)),
            self.table, self.controls, self.form_box, self.banner,
        ])  # fmt: skip
        self.widget.add_class("cpt-escalation-panel")
        self.refresh()

    def rows(self) -> pd.DataFrame:
        caseload = load(self.store, child_ids=[self.child_id])
        return escalations.log(caseload, self.profile, self.as_of)

    def refresh(self) -> None:
        rows = self.rows()
        self.table.value = parts.box(log_table(rows, with_child=False,
                                          table_id=f"escalations-{self.child_id}"))  # fmt: skip
        options = [(f"No. {int(r.id)}: {r.raised_on:%-d %b %Y}, {r.stage} "
                    f"({STATUS_WORDS.get(r.status, r.status)})", int(r.id))
                   for r in rows.itertuples()]  # fmt: skip
        self.pick.options = options
        self.pick.layout.display = None if options else "none"
        self.open_existing.layout.display = None if options else "none"

    def start_new(self) -> None:
        draft = escalations.new_draft(
            self.profile, self.child_id, plan_id=self.plan_id, raised_by=self.raised_by,
            on=self.as_of, source_kind=self.source_kind, source_record_id=self.source_record_id,
        )  # fmt: skip
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
        head = ("Record the response and outcome of escalation "
                f"{draft.record_id}" if draft.amending else "A new escalation")  # fmt: skip
        self.form_box.children = [
            widgets.HTML(f"<div class='cpt-label'>{esc(head)}</div>"), self.form.widget,
            parts.buttons(self.save_button, self.cancel),
        ]  # fmt: skip

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


class EscalationLogApp:
    """The escalation log page: every escalation, the open ones first, and one child's
    panel to open or answer an escalation."""

    def __init__(self, store: Store, profile: Profile, as_of: dt.date | None = None,
                 child_id: str | None = None):  # fmt: skip
        self.store = store
        self.profile = profile
        self.as_of = as_of or today()
        self.banner = Banner()
        self.only_open = widgets.Checkbox(value=True, description="Open escalations only",
                                          indent=False)  # fmt: skip
        self.only_open.observe(lambda _c: self.refresh(), names="value")
        self.table = widgets.HTML("")
        self.child = widgets.Text(placeholder="Child ID, e.g. C000015",
                                  layout=widgets.Layout(width="240px"))  # fmt: skip
        self.go = primary(widgets.Button(description="Show this child's escalations",
                                         layout=widgets.Layout(width="auto")))  # fmt: skip
        self.go.on_click(guarded(self.banner, "open the child")(lambda _b: self.open_child()))
        self.panel_box = widgets.VBox([])
        self.panel: EscalationPanel | None = None
        authority = settings.get("authority_name", store)
        header = widgets.HTML(parts.box(
            f"<h1>Escalation log</h1><p class='sub'>{esc(authority)} · {esc(profile.name)} · "
            f"{self.as_of:%-d %B %Y}. Responses are judged against the profile's escalation "
            "timescale; an open escalation past its response date is red.</p>"))  # fmt: skip
        self.widget = widgets.VBox([
            style(), header, self.only_open, self.table,
            parts.section("Open or answer an escalation", "Choose a child to see their "
                          "escalations, open a new one, or record a response and outcome."),
            parts.buttons(self.child, self.go), self.banner, self.panel_box,
        ])  # fmt: skip
        self.widget.layout.max_width = parts.APP_WIDTH
        self.refresh()
        if child_id:
            self.child.value = child_id
            self.open_child()

    def refresh(self) -> None:
        caseload = load(self.store)
        rows = escalations.log(caseload, self.profile, self.as_of,
                               open_only=self.only_open.value)  # fmt: skip
        late = rows["finding_status"] == "overdue"
        rows = pd.concat([rows[late], rows[~late]])
        summary = (f"<p>{len(rows)} {'open ' if self.only_open.value else ''}escalation"
                   f"{'s' if len(rows) != 1 else ''}; {int(late.sum())} with the response "
                   "overdue.</p>")  # fmt: skip
        self.table.value = parts.box(summary + log_table(rows, table_id="escalation-log"))

    def open_child(self) -> None:
        child_id = self.child.value.strip()
        if self.store.get("children", child_id) is None:
            self.banner.bad(f"There is no child with ID {child_id!r}.")
            return
        self.banner.clear()
        self.panel = EscalationPanel(self.store, self.profile, child_id, as_of=self.as_of,
                                     title=f"Escalations for {child_id}",
                                     on_saved=self.refresh)  # fmt: skip
        self.panel_box.children = [self.panel.widget]

    @classmethod
    def from_environment(cls) -> EscalationLogApp | parts.Unavailable:
        """The page as Voila serves it: the database and profile from the settings, a child
        from ``?child=``; a clear message when the database cannot be opened."""
        try:
            store = open_store()
            profile = profiles.load(settings.get("profile", store))
        except (StoreError, profiles.ProfileError) as exc:
            return parts.unavailable(f"The escalation log cannot open: {exc}")
        return cls(store, profile, child_id=query_params().get("child"))
