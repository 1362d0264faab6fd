"""The case-tracking page: the caseload dashboard, one child's view, the record form.

The dashboard is one HTML table (a 2,000-child caseload is one widget, not 2,000), built
from ``model.dashboard``; clicking a child id fills the "Open a child" box and the child
opens in the second tab (the link is also a deep link, ``?child=ID``, for a new tab). The
child view shows ``model.open_child``: the chronology (table and timeline), every finding
with its rule and citation, the plan's actions, the case-tracking records and the form,
and the child's escalations (``EscalationPanel``). Nothing here computes a date or writes SQL.
"""

from __future__ import annotations

import base64
import datetime as dt
from html import escape as _attr

import ipywidgets as widgets
import pandas as pd

from cptrack import engine
from cptrack.apps import parts
from cptrack.apps.escalation.view import EscalationPanel
from cptrack.apps.widgets import (
    STYLE,
    Banner,
    ReportDownload,
    guarded,
    open_store,
    primary,
    query_params,
)
from cptrack.casework import tracking as m
from cptrack.domain.models import RecordError, TrackingDecision, today
from cptrack.domain.values import fmt
from cptrack.render.style import esc
from cptrack.rules import profiles
from cptrack.rules.profiles import Profile
from cptrack.storage import settings
from cptrack.storage.store import StaleVersionError, Store, StoreError

PAGE_SIZES = {100: "100 most urgent", 250: "250 most urgent", 0: "All"}
AMBER_CHOICES = (3, 5, 10, 15, 20)
CSS = """
<style>
.cpt-strip { display: flex; gap: 12px; margin: 6px 0 10px 0; flex-wrap: wrap; }
.cpt-strip .stat { border: 1px solid #b1b4b6; border-top: 5px solid #1d70b8; padding: 6px 14px;
                   min-width: 150px; background: #fff; }
.cpt-strip .stat.red { border-top-color: #d4351c; }
.cpt-strip .stat.amber { border-top-color: #ffdd00; }
.cpt-strip .stat b { display: block; font-size: 26px; line-height: 1.1; }
.cpt-strip .stat span { color: #505a5f; font-size: 13px; }
.cpt table.grid.caseload td { font-size: 14px; padding: 5px 8px; }
.cpt table.grid.caseload th { font-size: 13px; padding: 5px 8px; white-space: nowrap; }
.cpt table.grid.caseload td.child a { font-weight: 700; }
.cpt table.grid.caseload ul.why { margin: 0; padding-left: 16px; font-size: 13px; }
.cpt table.grid.caseload tr.rag-red td:first-child { border-left: 5px solid #d4351c; }
.cpt table.grid.caseload tr.rag-amber td:first-child { border-left: 5px solid #ffdd00; }
.cpt table.grid.caseload tr.rag-green td:first-child { border-left: 5px solid #00703c; }
.cpt table.grid.caseload tr.rag-none td:first-child { border-left: 5px solid #dcdcdc; }
.cpt .counts .tag { margin: 0 3px 3px 0; }
.cpt .scroll { max-height: 460px; overflow-y: auto; border: 1px solid #dcdcdc; }
.cpt .scroll table.grid { margin: 0; }
.cpt .scroll thead th { position: sticky; top: 0; }
.cpt tr.state-late td { background: #fdf2f0; }
.cpt .timeline svg { max-width: 100%; height: auto; }
.cpt .dl a { font-weight: 700; color: #1d70b8; }
.cpt td.day { white-space: nowrap; }
.cpt-controls .widget-label { font-family: "Liberation Sans", Arial, sans-serif; }
.cpt-checks .widget-checkbox { width: auto; }
</style>
"""
# Empty the box first, so that clicking the child already in it opens them again.
OPEN_JS = (
    "var i=document.querySelector('.cpt-open-child input');"
    "if(!i){return true;}i.value='';i.dispatchEvent(new Event('change',{bubbles:true}));"
    "i.value=this.dataset.child;i.dispatchEvent(new Event('change',{bubbles:true}));"
    "return false;"
)


def _d(value) -> str:
    return fmt(value, "—")


def child_link(child_id: str) -> str:
    """A link that opens the child in this page (the deep link too, for a new tab)."""
    cid = esc(child_id)
    return (f"<a href='case_tracking.ipynb?child={cid}' data-child='{cid}' "
            f"class='open-child' onclick=\"{_attr(OPEN_JS)}\">{cid}</a>")  # fmt: skip


# ---------------------------------------------------------------------------
# Static parts (plain HTML from the model: tested without a browser)


