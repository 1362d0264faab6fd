"""The compliance engine: hand-worked cases, every status, every rule family, the contract."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from casebuilder import case, child, conference, one, plan, rows

from cptrack import engine
from cptrack.caseload import Caseload
from cptrack.domain.models import today
from cptrack.engine import COLUMNS, STATUSES, evaluate
from cptrack.rules import profiles

D = dt.date
NATIONAL = profiles.load("national")

# ---------------------------------------------------------------------------
# The hand-worked cases of the issue


def _icpc_case(held: D) -> Caseload:
    # Friday 24 April 2026; the 15th working day after it is Monday 18 May 2026, counted
    # over the May Day bank holiday (Monday 4 May).
    return case(
        strategy_discussions=[{"id": 1, "child_id": "C1", "date": D(2026, 4, 24)}],
        s47_enquiries=[
            {"id": 1, "child_id": "C1", "start_date": D(2026, 4, 24), "strategy_discussion_id": 1}
        ],
        conferences=[conference(1, held=held, s47_id=1, outcome="cin_plan")],
    )


def test_icpc_on_the_15th_working_day_across_a_bank_holiday_is_met():
    """Strategy discussion 24 Apr 2026, ICPC 18 May 2026 (the 15th working day): met."""
    f = one(evaluate(_icpc_case(D(2026, 5, 18)), NATIONAL, D(2026, 6, 1)), "icpc_within_15wd")
    assert (pd.Timestamp("2026-05-18"), "met", 0) == (f.due_date, f.status, f.working_days_late)
    assert f.status_text == "met"


def test_icpc_on_the_16th_working_day_is_late_by_one():
    """The same ICPC on 19 May 2026 is met late by 1 working day."""
    f = one(evaluate(_icpc_case(D(2026, 5, 19)), NATIONAL, D(2026, 6, 1)), "icpc_within_15wd")
    assert (f.status, f.working_days_late, f.days_late) == ("met_late", 1, 1)
    assert f.status_text == "met late by 1 working day"
    assert f.rag == ""


@pytest.mark.parametrize(
    ("review_held", "status", "late"),
    [(D(2023, 11, 30), "met", 0), (D(2023, 12, 1), "met_late", 1), (D(2023, 11, 2), "met", -20)],
)
def test_first_review_exactly_three_months_after_an_icpc_on_31_august(review_held, status, late):
    """ICPC Thursday 31 Aug 2023: the first review is due by 30 November (month-end clamp)."""
    cl = case(
        cp_plans=[plan(start=D(2023, 8, 31))],
        conferences=[
            conference(1, held=D(2023, 8, 31), plan_id=1, category="NEG"),
            conference(2, type_="review", held=review_held, plan_id=1, category="NEG"),
        ],
    )
    f = one(evaluate(cl, NATIONAL, D(2023, 12, 8)), "first_review_within_3m")
    assert (pd.Timestamp("2023-11-30"), status, late) == (f.due_date, f.status, f.working_days_late)


def test_a_visit_gap_of_11_working_days_under_a_10_day_rule_is_missed():
    """Visits on Mon 2 Nov and Tue 17 Nov 2026 (11 working days) under a 10-day plan: late by 1."""
    cl = case(
        cp_plans=[plan(start=D(2026, 10, 26), visit_frequency_wd=10)],
        visits=[
            {"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 11, 2)},
            {"id": 2, "child_id": "C1", "plan_id": 1, "date": D(2026, 11, 17)},
        ],
    )
    f = rows(evaluate(cl, NATIONAL, D(2026, 11, 20)), "visit_frequency")
    gap = f[f["anchor_date"] == pd.Timestamp("2026-11-02")].iloc[0]
    assert (pd.Timestamp("2026-11-16"), "met_late", 1) == (
        gap.due_date,
        gap.status,
        gap.working_days_late,
    )
    assert (gap.subject_table, gap.subject_id) == ("visits", 2)


def _continuing_after_second_review() -> Caseload:
    return case(
        cp_plans=[plan(start=D(2025, 11, 3))],
        conferences=[
            conference(1, held=D(2025, 11, 3), plan_id=1, category="NEG"),
            conference(2, type_="review", held=D(2026, 1, 26), plan_id=1, category="NEG"),
            conference(3, type_="review", held=D(2026, 7, 20), plan_id=1, category="NEG"),
        ],
    )


def test_a_plan_continuing_at_its_second_review_raises_eram_under_authority_a_only():
    """Authority A (000) holds an ERAM after the second review; national has no such rule."""
    cl = _continuing_after_second_review()
    a = evaluate(cl, profiles.load("authority-a"), D(2026, 11, 22))
    eram = one(a, "a_enhanced_risk_analysis")
    assert (eram.kind, eram.event, eram.status, eram.rag) == ("drift", "eram", "overdue", "red")
    assert pd.Timestamp("2026-07-20") == eram.anchor_date
    assert eram.citation.startswith("000_8cc237e70824866b.txt")
    national = evaluate(cl, NATIONAL, D(2026, 11, 22))
    assert (national["event"] == "eram").sum() == 0


def test_eram_recorded_is_met():
    """An ERAM recorded within the window closes the alert as met."""
    cl = _continuing_after_second_review()
    cl = Caseload.from_frames(
        **{k: v for k, v in cl.frames().items() if k != "case_tracking"},
        case_tracking=[
            {
                "id": 1,
                "child_id": "C1",
                "plan_id": 1,
                "kind": "enhanced_risk_analysis",
                "date": D(2026, 8, 3),
                "observations": "ERAM held",
            }
        ],
    )
    eram = one(
        evaluate(cl, profiles.load("authority-a"), D(2026, 11, 22)), "a_enhanced_risk_analysis"
    )
    assert ("met", pd.Timestamp("2026-08-03")) == (eram.status, eram.actual_date)


# ---------------------------------------------------------------------------
# Each status


def test_overdue_and_due_and_rag_by_the_amber_window():
    """An unheld first core group is overdue (red) after its due date; due (amber/green) before."""
    cl = case(
        cp_plans=[plan(start=D(2026, 11, 2))],
        conferences=[conference(1, held=D(2026, 11, 2), plan_id=1, category="NEG")],
    )
    # due 16 Nov 2026 (10 working days after Mon 2 Nov)
    late = one(evaluate(cl, NATIONAL, D(2026, 11, 18)), "first_core_group_within_10wd")
    assert (
        late.status,
        late.working_days_late,
        late.rag,
        late.status_text,
    ) == ("overdue", 2, "red", "overdue by 2 working days")
    soon = one(evaluate(cl, NATIONAL, D(2026, 11, 10)), "first_core_group_within_10wd")
    assert (
        soon.status,
        soon.working_days_to_due,
        soon.rag,
        soon.status_text,
    ) == ("due", 4, "amber", "due in 4 working days")
    later = one(evaluate(cl, NATIONAL, D(2026, 11, 3)), "first_core_group_within_10wd")
    assert (later.status, later.working_days_to_due, later.rag) == ("due", 9, "green")
    today = one(evaluate(cl, NATIONAL, D(2026, 11, 16)), "first_core_group_within_10wd")
    assert (today.status, today.working_days_to_due, today.status_text) == ("due", 0, "due today")


def test_cannot_tell_names_what_is_missing():
    """An ICPC with no strategy discussion recorded cannot be judged; the text says why."""
    cl = case(conferences=[conference(1, held=D(2026, 5, 18), outcome="nfa")])
    f = one(evaluate(cl, NATIONAL, D(2026, 6, 1)), "icpc_within_15wd")
    assert (f.status, f.rag) == ("cannot_tell", "amber")
    assert f.status_text == "cannot tell: no strategy discussion recorded"


def test_not_yet_applicable_until_the_first_core_group():
    """Sunderland's Birth Arrangements Form counts from the first core group: until then, n/a."""
    cl = case(
        children=[child(date_of_birth=None, expected_date_of_delivery=D(2027, 1, 10))],
        cp_plans=[plan(start=D(2026, 11, 16), pre_birth=True)],
        conferences=[
            conference(1, type_="pre_birth", held=D(2026, 11, 16), plan_id=1, category="NEG")
        ],
    )
    sund = profiles.load("sunderland")
    f = one(evaluate(cl, sund, D(2026, 11, 20)), "sunderland_birth_arrangements_10wd")
    assert (f.status, f.rag) == ("not_yet_applicable", "")
    assert "first core group" in f.status_text
    with_cg = Caseload.from_frames(
        **{k: v for k, v in cl.frames().items() if k != "core_groups"},
        core_groups=[{"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 11, 19)}],
    )
    g = one(evaluate(with_cg, sund, D(2026, 11, 20)), "sunderland_birth_arrangements_10wd")
    assert ("due", pd.Timestamp("2026-12-03")) == (g.status, g.due_date)


# ---------------------------------------------------------------------------
# Rule families


def _review_with_reports(reports, time=None) -> Caseload:
    return case(
        cp_plans=[plan(start=D(2026, 5, 18))],
        conferences=[
            conference(1, held=D(2026, 5, 18), plan_id=1, category="NEG"),
            conference(
                2,
                type_="review",
                held=D(2026, 8, 13),
                plan_id=1,
                category="NEG",
                scheduled_time=time,
            ),
        ],
        agency_reports=[{"conference_id": 2, "id": i + 1, **r} for i, r in enumerate(reports)],
    )


def test_report_deadlines_differ_between_dorset_and_sunderland():
    """A report shared 4 working days before a review meets neither 5-working-day rule; a
    report shared 5 working days before meets Dorset's and Sunderland's applied rule, and
    Sunderland's listed-but-not-applied 7-day rule produces nothing."""
    # Review Thursday 13 Aug 2026; 5 working days before is Thursday 6 Aug.
    cl = _review_with_reports(
        [
            {
                "agency": "police",
                "shared_with_family": D(2026, 8, 7),
                "received_by_chair": D(2026, 8, 7),
            },
            {
                "agency": "school",
                "shared_with_family": D(2026, 8, 6),
                "received_by_chair": D(2026, 8, 6),
            },
        ]
    )
    dorset = evaluate(cl, profiles.load("dorset"), D(2026, 11, 22))
    fam = rows(dorset, "dorset_reports_review_5wd")
    assert list(zip(fam["status"], fam["working_days_late"], strict=True)) == [
        ("met_late", 1),
        ("met", 0),
    ]
    sund = evaluate(cl, profiles.load("sunderland"), D(2026, 11, 22))
    assert len(rows(sund, "sunderland_family_reports_review_5wd")) == 2
    assert rows(sund, "sunderland_family_reports_review_7d").empty
    # Sunderland's professionals' reports to the chair: 5 (calendar) days before: 8 Aug.
    chair = rows(sund, "sunderland_reports_to_chair_review_5d")
    assert [pd.Timestamp("2026-08-08")] * 2 == list(chair["due_date"])
    assert list(chair["status"]) == ["met", "met"]
    # ... and the social worker's report (7 days) is missing: cannot tell, naming it.
    sw = one(sund, "sunderland_sw_report_to_chair_review_7d")
    assert (
        sw.status_text
        == "cannot tell: no Children's social care report recorded for this conference"
    )


def test_hours_rule_with_clock_times_counts_hours():
    """LBH: 48 hours before an initial conference at 10:00 Thursday: Tuesday 09:00 is in time,
    Tuesday 11:00 is late by 1 hour."""
    cl = case(
        conferences=[
            conference(1, held=D(2026, 11, 19), scheduled_time=dt.time(10, 0), outcome="nfa")
        ],
        agency_reports=[
            {
                "id": 1,
                "conference_id": 1,
                "agency": "police",
                "shared_with_family": D(2026, 11, 17),
                "shared_with_family_time": dt.time(9, 0),
            },
            {
                "id": 2,
                "conference_id": 1,
                "agency": "school",
                "shared_with_family": D(2026, 11, 17),
                "shared_with_family_time": dt.time(11, 0),
            },
        ],
    )
    f = rows(
        evaluate(cl, profiles.load("lbh"), D(2026, 11, 22)), "lbh_reports_to_family_initial_48h"
    )
    assert list(f["status"]) == ["met", "met_late"]
    assert f.loc[1, "status_text"] == "met late by 1 hour"


@pytest.mark.parametrize(
    ("reading", "shared", "status"),
    [
        ("lenient", D(2026, 11, 17), "met"),
        ("strict", D(2026, 11, 17), "met_late"),
        ("strict", D(2026, 11, 16), "met"),
        ("cannot_tell", D(2026, 11, 17), "cannot_tell"),
        ("cannot_tell", D(2026, 11, 16), "met"),
        ("cannot_tell", D(2026, 11, 18), "met_late"),
    ],
)
def test_date_only_records_against_an_hours_rule(reading, shared, status):
    """48 hours before a conference on Thursday 19 Nov with no times: the profile's reading."""
    cl = case(
        conferences=[conference(1, held=D(2026, 11, 19), outcome="nfa")],
        agency_reports=[
            {"id": 1, "conference_id": 1, "agency": "police", "shared_with_family": shared}
        ],
    )
    lbh = profiles.with_settings(profiles.load("lbh"), date_only_hours=reading)
    f = one(evaluate(cl, lbh, D(2026, 11, 22)), "lbh_reports_to_family_initial_48h")
    assert status == f.status


def test_report_not_yet_received_for_a_booked_conference_is_overdue_then_cannot_tell():
    """Before a booked conference a missing report is overdue; once held without a date, we
    cannot tell."""
    cl = case(
        conferences=[conference(1, scheduled=D(2026, 11, 26))],
        agency_reports=[{"id": 1, "conference_id": 1, "agency": "police"}],
    )
    lbh = profiles.load("lbh")
    before = one(evaluate(cl, lbh, D(2026, 11, 24)), "lbh_reports_to_chair_3wd")
    assert ("overdue", pd.Timestamp("2026-11-23")) == (before.status, before.due_date)
    held = case(
        conferences=[conference(1, held=D(2026, 11, 26), outcome="nfa")],
        agency_reports=[{"id": 1, "conference_id": 1, "agency": "police"}],
    )
    after = one(evaluate(held, lbh, D(2026, 11, 27)), "lbh_reports_to_chair_3wd")
    assert after.status == "cannot_tell"
    assert "Police report reached the chair" in after.status_text


def test_confidential_reports_are_not_expected_with_the_family():
    """Sunderland excepts confidential police reports from sharing with the family."""
    cl = _review_with_reports([{"agency": "police", "confidential": True}])
    f = evaluate(cl, profiles.load("sunderland"), D(2026, 11, 22))
    fam = one(f, "sunderland_family_reports_review_5wd")
    assert (fam.subject_table, fam.status) == ("conferences", "cannot_tell")


def test_sunderland_distribution_timescales():
    """Decisions in 24 hours, plan in 1 working day, minutes in 14 working days (003 §4.9-4.14)."""
    cl = case(
        cp_plans=[plan(start=D(2026, 11, 5))],
        conferences=[
            conference(
                1,
                held=D(2026, 11, 5),
                plan_id=1,
                category="NEG",
                decisions_distributed=D(2026, 11, 6),
                plan_distributed=D(2026, 11, 9),
            )
        ],
    )
    f = evaluate(cl, profiles.load("sunderland"), D(2026, 11, 20))
    decisions = one(f, "sunderland_decisions_24h")
    plan_ = one(f, "sunderland_plan_1wd")
    minutes = one(f, "sunderland_minutes_14wd")
    assert ("met", pd.Timestamp("2026-11-06")) == (decisions.status, decisions.due_date)
    assert (plan_.status, plan_.working_days_late) == ("met_late", 1)
    assert ("due", pd.Timestamp("2026-11-25")) == (minutes.status, minutes.due_date)


def test_core_group_chain_uses_the_plans_frequency():
    """After the first, core groups follow the plan's frequency, else the setting (30 wd)."""
    cl = case(
        cp_plans=[plan(start=D(2026, 9, 1), core_group_frequency_wd=20)],
        conferences=[conference(1, held=D(2026, 9, 1), plan_id=1, category="NEG")],
        core_groups=[
            {"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 9, 10)},
            {"id": 2, "child_id": "C1", "plan_id": 1, "date": D(2026, 10, 9)},
            {
                "id": 3,
                "child_id": "C1",
                "plan_id": 1,
                "date": D(2026, 12, 1),
                "status": "scheduled",
            },
        ],
    )
    f = rows(evaluate(cl, NATIONAL, D(2026, 11, 20)), "core_group_regular")
    assert list(zip(f["status"], f["occurrence"], strict=True)) == [("met_late", 1), ("overdue", 2)]
    assert pd.Timestamp("2026-11-06") == f.loc[1, "due_date"]
    assert pd.Timestamp("2026-12-01") == f.loc[1, "booked_date"]


def test_seen_alone_counts_only_visits_where_the_child_was_seen_alone():
    """Seen-alone visits make their own chain from the plan's start."""
    cl = case(
        cp_plans=[plan(start=D(2026, 10, 1))],
        visits=[
            {"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 10, 8), "seen_alone": False},
            {"id": 2, "child_id": "C1", "plan_id": 1, "date": D(2026, 10, 22), "seen_alone": True},
        ],
    )
    f = rows(evaluate(cl, NATIONAL, D(2026, 11, 2)), "seen_alone")
    assert [pd.Timestamp("2026-10-22"), pd.NaT] == list(f["actual_date"])
    assert list(f["status"]) == ["met", "due"]


def test_dorset_midway_review_halfway_to_the_review_due_date():
    """Dorset §4.14 gives no timing, so the midway window is a local setting: after an ICPC on
    2 Nov 2026 the first review is due 2 Feb 2027 (92 days on); the window runs from 40% of
    the way (37 days: Wed 9 Dec) to 60% (55 days: Sun 27 Dec, read as the last working day on
    or before it, Thu 24 Dec, since 25 and 28 Dec are bank holidays). A review on 17 Dec is in
    it and meets the standard; one on 2 Dec, before the window, is not the midway review."""
    cl = case(
        cp_plans=[plan(start=D(2026, 11, 2))],
        conferences=[conference(1, held=D(2026, 11, 2), plan_id=1, category="NEG")],
    )
    f = one(evaluate(cl, profiles.load("dorset"), D(2026, 11, 20)), "dorset_midway_review")
    assert (pd.Timestamp("2026-12-09"), pd.Timestamp("2026-12-24"), "due", "local") == (
        f.anchor_date,
        f.due_date,
        f.status,
        f.basis,
    )
    assert "004 §4.14 for the requirement; local setting" in f.basis_text
    early = Caseload.from_frames(
        **{k: v for k, v in cl.frames().items() if k != "midway_reviews"},
        midway_reviews=[{"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 12, 2)}],
    )
    e = one(evaluate(early, profiles.load("dorset"), D(2026, 12, 29)), "dorset_midway_review")
    assert ("overdue", 1) == (e.status, e.working_days_late)
    held = Caseload.from_frames(
        **{k: v for k, v in cl.frames().items() if k != "midway_reviews"},
        midway_reviews=[{"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 12, 17)}],
    )
    g = one(evaluate(held, profiles.load("dorset"), D(2027, 1, 4)), "dorset_midway_review")
    assert ("met", pd.Timestamp("2026-12-17")) == (g.status, g.actual_date)


def test_escalation_response_overdue_is_red():
    """An escalation past its agreed response date with no response is a red finding."""
    cl = case(
        escalations=[
            {
                "id": 1,
                "child_id": "C1",
                "raised_on": D(2026, 11, 2),
                "stage": "informal",
                "reason": "no visits",
                "raised_with": "TM",
                "response_due": D(2026, 11, 9),
            },
            {
                "id": 2,
                "child_id": "C1",
                "raised_on": D(2026, 11, 2),
                "stage": "informal",
                "reason": "no visits",
                "raised_with": "TM",
                "response_due": D(2026, 11, 9),
                "response_date": D(2026, 11, 5),
                "status": "resolved",
                "outcome": "ok",
            },
        ]
    )
    f = rows(evaluate(cl, NATIONAL, D(2026, 11, 12)), "escalation_response")
    assert list(zip(f["status"], f["rag"], strict=True)) == [("overdue", "red"), ("met", "")]


def test_plan_ended_before_the_due_date_has_no_finding_and_after_it_is_missed():
    """No review finding once a plan ends before the review falls due; missed if after."""
    base = {
        "conferences": [conference(1, held=D(2026, 5, 4), plan_id=1, category="NEG")],
    }
    early = case(cp_plans=[plan(start=D(2026, 5, 4), end_date=D(2026, 7, 1))], **base)
    assert rows(evaluate(early, NATIONAL, D(2026, 11, 20)), "first_review_within_3m").empty
    late = case(cp_plans=[plan(start=D(2026, 5, 4), end_date=D(2026, 8, 14))], **base)
    f = one(evaluate(late, NATIONAL, D(2026, 11, 20)), "first_review_within_3m")
    assert (f.status, f.working_days_late) == ("overdue", 8)  # 4 Aug to 14 Aug 2026
    assert f.status_text.startswith("missed")


@pytest.mark.parametrize(
    ("clock", "anchor"),
    [("s47", "2026-10-05"), ("first", "2026-10-01"), ("last", "2026-10-08")],
)
def test_which_strategy_discussion_starts_the_icpc_clock(clock, anchor):
    """The icpc_clock setting: the s47-initiating discussion, the first, or the last."""
    cl = case(
        strategy_discussions=[
            {"id": 1, "child_id": "C1", "date": D(2026, 10, 1), "s47_initiated": False},
            {"id": 2, "child_id": "C1", "date": D(2026, 10, 5), "s47_initiated": True},
            {"id": 3, "child_id": "C1", "date": D(2026, 10, 8), "s47_initiated": False},
        ],
        s47_enquiries=[{"id": 1, "child_id": "C1", "start_date": D(2026, 10, 8), "episode_id": 1}],
        cin_episodes=[{"id": 1, "child_id": "C1", "referral_date": D(2026, 9, 28)}],
        conferences=[conference(1, held=D(2026, 10, 26), s47_id=1, outcome="nfa")],
    )
    p = profiles.with_settings(NATIONAL, icpc_clock=clock)
    assert (
        pd.Timestamp(anchor)
        == one(evaluate(cl, p, D(2026, 11, 20)), "icpc_within_15wd").anchor_date
    )


def test_sunderland_counts_the_icpc_from_the_first_strategy_meeting():
    """003 §1.1: Sunderland's profile sets icpc_clock = first."""
    cl = case(
        strategy_discussions=[
            {"id": 1, "child_id": "C1", "date": D(2026, 10, 1), "s47_initiated": False},
            {"id": 2, "child_id": "C1", "date": D(2026, 10, 5), "s47_initiated": True},
        ],
        s47_enquiries=[
            {
                "id": 1,
                "child_id": "C1",
                "start_date": D(2026, 10, 5),
                "strategy_discussion_id": 2,
                "episode_id": 1,
            }
        ],
        cin_episodes=[{"id": 1, "child_id": "C1", "referral_date": D(2026, 9, 30)}],
        conferences=[conference(1, held=D(2026, 10, 23), s47_id=1, outcome="nfa")],
    )
    # 15 working days from 1 Oct is 22 Oct; from 5 Oct it is 26 Oct.
    assert (
        one(evaluate(cl, profiles.load("sunderland"), D(2026, 11, 20)), "icpc_within_15wd").status
        == "met_late"
    )
    assert one(evaluate(cl, NATIONAL, D(2026, 11, 20)), "icpc_within_15wd").status == "met"


def test_without_a_cin_episode_sunderland_counts_from_the_discussion_that_started_it():
    """003 §1.1 counts from the first strategy meeting of the episode; with no CIN episode
    recorded, a discussion on 2 Mar 2026 that led to no enquiry cannot be told apart from
    this enquiry's own, so the clock starts at the discussion of Tue 1 Sep that initiated it
    (15th working day Tue 22 Sep: the conference of 18 Sep is met), and the finding says why;
    an earlier enquiry marked "ICPC not required" bounds the window all the same."""
    cl = case(
        strategy_discussions=[
            {"id": 1, "child_id": "C1", "date": D(2026, 3, 2), "s47_initiated": False},
            {"id": 2, "child_id": "C1", "date": D(2026, 9, 1), "s47_initiated": True},
        ],
        s47_enquiries=[
            {"id": 1, "child_id": "C1", "start_date": D(2026, 9, 1), "strategy_discussion_id": 2}
        ],
        conferences=[conference(1, held=D(2026, 9, 18), s47_id=1, outcome="nfa")],
    )
    f = one(evaluate(cl, profiles.load("sunderland"), D(2026, 10, 1)), "icpc_within_15wd")
    assert (pd.Timestamp("2026-09-01"), "met") == (f.anchor_date, f.status)
    assert "no CIN episode is recorded" in f.basis_text
    earlier = case(
        strategy_discussions=[
            {"id": 1, "child_id": "C1", "date": D(2026, 11, 2)},
            {"id": 2, "child_id": "C1", "date": D(2026, 12, 1)},
        ],
        cin_episodes=[{"id": 1, "child_id": "C1", "referral_date": D(2026, 10, 30)}],
        s47_enquiries=[
            {
                "id": 1,
                "child_id": "C1",
                "start_date": D(2026, 11, 2),
                "strategy_discussion_id": 1,
                "episode_id": 1,
                "icpc_not_required": True,
            },
            {
                "id": 2,
                "child_id": "C1",
                "start_date": D(2026, 12, 1),
                "strategy_discussion_id": 2,
                "episode_id": 1,
            },
        ],
        conferences=[conference(1, held=D(2026, 12, 21), s47_id=2, outcome="nfa")],
    )
    g = one(evaluate(earlier, profiles.load("sunderland"), D(2027, 1, 5)), "icpc_within_15wd")
    assert (pd.Timestamp("2026-12-01"), "met") == (g.anchor_date, g.status)


def test_an_open_enquiry_with_no_conference_is_overdue_and_booked_date_is_shown():
    """An s47 with its conference booked after the due date: overdue, with the booking."""
    cl = case(
        strategy_discussions=[{"id": 1, "child_id": "C1", "date": D(2026, 10, 26)}],
        s47_enquiries=[
            {"id": 1, "child_id": "C1", "start_date": D(2026, 10, 26), "strategy_discussion_id": 1}
        ],
        conferences=[conference(1, scheduled=D(2026, 11, 25), s47_id=1)],
    )
    f = one(evaluate(cl, NATIONAL, D(2026, 11, 20)), "icpc_within_15wd")
    assert ("overdue", pd.Timestamp("2026-11-16"), pd.Timestamp("2026-11-25")) == (
        f.status,
        f.due_date,
        f.booked_date,
    )


# ---------------------------------------------------------------------------
# The contract


def _busy_caseload() -> Caseload:
    return case(
        children=[child("C1"), child("C2")],
        strategy_discussions=[{"id": 1, "child_id": "C2", "date": D(2026, 9, 1)}],
        s47_enquiries=[
            {"id": 1, "child_id": "C2", "start_date": D(2026, 9, 1), "strategy_discussion_id": 1}
        ],
        cp_plans=[plan(1, "C1", D(2026, 5, 4)), plan(2, "C2", D(2026, 9, 21))],
        conferences=[
            conference(1, "C1", held=D(2026, 5, 4), plan_id=1, category="NEG"),
            conference(2, "C1", "review", held=D(2026, 7, 27), plan_id=1, category="NEG"),
            conference(3, "C2", held=D(2026, 9, 21), plan_id=2, s47_id=1, category="PHY"),
        ],
        agency_reports=[
            {"id": 1, "conference_id": 2, "agency": "police", "received_by_chair": D(2026, 7, 20)}
        ],
        visits=[
            {
                "id": i,
                "child_id": "C1",
                "plan_id": 1,
                "date": D(2026, 5, 4) + dt.timedelta(days=7 * i),
            }
            for i in range(1, 20)
        ],
        core_groups=[{"id": 1, "child_id": "C2", "plan_id": 2, "date": D(2026, 10, 1)}],
    )


@pytest.mark.parametrize("name", profiles.available())
def test_findings_frame_contract(name):
    """Columns, types, statuses, rag, occurrence numbering and order, for every profile."""
    f = evaluate(_busy_caseload(), profiles.load(name), D(2026, 11, 20))
    assert list(COLUMNS) == list(f.columns)
    assert set(f["status"]) <= set(STATUSES)
    assert set(f["kind"]) <= {"timescale", "drift"}
    for col in engine.DATE_COLUMNS:
        assert str(f[col].dtype).startswith("datetime64"), col
    for col in ("plan_id", "subject_id", "working_days_late", "days_late", "working_days_to_due"):
        assert str(f[col].dtype) == "Int64", col
    closed = f["status"].isin(("met", "met_late", "not_yet_applicable"))
    assert (f.loc[closed, "rag"] == "").all()
    assert (f.loc[f["status"] == "overdue", "rag"] == "red").all()
    assert (f.loc[f["status"] == "cannot_tell", "rag"] == "amber").all()
    occ = f.groupby(["child_id", "rule_id"])["occurrence"].apply(list)
    assert all(v == list(range(1, len(v) + 1)) for v in occ)
    for _, g in f.groupby("child_id"):
        due = g["due_date"].dropna()
        assert due.is_monotonic_increasing
    assert f["child_id"].is_monotonic_increasing
    assert f["message"].str.len().gt(20).all()
    assert f["citation"].ne("").all()


def test_one_child_evaluated_alone_gives_the_same_rows():
    """A child view (a one-child caseload) sees exactly that child's rows of the whole."""
    cl = _busy_caseload()
    whole = evaluate(cl, NATIONAL, D(2026, 11, 20))
    alone = evaluate(cl.for_children(["C1"]), NATIONAL, D(2026, 11, 20))
    expected = whole[whole["child_id"] == "C1"].reset_index(drop=True)
    pd.testing.assert_frame_equal(_plain(expected), _plain(alone))


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical text as plain str, so frames with different category sets compare."""
    return frame.astype(dict.fromkeys(frame.select_dtypes("category").columns, object))


def test_empty_caseload_gives_an_empty_typed_frame():
    """No children, no findings, every column present."""
    f = evaluate(Caseload.empty(), NATIONAL, D(2026, 11, 20))
    assert f.empty
    assert list(COLUMNS) == list(f.columns)


def test_summary_next_due_and_exports():
    """Per-child summary, next review due per child, upcoming items, and ISO exports."""
    cl = _busy_caseload()
    f = evaluate(cl, NATIONAL, D(2026, 11, 20))
    summary = engine.child_summary(f).set_index("child_id")
    assert list(summary.index) == ["C1", "C2"]
    assert summary.loc["C1", "red"] == (f[(f.child_id == "C1")]["rag"] == "red").sum()
    assert summary.loc["C1", "worst_status"] == "overdue"
    reviews = engine.next_due(f, ("first_review", "review")).set_index("child_id")
    assert pd.Timestamp("2027-01-27") == reviews.loc["C1", "due_date"]
    assert pd.Timestamp("2026-12-21") == reviews.loc["C2", "due_date"]
    soon = engine.upcoming(f, D(2026, 11, 20), days=45)
    assert set(soon["status"]) <= {"due", "overdue"}
    records = engine.findings_to_records(f)
    assert records[0]["due_date"] is None or len(records[0]["due_date"]) == 10
    assert all(isinstance(r["status"], str) for r in records)


def test_evaluation_does_not_loop_over_children():
    """Doubling the children (with fresh ids) doubles the rows exactly (same rules, same dates)."""
    cl = _busy_caseload()
    frames = cl.frames()
    twin = {}
    for name, frame in frames.items():
        other = frame.copy()
        if name == "children":
            other["id"] = other["id"] + "x"
        elif "child_id" in other:
            other["child_id"] = other["child_id"] + "x"
        for col in ("id", "plan_id", "conference_id", "s47_id", "strategy_discussion_id"):
            if col in other and name not in ("children",) and str(other[col].dtype) == "Int64":
                other[col] = other[col] + 1000
        twin[name] = pd.concat([frame, other], ignore_index=True)
    doubled = Caseload.from_frames(**twin)
    one_f = evaluate(cl, NATIONAL, D(2026, 11, 20))
    two_f = evaluate(doubled, NATIONAL, D(2026, 11, 20))
    assert 2 * len(one_f) == len(two_f)


def test_plan_schedule_gives_each_plans_next_dates_and_midway_point():
    """Next review, core group and visit due per open plan, and the midway point between the
    last conference and the review due (halfway by default)."""
    cl = case(
        cp_plans=[plan(start=D(2026, 11, 2))],
        conferences=[conference(1, held=D(2026, 11, 2), plan_id=1, category="NEG")],
        core_groups=[{"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 11, 12)}],
        visits=[{"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 11, 9)}],
    )
    f = evaluate(cl, NATIONAL, D(2026, 11, 20))
    s = engine.plan_schedule(f, NATIONAL).set_index("plan_id")
    row = s.loc[1]
    assert pd.Timestamp("2027-02-02") == row.next_review_due
    assert pd.Timestamp("2026-11-02") == row.last_conference
    assert pd.Timestamp("2026-12-18") == row.midway_point
    assert pd.Timestamp("2026-12-24") == row.next_core_group_due  # 12 Nov + 30 working days
    assert pd.Timestamp("2026-11-23") == row.next_visit_due  # 9 Nov + 10 working days
    assert pd.isna(row.midway_review_due)  # national has no midway review rule


def test_since_leaves_out_settled_history_but_keeps_the_present():
    """With since, items settled before it go; open items and later ones stay as they were."""
    cl = _busy_caseload()
    whole = evaluate(cl, NATIONAL, D(2026, 11, 20))
    recent = evaluate(cl, NATIONAL, D(2026, 11, 20), since=D(2026, 9, 1))
    assert len(recent) < len(whole)
    open_whole = whole[whole["status"].isin(("due", "overdue", "cannot_tell"))]
    open_recent = recent[recent["status"].isin(("due", "overdue", "cannot_tell"))]
    cols = ["child_id", "rule_id", "due_date", "status"]
    assert (
        _plain(open_whole[cols])
        .reset_index(drop=True)
        .equals(_plain(open_recent[cols]).reset_index(drop=True))
    )
    settled_early = recent["status"].isin(("met", "met_late")) & (
        recent["due_date"] < pd.Timestamp("2026-09-01")
    )
    assert not settled_early.any()


@pytest.mark.parametrize("name", ["national", "sunderland"])
def test_since_keeps_every_live_item_and_drift_alert_on_the_demo_caseload(demo_db, name):
    """The current position is the same with or without since, drift alerts included: a
    visits-missed alert counts visits missed before ``since`` too."""
    from cptrack.caseload import load
    from cptrack.storage.store import Store

    with Store.open(demo_db) as store:
        cl = load(store)
    profile = profiles.load(name)
    day = today()
    whole = evaluate(cl, profile, day)
    recent = evaluate(cl, profile, day, since=day)
    cols = ["child_id", "rule_id", "due_date", "status", "rag"]

    def live(f: pd.DataFrame) -> pd.DataFrame:
        out = _plain(f.loc[f["live"], cols])
        return out.sort_values(cols).reset_index(drop=True)

    assert (whole["kind"] == "drift").any() and whole["live"].any()
    assert live(whole).equals(live(recent))
    assert len(recent) < len(whole)


def test_records_of_a_child_missing_from_children_still_show_and_sort_last():
    """A plan whose child is not among the caseload's children is judged all the same."""
    cl = case(
        children=[child("C1")],
        cp_plans=[
            plan(1, "C1", D(2026, 11, 2)),
            plan(2, "B7", D(2026, 11, 2)),
            plan(3, "B5", D(2026, 10, 1)),
        ],
        visits=[
            {"id": 1, "child_id": "B5", "plan_id": 3, "date": D(2026, 10, 8)},
            {"id": 2, "child_id": "B7", "plan_id": 2, "date": D(2026, 11, 9)},
        ],
    )
    f = evaluate(cl, NATIONAL, D(2026, 11, 20))
    assert ["C1", "B5", "B7"] == list(pd.unique(f["child_id"].astype(str)))
    visits = rows(f, "visit_frequency")
    assert set(visits["child_id"].astype(str)) == {"C1", "B5", "B7"}
    for _, mine in visits.groupby(visits["child_id"].astype(str)):  # each counted on its own
        assert mine["occurrence"].tolist() == list(range(1, len(mine) + 1))
    assert len(visits[visits["child_id"] == "B5"]) == 2


def test_live_marks_what_is_still_to_act_on():
    """Missed items (the plan ended) are history, not live; due and overdue items are live;
    the per-child summary counts live items only."""
    cl = case(
        children=[child("C1"), child("C2")],
        cp_plans=[
            plan(1, "C1", D(2025, 1, 6), end_date=D(2025, 8, 29)),
            plan(2, "C2", D(2026, 11, 2)),
        ],
        conferences=[
            conference(1, "C1", held=D(2025, 1, 6), plan_id=1, category="NEG"),
            conference(2, "C2", held=D(2026, 11, 2), plan_id=2, category="NEG"),
        ],
    )
    f = evaluate(cl, NATIONAL, D(2026, 11, 20))
    missed = f[(f["child_id"] == "C1") & (f["status"] == "overdue")]
    assert len(missed) and not missed["live"].any()
    open_c2 = f[(f["child_id"] == "C2") & f["status"].isin(("due", "overdue"))]
    assert len(open_c2) and open_c2["live"].all()
    summary = engine.child_summary(f).set_index("child_id")
    assert 0 == summary.loc["C1", "red"]
