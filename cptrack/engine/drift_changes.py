"""Drift alerts for a change at a conference: the chair (``chair_change``) or the venue
(``venue_change``) differs from the plan's conference before it (amber)."""

from __future__ import annotations

import numpy as np

from cptrack.columnar import NO_ID, Table, days, previous_in_group
from cptrack.engine.base import Context, family
from cptrack.engine.drift_alerts import alert_rows, open_plan_mask
from cptrack.engine.plan_history import conferences
from cptrack.rules import workdays as wd
from cptrack.rules.profiles import Rule


@family("chair_change")
def chair_change(ctx: Context, rule: Rule) -> Table | None:
    staff = ctx.caseload.staff
    names = dict(
        zip(staff["id"].astype("Int64").fillna(NO_ID).astype("int64"), staff["name"], strict=True)
    )
    role = ctx.profile.chair_role
    return _changed_at_conference(
        ctx,
        rule,
        "chair_id",
        NO_ID,
        lambda a, b: (
            f"{role} changed at this conference ({names.get(a, f'#{a}')} to "
            f"{names.get(b, f'#{b}')})"
        ),
    )


@family("venue_change")
def venue_change(ctx: Context, rule: Rule) -> Table | None:
    """Venue names are compared without case or surrounding spaces; a conference with no
    venue recorded (a virtual one) is skipped."""
    shown = ctx.caseload.conferences.set_index("id")["venue_name"]
    return _changed_at_conference(
        ctx,
        rule,
        "venue_name",
        "",
        lambda a, b: f"venue changed at this conference (from {shown.get(a)} to {shown.get(b)})",
        by_conference=True,
    )


def _changed_at_conference(
    ctx: Context, rule: Rule, column: str, missing, words, *, by_conference: bool = False
) -> Table | None:
    """An amber alert at each held conference of an open plan where ``column`` (the chair,
    the venue) differs from the plan's conference before it; conferences with it missing are
    skipped. ``words(before, after)`` says what changed, given the two values (or, with
    ``by_conference``, the two conferences' ids)."""
    c = conferences(ctx)
    c = c.where(c["held"] & (c["plan_id"] != NO_ID) & (c[column] != missing)).sorted(
        "plan_id", "held_date"
    )
    if not c.n:
        return None
    prev = previous_in_group(c["plan_id"], c[column], missing)
    changed = (prev != missing) & (prev != c[column]) & open_plan_mask(ctx, c["plan_id"])
    if not changed.any():
        return None
    if by_conference:
        before = previous_in_group(c["plan_id"], c["conf_id"], NO_ID)[changed]
        after = c["conf_id"][changed]
    else:
        before, after = prev[changed], c[column][changed]
    text = np.array(
        [words(a, b) for a, b in zip(before.tolist(), after.tolist(), strict=True)], dtype=object
    )
    c = c.where(changed)
    return alert_rows(
        c["child_id"],
        c["child"],
        c["plan_id"],
        "conferences",
        c["conf_id"],
        c["held_date"],
        days(wd.shift(c["held_date"], rule.amount, rule.unit)),
        status="due",
        status_text=text,
    )
