"""Timescale rule families: for each event, the occurrences a rule is checked on.

This module holds the conferences' own families (``icpc``, ``first_review`` / ``review``,
``first_core_group``, ``midway_review``); the chains of core groups and visits are in
``cptrack.engine.chains``, the reports, distributions, invitations, birth arrangements and
escalations in ``cptrack.engine.paperwork``, and what they share (due dates, the raw rows)
in ``cptrack.engine.reckoning``.

Each family takes the evaluation context and one profile rule and returns raw rows (child,
plan, subject record, anchor, due and actual dates, and what is missing when something is);
``cptrack.engine.finishing`` turns them into findings. Everything is done on whole columns
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

import numpy as np

from cptrack.columnar import (
    NAT,
    NO_ID,
    Table,
    concat,
    first_after,
    first_in_group,
    from_frame,
    last_on_or_before,
    lookup,
    pick,
)
from cptrack.engine.base import SUBJECT_CODE as S
from cptrack.engine.base import Context, family
from cptrack.engine.plan_history import (
    attach_plan,
    child_codes,
    conferences,
    core_groups,
    making,
    review_chain,
)
from cptrack.engine.reckoning import close_window, due_dates, raw
from cptrack.rules.profiles import Rule

EARLY = np.datetime64("1900-01-01", "D")


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
    rows = close_window(rows)
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
    mk = close_window(mk)
    if not mk.n:
        return None
    done = ~np.isnat(mk["actual_date"])
    return raw(
        mk,
        np.where(done, S["core_groups"], mk["anchor_table"]),
        np.where(done, mk["actual_id"], mk["anchor_id"]),
    )


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
    rows = close_window(rows.where(~superseded))
    # A midway review not held before the next conference can no longer be held.
    nxt, closed = rows["next_conference"], rows["closed_date"]
    rows["closed_date"] = np.where(np.isnat(closed) | (nxt < closed), nxt, closed)
    if not rows.n:
        return None
    subject = rows["anchor_id"]
    rows["anchor_date"] = rows["midpoint"]
    return raw(rows, rows["anchor_table"], subject)