def summary_strip(s: dict[str, int], shown: int) -> str:
    stats = [
        ("", f"{s['children']}", "children on a plan or awaiting an initial conference"),
        ("red", f"{s['overdue']}", f"items overdue, for {s['children_overdue']} children"),
        ("amber", f"{s['due_this_week']}", "items due in the next 7 days"),
        ("red" if s["drift"] else "", f"{s['drift']}",
         f"drift alerts, for {s['children_drift']} children"),
    ]  # fmt: skip
    cards = "".join(f"<div class='stat {k}'><b>{esc(v)}</b><span>{esc(t)}</span></div>"
                    for k, v, t in stats)  # fmt: skip
    return f"<div class='cpt-strip' id='tracking-summary'>{cards}</div>"


def counts(red: int, amber: int, green: int) -> str:
    return ("<div class='counts'>" + parts.tag("red", f"Red {red}")
            + parts.tag("amber", f"Amber {amber}") + parts.tag("green", f"Green {green}")
            + "</div>")  # fmt: skip


def dashboard_table(rows: pd.DataFrame, *, with_chair: bool, limit: int = 0) -> str:
    """The caseload as one table, a row per child, the RAG in words and colour."""
    if rows.empty:
        return "<p class='note' id='tracking-empty'>No child matches.</p>"
    shown = rows if not limit else rows.head(limit)
    body = []
    for r in shown.itertuples():
        rag = r.rag or "none"
        label = parts.tag(r.rag, m.RAG_WORDS[r.rag])
        if r.drift:
            label += f"<div class='note'>{r.drift} drift alert{'s' if r.drift != 1 else ''}</div>"
        if r.status == "plan":
            plan = (f"{_d(r.plan_start)}<div class='note'>{r.plan_months} month"
                    f"{'s' if r.plan_months != 1 else ''} · "
                    f"{esc(m.CATEGORY_WORDS.get(r.category, r.category))}</div>")  # fmt: skip
        else:
            plan = "<span class='tag grey'>Awaiting initial conference</span>"
        if pd.isna(r.next_review):
            review = "—"
        else:
            n = int(r.days_to_review)
            when = (f"in {n} day{'s' if n != 1 else ''}" if n > 0 else "today" if n == 0
                    else f"{-n} day{'s' if n != -1 else ''} ago")  # fmt: skip
            what = "Initial conference" if r.review_event == "icpc" else "Review"
            review = f"{_d(r.next_review)}<div class='note'>{what} {when}"
            if not pd.isna(r.review_booked):
                review += f"; booked {_d(r.review_booked)}"
            review += "</div>"
        visit = _d(r.last_visit)
        if not pd.isna(r.last_visit):
            visit += ("<div class='note'>seen alone</div>" if m.yes(r.last_visit_alone)
                      else "<div class='note'>not seen alone</div>")  # fmt: skip
        check = _d(r.last_check)
        if not pd.isna(r.next_check):
            check += f"<div class='note'>next {_d(r.next_check)}</div>"
        why = "".join(f"<li>{esc(t)}</li>" for t in r.reasons)
        if r.more_reasons:
            why += f"<li class='note'>and {r.more_reasons} more</li>"
        chair = f"<div class='note'>{esc(r.chair)}</div>" if with_chair else ""
        body.append(
            f"<tr class='rag-{rag}' data-child='{esc(r.child_id)}' data-rag='{esc(r.rag)}' "
            f"data-red='{r.red}' data-amber='{r.amber}' data-green='{r.green}'>"
            f"<td class='child'>{child_link(r.child_id)}<div>{esc(r.name)}</div>"
            f"<div class='note'>{esc(r.team)}</div>{chair}</td>"
            f"<td>{label}</td><td>{plan}</td><td>{review}</td><td>{_d(r.last_core_group)}</td>"
            f"<td>{visit}</td><td>{check}</td><td>{counts(r.red, r.amber, r.green)}</td>"
            f"<td><ul class='why'>{why}</ul></td></tr>"
        )
    more = ""
    if len(shown) < len(rows):
        more = (f"<p class='note' id='tracking-more'>Showing the {len(shown)} most urgent of "
                f"{len(rows)} children: filter, or choose to show more.</p>")  # fmt: skip
    return (
        "<table class='grid caseload' id='tracking-caseload'><thead><tr><th>Child</th>"
        "<th>RAG</th><th>Plan started</th><th>Next conference</th><th>Last core group</th>"
        "<th>Last visit</th><th>Last check</th><th>Open items</th><th>Why (worst first)</th>"
        "</tr></thead><tbody>" + "".join(body) + "</tbody></table>" + more
    )


