"""Loading a caseload: one pandas frame per kind of record, typed, for the engine and views.

Reads go one way: store → ``Caseload`` frames → engine → views. A caseload can be the whole
database, one chair's children, one team's, or a list of children (a child view is the same
engine on a one-child caseload). Related records follow their children: a chair's caseload
holds the conferences, reports and attendance of that chair's children.

Column types: dates are ``datetime64`` (NaT when missing), times are ``datetime.time`` or
None, yes/no columns are pandas' nullable ``boolean``, ids keep their stored types.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass, fields
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from cptrack.domain.models import today
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES

# Record kinds a caseload holds, by the frame's name (the table name).
CHILD_KINDS = (
    "cin_episodes",
    "cin_plans",
    "strategy_discussions",
    "s47_enquiries",
    "cp_plans",
    "conferences",
    "core_groups",
    "visits",
    "plan_actions",
    "escalations",
    "case_tracking",
    "midway_reviews",
)
CONFERENCE_KINDS = ("attendance", "agency_reports", "conference_preparations", "feedback")


@dataclass
class Caseload:
    """Frames of one caseload. Every frame exists, possibly empty, with all its columns."""

    children: pd.DataFrame
    staff: pd.DataFrame
    teams: pd.DataFrame
    cin_episodes: pd.DataFrame
    cin_plans: pd.DataFrame
    strategy_discussions: pd.DataFrame
    s47_enquiries: pd.DataFrame
    cp_plans: pd.DataFrame
    conferences: pd.DataFrame
    attendance: pd.DataFrame
    agency_reports: pd.DataFrame
    conference_preparations: pd.DataFrame
    feedback: pd.DataFrame
    core_groups: pd.DataFrame
    visits: pd.DataFrame
    plan_actions: pd.DataFrame
    escalations: pd.DataFrame
    case_tracking: pd.DataFrame
    midway_reviews: pd.DataFrame

    @classmethod
    def empty(cls) -> Caseload:
        return cls(**{f.name: _typed(f.name, pd.DataFrame()) for f in fields(cls)})

    @classmethod
    def from_frames(cls, **frames: pd.DataFrame | list[dict]) -> Caseload:
        """A caseload from hand-made frames or lists of dicts (tests, imports).

        Missing kinds are empty; missing columns are added as nulls; types are coerced as
        ``load`` would.
        """
        out = {}
        for f in fields(cls):
            given = frames.pop(f.name, None)
            frame = pd.DataFrame(given) if given is not None else pd.DataFrame()
            out[f.name] = _typed(f.name, frame)
        if frames:
            raise TypeError(f"unknown caseload frames: {', '.join(sorted(frames))}")
        return cls(**out)

    def frames(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def for_children(self, child_ids) -> Caseload:
        """The part of this caseload about the given children (no database round trip)."""
        ids = set(child_ids)
        out: dict[str, pd.DataFrame] = {}
        for name, frame in self.frames().items():
            if name == "children":
                out[name] = frame[frame["id"].isin(ids)]
            elif name in CHILD_KINDS:
                out[name] = frame[frame["child_id"].isin(ids)]
            elif name in CONFERENCE_KINDS:
                conf_ids = set(out.get("conferences", self.conferences.iloc[0:0])["id"]) or set(
                    self.conferences.loc[self.conferences["child_id"].isin(ids), "id"]
                )
                out[name] = frame[frame["conference_id"].isin(conf_ids)]
            else:
                out[name] = frame
        return Caseload(**out)

    @property
    def size(self) -> int:
        return len(self.children)


def load(
    store: Store,
    *,
    chair_id: int | None = None,
    team_id: int | None = None,
    child_ids: list[str] | None = None,
    kinds: tuple[str, ...] | None = None,
) -> Caseload:
    """Load a caseload from the store, whole or narrowed to a chair, team or children.

    ``kinds`` names the frames a caller reads (``cptrack.engine.KINDS`` for the engine): the
    others are left empty, unread. A whole caseload on PostgreSQL is read straight into Arrow
    columns (connectorx), a table a query and no Python object per value but the texts; SQLite
    (see ``_connectorx_source``) and a narrowed caseload (a chair's or a child's page: one
    round trip costs less than opening a connection a table) through the store's own
    connection."""
    children_t = TABLES["children"]
    child_q = sa.select(children_t.c.id)
    if chair_id is not None:
        child_q = child_q.where(children_t.c.chair_id == int(chair_id))
    if team_id is not None:
        child_q = child_q.where(children_t.c.team_id == int(team_id))
    if child_ids is not None:
        child_q = child_q.where(children_t.c.id.in_([str(c) for c in child_ids]))
    narrowed = chair_id is not None or team_id is not None or child_ids is not None

    conferences_t = TABLES["conferences"]
    frames: dict[str, pd.DataFrame] = {}
    wanted = set(kinds) if kinds is not None else None
    if not narrowed:  # a whole caseload: straight into Arrow where the database allows
        columnar = _read_columnar(store, wanted)
        if columnar is not None:
            return Caseload(**columnar)
    with store.engine.connect() as conn:
        for name in ("staff", "teams"):
            frames[name] = _read(conn, sa.select(TABLES[name]), name, wanted)
        q = sa.select(children_t)
        if narrowed:
            q = q.where(children_t.c.id.in_(child_q))
        frames["children"] = _read(conn, q, "children", None)
        for name in CHILD_KINDS:
            t = TABLES[name]
            q = sa.select(t)
            if narrowed:
                q = q.where(t.c.child_id.in_(child_q))
            frames[name] = _read(conn, q, name, wanted)
        conf_q = sa.select(conferences_t.c.id)
        if narrowed:
            conf_q = conf_q.where(conferences_t.c.child_id.in_(child_q))
        for name in CONFERENCE_KINDS:
            t = TABLES[name]
            q = sa.select(t)
            if narrowed:
                q = q.where(t.c.conference_id.in_(conf_q))
            frames[name] = _read(conn, q, name, wanted)
    return Caseload(**frames)


def _read(conn, query, name: str, wanted: set[str] | None) -> pd.DataFrame:
    if wanted is not None and name not in wanted:
        return _frame(name, {}, 0)
    # The driver's own rows (tuples of plain values), typed a column at a time below:
    # SQLAlchemy's per-row processing costs minutes on millions of rows.
    result = conn.execute(query.order_by(TABLES[name].c.id))
    names = list(result.keys())
    rows = result.cursor.fetchall()
    result.close()
    n = len(rows)
    return _frame(
        name,
        {
            c: np.fromiter(map(itemgetter(j), rows), dtype=object, count=n)
            for j, c in enumerate(names)
        },
        n,
    )


def _read_columnar(store: Store, wanted: set[str] | None) -> dict[str, pd.DataFrame] | None:
    """Every frame of a whole caseload read by connectorx into Arrow, then typed as ``_frame``
    types it; None where connectorx is not to read the database (``_connectorx_source``),
    which the caller then reads through its own connection."""
    source = _connectorx_source(store)
    if source is None:
        return None
    import connectorx

    frames: dict[str, pd.DataFrame] = {}
    for name in ("staff", "teams", "children", *CHILD_KINDS, *CONFERENCE_KINDS):
        if wanted is not None and name not in wanted and name != "children":
            frames[name] = _frame(name, {}, 0)
            continue
        table = TABLES[name]
        query = sa.select(table).order_by(table.c.id)
        sql = str(query.compile(dialect=store.engine.dialect))
        try:
            arrow = connectorx.read_sql(source, sql, return_type="arrow")
        except Exception:  # noqa: BLE001 - connectorx raises its own kinds; the driver reads
            return None
        frames[name] = _arrow_frame(name, arrow)
    return frames


def _connectorx_source(store: Store) -> str | None:
    """The database as connectorx names it (``postgresql://...``), or None where the store's
    own connection must read it:

    * SQLite: connectorx (0.4) keeps its connections open between reads and can hand back
      what a connection saw before the latest commits (measured: a row updated and committed
      read back as it was, until a checkpoint); a caseload must show what was just saved.

    connectorx's reads never return in a process forked from one that used it (its worker
    threads are not in the child): cptrack's own worker processes are not forked
    (``cptrack.demo.synthetic.POOL_START``).
    """
    url = store.engine.url
    if url.get_backend_name() != "postgresql":
        return None
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _arrow_frame(name: str, arrow) -> pd.DataFrame:
    """A frame of table ``name`` from an Arrow table, typed as ``_frame`` types the drivers'
    values: dates, yes/no and ids straight from Arrow's buffers; text as Python strings, each
    distinct one made once (Arrow's dictionary encoding); the rest through ``_coerce``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = arrow.num_rows
    index = pd.RangeIndex(n)
    out = {}
    for col in TABLES[name].columns:
        if col.name not in arrow.column_names:
            out[col.name] = _coerce(np.full(n, None, dtype=object), col.type, index)
            continue
        values = arrow.column(col.name).combine_chunks()
        kind = values.type
        key = col.name == "child_id" or (name == "children" and col.name == "id")
        missing = values.is_null().to_numpy(zero_copy_only=False)
        if isinstance(col.type, sa.Date) and kind == pa.date32():
            days = values.cast(pa.int32()).fill_null(0).to_numpy().astype("int64")
            days[missing] = np.iinfo("int64").min
            out[col.name] = days.view("datetime64[D]").astype("datetime64[us]")
        elif isinstance(col.type, sa.Boolean) and kind == pa.bool_():
            out[col.name] = pd.arrays.BooleanArray(
                values.fill_null(False).to_numpy(zero_copy_only=False), missing
            )
        elif isinstance(col.type, sa.Integer) and pa.types.is_integer(kind):
            out[col.name] = pd.arrays.IntegerArray(
                values.fill_null(0).to_numpy().astype(np.int64, copy=False), missing
            )
        elif (
            isinstance(col.type, sa.String | sa.Text)
            and not isinstance(col.type, sa.JSON)
            and (pa.types.is_string(kind) or pa.types.is_large_string(kind))
        ):
            encoded = pc.dictionary_encode(values)
            words = encoded.dictionary.to_pylist()
            if key:
                words = [sys.intern(w) for w in words]
            shared = np.empty(len(words) + 1, dtype=object)
            shared[:-1] = words
            shared[-1] = None
            codes = encoded.indices.fill_null(len(words)).to_numpy(zero_copy_only=False)
            out[col.name] = pd.Series(shared[codes], index=index, dtype=object, copy=False)
        elif isinstance(col.type, sa.Time) and pa.types.is_time(kind):
            # Each distinct time made once, its object shared (as ``_coerce`` shares them).
            encoded = pc.dictionary_encode(values)
            times = np.empty(len(encoded.dictionary) + 1, dtype=object)
            times[:-1] = encoded.dictionary.to_pylist()
            times[-1] = None
            codes = encoded.indices.fill_null(len(times) - 1).to_numpy(zero_copy_only=False)
            out[col.name] = pd.Series(times[codes], index=index, dtype=object, copy=False)
        else:  # JSON, anything else: the values as the driver would hand them over
            objects = np.empty(n, dtype=object)
            objects[:] = values.to_pylist()
            out[col.name] = _coerce(objects, col.type, index, key=key)
    return pd.DataFrame(out, index=index, copy=False)


def _typed(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give ``frame`` every column of table ``name`` with cptrack's column types."""
    return _frame(
        name, {c: frame[c].to_numpy(dtype=object, na_value=None) for c in frame.columns}, len(frame)
    )


def _frame(name: str, columns: dict[str, np.ndarray], n: int) -> pd.DataFrame:
    """A frame of table ``name`` from its columns as object arrays, None for a missing
    value (a missing column is all None)."""
    # Typed with numpy, a column at a time, without a pandas Series between steps: a page
    # reads nineteen frames of a few hundred rows, where pandas' own overhead per column
    # costs more than the rows.
    index = pd.RangeIndex(n)
    out = {}
    for col in TABLES[name].columns:
        values = columns.get(col.name)
        if values is None:
            values = np.full(n, None, dtype=object)
        key = col.name == "child_id" or (name == "children" and col.name == "id")
        out[col.name] = _coerce(values, col.type, index, key=key)
    return pd.DataFrame(out, index=index, copy=False)


def _coerce(values: np.ndarray, col_type: Any, index: pd.RangeIndex, *, key: bool = False):
    """One column (an object array, None where missing) as cptrack types it; anything numpy
    cannot read as the drivers hand it over goes through pandas."""
    if isinstance(col_type, sa.Time):  # each distinct time read once, its object shared
        codes, uniques = pd.factorize(values)
        times = np.empty(len(uniques) + 1, dtype=object)
        times[:] = [*(_as_time(u) for u in uniques), None]
        return pd.Series(times[codes], index=index, dtype=object)
    if isinstance(col_type, sa.JSON):
        # SQLite's driver hands JSON over as text; PostgreSQL's already parsed
        parsed = np.fromiter(
            (json.loads(v) if isinstance(v, str) else v for v in values),
            dtype=object,
            count=len(values),
        )
        return pd.Series(parsed, index=index, dtype=object)
    if not isinstance(col_type, sa.DateTime | sa.Date | sa.Boolean | sa.Integer):
        # Text stays Python strings (object), not pandas' string dtype: the engine compares
        # and matches them by object.
        return pd.Series(_shared_strings(values, keys=key), index=index, dtype=object, copy=False)
    missing = np.equal(values, None)
    if isinstance(col_type, sa.DateTime):
        return pd.to_datetime(
            pd.Series(values, index=index, dtype=object),
            errors="coerce",
            utc=True,
            format="ISO8601",
        )
    if isinstance(col_type, sa.Date):
        days = _iso_days(values, missing)
        if days is not None:
            return days.astype("datetime64[us]")
        series = pd.Series(values, index=index, dtype=object)
        first = values[~missing][:1].tolist()
        if first and isinstance(first[0], str):  # SQLite's text dates
            series = pd.to_datetime(series, errors="coerce", format="%Y-%m-%d")
        return pd.to_datetime(series, errors="coerce").astype("datetime64[us]")
    if isinstance(col_type, sa.Boolean):
        if not any(isinstance(v, str) for v in values[~missing][:1]):
            return pd.arrays.BooleanArray(np.where(missing, False, values).astype(bool), missing)
        return pd.Series(values, index=index, dtype=object).astype("boolean")
    try:
        return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)
    except (TypeError, ValueError, OverflowError):
        return pd.Series(values, index=index, dtype=object).astype("Int64")


def _shared_strings(values: np.ndarray, *, keys: bool = False) -> np.ndarray:
    """Text with each distinct value held once: a million visits name fifty thousand
    children, and one string object per child instead of per row saves memory and makes
    every comparison, look-up and sort over the column faster (equal strings are found equal
    by identity, Python keeps each string's hash, and their few objects stay in the
    processor's cache). Interned, so that the children's ids in every frame are the same
    objects (``keys``: shared however few or distinct)."""
    if len(values) < 1024 and not keys:
        return values
    codes, uniques = pd.factorize(values)
    if len(uniques) > len(values) // 2 and not keys:  # free text, mostly distinct
        return values
    shared = np.empty(len(uniques) + 1, dtype=object)
    shared[:-1] = [sys.intern(u) if type(u) is str else u for u in uniques]
    shared[-1] = None
    return shared[codes]


def _iso_days(values: np.ndarray, missing: np.ndarray) -> np.ndarray | None:
    """Dates as numpy days, parsed by numpy, when they are what the drivers hand over: SQLite's
    "YYYY-MM-DD" text or PostgreSQL's ``datetime.date``, or nothing but nulls (None for anything
    else, which pandas then reads, more slowly)."""
    present = values[~missing]
    if not len(present):  # no date at all (end dates of open plans...): all NaT
        return np.full(len(values), np.datetime64("NaT"), dtype="datetime64[D]")
    first = present[0]
    if isinstance(first, str):
        if len(first) != 10:
            return None
    elif type(first) is not dt.date:
        return None
    try:  # numpy reads None as NaT
        return values.astype("datetime64[D]")
    except (ValueError, TypeError):
        return None


def _as_time(value: Any) -> dt.time | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        return dt.time.fromisoformat(value)
    return None


def open_plans(plans: pd.DataFrame, as_of) -> pd.DataFrame:
    """The plans open on ``as_of``: started on or before it and not ended by it (a plan that
    ends on a day is closed that day). The one definition every page, report and command
    uses, so that they count the same plans for any as-of date."""
    day = pd.Timestamp(as_of)
    return plans[
        (plans["start_date"] <= day) & (plans["end_date"].isna() | (plans["end_date"] > day))
    ]


def open_plan_clause(plans: sa.Table, as_of) -> sa.ColumnElement[bool]:
    """``open_plans`` as an SQL condition on the plans table, for counts made in the
    database: the same rule, so both count the same plans for any as-of date."""
    day = pd.Timestamp(as_of).date()
    return sa.and_(
        plans.c.start_date <= day, sa.or_(plans.c.end_date.is_(None), plans.c.end_date > day)
    )


def chair_summary(store: Store, as_of=None) -> pd.DataFrame:
    """Children per chair on ``as_of`` (default today): allocated, on an open plan,
    awaiting an initial conference.

    Counted in the database (a few aggregate queries), so the home page is quick however
    large the caseload. Children with no chair are counted under chair ``None``.
    """
    children, plans = TABLES["children"], TABLES["cp_plans"]
    staff, teams = TABLES["staff"], TABLES["teams"]
    s47, conferences = TABLES["s47_enquiries"], TABLES["conferences"]
    open_plan = sa.exists().where(
        plans.c.child_id == children.c.id, open_plan_clause(plans, as_of or today())
    )
    held_initial = sa.exists().where(
        conferences.c.child_id == s47.c.child_id,  # the enquiry's child (correlated)
        conferences.c.type.in_(("initial", "pre_birth", "transfer_in")),
        conferences.c.held_date.is_not(None),
        conferences.c.held_date >= s47.c.start_date,
    )
    awaiting = sa.exists().where(
        s47.c.child_id == children.c.id,
        s47.c.icpc_not_required.is_(False),
        s47.c.completed_date.is_(None),
        ~held_initial,
    )
    q = (
        sa.select(
            children.c.chair_id,
            sa.func.count().label("children"),
            sa.func.sum(sa.case((open_plan, 1), else_=0)).label("on_plan"),
            sa.func.sum(sa.case((awaiting, 1), else_=0)).label("awaiting_icpc"),
        )
        .group_by(children.c.chair_id)
        .subquery()
    )
    full = (
        sa.select(
            staff.c.id.label("chair_id"),
            staff.c.name.label("chair"),
            teams.c.name.label("team"),
            sa.func.coalesce(q.c.children, 0).label("children"),
            sa.func.coalesce(q.c.on_plan, 0).label("on_plan"),
            sa.func.coalesce(q.c.awaiting_icpc, 0).label("awaiting_icpc"),
        )
        .select_from(
            staff.outerjoin(q, q.c.chair_id == staff.c.id).outerjoin(
                teams, teams.c.id == staff.c.team_id
            )
        )
        .where(staff.c.role == "chair")
        .order_by(staff.c.name)
    )
    with store.engine.connect() as conn:
        result = conn.execute(full)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        unallocated = conn.execute(
            sa.select(sa.func.count()).where(children.c.chair_id.is_(None))
        ).scalar_one()
    for col in ("children", "on_plan", "awaiting_icpc"):
        frame[col] = frame[col].astype("int64")
    frame.attrs["unallocated"] = int(unallocated)
    return frame
