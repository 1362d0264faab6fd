"""National measures, computed as the DfE defines them (DOMAIN.md §3).

Children in need statistics (https://explore-education-statistics.service.gov.uk/find-statistics/characteristics-of-children-in-need)
publish, for each year to 31 March, the measures below. ``national_measures(caseload,
start, end)`` computes them for any period, so a service can compare itself with the
published figures (24.5% repeat plans; 2.3% of open plans and 4.4% of ended plans at 2 years
or more; about 81% of ICPCs within 15 working days, median 14; England, 2025).

* **Repeat plans**: of the plans that started in the period, how many were a second or
  subsequent plan (``previous_plans`` of 1 or more).
* **Open plans by duration**: plans open on the period's last day (started on or before it,
  not ended by it), by time from the start to that day.
* **Ended plans by duration**: plans that ended in the period, by time from start to end.
  Duration bands: 3 months or less; over 3 months to 6 months; over 6 months to under 1
  year; 1 year to under 2 years; 2 years or more (calendar months, month-end clamped).
* **ICPC timeliness**: initial conferences held in the period with a section 47 enquiry, by
  working days from the strategy discussion at which the enquiry was initiated (the census's
  S47ActualStartDate; the enquiry's start where no discussion is recorded) to the
  conference: 0-10, 11-15, 16-20, 21 or more;
  with the share within 15 working days and the median. Enquiries are matched to their
  conferences as the engine does (``cptrack.engine.timescales``).
* **Reviews in timescale**: review conferences held in the period, and how many were held
  within the national timescale (the first within 3 months of the conference that made the
  plan, each later one within 6 months of the one before); and, as the DfE's older child
  measure had it, of the plans that ended in the period after at least 3 months, how many had
  every review on time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from cptrack import engine
from cptrack.caseload import Caseload
from cptrack.rules import profiles
from cptrack.rules import workdays as wd

DURATION_BANDS = (
    "3 months or less",
    "over 3 months to 6 months",
    "over 6 months to under 1 year",
    "1 year to under 2 years",
    "2 years or more",
)
ICPC_BANDS = ("0-10", "11-15", "16-20", "21+")


@dataclass
class Measures:
    """The national measures for one period; every frame has a ``count`` and ``percent``."""

    start: dt.date
    end: dt.date
    plans_started: int
    repeat_plans: int
    open_by_duration: pd.DataFrame
    ended_by_duration: pd.DataFrame
    icpc_by_working_days: pd.DataFrame
    icpc_within_15wd: int
    icpc_median_working_days: float | None
    reviews_held: int
    reviews_in_timescale: int
    plans_ended_3m_plus: int
    plans_ended_all_reviews_on_time: int

    @property
    def repeat_plan_percent(self) -> float | None:
        return _percent(self.repeat_plans, self.plans_started)

    @property
    def icpcs(self) -> int:
        return int(self.icpc_by_working_days["count"].sum())

    def summary(self) -> pd.DataFrame:
        """One row per headline figure: measure, count, out of, percent."""
        rows = [
            (
                "Plans starting that were second or subsequent",
                self.repeat_plans,
                self.plans_started,
            ),
            (
                "Plans open at the end of the period lasting 2 years or more",
                int(self.open_by_duration.loc["2 years or more", "count"]),
                int(self.open_by_duration["count"].sum()),
            ),
            (
                "Plans ending in the period that lasted 2 years or more",
                int(self.ended_by_duration.loc["2 years or more", "count"]),
                int(self.ended_by_duration["count"].sum()),
            ),
            (
                "ICPCs within 15 working days of the strategy discussion",
                self.icpc_within_15wd,
                self.icpcs,
            ),
            ("Review conferences held in timescale", self.reviews_in_timescale, self.reviews_held),
            (
                "Plans ending after 3 months or more with every review on time",
                self.plans_ended_all_reviews_on_time,
                self.plans_ended_3m_plus,
            ),
        ]
        out = pd.DataFrame(rows, columns=["measure", "count", "out_of"])
        out["percent"] = [_percent(c, d) for c, d in zip(out["count"], out["out_of"], strict=True)]
        return out


def national_measures(caseload: Caseload, start: dt.date, end: dt.date) -> Measures:
    """The DfE measures for plans, ICPCs and reviews in ``start``..``end`` (inclusive)."""
    first, last = np.datetime64(start, "D"), np.datetime64(end, "D")
    p = caseload.cp_plans
    p_start = p["start_date"].to_numpy(dtype="datetime64[D]")
    p_end = p["end_date"].to_numpy(dtype="datetime64[D]")
    previous = p["previous_plans"].fillna(0).to_numpy(dtype="int64")

    started = (p_start >= first) & (p_start <= last)
    open_at_end = (p_start <= last) & (np.isnat(p_end) | (p_end > last))
    ended = ~np.isnat(p_end) & (p_end >= first) & (p_end <= last)

    open_bands = duration_bands(p_start[open_at_end], np.full(open_at_end.sum(), last))
    ended_bands = duration_bands(p_start[ended], p_end[ended])

    national = profiles.load("national")
    icpc_days = _icpc_working_days(caseload, national, first, last)
    reviews = _reviews(caseload, national, first, last, p, ended, p_start, p_end)
    return Measures(
        start=start,
        end=end,
        plans_started=int(started.sum()),
        repeat_plans=int((started & (previous >= 1)).sum()),
        open_by_duration=_banded(open_bands, DURATION_BANDS),
        ended_by_duration=_banded(ended_bands, DURATION_BANDS),
        icpc_by_working_days=_banded(_icpc_band(icpc_days), ICPC_BANDS),
        icpc_within_15wd=int((icpc_days <= 15).sum()),
        icpc_median_working_days=float(np.median(icpc_days)) if len(icpc_days) else None,
        **reviews,
    )


def duration_bands(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The DfE duration band (index into DURATION_BANDS) of each start..end."""
    start = np.asarray(start, dtype="datetime64[D]")
    end = np.asarray(end, dtype="datetime64[D]")
    bands = np.full(len(start), 4, dtype="int64")
    m3, m6 = wd.add_months(start, 3), wd.add_months(start, 6)
    y1, y2 = wd.add_months(start, 12), wd.add_months(start, 24)
    bands = np.where(end < y2, 3, bands)
    bands = np.where(end < y1, 2, bands)
    bands = np.where(end <= m6, 1, bands)
    bands = np.where(end <= m3, 0, bands)
    return bands


