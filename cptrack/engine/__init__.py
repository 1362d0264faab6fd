"""The compliance engine: a caseload, a profile and a date in; one frame of findings out.

``evaluate(caseload, profile, as_of)`` returns one row per child, rule and occurrence, for
every rule the profile applies: the timescales (``cptrack.engine.timescales``) and the drift
and delay alerts (``cptrack.engine.drift``). Views, reports and exports read this frame; they
never compute a timescale themselves.

The package is layered, each module importing only those below it:
``base`` (``Context``, the family registry, status and subject codes, event labels) →
``plan_history`` (the caseload as the families read it) → ``timescales`` and ``drift`` (the
rule families) → this module (``evaluate``: runs the families, finishes their rows, builds
the frame). The findings frame it returns, its columns, statuses and rag, and the helpers that
read it, are in ``cptrack.findings``.
"""

from __future__ import annotations

import datetime as dt
import os
import threading

import numpy as np
import pandas as pd

from cptrack.caseload import Caseload
from cptrack.columnar import (
    NO_ID,
    Table,
    concat,
    distinct,
    full,
    order_by,
    pick,
    rank_in_group,
)

# The rule families register themselves in FAMILIES when imported.
from cptrack.engine import drift, timescales  # noqa: F401
from cptrack.engine.base import (  # noqa: F401  (re-exported: callers use engine.<name>)
    CANNOT_TELL,
    DUE,
    EVENT_LABELS,
    FAMILIES,
    KINDS,
    MET,
    MET_LATE,
    NAT_D,
    NYA,
    OPTIONAL,
    OVERDUE,
    RAW_COLUMNS,
    STATUS_CODE,
    SUBJECT_CODE,
    TEXT_COLUMNS,
    Context,
    family,
)
from cptrack.findings import (  # noqa: F401  (the readers are re-exported for convenience)
    COLUMNS,
    DATE_COLUMNS,
    OPEN_STATUSES,
    RAGS,
    STATUSES,
    SUBJECT_TABLES,
    WORST_ORDER,
    as_day,
    child_summary,
    empty_findings,
    findings_for_export,
    findings_to_records,
    next_due,
    plan_schedule,
    upcoming,
)
from cptrack.rules import workdays as wd
from cptrack.rules.profiles import BASES, Profile, Rule
from cptrack.rules.sources import short_citation  # noqa: F401  (re-exported)

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
    complete = _finalise(raw, ctx) if cutoff is None or "drift" in kinds else None
    timescale = (
        complete if cutoff is None else _finalise([(r, _recent(t, cutoff)) for r, t in raw], ctx)
    )
    # The drift families read the timescale rows from the context (set before they run).
    ctx.timescale = complete if complete is not None else timescale
    parts = [timescale] if "timescale" in kinds else []
    if "drift" in kinds:
        drift_rules = [r for r in profile.applied_rules if r.kind == "drift"]
        found = ctx.map(lambda r: _recent(FAMILIES[r.event](ctx, r), cutoff), drift_rules)
        parts.append(_finalise(list(zip(drift_rules, found, strict=True)), ctx))
    return _to_frame(concat(parts, map=ctx.map), caseload, ctx)


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


# ---------------------------------------------------------------------------
# From raw rows to findings


class TextPool:
    """Distinct texts of one evaluation, each with an int code (0 is ""): text columns are
    built as codes and become pandas Categoricals at the end, so a million rows cost a
    million ints, not a million string copies."""

    def __init__(self) -> None:
        self.words: list[str] = [""]
        self.index: dict[str, int] = {"": 0}
        self.strangers: dict[str, int] = {}
        self.lock = threading.Lock()

    def code(self, word: str) -> int:
        found = self.index.get(word)
        if found is None:
            with self.lock:
                found = self.index.get(word)
                if found is None:
                    found = self.index[word] = len(self.words)
                    self.words.append(word)
        return found

    def codes(self, values) -> np.ndarray:
        """Codes for an array of texts (None reads as "")."""
        values = np.asarray(values, dtype=object)
        if not len(values):
            return np.zeros(0, dtype="int64")
        local, uniques = pd.factorize(values)
        mapping = np.array([self.code(str(w)) for w in uniques] + [0], dtype="int64")
        return mapping[local]  # -1 (None) takes the trailing 0

    def categorical(self, codes: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, categories=pd.Index(self.words, dtype=object))


