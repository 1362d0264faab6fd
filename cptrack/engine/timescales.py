"""Timescale rule families: for each event, the occurrences a rule is checked on.

Each family takes the evaluation context and one profile rule and returns raw rows (child,
plan, subject record, anchor, due and actual dates, and what is missing when something is);
``cptrack.engine`` turns them into findings. Everything is done on whole columns
(``cptrack.columnar``: sorting, ``searchsorted`` look-ups, group-wise shifts), never a loop
over children.

How each event is matched (the rule's amount, unit and direction come from the profile):

* ``icpc``: each s47 enquiry not marked "ICPC not required", matched to its initial or
  pre-birth conference (linked by ``s47_id``, else the child's first such conference on or
  after the enquiry's start), and each such conference with no enquiry. The anchor is the
  strategy discussion the setting ``icpc_clock`` names (or the enquiry's start, for anchor
  ``s47_start``), looked for since the child's previous initial conference.
* ``first_review`` / ``review``: the held conferences of each plan in date order; each one
  (except a review that ended the plan) is the anchor for the next. The conference that made
  the plan anchors the first review; a plan with no such conference recorded counts from its
  start date (plans start on the day of the conference: DfE rule 2885).
* ``first_core_group``: from the conference that made the plan to the first held core group.
* ``core_group``, ``visit``, ``visit_seen_alone``: chains; each held meeting or visit (the
  first visit from the plan's start) anchors the next. A frequency the plan records
  (``core_group_frequency_wd``, ``visit_frequency_wd``) replaces the rule's amount when the
  rule takes its amount from the matching setting.
* ``report_to_chair`` / ``report_to_family``: each agency report for each conference, before
  the conference (held date, else the scheduled date and time); a conference with no report
  recorded gives one row about the conference.
* ``decisions_distributed``, ``plan_distributed``, ``minutes_distributed``: each held
  conference, from the date it was held.
* ``birth_arrangements``: each pre-birth conference that made a plan, from its first core
  group (or from the conference, for anchor ``icpc``).
* ``midway_review``: each interval between a plan's conference and the next review; the
  midway window runs from ``midway_review_point - midway_review_leeway`` to ``+`` of the way
  to the review's due date (settings); a review held in it counts, and it is due by the
  window's end.
* ``core_group_plan_distributed``: each held core group of a plan; the updated plan
  distributed (its date on the core group) within the rule's amount.
* ``invitations_requested``: each conference with the day its date was set; the invitations
  requested (recorded on the conference) within the rule's amount.
* ``escalation_response``: each escalation not withdrawn, due on its agreed response date.

When a plan ends before something falls due, there is no finding; when it ends after the due
date with the thing not done, the finding is overdue up to the plan's end ("missed").
Missing yes/no values read as the model's defaults (a core group "held", a visit "seen").
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from cptrack.columnar import (
    NAT,
    NO_ID,
    Table,
    concat,
    days,
    first_after,
    first_in_group,
    from_frame,
    last_on_or_before,
    lookup,
    pick,
)
from cptrack.domain.models import AGENCY_LABELS, PLAN_OUTCOMES
from cptrack.engine.base import SUBJECT_CODE as S
from cptrack.engine.base import Context, family
from cptrack.engine.plan_history import (
    agency_reports,
    attach_plan,
    child_codes,
    conferences,
    core_groups,
    making,
    plan_columns,
    plans,
    review_chain,
    visits,
)
from cptrack.rules import workdays as wd
from cptrack.rules.profiles import BASES, EVENTS, Rule

EARLY = np.datetime64("1900-01-01", "D")


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


def _applies(rule: Rule, types: np.ndarray, outcomes: np.ndarray | None = None) -> np.ndarray:
    """Conferences a rule applies to: by type, and by outcome when the rule names one."""
    mask = np.isin(types, rule.applies_to)
    wanted = [o for o in rule.applies_to if o in ("plan", "cin")]
    if wanted and outcomes is not None:
        allowed = (PLAN_OUTCOMES if "plan" in wanted else ()) + (
            ("cin_plan",) if "cin" in wanted else ()
        )
        mask &= np.isin(outcomes, allowed)
    return mask


def _close_window(t: Table) -> Table:
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


# ---------------------------------------------------------------------------
# Families


@family("icpc")
def icpc(ctx: Context, rule: Rule) -> Table | None:
    c = conferences(ctx)
    confs = c.where(np.isin(c["type"], rule.applies_to) & ~c["stood_down"])
    s47 = from_frame(
        ctx.caseload.s47_enquiries,
        s47_id="id:id",
        child_id="text:child_id",
        start="day:start_date",
        episode="id:episode_id",
        sd_id="id:strategy_discussion_id",
        completed="day:completed_date",
        not_required="bool_false:icpc_not_required",
    )
    s47 = s47.where(~s47["not_required"])
    s47["child"] = child_codes(ctx, s47["child_id"])
    # Each enquiry's conference: linked by s47_id, else the child's first unlinked one after.
    linked = confs.where(confs["s47_id"] != NO_ID).sorted("s47_id", "date")
    linked = linked.where(first_in_group(linked["s47_id"]))
    row = lookup(s47["s47_id"], linked["s47_id"])
    conf_row = _rows_of(confs["conf_id"], pick(linked["conf_id"], row, NO_ID))
    unlinked_mask = confs["s47_id"] == NO_ID
    unlinked_rows = np.flatnonzero(unlinked_mask)
    need = conf_row < 0
    if need.any() and len(unlinked_rows):
        found = first_after(
            s47["child"][need],
            s47["start"][need],
            confs["child"][unlinked_rows],
            confs["date"][unlinked_rows],
            strictly=False,
        )
        conf_row[need] = np.where(found >= 0, pick(unlinked_rows, found, -1), -1)
    matched = np.zeros(confs.n, dtype=bool)
    matched[conf_row[conf_row >= 0]] = True
    lone = confs.where(unlinked_mask & ~matched)
    rows = concat(
        [
            Table(
                s47_id=s47["s47_id"],
                child_id=s47["child_id"],
                child=s47["child"],
                start=s47["start"],
                episode=s47["episode"],
                sd_id=s47["sd_id"],
                completed=s47["completed"],
                conf_id=pick(confs["conf_id"], conf_row, NO_ID),
                date=pick(confs["date"], conf_row, NAT),
                held=pick(confs["held"], conf_row, False),
                plan_id=pick(confs["plan_id"], conf_row, NO_ID),
            ),
            Table(
                s47_id=np.full(lone.n, NO_ID),
                child_id=lone["child_id"],
                child=lone["child"],
                start=np.full(lone.n, NAT),
                episode=np.full(lone.n, NO_ID),
                sd_id=np.full(lone.n, NO_ID),
                completed=np.full(lone.n, NAT),
                conf_id=lone["conf_id"],
                date=lone["date"],
                held=lone["held"],
                plan_id=lone["plan_id"],
            ),
        ]
    )
    if not rows.n:
        return None
    rows["ref"] = np.where(np.isnat(rows["start"]), rows["date"], rows["start"])
    if rule.anchor == "s47_start":
        anchor = rows["start"]
        missing = "no section 47 enquiry recorded"
    else:
        anchor, unbounded = _strategy_anchor(ctx, rows)
        missing = "no strategy discussion recorded"
    no_conf = rows["conf_id"] == NO_ID
    reason = np.where(np.isnat(anchor), missing, "").astype(object)
    completed_without = no_conf & ~np.isnat(rows["completed"]) & (reason == "")
    reason[completed_without] = (
        "the enquiry was completed with no conference and is not marked 'ICPC not required'"
    )
    rows["anchor_date"] = anchor
    rows["due_date"] = due_dates(anchor, rule)
    rows["actual_date"] = np.where(rows["held"], rows["date"], NAT)
    rows["booked_date"] = np.where(rows["held"], NAT, rows["date"])
    extra = {}
    if rule.anchor != "s47_start" and unbounded.any():
        extra["basis_text"] = np.where(unbounded, f"{rule.basis_text}; {NO_EPISODE}", "").astype(
            object
        )
    return raw(
        rows,
        np.where(no_conf, S["s47_enquiries"], S["conferences"]),
        np.where(no_conf, rows["s47_id"], rows["conf_id"]),
        reason=reason,
        **extra,
    )


NO_EPISODE = (
    "no CIN episode is recorded for the enquiry, so which earlier strategy discussions belong "
    "to it cannot be told: the clock starts at the discussion that initiated it"
)


def _rows_of(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The row of ``keys`` holding each wanted id (-1 for none)."""
    return lookup(wanted, keys)


