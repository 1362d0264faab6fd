"""Child summary: the chair's footprint on a child's file.

Plan history, conferences and their decisions, case-tracking records and midway reviews,
what the engine finds due or late, escalations, and a chronology chart. ``child`` names the
child (default: the first child with an open plan, so the notebook runs on any demo database).
"""

from __future__ import annotations

import pandas as pd

from cptrack import engine
from cptrack.domain.models import CATEGORY_LABELS, FieldError, RecordError
from cptrack.reports import html
from cptrack.reports.base import Report
from cptrack.reports.caseload_report import event_label
from cptrack.storage.tables import TABLES

OUTCOMES = {
    "cp_plan": "Child protection plan",
    "plan_continues": "Plan continues",
    "plan_ends": "Plan ends",
    "cin_plan": "Child in need plan",
    "nfa": "No further action",
}
TYPES = {
    "initial": "Initial",
    "review": "Review",
    "pre_birth": "Pre-birth",
    "transfer_in": "Transfer-in",
}


def default_child(store) -> str | None:
    """The first child (by id) with an open plan, else the first child."""
    import sqlalchemy as sa

    c, p = TABLES["children"], TABLES["cp_plans"]
    with store.engine.connect() as conn:
        found = conn.execute(
            sa.select(p.c.child_id).where(p.c.end_date.is_(None)).order_by(p.c.child_id).limit(1)
        ).scalar()
        return found or conn.execute(sa.select(c.c.id).order_by(c.c.id).limit(1)).scalar()


