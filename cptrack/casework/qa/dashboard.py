"""The QA dashboard for the Case Audit Management meeting, without widgets.

State: the period (default the last 12 months), the interval within which every chair
should be observed (default from the framework: 6 months), whether the heat map's rows are
chairs or observations, the chair whose trend is shown and the chair whose conferences are
listed for feedback. ``reload`` reads the store; the other methods compute from what was
read, so changing a choice is quick.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from cptrack.casework.qa import common
from cptrack.domain.models import FieldError, RecordError, today
from cptrack.quality import feedback
from cptrack.quality.observation import Framework
from cptrack.quality.observation import summary as obs_summary
from cptrack.render import qa as render
from cptrack.rules.workdays import add_months
from cptrack.storage.store import Store


def _months_before(day: dt.date, months: int) -> dt.date:
    value = add_months(day, -months)
    return pd.Timestamp(value).date()


@dataclass
class Dashboard:
    store: Store
    framework: Framework
    as_of: dt.date = field(default_factory=today)
    start: dt.date | None = None
    end: dt.date | None = None
    interval_months: int | None = None
    rows_by: str = "chair"
    trend_chair: int | None = None
    feedback_chair: int | None = None

    def __post_init__(self) -> None:
        self.end = self.end or self.as_of
        self.start = self.start or _months_before(self.end, 12) + dt.timedelta(days=1)
        self.interval_months = self.interval_months or self.framework.interval_months
        self._observations: obs_summary.Observations | None = None
        self._feedback: feedback.FeedbackFrames | None = None
        self.chairs = pd.DataFrame(columns=["id", "name", "active"])

    @classmethod
    def open(cls, store: Store, **choices) -> Dashboard:
        board = cls(store=store, framework=common.framework(store), **choices)
        board.reload()
        return board

    def check(self) -> None:
        """Refuse choices that cannot make a dashboard, naming the field."""
        errors = []
        if self.start is None:
            errors.append(FieldError("start", "give the first day of the period"))
        if self.end is None:
            errors.append(FieldError("end", "give the last day of the period"))
        if self.start and self.end and self.start > self.end:
            errors.append(FieldError("end", "is before the start of the period"))
        if not isinstance(self.interval_months, int) or not 1 <= self.interval_months <= 36:
            errors.append(FieldError("interval_months", "give 1 to 36 months"))
        if self.rows_by not in ("chair", "observation"):
            errors.append(FieldError("rows_by", "choose chairs or observations"))
        if errors:
            raise RecordError("Dashboard", errors)

    def reload(self) -> None:
        """Read the observations, the chairs and the period's feedback from the store."""
        self.check()
        self.chairs = common.chairs(self.store)
        self._observations = obs_summary.load(self.store)
        self._feedback = feedback.load(self.store, self.start, self.end)
        ids = set(self.chairs["id"])
        if self.trend_chair not in ids:
            self.trend_chair = int(self.chairs["id"].iloc[0]) if len(self.chairs) else None
        if self.feedback_chair not in ids:
            self.feedback_chair = self.trend_chair

    # -- what the page shows ------------------------------------------------

    @property
    def observations(self) -> obs_summary.Observations:
        """Submitted and complete observations dated within the period."""
        assert self._observations is not None, "call reload() first"
        return self._observations.between(self.start, self.end)

    def heatmap(self) -> obs_summary.HeatMap:
        return obs_summary.domain_heatmap(self.observations, self.framework, by=self.rows_by)

    def per_period(self) -> pd.DataFrame:
        return obs_summary.per_chair_and_period(self.observations, self.chairs)

    def trend(self) -> pd.DataFrame:
        if self.trend_chair is None:
            return pd.DataFrame()
        return obs_summary.trend(self._observations, self.framework, self.trend_chair)

    def below_good(self) -> pd.DataFrame:
        return obs_summary.below_good(self.observations, self.framework)

    def not_observed(self) -> pd.DataFrame:
        """Every chair against the interval, as of the end of the period (observations
        before the period count: what matters is the last one)."""
        everything = self._observations.between(None, self.end)
        return obs_summary.not_observed_within(
            everything, self.chairs, self.end, self.interval_months
        )

    def feedback_by_chair(self) -> pd.DataFrame:
        return feedback.summary_by_chair(self._feedback)

    def feedback_by_period(self) -> pd.DataFrame:
        return feedback.summary_by_period(self._feedback)

    def feedback_questions(self) -> pd.DataFrame:
        return feedback.question_summary(self._feedback)

    def feedback_conferences(self) -> pd.DataFrame:
        return feedback.conferences_for_chair(self._feedback, self.feedback_chair)

    def chair_name(self, chair_id: int | None) -> str:
        match = self.chairs.loc[self.chairs["id"] == chair_id, "name"]
        return str(match.iloc[0]) if len(match) else "—"

    # -- the sections as HTML -----------------------------------------------

    def section(self, key: str) -> str:
        """One section of the page as HTML (static: the same in Voila and a report)."""
        months = self.interval_months
        if key == "not_observed":
            return render.overdue(self.not_observed(), months)
        if key == "heatmap":
            return (
                render.heatmap(self.heatmap(), self.framework, self.rows_by)
                + render.legend()
                + render.domains_key(self.framework)
            )
        if key == "below_good":
            return render.below_good(self.below_good(), self.framework)
        if key == "trend":
            return render.trend_chart(
                self.trend(), self.framework, self.chair_name(self.trend_chair)
            )
        if key == "per_period":
            return render.per_period(self.per_period())
        if key == "feedback":
            return (
                "<h3>By chair</h3>"
                + render.feedback_by_chair(self.feedback_by_chair())
                + "<h3>By quarter</h3>"
                + render.feedback_by_period(self.feedback_by_period())
                + "<h3>By question</h3>"
                + render.feedback_questions(self.feedback_questions())
            )
        if key == "feedback_sought":
            return render.feedback_sought(self.feedback_conferences())
        raise KeyError(f"no section {key!r}; sections: {', '.join(SECTIONS)}")

    def sections(self) -> dict[str, str]:
        return {key: self.section(key) for key in SECTIONS}


# Each section of the pack with its heading: the dashboard shows them all, the observation
# summary report all but the per-conference list.
HEADINGS = {
    "not_observed": "Chairs not observed within the interval",
    "heatmap": "Ratings by domain",
    "below_good": "Criteria most often below Good across the service",
    "trend": "Trend over time for a chair",
    "per_period": "Observations per chair and quarter",
    "feedback": "Feedback after conferences",
    "feedback_sought": "Was feedback sought? Each conference of a chair",
}
SECTIONS = tuple(HEADINGS)