def _strategy_anchor(ctx: Context, rows: Table) -> tuple[np.ndarray, np.ndarray]:
    """The strategy discussion that starts each ICPC clock, by the ``icpc_clock`` setting, and
    which rows counted from the initiating discussion for want of a CIN episode ("first")."""
    sd = from_frame(
        ctx.caseload.strategy_discussions,
        sd_id="id:id",
        child_id="text:child_id",
        date="day:date",
        initiated="bool_true:s47_initiated",
    )
    none = np.zeros(rows.n, dtype=bool)
    if not sd.n:
        return np.full(rows.n, NAT), none
    sd["child"] = child_codes(ctx, sd["child_id"])
    mode = ctx.settings["icpc_clock"]
    # The window: since the child's previous held initial or pre-birth conference.
    c = conferences(ctx)
    prior = c.where(c["held"] & np.isin(c["type"], ("initial", "pre_birth")))
    prev = last_on_or_before(
        rows["child"], rows["ref"], prior["child"], prior["date"], strictly=True
    )
    since = pick(prior["date"], prev, NAT)
    ref = rows["ref"]

    def in_window(row: np.ndarray) -> np.ndarray:
        day = pick(sd["date"], row, NAT)
        ok = (row >= 0) & (day <= ref) & (np.isnat(since) | (day > since))
        return np.where(ok, day, NAT)

    if mode == "last":
        return in_window(last_on_or_before(rows["child"], ref, sd["child"], sd["date"])), none
    linked = pick(sd["date"], lookup(rows["sd_id"], sd["sd_id"]), NAT)
    initiated = sd.where(sd["initiated"])
    latest = in_window(
        _rows_of(
            sd["sd_id"],
            pick(
                initiated["sd_id"],
                last_on_or_before(rows["child"], ref, initiated["child"], initiated["date"]),
                NO_ID,
            ),
        )
    )
    initiating = np.where(np.isnat(linked), latest, linked)
    if mode != "first":
        return initiating, none
    # The first strategy discussion of the episode that led to this enquiry (003 §1.1: "the
    # first strategy meeting for the child"): the earliest since the latest of the child's
    # previous initial conference, the previous enquiry's start (its discussions are its own,
    # whether or not it needed a conference) and the referral that opened this enquiry's CIN
    # episode (a discussion in an earlier episode, that led to no enquiry, is another matter).
    # With no episode recorded, which earlier discussions belong to this enquiry cannot be
    # told: rather than count from one that may be unrelated, the clock starts at the
    # discussion that initiated the enquiry, and the finding says so.
    referral = _episode_referral(ctx, rows)
    every = from_frame(ctx.caseload.s47_enquiries, child_id="text:child_id", start="day:start_date")
    every["child"] = child_codes(ctx, every["child_id"])
    prev_enquiry = pick(
        every["start"],
        last_on_or_before(
            rows["child"], rows["start"], every["child"], every["start"], strictly=True
        ),
        NAT,
    )
    prev_enquiry = np.where(np.isnat(rows["start"]), NAT, prev_enquiry)
    day_before = np.where(np.isnat(referral), NAT, referral - np.timedelta64(1, "D"))
    since = np.fmax(np.fmax(since, prev_enquiry), day_before)  # the latest, NaT ignored
    row = first_after(
        rows["child"], np.where(np.isnat(since), EARLY, since), sd["child"], sd["date"]
    )
    first = in_window(row)
    first = np.where(np.isnat(first) | (first > initiating), initiating, first)
    unbounded = np.isnat(referral) & ~np.isnat(rows["start"])
    differs = ~np.isnat(first) & (first != initiating)
    return np.where(unbounded, initiating, first), unbounded & differs


