"""A whole caseload on PostgreSQL is read straight into Arrow columns (connectorx) and typed as
the store's own connection types it; SQLite is read through the store's connection (connectorx
can hand back what was there before the latest commits); a caller can ask for only the frames
it reads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cptrack import engine
from cptrack.caseload import CHILD_KINDS, CONFERENCE_KINDS, Caseload, load, loading
from cptrack.caseload.columnar_read import read_columnar
from cptrack.demo import synthetic as demo
from cptrack.rules import profiles
from cptrack.storage.store import Store

AS_OF = dt.date(2026, 11, 22)


@pytest.fixture
def demo_store(store: Store) -> Store:
    demo.populate(store, children=25, seed=3, as_of=AS_OF)
    return store


def _by_driver(store: Store, monkeypatch, **kw) -> Caseload:
    with monkeypatch.context() as m:
        m.setattr(loading, "read_columnar", lambda *a: None)
        return load(store, **kw)


@pytest.fixture
def pg_demo_store(pg_url: str):
    with Store.open(pg_url, migrate=True) as store:
        demo.populate(store, children=25, seed=3, as_of=AS_OF)
        yield store


@pytest.mark.postgres
def test_arrow_reading_gives_the_frames_the_driver_gives(pg_demo_store, monkeypatch):
    """Same frames, same column types, same kinds of Python object in text, time and JSON
    columns."""
    demo_store = pg_demo_store
    assert read_columnar(demo_store, None) is not None  # connectorx read it
    columnar, driver = load(demo_store), _by_driver(demo_store, monkeypatch)
    for name, frame in columnar.frames().items():
        expected = getattr(driver, name)
        pd.testing.assert_frame_equal(expected, frame, check_exact=True)
        for col in frame.columns:
            if frame[col].dtype == object:
                got = {type(v) for v in frame[col]}
                assert {type(v) for v in expected[col]} == got, (name, col)
    assert len(columnar.visits) and len(columnar.agency_reports)
    times = columnar.conferences["scheduled_time"].dropna()
    assert len(times) and all(isinstance(t, dt.time) for t in times)


def test_children_ids_are_one_object_in_every_frame(demo_store):
    cl = load(demo_store)
    ids = {cid: cid for cid in cl.children["id"]}
    for name in CHILD_KINDS:
        assert all(cid is ids[cid] for cid in getattr(cl, name)["child_id"]), name


def test_only_the_frames_asked_for_are_read(demo_store):
    """The engine's frames give the same findings as the whole caseload; the rest are empty,
    with every column, whether read whole or for one chair."""
    whole = load(demo_store)
    needed = load(demo_store, kinds=engine.KINDS)
    for name, frame in needed.frames().items():
        assert list(getattr(whole, name).columns) == list(frame.columns)
        if name in engine.KINDS:
            assert len(getattr(whole, name)) == len(frame), name
        else:
            assert 0 == len(frame), name
    assert len(whole.attendance) and set(CONFERENCE_KINDS) - set(engine.KINDS)
    profile = profiles.load("sunderland")
    pd.testing.assert_frame_equal(
        engine.evaluate(whole, profile, AS_OF), engine.evaluate(needed, profile, AS_OF)
    )
    chair = int(whole.children["chair_id"].dropna().iloc[0])
    one = load(demo_store, chair_id=chair, kinds=engine.KINDS)
    assert len(one.children) and 0 == len(one.attendance)
    assert len(one.visits) == len(load(demo_store, chair_id=chair).visits)


def test_sqlite_is_read_through_the_driver(sqlite_url):
    with Store.open(sqlite_url, migrate=True) as store:
        assert read_columnar(store, None) is None
    with Store.open("sqlite://", migrate=True) as store:
        assert read_columnar(store, None) is None
        assert 0 == load(store).size


def test_a_whole_caseload_shows_what_was_just_saved(demo_store):
    """Read, changed and read again: the second read has the change (each database)."""
    first = load(demo_store)
    plan = first.cp_plans.iloc[0]
    assert len(first.cp_plans)
    with demo_store.transaction() as tx:
        tx.update("cp_plans", plan["id"], {"visit_frequency_wd": 3}, int(plan["version"]))
    again = load(demo_store).cp_plans.set_index("id")
    assert 3 == again.loc[plan["id"], "visit_frequency_wd"]