def findings_table(f: pd.DataFrame, table_id: str) -> str:
    if f.empty:
        return "<p class='note'>None.</p>"
    body = []
    for r in f.itertuples():
        rag = str(r.rag)
        tag = parts.tag(rag, m.RAG_WORDS[rag]) if rag else parts.tag("grey", str(r.status)
                                                                   .replace("_", " "))  # fmt: skip
        actual = f"<div class='note'>happened {_d(r.actual_date)}</div>" if not pd.isna(
            r.actual_date) else ""  # fmt: skip
        label = engine.EVENT_LABELS.get(str(r.event), str(r.event)).replace("{chair}", "chair")
        body.append(
            f"<tr><td>{tag}</td><td><b>{esc(label)}</b><div>{esc(r.rule_text)}</div></td>"
            f"<td class='day'>{_d(r.due_date)}{actual}</td><td>{esc(r.status_text)}</td>"
            f"<td><b>{esc(engine.short_citation(str(r.citation)))}</b>"
            f"<div class='cpt-cite'>{esc(r.basis_text)}</div></td></tr>"
        )
    return (f"<table class='grid' id='{table_id}'><thead><tr><th>RAG</th><th>Standard</th>"
            "<th>Due</th><th>Status</th><th>Source and basis</th></tr></thead><tbody>" + "".join(body)
            + "</tbody></table>")  # fmt: skip


def chronology_table(chron: pd.DataFrame) -> str:
    if chron.empty:
        return "<p class='note'>No events recorded.</p>"
    words = {"done": "", "planned": "booked or due", "late": "late or not done",
             "cancelled": "cancelled"}  # fmt: skip
    body = "".join(
        f"<tr class='state-{r.state}'><td class='day'>{_d(r.date)}</td><td>{esc(r.kind)}</td>"
        f"<td>{esc(r.what)}</td><td>{esc(r.detail) if r.detail else ''}</td>"
        f"<td>{esc(words[r.state])}</td></tr>"
        for r in chron.iloc[::-1].itertuples()
    )
    return ("<div class='scroll'><table class='grid' id='tracking-chronology'><thead><tr>"
            "<th>Date</th><th>Kind</th><th>What</th><th>Detail</th><th>State</th></tr></thead>"
            f"<tbody>{body}</tbody></table></div>")  # fmt: skip


def actions_table(a: pd.DataFrame) -> str:
    if a.empty:
        return "<p class='note'>The plan has no actions recorded.</p>"
    body = []
    for r in a.itertuples():
        status = ("Overdue" if r.overdue else str(r.status).capitalize())
        tag = parts.tag("red" if r.overdue else "green" if r.status == "done" else "grey", status)
        done = f"<div class='note'>done {_d(r.completed_date)}</div>" if r.status == "done" else ""
        body.append(f"<tr><td>{esc(r.description)}</td><td>{esc(r.owner)}</td>"
                    f"<td>{esc(m.AGENCY_WORDS.get(r.agency, r.agency))}</td>"
                    f"<td class='day'>{_d(r.due_date)}{done}</td><td>{tag}</td></tr>")  # fmt: skip
    return ("<table class='grid' id='tracking-actions'><thead><tr><th>Action</th><th>Owner</th>"
            "<th>Agency</th><th>Due</th><th>Status</th></tr></thead><tbody>" + "".join(body)
            + "</tbody></table>")  # fmt: skip


def records_table(recs: pd.DataFrame) -> str:
    if recs.empty:
        return "<p class='note'>No case-tracking record yet.</p>"
    body = []
    for r in recs.itertuples():
        checked = ", ".join(w.split(" (")[0] for k, w in m.CHECK_WORDS.items()
                            if m.yes(getattr(r, k))) or "—"  # fmt: skip
        decision = m.DECISION_WORDS.get(r.decision, r.decision) if r.kind == "case_tracking" \
            else m.KIND_WORDS.get(r.kind, r.kind)
        concerns = f"<div class='note'>Concerns: {esc(r.concerns)}</div>" if r.concerns else ""
        body.append(f"<tr data-record='{int(r.id)}'><td class='day'>{_d(r.date)}</td><td>{esc(checked)}</td>"
                    f"<td>{esc(r.observations)}{concerns}</td><td>{esc(decision)}</td>"
                    f"<td class='day'>{_d(r.next_check_date)}</td><td class='num'>{int(r.version)}</td></tr>")  # fmt: skip
    return ("<table class='grid' id='tracking-records'><thead><tr><th>Date</th><th>Checked</th>"
            "<th>Observations</th><th>Decision</th><th>Next check</th><th class='num'>Version"
            "</th></tr></thead><tbody>" + "".join(body) + "</tbody></table>")  # fmt: skip