class ChildSummary(Report):
    name = "child_summary"
    title = "Child summary"
    description = "a child's plans, conferences, case tracking, midway reviews, findings, escalations, chronology"
    sections = (
        ("details", "The child"),
        ("chronology", "Chronology"),
        ("plans", "Child protection plans"),
        ("conferences", "Conferences and decisions"),
        ("tracking", "Case tracking"),
        ("midway", "Midway reviews"),
        ("findings", "Due and late now"),
        ("escalations", "Escalations"),
    )

    def prepare(self) -> None:
        c = self.ctx
        if c.child is None:
            c.child = default_child(c.store)
            if c.child is None:
                raise RecordError("Report", [FieldError("child", "the database holds no children")])
        self.cl = c.caseload
        self.kid = self.cl.children.iloc[0].to_dict()

    @property
    def subject(self) -> str:
        return self.ctx.child_label(self.ctx.child)

    def section_details(self) -> str:
        c, k = self.ctx, self.kid
        who = (
            [("Child", c.child_label(k["id"]))]
            if c.pseudonymise
            else [("Child id", k["id"]), ("Name", c.child_name(k["id"]))]
        )
        return html.key_values(
            who
            + [
                ("Age" if c.pseudonymise else "Date of birth", c.born(k)),
                ("Address", c.address(k)),
                ("Sex", k["sex"]),
                ("First language", c.text(k["first_language"]) or "—"),
                ("Interpreter needed", "Yes" if k["interpreter_needed"] else "No"),
                (c.chair_role, c.staff_name(k["chair_id"])),
                ("Social worker", c.person(k["social_worker"])),
            ]
        )

    def section_chronology(self) -> str:
        cl = self.cl
        events = []
        for frame, col, label in (
            (cl.conferences, "held_date", "Conference"),
            (cl.core_groups, "date", "Core group"),
            (cl.visits, "date", "Visit"),
            (cl.case_tracking, "date", "Case tracking"),
            (cl.midway_reviews, "date", "Midway review"),
            (cl.escalations, "raised_on", "Escalation"),
        ):
            events += [(label, d) for d in frame[col].dropna()]
        plans = cl.cp_plans
        if not events and not len(plans):
            return html.note("Nothing recorded yet.")
        lanes = [
            "Plan",
            "Conference",
            "Core group",
            "Visit",
            "Case tracking",
            "Midway review",
            "Escalation",
        ]
        as_of = pd.Timestamp(self.ctx.as_of)

        def draw(ax):
            for p in plans.itertuples():
                end = p.end_date if pd.notna(p.end_date) else as_of
                ax.barh(
                    0, (end - p.start_date).days, left=p.start_date, height=0.5, color="#1d70b8"
                )
            for label, d in events:
                ax.plot(
                    d,
                    lanes.index(label),
                    marker="|" if label == "Visit" else "o",
                    markersize=8,
                    color="#0b0c0c" if label != "Escalation" else "#d4351c",
                )
            ax.axvline(as_of, color="#505a5f", linestyle=":", linewidth=1)
            ax.set_yticks(range(len(lanes)), lanes, fontsize=8)
            ax.invert_yaxis()
            ax.set_title("Chronology: plans (bars) and what happened on the file")
            ax.set_xlabel("Date")
            ax.set_ylabel("Record")
            ax.tick_params(axis="x", labelsize=8)

        return html.figures(html.figure(draw, height=2.8, alt="Chronology of the file"))

    def section_plans(self) -> str:
        p = self.cl.cp_plans.sort_values("start_date").copy()
        p["initial"] = p["initial_category"].map(lambda x: CATEGORY_LABELS.get(x, x))
        p["latest"] = p["latest_category"].map(lambda x: CATEGORY_LABELS.get(x, x))
        p["ended_why"] = p["end_reason"].map(lambda x: str(x).replace("_", " ") if x else "")
        p["contingency"] = [self.ctx.text(x) for x in p["contingency_plan"]]
        return html.table(
            p,
            [
                ("start_date", "Started", "date"),
                ("end_date", "Ended", "date"),
                ("initial", "Initial category", "text"),
                ("latest", "Latest category", "text"),
                ("previous_plans", "Previous plans", "num"),
                ("ended_why", "End reason", "text"),
                ("contingency", "Contingency plan", "text"),
            ],
            table_id="plans",
            empty="No child protection plan.",
        )

    def section_conferences(self) -> str:
        f = self.cl.conferences.sort_values("scheduled_date").copy()
        f["kind"] = f["type"].map(lambda x: TYPES.get(x, x))
        f["decision"] = [
            "Stood down: " + (self.ctx.text(r) or "") if s else OUTCOMES.get(o, "—") if o else "—"
            for s, r, o in zip(f["stood_down"], f["stood_down_reason"], f["outcome"], strict=True)
        ]
        f["cat"] = f["category"].map(lambda x: CATEGORY_LABELS.get(x, "") if x else "")
        f["chair"] = [self.ctx.staff_name(x) for x in f["chair_id"]]
        f["late_reason"] = [self.ctx.text(x) for x in f["out_of_timescale_reason"]]
        return html.table(
            f,
            [
                ("kind", "Type", "text"),
                ("scheduled_date", "Booked", "date"),
                ("held_date", "Held", "date"),
                ("decision", "Decision", "text"),
                ("cat", "Category", "text"),
                ("chair", self.ctx.chair_role, "text"),
                ("late_reason", "Reason out of timescale", "text"),
            ],
            table_id="conferences",
            empty="No conferences.",
        )

    def section_tracking(self) -> str:
        t = self.cl.case_tracking.sort_values("date").copy()
        t["by"] = [self.ctx.staff_name(x) for x in t["chair_id"]]
        t["obs"] = [self.ctx.text(x) for x in t["observations"]]
        t["worry"] = [self.ctx.text(x) for x in t["concerns"]]
        t["decided"] = t["decision"].map(lambda x: str(x).replace("_", " "))
        return html.table(
            t,
            [
                ("date", "Date", "date"),
                ("by", self.ctx.chair_role, "text"),
                ("obs", "What the records show", "text"),
                ("worry", "Concerns", "text"),
                ("decided", "Decision", "text"),
                ("next_check_date", "Next check", "date"),
            ],
            table_id="tracking",
            empty="No case-tracking records.",
        )

    def section_midway(self) -> str:
        m = self.cl.midway_reviews.sort_values("date").copy()
        m["by"] = [self.ctx.staff_name(x) for x in m["chair_id"]]
        m["progress"] = [
            " ".join(html.rag(o.get("rag"), "") for o in (outs or [])) for outs in m["outcomes"]
        ]
        m["reducing"] = m["risks_reducing"].map(lambda x: x or "—")
        m["decided"] = m["decision"].map(lambda x: str(x).replace("_", " ") if x else "—")
        m["why"] = [self.ctx.text(x) for x in m["decision_rationale"]]
        return html.table(
            m,
            [
                ("date", "Date", "date"),
                ("by", self.ctx.chair_role, "text"),
                ("progress", "Outcomes (RAG)", "html"),
                ("reducing", "Risks reducing", "text"),
                ("decided", "Decision", "text"),
                ("why", "Rationale", "text"),
            ],
            table_id="midway",
            empty="No midway reviews.",
        )

    def section_findings(self) -> str:
        f = self.ctx.findings
        f = f[f["live"]].sort_values("due_date").copy()
        f["what"] = [event_label(e, self.ctx.chair_role) for e in f["event"].astype(str)]
        f["state"] = [
            html.rag(r, t)
            for r, t in zip(f["rag"].astype(str), f["status_text"].astype(str), strict=True)
        ]
        f["source"] = [engine.short_citation(x) for x in f["citation"].astype(str)]
        f["basis_text"] = f["basis_text"].astype(str)
        return html.table(
            f,
            [
                ("what", "What", "text"),
                ("due_date", "Due", "date"),
                ("state", "Status", "html"),
                ("source", "Standard", "text"),
                ("basis_text", "What it rests on", "text"),
            ],
            table_id="findings",
            empty="Nothing due or late.",
        )

    def section_escalations(self) -> str:
        e = self.cl.escalations.sort_values("raised_on").copy()
        e["why"] = [self.ctx.text(x) for x in e["reason"]]
        e["with"] = [self.ctx.text(x) for x in e["raised_with"]]
        e["result"] = [self.ctx.text(x) for x in e["outcome"]]
        return html.table(
            e,
            [
                ("raised_on", "Raised", "date"),
                ("stage", "Stage", "text"),
                ("with", "Raised with", "text"),
                ("why", "Reason", "text"),
                ("response_due", "Response due", "date"),
                ("response_date", "Responded", "date"),
                ("status", "Status", "text"),
                ("result", "Outcome", "text"),
            ],
            table_id="escalations",
            empty="No escalations.",
        )