def _episode_referral(ctx: Context, rows: Table) -> np.ndarray:
    """The referral date of each row's CIN episode: the enquiry's own, else the child's
    episode open on the enquiry's start (NaT when none is recorded)."""
    ep = from_frame(
        ctx.caseload.cin_episodes,
        ep_id="id:id",
        child_id="text:child_id",
        referral="day:referral_date",
        closure="day:closure_date",
    )
    if not ep.n:
        return np.full(rows.n, NAT)
    ep["child"] = child_codes(ctx, ep["child_id"])
    own = lookup(rows["episode"], ep["ep_id"])
    open_then = last_on_or_before(rows["child"], rows["ref"], ep["child"], ep["referral"])
    closure = pick(ep["closure"], open_then, NAT)
    open_then = np.where(~np.isnat(closure) & (closure < rows["ref"]), -1, open_then)
    by_date = pick(ep["referral"], open_then, NAT)
    linked = pick(ep["referral"], own, NAT)
    return np.where(np.isnat(linked), by_date, linked)


@family("first_review", "review")
def reviews(ctx: Context, rule: Rule) -> Table | None:
    chain = review_chain(ctx)
    if not chain.n:
        return None
    if rule.event == "first_review":
        rows = chain.where(
            (chain["anchor_type"] != "review") & np.isin(chain["anchor_type"], rule.applies_to)
        )
    else:
        rows = (
            chain.where(chain["anchor_type"] == "review")
            if "review" in rule.applies_to
            else chain.where(np.zeros(chain.n, bool))
        )
    rows["due_date"] = due_dates(rows["anchor_date"], rule)
    rows = _close_window(rows)
    if not rows.n:
        return None
    done = ~np.isnat(rows["actual_date"])
    return raw(
        rows,
        np.where(done, S["conferences"], rows["anchor_table"]),
        np.where(done, rows["actual_id"], rows["anchor_id"]),
    )