def child_card(file: m.ChildFile) -> str:
    c, plan = file.child, file.plan
    born = _d(c.get("date_of_birth")) if c.get("date_of_birth") else (
        f"expected {_d(c.get('expected_date_of_delivery'))}")  # fmt: skip
    kv = [("Child", file.child_id), ("Born", born), ("Chair", file.chair_name or "—"),
          ("Social worker", c.get("social_worker") or "—")]  # fmt: skip
    if plan:
        state = "open" if file.plan_open else f"ended {_d(plan.get('end_date'))}"
        kv += [("Plan", f"started {_d(plan['start_date'])} ({state})"),
               ("Category", m.CATEGORY_WORDS.get(plan.get("latest_category"), "—"))]  # fmt: skip
        if plan.get("previous_plans"):
            kv.append(("Previous plans", str(plan["previous_plans"])))
    else:
        kv.append(("Plan", "none: awaiting an initial conference or not on a plan"))
    body = "".join(f"<span class='cpt-kv'><b>{esc(k)}</b>{esc(v)}</span>" for k, v in kv)
    live = file.findings[file.findings["live"]]
    rag = live["rag"].astype(object)
    tags = counts(int((rag == "red").sum()), int((rag == "amber").sum()),
                  int((rag == "green").sum()))  # fmt: skip
    sib = ""
    if len(file.siblings):
        items = "".join(
            f"<li>{child_link(s.child_id)} {esc(s.name)} "
            f"{'(on a plan' + (', the same plan date' if s.same_plan_start else '') + ')' if s.on_plan else '(not on a plan)'}</li>"
            for s in file.siblings.itertuples())  # fmt: skip
        sib = f"<div><b>Brothers and sisters</b><ul id='tracking-siblings'>{items}</ul></div>"
    else:
        sib = "<div class='note'>No brothers or sisters recorded.</div>"
    return (f"<div class='cpt-card' id='tracking-child' data-child='{esc(file.child_id)}'>"
            f"<h2>{esc(file.name)}</h2>{body}<div>Open items: {tags}</div>{sib}</div>")  # fmt: skip


# ---------------------------------------------------------------------------
# The record form


class RecordForm:
    """The case-tracking record: a new one, or an amendment of an earlier one."""

    def __init__(self, on_saved):
        self.on_saved = on_saved
        self.banner = Banner()
        self.draft: m.TrackingDraft | None = None
        f = self.fields = {
            "date": parts.field("date", "Date of the check", parts.date(), required=True),
            "observations": parts.field(
                "observations", "Observations", parts.area(4), required=True,
                help="What the records and the professionals show: core groups, visits, "
                "actions, reports."),
            "concerns": parts.field("concerns", "Concerns", parts.area(3),
                                    help="Needed for advice or an escalation."),
            "decision": parts.field(
                "decision", "Decision",
                widgets.RadioButtons(options=[(w, k) for k, w in m.DECISION_WORDS.items()],
                                     value=None, layout=widgets.Layout(width="auto")),
                required=True),
            "next_check_date": parts.field("next_check_date", "Next check", parts.date(),
                                           required=True,
                                           help="Proposed four working weeks on."),
        }  # fmt: skip
        self.checks = {k: widgets.Checkbox(description=w, indent=False,
                                           layout=widgets.Layout(width="auto"))
                       for k, w in m.CHECK_WORDS.items()}  # fmt: skip
        checks_box = widgets.HBox(list(self.checks.values()), layout=widgets.Layout(gap="18px"))
        checks_box.add_class("cpt-checks")
        self.title = widgets.HTML("")
        self.save_button = primary(widgets.Button(description="Save the check",
                                                  layout=widgets.Layout(width="auto")))  # fmt: skip
        self.save_button.on_click(guarded(self.banner, "save")(lambda _b: self.save()))
        self.store: Store | None = None
        self.widget = widgets.VBox([
            self.title, f["date"].box,
            widgets.HTML("<div class='cpt-label'>What did you check?</div>"), checks_box,
            f["observations"].box, f["concerns"].box, f["decision"].box,
            parts.side_by_side(f["next_check_date"]), self.banner,
            parts.buttons(self.save_button),
        ])  # fmt: skip
        self.widget.add_class("cpt-tracking-form")

    def set(self, draft: m.TrackingDraft) -> None:
        self.draft = draft
        for name, value in draft.values().items():
            if name in self.checks:
                self.checks[name].value = bool(value)
            else:
                self.fields[name].value = value
        self.clear()
        if draft.amending:
            self.title.value = (f"<div class='cpt-label'>Amending the record of "
                                f"{esc(_d(draft.date))} (version {draft.version})</div>")  # fmt: skip
            self.save_button.description = "Save changes to this record"
        else:
            self.title.value = "<div class='cpt-label'>A new check</div>"
            self.save_button.description = "Save the check"

    def clear(self) -> None:
        parts.clear_errors(self.fields, {})
        self.banner.clear()

    def read(self) -> m.TrackingDraft:
        values = {name: f.value for name, f in self.fields.items()}
        values.update({k: c.value for k, c in self.checks.items()})
        return self.draft.with_values(**values)

    def save(self) -> m.Saved | None:
        draft = self.read()
        self.clear()
        try:
            saved = m.save(self.store, draft, today())
        except RecordError as exc:
            parts.show_errors(exc.by_field(), self.fields, {}, self.banner)
            return None
        except StaleVersionError as exc:
            self.banner.bad(str(exc))
            return None
        self.on_saved(saved)
        self.banner.ok(saved.message)
        return saved


