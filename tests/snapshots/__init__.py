"""Golden snapshots: each profile's findings over one fixed synthetic caseload.

``python -m tests.snapshots`` writes ``tests/snapshots/<profile>.json``; ``test_snapshots``
compares, so any change to a rule, a setting or the engine shows as a reviewable diff.
Each snapshot holds the profile's rules (id, amount, unit, applied, citation, basis) and every
finding's key fields.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cptrack import engine
from cptrack.caseload import Caseload
from cptrack.rules import profiles

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2026, 11, 22)
FIELDS = (
    "child_id",
    "plan_id",
    "rule_id",
    "occurrence",
    "subject_table",
    "subject_id",
    "anchor_date",
    "due_date",
    "actual_date",
    "booked_date",
    "status",
    "status_text",
    "working_days_late",
    "rag",
    "basis",
    "live",
)


def caseload() -> Caseload:
    """A small fixed caseload touching every rule family (synthetic people only)."""
    D = dt.date
    children = [
        {
            "id": f"SN{i:02d}",
            "given_name": "Test",
            "family_name": f"Child{i}",
            "date_of_birth": D(2016, 1, 1) + dt.timedelta(days=200 * i),
        }
        for i in range(1, 7)
    ]
    children[3].update(date_of_birth=None, expected_date_of_delivery=D(2027, 1, 20))
    children[4].update(interpreter_needed=True, parent_learning_disability=True)
    staff = [
        {"id": 1, "name": "Chair One", "role": "chair"},
        {"id": 2, "name": "Chair Two", "role": "chair"},
    ]
    sd = [
        {"id": 1, "child_id": "SN01", "date": D(2026, 4, 20), "s47_initiated": False},
        {"id": 2, "child_id": "SN01", "date": D(2026, 4, 24)},
        {"id": 3, "child_id": "SN03", "date": D(2026, 10, 26)},
        {"id": 4, "child_id": "SN04", "date": D(2026, 10, 19)},
    ]
    s47 = [
        {"id": 1, "child_id": "SN01", "start_date": D(2026, 4, 24), "strategy_discussion_id": 2},
        {"id": 2, "child_id": "SN03", "start_date": D(2026, 10, 26), "strategy_discussion_id": 3},
        {"id": 3, "child_id": "SN04", "start_date": D(2026, 10, 19)},
    ]
    plans = [
        {"id": 1, "child_id": "SN01", "start_date": D(2026, 5, 19), "visit_frequency_wd": 10},
        {
            "id": 2,
            "child_id": "SN02",
            "start_date": D(2024, 9, 2),
            "previous_plans": 1,
            "core_group_frequency_wd": 20,
        },
        {"id": 3, "child_id": "SN04", "start_date": D(2026, 11, 9), "pre_birth": True},
        {"id": 4, "child_id": "SN05", "start_date": D(2025, 6, 2)},
        {"id": 5, "child_id": "SN06", "start_date": D(2025, 1, 6), "end_date": D(2025, 8, 29)},
    ]
    for p in plans:
        p.setdefault("initial_category", "NEG")
        p.setdefault("latest_category", "NEG")
    conf = [
        # SN01: ICPC a day late, first review on time, a change of chair
        {
            "id": 1,
            "child_id": "SN01",
            "type": "initial",
            "plan_id": 1,
            "s47_id": 1,
            "held_date": D(2026, 5, 19),
            "outcome": "cp_plan",
            "chair_id": 1,
            "decisions_distributed": D(2026, 5, 20),
            "plan_distributed": D(2026, 5, 21),
            "minutes_distributed": D(2026, 6, 5),
            "scheduled_time": dt.time(10, 0),
            "venue_name": "Civic Centre",
            "date_set_on": D(2026, 4, 30),
            "invitations_requested": D(2026, 5, 5),
        },
        {
            "id": 2,
            "child_id": "SN01",
            "type": "review",
            "plan_id": 1,
            "held_date": D(2026, 8, 18),
            "outcome": "plan_continues",
            "chair_id": 2,
            "decisions_distributed": D(2026, 8, 18),
            "venue_name": "Family Centre",
        },
        # SN02: a long repeat plan with two reviews continuing (ERAM under authority-a)
        {
            "id": 3,
            "child_id": "SN02",
            "type": "initial",
            "plan_id": 2,
            "held_date": D(2024, 9, 2),
            "outcome": "cp_plan",
            "chair_id": 1,
        },
        {
            "id": 4,
            "child_id": "SN02",
            "type": "review",
            "plan_id": 2,
            "held_date": D(2024, 12, 2),
            "outcome": "plan_continues",
            "chair_id": 1,
        },
        {
            "id": 5,
            "child_id": "SN02",
            "type": "review",
            "plan_id": 2,
            "held_date": D(2025, 6, 9),
            "outcome": "plan_continues",
            "chair_id": 1,
        },
        {
            "id": 6,
            "child_id": "SN02",
            "type": "review",
            "plan_id": 2,
            "held_date": D(2025, 12, 1),
            "outcome": "plan_continues",
            "chair_id": 1,
        },
        {
            "id": 7,
            "child_id": "SN02",
            "type": "review",
            "plan_id": 2,
            "scheduled_date": D(2026, 5, 28),
            "stood_down": True,
            "chair_id": 1,
        },
        # SN03: an ICPC booked after its due date
        {
            "id": 8,
            "child_id": "SN03",
            "type": "initial",
            "s47_id": 2,
            "scheduled_date": D(2026, 11, 25),
        },
        # SN04: a pre-birth plan, first core group held
        {
            "id": 9,
            "child_id": "SN04",
            "type": "pre_birth",
            "plan_id": 3,
            "s47_id": 3,
            "held_date": D(2026, 11, 9),
            "outcome": "cp_plan",
            "chair_id": 2,
        },
        # SN05: a plan of 17 months with a review booked
        {
            "id": 10,
            "child_id": "SN05",
            "type": "initial",
            "plan_id": 4,
            "held_date": D(2025, 6, 2),
            "outcome": "cp_plan",
            "chair_id": 2,
        },
        {
            "id": 11,
            "child_id": "SN05",
            "type": "review",
            "plan_id": 4,
            "held_date": D(2025, 9, 1),
            "outcome": "plan_continues",
            "chair_id": 2,
        },
        {
            "id": 12,
            "child_id": "SN05",
            "type": "review",
            "plan_id": 4,
            "held_date": D(2026, 6, 1),
            "outcome": "plan_continues",
            "chair_id": 2,
        },
        {
            "id": 13,
            "child_id": "SN05",
            "type": "review",
            "plan_id": 4,
            "scheduled_date": D(2026, 11, 30),
            "scheduled_time": dt.time(14, 0),
            "chair_id": 2,
        },
        # SN06: a plan that ended after its first review fell due, with none held
        {
            "id": 14,
            "child_id": "SN06",
            "type": "initial",
            "plan_id": 5,
            "held_date": D(2025, 1, 6),
            "outcome": "cp_plan",
            "chair_id": 1,
        },
    ]
    for c in conf:
        c.setdefault("scheduled_date", c.get("held_date"))
        if c.get("outcome"):
            c.setdefault("category", "NEG")
    reports = [
        {
            "id": 1,
            "conference_id": 1,
            "agency": "social_care",
            "received_by_chair": D(2026, 5, 14),
            "shared_with_family": D(2026, 5, 18),
            "shared_with_family_time": dt.time(9, 0),
        },
        {
            "id": 2,
            "conference_id": 1,
            "agency": "police",
            "confidential": True,
            "received_by_chair": D(2026, 5, 18),
        },
        {
            "id": 3,
            "conference_id": 2,
            "agency": "social_care",
            "received_by_chair": D(2026, 8, 11),
            "shared_with_family": D(2026, 8, 11),
        },
        {
            "id": 4,
            "conference_id": 2,
            "agency": "school",
            "received_by_chair": D(2026, 8, 14),
            "shared_with_family": D(2026, 8, 14),
        },
        {
            "id": 5,
            "conference_id": 13,
            "agency": "social_care",
            "received_by_chair": D(2026, 11, 20),
        },
        {"id": 6, "conference_id": 13, "agency": "health_visitor"},
        {
            "id": 7,
            "conference_id": 12,
            "agency": "social_care",
            "received_by_chair": D(2026, 5, 22),
            "shared_with_family": D(2026, 5, 21),
        },
    ]
    core_groups = [
        {
            "id": 1,
            "child_id": "SN01",
            "plan_id": 1,
            "date": D(2026, 6, 1),
            "plan_distributed": D(2026, 6, 4),
        },
        {
            "id": 2,
            "child_id": "SN01",
            "plan_id": 1,
            "date": D(2026, 7, 13),
            "social_worker_attended": False,
        },
        {"id": 3, "child_id": "SN01", "plan_id": 1, "date": D(2026, 9, 14), "status": "cancelled"},
        {"id": 4, "child_id": "SN02", "plan_id": 2, "date": D(2026, 10, 1)},
        {"id": 5, "child_id": "SN02", "plan_id": 2, "date": D(2026, 11, 12), "status": "scheduled"},
        {"id": 6, "child_id": "SN04", "plan_id": 3, "date": D(2026, 11, 18)},
        {"id": 7, "child_id": "SN05", "plan_id": 4, "date": D(2025, 6, 12)},
        {"id": 8, "child_id": "SN05", "plan_id": 4, "date": D(2026, 11, 2)},
    ]
    visits = [
        {
            "id": i,
            "child_id": "SN01",
            "plan_id": 1,
            "date": D(2026, 5, 19) + dt.timedelta(days=d),
            "seen_alone": (i % 3 == 0),
        }
        for i, d in enumerate((6, 14, 30, 44, 62, 70, 85, 120, 160, 178), start=1)
    ] + [
        {"id": 20, "child_id": "SN05", "plan_id": 4, "date": D(2026, 10, 12), "seen_alone": True},
        {"id": 21, "child_id": "SN05", "plan_id": 4, "date": D(2026, 11, 4), "seen": False},
    ]
    actions = [
        {
            "id": 1,
            "child_id": "SN01",
            "plan_id": 1,
            "description": "Refer to parenting course",
            "owner": "Social worker",
            "due_date": D(2026, 9, 30),
        },
        {
            "id": 2,
            "child_id": "SN01",
            "plan_id": 1,
            "description": "Health check",
            "owner": "Health visitor",
            "due_date": D(2026, 7, 1),
            "status": "done",
            "completed_date": D(2026, 6, 29),
        },
    ]
    escalations = [
        {
            "id": 1,
            "child_id": "SN02",
            "plan_id": 2,
            "raised_on": D(2026, 11, 2),
            "stage": "informal",
            "reason": "Core groups lapsing",
            "raised_with": "Team manager",
            "response_due": D(2026, 11, 9),
        },
    ]
    midway = [{"id": 1, "child_id": "SN05", "plan_id": 4, "date": D(2026, 2, 2)}]
    tracking = [
        {
            "id": 1,
            "child_id": "SN02",
            "plan_id": 2,
            "kind": "enhanced_risk_analysis",
            "date": D(2025, 7, 21),
            "observations": "ERAM held",
        },
    ]
    return Caseload.from_frames(
        children=children,
        staff=staff,
        strategy_discussions=sd,
        s47_enquiries=s47,
        cp_plans=plans,
        conferences=conf,
        agency_reports=reports,
        core_groups=core_groups,
        visits=visits,
        plan_actions=actions,
        escalations=escalations,
        midway_reviews=midway,
        case_tracking=tracking,
    )


DEMO_CHILDREN = 10
DEMO_SEED = 3


def demo_caseload() -> Caseload:
    """The demo generator's caseload: fixed size, seed and date (synthetic people only)."""
    from dataclasses import fields

    from cptrack.demo import synthetic as demo

    rows = demo.generate(children=DEMO_CHILDREN, seed=DEMO_SEED, as_of=AS_OF)
    names = {f.name for f in fields(Caseload)}
    return Caseload.from_frames(**{k: v for k, v in rows.items() if k in names})