def _stranger(pool: TextPool, child_id: str) -> int:
    """The index of a child id not among the caseload's children (kept with the texts)."""
    with pool.lock:
        return pool.strangers.setdefault(child_id, len(pool.strangers))


def _pool(ctx: Context) -> TextPool:
    return ctx.shared("text_pool", lambda c: TextPool())


def _dtype(name: str):
    if name.endswith("_date"):
        return "datetime64[D]"
    if name in ("plan_id", "subject_id", "child", "occurrence", *TEXT_COLUMNS):
        return "int64"
    if name == "hours_late":
        return "float64"
    if name in ("late", "status", "subject_table", "basis"):
        return "int8"
    return object


def _combine(parts: list[tuple[Rule, Table]], pool: TextPool) -> tuple[Table, np.ndarray]:
    """One table of raw rows from every rule's: each column allocated once and filled part by
    part; optional columns a part lacks keep their default; texts become pool codes."""
    sizes = [t.n for _, t in parts]
    total = sum(sizes)
    starts = np.cumsum([0, *sizes])
    names = [k for k in RAW_COLUMNS if k != "child_id"] + ["occurrence", *OPTIONAL]
    out = Table()
    for k in names:
        dtype = _dtype(k)
        default = OPTIONAL.get(k)
        if k in TEXT_COLUMNS:
            default = 0
        if k in OPTIONAL and not any(k in t for _, t in parts):
            out[k] = np.full(total, default, dtype=dtype)
            continue
        column = (
            np.empty(total, dtype=dtype)
            if k not in OPTIONAL
            else np.full(total, default, dtype=dtype)
        )
        for (_, t), a, b in zip(parts, starts[:-1], starts[1:], strict=True):
            if k not in t:
                continue
            values = t[k]
            if k in TEXT_COLUMNS:
                values = pool.codes(full(b - a, values))
            elif k in ("status", "subject_table"):  # given by name: drift presets, tables
                names = STATUS_CODE if k == "status" else SUBJECT_CODE
                if isinstance(values, str):
                    values = names[values]
                elif isinstance(values, np.ndarray) and values.dtype == object:
                    values = np.array([names[v] for v in values], dtype="int8")
            column[a:b] = values
        out[k] = column
    rule_no = np.repeat(np.arange(len(parts), dtype="int32"), sizes)
    return out, rule_no


# Rows are finished in batches of about this many: every step is row by row, and batches keep
# the dozens of intermediate columns small enough to be reused from one batch to the next
# instead of each being a fresh allocation the size of the whole caseload's findings.
BATCH_ROWS = 1 << 18


def _finalise(parts: list[tuple[Rule, Table | None]], ctx: Context) -> Table:
    """Statuses, deltas, rag and words for the raw rows of each rule (rows not yet sorted)."""
    parts = [(r, t) for r, t in parts if t is not None and t.n]
    if not parts:
        return Table()
    parts = ctx.map(lambda part: (part[0], _numbered(part[1], ctx)), parts)
    batches = list(_batches(parts, BATCH_ROWS))
    return concat(ctx.map(lambda b: _finalise_batch(b, ctx), batches), map=ctx.map)


def _numbered(t: Table, ctx: Context) -> Table:
    """A rule's rows with their ``occurrence``: 1, 2, ... for each child in due-date order
    (undated last, ties in the order the family gave them), as the findings frame sorts them."""
    child = full(t.n, t["child"])
    strange = np.flatnonzero(child < 0)
    if len(strange):
        # A child not in the caseload's children (code -1) gets a negative code, -2 - k, for
        # the k-th such id in ``strangers``: no column of ids is carried for all the others.
        pool, ids = _pool(ctx), full(t.n, t.get("child_id", ""))
        child = child.copy()
        child[strange] = [-2 - _stranger(pool, str(i)) for i in ids[strange]]
    order = order_by(child, _undated_last(full(t.n, t["due_date"])))
    occurrence = np.empty(t.n, dtype="int64")
    occurrence[order] = rank_in_group(child[order]) + 1
    return Table(t, child=child, occurrence=occurrence)


