"""Monthly timeliness, for the team manager (003_b9b37e5469565ffe.txt §1.4: a monthly report
on the timeliness of conferences "including an analysis of why any meetings are held out of
timescale").

The month is the one holding ``start`` (default: the month before ``as_of``). Conferences
held in the month are judged by the engine against the profile's timescales (initial,
first review, later reviews); those held late are listed with the reason recorded on the
conference. Beside them: the 12 months to the month's end, and the DfE national measures for
those 12 months with the published England figures (DOMAIN.md §3).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cptrack import engine
from cptrack.measures import national_measures
from cptrack.reports import html
from cptrack.reports.base import Report
from cptrack.reports.context import day

CONFERENCE_EVENTS = ("icpc", "first_review", "review")
# Children in need statistics, England, year to 31 March 2025 (DOMAIN.md §3).
ENGLAND = {
    0: "24.5%",
    1: "2.3%",
    2: "4.4%",
    3: "about 81%",
}
ENGLAND_SOURCE = (
    "England: Children in need statistics 2025, "
    "https://explore-education-statistics.service.gov.uk/find-statistics/characteristics-of-children-in-need"
)


def month_bounds(any_day: dt.date) -> tuple[dt.date, dt.date]:
    first = any_day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


def conferences_in_month(findings: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Conference timescale findings for conferences held from ``first`` to ``last``: one row
    per conference (the worst status when several rules judge it)."""
    f = findings[findings["event"].isin(CONFERENCE_EVENTS) & (findings["kind"] == "timescale")]
    held = f["actual_date"]
    f = f[(held >= pd.Timestamp(first)) & (held <= pd.Timestamp(last))].copy()
    f["late"] = f["status"] == "met_late"
    f = f.sort_values(["late", "working_days_late"], ascending=[False, False])
    f = f.assign(subject_id=f["subject_id"].astype("Int64"))
    return f.drop_duplicates(["subject_table", "subject_id"]).reset_index(drop=True)


def out_of_timescale_count(findings: pd.DataFrame, first: dt.date, last: dt.date) -> int:
    held = conferences_in_month(findings, first, last)
    return int(held["late"].sum())


