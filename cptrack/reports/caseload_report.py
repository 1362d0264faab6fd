"""Chair caseload: every child with what is due and what is late, and the drift alerts.

For one chair (``chair``), or the whole service when no chair is given. Figures come from the
engine's findings as at ``as_of`` (live items only: what is still to act on).
"""

from __future__ import annotations

import pandas as pd

from cptrack import engine
from cptrack.caseload import open_plans
from cptrack.domain.models import CATEGORY_LABELS
from cptrack.findings import child_summary, plan_schedule
from cptrack.reports import html
from cptrack.reports.base import Report
from cptrack.reports.context import day


def event_label(event: str, chair_role: str) -> str:
    return engine.EVENT_LABELS.get(event, event.replace("_", " ")).format(chair=chair_role)


class ChairCaseload(Report):
    name = "chair_caseload"
    title = "Chair caseload"
    description = (
        "every child of a chair (or the service) with what is due, what is late, and drift alerts"
    )
    excel = True
    sections = (
        ("summary", "Summary"),
        ("children", "Children"),
        ("late", "Late: overdue items"),
        ("due_soon", "Due in the next 20 working days"),
        ("drift", "Drift alerts"),
    )

    @property
    def subject(self) -> str:
        if self.ctx.chair_id is None:
            return "All chairs"
        return f"{self.ctx.chair_role}: {self.ctx.staff_name(self.ctx.chair_id)}"

    @property
    def period(self) -> str:
        return f"as at {day(self.ctx.as_of)}"

    def prepare(self) -> None:
        c = self.ctx
        self.findings = c.findings
        self.live = self.findings[self.findings["live"]].copy()
        # Texts are categoricals: work each distinct value out once.
        self.live["what"] = (
            self.live["event"]
            .astype(str)
            .map({e: event_label(e, c.chair_role) for e in self.live["event"].astype(str).unique()})
        )
        ids = self.live["child_id"].astype(str)
        self.live["child"] = ids.map({i: c.child_name(i) for i in ids.unique()})
        self.live["ref"] = ids.map({i: c.child_ref(i) for i in ids.unique()})
        cites = self.live["citation"].astype(str)
        self.live["source"] = cites.map({x: engine.short_citation(x) for x in cites.unique()})

    def children_frame(self) -> pd.DataFrame:
        """One row per child: who, the plan, the next review, core group and visit, counts."""
        c = self.ctx
        kids = c.caseload.children
        current = open_plans(c.caseload.cp_plans, c.as_of).sort_values("start_date")
        current = current.drop_duplicates("child_id", keep="last")
        current = current.set_index("child_id").to_dict("index")
        summary = (
            child_summary(self.live).set_index("child_id").to_dict("index")
            if len(self.live)
            else {}
        )
        schedule = plan_schedule(self.findings, c.profile)
        schedule = schedule.drop_duplicates("child_id").set_index("child_id").to_dict("index")
        rows = []
        for k in kids.to_dict("records"):
            cid = k["id"]
            plan = current.get(cid)
            s = summary.get(cid)
            sch = schedule.get(cid)
            rows.append(
                {
                    "child_id": cid,
                    "ref": c.child_ref(cid),
                    "name": c.child_name(cid),
                    "born": c.born(k),
                    "chair": c.staff_name(k["chair_id"]),
                    "social_worker": c.person(k["social_worker"]),
                    "plan_start": plan["start_date"] if plan is not None else None,
                    "category": CATEGORY_LABELS.get(plan["latest_category"], "")
                    if plan is not None
                    else "",
                    "next_review": sch["next_review_due"] if sch is not None else None,
                    "next_core_group": sch["next_core_group_due"] if sch is not None else None,
                    "next_visit": sch["next_visit_due"] if sch is not None else None,
                    "red": int(s["red"]) if s is not None else 0,
                    "amber": int(s["amber"]) if s is not None else 0,
                    "next_item": s["next_message"] if s is not None else None,
                }
            )
        out = pd.DataFrame(rows)
        if len(out):
            out = out.sort_values(["red", "amber", "ref"], ascending=[False, False, True])
        return out.reset_index(drop=True)

    def section_summary(self) -> str:
        c = self.ctx
        live = self.live
        on_plan = open_plans(c.caseload.cp_plans, c.as_of)["child_id"].nunique()
        drift = live[live["kind"] == "drift"]
        return (
            html.stat("children", f"{len(c.caseload.children):,}", "children-count")
            + html.stat("on a child protection plan", f"{on_plan:,}", "on-plan-count")
            + html.stat(
                "overdue items (red)", f"{int((live['rag'] == 'red').sum()):,}", "red-count"
            )
            + html.stat("due soon (amber)", f"{int((live['rag'] == 'amber').sum()):,}")
            + html.stat("drift alerts", f"{len(drift):,}", "drift-count")
        )

    def section_children(self) -> str:
        frame = self.children_frame()
        born = "Age" if self.ctx.pseudonymise else "Born"
        cols = [*self.child_columns(name="name"), ("born", born, "nowrap")]
        if self.ctx.chair_id is None:
            cols.append(("chair", self.ctx.chair_role, "text"))
        cols += [
            ("plan_start", "Plan since", "date"),
            ("category", "Category", "text"),
            ("next_review", "Next review due", "date"),
            ("next_core_group", "Next core group due", "date"),
            ("next_visit", "Next visit due", "date"),
            ("red", "Overdue", "num"),
            ("amber", "Due soon", "num"),
        ]
        return html.table(frame, cols, table_id="children", empty="No children.")

    def _items(self, frame: pd.DataFrame, table_id: str, empty: str) -> str:
        frame = frame.sort_values(["due_date", "ref"]).copy()
        frame["state"] = [
            html.rag(r, t)
            for r, t in zip(frame["rag"].astype(str), frame["status_text"].astype(str), strict=True)
        ]
        return html.table(
            frame,
            [
                *self.child_columns(),
                ("what", "What", "text"),
                ("due_date", "Due", "date"),
                ("state", "Status", "html"),
                ("source", "Standard", "text"),
            ],
            table_id=table_id,
            empty=empty,
        )

    def section_late(self) -> str:
        live = self.live
        late = live[(live["kind"] == "timescale") & (live["status"] == "overdue")]
        return self._items(late, "late", "Nothing is overdue.")

    def section_due_soon(self) -> str:
        live = self.live
        soon = live[
            (live["kind"] == "timescale")
            & (live["status"] == "due")
            & (live["working_days_to_due"].fillna(999) <= 20)
        ]
        return self._items(soon, "due-soon", "Nothing falls due in the next 20 working days.")

    def drift_alerts(self) -> pd.DataFrame:
        """One row per child and kind of alert: a child with twelve overdue plan actions is one
        line (the oldest, "and 11 more"), not twelve."""
        drift = self.live[self.live["kind"] == "drift"].sort_values(["due_date", "rule_id"])
        drift = drift.assign(
            event=drift["event"].astype(str), child_id=drift["child_id"].astype(str)
        )
        counts = drift.groupby(["child_id", "event"])["rule_id"].transform("size")
        red = (drift["rag"] == "red").groupby([drift["child_id"], drift["event"]]).transform("any")
        first = (
            drift.assign(count=counts, any_red=red).drop_duplicates(["child_id", "event"]).copy()
        )
        first["status_text"] = [
            f"{t} (and {n - 1} more)" if n > 1 else t
            for t, n in zip(first["status_text"].astype(str), first["count"], strict=True)
        ]
        first["rag"] = first["any_red"].map({True: "red", False: "amber"})
        return first

    def section_drift(self) -> str:
        return self._items(self.drift_alerts(), "drift", "No drift alerts.") + html.note(
            "One line per child and kind of alert: the oldest, with how many more there are."
        )

    def excel_sheets(self) -> dict[str, tuple[pd.DataFrame, list[tuple[str, str, str]]]]:
        """The caseload and the live findings, for ``cptrack.reports.excel``."""
        kids = self.children_frame()
        born = "Age" if self.ctx.pseudonymise else "Date of birth"
        kid_cols = [
            *self.child_columns(name="name", heading="Child id"),
            ("born", born, "text"),
            ("chair", self.ctx.chair_role, "text"),
            ("social_worker", "Social worker", "text"),
            ("plan_start", "Plan start", "date"),
            ("category", "Category", "text"),
            ("next_review", "Next review due", "date"),
            ("next_core_group", "Next core group due", "date"),
            ("next_visit", "Next visit due", "date"),
            ("red", "Overdue items", "num"),
            ("amber", "Items due soon", "num"),
            ("next_item", "Next item", "text"),
        ]
        f = self.live.sort_values(["ref", "due_date"]).copy()
        f["status_text"] = f["status_text"].astype(str)
        f["message"] = f["message"].astype(str)
        f["citation"] = f["citation"].astype(str)
        f["basis_text"] = f["basis_text"].astype(str)
        finding_cols = [
            *self.child_columns(heading="Child id"),
            ("rule_id", "Rule", "text"),
            ("what", "What", "text"),
            ("kind", "Kind", "text"),
            ("anchor_date", "Clock started", "date"),
            ("due_date", "Due", "date"),
            ("actual_date", "Happened", "date"),
            ("status", "Status", "text"),
            ("status_text", "Status in words", "text"),
            ("rag", "RAG", "text"),
            ("working_days_late", "Working days late", "num"),
            ("citation", "Standard", "text"),
            ("basis_text", "What it rests on", "text"),
        ]
        if self.ctx.pseudonymise:
            # A clock can start at the birth (a pre-birth plan's first review): no date on a
            # child's row may be their date of birth.
            born = self.ctx.caseload.children.set_index("id")["date_of_birth"]
            dob = f["child_id"].astype(str).map(born)
            for col in ("anchor_date", "due_date", "actual_date"):
                f[col] = f[col].where(f[col] != dob)
        return {"Caseload": (kids, kid_cols), "Findings": (f, finding_cols)}