def _undated_last(due: np.ndarray) -> np.ndarray:
    """Due dates as day numbers that sort rows without one after the rest."""
    days = due.view("int64")
    undated = days == NAT_INT
    if not undated.any():
        return days
    return np.where(undated, days[~undated].max() + 1 if (~undated).any() else 0, days)


def _batches(parts: list[tuple[Rule, Table]], size: int):
    """Consecutive parts grouped into batches of at most ``size`` rows (a part with more
    rows is cut into slices of ``size``)."""
    batch, rows = [], 0
    for rule, t in parts:
        for start in range(0, t.n, size):
            piece = t if t.n <= size else _slice(t, start, start + size)
            if batch and rows + piece.n > size:
                yield batch
                batch, rows = [], 0
            batch.append((rule, piece))
            rows += piece.n
    if batch:
        yield batch


def _slice(t: Table, start: int, stop: int) -> Table:
    """Rows ``start:stop`` of a family's table (views; scalar columns stay scalars)."""
    return Table({k: v[start:stop] if isinstance(v, np.ndarray) else v for k, v in t.items()})


def _finalise_batch(parts: list[tuple[Rule, Table]], ctx: Context) -> Table:
    rules = [r for r, _ in parts]
    pool = _pool(ctx)
    raw, rule_no = _combine(parts, pool)
    n = raw.n
    as_of = ctx.as_of
    amber = int(ctx.settings["amber_window_wd"])

    due = raw["due_date"]
    actual = raw["actual_date"]
    closed = raw["closed_date"]
    reason = raw["reason"]
    nya = raw["nya"]
    has_actual = ~np.isnat(actual)
    decided = raw["late"]
    late = np.where(decided >= 0, decided == 1, actual > due)
    status = np.where(
        reason != 0,
        CANNOT_TELL,
        np.where(
            nya != 0,
            NYA,
            np.where(
                has_actual, np.where(late, MET_LATE, MET), np.where(as_of > due, OVERDUE, DUE)
            ),
        ),
    ).astype("int8")
    preset = raw["status"]
    status = np.where(preset >= 0, preset, status).astype("int8")

    safe_due = _safe(due)
    end_ref = np.where(np.isnat(closed) | (closed > as_of), as_of, closed).astype("datetime64[D]")
    compare_to = _safe(np.where(has_actual, actual, end_ref).astype("datetime64[D]"))
    lateness_known = (status == MET) | (status == MET_LATE) | (status == OVERDUE)
    # An alert whose status its family set (a plan past 2 years, a repeat plan, a change of
    # chair) is a state to act on, not a task late by so many days: no lateness is counted.
    lateness_known &= ~np.isnat(due) & (preset < 0)
    wd_late = _int_or_na(wd.working_days_between_array(safe_due, compare_to), lateness_known)
    days_late = _int_or_na((compare_to - safe_due).astype("int64"), lateness_known)
    is_due = (status == DUE) & ~np.isnat(due)
    wd_to_due = np.full(n, NA_INT, dtype="int64")
    due_rows = np.flatnonzero(is_due)
    wd_to_due[due_rows] = wd.working_days_between_array(
        np.full(len(due_rows), as_of), safe_due[due_rows]
    )

    drift_rule = np.array([r.kind == "drift" for r in rules], dtype=bool)[rule_no]
    rag = np.zeros(n, dtype="int8")
    rag[status == OVERDUE] = 1
    rag[status == CANNOT_TELL] = 2
    rag[is_due] = 3
    rag[(is_due & (wd_to_due <= amber)) | ((status == DUE) & drift_rule)] = 2

    unit_kind = np.array([_unit_kind(r) for r in rules], dtype=np.int8)[rule_no]
    magnitude = np.where(unit_kind == 0, wd_late, days_late)
    if any(r.unit == "hours" for r in rules):
        timed = np.flatnonzero(np.isfinite(raw["hours_late"]) & (status == MET_LATE))
        unit_kind[timed] = 2
        magnitude[timed] = raw["hours_late"][timed].astype("int64")
    days_to_due = (safe_due - as_of).astype("int64")
    to_due = np.where(unit_kind == 0, wd_to_due, days_to_due)
    magnitude = np.where(status == DUE, to_due, magnitude)
    # The window to act closed (the plan ended, the conference the report was for was held,
    # a later review took the plan over): what is still open there is history, not live.
    window_closed = ~np.isnat(closed) & (closed <= as_of)
    ended = window_closed & (status == OVERDUE)
    status_text = _status_texts(pool, status, unit_kind, magnitude, ended, reason, nya)
    preset_text = raw["status_text"]
    status_text = np.where(preset_text != 0, preset_text, status_text)
    # Booked for a day after it is due: it will be late unless moved, so never green.
    booked = raw["booked_date"]
    booked_late = np.flatnonzero(is_due & ~np.isnat(booked) & (booked > safe_due))
    if len(booked_late):
        rag[booked_late] = 2
        after = wd.working_days_between_array(safe_due[booked_late], booked[booked_late])
        status_text[booked_late] = [
            pool.code(_booked_late_text(int(a), int(wd_to_due[i])))
            for a, i in zip(after.tolist(), booked_late.tolist(), strict=True)
        ]

    chair = ctx.profile.chair_role
    labels = [EVENT_LABELS.get(r.event, r.event).format(chair=chair) for r in rules]
    message = _messages(pool, rule_no, labels, rules, status_text)
    rule_basis = np.array([BASES.index(r.figure_basis) for r in rules], dtype="int8")[rule_no]
    basis = np.where(raw["basis"] >= 0, raw["basis"], rule_basis).astype("int8")
    rule_words = np.array([pool.code(r.basis_text) for r in rules], dtype="int64")[rule_no]
    basis_text = np.where(raw["basis_text"] != 0, raw["basis_text"], rule_words)

    ranks = {rid: i for i, rid in enumerate(sorted(r.id for r in ctx.profile.rules))}
    return Table(
        child=raw["child"],
        occurrence=raw["occurrence"],
        plan_id=raw["plan_id"],
        rule_rank=np.array([ranks[r.id] for r in rules], dtype="int16")[rule_no],
        subject_table=raw["subject_table"],
        subject_id=raw["subject_id"],
        anchor_date=raw["anchor_date"],
        due_date=due,
        actual_date=actual,
        status=status,
        status_text=status_text,
        working_days_late=wd_late,
        days_late=days_late,
        working_days_to_due=wd_to_due,
        rag=rag,
        message=message,
        basis=basis,
        basis_text=basis_text,
        booked_date=raw["booked_date"],
        live=~window_closed
        & ((status == DUE) | (status == OVERDUE) | (status == CANNOT_TELL) | (status == NYA)),
    )


