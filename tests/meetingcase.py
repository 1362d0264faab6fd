"""A small hand-built caseload for the meeting forms' tests (synthetic people only).

* C1, aged 12, first language Polish (interpreter needed), a parent with a learning
  disability: an initial conference booked for ``ICPC_DAY`` with three agency reports.
* C2: a plan made at an initial conference on ``PLAN_DAY``, with core groups and visits
  since, an overdue action, and its first review booked.
"""

from __future__ import annotations

import datetime as dt

from cptrack.storage.store import Store

D = dt.date
TODAY = D(2026, 11, 16)  # a Monday
ICPC_DAY = D(2026, 11, 13)  # a Friday
PLAN_DAY = D(2026, 8, 24)
CHAIR = 1
ICPC = 10  # conference ids
C2_ICPC = 20
C2_REVIEW = 21


def seed(store: Store) -> None:
    store.bulk_insert(
        {
            "teams": [{"id": 1, "name": "Reviewing"}],
            "staff": [{"id": CHAIR, "name": "Alex Chair", "role": "chair", "team_id": 1}],
            "children": [
                {
                    "id": "C1",
                    "given_name": "Ola",
                    "family_name": "Synth",
                    "chair_id": CHAIR,
                    "date_of_birth": D(2014, 5, 1),
                    "first_language": "Polish",
                    "interpreter_needed": True,
                    "parent_learning_disability": True,
                },
                {
                    "id": "C2",
                    "given_name": "Kim",
                    "family_name": "Synth",
                    "chair_id": CHAIR,
                    "date_of_birth": D(2019, 2, 3),
                },
            ],
            "strategy_discussions": [{"id": 1, "child_id": "C1", "date": D(2026, 10, 30)}],
            "s47_enquiries": [
                {
                    "id": 1,
                    "child_id": "C1",
                    "start_date": D(2026, 10, 30),
                    "strategy_discussion_id": 1,
                }
            ],
            "cp_plans": [
                {
                    "id": 7,
                    "child_id": "C2",
                    "start_date": PLAN_DAY,
                    "initial_category": "NEG",
                    "latest_category": "NEG",
                    "visit_frequency_wd": 10,
                    "contingency_plan": "Legal planning meeting.",
                }
            ],
            "conferences": [
                {
                    "id": ICPC,
                    "child_id": "C1",
                    "type": "initial",
                    "s47_id": 1,
                    "chair_id": CHAIR,
                    "scheduled_date": ICPC_DAY,
                    "scheduled_time": dt.time(10, 0),
                },
                {
                    "id": C2_ICPC,
                    "child_id": "C2",
                    "type": "initial",
                    "plan_id": 7,
                    "chair_id": CHAIR,
                    "scheduled_date": PLAN_DAY,
                    "held_date": PLAN_DAY,
                    "outcome": "cp_plan",
                    "category": "NEG",
                    "quorate": True,
                    "safety_goals": "Kim lives free from violence.\nKim goes to school every day.",
                    "worried_about": "Domestic abuse at home.",
                    "next_review_date": D(2026, 11, 20),
                    "first_core_group_date": D(2026, 9, 3),
                    "visit_frequency_wd": 10,
                    "contingency_plan": "Legal planning meeting.",
                    "core_group_members": "Social worker, school, parents",
                },
                {
                    "id": C2_REVIEW,
                    "child_id": "C2",
                    "type": "review",
                    "plan_id": 7,
                    "chair_id": CHAIR,
                    "scheduled_date": D(2026, 11, 20),
                },
            ],
            "agency_reports": [
                {
                    "id": 1,
                    "conference_id": ICPC,
                    "agency": "social_care",
                    "received_by_chair": D(2026, 11, 9),
                    "shared_with_family": D(2026, 11, 10),
                },
                {
                    "id": 2,
                    "conference_id": ICPC,
                    "agency": "police",
                    "received_by_chair": D(2026, 11, 12),
                    "shared_with_family": D(2026, 11, 12),
                },
                {"id": 3, "conference_id": ICPC, "agency": "school"},
            ],
            "core_groups": [
                {"id": 1, "child_id": "C2", "plan_id": 7, "date": D(2026, 9, 3)},
                {"id": 2, "child_id": "C2", "plan_id": 7, "date": D(2026, 10, 15)},
            ],
            "visits": [
                {
                    "id": i,
                    "child_id": "C2",
                    "plan_id": 7,
                    "date": day,
                    "seen": True,
                    "seen_alone": i % 2 == 0,
                }
                for i, day in enumerate(
                    [
                        D(2026, 9, 1),
                        D(2026, 9, 14),
                        D(2026, 9, 28),
                        D(2026, 10, 12),
                        D(2026, 10, 26),
                        D(2026, 11, 9),
                    ],
                    1,
                )
            ],
            "plan_actions": [
                {
                    "id": 1,
                    "child_id": "C2",
                    "plan_id": 7,
                    "description": "Refer to parenting course",
                    "owner": "Social worker",
                    "due_date": D(2026, 10, 1),
                    "set_date": PLAN_DAY,
                },
            ],
        },
        note="test seed",
    )