def _rows(findings) -> list[list]:
    records = engine.findings_to_records(findings[list(FIELDS)])
    return [[r[f] for f in FIELDS] for r in records]


def snapshot(name: str, demo: Caseload | None = None, hand: Caseload | None = None) -> dict:
    """The snapshot of one profile: its rules, and its findings over the demo caseload and
    over the hand-built one (which reaches every rule family)."""
    profile = profiles.load(name)
    demo = demo if demo is not None else demo_caseload()
    hand = hand if hand is not None else caseload()
    rules = [
        {
            "id": r.id,
            "event": r.event,
            "amount": r.amount,
            "unit": r.unit,
            "direction": r.direction,
            "applied": r.applied,
            "citation": r.citation,
            "basis": r.figure_basis,
            "basis_text": r.basis_text,
        }
        for r in profile.rules
    ]
    return {
        "profile": name,
        "as_of": AS_OF.isoformat(),
        "demo": f"cptrack.demo.synthetic.generate(children={DEMO_CHILDREN}, seed={DEMO_SEED})",
        "rules": rules,
        "columns": list(FIELDS),
        "demo_findings": _rows(engine.evaluate(demo, profile, AS_OF)),
        "hand_built_findings": _rows(engine.evaluate(hand, profile, AS_OF)),
    }


def dumps(data: dict) -> str:
    """JSON with one rule or finding per line, so a change reads as a line diff."""
    lines = ["{"]
    items = list(data.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if isinstance(value, list) and value and isinstance(value[0], dict | list):
            lines.append(f" {json.dumps(key)}: [")
            lines += [
                f"  {json.dumps(v)}{',' if j < len(value) - 1 else ''}" for j, v in enumerate(value)
            ]
            lines.append(f" ]{comma}")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def path(name: str) -> Path:
    return HERE / f"{name}.json"


def write_all() -> list[Path]:
    demo, hand = demo_caseload(), caseload()
    written = []
    for name in profiles.available():
        p = path(name)
        p.write_text(dumps(snapshot(name, demo, hand)), encoding="utf-8")
        written.append(p)
    return written