# ---------------------------------------------------------------------------
# The child view


class ChildView:
    """One child: card, findings, actions, chronology, records and form, escalations."""

    def __init__(self, app: TrackingApp):
        self.app = app
        self.banner = Banner()
        self.file: m.ChildFile | None = None
        self.panel: EscalationPanel | None = None
        self.built = False
        self.body = widgets.VBox([
            widgets.HTML(parts.box(
                "<p class='note' id='tracking-no-child'>Choose a child: click their id in the "
                "caseload, or type it above.</p>"))])  # fmt: skip
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
        self.amend_button = widgets.Button(description="Amend this record",
                                           layout=widgets.Layout(width="auto"))  # fmt: skip
        self.new_button = widgets.Button(description="Start a new check",
                                         layout=widgets.Layout(width="auto"))  # fmt: skip
        self.amend_button.on_click(guarded(self.banner, "open the record")(
            lambda _b: self.amend(self.amend_pick.value)))  # fmt: skip
        self.new_button.on_click(guarded(self.banner, "start a check")(lambda _b: self.new()))
        self.form = RecordForm(self.saved)
        self.escalation_box = widgets.VBox([])
        app = self.app
        self.download = ReportDownload(self.banner, lambda: m.report_request(
            app.store, app.profile, app.as_of, child_id=self.file.child_id),
            m.REPORT_FORMATS["child_summary"])  # fmt: skip

    def open(self, child_id: str) -> None:
        self.banner.clear()
        self.build()
        self.file = m.open_child(self.app.store, child_id, self.app.profile, self.app.as_of)
        self.panel = EscalationPanel(
            self.app.store, self.app.profile, child_id, plan_id=self._plan_id(),
            raised_by=m.as_int(self.file.child.get("chair_id")), source_kind="case_tracking",
            as_of=self.app.as_of, title="Escalations", on_saved=self.refresh,
        )  # fmt: skip
        self.escalation_box.children = [self.panel.widget]
        self.form.store = self.app.store
        self.show()
        self.new()
        self.download.forget()
        self.body.children = [
            self.card, self.download.widget,
            parts.section("What needs attention", "Every open item for this child, worst "
                          "first: the standard, its due date and where it comes from."),
            self.findings, self.history_box,
            parts.section("Plan actions", "Who does what by when."), self.actions,
            parts.section("Chronology", "Every event in the records, newest first in the "
                          "table."), self.timeline, self.chron,
            parts.section("Case-tracking records", "Your checks between conferences; choose "
                          "one to amend it.", "000 Case Tracking"), self.records,
            parts.buttons(self.amend_pick, self.amend_button, self.new_button),
            self.form.widget, self.escalation_box,
        ]  # fmt: skip

    def _plan_id(self) -> int | None:
        return self.file.plan["id"] if self.file and self.file.plan_open else None

    def show(self) -> None:
        from cptrack.apps.tracking.chart import timeline_svg

        file = self.file
        self.card.value = parts.box(child_card(file))
        self.findings.value = parts.box(findings_table(file.open_findings(), "tracking-findings"))
        settled = file.settled_findings()
        self.history.value = parts.box(findings_table(settled, "tracking-settled"))
        self.history_box.titles = (f"Settled: {len(settled)} items met, met late or missed",)
        self.actions.value = parts.box(actions_table(file.actions()))
        chron = file.chronology()
        plans = [(m.as_date(p.start_date), m.as_date(p.end_date))
                 for p in file.caseload.cp_plans.itertuples()]  # fmt: skip
        svg = timeline_svg(chron, file.as_of, plans)
        self.timeline.value = parts.box(f"<div class='timeline' id='tracking-timeline'>{svg}</div>"
                                        if svg else "")  # fmt: skip
        self.chron.value = parts.box(chronology_table(chron))
        recs = file.records()
        self.records.value = parts.box(records_table(recs))
        own = recs[recs["kind"] == "case_tracking"]
        options = [(f"{_d(r.date)}: {m.DECISION_WORDS.get(r.decision, r.decision)} "
                    f"(version {int(r.version)})", int(r.id)) for r in own.itertuples()]  # fmt: skip
        self.amend_pick.options = options
        self.amend_pick.value = options[0][1] if options else None
        shown = None if options else "none"
        self.amend_pick.layout.display = shown
        self.amend_button.layout.display = shown

    def new(self) -> None:
        self.form.set(m.new_draft(self.file, today()))

    def amend(self, record_id: int | None) -> None:
        row = self.app.store.get("case_tracking", record_id) if record_id else None
        if row is None or row["child_id"] != self.file.child_id:
            self.banner.bad("Choose one of this child's records to amend.")
            return
        self.form.set(m.open_draft(row))

    def saved(self, saved: m.Saved) -> None:
        """After a save: the child's history and the dashboard read again; an escalation
        decision opens the escalation form, linked to the record."""
        record = saved.record
        self.file = m.open_child(self.app.store, self.file.child_id, self.app.profile,
                                 self.app.as_of)  # fmt: skip
        self.show()
        self.form.set(m.open_draft(self.app.store.get("case_tracking", record["id"])))
        self.app.refresh()
        if record.get("decision") == TrackingDecision.ESCALATE.value and self.panel:
            self.panel.source_record_id = record["id"]
            self.panel.start_new()

    def refresh(self) -> None:
        if self.file is not None:
            self.file = m.open_child(self.app.store, self.file.child_id, self.app.profile,
                                     self.app.as_of)  # fmt: skip
            self.show()
        self.app.refresh()