@family("first_core_group")
def first_core_group(ctx: Context, rule: Rule) -> Table | None:
    mk = making(ctx)
    mk = mk.where(np.isin(mk["type"], rule.applies_to))
    if not mk.n:
        return None
    cg = core_groups(ctx)
    held = cg.where(cg["status"] == "held")
    row = first_after(
        mk["plan_id"], mk["anchor_date"], held["plan_id"], held["date"], strictly=False
    )
    mk["actual_date"] = pick(held["date"], row, NAT)
    mk["actual_id"] = pick(held["rec_id"], row, NO_ID)
    mk["due_date"] = due_dates(mk["anchor_date"], rule)
    sched = cg.where(cg["status"] == "scheduled")
    srow = first_after(
        mk["plan_id"], mk["anchor_date"], sched["plan_id"], sched["date"], strictly=False
    )
    booked = pick(sched["date"], srow, NAT)
    mk["booked_date"] = np.where(np.isnat(booked), mk["first_core_group_date"], booked)
    mk = _close_window(mk)
    if not mk.n:
        return None
    done = ~np.isnat(mk["actual_date"])
    return raw(
        mk,
        np.where(done, S["core_groups"], mk["anchor_table"]),
        np.where(done, mk["actual_id"], mk["anchor_id"]),
    )


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


def _chain(
    ctx: Context,
    rule: Rule,
    events: Table,
    subject_table: str,
    from_plan_start: bool,
    booked: Table | None = None,
    from_age: int | None = None,
) -> Table | None:
    """Rows for a 'next one within N' rule: each event (and the plan's start, when asked)
    anchors the next event of the same plan. ``events`` has plan_id, date, rec_id. With
    ``from_age``, the clock starts no earlier than the child's birthday at that age, and an
    unborn child's rows are not yet applicable."""
    rows = _chain_pairs(ctx, events, from_plan_start)
    if not rows.n:
        return None
    field = rule_plan_field(rule)
    names = ("child", "closed") + ((field,) if field else ())
    cols = plan_columns(ctx, rows["plan_id"], *names)
    rows["child"], rows["closed"] = cols[0], cols[1]
    if (rows["child"] < 0).any():  # a child outside the caseload's children: keep the id
        rows["child_id"] = plan_columns(ctx, rows["plan_id"], "child_id")[0]
    amount, basis = stricter_of_plan(rule, cols[2]) if field else (None, {})
    for name, values in basis.items():
        rows[name] = values
    extra = dict(basis)
    if from_age is not None:
        dob = pick(_birth_days(ctx), rows["child"], NAT)
        birthday = days(wd.add_months(dob, 12 * from_age))
        later = ~np.isnat(birthday) & (birthday > rows["anchor_date"])
        rows["anchor_date"] = np.where(later, birthday, rows["anchor_date"])
        rows["nya"] = np.where(
            np.isnat(dob), "no date of birth recorded: an unborn child is not seen alone", ""
        ).astype(object)
        extra["nya"] = rows["nya"]
    rows["due_date"] = due_dates(rows["anchor_date"], rule, amount)
    if booked is not None and booked.n:
        rows["booked_date"] = _booked_after(rows, booked)
    else:
        rows["booked_date"] = np.full(rows.n, NAT)
    rows = _close_window(rows)
    if not rows.n:
        return None
    done = ~np.isnat(rows["actual_date"])
    return raw(
        rows,
        np.where(done, S[subject_table], S["cp_plans"]),
        np.where(done, rows["actual_id"], rows["plan_id"]),
        **{name: rows[name] for name in extra},
    )


