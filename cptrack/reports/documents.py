"""Documents for the child's file: a midway review and a conference record.

Each ends with the standards it is judged by, each with its citation: the conference's own
timeliness and what its date starts; the plan against each standard on the day of the review.

``record`` is the id of the midway review or the conference; without it, ``child``'s latest
(or, with neither, the latest in the database, so the notebooks run on any demo database).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cptrack import engine
from cptrack.casework.conference.record.words import (
    OUTCOME_WORDS,
    PARTICIPATION_WORDS,
    STATUS_WORDS,
    VIEW_WORDS,
)
from cptrack.casework.midway.words import DECISION_WORDS, RAG_WORDS, RISK_WORDS
from cptrack.domain.models import AGENCY_LABELS, CATEGORY_LABELS, FieldError, RecordError
from cptrack.reports import html
from cptrack.reports.base import Report
from cptrack.reports.child import TYPES
from cptrack.reports.context import day
from cptrack.storage.tables import TABLES


def _latest(store, table: str, date_col: str, child: str | None, where=None) -> int | None:
    t = TABLES[table]
    q = sa.select(t.c.id).order_by(t.c[date_col].desc(), t.c.id.desc()).limit(1)
    if child is not None:
        q = q.where(t.c.child_id == child)
    if where is not None:
        q = q.where(where(t))
    with store.engine.connect() as conn:
        return conn.execute(q).scalar()


def _timescales(f: pd.DataFrame, table_id: str, empty: str) -> str:
    """Findings as a table of the standards they come from: what, due, done, the status and
    the standard's source (its citation, kept in every format)."""
    f = f.sort_values(["due_date", "rule_id"], kind="stable").copy()
    f["status_words"] = [
        html.rag(r, t[:1].upper() + t[1:]) if r else t[:1].upper() + t[1:]
        for r, t in zip(f["rag"].fillna("").astype(str), f["status_text"].astype(str), strict=True)
    ]
    f["source"] = [engine.short_citation(x) for x in f["citation"].astype(str)]
    return html.table(
        f,
        [
            ("rule_text", "Standard", "text"),
            ("due_date", "Due", "date"),
            ("actual_date", "Done", "date"),
            ("status_words", "Status", "html"),
            ("source", "Source", "text"),
        ],
        table_id=table_id,
        empty=empty,
    )


def _yes_no(value) -> str:
    return "—" if value is None else ("Yes" if value else "No")


class _Document(Report):
    table = ""
    date_col = "date"
    where = None

    def prepare(self) -> None:
        c = self.ctx
        if c.record is None:
            c.record = _latest(c.store, self.table, self.date_col, c.child, self.where)
        row = c.store.get(self.table, c.record) if c.record is not None else None
        if row is None:
            raise RecordError(
                "Report", [FieldError("record", f"no {self.title.lower()} {c.record}")]
            )
        self.row = row
        c.child = row["child_id"]
        self.kid = c.store.get("children", row["child_id"])

    @property
    def subject(self) -> str:
        return self.ctx.child_label(self.row["child_id"])

    def child_block(self) -> list[tuple[str, str]]:
        c = self.ctx
        return [
            ("Child", c.child_label(self.kid["id"])),
            ("Age" if c.pseudonymise else "Date of birth", c.born(self.kid)),
        ]


