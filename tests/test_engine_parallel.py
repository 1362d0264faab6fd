"""Big caseloads are evaluated on several threads: the findings must be the very frame one
thread gives, whatever the threads' timing; children's ids are matched by value, whatever
objects hold them; and a loaded caseload holds each id once."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cptrack import engine
from cptrack.caseload import Caseload, load
from cptrack.caseload.columns import shared_strings
from cptrack.demo import synthetic
from cptrack.engine import evaluation
from cptrack.rules import profiles
from cptrack.storage.store import Store

AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def caseload(demo_db: str) -> Caseload:
    with Store.open(demo_db) as store:
        return load(store)


def _evaluate(caseload: Caseload, profile: str, threads: int, monkeypatch, **kw) -> pd.DataFrame:
    monkeypatch.setattr(evaluation, "PARALLEL_MIN_CHILDREN", 1)
    monkeypatch.setenv("CPTRACK_THREADS", str(threads))
    return engine.evaluate(caseload, profiles.load(profile), AS_OF, **kw)


@pytest.mark.parametrize("profile", ["sunderland", "authority-a", "dorset"])
def test_several_threads_give_the_frame_one_thread_gives(caseload, profile, monkeypatch):
    one = _evaluate(caseload, profile, 1, monkeypatch)
    assert len(one) > 1000
    for _ in range(3):  # threads interleave differently from run to run
        many = _evaluate(caseload, profile, 3, monkeypatch)
        pd.testing.assert_frame_equal(one, many)
        for name in ("status_text", "message", "child_id"):  # categories in one order too
            assert list(one[name].cat.categories) == list(many[name].cat.categories)
    since = _evaluate(caseload, profile, 1, monkeypatch, since=dt.date(2026, 6, 1))
    pd.testing.assert_frame_equal(
        since, _evaluate(caseload, profile, 2, monkeypatch, since=dt.date(2026, 6, 1))
    )


def test_texts_are_categories_in_alphabetical_order(caseload, monkeypatch):
    found = _evaluate(caseload, "sunderland", 2, monkeypatch)
    for name in ("status_text", "message"):
        words = list(found[name].cat.categories)
        assert words == sorted(words)


def test_a_loaded_caseload_holds_each_childs_id_once(caseload):
    ids = {cid: cid for cid in caseload.children["id"]}
    for name in ("cp_plans", "conferences", "visits", "core_groups"):
        frame = getattr(caseload, name)
        assert len(frame)
        assert all(cid is ids[cid] for cid in frame["child_id"]), name


def test_repeated_text_is_shared_and_free_text_left_alone():
    kinds = np.array(["".join(["rev", "iew"]) for _ in range(2000)] + [None], dtype=object)
    shared = shared_strings(kinds)
    assert shared.tolist() == kinds.tolist()
    assert len({id(k) for k in shared if k is not None}) == 1
    notes = np.array([f"note {i}" for i in range(2000)], dtype=object)
    assert shared_strings(notes) is notes


def test_ids_held_as_other_objects_are_matched_by_value(caseload, monkeypatch):
    """A caseload made by hand (an import, a test) holds equal ids in distinct objects: the
    engine finds the same children."""

    def copies(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        frame = frame.copy()
        frame[column] = ["".join(list(c)) if c is not None else None for c in frame[column]]
        return frame

    frames = caseload.frames()
    frames["children"] = copies(frames["children"], "id")
    for name in ("cp_plans", "conferences", "visits"):
        frames[name] = copies(frames[name], "child_id")
    copied = Caseload(**frames)
    assert copied.visits["child_id"].iloc[0] is not caseload.visits["child_id"].iloc[0]
    pd.testing.assert_frame_equal(
        _evaluate(caseload, "national", 2, monkeypatch),
        _evaluate(copied, "national", 2, monkeypatch),
    )


def test_a_worker_of_the_projects_pools_evaluates_as_its_parent_does(caseload, monkeypatch):
    """The project's worker processes (``synthetic.worker_pool``, the demo's) are started
    afresh, not forked from their parent: one started after its parent evaluated on threads
    evaluates on threads of its own, to the frame the parent found."""
    before = _evaluate(caseload, "national", 2, monkeypatch)
    assert synthetic.POOL_START in ("spawn", "forkserver")
    with synthetic.worker_pool(1) as pool:
        found = pool.apply_async(_evaluate_in_worker, (caseload,)).get(timeout=300)
    pd.testing.assert_frame_equal(before, found)


def _evaluate_in_worker(caseload: Caseload) -> pd.DataFrame:
    import os

    evaluation.PARALLEL_MIN_CHILDREN = 1
    os.environ["CPTRACK_THREADS"] = "2"
    return engine.evaluate(caseload, profiles.load("national"), AS_OF)
