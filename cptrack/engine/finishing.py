"""From the families' raw rows to finished rows: every rule's rows combined into columns,
occurrences numbered, statuses, lateness, rag, words and basis worked out, in batches. Texts
are kept as codes in one ``TextPool`` per evaluation."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd

from cptrack.columnar import Table, concat, full, order_by, rank_in_group
from cptrack.engine.base import (
    CANNOT_TELL,
    DUE,
    EVENT_LABELS,
    MET,
    MET_LATE,
    NYA,
    OPTIONAL,
    OVERDUE,
    RAW_COLUMNS,
    STATUS_CODE,
    SUBJECT_CODE,
    TEXT_COLUMNS,
    Context,
)
from cptrack.engine.wording import booked_late_text, messages, status_texts
from cptrack.rules import workdays as wd
from cptrack.rules.profiles import BASES, Rule


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


def text_pool(ctx: Context) -> TextPool:
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


def finalise(parts: list[tuple[Rule, Table | None]], ctx: Context) -> Table:
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
        pool, ids = text_pool(ctx), full(t.n, t.get("child_id", ""))
        child = child.copy()
        child[strange] = [-2 - _stranger(pool, str(i)) for i in ids[strange]]
    order = order_by(child, undated_last(full(t.n, t["due_date"])))
    occurrence = np.empty(t.n, dtype="int64")
    occurrence[order] = rank_in_group(child[order]) + 1
    return Table(t, child=child, occurrence=occurrence)


def undated_last(due: np.ndarray) -> np.ndarray:
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
    pool = text_pool(ctx)
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
    status_text = status_texts(pool, status, unit_kind, magnitude, ended, reason, nya)
    preset_text = raw["status_text"]
    status_text = np.where(preset_text != 0, preset_text, status_text)
    # Booked for a day after it is due: it will be late unless moved, so never green.
    booked = raw["booked_date"]
    booked_late = np.flatnonzero(is_due & ~np.isnat(booked) & (booked > safe_due))
    if len(booked_late):
        rag[booked_late] = 2
        after = wd.working_days_between_array(safe_due[booked_late], booked[booked_late])
        status_text[booked_late] = [
            pool.code(booked_late_text(int(a), int(wd_to_due[i])))
            for a, i in zip(after.tolist(), booked_late.tolist(), strict=True)
        ]

    chair = ctx.profile.chair_role
    labels = [EVENT_LABELS.get(r.event, r.event).format(chair=chair) for r in rules]
    message = messages(pool, rule_no, labels, rules, status_text)
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

NAT_INT = np.iinfo("int64").min


def _safe(days: np.ndarray) -> np.ndarray:
    return np.where(np.isnat(days), np.datetime64("2000-01-03"), days).astype("datetime64[D]")


def _int_or_na(values, keep: np.ndarray) -> np.ndarray:
    """int64 values with NA_INT where not kept (made nullable when the frame is built)."""
    return np.where(keep, np.asarray(values, dtype="int64"), NA_INT)


def _unit_kind(rule: Rule) -> int:
    """0: count in working days; 1: in calendar days."""
    return 0 if rule.unit == "working_days" else 1
