"""The findings frame from the finished rows: sorted by child, due date and rule, texts and
rule attributes as Categoricals, nullable integers, dates as datetime64[us]."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cptrack.caseload import Caseload
from cptrack.columnar import NO_ID, Table, order_by, pick
from cptrack.engine.base import Context
from cptrack.engine.finishing import NA_INT, NAT_INT, text_pool, undated_last
from cptrack.findings import COLUMNS, RAGS, STATUSES, SUBJECT_TABLES, empty_findings
from cptrack.rules.profiles import BASES, Rule

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


def to_frame(t: Table, caseload: Caseload, ctx: Context) -> pd.DataFrame:
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
    strangers = text_pool(ctx).strangers
    if strangers:  # children not in the caseload's children sort last, by id
        names = sorted(strangers)
        position = {strangers[name]: i for i, name in enumerate(names)}
        lut = np.array([position[k] for k in range(len(strangers))], dtype="int64")
        outside = codes < 0
        child = child.copy()
        child[outside] = len(ids) + lut[-2 - codes[outside]]
        child_names += names
    order = order_by(child, undated_last(t["due_date"]), t["rule_rank"])
    child_sorted, rank_sorted = child[order], t["rule_rank"][order]

    rules = sorted(ctx.profile.rules, key=lambda r: r.id)
    # Texts are numbered as they were first met, which on several threads varies from run to
    # run: the categories are put in alphabetical order so that the frame never does.
    words = text_pool(ctx).words
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
