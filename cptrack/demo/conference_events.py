"""What each conference brings to the synthetic caseload, generated a column at a time.

``cptrack.demo.conferences`` leaves on the chunk a short specification for each conference;
the functions here turn them into frames with numpy, all rows at once: the agencies' reports (and when the
chair and family had them), who attended and whether the conference was quorate, and the
actions it set, done, late, or closed at the next conference and carried into the new plan.

Dates are day ordinals (``days``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cptrack.demo.days import as_dates
from cptrack.domain.models import PLAN_OUTCOMES, Agency

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
CARRIED = " (carried forward from the plan of {:%d %B %Y})"


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
