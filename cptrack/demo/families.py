"""A family of the synthetic caseload and the history of its plans.

``family`` deals a family its stage (awaiting an initial conference, no plan, an open or
ended plan, pre-birth), its children and the dates that shape its history; ``episode`` walks
through one enquiry: the strategy discussion and section 47 enquiry, the initial conference,
the plan, its reviews (most on time, a few late or stood down, each with its reason) and its
end, leaving the conferences to ``conferences``, the chair's oversight to ``oversight`` and
the visits and core groups as specs on the chunk.
"""

from __future__ import annotations

from cptrack.demo.catalogue import (
    CATEGORIES,
    CONTINGENCY,
    ETHNICITIES,
    LANGUAGES,
    LATE_REASONS,
    PLAN_ENDS_AT_REVIEW,
    REPEAT_SHARE,
    REVIEW_LATE_SHARE,
    STAND_DOWN_REASONS,
)
from cptrack.demo.chunk import Chunk
from cptrack.demo.conferences import conference
from cptrack.demo.days import add_months, as_date, plan_months
from cptrack.demo.draws import pick
from cptrack.demo.oversight import tracking
from cptrack.demo.plan_events import CORE_GROUP_LATE
from cptrack.domain.models import ConferenceType


def family(chunk: Chunk, size: int, stage: str, first_index: int) -> None:
    """A family of ``size`` children at ``stage`` (its first child numbered ``first_index`` + 1)
    and its history, an earlier plan's too for some repeat plans."""
    rng, today = chunk.rng, chunk.today
    family_name = rng.choice(chunk.surnames)
    address, postcode = rng.choice(chunk.places)
    family_id = f"F{first_index + 1:06d}"  # the number of its first child
    chair = rng.choices(chunk.chairs, chunk.chair_weights)[0]
    team = rng.choice(chunk.sw_teams)
    social_worker = rng.choice(chunk.social_workers)
    language = "English" if chunk.chance(0.88) else rng.choice(LANGUAGES)
    interpreter = language != "English" and chunk.chance(0.6)
    parent_ld = chunk.chance(0.07)
    ethnicity = pick(rng, ETHNICITIES)

    # Dates that shape the whole history, as day ordinals: the initial conference (held,
    # or for an enquiry still awaiting one, the day it will be held), and the strategy
    # discussion that started the enquiry, working days before it.
    days = chunk.days
    end_at = None  # the review at which the plan ends (None: it is still open)
    if stage == "awaiting_icpc":
        # Part way through the enquiry: longer waits are more often seen part way.
        lateness = chunk.icpc_working_days("awaiting", size)
        strategy = days.add(today, -rng.randint(0, lateness - 1))
        icpc = days.add(strategy, lateness)
    else:
        if stage == "no_plan":
            icpc = today - rng.randint(20, 360)
        elif stage == "open":
            # An open plan part way through its length; long plans are open for longer.
            k = chunk.spread("open", ((k, w * plan_months(k)) for k, w in PLAN_ENDS_AT_REVIEW))
            part = chunk.spread("part", ((x / 100, 1) for x in range(100)))
            icpc = today - max(1, int((part + chunk.random() / 100) * plan_months(k) * 30.44))
        elif stage == "ended":
            end_at = chunk.spread("ended", PLAN_ENDS_AT_REVIEW)
            ago = chunk.spread("ended when", ((x, 1) for x in range(10, 700)))
            icpc = add_months(today - ago, -plan_months(end_at))
        else:  # pre_birth: conference before the expected date of delivery
            icpc = today - rng.randint(15, 200)
        icpc = days.add(icpc, 0)
        recent = icpc > today - 365
        lateness = chunk.icpc_working_days(recent, size)
        strategy = days.add(icpc, -lateness)

    children = []
    for k in range(size):
        index = first_index + k + 1
        child_id = f"C{index:06d}"
        sex = rng.choice("MF")
        if stage == "pre_birth":
            edd = strategy + rng.randint(60, 150)
            dob = edd + rng.randint(-14, 7) if edd + 7 < today else None
            sex = rng.choice("MF") if dob else "U"
        else:
            age_days = int(rng.triangular(40, 17 * 365, 3 * 365))
            dob = strategy - age_days - k * rng.randint(300, 900)
            dob = max(dob, strategy - 17 * 365)
            edd = None
        given = rng.choice(chunk.boys) if sex == "M" else rng.choice(chunk.girls)
        if sex == "U":
            given = "Baby"
        chunk.add(
            "children",
            id=child_id,
            given_name=given,
            family_name=family_name if chunk.chance(0.85) else rng.choice(chunk.surnames),
            date_of_birth=as_date(dob),
            expected_date_of_delivery=as_date(edd),
            sex=sex,
            ethnicity=ethnicity,
            disability=chunk.chance(0.08),
            first_language=language,
            interpreter_needed=interpreter,
            parent_learning_disability=parent_ld,
            address=address,
            postcode=postcode,
            family_id=family_id,
            team_id=team,
            chair_id=chair,
            social_worker=social_worker,
        )
        chunk.children_by_id[child_id] = chunk.rows["children"][-1]
        children.append((child_id, dob, edd))

    previous = 0
    if stage in ("open", "ended") and chunk.balanced(("repeat", recent), REPEAT_SHARE, size):
        previous = 1 + int(chunk.chance(0.25))
        if chunk.chance(0.5):
            # An earlier plan here, with a history of its own, ended before this enquiry
            # (for the children born by then).
            old_end_at = chunk.spread("earlier", PLAN_ENDS_AT_REVIEW)
            old_icpc = days.add(
                add_months(strategy - rng.randint(60, 400), -plan_months(old_end_at)), 0
            )
            earlier = [c for c in children if c[1] is not None and c[1] < old_icpc - 30]
            if earlier and old_icpc - 200 > days.days[0]:
                old_strategy = days.add(old_icpc, -chunk.icpc_working_days("earlier", 1))
                episode(
                    chunk,
                    earlier,
                    "ended",
                    old_strategy,
                    old_icpc,
                    old_end_at,
                    chair,
                    previous - 1,
                    family_id.replace("F", "P"),
                )
    episode(
        chunk, children, stage, strategy, icpc, end_at, chair, previous, family_id.replace("F", "M")
    )


