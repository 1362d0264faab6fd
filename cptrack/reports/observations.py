"""Practice observations: the summary for the Case Audit Management meeting (the QA
dashboard's sections, static), and a single observation as a document.

The summary's period is ``start``..``end`` (default the 12 months to ``as_of``); ``chair``
picks the chair whose trend is shown. The single observation is ``record`` (default the latest
submitted one).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cptrack.casework.qa import common
from cptrack.casework.qa.dashboard import HEADINGS, Dashboard
from cptrack.domain.models import RATING_LABELS, FieldError, RecordError
from cptrack.render import qa as qa_render
from cptrack.render.templating import render, trusted
from cptrack.reports import html
from cptrack.reports.base import Report
from cptrack.reports.context import day
from cptrack.storage.tables import TABLES


class ObservationSummary(Report):
    name = "observation_summary"
    title = "Practice observation summary"
    description = "the QA pack for the Case Audit Management meeting: observations and feedback"
    sections = tuple((k, h) for k, h in HEADINGS.items() if k != "feedback_sought")

    def prepare(self) -> None:
        c = self.ctx
        self.board = Dashboard(
            store=c.store,
            framework=common.framework(c.store),
            as_of=c.as_of,
            start=c.start,
            end=c.end,
        )
        self.board.reload()
        if c.chair_id is not None:
            self.board.trend_chair = c.chair_id
            self.board.feedback_chair = c.chair_id
        c.start, c.end = self.board.start, self.board.end
        if c.pseudonymise:
            chairs = self.board.chairs
            chairs["name"] = [c.staff_name(i) for i in chairs["id"]]
            o = self.board._observations.observations
            o["chair"] = [c.staff_name(i) for i in o["chair_id"]]
            o["observer"] = [c.staff_name(i) for i in o["observer_id"]]

    def section(self, key: str) -> str:
        return str(render("reports/app_section.html", body=trusted(self.board.section(key))))


def latest_observation(store) -> int | None:
    o = TABLES["observations"]
    with store.engine.connect() as conn:
        return conn.execute(
            sa.select(o.c.id)
            .where(o.c.status != "draft")
            .order_by(o.c.date.desc(), o.c.id.desc())
            .limit(1)
        ).scalar()


class SingleObservation(Report):
    name = "observation"
    title = "Practice observation"
    description = "one practice observation of a chair, for the chair's file and supervision"
    sections = (
        ("about", "The observation"),
        ("ratings", "Ratings against the framework"),
        ("judgement", "Strengths, development and judgement"),
    )

    def prepare(self) -> None:
        c = self.ctx
        if c.record is None:
            c.record = latest_observation(c.store)
        row = c.store.get("observations", c.record) if c.record is not None else None
        if row is None:
            raise RecordError(
                "Report", [FieldError("record", f"no practice observation {c.record}")]
            )
        self.obs = row
        self.framework = common.framework(c.store)

    @property
    def subject(self) -> str:
        return f"{self.ctx.chair_role}: {self.ctx.staff_name(self.obs['chair_id'])}"

    @property
    def period(self) -> str:
        return f"observed {day(self.obs['date'])}"

    def section_about(self) -> str:
        c, o = self.ctx, self.obs
        conf = c.store.get("conferences", o["conference_id"]) if o.get("conference_id") else None
        what = "—"
        if conf:
            what = (
                f"{common.CONFERENCE_TYPES.get(conf['type'], conf['type'])} conference for "
                f"{c.child_label(conf['child_id'])}, {day(conf['held_date'] or conf['scheduled_date'])}"
            )
        return html.key_values(
            [
                (c.chair_role, c.staff_name(o["chair_id"])),
                ("Observer", c.staff_name(o["observer_id"], "Observer")),
                ("Date", day(o["date"])),
                ("Conference", what),
                ("Framework", self.framework.name),
                ("Status", str(o["status"]).replace("_", " ")),
            ]
        )

    def section_ratings(self) -> str:
        by_id = {r["criterion"]: r for r in self.obs.get("ratings") or []}
        parts = []
        for d in self.framework.domains:
            rows = []
            for crit in d.criteria:
                r = by_id.get(crit.id, {})
                rows.append(
                    {
                        "criterion": crit.text,
                        "rating": qa_render.grade_tag(r.get("rating"))
                        if r.get("rating")
                        else "Not rated",
                        "evidence": self.ctx.text(r.get("evidence")),
                        "source": "; ".join(s.short for s in crit.sources),
                    }
                )
            parts.append(
                html.block(
                    d.title,
                    html.table(
                        pd.DataFrame(rows),
                        [
                            ("criterion", "Criterion", "text"),
                            ("rating", "Rating", "html"),
                            ("evidence", "Evidence", "text"),
                            ("source", "Source", "text"),
                        ],
                    ),
                )
            )
        return "".join(parts)

    def section_judgement(self) -> str:
        o, c = self.obs, self.ctx
        judgement = (
            RATING_LABELS.get(o.get("overall_judgement"), "—")
            if o.get("overall_judgement")
            else "—"
        )
        return html.key_values(
            [
                ("Strengths", c.text(o.get("strengths"))),
                ("Development points", c.text(o.get("development_points"))),
                ("Overall judgement", judgement),
                ("Why", c.text(o.get("overall_rationale"))),
                (f"The {c.chair_role.lower()}'s reflection", c.text(o.get("chair_reflection"))),
                ("Acknowledged", day(o.get("chair_acknowledged"))),
            ]
        )