def _chain_pairs(ctx: Context, events: Table, from_plan_start: bool) -> Table:
    """Each event of a plan begun by ``as_of`` that falls within the plan (and, when asked,
    the plan's start), paired with the next of the same plan: plan_id, anchor_date, rec_id
    (-1 for a plan's start), actual_date and actual_id (NaT and -1 for the last), sorted by
    plan and date, a plan's start before an event on its day, ties in the events' order."""
    p = plans(ctx)
    p = p.where(p["start"] <= ctx.as_of)
    spans = pl.DataFrame({"plan_id": p["plan_id"], "start": p["start"], "end": p["end"]})
    found = (
        pl.DataFrame(
            {
                "plan_id": events["plan_id"],
                "anchor_date": events["date"],
                "rec_id": events["rec_id"],
            }
        )
        .with_columns(is_start=pl.lit(0, dtype=pl.Int64))
        .join(spans, on="plan_id", how="inner", maintain_order="left")
        .filter(
            (pl.col("anchor_date") >= pl.col("start"))
            & (pl.col("end").is_null() | (pl.col("anchor_date") <= pl.col("end")))
            & (pl.col("anchor_date") <= ctx.as_of.item())
        )
        .drop("start", "end")
    )
    if from_plan_start:
        starts = spans.select(
            "plan_id",
            anchor_date="start",
            rec_id=pl.lit(NO_ID, dtype=pl.Int64),
            is_start=pl.lit(-1, dtype=pl.Int64),
        )
        found = pl.concat([found, starts])
    # Sorted by plan, the next row is the next of the plan when it has the same plan: the
    # same as ``shift(-1).over("plan_id")``, which groups the rows again (1.35 million rows
    # of 48,000 plans: 2 ms against 150).
    same_plan = pl.col("plan_id").shift(-1) == pl.col("plan_id")
    found = found.sort("plan_id", "anchor_date", "is_start", maintain_order=True).with_columns(
        actual_date=pl.when(same_plan).then(pl.col("anchor_date").shift(-1)),
        actual_id=pl.when(same_plan).then(pl.col("rec_id").shift(-1)).otherwise(NO_ID),
    )
    return Table(
        {
            name: found.get_column(name).to_numpy()
            for name in ("plan_id", "anchor_date", "rec_id", "is_start", "actual_date", "actual_id")
        }
    )


def _booked_after(rows: Table, booked: Table) -> np.ndarray:
    """For each row, the first booked date of its plan strictly after its anchor (NaT when
    none): rows sorted by plan and anchor, as ``_chain_pairs`` gives them."""
    right = (
        pl.DataFrame({"plan_id": booked["plan_id"], "booked_date": booked["date"]})
        .filter((pl.col("plan_id") != NO_ID) & pl.col("booked_date").is_not_null())
        .sort("plan_id", "booked_date")
    )
    left = pl.DataFrame({"plan_id": rows["plan_id"], "anchor_date": rows["anchor_date"]})
    return (
        left.join_asof(
            right,
            left_on="anchor_date",
            right_on="booked_date",
            by="plan_id",
            strategy="forward",
            allow_exact_matches=False,
            check_sortedness=False,
        )
        .get_column("booked_date")
        .to_numpy()
    )