class MonthlyTimeliness(Report):
    name = "monthly_timeliness"
    title = "Monthly timeliness of conferences"
    description = "conferences in the month against timescales, reasons for delay, 12-month trend, national measures"
    sections = (
        ("summary", "The month"),
        ("late", "Held out of timescale, with the reason recorded"),
        ("reasons", "Why conferences were late"),
        ("overdue", "Due in the month and not yet held"),
        ("held", "Every conference held in the month"),
        ("trend", "The last 12 months"),
        ("measures", "National measures beside England"),
    )

    def prepare(self) -> None:
        c = self.ctx
        default = c.as_of.replace(day=1) - dt.timedelta(days=1)
        self.first, self.last = month_bounds(c.start or default)
        self.year_start = (pd.Timestamp(self.first) - pd.DateOffset(months=11)).date()
        self.findings = c.findings
        self.held = conferences_in_month(self.findings, self.first, self.last)
        conf = c.caseload.conferences.set_index("id")
        ids = self.held["subject_id"]
        self.held["reason"] = [
            c.text(conf.at[int(i), "out_of_timescale_reason"])
            if pd.notna(i) and int(i) in conf.index
            else None
            for i in ids
        ]
        self.held["chair"] = [
            c.staff_name(conf.at[int(i), "chair_id"])
            if pd.notna(i) and int(i) in conf.index
            else "—"
            for i in ids
        ]
        self.held["child"] = [c.child_name(x) for x in self.held["child_id"].astype(str)]
        self.held["ref"] = [c.child_ref(x) for x in self.held["child_id"].astype(str)]
        self.held["what"] = [engine.EVENT_LABELS.get(e, e) for e in self.held["event"].astype(str)]
        self.held["state"] = [
            html.rag_and("red" if late else "green", "late" if late else "in timescale", t)
            for late, t in zip(self.held["late"], self.held["status_text"].astype(str), strict=True)
        ]

    @property
    def subject(self) -> str:
        who = "All chairs" if self.ctx.chair_id is None else self.ctx.staff_name(self.ctx.chair_id)
        return f"{pd.Timestamp(self.first):%B %Y} · {who}"

    @property
    def period(self) -> str:
        return f"{day(self.first)} to {day(self.last)}"

    def section_summary(self) -> str:
        held = self.held
        late = int(held["late"].sum())
        n = len(held)
        pct = f"{100 * (n - late) / n:.0f}%" if n else "—"
        no_reason = int((held["late"] & held["reason"].isna()).sum())
        return (
            html.stat("conferences held", n, "held-count")
            + html.stat("in timescale", pct)
            + html.stat("out of timescale", late, "out-of-timescale-count")
            + html.stat("late with no reason recorded", no_reason)
            + html.note(
                "Judged by the engine against the profile's timescales: initial conferences, "
                "first reviews and later reviews. A conference is out of timescale when it was "
                "held after its due date."
            )
        )

    def _conference_table(
        self, frame: pd.DataFrame, table_id: str, empty: str, reason: bool
    ) -> str:
        cols = [
            *self.child_columns(),
            ("what", "Conference", "text"),
            ("due_date", "Due", "date"),
            ("actual_date", "Held", "date"),
            ("working_days_late", "Working days late", "num"),
            ("chair", self.ctx.chair_role, "text"),
        ]
        cols.append(
            ("reason", "Reason recorded", "text") if reason else ("state", "Status", "html")
        )
        return html.table(frame, cols, table_id=table_id, empty=empty)

    def section_late(self) -> str:
        late = self.held[self.held["late"]].copy()
        late["reason"] = late["reason"].fillna("No reason recorded")
        return self._conference_table(
            late, "late", "No conference was held out of timescale.", True
        )

    def section_reasons(self) -> str:
        late = self.held[self.held["late"]]
        if not len(late):
            return html.note("No conference was held out of timescale.")
        counts = (
            late["reason"]
            .fillna("No reason recorded")
            .value_counts()
            .rename_axis("reason")
            .reset_index()
        )
        return html.table(
            counts,
            [("reason", "Reason", "text"), ("count", "Conferences", "num")],
            table_id="reasons",
        )

    def section_overdue(self) -> str:
        f = self.findings
        f = f[f["event"].isin(CONFERENCE_EVENTS) & (f["status"] == "overdue") & f["live"]]
        due = f["due_date"]
        f = f[(due >= pd.Timestamp(self.first)) & (due <= pd.Timestamp(self.last))].copy()
        f["child"] = [self.ctx.child_name(x) for x in f["child_id"].astype(str)]
        f["ref"] = [self.ctx.child_ref(x) for x in f["child_id"].astype(str)]
        f["what"] = [engine.EVENT_LABELS.get(e, e) for e in f["event"].astype(str)]
        f["state"] = [html.rag("red", t) for t in f["status_text"].astype(str)]
        return html.table(
            f.sort_values("due_date"),
            [
                *self.child_columns(),
                ("what", "Conference", "text"),
                ("due_date", "Due", "date"),
                ("booked_date", "Booked for", "date"),
                ("state", "Status", "html"),
            ],
            table_id="overdue",
            empty="Every conference due in the month has been held.",
        )

    def section_held(self) -> str:
        frame = self.held.sort_values(["actual_date", "child_id"])
        return self._conference_table(
            frame, "held", "No conferences were held in the month.", False
        )

    def trend(self) -> pd.DataFrame:
        f = self.findings
        f = f[
            f["event"].isin(CONFERENCE_EVENTS)
            & (f["kind"] == "timescale")
            & f["actual_date"].notna()
        ]
        f = f.assign(subject_id=f["subject_id"].astype("Int64"))
        f = f.assign(late=f["status"] == "met_late").sort_values("late", ascending=False)
        f = f.drop_duplicates(["subject_table", "subject_id"])
        months = pd.period_range(pd.Timestamp(self.year_start), pd.Timestamp(self.first), freq="M")
        month = f["actual_date"].dt.to_period("M")
        rows = []
        for m in months:
            in_month = f[month == m]
            late = int(in_month["late"].sum())
            rows.append(
                {
                    "month": m.strftime("%b %Y"),
                    "held": len(in_month),
                    "late": late,
                    "in_time": len(in_month) - late,
                    "percent": 100 * (len(in_month) - late) / len(in_month)
                    if len(in_month)
                    else None,
                }
            )
        return pd.DataFrame(rows)

    def section_trend(self) -> str:
        t = self.trend()

        def draw(ax):
            x = range(len(t))
            ax.bar(x, t["in_time"], color="#00703c", label="In timescale")
            ax.bar(x, t["late"], bottom=t["in_time"], color="#d4351c", label="Out of timescale")
            ax.set_xticks(list(x), t["month"], rotation=45, ha="right", fontsize=8)
            ax.set_title("Conferences held each month, in and out of timescale")
            ax.set_xlabel("Month held")
            ax.set_ylabel("Conferences")
            ax.legend(fontsize=8, frameon=False)

        chart = html.figure(draw, alt="Conferences held each month, in and out of timescale")
        table = html.table(
            t,
            [
                ("month", "Month", "nowrap"),
                ("held", "Held", "num"),
                ("in_time", "In timescale", "num"),
                ("late", "Out of timescale", "num"),
                ("percent", "% in timescale", "pct"),
            ],
            table_id="trend",
        )
        return html.figures(chart) + table

    def section_measures(self) -> str:
        m = national_measures(self.ctx.caseload, self.year_start, self.last)
        s = m.summary()
        s["england"] = [ENGLAND.get(i, "—") for i in range(len(s))]
        median = m.icpc_median_working_days
        s.loc[len(s)] = [
            "Median working days from strategy discussion to ICPC",
            None if median is None else median,
            None,
            None,
            "14",
        ]
        return (
            html.note(
                f"{day(self.year_start)} to {day(self.last)}, as the DfE defines each measure "
                "(cptrack.measures)."
            )
            + html.table(
                s,
                [
                    ("measure", "Measure", "text"),
                    ("count", "Here", "num"),
                    ("out_of", "Out of", "num"),
                    ("percent", "Here %", "pct"),
                    ("england", "England 2025", "text"),
                ],
                table_id="measures",
            )
            + html.note(ENGLAND_SOURCE)
        )
