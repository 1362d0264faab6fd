"""The bulk of the synthetic caseload, generated a column at a time.

``cptrack.demo.synthetic`` walks through families, plans and conferences one at a time and leaves a
short specification for each stream of routine events: the visits of a plan, its core
groups, the reports and attendance of a conference, the actions a conference sets. The
functions here turn those specifications into frames with numpy, all rows at once, so a
50,000-child caseload (several million rows) is generated in seconds.

Dates are handled as day ordinals (``datetime.date.toordinal()``) and working days as
positions in a sorted array of working-day ordinals.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cptrack.domain.models import PLAN_OUTCOMES, Agency

EPOCH_ORDINAL = 719163  # datetime.date(1970, 1, 1).toordinal()

ACTIONS = (
    ("Complete a parenting assessment", Agency.SOCIAL_CARE),
    ("Refer mother to the Freedom Programme", Agency.SOCIAL_CARE),
    ("Share the safety plan with school and nursery", Agency.SCHOOL),
    ("Arrange developmental check for the youngest child", Agency.HEALTH_VISITOR),
    ("Attend weekly sessions with the substance misuse service", Agency.SUBSTANCE_MISUSE),
    ("Complete a housing application for a larger property", Agency.HOUSING),
    ("Carry out DBS and PNC checks on the new partner", Agency.POLICE),
    ("Direct work with the children about their wishes and feelings", Agency.SOCIAL_CARE),
    ("Register with a GP and attend the health review", Agency.GP),
)
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
CARRIED = " (carried forward from the plan of {:%d %B %Y})"


def as_dates(ordinals: np.ndarray) -> np.ndarray:
    """Day ordinals as ``datetime64[D]``; ordinals <= 0 become NaT."""
    ordinals = np.asarray(ordinals, dtype="int64")
    out = (ordinals - EPOCH_ORDINAL).astype("datetime64[D]")
    out[ordinals <= 0] = np.datetime64("NaT")
    return out


class WorkingDays:
    """Working days as positions in a sorted array of ordinals."""

    def __init__(self, ordinals: list[int]):
        self.days = np.asarray(ordinals, dtype="int64")

    def index(self, ordinals) -> np.ndarray:
        """Position of the working day on or before each ordinal."""
        return np.searchsorted(self.days, np.asarray(ordinals), side="right") - 1

    def at(self, positions) -> np.ndarray:
        return self.days[np.clip(positions, 0, len(self.days) - 1)]


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


def _flatten_agencies(specs: list[tuple], agency_at: int) -> tuple[np.ndarray, np.ndarray]:
    counts = np.asarray([len(s[agency_at]) for s in specs])
    conf_index = np.repeat(np.arange(len(specs)), counts)
    agency = np.asarray([str(a) for s in specs for a in s[agency_at]], dtype=object)
    return conf_index, agency


def reports(specs: list[tuple], today: int, seed: int) -> pd.DataFrame:
    """Agency reports for each conference, with when the chair and family had them
    (spec: conference id, scheduled date, upcoming?, agencies)."""
    rng = np.random.default_rng([seed, 3])
    if not specs:
        return pd.DataFrame()
    conf_id = np.asarray([s[0] for s in specs], dtype="int64")
    scheduled = np.asarray([s[1] for s in specs], dtype="int64")
    upcoming = np.asarray([s[2] for s in specs], dtype=bool)
    idx, agency = _flatten_agencies(specs, 3)
    n = len(idx)
    r = rng.random
    to_chair = scheduled[idx] - np.where(r(n) < 0.75, rng.integers(3, 10, n), rng.integers(0, 3, n))
    to_family = scheduled[idx] - np.where(r(n) < 0.70, rng.integers(2, 9, n), rng.integers(0, 2, n))
    keep = (r(n) >= 0.05) & ~(upcoming[idx] & (to_chair > today))
    shared = np.where((r(n) < 0.06) | (to_family > today), 0, to_family)
    timed = r(n) < 0.6
    chair_time = pd.to_timedelta(rng.integers(9, 17, n) * 60 + rng.choice([0, 15, 30, 45], n), "m")
    family_time = pd.to_timedelta(rng.integers(9, 17, n) * 60, "m")
    frame = pd.DataFrame(
        {
            "conference_id": conf_id[idx],
            "agency": agency,
            "received_by_chair": as_dates(np.minimum(to_chair, today)),
            "received_by_chair_time": _times(chair_time, timed),
            "shared_with_family": as_dates(shared),
            "shared_with_family_time": _times(family_time, timed & (shared > 0)),
            "confidential": (agency == Agency.POLICE.value) & (r(n) < 0.2),
        }
    )
    return frame[keep].reset_index(drop=True)


def _times(deltas: pd.TimedeltaIndex, present: np.ndarray) -> np.ndarray:
    base = pd.Timestamp("2000-01-01")
    times = (base + deltas).time
    return np.where(present, times, None)


def attendance(specs: list[tuple], seed: int) -> tuple[pd.DataFrame, dict[int, bool]]:
    """Who attended each held conference, their scaling score and view, and whether each
    conference was quorate: social care plus two other agencies (DOMAIN.md §4)
    (spec: conference id, outcome, agencies)."""
    rng = np.random.default_rng([seed, 4])
    if not specs:
        return pd.DataFrame(), {}
    conf_id = np.asarray([s[0] for s in specs], dtype="int64")
    outcome = np.asarray([s[1] for s in specs], dtype=object)
    idx, agency = _flatten_agencies(specs, 2)
    n = len(idx)
    status = rng.choice(
        np.array(
            ["attended", "apologies_report_sent", "apologies", "did_not_attend"], dtype=object
        ),
        n,
        p=[0.76, 0.15, 0.06, 0.03],
    )
    social_care = agency == Agency.SOCIAL_CARE.value
    status[social_care] = "attended"
    took_part = status == "attended"
    on_plan = np.isin(outcome[idx], PLAN_OUTCOMES)
    view = np.where(on_plan, "cp_plan", "cin_plan").astype(object)
    flip = rng.random(n) < 0.06
    view[flip] = np.where(view[flip] == "cp_plan", "cin_plan", "cp_plan")
    view[~took_part] = None
    others = np.bincount(idx, weights=took_part & ~social_care, minlength=len(specs))
    quorate = dict(zip(conf_id.tolist(), (others >= 2).tolist(), strict=True))
    professionals = pd.DataFrame(
        {
            "conference_id": conf_id[idx],
            "agency": agency,
            "status": status,
            "scaling_score": np.where(took_part, rng.integers(2, 8, n), None),
            "view": view,
            "dissent": took_part & (view != "cp_plan") & on_plan & (rng.random(n) < 0.3),
        }
    )
    family = pd.DataFrame(
        {
            "conference_id": conf_id,
            "agency": Agency.FAMILY.value,
            "person": "Parent",
            "status": np.where(rng.random(len(specs)) < 0.85, "attended", "did_not_attend"),
            "dissent": False,
        }
    )
    frame = pd.concat([professionals, family], ignore_index=True)
    frame = frame.sort_values("conference_id", kind="stable", ignore_index=True)
    return frame, quorate


def actions(specs: list[tuple], today: int, seed: int) -> pd.DataFrame:
    """Three to five SMART actions set at each conference that makes or keeps a plan
    (spec: child, plan, date set, the plan's next conference or end (0: none yet), whether
    the plan continues then, and the conference after that (0: none)).

    Most are done by their date, a few late; one not done by the next conference is closed
    there, and carried into the new plan when the plan continues (the new action says so).
    Only actions of the current plan period are still open."""
    rng = np.random.default_rng([seed, 5])
    if not specs:
        return pd.DataFrame()
    child = np.asarray([s[0] for s in specs], dtype=object)
    plan = np.asarray([s[1] for s in specs], dtype="int64")
    set_day = np.asarray([s[2] for s in specs], dtype="int64")
    next_day = np.asarray([s[3] for s in specs], dtype="int64")
    continues = np.asarray([s[4] for s in specs], dtype=bool)
    after_next = np.asarray([s[5] for s in specs], dtype="int64")
    k = rng.integers(3, 6, len(specs))
    order = np.argsort(rng.random((len(specs), len(ACTIONS))), axis=1)
    group = np.repeat(np.arange(len(specs)), k)
    nth = np.arange(len(group)) - np.repeat(np.cumsum(k) - k, k)
    which = order[group, nth]
    first = _action_rows(rng, set_day[group], next_day[group], today, (0.93, 0.985))
    # Not done by the next conference, and the plan continues: carried into the new plan.
    carry = first["closed"] & continues[group]
    g2 = group[carry]
    second = _action_rows(rng, next_day[g2], after_next[g2], today, (0.93, 0.99))
    descriptions = np.asarray([a[0] for a in ACTIONS], dtype=object)
    agencies = np.asarray([a[1].value for a in ACTIONS], dtype=object)
    owners = np.asarray([a[1].value.replace("_", " ").capitalize() for a in ACTIONS], dtype=object)
    carried_text = np.asarray(
        [CARRIED.format(dt.date.fromordinal(int(d))) for d in set_day[g2]], dtype=object
    )
    return pd.DataFrame(
        {
            "child_id": np.concatenate([child[group], child[g2]]),
            "plan_id": np.concatenate([plan[group], plan[g2]]),
            "description": np.concatenate(
                [descriptions[which], descriptions[which[carry]] + carried_text]
            ),
            "owner": np.concatenate([owners[which], owners[which[carry]]]),
            "agency": np.concatenate([agencies[which], agencies[which[carry]]]),
            "due_date": as_dates(np.concatenate([first["due"], second["due"]])),
            "status": np.concatenate([first["status"], second["status"]]),
            "completed_date": as_dates(np.concatenate([first["completed"], second["completed"]])),
            "source": "conference",
            "set_date": as_dates(np.concatenate([set_day[group], next_day[g2]])),
        }
    )


def _action_rows(rng, set_day, next_day, today, shares) -> dict[str, np.ndarray]:
    """Due dates and outcomes of actions set on ``set_day``: done by the due date (the first
    share), done late (to the second), or not done; one not done (or done only after it) by
    ``next_day``, the plan's next conference, is closed there."""
    n = len(set_day)
    due = set_day + rng.choice([14, 28, 42, 56, 84], n)
    roll = rng.random(n)
    completed = np.where(
        roll < shares[0],
        np.maximum(due - rng.integers(0, 11, n), set_day + 1),
        np.where(roll < shares[1], due + rng.integers(1, 16, n), 10**9),
    )
    reviewed = (next_day > 0) & (next_day <= today)
    closed = reviewed & (completed > next_day)
    done = ~closed & (completed <= today)
    status = np.where(done, "done", np.where(closed, "cancelled", "open")).astype(object)
    return {
        "due": due,
        "status": status,
        "completed": np.where(done, completed, 0),
        "closed": closed,
    }