def _birth_days(ctx: Context) -> np.ndarray:
    """Each child's date of birth by child code (NaT when unborn or not recorded)."""
    return ctx.shared("birth_days", lambda c: days(c.caseload.children["date_of_birth"].to_numpy()))


@family("core_group")
def core_group(ctx: Context, rule: Rule) -> Table | None:
    cg = core_groups(ctx)
    has_plan = cg["plan_id"] != NO_ID
    held = _events(cg, (cg["status"] == "held") & has_plan)
    scheduled = _events(cg, (cg["status"] == "scheduled") & has_plan)
    return _chain(ctx, rule, held, "core_groups", False, scheduled)


def _events(t: Table, mask: np.ndarray) -> Table:
    """The columns a chain needs, for the rows in ``mask``."""
    return Table(plan_id=t["plan_id"][mask], date=t["date"][mask], rec_id=t["rec_id"][mask])


@family("visit")
def visit(ctx: Context, rule: Rule) -> Table | None:
    v = visits(ctx)
    return _chain(ctx, rule, _events(v, v["seen"] & (v["plan_id"] != NO_ID)), "visits", True)


@family("visit_seen_alone")
def visit_seen_alone(ctx: Context, rule: Rule) -> Table | None:
    v = visits(ctx)
    mask = v["seen_alone"] & (v["plan_id"] != NO_ID)
    return _chain(
        ctx,
        rule,
        _events(v, mask),
        "visits",
        True,
        from_age=int(ctx.settings["seen_alone_from_age"]),
    )


@family("report_to_chair", "report_to_family")
def reports(ctx: Context, rule: Rule) -> Table | None:
    c = conferences(ctx)
    mask = ~c["stood_down"] & _applies(rule, c["type"])
    if rule.when:
        flag = ctx.caseload.children[rule.when].fillna(False).to_numpy(dtype=bool)
        mask &= pick(flag, c["child"], False)
    if not mask.any():
        return None
    needed = ("conf_id", "child", "plan_id", "date", "time_s", "held")
    if (c["child"][mask] < 0).any():  # a child outside the caseload's children: keep the id
        needed += ("child_id",)
    c = Table({k: c[k][mask] for k in needed})
    r = agency_reports(ctx, rule.event)
    keep = np.ones(r.n, dtype=bool)
    if rule.exclude_confidential:
        keep &= ~r["confidential"]
    if rule.agencies:
        keep &= np.isin(r["agency"], rule.agencies)
    crow = lookup(r["conf_id"], c["conf_id"])
    keep &= crow >= 0
    report_rows = np.flatnonzero(keep)
    crow = crow[report_rows]
    lone = np.flatnonzero(np.bincount(crow, minlength=c.n) == 0)
    rows = c.take(np.concatenate([crow, lone]))
    n_reports = len(report_rows)
    rows["report_id"] = np.concatenate([r["report_id"][report_rows], np.full(len(lone), NO_ID)])
    rows["actual_date"] = np.concatenate([r["actual_date"][report_rows], np.full(len(lone), NAT)])
    rows["anchor_date"] = rows["date"]
    no_report = np.arange(rows.n) >= n_reports
    extra = {}
    if rule.unit == "hours":
        actual_s = np.concatenate([r["actual_s"][report_rows], np.full(len(lone), np.nan)])
        h = hours_rule(ctx, rule, rows["date"], rows["time_s"], rows["actual_date"], actual_s)
        rows["due_date"], reason = h["due_date"], h["reason"]
        extra = {"late": h["late"], "hours_late": h["hours_late"]}
    else:
        rows["due_date"] = due_dates(rows["date"], rule)
        reason = np.full(rows.n, "", dtype=object)
    who = "the chair" if rule.event == "report_to_chair" else "the family"
    which = " or ".join(AGENCY_LABELS.get(a, a) for a in rule.agencies)
    held = rows["held"]
    none_text = (
        f"no {which} report recorded for this conference"
        if which
        else "no reports recorded for this conference"
    )
    reason = reason.copy()
    reason[(reason == "") & held & no_report] = none_text
    undated = np.flatnonzero((reason == "") & held & ~no_report & np.isnat(rows["actual_date"]))
    if len(undated):  # worded once per agency
        agencies, which_agency = np.unique(
            r["agency"][report_rows[undated]].astype(str), return_inverse=True
        )
        words = np.array(
            [
                f"no date recorded for when the {AGENCY_LABELS.get(a, a)} report reached {who}"
                for a in agencies.tolist()
            ],
            dtype=object,
        )
        reason[undated] = words[which_agency.ravel()]
    return raw(
        rows,
        np.where(no_report, S["conferences"], S["agency_reports"]),
        np.where(no_report, rows["conf_id"], rows["report_id"]),
        reason=reason,
        # Once the conference is held a report can no longer reach it in time.
        closed_date=np.where(held, rows["date"], NAT),
        **extra,
    )