def episode(
    chunk: Chunk, children, stage, strategy, icpc, end_at, chair, previous, meeting
) -> None:
    """One enquiry into ``children`` and what follows it: no plan, or a plan through its
    reviews to its end (``end_at``: the review at which it ends; None: still open)."""
    rng, today, days = chunk.rng, chunk.today, chunk.days

    referral = strategy - rng.randint(0, 20)
    ep_ids = {
        c: chunk.add("cin_episodes", child_id=c, referral_date=as_date(referral))
        for c, _, _ in children
    }
    if chunk.chance(0.2):
        first = days.add(strategy, -rng.randint(2, 6))
        for c, _, _ in children:
            chunk.add(
                "strategy_discussions",
                child_id=c,
                date=as_date(first),
                s47_initiated=False,
                agencies="Police, social care, health",
            )
    s47 = {}
    for c, _, _ in children:
        sd = chunk.add(
            "strategy_discussions",
            child_id=c,
            date=as_date(strategy),
            s47_initiated=True,
            agencies="Police, social care, health",
        )
        s47[c] = chunk.add(
            "s47_enquiries",
            child_id=c,
            episode_id=ep_ids[c],
            strategy_discussion_id=sd,
            start_date=as_date(strategy),
            icpc_target=as_date(days.add(strategy, 15)),
        )

    # The initial conference.
    conf_type = ConferenceType.PRE_BIRTH if stage == "pre_birth" else ConferenceType.INITIAL
    if stage == "open" and chunk.chance(0.03):
        # The child arrives on another authority's plan: the transfer-in conference
        # takes the place of an initial conference, so the enquiry needs none.
        conf_type = ConferenceType.TRANSFER_IN
        for c, _, _ in children:
            chunk.row("s47_enquiries", s47[c])["icpc_not_required"] = True
            s47[c] = None
    late = days.index(icpc) - days.index(strategy) > 15
    reason = rng.choice(LATE_REASONS) if late else None
    if stage == "awaiting_icpc":
        # Not yet held: booked (after the due date only for a reason recorded), or,
        # in the first days of the enquiry, not booked yet.
        if days.index(today) - days.index(strategy) < 3 and chunk.chance(0.4):
            return
        for c, _, _ in children:
            conference(
                chunk,
                c,
                ConferenceType.INITIAL,
                icpc,
                None,
                chair,
                s47_id=s47[c],
                meeting=f"{meeting}-1",
                upcoming=True,
                late_reason=reason,
            )
        return
    category = pick(rng, CATEGORIES)
    if stage == "no_plan":
        outcome = "cin_plan" if chunk.chance(0.7) else "nfa"
        for c, _, _ in children:
            conference(
                chunk,
                c,
                conf_type,
                icpc,
                icpc,
                chair,
                s47_id=s47[c],
                outcome=outcome,
                meeting=f"{meeting}-1",
                late_reason=reason,
            )
            if outcome == "cin_plan":
                ends = icpc + rng.randint(90, 300)
                chunk.add(
                    "cin_plans",
                    child_id=c,
                    episode_id=ep_ids[c],
                    start_date=as_date(icpc),
                    end_date=as_date(ends) if ends < today and chunk.chance(0.5) else None,
                )
        return

    # A plan is made. Decide how far it has gone.
    # Plans record every 10 working days or more often (a plan may tighten the minimum of
    # the profiles, never loosen it: docs/standards-profiles.md, "Stricter wins").
    visit_freq = pick(rng, ((10, 80), (5, 20)))
    review_dates = [add_months(icpc, 3)]
    plan_chair = chair
    plan_ids = {}
    for c, _dob, _ in children:
        plan_ids[c] = chunk.add(
            "cp_plans",
            child_id=c,
            episode_id=ep_ids[c],
            start_date=as_date(icpc),
            initial_category=category,
            latest_category=category,
            previous_plans=previous,
            pre_birth=stage == "pre_birth",
            visit_frequency_wd=visit_freq,
            contingency_plan=rng.choice(CONTINGENCY),
            transferred_in_from="Another local authority"
            if conf_type == ConferenceType.TRANSFER_IN
            else None,
        )
    first_cg_late = chunk.chance(0.1)
    first_cg = days.add(icpc, rng.randint(11, 20) if first_cg_late else rng.randint(4, 10))
    first_cg_reason = rng.choice(CORE_GROUP_LATE) if first_cg_late else None
    for c, _, _ in children:
        conference(
            chunk,
            c,
            conf_type,
            icpc,
            icpc,
            chair,
            s47_id=s47[c],
            plan_id=plan_ids[c],
            outcome="cp_plan",
            category=category,
            meeting=f"{meeting}-1",
            late_reason=reason,
            first_core_group=first_cg,
            next_review=review_dates[0],
            visit_freq=visit_freq,
            pre_birth_baf=stage == "pre_birth",
        )
    conference_days = [icpc]

    # Reviews: most on time (up to two weeks early), a few late, each for a reason
    # recorded; now and then one stood down and reconvened a week later.
    end_day = None
    due = review_dates[0]
    k = 0
    while True:
        k += 1
        if chunk.chance(REVIEW_LATE_SHARE):
            held = days.roll(due + rng.randint(1, 30))
        else:  # the working day on or before a day up to two weeks early
            held = days.add(due - rng.randint(0, 14), 0)
        late_reason = rng.choice(LATE_REASONS) if held > due else None
        if held < today and chunk.chance(0.03):
            why = rng.choice(STAND_DOWN_REASONS)
            for c, _, _ in children:
                conference(
                    chunk,
                    c,
                    ConferenceType.REVIEW,
                    held,
                    None,
                    plan_chair,
                    plan_id=plan_ids[c],
                    meeting=f"{meeting}-{k + 1}s",
                    stood_down=True,
                    stood_down_reason=why,
                )
            stood_down_on, held = held, days.add(held, 5)
            if held > due:
                late_reason = (
                    f"Stood down on {as_date(stood_down_on):%d %B %Y} ({why[0].lower()}"
                    f"{why[1:]}); reconvened a week later"
                )
        if held >= today:
            # The next review: booked, unless it is still months away.
            if end_day is None and not (held - today > 60 and chunk.chance(0.3)):
                for c, _, _ in children:
                    conference(
                        chunk,
                        c,
                        ConferenceType.REVIEW,
                        held,
                        None,
                        plan_chair,
                        plan_id=plan_ids[c],
                        meeting=f"{meeting}-{k + 1}",
                        upcoming=True,
                        late_reason=late_reason,
                    )
            break
        if chunk.chance(0.12):
            plan_chair = rng.choice(chunk.chairs)
        ends = end_at is not None and k >= end_at
        next_due = add_months(held, 6)
        for c, _, _ in children:
            conference(
                chunk,
                c,
                ConferenceType.REVIEW,
                held,
                held,
                plan_chair,
                plan_id=plan_ids[c],
                outcome="plan_ends" if ends else "plan_continues",
                category=None if ends else category,
                meeting=f"{meeting}-{k + 1}",
                late_reason=late_reason,
                next_review=None if ends else next_due,
                visit_freq=None if ends else visit_freq,
            )
        conference_days.append(held)
        if ends:
            end_day = held
            break
        due = next_due

    if end_day is not None:
        for c, _, _ in children:
            plan = chunk.row("cp_plans", plan_ids[c])
            plan["end_date"] = as_date(end_day)
            plan["end_reason"] = pick(
                rng,
                (
                    ("step_down_cin", 75),
                    ("looked_after", 10),
                    ("transferred_out", 5),
                    ("no_further_action", 10),
                ),
            )
            if plan["end_reason"] == "step_down_cin":
                chunk.add(
                    "cin_plans", child_id=c, episode_id=ep_ids[c], start_date=as_date(end_day)
                )
            if chunk.chance(0.6):
                ep = chunk.row("cin_episodes", ep_ids[c])
                closure = end_day + rng.randint(20, 200)
                if closure < today:
                    ep["closure_date"] = as_date(closure)
                    ep["reason_for_closure"] = "RC4"
                    for cin in chunk.rows.get("cin_plans", [])[::-1]:
                        if cin["child_id"] == c and cin.get("end_date") is None:
                            cin["end_date"] = as_date(closure)
                            break
    last_day = end_day if end_day is not None else today
    chunk.core_groups(
        children, plan_ids, first_cg, last_day, meeting, end_day is None, first_cg_reason
    )
    chunk.visits(children, plan_ids, icpc, last_day, visit_freq)
    tracking(chunk, children, plan_ids, conference_days, last_day, plan_chair, end_day is None)