class MidwayReviewDocument(_Document):
    name = "midway_review"
    title = "Midway review"
    description = "a chair's midway review of a child's plan, for the child's file"
    table = "midway_reviews"
    sections = (
        ("about", "The review"),
        ("outcomes", "Progress against the plan's outcomes"),
        ("judgement", "The chair's judgement"),
        ("actions", "Actions from the review"),
        ("timescales", "The plan against the standards at the review"),
    )

    @property
    def period(self) -> str:
        return f"reviewed {day(self.row['date'])}"

    def section_about(self) -> str:
        c, r = self.ctx, self.row
        plan = c.store.get("cp_plans", r["plan_id"]) if r.get("plan_id") else None
        conf = c.store.get("conferences", r["conference_id"]) if r.get("conference_id") else None
        return html.key_values(
            self.child_block()
            + [
                ("Date of the review", day(r["date"])),
                (c.chair_role, c.staff_name(r["chair_id"])),
                ("Plan started", day(plan["start_date"]) if plan else "—"),
                ("Category", CATEGORY_LABELS.get(plan["latest_category"], "—") if plan else "—"),
                ("Since the conference of", day(conf["held_date"]) if conf else "—"),
                ("Core groups", c.text(r.get("core_group_compliance")) or "—"),
                ("Visits", c.text(r.get("visit_compliance")) or "—"),
            ]
        )

    def section_outcomes(self) -> str:
        rows = [
            {
                "outcome": self.ctx.text(o.get("outcome")),
                "rag": html.rag(o.get("rag"), RAG_WORDS.get(o.get("rag"), "").split(": ")[-1]),
                "evidence": self.ctx.text(o.get("evidence")),
            }
            for o in self.row.get("outcomes") or []
        ]
        return html.table(
            pd.DataFrame(rows),
            [
                ("outcome", "Outcome", "text"),
                ("rag", "Progress", "html"),
                ("evidence", "Evidence", "text"),
            ],
            table_id="outcomes",
            empty="No outcomes recorded.",
        )

    def section_judgement(self) -> str:
        c, r = self.ctx, self.row
        return html.key_values(
            [
                ("Are the original risks reducing?", RISK_WORDS.get(r.get("risks_reducing"), "—")),
                ("Evidence", c.text(r.get("risks_evidence")) or "—"),
                ("Has the child's voice been heard?", _yes_no(r.get("child_voice_heard"))),
                ("How", c.text(r.get("child_voice_evidence")) or "—"),
                ("Is the contingency plan still right?", _yes_no(r.get("contingency_still_right"))),
                ("Note", c.text(r.get("contingency_note")) or "—"),
                ("Decision", DECISION_WORDS.get(r.get("decision"), "—")),
                ("Rationale", c.text(r.get("decision_rationale")) or "—"),
            ]
        )

    def section_actions(self) -> str:
        a = pd.DataFrame(
            self.ctx.store.rows(
                "plan_actions", source="midway_review", source_record_id=self.row["id"]
            )
        )
        return _actions(self.ctx, a)

    def section_timescales(self) -> str:
        """Each standard's latest due date for the plan, judged on the day of the review."""
        c, r = self.ctx, self.row
        on = pd.Timestamp(r["date"])
        f = engine.evaluate(c.caseload, c.profile, on.date())
        f = f[(f["plan_id"] == r.get("plan_id")) & (f["anchor_date"] <= on)]
        f = f.sort_values(["due_date", "occurrence"], kind="stable").groupby("rule_id").tail(1)
        return _timescales(f, "timescales", "No standard applied to the plan by the review.")


def _actions(c, a: pd.DataFrame) -> str:
    if len(a):
        a["what"] = [c.text(x) for x in a["description"]]
        a["who"] = [c.text(x) for x in a["owner"]]
        a["state"] = a["status"].map(lambda x: str(x).replace("_", " "))
    return html.table(
        a,
        [
            ("what", "Action", "text"),
            ("who", "Who", "text"),
            ("due_date", "By", "date"),
            ("state", "Status", "text"),
        ],
        table_id="actions",
        empty="No actions recorded.",
    )


