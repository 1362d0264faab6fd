"""Agency participation (001: attendance of partner agencies "is monitored and reported").

For conferences held in the period (default the 12 months to ``as_of``): by agency, how often
it was invited, attended, sent apologies with a report, sent apologies, or did not attend; and
its reports: how many reached the chair and the family in time by the profile's rules (the
engine's ``report_to_chair`` and ``report_to_family`` findings).
"""

from __future__ import annotations

import pandas as pd

from cptrack.domain.models import AGENCY_LABELS
from cptrack.reports import html
from cptrack.reports.base import Report

STATUSES = (
    ("attended", "Attended", "#00703c"),
    ("apologies_report_sent", "Apologies, report sent", "#8cc49a"),
    ("apologies", "Apologies", "#ffdd00"),
    ("did_not_attend", "Did not attend", "#d4351c"),
)


class AgencyParticipation(Report):
    name = "agency_participation"
    title = "Agency participation in conferences"
    description = "attendance, apologies and report timeliness by agency over a period"
    sections = (("attendance", "Attendance by agency"), ("reports", "Reports by agency"))

    def prepare(self) -> None:
        c = self.ctx
        if c.end is None:
            c.end = c.as_of
        if c.start is None:
            c.start = (pd.Timestamp(c.end) - pd.DateOffset(years=1) + pd.Timedelta(days=1)).date()
        conf = c.caseload.conferences
        held = conf["held_date"]
        self.conferences = conf[(held >= pd.Timestamp(c.start)) & (held <= pd.Timestamp(c.end))]
        ids = set(self.conferences["id"])
        self.attendance = c.caseload.attendance[c.caseload.attendance["conference_id"].isin(ids)]
        self.reports = c.caseload.agency_reports[
            c.caseload.agency_reports["conference_id"].isin(ids)
        ]

    @property
    def subject(self) -> str:
        return "All chairs" if self.ctx.chair_id is None else self.ctx.staff_name(self.ctx.chair_id)

    def attendance_frame(self) -> pd.DataFrame:
        a = self.attendance[self.attendance["agency"] != "family"]
        counts = pd.crosstab(a["agency"], a["status"]).reindex(
            columns=[s for s, _, _ in STATUSES], fill_value=0
        )
        counts["invited"] = counts.sum(axis=1)
        counts["percent"] = 100 * counts["attended"] / counts["invited"]
        counts = counts.sort_values("invited", ascending=False).reset_index()
        counts["label"] = counts["agency"].map(lambda x: AGENCY_LABELS.get(x, x))
        return counts

    def section_attendance(self) -> str:
        t = self.attendance_frame()
        n = len(self.conferences)
        intro = html.note(f"{n:,} conferences held in the period (family members are not counted).")
        if not len(t):
            return intro + html.note("No attendance recorded.")
        plot = t.iloc[::-1]

        def draw(ax):
            left = pd.Series(0, index=plot.index)
            for status, label, colour in STATUSES:
                ax.barh(plot["label"], plot[status], left=left, color=colour, label=label)
                left = left + plot[status]
            ax.set_title("Invitations by agency and what happened")
            ax.set_xlabel("Conferences invited to")
            ax.set_ylabel("Agency")
            ax.tick_params(axis="y", labelsize=8)
            ax.legend(fontsize=7, frameon=False, loc="lower right")

        chart = html.figure(
            draw, height=max(2.6, 0.28 * len(plot) + 1.2), alt="Attendance by agency"
        )
        totals = {k: int(t[k].sum()) for k in ("invited", *[s for s, _, _ in STATUSES])}
        totals["label"] = "All agencies"
        totals["percent"] = (
            100 * totals["attended"] / totals["invited"] if totals["invited"] else None
        )
        table = html.table(
            t,
            [
                ("label", "Agency", "text"),
                ("invited", "Invited", "num"),
                ("attended", "Attended", "num"),
                ("apologies_report_sent", "Apologies, report sent", "num"),
                ("apologies", "Apologies", "num"),
                ("did_not_attend", "Did not attend", "num"),
                ("percent", "% attended", "pct"),
            ],
            table_id="attendance",
            total=totals,
        )
        return intro + html.figures(chart) + table

    def reports_frame(self) -> pd.DataFrame:
        f = self.ctx.findings
        f = f[
            (f["subject_table"] == "agency_reports")
            & f["event"].isin(("report_to_chair", "report_to_family"))
        ]
        r = self.reports[["id", "agency"]].rename(columns={"id": "subject_id"})
        f = f.assign(subject_id=f["subject_id"].astype("int64")).merge(r, on="subject_id")
        rows = []
        for agency, group in self.reports.groupby("agency"):
            row = {
                "agency": agency,
                "label": AGENCY_LABELS.get(agency, agency),
                "reports": len(group),
                "not_received": int(group["received_by_chair"].isna().sum()),
            }
            for event, key in (("report_to_chair", "chair"), ("report_to_family", "family")):
                g = f[(f["agency"] == agency) & (f["event"] == event)]
                judged = g["status"].isin(("met", "met_late", "overdue"))
                row[f"{key}_on_time"] = int((g["status"] == "met").sum())
                row[f"{key}_judged"] = int(judged.sum())
                row[f"{key}_pct"] = (
                    100 * row[f"{key}_on_time"] / row[f"{key}_judged"]
                    if row[f"{key}_judged"]
                    else None
                )
            rows.append(row)
        out = pd.DataFrame(rows)
        return out.sort_values("reports", ascending=False) if len(out) else out

    def section_reports(self) -> str:
        t = self.reports_frame()
        role = self.ctx.chair_role
        return html.table(
            t,
            [
                ("label", "Agency", "text"),
                ("reports", "Reports", "num"),
                ("not_received", "Not received", "num"),
                ("chair_on_time", f"To the {role} in time", "num"),
                ("chair_pct", "%", "pct"),
                ("family_on_time", "Shared with family in time", "num"),
                ("family_pct", "%", "pct"),
            ],
            table_id="reports",
            empty="No reports recorded for conferences in the period.",
        ) + html.note(
            "In time: by the deadlines of the standards profile (the engine's report_to_chair and "
            "report_to_family rules); a profile without a rule judges none."
        )