@family("decisions_distributed", "plan_distributed", "minutes_distributed")
def distribution(ctx: Context, rule: Rule) -> Table | None:
    c = conferences(ctx)
    c = c.where(c["held"] & _applies(rule, c["type"], c["outcome"]))
    if not c.n:
        return None
    c["anchor_date"] = c["held_date"]
    c["actual_date"] = c[rule.event]
    # The next conference of the child takes the plan over: what this one produced and never
    # sent is history from then on.
    c["closed_date"] = _next_held_conference(ctx, c["child"], c["held_date"])
    extra = {}
    if rule.unit == "hours":
        h = hours_rule(ctx, rule, c["held_date"], c["time_s"], c["actual_date"], None)
        c["due_date"] = h["due_date"]
        extra = {"reason": h["reason"]}
    else:
        c["due_date"] = due_dates(c["held_date"], rule)
    return raw(c, "conferences", c["conf_id"], **extra)


@family("core_group_plan_distributed")
def core_group_plan_distributed(ctx: Context, rule: Rule) -> Table | None:
    """Each core group held for a plan: the updated plan distributed within the rule's amount
    of the meeting (its date recorded on the core group)."""
    cg = core_groups(ctx)
    cg = cg.where((cg["status"] == "held") & (cg["plan_id"] != NO_ID) & (cg["date"] <= ctx.as_of))
    if not cg.n:
        return None
    cg["anchor_date"] = cg["date"]
    cg["due_date"] = due_dates(cg["date"], rule)
    cg["actual_date"] = cg["plan_distributed"]
    # The next core group updates the plan again, and an ended plan needs none: either closes
    # the window for sending this one.
    held = cg.sorted("plan_id", "date")
    nxt = pick(
        held["date"], first_after(cg["plan_id"], cg["date"], held["plan_id"], held["date"]), NAT
    )
    (closed,) = plan_columns(ctx, cg["plan_id"], "closed")
    cg["closed_date"] = np.fmin(nxt, closed)
    return raw(cg, "core_groups", cg["rec_id"])


@family("invitations_requested")
def invitations_requested(ctx: Context, rule: Rule) -> Table | None:
    """Each conference whose date-set day is recorded: the invitations requested within the
    rule's amount of it."""
    c = conferences(ctx)
    c = c.where(~np.isnat(c["date_set_on"]) & _applies(rule, c["type"]))
    if not c.n:
        return None
    c["anchor_date"] = c["date_set_on"]
    c["due_date"] = due_dates(c["date_set_on"], rule)
    c["actual_date"] = c["invitations_requested"]
    # Once the conference's day has come (held or stood down), invitations are history.
    c["closed_date"] = c["date"]
    return raw(c, "conferences", c["conf_id"])


