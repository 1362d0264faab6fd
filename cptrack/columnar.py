"""Light-weight tables of numpy columns, and the joins the engine needs, without pandas' cost.

The engine evaluates whole caseloads at once, and a child view evaluates a caseload of one:
both must be fast. pandas costs about a millisecond per merge or group-by whatever the size,
which dominates a one-child evaluation, so the rule families work on ``Table``s: a dict of
equal-length numpy arrays with filtering, sorting and key look-ups done by numpy (sorting and
``searchsorted``), which cost microseconds on small tables and scale like pandas on big ones.

Conventions: ids are ``int64`` with ``-1`` for none; dates are ``datetime64[D]`` with NaT for
none; text is an ``object`` array; yes/no is ``bool`` (missing read as the model's default).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

NAT = np.datetime64("NaT", "D")
NO_ID = -1


class Table(dict):
    """Named numpy columns of one length. ``n`` is the number of rows."""

    @property
    def n(self) -> int:
        for v in self.values():
            return len(v)
        return 0

    def where(self, mask: np.ndarray) -> Table:
        return Table({k: v[mask] for k, v in self.items()})

    def take(self, index: np.ndarray) -> Table:
        return Table({k: v[index] for k, v in self.items()})

    def sorted(self, *keys: str) -> Table:
        """Rows ordered by the keys (first key most significant), ties in their present
        order; NaT and -1 sort first."""
        if self.n < 2:
            return self
        return self.take(order_by(*(self[k] for k in keys)))

    def with_columns(self, **columns) -> Table:
        """A copy with columns added or replaced; scalars are repeated to the table's length."""
        n = self.n
        out = Table(self)
        for k, v in columns.items():
            out[k] = full(n, v)
        return out


def full(n: int, value) -> np.ndarray:
    """``value`` as a column of length ``n`` (an array is returned as it is)."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, np.datetime64):
        return np.full(n, value, dtype="datetime64[D]")
    if isinstance(value, bool | np.bool_):
        return np.full(n, bool(value))
    if isinstance(value, int | np.integer):
        return np.full(n, value, dtype="int64")
    if isinstance(value, float):
        return np.full(n, value)
    if isinstance(value, list | tuple | pd.Series | pd.api.extensions.ExtensionArray):
        return np.asarray(value)
    out = np.empty(n, dtype=object)
    out[:] = value
    return out


def sortable(values: np.ndarray) -> np.ndarray:
    """Integers that sort like the values (dates as day numbers, NaT first)."""
    if values.dtype.kind == "M":
        return values.astype("datetime64[D]").view("int64")
    if values.dtype.kind == "b":
        return values.astype("int64")
    return values


def order_by(*keys: np.ndarray) -> np.ndarray:
    """A stable sort order by integer or date keys, first key most significant.

    When the keys' ranges and the row number fit in 63 bits they are packed into one int64
    per row and sorted by value: numpy sorts plain integers with the processor's vector
    instructions, several times faster than it sorts indexes stably (4.5 million rows by
    child, date and rule: 0.1 s). Keys too wide to pack are ordered by ``np.lexsort``.
    """
    n = len(keys[0])
    fields, bits = [], []
    for key in keys:
        k = sortable(key).astype("int64", copy=False)
        low, high = int(k.min()), int(k.max())
        if key.dtype.kind == "M" and low == np.iinfo("int64").min:  # NaT: one below the rest
            valid = k[k != low]
            floor = int(valid.min()) - 1 if len(valid) else 0
            k = np.where(k == low, floor, k)
            low, high = floor, (int(valid.max()) if len(valid) else floor)
        fields.append(k - low if low else k)
        bits.append(max(int(high - low).bit_length(), 1))
    row_bits = max(int(n - 1).bit_length(), 1)
    if sum(bits) + row_bits > 63:
        return np.lexsort([sortable(k) for k in reversed(keys)])
    packed = np.zeros(n, dtype="int64")
    for f, b in zip(fields, bits, strict=True):
        packed = (packed << b) | f
    packed = (packed << row_bits) | np.arange(n, dtype="int64")
    return np.sort(packed) & ((1 << row_bits) - 1)


def ids(values) -> np.ndarray:
    """Ids as int64 with -1 for none (from an Int64 Series, a list, or an array)."""
    if isinstance(values, pd.Series):
        values = values.array
    if isinstance(values, pd.arrays.IntegerArray):
        return values.to_numpy(dtype="int64", na_value=NO_ID)
    if isinstance(values, np.ndarray) and values.dtype.kind == "i":
        return values.astype("int64", copy=False)
    return pd.array(values, dtype="Int64").to_numpy(dtype="int64", na_value=NO_ID)


def days(values) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values if values.dtype == "datetime64[D]" else values.astype("datetime64[D]")
    return np.asarray(values, dtype="datetime64[D]")


def flags(values: pd.Series, default: bool) -> np.ndarray:
    arr = values.array
    if isinstance(arr, pd.arrays.BooleanArray):
        return arr.to_numpy(dtype=bool, na_value=default)
    return values.fillna(default).to_numpy(dtype=bool)


def text(values: pd.Series) -> np.ndarray:
    out = values.to_numpy(dtype=object)
    return np.where(pd.isna(out), None, out) if len(out) else out


def lookup(keys: np.ndarray, table_keys: np.ndarray) -> np.ndarray:
    """For each key, the row of ``table_keys`` holding it (-1 when none). Table keys are
    unique; -1 keys never match."""
    if len(table_keys) == 0 or len(keys) == 0:
        return np.full(len(keys), -1, dtype="int64")
    low, high = int(table_keys.min()), int(table_keys.max())
    if low >= 0 and high < 8 * len(table_keys) + 1024:
        # Dense keys (a database's ids): a table from key to row, and one gather.
        rows = np.full(high + 2, -1, dtype="int64")  # the last slot answers keys out of range
        rows[table_keys] = np.arange(len(table_keys))
        return rows[np.where((keys >= 0) & (keys <= high), keys, high + 1)]
    order = np.argsort(table_keys, kind="stable")
    sorted_keys = table_keys[order]
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, len(sorted_keys) - 1)
    found = (sorted_keys[pos] == keys) & (keys != NO_ID)
    return np.where(found, order[pos], -1)


def lookup_text(keys: np.ndarray, table_keys: np.ndarray) -> np.ndarray:
    """``lookup`` for text keys (child ids)."""
    if len(table_keys) == 0 or len(keys) == 0:
        return np.full(len(keys), -1, dtype="int64")
    return pd.Index(table_keys).get_indexer(keys).astype("int64")


def pick(values: np.ndarray, rows: np.ndarray, fill) -> np.ndarray:
    """``values[rows]`` with ``fill`` where ``rows`` is -1."""
    if len(values) == 0:
        return full(len(rows), fill)
    out = values[np.maximum(rows, 0)]
    if (rows < 0).any():
        out = out.copy()
        out[rows < 0] = fill
    return out


def next_in_group(groups: np.ndarray, values: np.ndarray, fill) -> np.ndarray:
    """Each row's following value within its group (rows already sorted by group)."""
    out = full(len(values), fill).copy() if len(values) else values.copy()
    if len(values) > 1:
        same = groups[1:] == groups[:-1]
        out[:-1] = np.where(same, values[1:], out[:-1])
    return out


