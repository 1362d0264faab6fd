"""The routine events of a plan between conferences, generated a column at a time.

``cptrack.demo.families`` walks through families, plans and conferences one at a time and
leaves a short specification for each stream of routine events; the functions here turn the
specifications of a plan's visits and core groups into frames with numpy, all rows at once,
so a 50,000-child caseload (several million rows) is generated in seconds. Each visit or
core group made late, missed or cancelled has its reason in its notes.

Dates are day ordinals and working days positions among the working days (``days``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cptrack.demo.days import WorkingDays, as_dates

# Why a visit or a core group was late, missed or cancelled: every one the demo makes late
# has its reason recorded in its notes.
VISIT_LATE = (
    "Family away visiting relatives; visit made on their return.",
    "Mother cancelled the planned visit; rearranged for the first date she could offer.",
    "Social worker off sick; duty worker could not visit within the timescale.",
    "No answer at the planned visit; seen at a further visit.",
)
NOT_SEEN = (
    "Child asleep; mother seen. Social worker returned to see the child.",
    "Child at nursery at the time of the visit; parents seen.",
    "Child staying with grandmother; parents seen at home.",
)
NOT_SEEN_ALONE = (
    "Child did not want to talk without mother present; seen with her.",
    "Visit at contact centre; no private space to see the child alone.",
    "Child seen alone at school the week before; seen with the family today.",
)
TOO_YOUNG = "Too young to be seen alone; observed with the parent caring for them."
ANTENATAL = "Antenatal visit to the expectant mother."
CORE_GROUP_LATE = (
    "First date offered was not possible for the parents; next available date agreed.",
    "School closed for the holidays; meeting set for the first week of term.",
    "Social worker off sick; team manager rearranged the meeting.",
)
CORE_GROUP_CANCELLED = (
    "Cancelled: parents did not attend and no other agency could; rearranged within two weeks.",
    "Cancelled: social worker called to an emergency; rearranged within two weeks.",
    "Cancelled: venue unavailable; rearranged within two weeks.",
)
REARRANGED = "Rearranged after the cancelled meeting."
PLAN_SENT_LATE = "Updated plan sent late: the minute-taker was off sick."
SOCIAL_WORKER_ABSENT = "Social worker in court; team manager attended in her place."


def _series_of_steps(
    first: np.ndarray, limit: np.ndarray, min_gap: int, gap_fn
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each i, positions first[i], first[i] + gap, ... past limit[i] (one beyond).

    Returns (group index, position, step number from 1, index into the gaps ``gap_fn`` was
    asked for) for every step up to and including the first one past the limit, so callers
    can use that one as the next scheduled date.
    """
    n = len(first)
    if n == 0:
        empty = np.zeros(0, dtype="int64")
        return empty, empty, empty, empty
    span = np.maximum(limit - first, 0)
    count = span // min_gap + 2
    group = np.repeat(np.arange(n), count)
    gaps = gap_fn(group)
    starts = np.concatenate(([0], np.cumsum(count)[:-1]))
    gaps[starts] = 0
    cum = np.cumsum(gaps)
    pos = first[group] + cum - cum[starts][group]
    step = np.arange(len(group)) - starts[group] + 1
    # keep steps up to the limit, plus the first one beyond it
    within = pos <= limit[group]
    prev_within = np.ones(len(group), dtype=bool)
    prev_within[1:] = within[:-1]
    prev_within[starts] = True
    keep = within | prev_within
    return group[keep], pos[keep], step[keep], np.flatnonzero(keep)


def visits(specs: list[tuple], wd: WorkingDays, today: int, seed: int) -> pd.DataFrame:
    """Statutory visits at each plan's frequency, a few late, each late visit, visit without
    seeing the child, or child (aged 4 or more) not seen alone with its reason in the notes
    (spec: child, plan, start, end, frequency in working days, date of birth ordinal or None).
    Before the birth, the visits of a pre-birth plan are to the expectant mother."""
    rng = np.random.default_rng([seed, 1])
    if not specs:
        return pd.DataFrame()
    child, plan, start, end, freq, dob = zip(*specs, strict=True)
    child = np.asarray(child, dtype=object)
    freq = np.asarray(freq, dtype="int64")
    dob = np.asarray([d if d is not None else 10**9 for d in dob], dtype="int64")
    first = wd.index(np.asarray(start)) + rng.integers(1, 6, len(specs))
    limit = wd.index(np.minimum(np.asarray(end), today))

    def gaps(group):
        f = freq[group]
        on_time = rng.random(len(group)) < 0.96
        return np.where(
            on_time, f - rng.integers(0, 4, len(group)), f + rng.integers(1, 9, len(group))
        )

    group, pos, _, _ = _series_of_steps(first, limit, int(freq.min()) - 3, gaps)
    day = wd.at(pos)
    keep = (pos <= limit[group]) & (day <= today)
    group, day, pos = group[keep], day[keep], pos[keep]
    n = len(group)
    born = day >= dob[group]
    age = np.where(born, (day - dob[group]) / 365.25, -1.0)
    seen = ~born | (rng.random(n) < 0.98)
    alone = seen & born & (age >= 4) & (rng.random(n) < 0.85)
    # Working days since the last visit at which the child was seen (from the plan's start
    # for the first): a seen visit past the plan's frequency is late.
    seen_at = np.where(seen, np.arange(n), -1)
    last_seen = np.maximum.accumulate(np.r_[-1, seen_at[:-1]]) if n else seen_at
    new_plan = np.r_[True, group[1:] != group[:-1]] if n else np.zeros(0, dtype=bool)
    plan_first = np.maximum.accumulate(np.where(new_plan, np.arange(n), 0))
    since = np.where(
        last_seen >= plan_first,
        pos - pos[np.maximum(last_seen, 0)],
        pos - wd.index(np.asarray(start))[group],
    )
    late = seen & (since > freq[group])
    notes = np.full(n, None, dtype=object)
    notes[seen & born & (age < 4)] = TOO_YOUNG
    notes[~born] = ANTENATAL
    _fill(notes, seen & born & (age >= 4) & ~alone, NOT_SEEN_ALONE, rng)
    _fill(notes, ~seen, NOT_SEEN, rng)
    _fill(notes, late, VISIT_LATE, rng)
    return pd.DataFrame(
        {
            "child_id": child[group],
            "plan_id": np.asarray(plan, dtype="int64")[group],
            "date": as_dates(day),
            "seen": seen,
            "seen_alone": alone,
            "bedroom_seen": seen & born & (rng.random(n) < 0.55),
            "notes": notes,
        }
    )


