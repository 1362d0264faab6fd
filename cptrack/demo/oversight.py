"""The chair's oversight of a plan between conferences, in the synthetic caseload.

Midway reviews halfway between conferences, case-tracking records every month or two (now
and then advice, or an escalation answered on time or late with its reason, or still open
with a holding reply), and the enhanced risk analysis meeting after the second review.
"""

from __future__ import annotations

from cptrack.demo.catalogue import HOLDING_REPLY, OBSERVATIONS, SAFETY_GOALS
from cptrack.demo.chunk import Chunk
from cptrack.demo.days import add_months, as_date
from cptrack.demo.draws import pick


def tracking(chunk: Chunk, children, plan_ids, conference_days, last, chair, open_plan) -> None:
    rng, today = chunk.rng, chunk.today
    for i, start in enumerate(conference_days):
        stop = conference_days[i + 1] if i + 1 < len(conference_days) else last
        # Midway review, halfway between conferences (004 §4.14), in most intervals.
        mid = start + (stop - start) // 2 if i + 1 < len(conference_days) else None
        if mid is None and open_plan:
            due_next = add_months(start, 3 if i == 0 else 6)
            mid = start + (due_next - start) // 2
        if mid is not None and mid < today and chunk.chance(0.65):
            when = min(mid + rng.randint(-7, 12), today - 1)
            for c, _, _ in children:
                chunk.add(
                    "midway_reviews",
                    child_id=c,
                    plan_id=plan_ids[c],
                    chair_id=chair,
                    date=as_date(when),
                    outcomes=[
                        {
                            "outcome": rng.choice(SAFETY_GOALS),
                            "rag": rng.choice(("red", "amber", "green", "green")),
                            "evidence": "Core group minutes and social worker's visits.",
                        }
                    ],
                    risks_reducing=rng.choice(("yes", "partly", "partly", "no")),
                    child_voice_heard=chunk.chance(0.8),
                    contingency_still_right=chunk.chance(0.9),
                    decision=pick(
                        rng,
                        (
                            ("on_track", 70),
                            ("bring_review_forward", 8),
                            ("escalate", 7),
                            ("recommend_change_of_plan", 15),
                        ),
                    ),
                )
        day = start + rng.randint(25, 50)
        while day < min(stop, today):
            decision = pick(
                rng,
                (
                    ("no_action", 70),
                    ("advice_social_worker", 18),
                    ("advice_team_manager", 8),
                    ("escalate", 4),
                ),
            )
            next_check = day + rng.randint(28, 56)
            for c, _, _ in children:
                esc = None
                if decision == "escalate":
                    # Answered by the response date, or a little late with the
                    # reason given; open only while recent, past its date only with a
                    # holding reply saying why.
                    due = chunk.days.add(day, 5)
                    late = chunk.chance(0.15)
                    answered = chunk.days.add(
                        due, rng.randint(1, 5) if late else -rng.randint(0, 4)
                    )
                    recent = day >= chunk.days.add(today, -40)
                    if answered >= today or (recent and chunk.chance(0.6)):
                        answered = None
                    holding = answered is None and due < today
                    esc = chunk.add(
                        "escalations",
                        child_id=c,
                        plan_id=plan_ids[c],
                        raised_by=chair,
                        raised_on=as_date(day),
                        stage="team manager",
                        source_kind="case_tracking",
                        reason="Visits and core groups have not happened as the plan requires.",
                        raised_with="Team manager",
                        response_due=as_date(due),
                        response=(
                            "Visiting restored; core group booked."
                            + (" Reply delayed: team manager on leave." if late else "")
                        )
                        if answered
                        else (HOLDING_REPLY if holding else None),
                        response_date=as_date(max(answered, day)) if answered else None,
                        outcome="Resolved at team manager stage" if answered else None,
                        status="resolved" if answered else "open",
                    )
                chunk.add(
                    "case_tracking",
                    child_id=c,
                    plan_id=plan_ids[c],
                    chair_id=chair,
                    date=as_date(day),
                    checked_core_groups=True,
                    checked_visits=True,
                    checked_actions=chunk.chance(0.8),
                    checked_reports=chunk.chance(0.5),
                    observations=rng.choice(OBSERVATIONS),
                    concerns="Visits slipping." if decision != "no_action" else None,
                    decision=decision,
                    next_check_date=as_date(next_check),
                    escalation_id=esc,
                )
            day = next_check + rng.randint(-5, 25)
        if i == 2 and chunk.chance(0.9):
            # Enhanced Risk Analysis Meeting after the second review (000, chairs' standards)
            when = start + rng.randint(5, 30)
            if when < today:
                for c, _, _ in children:
                    chunk.add(
                        "case_tracking",
                        child_id=c,
                        plan_id=plan_ids[c],
                        chair_id=chair,
                        kind="enhanced_risk_analysis",
                        date=as_date(when),
                        observations="Enhanced risk analysis meeting held; plan "
                        "refocused on the original risks.",
                        decision="no_action",
                    )
