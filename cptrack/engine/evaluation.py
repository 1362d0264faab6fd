"""``evaluate``: runs the rule families over a caseload, on one thread or several, finishes
their rows (``cptrack.engine.finishing``) and builds the findings frame
(``cptrack.engine.frame``)."""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pandas as pd

from cptrack.caseload import Caseload
from cptrack.columnar import Table, concat, full

# The rule families register themselves in FAMILIES when imported.
from cptrack.engine import chains, drift, paperwork, timescales  # noqa: F401
from cptrack.engine.base import FAMILIES, NAT_D, Context
from cptrack.engine.finishing import finalise
from cptrack.engine.frame import to_frame
from cptrack.findings import as_day
from cptrack.rules.profiles import Profile

# Caseloads of at least this many children are evaluated on several threads (one a core, or
# CPTRACK_THREADS); smaller ones, a team's or a child's, on the calling thread alone: measured
# on 2 cores, two threads gain nothing at 2,000 children, a fifth at 5,000, a quarter at 10,000.
PARALLEL_MIN_CHILDREN = 5_000


def _threads(caseload: Caseload) -> int:
    if caseload.size < PARALLEL_MIN_CHILDREN:
        return 1
    setting = os.environ.get("CPTRACK_THREADS")
    if setting:
        return max(1, int(setting))
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def evaluate(
    caseload: Caseload,
    profile: Profile,
    as_of: dt.date | str,
    *,
    kinds: tuple[str, ...] = ("timescale", "drift"),
    since: dt.date | str | None = None,
) -> pd.DataFrame:
    """Every applied rule of ``profile`` over ``caseload`` as at ``as_of``: the findings frame.

    ``since`` leaves out what was settled before that date: items met (or missed, their
    window closed) with a due date before it. Open items are always kept, so the current
    position is the same with or without it; dashboards that show only the present use it
    to skip years of history. Occurrences are numbered within the rows returned.
    """
    ctx = Context(caseload, profile, as_day(as_of), threads=_threads(caseload))
    cutoff = as_day(since) if since is not None else None
    # Drift reads the timescale findings, so they are worked out whenever either is asked for;
    # it counts settled history too (visits missed in the last three months, say), so it reads
    # every timescale row, not only those ``since`` keeps.
    rules = [r for r in profile.applied_rules if r.kind == "timescale"]
    raw = list(zip(rules, ctx.map(lambda r: FAMILIES[r.event](ctx, r), rules), strict=True))
    complete = finalise(raw, ctx) if cutoff is None or "drift" in kinds else None
    timescale = (
        complete if cutoff is None else finalise([(r, _recent(t, cutoff)) for r, t in raw], ctx)
    )
    # The drift families read the timescale rows from the context (set before they run).
    ctx.timescale = complete if complete is not None else timescale
    parts = [timescale] if "timescale" in kinds else []
    if "drift" in kinds:
        drift_rules = [r for r in profile.applied_rules if r.kind == "drift"]
        found = ctx.map(lambda r: _recent(FAMILIES[r.event](ctx, r), cutoff), drift_rules)
        parts.append(finalise(list(zip(drift_rules, found, strict=True)), ctx))
    return to_frame(concat(parts, map=ctx.map), caseload, ctx)


def _recent(t: Table | None, cutoff: np.datetime64 | None) -> Table | None:
    """Rows still open, or due on or after ``cutoff`` (all rows when there is no cutoff)."""
    if t is None or cutoff is None or not t.n:
        return t
    due = full(t.n, t["due_date"])
    actual = full(t.n, t["actual_date"])
    closed = full(t.n, t["closed_date"]) if "closed_date" in t else np.full(t.n, NAT_D)
    still_open = np.isnat(actual) & (np.isnat(closed) | (closed >= cutoff))
    keep = np.isnat(due) | (due >= cutoff) | still_open
    return Table({k: full(t.n, v)[keep] for k, v in t.items()})