def _fill(notes: np.ndarray, mask: np.ndarray, reasons: tuple[str, ...], rng) -> None:
    """Write one of ``reasons`` into ``notes`` where ``mask`` holds."""
    rows = np.flatnonzero(mask)
    notes[rows] = np.asarray(reasons, dtype=object)[rng.integers(0, len(reasons), len(rows))]


def core_groups(specs: list[tuple], wd: WorkingDays, today: int, seed: int) -> pd.DataFrame:
    """Core group meetings every four to six weeks, shared by siblings; a few late and a
    few cancelled and rearranged, each with its reason in the notes (spec: members
    [(child, plan)], first date, last date, meeting ref, plan open, why the first meeting
    was late or None)."""
    rng = np.random.default_rng([seed, 2])
    if not specs:
        return pd.DataFrame()
    members, first, last, meeting, open_plan, first_late = zip(*specs, strict=True)
    first_pos = wd.index(np.asarray(first))
    last_ord = np.asarray(last, dtype="int64")
    limit = wd.index(np.minimum(last_ord - 1, today))
    open_plan = np.asarray(open_plan, dtype=bool)
    drawn: dict[str, np.ndarray] = {}

    def gaps(group):
        n = len(group)
        late = rng.random(n) < 0.05
        cancelled = rng.random(n) < 0.01
        gap = np.where(late, rng.integers(31, 41, n), rng.integers(18, 31, n))
        # a cancelled meeting is rearranged within two weeks
        gap[1:] = np.where(cancelled[:-1], rng.integers(5, 11, n - 1), gap[1:])
        drawn.update(late=late, cancelled=cancelled)
        return gap

    group, pos, step, kept = _series_of_steps(first_pos, limit, 5, gaps)
    late, cancelled = drawn["late"][kept], drawn["cancelled"][kept]
    rearranged = np.r_[False, cancelled[:-1]] & (step > 1)
    day = wd.at(pos)
    held = (day < last_ord[group]) & (day <= today)
    scheduled = ~held & open_plan[group] & (day > today)
    keep = held | scheduled
    group, day, step, held = group[keep], day[keep], step[keep], held[keep]
    late, cancelled, rearranged = late[keep], cancelled[keep], rearranged[keep]
    status = np.where(held, "held", "scheduled").astype(object)
    cancelled &= held & (step > 1)
    status[cancelled] = "cancelled"
    notes = np.full(len(group), None, dtype=object)
    notes[rearranged] = REARRANGED
    _fill(notes, late & (step > 1) & ~rearranged, CORE_GROUP_LATE, rng)
    _fill(notes, cancelled, CORE_GROUP_CANCELLED, rng)
    first_note = np.asarray(first_late, dtype=object)
    notes[step == 1] = first_note[group[step == 1]]
    absent = held & (status == "held") & (rng.random(len(group)) < 0.02) & ~rearranged
    notes[absent] = SOCIAL_WORKER_ABSENT
    sw_attended = np.where(held, ~absent, None)
    # The updated plan goes out within a few days (003 §6.11: 5 days), a few later, with why.
    sent_late = rng.random(len(group)) < 0.04
    sent = day + np.where(
        sent_late, rng.integers(6, 10, len(group)), rng.integers(1, 5, len(group))
    )
    sent_ok = (status == "held") & (sent <= today)
    notes[sent_ok & sent_late & (notes == None)] = PLAN_SENT_LATE  # noqa: E711 (object array)
    # one row per member of the family for each meeting
    size = np.asarray([len(m) for m in members])
    rows = np.repeat(np.arange(len(group)), size[group])
    flat_child = np.asarray([c for m in members for c, _ in m], dtype=object)
    flat_plan = np.asarray([p for m in members for _, p in m], dtype="int64")
    offsets = np.concatenate(([0], np.cumsum(size)[:-1]))
    member_no = np.arange(len(rows)) - np.repeat(np.cumsum(size[group]) - size[group], size[group])
    flat = offsets[group][rows] + member_no
    refs = np.asarray(meeting, dtype=object)
    return pd.DataFrame(
        {
            "child_id": flat_child[flat],
            "plan_id": flat_plan[flat],
            "meeting_ref": [
                f"{refs[g]}-cg{s}" for g, s in zip(group[rows], step[rows], strict=True)
            ],
            "date": as_dates(day[rows]),
            "status": status[rows],
            "social_worker_attended": sw_attended[rows],
            "plan_updated": np.where(held[rows], status[rows] == "held", None),
            "plan_distributed": as_dates(np.where(sent_ok, sent, 0)[rows]),
            "notes": notes[rows],
        }
    )
