"""What every timescale family reckons with: a rule's due dates (working days, days, weeks,
months; hours with clock times), which conferences a rule applies to, the stricter of a plan's
own interval and the rule's, closing an item's window when its plan ends, and the raw rows a
family hands to ``cptrack.engine.finishing``.
"""

from __future__ import annotations

import math

import numpy as np

from cptrack.columnar import NAT, Table, days
from cptrack.domain.models import PLAN_OUTCOMES
from cptrack.engine.base import SUBJECT_CODE as S
from cptrack.engine.base import Context
from cptrack.rules import workdays as wd
from cptrack.rules.profiles import BASES, EVENTS, Rule

# ---------------------------------------------------------------------------
# Due dates


def due_dates(anchor: np.ndarray, rule: Rule, amount=None) -> np.ndarray:
    """The due date of ``rule`` from each anchor (working days, days, weeks or months;
    hours read as whole days, see ``hours_rule`` for clock times)."""
    n = rule.amount if amount is None else amount
    if rule.unit == "hours":
        whole = np.ceil(np.asarray(n) / 24).astype("int64")
        return days(wd.add_days(anchor, -whole if rule.direction == "before" else whole))
    signed = -np.asarray(n) if rule.direction == "before" else np.asarray(n)
    return days(wd.shift(days(anchor), signed, rule.unit))


def hours_rule(ctx: Context, rule: Rule, anchor, anchor_s, actual, actual_s) -> Table:
    """Due dates and lateness for an hours rule (see ``cptrack.rules.workdays`` for the reading).

    With clock times on both sides the rule is counted in hours; otherwise in whole days by
    the profile's ``date_only_hours`` reading.
    """
    n = len(anchor)
    whole = math.ceil(rule.amount / 24)
    reading = ctx.settings["date_only_hours"]
    before = rule.direction == "before"
    # Strict reads a date-only record as needing a whole day more: one day earlier, which is
    # further from the anchor for a rule before it and nearer for a rule after it.
    strict = 1 if reading == "strict" and whole else 0
    shift = whole + strict if before else whole - strict
    due = days(wd.add_days(anchor, -shift if before else shift))
    a_sec = anchor_s if anchor_s is not None else np.full(n, np.nan)
    b_sec = actual_s if actual_s is not None else np.full(n, np.nan)
    timed = np.isfinite(a_sec) & np.isfinite(b_sec) & ~np.isnat(actual) & ~np.isnat(anchor)
    late = np.full(n, -1, dtype="int8")
    hours_late = np.full(n, np.nan)
    reason = np.full(n, "", dtype=object)
    if timed.any():
        anchor_s = anchor[timed].view("int64") * 86400 + a_sec[timed]
        actual_s = actual[timed].view("int64") * 86400 + b_sec[timed]
        due_s = anchor_s + (-1 if before else 1) * rule.amount * 3600
        over = actual_s > due_s
        late[timed] = over.astype("int8")
        hours_late[timed] = np.where(over, np.ceil((actual_s - due_s) / 3600), 0)
        due = due.copy()
        due[timed] = (due_s // 86400).astype("int64").astype("datetime64[D]")
    if reading == "cannot_tell":
        boundary = ~timed & ~np.isnat(actual) & (actual == due)
        reason[boundary] = (
            f"recorded on the boundary day with no time, against a {rule.amount}-hour rule"
        )
    return Table(due_date=due, late=late, hours_late=hours_late, reason=reason)


def applies(rule: Rule, types: np.ndarray, outcomes: np.ndarray | None = None) -> np.ndarray:
    """Conferences a rule applies to: by type, and by outcome when the rule names one."""
    mask = np.isin(types, rule.applies_to)
    wanted = [o for o in rule.applies_to if o in ("plan", "cin")]
    if wanted and outcomes is not None:
        allowed = (PLAN_OUTCOMES if "plan" in wanted else ()) + (
            ("cin_plan",) if "cin" in wanted else ()
        )
        mask &= np.isin(outcomes, allowed)
    return mask


def close_window(t: Table) -> Table:
    """Drop open items whose plan ended before they fell due; keep the plan's end on the rest."""
    drop = np.isnat(t["actual_date"]) & ~np.isnat(t["closed"]) & (t["closed"] <= t["due_date"])
    t = t.where(~drop)
    t["closed_date"] = t["closed"]
    return t


def raw(t: Table, subject_table, subject_id, **extra) -> Table:
    """The raw rows the engine finishes: the contract's columns from a family's table."""
    done = ~np.isnat(t["actual_date"])
    out = Table(
        child=t["child"],
        plan_id=t["plan_id"],
        subject_table=S[subject_table] if isinstance(subject_table, str) else subject_table,
        subject_id=subject_id,
        anchor_date=t["anchor_date"],
        due_date=t["due_date"],
        actual_date=t["actual_date"],
    )
    if "child_id" in t:  # the engine reads ids only for children not in the caseload
        out["child_id"] = t["child_id"]
    if "booked_date" in t:
        out["booked_date"] = np.where(done, NAT, t["booked_date"])
    if "closed_date" in t:
        out["closed_date"] = t["closed_date"]
    return out.with_columns(**extra)


def rule_plan_field(rule: Rule) -> str | None:
    """The plan column that records the plan's own frequency for this rule's event (visits,
    core groups), if any: where the plan sets a shorter interval than the profile, the plan's
    applies; a longer one never loosens the profile's minimum (the stricter wins)."""
    return EVENTS[rule.event].plan_field


def stricter_of_plan(rule: Rule, plan_amount: np.ndarray) -> tuple[np.ndarray, dict]:
    """The interval each row applies, the stricter of the plan's own (``plan_amount``, 0 when
    the plan records none) and the rule's, with the basis columns for rows where the plan's
    own record decided it or was overruled."""
    own = plan_amount > 0
    tighter = own & (plan_amount < rule.amount)
    looser = own & (plan_amount > rule.amount)
    amount = np.where(tighter, plan_amount, rule.amount)
    basis = np.where(tighter, BASES.index("plan"), -1).astype("int8")
    words = np.full(len(amount), "", dtype=object)
    unit = rule.unit.replace("_", " ")
    for n in np.unique(plan_amount[tighter | looser]).tolist():
        if n < rule.amount:
            words[tighter & (plan_amount == n)] = (
                f"the plan's own record: every {n} {unit}, stricter than the minimum of every "
                f"{rule.amount} ({rule.source_label}), so the plan's applies"
            )
        else:
            words[looser & (plan_amount == n)] = (
                f"{rule.basis_text}; the plan records every {n} {unit}, which would be looser, "
                f"so this minimum applies"
            )
    return amount, {"basis": basis, "basis_text": words}
