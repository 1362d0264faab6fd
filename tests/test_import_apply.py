"""The import writer judges records as the store does, and writes what the store would."""

from __future__ import annotations

import datetime as dt

import pytest

from cptrack.domain.models import RecordError
from cptrack.interchange.imports.apply import run_import
from cptrack.interchange.imports.cross_record import INTEGRITY_RULES
from cptrack.interchange.imports.report import KIND_ORDER, ImportRefused, ImportResult
from cptrack.interchange.imports.staging import Batch, Link
from cptrack.storage import integrity
from cptrack.storage.store import Store

D = dt.date.fromisoformat


def test_every_integrity_rule_for_imported_kinds_is_honoured():
    """A rule added to cptrack.storage.integrity for a kind imports write must be mirrored here."""
    declared = {
        kind: {fn.__name__ for fn in fns}
        for kind, fns in integrity.CHECKS.items()
        if kind in KIND_ORDER
    }
    assert {kind: set(rules) for kind, rules in INTEGRITY_RULES.items()} == declared


def _child_batch(plans: list[tuple[str, str | None]]) -> Batch:
    batch = Batch()
    child = batch.add(
        "children",
        {"id": "C1", "date_of_birth": D("2015-01-01")},
        "row 1",
        insert_only={"given_name": "Child", "family_name": "C1"},
    )
    for n, (start, end) in enumerate(plans, 2):
        batch.add(
            "cp_plans",
            {
                "child_id": child,
                "start_date": D(start),
                "end_date": None if end is None else D(end),
                "initial_category": "NEG",
                "latest_category": "NEG",
            },
            f"row {n}",
        )
    return batch


PLAN_SCENARIOS = {
    "one after another": [("2024-01-10", "2024-06-01"), ("2024-07-01", None)],
    "next starts the day the last ended": [("2024-01-10", "2024-06-01"), ("2024-06-01", None)],
    "two open": [("2024-01-10", None), ("2024-07-01", None)],
    "overlap": [("2024-01-10", "2024-06-01"), ("2024-05-01", "2024-08-01")],
    "inside an open plan": [("2024-01-10", None), ("2024-03-01", "2024-04-01")],
    "open one before a closed one": [("2024-05-01", None), ("2024-01-10", "2024-03-01")],
    "three, the middle overlapping": [
        ("2023-01-10", "2023-05-01"),
        ("2023-04-01", "2023-09-01"),
        ("2023-10-01", None),
    ],
}


@pytest.mark.parametrize("name", sorted(PLAN_SCENARIOS))
def test_plan_overlaps_are_judged_as_the_store_judges_them(sqlite_url, tmp_path, name):
    """Plans added one by one through the store, and imported together, are accepted or
    refused alike (DfE 8935 and 8940)."""
    plans = PLAN_SCENARIOS[name]
    one_by_one = Store.open(sqlite_url, migrate=True)
    one_by_one.add(
        "children",
        {"id": "C1", "given_name": "Child", "family_name": "C1", "date_of_birth": D("2015-01-01")},
    )
    accepted_by_store = []
    for start, end in plans:
        try:
            one_by_one.add(
                "cp_plans",
                {
                    "child_id": "C1",
                    "start_date": D(start),
                    "end_date": None if end is None else D(end),
                    "initial_category": "NEG",
                    "latest_category": "NEG",
                },
            )
            accepted_by_store.append(start)
        except RecordError:
            pass
    imported = Store.open(str(tmp_path / "imported.sqlite"), migrate=True)
    result = ImportResult("test", "plans")
    run_import(imported, [_child_batch(plans)], result, partial=True)
    accepted_by_import = [p["start_date"].isoformat() for p in imported.rows("cp_plans")]
    assert sorted(accepted_by_import) == sorted(accepted_by_store)


def test_a_link_to_a_record_nowhere_is_refused(store):
    batch = Batch()
    batch.add(
        "conferences",
        {
            "child_id": Link("children", ("NOBODY",)),
            "type": "initial",
            "scheduled_date": D("2025-01-06"),
        },
        "row 7",
    )
    result = ImportResult("test", "f")
    with pytest.raises(ImportRefused):
        run_import(store, [batch], result)
    (problem,) = result.problems
    assert ("row 7", "child_id") == (problem.where, problem.field)
    assert "there is no child NOBODY in this file or the database" == problem.reason


def test_repeats_with_the_same_values_merge_and_different_values_are_refused(store):
    batch = _child_batch([("2024-01-10", None)])
    batch.add(
        "children",
        {"id": "C1", "date_of_birth": D("2015-01-01")},
        "row 9",
        insert_only={"given_name": "Child", "family_name": "C1"},
    )
    batch.add(
        "children",
        {"id": "C1", "date_of_birth": D("2015-02-01")},
        "row 10",
        insert_only={"given_name": "Child", "family_name": "C1"},
    )
    result = ImportResult("test", "f")
    run_import(store, [batch], result, partial=True)
    (problem,) = result.problems
    assert "row 10" == problem.where
    assert "also given at row 1 with different values" in problem.reason
    assert D("2015-01-01") == store.get("children", "C1")["date_of_birth"]


def test_ids_continue_after_stored_records_on_both_databases(store):
    """New records get ids after those already stored (SQLite max + 1; PostgreSQL's sequence),
    and records added through the store afterwards continue the sequence."""
    store.add(
        "children",
        {"id": "C0", "given_name": "A", "family_name": "B", "date_of_birth": D("2014-01-01")},
    )
    first = store.add(
        "cp_plans",
        {
            "child_id": "C0",
            "start_date": D("2024-01-10"),
            "initial_category": "NEG",
            "latest_category": "NEG",
        },
    )
    run_import(store, [_child_batch([("2024-01-10", None)])], ImportResult("test", "f"))
    (imported,) = store.rows("cp_plans", child_id="C1")
    assert imported["id"] > first["id"]
    later = store.add(
        "cp_plans",
        {
            "child_id": "C0",
            "start_date": D("2020-01-10"),
            "end_date": D("2020-06-10"),
            "initial_category": "NEG",
            "latest_category": "NEG",
        },
    )
    assert later["id"] > imported["id"]