def _next_held_conference(ctx: Context, child: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The date of each child's next held conference after ``day`` (NaT when none)."""
    c = conferences(ctx)
    held = c.where(c["held"])
    return pick(held["held_date"], first_after(child, day, held["child"], held["held_date"]), NAT)


@family("birth_arrangements")
def birth_arrangements(ctx: Context, rule: Rule) -> Table | None:
    mk = making(ctx)
    mk = mk.where((mk["type"] == "pre_birth") & (mk["anchor_table"] == S["conferences"]))
    if not mk.n:
        return None
    nya = np.full(mk.n, "", dtype=object)
    if rule.anchor == "first_core_group":
        cg = core_groups(ctx)
        held = cg.where(cg["status"] == "held")
        row = first_after(
            mk["plan_id"], mk["anchor_date"], held["plan_id"], held["date"], strictly=False
        )
        anchor = pick(held["date"], row, NAT)
        nya[np.isnat(anchor)] = "the first core group has not been held yet"
    else:
        anchor = mk["anchor_date"]
    subject = mk["anchor_id"]
    mk["anchor_date"] = anchor
    mk["due_date"] = due_dates(anchor, rule)
    mk["actual_date"] = mk["birth_arrangements_distributed"]
    return raw(mk, "conferences", subject, nya=nya)


@family("midway_review")
def midway_review(ctx: Context, rule: Rule) -> Table | None:
    chain = review_chain(ctx)
    if not chain.n:
        return None
    first = chain["anchor_type"] != "review"
    review_due = np.full(chain.n, NAT)
    for event, mask in (("first_review", first), ("review", ~first)):
        found = ctx.profile.rules_for(event)
        if found and mask.any():
            review_due[mask] = due_dates(chain["anchor_date"][mask], found[0])
    anchor = chain["anchor_date"]
    span = (review_due - anchor).astype("int64")
    point = float(ctx.settings["midway_review_point"])
    leeway = float(ctx.settings["midway_review_leeway"])

    def at(fraction: float) -> np.ndarray:
        offset = np.round(span * min(max(fraction, 0.0), 1.0)).astype("int64")
        return np.where(np.isnat(review_due), NAT, anchor + offset.astype("timedelta64[D]"))

    # The midway window: from (point - leeway) to (point + leeway) of the way to the review's
    # due date; a review held in it is the midway review, due by the window's end.
    opens, closes = at(point - leeway), at(point + leeway)
    keep = ~np.isnat(closes)
    rows = chain.where(keep)
    rows["midpoint"] = opens[keep]
    rows["due_date"] = due_dates(closes[keep], rule)
    mr = from_frame(
        ctx.caseload.midway_reviews,
        rec_id="id:id",
        child_id="text:child_id",
        plan_id="id:plan_id",
        date="day:date",
    )
    mr = attach_plan(ctx, mr, "date")
    row = first_after(rows["plan_id"], rows["midpoint"], mr["plan_id"], mr["date"], strictly=False)
    found = pick(mr["date"], row, NAT)
    next_conf = rows["actual_date"]
    found = np.where(~np.isnat(next_conf) & (found >= next_conf), NAT, found)
    # No midway review is needed when the next conference came before it fell due.
    superseded = np.isnat(found) & ~np.isnat(next_conf) & (next_conf <= rows["due_date"])
    rows["actual_date"] = found
    rows["next_conference"] = next_conf
    rows = _close_window(rows.where(~superseded))
    # A midway review not held before the next conference can no longer be held.
    nxt, closed = rows["next_conference"], rows["closed_date"]
    rows["closed_date"] = np.where(np.isnat(closed) | (nxt < closed), nxt, closed)
    if not rows.n:
        return None
    subject = rows["anchor_id"]
    rows["anchor_date"] = rows["midpoint"]
    return raw(rows, rows["anchor_table"], subject)


@family("escalation_response")
def escalation_response(ctx: Context, rule: Rule) -> Table | None:
    e = from_frame(
        ctx.caseload.escalations,
        rec_id="id:id",
        child_id="text:child_id",
        plan_id="id:plan_id",
        anchor_date="day:raised_on",
        agreed="day:response_due",
        actual_date="day:response_date",
    )
    status = ctx.caseload.escalations["status"].fillna("open").to_numpy(dtype=object)
    keep = status != "withdrawn"
    e, status = e.where(keep), status[keep]
    if not e.n:
        return None
    e["child"] = child_codes(ctx, e["child_id"])
    agreed = ~np.isnat(e["agreed"])
    e["due_date"] = np.where(agreed, e["agreed"], due_dates(e["anchor_date"], rule))
    silent = (status == "resolved") & np.isnat(e["actual_date"])
    reason = np.where(silent, "resolved with no response date recorded", "").astype(object)
    # A response date agreed and recorded on the escalation is its own record: it applies.
    basis = np.where(agreed, BASES.index("plan"), -1).astype("int8")
    words = np.where(
        agreed,
        "the escalation's own record: the response date agreed with the person it was raised with",
        "",
    ).astype(object)
    return raw(e, "escalations", e["rec_id"], reason=reason, basis=basis, basis_text=words)