def previous_in_group(groups: np.ndarray, values: np.ndarray, fill) -> np.ndarray:
    """Each row's value in the row before it of the same group (``fill`` for a group's first),
    of the values' own dtype (texts stay whole)."""
    out = np.full(len(values), fill, dtype=values.dtype)
    if len(values) > 1:
        same = groups[1:] == groups[:-1]
        out[1:] = np.where(same, values[:-1], out[1:])
    return out


def rank_in_group(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal groups (rows already sorted by group)."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype="int64")
    starts = np.r_[True, groups[1:] != groups[:-1]]
    start_index = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    return np.arange(n) - start_index


def first_in_group(groups: np.ndarray) -> np.ndarray:
    """Mask of the first row of each run of equal groups (rows sorted by group)."""
    if len(groups) == 0:
        return np.zeros(0, dtype=bool)
    return np.r_[True, groups[1:] != groups[:-1]]


def first_after(
    left_group: np.ndarray,
    left_day: np.ndarray,
    right_group: np.ndarray,
    right_day: np.ndarray,
    *,
    strictly: bool = True,
) -> np.ndarray:
    """For each left row, the row of ``right`` in the same group with the earliest day after
    (or, ``strictly=False``, on or after) the left day; -1 when none. Groups are int64 ids."""
    out = np.full(len(left_group), -1, dtype="int64")
    ok_right = (right_group != NO_ID) & ~np.isnat(right_day)
    if not ok_right.any() or len(left_group) == 0:
        return out
    r_index = np.flatnonzero(ok_right)
    r_key = _group_day_key(right_group[r_index], right_day[r_index])
    order = np.argsort(r_key, kind="stable")
    r_key, r_index = r_key[order], r_index[order]
    ok_left = (left_group != NO_ID) & ~np.isnat(left_day)
    l_key = _group_day_key(
        np.where(ok_left, left_group, 0),
        np.where(ok_left, left_day, np.datetime64("2000-01-01", "D")),
    )
    pos = np.searchsorted(r_key, l_key + (1 if strictly else 0), side="left")
    inside = pos < len(r_key)
    pos_c = np.minimum(pos, len(r_key) - 1)
    same_group = (r_key[pos_c] >> 20) == (l_key >> 20)
    hit = ok_left & inside & same_group
    out[hit] = r_index[pos_c[hit]]
    return out


def _group_day_key(group: np.ndarray, day: np.ndarray) -> np.ndarray:
    """A sortable int64 key: group in the high bits, days since 1970 (+2^19) in the low 20."""
    return (group.astype("int64") << 20) + (day.astype("datetime64[D]").view("int64") + (1 << 19))


def concat(tables: Iterable[Table], map=None) -> Table:
    """The tables' rows one after another; ``map`` (like the engine's ``Context.map``) joins
    the columns, a column a thread (the builtin ``map`` when not given)."""
    tables = [t for t in tables if t.n]
    if not tables:
        return Table()
    names = list(dict.fromkeys(k for t in tables for k in t))
    joined = (map or _map)(lambda k: np.concatenate([t[k] for t in tables]), names)
    return Table(zip(names, joined, strict=True))


def _map(fn, items) -> list:
    return [fn(x) for x in items]


def from_frame(frame: pd.DataFrame, **spec: str) -> Table:
    """A Table from a caseload frame; ``spec`` maps new names to "kind:column" with kind one
    of id, day, text, bool_true, bool_false, int (missing ints read as -1)."""
    out = Table()
    for name, how in spec.items():
        kind, _, col = how.partition(":")
        values = frame[col]
        if kind == "id" or kind == "int":
            out[name] = ids(values)
        elif kind == "day":
            out[name] = days(values)
        elif kind == "text":
            out[name] = values.to_numpy(dtype=object)
        elif kind == "bool_true":
            out[name] = flags(values, True)
        elif kind == "bool_false":
            out[name] = flags(values, False)
        else:
            raise ValueError(f"unknown column kind {kind!r}")
    return out


def last_on_or_before(
    left_group: np.ndarray,
    left_day: np.ndarray,
    right_group: np.ndarray,
    right_day: np.ndarray,
    *,
    strictly: bool = False,
) -> np.ndarray:
    """For each left row, the row of ``right`` in the same group with the latest day on or
    before (``strictly``: before) the left day; -1 when none."""
    out = np.full(len(left_group), -1, dtype="int64")
    ok_right = (right_group != NO_ID) & ~np.isnat(right_day)
    if not ok_right.any() or len(left_group) == 0:
        return out
    r_index = np.flatnonzero(ok_right)
    r_key = _group_day_key(right_group[r_index], right_day[r_index])
    order = np.argsort(r_key, kind="stable")
    r_key, r_index = r_key[order], r_index[order]
    ok_left = (left_group != NO_ID) & ~np.isnat(left_day)
    l_key = _group_day_key(
        np.where(ok_left, left_group, 0),
        np.where(ok_left, left_day, np.datetime64("2000-01-01", "D")),
    )
    pos = np.searchsorted(r_key, l_key - (1 if strictly else 0), side="right") - 1
    inside = pos >= 0
    pos_c = np.maximum(pos, 0)
    same_group = (r_key[pos_c] >> 20) == (l_key >> 20)
    hit = ok_left & inside & same_group
    out[hit] = r_index[pos_c[hit]]
    return out


def distinct(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes 0..u-1 for the distinct values of an int64 key, and one row holding each.

    Keys spanning no more than eight times as many values as there are rows are counted in
    a table (linear time); wider ones go through ``pandas.factorize`` (a table of millions
    of slots for a few hundred rows costs more than the rows).
    """
    n = len(key)
    if n == 0:
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    low = int(key.min())
    span = int(key.max()) - low + 1
    if span > max(8 * n, 1 << 16):
        codes, uniques = pd.factorize(key)
        rep = np.zeros(len(uniques), dtype="int64")
        rep[codes] = np.arange(n)
        return codes.astype("int64"), rep
    offset = key - low
    rows = np.empty(span, dtype="int64")
    rows[offset] = np.arange(n)  # some row with each key (all such rows are alike)
    present = np.zeros(span, dtype=bool)
    present[offset] = True
    uniques = np.flatnonzero(present)
    lut = np.empty(span, dtype="int64")
    lut[uniques] = np.arange(len(uniques))
    return lut[offset], rows[uniques]
