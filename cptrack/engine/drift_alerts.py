"""What the drift families share: an alert's rows, the open plans, the rules' ranks."""

from __future__ import annotations

import numpy as np

from cptrack.columnar import NAT, Table, lookup
from cptrack.engine.base import SUBJECT_CODE as S
from cptrack.engine.base import Context
from cptrack.engine.plan_history import plans


def rule_ranks(ctx: Context, events: tuple[str, ...]) -> np.ndarray:
    """The rule ranks (positions by id) of the profile's rules for these events."""
    ordered = sorted(ctx.profile.rules, key=lambda r: r.id)
    return np.array([i for i, r in enumerate(ordered) if r.event in events], dtype="int64")


def open_plan_rows(ctx: Context) -> Table:
    """The plan history's rows of the plans open on the as-of day."""
    p = plans(ctx)
    return p.where(p["open"])


def alert_rows(child_id, child, plan_id, subject_table, subject_id, anchor, due, **extra) -> Table:
    """An alert's raw rows (``child_id`` only matters for children outside the caseload)."""
    out = Table(
        child=child,
        plan_id=plan_id,
        subject_table=S[subject_table] if isinstance(subject_table, str) else subject_table,
        subject_id=subject_id,
        anchor_date=anchor,
        due_date=due,
    ).with_columns(actual_date=NAT, **extra)
    if child_id is not None:
        out["child_id"] = child_id
    return out


def open_plan_mask(ctx: Context, plan_id: np.ndarray) -> np.ndarray:
    """Which of these plans are open on the as-of day."""
    return lookup(plan_id, open_plan_rows(ctx)["plan_id"]) >= 0