# ---------------------------------------------------------------------------
# The page


class TrackingApp:
    """The case-tracking page: scope, summary, filters, the caseload table; the child tab."""

    def __init__(
        self,
        store: Store,
        profile: Profile,
        as_of: dt.date | None = None,
        *,
        chair_id: int | None = None,
        team_id: int | None = None,
        child_id: str | None = None,
    ):
        self.store = store
        self.base_profile = profile
        self.profile = profile
        self.as_of = as_of or today()
        self.banner = Banner()
        self.chairs = m.chairs(store)
        teams = self.chairs.dropna(subset=["team_id"]).drop_duplicates("team_id")
        self.team = widgets.Dropdown(
            options=[("All teams", 0)] + [(t.team, int(t.team_id)) for t in teams.itertuples()],
            value=team_id if team_id in set(teams["team_id"]) else 0, description="Team")  # fmt: skip
        self.chair = widgets.Dropdown(description="Chair", layout=widgets.Layout(width="330px"))
        self._chair_options(chair_id)
        self.profile_pick = widgets.Dropdown(
            options=[(n, n) for n in profiles.available()]
            + ([] if profile.id in profiles.available() else [(profile.name, profile.id)]),
            value=profile.id, description="Standards")  # fmt: skip
        self.as_of_pick = widgets.DatePicker(value=self.as_of, description="As of",
                                             layout=widgets.Layout(width="250px"))  # fmt: skip
        amber = int(profile.settings["amber_window_wd"])
        self.amber = widgets.Dropdown(
            options=[(f"{n} working days", n) for n in sorted({*AMBER_CHOICES, amber})],
            value=amber, description="Amber within", style={"description_width": "initial"})  # fmt: skip
        self.rag = widgets.ToggleButtons(
            options=[("Any", "any"), ("Red: overdue", "red"), ("Amber: due soon", "amber"),
                     ("Green: on track", "green")], value="any",
            style={"button_width": "130px"})  # fmt: skip
        self.category = widgets.Dropdown(
            options=[("Any category", "")] + [(w, k) for k, w in m.CATEGORY_WORDS.items()],
            value="", layout=widgets.Layout(width="200px"))  # fmt: skip
        self.sw_team = widgets.Dropdown(options=[("Any social work team", 0)],
                                        layout=widgets.Layout(width="280px"))  # fmt: skip
        self.drift = widgets.Checkbox(description="Drift alerts only", indent=False,
                                      layout=widgets.Layout(width="auto"))  # fmt: skip
        self.limit = widgets.Dropdown(options=[(w, n) for n, w in PAGE_SIZES.items()], value=100,
                                      description="Show", layout=widgets.Layout(width="230px"))  # fmt: skip
        self.summary = widgets.HTML("")
        self.table = widgets.HTML("")
        self.child_id = widgets.Text(placeholder="Child ID, e.g. C000015", continuous_update=False,
                                     layout=widgets.Layout(width="220px"))  # fmt: skip
        self.child_id.add_class("cpt-open-child")
        self.open_button = primary(widgets.Button(description="Open the child",
                                                  layout=widgets.Layout(width="auto")))  # fmt: skip
        self.calendar_button = widgets.Button(description="Calendar of due dates (.ics)",
                                              layout=widgets.Layout(width="auto"))  # fmt: skip
        self.calendar_link = widgets.HTML("")
        self.download = ReportDownload(self.banner, lambda: m.report_request(
            self.store, self.profile, self.as_of, chair_id=self.chair.value or None,
            team_id=self.team.value or None, filtered=self._filtered()),
            m.REPORT_FORMATS["chair_caseload"])  # fmt: skip
        self.child_view = ChildView(self)
        self.open_button.on_click(guarded(self.banner, "open the child")(
            lambda _b: self._open_clicked()))  # fmt: skip
        self.child_id.observe(self._typed, names="value")
        self.calendar_button.on_click(guarded(self.banner, "make the calendar")(
            lambda _b: self.make_calendar()))  # fmt: skip
        self.team.observe(lambda _c: self._team_changed(), names="value")
        for w in (self.chair, self.profile_pick, self.as_of_pick, self.amber):
            w.observe(lambda _c: self.reload(), names="value")
        for w in (self.rag, self.category, self.sw_team, self.drift, self.limit):
            w.observe(lambda _c: self.show_table(), names="value")
        authority = settings.get("authority_name", store)
        self.header = widgets.HTML(parts.box(
            f"<h1>Case tracking</h1><p class='sub'>{esc(authority)} · the caseload as at the "
            "date you choose, judged against the standards you choose. Open a child to see "
            "their history and record a check.</p>"))  # fmt: skip
        scope = widgets.HBox([self.team, self.chair, self.profile_pick],
                             layout=widgets.Layout(gap="8px", flex_flow="row wrap"))  # fmt: skip
        scope2 = widgets.HBox([self.as_of_pick, self.amber, self.calendar_button,
                               self.calendar_link],
                              layout=widgets.Layout(gap="8px", flex_flow="row wrap"))  # fmt: skip
        filters = widgets.HBox([self.rag, self.category, self.sw_team, self.drift, self.limit],
                               layout=widgets.Layout(gap="8px", flex_flow="row wrap"))  # fmt: skip
        for box in (scope, scope2, filters):
            box.add_class("cpt-controls")
        caseload_tab = widgets.VBox([
            self.summary, self.download.widget,
            widgets.HTML("<div class='cpt-label'>Filter</div>"), filters, self.table,
        ])  # fmt: skip
        self.tabs = widgets.Tab(children=[caseload_tab, self.child_view.widget])
        self.tabs.titles = ("Caseload", "Child")
        self.tabs.add_class("cpt-tabs")
        self.widget = widgets.VBox([
            widgets.HTML(STYLE + parts.CSS + CSS), self.header, scope, scope2,
            widgets.HBox([widgets.HTML("<div class='cpt-label' style='margin-top:4px'>Open a "
                                       "child</div>"), self.child_id, self.open_button],
                         layout=widgets.Layout(gap="8px")),
            self.banner, self.tabs,
        ])  # fmt: skip
        self.widget.add_class("cpt-tracking")
        self.widget.layout.max_width = "1280px"
        self.reload()
        if child_id:
            self.open_child(child_id)

    # -- scope -------------------------------------------------------------

    def _chair_options(self, chair_id: int | None = None) -> None:
        team = self.team.value
        rows = self.chairs if not team else self.chairs[self.chairs["team_id"] == team]
        label = "All chairs" if not team else "All chairs in the team"
        options = [(label, 0)] + [(r.name, int(r.id)) for r in rows.itertuples()]
        self._quiet = True
        self.chair.options = options
        self.chair.value = chair_id if chair_id in [v for _, v in options] else 0
        self._quiet = False

    def _team_changed(self) -> None:
        self._chair_options(self.chair.value or None)
        self.reload()

    def reload(self) -> None:
        """Read the caseload again (scope, standards, date or amber window changed)."""
        if getattr(self, "_quiet", False):
            return
        try:
            base = (self.base_profile if self.profile_pick.value == self.base_profile.id
                    else profiles.load(self.profile_pick.value))  # fmt: skip
            amber = int(self.amber.value)
            self.profile = (base if amber == base.settings["amber_window_wd"]
                            else profiles.with_settings(base, amber_window_wd=amber))  # fmt: skip
        except profiles.ProfileError as exc:
            self.banner.bad(f"Those standards cannot be used: {exc}")
            return
        self.as_of = self.as_of_pick.value or today()
        self.refresh()

    def refresh(self) -> None:
        self.dash = m.dashboard(self.store, self.profile, self.as_of,
                                chair_id=self.chair.value or None,
                                team_id=self.team.value or None)  # fmt: skip
        teams = self.dash.rows.dropna(subset=["team_id"]).drop_duplicates("team_id")
        teams = teams.sort_values("team_id")
        current = self.sw_team.value
        self.sw_team.options = [("Any social work team", 0)] + [
            (t.team, int(t.team_id)) for t in teams.itertuples()]
        self.sw_team.value = current if current in [v for _, v in self.sw_team.options] else 0
        self.calendar_link.value = ""
        self.download.forget()
        self.show_table()

    def show_table(self) -> None:
        rows = self.dash.filtered(rag=self.rag.value, category=self.category.value or None,
                                  team=self.sw_team.value or None, drift_only=self.drift.value)  # fmt: skip
        who = (self.chair.label if self.chair.value else self.team.label if self.team.value
               else "All chairs")  # fmt: skip
        narrowed = len(rows) != len(self.dash.rows)
        line = (f"<p class='note' id='tracking-scope'>{esc(who)} · {esc(self.profile.name)} · "
                f"as at {self.as_of:%-d %B %Y} · amber within "
                f"{self.profile.settings['amber_window_wd']} working days"
                + (f" · filtered: {len(rows)} of {len(self.dash.rows)} children" if narrowed
                   else "") + "</p>")  # fmt: skip
        # The table first: the scope line's change is the sign that the page has updated.
        self.table.value = parts.box(dashboard_table(rows, with_chair=not self.chair.value,
                                                     limit=self.limit.value))  # fmt: skip
        self.summary.value = parts.box(line + summary_strip(self.dash.summary(rows), len(rows)))

    def _filtered(self) -> bool:
        return bool(self.rag.value != "any" or self.category.value or self.sw_team.value
                    or self.drift.value)  # fmt: skip

    # -- the child ---------------------------------------------------------

    def _open_clicked(self) -> None:
        # Leaving the box (to click) has usually opened the child already: show them.
        typed = self.child_id.value.strip()
        file = self.child_view.file
        if file is not None and typed == file.child_id:
            self.tabs.selected_index = 1
            return
        self.open_child(typed)

    def _typed(self, change) -> None:
        value = (change["new"] or "").strip()
        if value:
            guarded(self.banner, "open the child")(self.open_child)(value)

    def open_child(self, child_id: str | None) -> None:
        child_id = (child_id or "").strip()
        if not child_id:
            self.banner.bad("Type a child ID, or click one in the caseload.")
            return
        if self.store.get("children", child_id) is None:
            self.banner.bad(f"There is no child with ID {child_id!r}.")
            return
        self.banner.clear()
        self.child_view.open(child_id)
        self.tabs.titles = ("Caseload", f"Child {child_id}")
        self.tabs.selected_index = 1

    # -- calendar ----------------------------------------------------------

    def make_calendar(self) -> None:
        from cptrack.interchange import ics  # here: only a download pays for icalendar

        caseload = m.scoped_caseload(self.store, chair_id=self.chair.value or None,
                                     team_id=self.team.value or None)  # fmt: skip
        who = self.chair.label if self.chair.value else "all chairs"
        data, n = ics.chair_calendar(caseload, self.profile, self.as_of, chair=who)
        name = f"cptrack-due-{'chair-' + str(self.chair.value) if self.chair.value else 'all'}" \
               f"-{self.as_of:%Y%m%d}.ics"
        href = "data:text/calendar;charset=utf-8;base64," + base64.b64encode(data).decode()
        self.calendar_link.value = parts.box(
            f"<span class='dl'><a id='tracking-ics' download='{esc(name)}' href='{href}'>"
            f"Download {esc(name)}</a> ({n} due dates, next {ics.DEFAULT_DAYS} days)</span>")

    @classmethod
    def from_environment(cls) -> TrackingApp | parts.Unavailable:
        """The page as Voila serves it: database, profile and default chair from the
        settings; ``?chair=ID``, ``?team=ID`` and ``?child=ID`` from the query string."""
        try:
            store = open_store()
            profile = profiles.load(settings.get("profile", store))
        except (StoreError, profiles.ProfileError) as exc:
            return parts.unavailable(f"Case tracking cannot open: {exc}")
        q = query_params()
        chair = q.get("chair", "") or str(settings.get("chair", store) or "")
        chair_id = _chair_id(store, chair)
        team = int(q["team"]) if q.get("team", "").isdigit() else None
        child = q.get("child")
        if child and chair_id is None and not q.get("chair"):
            row = store.get("children", child)
            chair_id = row.get("chair_id") if row else None
        return cls(store, profile, chair_id=chair_id, team_id=team, child_id=child)


def _chair_id(store: Store, value: str) -> int | None:
    if not value or value == "all":
        return None
    for s in store.rows("staff", role="chair"):
        if str(s["id"]) == value or s["name"].casefold() == value.casefold():
            return s["id"]
    return None

