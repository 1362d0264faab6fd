"""A synthetic caseload for demonstration, tests and benchmarks.

Everything here is invented: names and addresses come from Faker's ``en_GB`` locale, and
no record describes a real person. The caseload is deterministic: the same ``seed`` and
``as_of`` date give the same data, row for row.

It is built to look like a real conference service's caseload, so that every check has
something to find: children awaiting an initial conference (some past 15 working days),
new plans, plans at their 2nd, 3rd and 4th review, plans over two years, ended plans,
repeat plans (with the earlier plan's own history), pre-birth plans and sibling groups
sharing conferences, with full histories of strategy discussions, conferences, reports,
attendance, core groups, visits, actions, case-tracking records, midway reviews and
escalations. Its shares are England's: the DfE measures (repeat plans, plans of 2 years or
more, ICPCs within 15 working days) land within a few points of the published figures; most
things happen on time, and each late conference, visit, core group or escalation reply has
its reason recorded; plan actions not done by the next conference are closed there or
carried into the new plan.

This module makes the caseload a chunk of children at a time (``_chunk_rows``: the families,
then their routine events, then the chunk's QA), in worker processes, renumbers the chunks'
ids as they are put together, and writes them to a database (``populate``). What a chunk is
made of lives beside it: ``people`` (staff and names, made once), ``chunk`` (a chunk's rows
and draws), ``families``, ``conferences``, ``oversight``, ``plan_events``,
``conference_events`` and ``qa``; ``catalogue`` holds the shares and wording they draw on.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cptrack.demo import conference_events, plan_events
from cptrack.demo import qa as demo_qa
from cptrack.demo.chunk import Chunk
from cptrack.demo.days import WorkingDays
from cptrack.demo.draws import pick
from cptrack.demo.families import family
from cptrack.demo.people import DemoConfig, People, make_people
from cptrack.domain.models import today
from cptrack.storage.bulk import Columns, Copy, prepare
from cptrack.storage.store import Store

CHUNK_CHILDREN = 5000


def _chunk_rows(chunk: Chunk, first: int, last: int) -> dict[str, list[dict] | pd.DataFrame]:
    """A chunk's rows: families until children ``first`` + 1 to ``last`` exist (the last
    family is cut short at the end of the chunk), then the routine events from their specs,
    and the observations and feedback of the chunk's conferences."""
    n = first
    deck: list[str] = []
    while n < last:
        size = pick(chunk.rng, ((1, 45), (2, 30), (3, 17), (4, 8)))
        deck = deck or chunk.deck()
        stage = deck.pop()
        if stage == "pre_birth":
            size = 1
        size = min(size, last - n)
        family(chunk, size, stage, n)
        n += size
    rows = {**chunk.rows, **_events(chunk)}
    n_chunks = -(-chunk.cfg.children // CHUNK_CHILDREN)
    rows.update(
        demo_qa.generate(
            chunk.cfg.seed,
            chunk.cfg.as_of,
            chunk.chunk_no,
            n_chunks,
            chunk.chairs,
            chunk.qa_leads,
            rows,
        )
    )
    return rows


def _action_specs(chunk: Chunk) -> list[tuple]:
    """Each conference's actions with what follows it: the plan's next conference (or
    its end), whether the plan continues there, and the conference after that."""
    by_plan: dict[int, list[tuple]] = {}
    for child, plan, held in chunk.specs["actions"]:
        by_plan.setdefault(plan, []).append((held, child))
    out = []
    for plan, sets in by_plan.items():
        end = chunk.row("cp_plans", plan).get("end_date")
        days = [held for held, _ in sets] + [end.toordinal() if end else 0, 0]
        for i, (held, child) in enumerate(sets):
            out.append((child, plan, held, days[i + 1], i + 1 < len(sets), days[i + 2]))
    return out


def _events(chunk: Chunk) -> dict[str, pd.DataFrame]:
    """The routine events of a chunk, a column at a time, from the specs its families left."""
    wd = WorkingDays(chunk.days.days)
    seed, today, specs = (chunk.cfg.seed, chunk.chunk_no), chunk.today, chunk.specs
    attendance, quorate = conference_events.attendance(specs["attendance"], seed)
    for conf in chunk.rows.get("conferences", []):
        if conf["id"] in quorate:
            conf["quorate"] = quorate[conf["id"]]
    frames = {
        "agency_reports": conference_events.reports(specs["reports"], today, seed),
        "attendance": attendance,
        "plan_actions": conference_events.actions(_action_specs(chunk), today, seed),
        "core_groups": plan_events.core_groups(specs["core_groups"], wd, today, seed),
        "visits": plan_events.visits(specs["visits"], wd, today, seed),
    }
    for frame in frames.values():
        frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frames


def generate(
    children: int = 120, seed: int = 1, as_of: dt.date | None = None
) -> dict[str, list[dict] | pd.DataFrame]:
    """The synthetic caseload by record kind (nothing written): lists of row dicts, and
    frames for the high-volume kinds (visits, core groups, reports, attendance, actions)."""
    out: dict[str, list] = {}
    for chunk in chunks(children, seed, as_of, workers=1):
        for table, rows in chunk.items():
            out.setdefault(table, []).append(rows)
    return {
        table: pd.concat(parts, ignore_index=True)
        if isinstance(parts[0], pd.DataFrame)
        else [row for part in parts for row in part]
        for table, parts in out.items()
    }


# Worker processes are started by a server process that has run nothing of the caller's
# ("forkserver"), never forked from the caller: a forked process has none of its parent's
# threads, and a library that keeps a pool of them (polars, connectorx) never returns there.
POOL_START = "forkserver"


def worker_pool(workers: int):
    """A pool of ``workers`` processes, started the project's way (``POOL_START``)."""
    return multiprocessing.get_context(POOL_START).Pool(workers)


def _make_chunk(cfg: DemoConfig, people: People, chunk_no: int, sqlite: bool | None = None) -> dict:
    """One chunk's rows; with ``sqlite`` given, already prepared for ``bulk_insert``
    (done in the worker, so the writing process has less to do)."""
    first = chunk_no * CHUNK_CHILDREN
    last = min(cfg.children, first + CHUNK_CHILDREN)
    rows = _chunk_rows(Chunk(cfg, people, chunk_no), first, last)
    if sqlite is None:
        return rows
    return {table: prepare(table, r, sqlite=sqlite) for table, r in rows.items()}


def chunks(
    children: int = 120,
    seed: int = 1,
    as_of: dt.date | None = None,
    workers: int | None = None,
    sqlite: bool | None = None,
) -> Iterator[dict[str, Any]]:
    """The caseload as it is made: the staff and teams, then chunks of children.

    Chunks are made by ``workers`` processes (default: one per CPU, up to 4) while the
    caller writes the previous ones; the data are the same whatever the number of workers.
    With ``sqlite`` given, chunks come as ``store.Columns`` ready for ``bulk_insert``.
    """
    cfg = DemoConfig(children=children, seed=seed, as_of=as_of or today())
    people = make_people(cfg)
    yield people.rows
    n_chunks = -(-children // CHUNK_CHILDREN)
    offsets = {table: len(rows) for table, rows in people.rows.items()}
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    if workers <= 1 or n_chunks == 1:
        for k in range(n_chunks):
            yield _renumber(_make_chunk(cfg, people, k, sqlite), offsets)
        return
    with worker_pool(workers) as pool:
        pending: deque = deque()
        for k in range(n_chunks):
            pending.append(pool.apply_async(_make_chunk, (cfg, people, k, sqlite)))
            if len(pending) > workers:  # bound the chunks held in memory
                yield _renumber(pending.popleft().get(), offsets)
        while pending:
            yield _renumber(pending.popleft().get(), offsets)


# Tables whose ids a chunk numbers locally; references to them are shifted when chunks are
# put together. Teams, staff and settings are made once; children's ids are already global.
_SHARED = ("teams", "staff", "settings", "children")


def _shifts(table: str, offsets: dict[str, int]) -> dict[str, int]:
    """What to add to a chunk's id and reference columns of ``table`` to renumber them."""
    from cptrack.storage.tables import TABLES

    shifts = {"id": offsets.get(table, 0)} if table not in _SHARED else {}
    for col in TABLES[table].columns:
        for fk in col.foreign_keys:
            target = fk.column.table.name
            if target not in _SHARED:
                shifts[col.name] = offsets.get(target, 0)
    return {k: v for k, v in shifts.items() if v}


def _renumber(chunk: dict, offsets: dict[str, int]) -> dict:
    """Shift a chunk's local ids (and references to them) past the rows already made."""
    for table, rows in chunk.items():
        shifts = _shifts(table, offsets)
        if isinstance(rows, pd.DataFrame):
            for col, shift in shifts.items():
                if col in rows.columns:
                    rows[col] = rows[col] + shift
        elif isinstance(rows, Columns):
            for col, shift in shifts.items():
                rows.data[col] = [None if v is None else v + shift for v in rows.data[col]]
        elif shifts:
            for row in rows:
                for col, shift in shifts.items():
                    if row.get(col) is not None:
                        row[col] += shift
    for table, rows in chunk.items():
        offsets[table] = offsets.get(table, 0) + len(rows)
    return chunk


def _write_scratch(
    cfg: DemoConfig, people: People, worker: int, workers: int, path: str
) -> list[tuple[int, dict[str, int]]]:
    """Make every ``workers``-th chunk from ``worker`` on and write each into a scratch
    SQLite file, one table per kind and chunk (``visits__3``); returns the row counts."""
    import sqlite3

    from cptrack.storage.tables import TABLES

    n_chunks = -(-cfg.children // CHUNK_CHILDREN)
    out = []
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    try:
        for k in range(worker, n_chunks, workers):
            counts = {}
            conn.execute("BEGIN")
            for table, rows in _make_chunk(cfg, people, k).items():
                columns = prepare(table, rows, sqlite=True).data
                names = [c.name for c in TABLES[table].columns]
                name = f"{table}__{k}"
                conn.execute(f'CREATE TABLE "{name}" ({", ".join(names)})')
                conn.executemany(
                    f'INSERT INTO "{name}" VALUES ({", ".join("?" for _ in names)})',
                    zip(*(columns[n] for n in names), strict=True),
                )
                counts[table] = len(rows)
            conn.execute("COMMIT")
            out.append((k, counts))
    finally:
        conn.close()
    return out


def _populate_sqlite(store: Store, cfg: DemoConfig, note: str) -> dict[str, int]:
    """The SQLite fast path: worker processes write the chunks into scratch files in
    parallel; the database then copies them in, renumbered, inside one transaction."""
    people = make_people(cfg)
    n_chunks = -(-cfg.children // CHUNK_CHILDREN)
    workers = max(1, min(os.cpu_count() or 1, 4, n_chunks))
    with tempfile.TemporaryDirectory(prefix="cptrack-demo-") as tmp:
        paths = {f"w{w}": str(Path(tmp) / f"w{w}.sqlite") for w in range(workers)}
        jobs = [(cfg, people, w, workers, paths[f"w{w}"]) for w in range(workers)]
        if workers == 1:
            results = [_write_scratch(*jobs[0])]
        else:
            with worker_pool(workers) as pool:
                results = pool.starmap(_write_scratch, jobs)
        made = sorted((k, w, counts) for w, done in enumerate(results) for k, counts in done)
        offsets = {table: len(rows) for table, rows in people.rows.items()}
        parts: list[dict] = [people.rows]
        for k, w, counts in made:
            parts.append(
                {
                    table: Copy(f"w{w}", f"{table}__{k}", n, _shifts(table, offsets))
                    for table, n in counts.items()
                }
            )
            for table, n in counts.items():
                offsets[table] = offsets.get(table, 0) + n
        return store.bulk_insert(parts, note=note, attach=paths)


def populate(
    store: Store, children: int = 120, seed: int = 1, as_of: dt.date | None = None
) -> dict[str, int]:
    """Fill an empty database with the synthetic caseload; returns row counts by kind.

    Worker processes make the chunks in parallel; the database takes them in one
    transaction.
    """
    if store.count("children"):
        raise ValueError(
            f"{store.url} already holds {store.count('children')} children; the demo caseload "
            "goes into an empty database"
        )
    cfg = DemoConfig(children=children, seed=seed, as_of=as_of or today())
    note = f"synthetic demo caseload: {children} children, seed {seed}, as of {cfg.as_of}"
    if store.dialect == "sqlite":
        return _populate_sqlite(store, cfg, note)
    return store.bulk_insert(chunks(children, seed, cfg.as_of, sqlite=False), note=note)