def _icpc_band(days: np.ndarray) -> np.ndarray:
    return np.select([days <= 10, days <= 15, days <= 20], [0, 1, 2], 3)


def _banded(bands: np.ndarray, labels: tuple[str, ...]) -> pd.DataFrame:
    counts = np.bincount(bands.astype("int64"), minlength=len(labels))[: len(labels)]
    total = counts.sum()
    out = pd.DataFrame({"count": counts}, index=pd.Index(labels, name="band"))
    out["percent"] = [_percent(c, total) for c in counts]
    return out


def _percent(count: int, total: int) -> float | None:
    return round(100.0 * count / total, 1) if total else None


def _icpc_working_days(caseload, national, first, last) -> np.ndarray:
    """Working days from the strategy discussion at which each enquiry was initiated (the DfE's
    definition: the census's S47ActualStartDate is that discussion's date) to its ICPC, for
    ICPCs held in the period. Where no such discussion is recorded, the enquiry's own start
    date stands in for it."""
    rule = national.rule("icpc_within_15wd")
    dfe = replace(profiles.with_settings(national, icpc_clock="s47"), rules=(rule,))
    by_start = replace(national, rules=(replace(rule, anchor="s47_start"),))
    day = pd.Timestamp(last).date()
    keys = ["child_id", "subject_table", "subject_id"]
    f = engine.evaluate(caseload, dfe, day, kinds=("timescale",))
    g = engine.evaluate(caseload, by_start, day, kinds=("timescale",))
    starts = g[keys + ["anchor_date"]].rename(columns={"anchor_date": "s47_start"})
    for frame in (f, starts):
        for k in ("child_id", "subject_table"):
            frame[k] = frame[k].astype(str)
    f = f.merge(starts, on=keys, how="left")
    held = f["actual_date"].to_numpy(dtype="datetime64[D]")
    anchor = f["anchor_date"].fillna(f["s47_start"]).to_numpy(dtype="datetime64[D]")
    keep = ~np.isnat(held) & ~np.isnat(anchor) & (held >= first) & (held <= last)
    counts = wd.working_days_between(anchor[keep], held[keep])
    return np.asarray(counts, dtype="int64")


def _reviews(caseload, national, first, last, p, ended, p_start, p_end) -> dict[str, int]:
    rules = tuple(r for r in national.rules if r.event in ("first_review", "review"))
    only = replace(national, rules=rules)
    f = engine.evaluate(caseload, only, pd.Timestamp(last).date(), kinds=("timescale",))
    held = f["actual_date"].to_numpy(dtype="datetime64[D]")
    in_period = ~np.isnat(held) & (held >= first) & (held <= last)
    on_time = f["status"].to_numpy(dtype=object) == "met"
    # Plans ending in the period after 3 months or more: every review on time?
    long_enough = ended & (p_end >= wd.add_months(p_start, 3))
    plan_ids = p["id"].to_numpy(dtype="int64", na_value=-1)[long_enough]
    late = f[f["status"].isin(("met_late", "overdue"))]["plan_id"].dropna().astype("int64")
    all_on_time = ~np.isin(plan_ids, late.to_numpy())
    return {
        "reviews_held": int(in_period.sum()),
        "reviews_in_timescale": int((in_period & on_time).sum()),
        "plans_ended_3m_plus": int(long_enough.sum()),
        "plans_ended_all_reviews_on_time": int(all_on_time.sum()),
    }
