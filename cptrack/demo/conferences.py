"""A conference of the synthetic caseload and who is invited to it.

``conference`` makes one child's conference row: when it was booked and held, where, its
outcome and the plan's words, when its decisions, plan and minutes went out; and leaves on
the chunk the specs of its reports, attendance and actions. ``invited_agencies`` says who
reports to a conference about a child of that age.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cptrack.demo.catalogue import (
    AGENCIES_BABY,
    AGENCIES_EXTRA,
    AGENCIES_SCHOOL,
    AGENCIES_TODDLER,
    AGENCIES_UNBORN,
    CONTINGENCY,
    SAFETY_GOALS,
    VENUE_NAMES,
    WORKING_WELL,
    WORRIES,
)
from cptrack.demo.chunk import Chunk
from cptrack.demo.days import as_date
from cptrack.demo.draws import pick


def conference(
    chunk: Chunk,
    child_id,
    conf_type,
    scheduled,
    held,
    chair,
    *,
    s47_id=None,
    plan_id=None,
    outcome=None,
    category=None,
    meeting=None,
    late_reason=None,
    first_core_group=None,
    next_review=None,
    visit_freq=None,
    upcoming=False,
    stood_down=False,
    stood_down_reason=None,
    pre_birth_baf=False,
) -> int:
    rng, days, today = chunk.rng, chunk.days, chunk.today
    row: dict[str, Any] = {
        "child_id": child_id,
        "type": str(conf_type),
        "plan_id": plan_id,
        "s47_id": s47_id,
        "meeting_ref": meeting,
        "chair_id": chair,
        "scheduled_date": as_date(scheduled),
        "scheduled_time": dt.time(rng.choice((9, 10, 11, 13, 14)), rng.choice((0, 30))),
        "held_date": as_date(held),
        "stood_down": stood_down,
        "venue": pick(rng, (("in_person", 55), ("virtual", 30), ("hybrid", 15))),
        # Why it is (or is booked) out of timescale.
        "out_of_timescale_reason": late_reason,
    }
    if row["venue"] != "virtual":
        # A child's conferences meet in one place (000), now and then moved for a room.
        home = VENUE_NAMES[sum(map(ord, child_id)) % len(VENUE_NAMES)]
        row["venue_name"] = home if chunk.chance(0.97) else rng.choice(VENUE_NAMES)
    # The date is set two to four weeks ahead; invitations are requested the next working
    # day (003 §2.11), now and then a day or two later.
    date_set = days.add(scheduled, -rng.randint(10, 20))
    if date_set <= today:
        row["date_set_on"] = as_date(date_set)
        asked = days.add(date_set, 1 if chunk.chance(0.95) else rng.randint(2, 3))
        row["invitations_requested"] = as_date(asked) if asked <= today else None
    if stood_down:
        row["stood_down_reason"] = stood_down_reason
        row["bridging_plan"] = "Existing plan continues; social worker to visit weekly."
    if held is not None and not stood_down:
        row.update(
            outcome=outcome,
            category=category,
            quorate=True,
            participation=rng.choice(("PN1", "PN5", "PN6", "PN7", "PN0")),
            dissent=chunk.chance(0.04),
            feedback_sought=chunk.chance(0.7),
        )
        if row["dissent"]:
            row["dissent_detail"] = "Police view: the plan should continue under physical abuse."
        if outcome in ("cp_plan", "plan_continues"):
            row.update(
                worried_about=rng.choice(WORRIES),
                working_well=rng.choice(WORKING_WELL),
                child_views="Wants the arguing at home to stop.",
                needs_to_happen="Adults to show safe care over the next three months.",
                danger_statements="If nothing changes the children may be hurt.",
                safety_goals=rng.choice(SAFETY_GOALS),
                contingency_plan=rng.choice(CONTINGENCY),
                core_group_members="Social worker, health visitor, school, parents",
                first_core_group_date=as_date(first_core_group),
                next_review_date=as_date(next_review),
                visit_frequency_wd=visit_freq,
            )
        # Distribution of decisions, plan and minutes (003 §4.9, §4.13, §4.14).
        dec = held + pick(rng, ((0, 50), (1, 40), (rng.randint(2, 4), 10)))
        plan_d = days.add(held, pick(rng, ((1, 80), (rng.randint(2, 5), 20))))
        mins = days.add(held, pick(rng, ((rng.randint(5, 14), 78), (rng.randint(15, 30), 22))))
        row["decisions_distributed"] = as_date(dec) if dec <= today else None
        row["plan_distributed"] = as_date(plan_d) if plan_d <= today else None
        row["minutes_distributed"] = as_date(mins) if mins <= today else None
        if pre_birth_baf and first_core_group is not None:
            baf = days.add(first_core_group, rng.choice((2, 5, 8, 9, 12, 16)))
            row["birth_arrangements_distributed"] = as_date(baf) if baf <= today else None
    conf_id = chunk.add("conferences", **row)
    if not stood_down:
        agencies = invited_agencies(chunk, child_id)
        chunk.specs["reports"].append((conf_id, scheduled, upcoming, agencies))
        if held is not None:
            chunk.specs["attendance"].append((conf_id, outcome, agencies))
            if outcome in ("cp_plan", "plan_continues"):
                chunk.specs["actions"].append((child_id, plan_id, held))
    return conf_id


def invited_agencies(chunk: Chunk, child_id: str) -> tuple[str, ...]:
    """Who reports to and is invited to a conference about this child."""
    child = chunk.children_by_id[child_id]
    dob = child["date_of_birth"]
    age = (chunk.cfg.as_of - dob).days / 365.25 if dob else -1
    if age < 0:
        base = AGENCIES_UNBORN
    elif age < 2:
        base = AGENCIES_BABY
    elif age < 5:
        base = AGENCIES_TODDLER
    else:
        base = AGENCIES_SCHOOL
    extra = chunk.rng.randint(0, 2)
    if extra == 0:
        return base
    return base + tuple(chunk.rng.sample(AGENCIES_EXTRA, extra))