NA_INT = np.iinfo("int64").min
INT_COLUMNS = ("working_days_late", "days_late", "working_days_to_due")
RULE_COLUMNS = {
    "rule_id": "id",
    "kind": "kind",
    "event": "event",
    "rule_text": "text",
    "citation": "cited",
}


def _category(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    """A Categorical from codes already checked (the smallest code type pandas would pick)."""
    size = len(categories)
    dtype = "int8" if size < 127 else "int16" if size < 32_000 else "int32"
    return pd.Categorical.from_codes(
        codes.astype(dtype, copy=False),
        categories=pd.Index(categories, dtype=object),
        validate=False,
    )


def _rule_category(rules: list[Rule], attribute: str, rank: np.ndarray) -> pd.Categorical:
    """A rule attribute (text, citation, ...) for each row, from the row's rule rank."""
    values = [str(getattr(r, attribute)) for r in rules]
    if attribute == "id":  # ranks are positions in the rules sorted by id: the codes already
        return _category(rank, values)
    uniques = sorted(set(values))
    lut = np.array([uniques.index(v) for v in values], dtype="int16")
    return _category(lut[rank], uniques)


def _days_as_us(days: np.ndarray) -> np.ndarray:
    """datetime64[D] to datetime64[us] in place (the array is a fresh copy)."""
    ints = days.view("int64")
    missing = ints == NAT_INT
    ints *= 86_400_000_000
    ints[missing] = NAT_INT
    return ints.view("datetime64[us]")


NAT_INT = np.iinfo("int64").min


def _to_frame(t: Table, caseload: Caseload, ctx: Context) -> pd.DataFrame:
    """The findings frame: sorted by child, due date and rule; occurrences numbered; text as
    Categoricals of str."""
    if not t.n:
        return empty_findings()
    # Children sort by id: each child's row in caseload.children ranked by id.
    ids = caseload.children["id"].to_numpy(dtype=object).astype(str)
    by_id = np.argsort(ids, kind="stable")
    rank = np.empty(len(ids), dtype="int64")
    rank[by_id] = np.arange(len(ids))
    child_names = ids[by_id].tolist()
    codes = t["child"]
    child = pick(rank, codes, len(ids)).astype("int64", copy=False)
    strangers = _pool(ctx).strangers
    if strangers:  # children not in the caseload's children sort last, by id
        names = sorted(strangers)
        position = {strangers[name]: i for i, name in enumerate(names)}
        lut = np.array([position[k] for k in range(len(strangers))], dtype="int64")
        outside = codes < 0
        child = child.copy()
        child[outside] = len(ids) + lut[-2 - codes[outside]]
        child_names += names
    order = order_by(child, _undated_last(t["due_date"]), t["rule_rank"])
    child_sorted, rank_sorted = child[order], t["rule_rank"][order]

    rules = sorted(ctx.profile.rules, key=lambda r: r.id)
    # Texts are numbered as they were first met, which on several threads varies from run to
    # run: the categories are put in alphabetical order so that the frame never does.
    words = _pool(ctx).words
    alphabetical = np.argsort(np.array(words, dtype=object), kind="stable")
    renumber = np.empty(len(words), dtype="int64")
    renumber[alphabetical] = np.arange(len(words))
    sorted_words = [words[i] for i in alphabetical]

    def column(name: str):
        if name == "occurrence":
            return t[name][order]
        if name == "child_id":
            return _category(child_sorted, child_names)
        if name in RULE_COLUMNS:
            return _rule_category(rules, RULE_COLUMNS[name], rank_sorted)
        if name == "status":
            return _category(t[name][order], list(STATUSES))
        if name == "rag":
            return _category(t[name][order], list(RAGS))
        if name == "subject_table":
            return _category(t[name][order], list(SUBJECT_TABLES))
        if name in ("status_text", "message", "basis_text"):
            return _category(renumber[t[name]][order], sorted_words)
        if name == "basis":
            return _category(t[name][order], list(BASES))
        if name in ("plan_id", "subject_id"):
            values = t[name][order]
            return pd.arrays.IntegerArray(values, values == NO_ID)
        if name in INT_COLUMNS:
            values = t[name][order]
            return pd.arrays.IntegerArray(values, values == NA_INT)
        if name == "live":
            return t[name][order]
        return _days_as_us(t[name][order])  # dates

    cols = dict(zip(COLUMNS, ctx.map(column, list(COLUMNS)), strict=True))
    return pd.DataFrame(cols, copy=False)


def _days(values) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[D]")


def _safe(days: np.ndarray) -> np.ndarray:
    return np.where(np.isnat(days), np.datetime64("2000-01-03"), days).astype("datetime64[D]")


def _int_or_na(values, keep: np.ndarray) -> np.ndarray:
    """int64 values with NA_INT where not kept (made nullable when the frame is built)."""
    return np.where(keep, np.asarray(values, dtype="int64"), NA_INT)


def _unit_kind(rule: Rule) -> int:
    """0: count in working days; 1: in calendar days."""
    return 0 if rule.unit == "working_days" else 1


UNIT_WORDS = {0: ("working day", "working days"), 1: ("day", "days"), 2: ("hour", "hours")}


def _status_texts(pool, status, unit_kind, magnitude, ended, reason, nya) -> np.ndarray:
    """Words for each status as pool codes, formatted once per distinct combination ("met"
    needs no counting: most rows are met, so the rest are keyed on their own)."""
    out = np.full(len(status), pool.code("met"), dtype="int64")
    rest = np.flatnonzero(status != MET)
    if len(rest):
        out[rest] = _status_text_codes(
            pool,
            status[rest],
            unit_kind[rest],
            magnitude[rest],
            ended[rest],
            reason[rest],
            nya[rest],
        )
    return out


def _status_text_codes(pool, status, unit_kind, magnitude, ended, reason, nya) -> np.ndarray:
    mag = np.clip(magnitude, -(10**5), 10**5) + 10**5
    key = ((status.astype("int64") * 3 + unit_kind) * 2 + ended) * (2 * 10**5 + 1) + mag
    if reason.any() or nya.any():
        key = (key * (len(pool.words) + 1) + reason) * (len(pool.words) + 1) + nya
    codes, first = distinct(key)
    words = pool.words
    mapping = np.array(
        [
            pool.code(
                _status_text(
                    int(status[i]),
                    int(unit_kind[i]),
                    int(magnitude[i]),
                    bool(ended[i]),
                    words[reason[i]],
                    words[nya[i]],
                )
            )
            for i in first
        ],
        dtype="int64",
    )
    return mapping[codes]


def _booked_late_text(after: int, to_due: int) -> str:
    """A due item booked after its due date, both counts in working days: "booked 1 working
    day after it is due (due in 12 working days)"."""

    def wds(n: int) -> str:
        return f"{n} working day{'' if n == 1 else 's'}"

    when = "due today" if to_due == 0 else f"due in {wds(to_due)}"
    return f"booked {wds(after)} after it is due ({when}): move it or record why"


def _status_text(status: int, unit_kind: int, n: int, ended: bool, reason: str, nya: str) -> str:
    one, many = UNIT_WORDS[unit_kind]
    amount = f"{abs(n)} {one if abs(n) == 1 else many}"
    if status == MET:
        return "met"
    if status == MET_LATE:
        return f"met late by {amount}" if n > 0 else "met late (same day)"
    if status == OVERDUE:
        if ended:
            return f"missed: not done when the window closed, {amount} after the due date"
        if n > 0:
            return f"overdue by {amount}"
        # No whole working day has passed since: due on the last working day (a Friday, say,
        # read on the Saturday after).
        return (
            "overdue: due on the last working day"
            if unit_kind == 0
            else ("overdue (due today has passed)")
        )
    if status == DUE:
        return "due today" if n == 0 else f"due in {amount}"
    if status == NYA:
        return f"not yet applicable: {nya}" if nya else "not yet applicable"
    return f"cannot tell: {reason}" if reason else "cannot tell"


def _messages(pool, rule_no, labels, rules, status_text) -> np.ndarray:
    """ "<what> (<timescale>): <status> [<source>]", built once per distinct line. The due
    date is its own column (a date in every line would make millions of distinct lines)."""
    key = rule_no.astype("int64") * (len(pool.words) + 1) + status_text
    codes, first = distinct(key)
    heads = [
        labels[i] if r.kind == "drift" else f"{labels[i]} ({r.describe_timescale()})"
        for i, r in enumerate(rules)
    ]
    cites = [f" [{r.source_label}]" for r in rules]
    words = pool.words
    lines = [
        f"{heads[r]}: {words[t]}{cites[r]}"
        for r, t in zip(rule_no[first].tolist(), status_text[first].tolist(), strict=True)
    ]
    return pool.codes(np.array(lines, dtype=object))[codes]
