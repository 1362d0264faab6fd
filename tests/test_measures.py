"""DfE national measures over a hand-built caseload whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from cptrack.caseload import Caseload
from cptrack.measures import DURATION_BANDS, duration_bands, national_measures

D = dt.date
YEAR = (D(2025, 4, 1), D(2026, 3, 31))


def _plan(pid, start, end=None, previous=0):
    return {
        "id": pid,
        "child_id": f"C{pid}",
        "start_date": start,
        "end_date": end,
        "initial_category": "NEG",
        "latest_category": "NEG",
        "previous_plans": previous,
    }


@pytest.mark.parametrize(
    ("start", "end", "band"),
    [
        (D(2025, 1, 31), D(2025, 4, 30), 0),  # exactly 3 months (month-end clamped)
        (D(2025, 1, 31), D(2025, 5, 1), 1),  # a day over 3 months
        (D(2025, 1, 1), D(2025, 7, 1), 1),  # exactly 6 months
        (D(2025, 1, 1), D(2025, 12, 31), 2),  # under a year
        (D(2025, 1, 1), D(2026, 1, 1), 3),  # a year exactly
        (D(2024, 1, 1), D(2025, 12, 31), 3),
        (D(2024, 1, 1), D(2026, 1, 1), 4),  # two years exactly
    ],
)
def test_duration_bands_at_their_edges(start, end, band):
    """'3 months or less' includes 3 months; '1 to under 2 years' excludes 2 years."""
    assert (
        DURATION_BANDS[band]
        == DURATION_BANDS[duration_bands(np.array([start]), np.array([end]))[0]]
    )


def _caseload() -> Caseload:
    plans = [
        _plan(1, D(2025, 6, 2)),  # starts in the year, first plan, open at 31 March (~10 months)
        _plan(2, D(2025, 9, 1), previous=1),  # starts in the year, repeat, open (~7 months)
        _plan(3, D(2023, 11, 1)),  # open at 31 March for 2 years 5 months
        _plan(4, D(2024, 1, 10), D(2026, 2, 2)),  # ended in the year after over 2 years
        _plan(5, D(2025, 5, 1), D(2025, 7, 1), previous=2),  # starts and ends in the year
    ]
    children = [
        {"id": f"C{i}", "given_name": "A", "family_name": "B", "date_of_birth": D(2015, 1, 1)}
        for i in range(1, 7)
    ]
    s47 = [
        {"id": 1, "child_id": "C1", "start_date": D(2025, 5, 12)},
        {"id": 2, "child_id": "C2", "start_date": D(2025, 8, 4)},
        {"id": 3, "child_id": "C6", "start_date": D(2025, 10, 1)},
    ]
    conferences = [
        # Mon 12 May to Mon 2 June 2025 is 14 working days (over the spring bank holiday)
        {
            "id": 1,
            "child_id": "C1",
            "type": "initial",
            "s47_id": 1,
            "scheduled_date": D(2025, 6, 2),
            "held_date": D(2025, 6, 2),
            "outcome": "cp_plan",
            "plan_id": 1,
        },
        # Mon 4 Aug to Mon 1 Sep 2025 is 19 working days (over the late summer bank holiday)
        {
            "id": 2,
            "child_id": "C2",
            "type": "initial",
            "s47_id": 2,
            "scheduled_date": D(2025, 9, 1),
            "held_date": D(2025, 9, 1),
            "outcome": "cp_plan",
            "plan_id": 2,
        },
        {
            "id": 3,
            "child_id": "C6",
            "type": "initial",
            "s47_id": 3,
            "scheduled_date": D(2025, 11, 5),
            "held_date": D(2025, 11, 5),
            "outcome": "nfa",
        },
        # Reviews: plan 1 first review on time (2 Sep <= 2 Sep), plan 2 late (2 Dec > 1 Dec)
        {
            "id": 4,
            "child_id": "C1",
            "type": "review",
            "plan_id": 1,
            "scheduled_date": D(2025, 9, 2),
            "held_date": D(2025, 9, 2),
            "outcome": "plan_continues",
        },
        {
            "id": 5,
            "child_id": "C2",
            "type": "review",
            "plan_id": 2,
            "scheduled_date": D(2025, 12, 2),
            "held_date": D(2025, 12, 2),
            "outcome": "plan_continues",
        },
    ]
    return Caseload.from_frames(
        children=children, cp_plans=plans, s47_enquiries=s47, conferences=conferences
    )


def test_repeat_plans_share():
    """Three plans started in the year; two were second or later plans."""
    m = national_measures(_caseload(), *YEAR)
    assert (m.plans_started, m.repeat_plans, m.repeat_plan_percent) == (3, 2, 66.7)


def test_open_and_ended_plans_by_duration():
    """Open at 31 March: ~10 months, ~7 months, 2 years 5 months. Ended: 2 months, 2 years."""
    m = national_measures(_caseload(), *YEAR)
    assert list(m.open_by_duration["count"]) == [0, 0, 2, 0, 1]
    assert list(m.ended_by_duration["count"]) == [1, 0, 0, 0, 1]
    assert m.open_by_duration.loc["2 years or more", "percent"] == 33.3


def test_icpc_working_days_bands_and_median():
    """ICPCs at 14, 19 and 25 working days from the s47 start."""
    m = national_measures(_caseload(), *YEAR)
    # 12 May -> 2 Jun 2025: 14 working days; 4 Aug -> 1 Sep: 19; 1 Oct -> 5 Nov: 25.
    assert list(m.icpc_by_working_days["count"]) == [0, 1, 1, 1]
    assert (m.icpc_within_15wd, m.icpc_median_working_days) == (1, 19.0)


def test_reviews_in_timescale():
    """Two reviews held in the year, one on time. The plan that ended after 2 years has no
    review recorded at all, so not every review was on time."""
    m = national_measures(_caseload(), *YEAR)
    assert (m.reviews_held, m.reviews_in_timescale) == (2, 1)
    assert (m.plans_ended_3m_plus, m.plans_ended_all_reviews_on_time) == (1, 0)
    summary = m.summary().set_index("measure")
    assert summary.loc["Review conferences held in timescale", "percent"] == 50.0


def test_an_empty_period_has_no_percentages():
    """With nothing in the period, counts are 0 and percentages are missing, not errors."""
    m = national_measures(Caseload.empty(), *YEAR)
    assert m.repeat_plan_percent is None
    assert m.icpc_median_working_days is None
    assert m.summary()["percent"].isna().all()


def test_icpc_timeliness_counts_from_the_strategy_discussion_that_started_the_enquiry():
    """The DfE measure counts from the strategy discussion at which the s47 enquiry was
    initiated, not the enquiry's own recorded start: discussion Mon 5 Jan 2026, enquiry
    recorded as starting Mon 12 Jan, conference Wed 28 Jan. From 5 Jan that is 17 working
    days (6-9, 12-16, 19-23, 26-28 Jan): late; from the enquiry's start it would be 12."""
    cl = Caseload.from_frames(
        children=[
            {
                "id": "C9",
                "given_name": "Ana",
                "family_name": "Synth",
                "date_of_birth": dt.date(2019, 1, 1),
            }
        ],
        strategy_discussions=[{"id": 1, "child_id": "C9", "date": dt.date(2026, 1, 5)}],
        s47_enquiries=[
            {
                "id": 1,
                "child_id": "C9",
                "start_date": dt.date(2026, 1, 12),
                "strategy_discussion_id": 1,
            }
        ],
        conferences=[
            {
                "id": 1,
                "child_id": "C9",
                "type": "initial",
                "s47_id": 1,
                "scheduled_date": dt.date(2026, 1, 28),
                "held_date": dt.date(2026, 1, 28),
                "outcome": "nfa",
            }
        ],
    )
    m = national_measures(cl, dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert (1, 0, 17.0) == (m.icpcs, m.icpc_within_15wd, m.icpc_median_working_days)