class ConferenceRecordDocument(_Document):
    name = "conference_record"
    title = "Conference record"
    description = (
        "a conference's record (attendance, analysis, decision, plan), for the child's file"
    )
    table = "conferences"
    date_col = "held_date"
    where = staticmethod(lambda t: t.c.held_date.is_not(None))
    sections = (
        ("about", "The conference"),
        ("attendance", "Attendance"),
        ("reports", "Reports"),
        ("analysis", "Analysis (Signs of Safety)"),
        ("decision", "Decision and plan"),
        ("actions", "Actions"),
        ("timescales", "Timescales: this conference and what it starts"),
    )

    @property
    def period(self) -> str:
        r = self.row
        return (
            f"held {day(r['held_date'])}"
            if r.get("held_date")
            else f"booked {day(r['scheduled_date'])}"
        )

    def section_about(self) -> str:
        c, r = self.ctx, self.row
        return html.key_values(
            self.child_block()
            + [
                ("Type", TYPES.get(r["type"], r["type"])),
                ("Booked for", day(r["scheduled_date"])),
                ("Held", day(r.get("held_date"))),
                (c.chair_role, c.staff_name(r["chair_id"])),
                ("Venue", str(r.get("venue") or "—").replace("_", " ")),
                ("Quorate", _yes_no(r.get("quorate"))),
                (
                    "Stood down",
                    f"Yes: {c.text(r.get('stood_down_reason')) or ''}"
                    if r.get("stood_down")
                    else "No",
                ),
                ("Reason out of timescale", c.text(r.get("out_of_timescale_reason")) or "—"),
                ("The child's participation", PARTICIPATION_WORDS.get(r.get("participation"), "—")),
            ]
        )

    def section_attendance(self) -> str:
        a = pd.DataFrame(self.ctx.store.rows("attendance", conference_id=self.row["id"]))
        if len(a):
            a["who"] = [self.ctx.person(x) for x in a["person"]]
            a["agency_label"] = a["agency"].map(lambda x: AGENCY_LABELS.get(x, x))
            a["state"] = a["status"].map(lambda x: STATUS_WORDS.get(x, x))
            a["opinion"] = a["view"].map(lambda x: VIEW_WORDS.get(x, "—") if x else "—")
            a["dissented"] = a["dissent"].map(lambda x: "Yes" if x else "")
        return html.table(
            a,
            [
                ("agency_label", "Agency", "text"),
                ("who", "Name", "text"),
                ("state", "Attendance", "text"),
                ("scaling_score", "Scaling (0-10)", "num"),
                ("opinion", "View", "text"),
                ("dissented", "Dissent", "text"),
            ],
            table_id="attendance",
            empty="No attendance recorded.",
        )

    def section_reports(self) -> str:
        r = pd.DataFrame(self.ctx.store.rows("agency_reports", conference_id=self.row["id"]))
        if len(r):
            r["agency_label"] = r["agency"].map(lambda x: AGENCY_LABELS.get(x, x))
        return html.table(
            r,
            [
                ("agency_label", "Agency", "text"),
                ("received_by_chair", f"To the {self.ctx.chair_role}", "date"),
                ("shared_with_family", "Shared with family", "date"),
            ],
            table_id="reports",
            empty="No reports recorded.",
        )

    def section_analysis(self) -> str:
        c, r = self.ctx, self.row
        return html.key_values(
            [
                ("What are we worried about?", c.text(r.get("worried_about")) or "—"),
                ("What is working well?", c.text(r.get("working_well")) or "—"),
                ("The child's views", c.text(r.get("child_views")) or "—"),
                ("What needs to happen?", c.text(r.get("needs_to_happen")) or "—"),
                ("Danger statements", c.text(r.get("danger_statements")) or "—"),
                ("Safety goals", c.text(r.get("safety_goals")) or "—"),
            ]
        )

    def section_decision(self) -> str:
        c, r = self.ctx, self.row
        return html.key_values(
            [
                ("Decision", OUTCOME_WORDS.get(r.get("outcome"), "—") if r.get("outcome") else "—"),
                (
                    "Category",
                    CATEGORY_LABELS.get(r.get("category"), "—") if r.get("category") else "—",
                ),
                (
                    "Dissent",
                    f"Yes: {c.text(r.get('dissent_detail')) or ''}" if r.get("dissent") else "No",
                ),
                ("Core group members", c.text(r.get("core_group_members")) or "—"),
                ("First core group", day(r.get("first_core_group_date"))),
                ("Next review", day(r.get("next_review_date"))),
                (
                    "Visits at least every",
                    f"{r['visit_frequency_wd']} working days"
                    if r.get("visit_frequency_wd")
                    else "—",
                ),
                ("Contingency plan", c.text(r.get("contingency_plan")) or "—"),
                ("Decisions distributed", day(r.get("decisions_distributed"))),
                ("Plan distributed", day(r.get("plan_distributed"))),
                ("Minutes distributed", day(r.get("minutes_distributed"))),
            ]
        )

    def section_actions(self) -> str:
        a = pd.DataFrame(
            self.ctx.store.rows(
                "plan_actions", source="conference", source_record_id=self.row["id"]
            )
        )
        return _actions(self.ctx, a)

    def section_timescales(self) -> str:
        """Whether this conference was on time, and what its date starts (the first core
        group, visits, the next review), against the standards."""
        f, r = self.ctx.findings, self.row
        held = pd.Timestamp(r.get("held_date") or r["scheduled_date"])
        mine = (f["subject_table"] == "conferences") & (f["subject_id"] == r["id"])
        started = (f["anchor_date"] == held) & (f["child_id"] == r["child_id"])
        return _timescales(
            f[mine | started], "timescales", "No standard applies to this conference."
        )
