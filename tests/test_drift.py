"""Drift and delay alerts: each fires on its condition, from profile settings, with a citation."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from casebuilder import case, conference, one, plan, rows

from cptrack.engine import evaluate
from cptrack.rules import profiles

D = dt.date
NATIONAL = profiles.load("national")


def test_plan_duration_thresholds_amber_then_red():
    """16 months: amber past the 15-month threshold; 25 months: red past 2 years."""
    for start, status, rag, words in [
        (D(2025, 7, 1), "due", "amber", "past the 15-month threshold"),
        (D(2024, 10, 1), "overdue", "red", "past 24 months"),
    ]:
        cl = case(cp_plans=[plan(start=start)])
        f = one(evaluate(cl, NATIONAL, D(2026, 11, 20)), "plan_duration")
        assert (status, rag) == (f.status, f.rag)
        assert words in f.status_text


def test_repeat_plan_actions_core_groups_not_held_and_chair_change():
    """The simple drift alerts each fire on their condition."""
    cl = case(
        staff=[
            {"id": 1, "name": "Ann Chair", "role": "chair"},
            {"id": 2, "name": "Bob Chair", "role": "chair"},
        ],
        cp_plans=[plan(start=D(2026, 5, 4), previous_plans=1)],
        conferences=[
            conference(1, held=D(2026, 5, 4), plan_id=1, category="NEG", chair_id=1),
            conference(
                2, type_="review", held=D(2026, 7, 27), plan_id=1, category="NEG", chair_id=2
            ),
        ],
        plan_actions=[
            {
                "id": 1,
                "child_id": "C1",
                "plan_id": 1,
                "description": "Refer to CAMHS",
                "owner": "SW",
                "due_date": D(2026, 9, 1),
            },
            {
                "id": 2,
                "child_id": "C1",
                "plan_id": 1,
                "description": "Nursery place",
                "owner": "HV",
                "due_date": D(2026, 12, 1),
            },
        ],
        core_groups=[
            {
                "id": 1,
                "child_id": "C1",
                "plan_id": 1,
                "date": D(2026, 10, 1),
                "status": "cancelled",
            },
            {
                "id": 2,
                "child_id": "C1",
                "plan_id": 1,
                "date": D(2026, 11, 2),
                "status": "scheduled",
            },
        ],
    )
    a = evaluate(cl, profiles.load("authority-a"), D(2026, 11, 20))
    assert one(a, "repeat_plan").status_text == "second plan (1 previous)"
    assert one(a, "actions_overdue").subject_id == 1
    assert list(rows(a, "core_group_not_held")["subject_id"]) == [1, 2]
    change = one(a, "a_same_chair")
    assert change.status_text == "Chair changed at this conference (Ann Chair to Bob Chair)"
    assert rows(evaluate(cl, NATIONAL, D(2026, 11, 20)), "a_same_chair").empty


def test_visits_missed_and_review_not_booked():
    """Two late visits in three months raise visits_missed (amber: a pattern to look into, each
    late visit being its own finding); an unbooked review raises an alert."""
    cl = case(
        cp_plans=[plan(start=D(2026, 5, 4), visit_frequency_wd=10)],
        conferences=[conference(1, held=D(2026, 5, 4), plan_id=1, category="NEG")],
        visits=[
            {"id": 1, "child_id": "C1", "plan_id": 1, "date": D(2026, 7, 20)},
            {"id": 2, "child_id": "C1", "plan_id": 1, "date": D(2026, 8, 10)},
        ],
    )
    f = evaluate(cl, NATIONAL, D(2026, 7, 30))
    booking = one(f, "review_not_booked")
    assert ("due", pd.Timestamp("2026-08-04")) == (booking.status, booking.due_date)
    later = evaluate(cl, NATIONAL, D(2026, 8, 12))
    missed = one(later, "visits_missed")
    assert (missed.status, missed.rag) == ("due", "amber")
    assert "visits late or missed in the last 3 months" in missed.status_text
    assert one(later, "review_not_booked").status == "overdue"


def test_drift_thresholds_come_from_the_profile_settings():
    """Changing drift_thresholds_months changes which amber alert a plan raises."""
    cl = case(cp_plans=[plan(start=D(2026, 1, 5))])  # 10 months on 20 Nov 2026
    assert (
        "past the 9-month threshold"
        in one(evaluate(cl, NATIONAL, D(2026, 11, 20)), "plan_duration").status_text
    )
    later = profiles.with_settings(NATIONAL, drift_thresholds_months=[12, 18])
    assert rows(evaluate(cl, later, D(2026, 11, 20)), "plan_duration").empty


def test_drift_alerts_only_for_open_plans():
    """An ended plan raises no length, repeat, action or chair alerts."""
    cl = case(
        cp_plans=[plan(start=D(2023, 1, 9), end_date=D(2026, 3, 2), previous_plans=2)],
        plan_actions=[
            {
                "id": 1,
                "child_id": "C1",
                "plan_id": 1,
                "description": "Old action",
                "owner": "SW",
                "due_date": D(2025, 1, 6),
            },
        ],
    )
    f = evaluate(cl, NATIONAL, D(2026, 11, 20), kinds=("drift",))
    assert f.empty


def test_eram_not_due_when_the_plan_ended_before_it():
    """A plan that ends within the ERAM window has no ERAM alert."""
    cl = case(
        cp_plans=[plan(start=D(2025, 11, 3), end_date=D(2026, 7, 24))],
        conferences=[
            conference(1, held=D(2025, 11, 3), plan_id=1, category="NEG"),
            conference(2, type_="review", held=D(2026, 1, 26), plan_id=1, category="NEG"),
            conference(3, type_="review", held=D(2026, 7, 20), plan_id=1, category="NEG"),
        ],
    )
    a = evaluate(cl, profiles.load("authority-a"), D(2026, 11, 22))
    assert rows(a, "a_enhanced_risk_analysis").empty


def test_drift_findings_carry_their_citation_and_kind():
    """Every drift finding names its rule's source and is marked kind drift: the two national
    measures cite the DfE statistics that define them."""
    cl = case(cp_plans=[plan(start=D(2024, 1, 8), previous_plans=1)])
    f = evaluate(cl, NATIONAL, D(2026, 11, 20), kinds=("drift",))
    assert {"plan_duration", "repeat_plan"} <= set(f["rule_id"])
    assert (f["kind"] == "drift").all()
    national = f[f["rule_id"].isin(("plan_duration", "repeat_plan"))]
    assert national["citation"].str.startswith("https://explore-education-statistics").all()
    assert (national["basis"] == "national").all()
    assert not (f["rag"] == "green").any()
