"""The store on SQLite and PostgreSQL: round trips, audit, versions, all-or-nothing."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from cptrack.domain.models import RecordError
from cptrack.storage.connection import StoreError, database_url
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES

CHILD = {"id": "C1", "given_name": "Ada", "family_name": "Synth", "date_of_birth": "2019-04-02"}
PLAN = {
    "child_id": "C1",
    "start_date": "2025-01-10",
    "initial_category": "NEG",
    "latest_category": "NEG",
}


def snapshot(store: Store) -> dict[str, list[dict]]:
    """Every row of every table, to compare before and after a refused write."""
    out = {}
    with store.engine.connect() as conn:
        for name in [*TABLES, "audit_log"]:
            rows = conn.execute(sa.text(f'SELECT * FROM "{name}" ORDER BY id'))
            out[name] = [dict(r._mapping) for r in rows]
    return out


def test_round_trip(store: Store):
    """What is added comes back, typed, with version 1."""
    store.add("children", CHILD)
    plan = store.add("cp_plans", PLAN)
    got = store.get("cp_plans", plan["id"])
    assert "2025-01-10" == got["start_date"].isoformat()
    assert 1 == got["version"]
    assert "NEG" == got["initial_category"]
    assert [plan["id"]] == [r["id"] for r in store.rows("cp_plans", child_id="C1")]


def test_every_write_leaves_an_audit_row(store: Store):
    """Insert, update and delete each add one audit row with user, values and version."""
    store.add("children", CHILD)
    store.update("children", "C1", {"given_name": "Adah"}, version=1)
    store.delete("children", "C1", version=2)
    audit = store.audit("children", "C1")
    assert ["insert", "update", "delete"] == [a["action"] for a in audit]
    assert {"test-user"} == {a["user"] for a in audit}
    assert {"given_name": "Ada"} == audit[1]["before"]
    assert {"given_name": "Adah"} == audit[1]["after"]
    assert "Adah" == audit[2]["before"]["given_name"]
    assert [1, 2, 2] == [a["version"] for a in audit]
    assert all(a["at"] is not None for a in audit)


def test_an_update_without_changes_writes_nothing(store: Store):
    """Saving an unchanged record neither bumps the version nor adds audit noise."""
    store.add("children", CHILD)
    same = store.update("children", "C1", {"given_name": "Ada"}, version=1)
    assert 1 == same["version"]
    assert 1 == len(store.audit("children", "C1"))


def test_a_stale_update_is_refused_and_says_who_changed_it(store: Store):
    """Two people edit the same record: the second, from the old version, is refused."""
    store.add("children", CHILD)
    store.update("children", "C1", {"given_name": "Adah"}, version=1)
    with pytest.raises(StaleVersionError) as caught:
        store.update("children", "C1", {"family_name": "Other"}, version=1)
    message = str(caught.value)
    assert "test-user" in message and "version 2" in message and "Nothing was saved" in message
    assert "Synth" == store.get("children", "C1")["family_name"]
    assert ["insert", "update"] == [a["action"] for a in store.audit("children", "C1")]


def test_two_sessions_updating_one_record(db_url: str):
    """Two separate connections (two users) race; exactly one write lands and is audited."""
    with Store.open(db_url, migrate=True, user="alice") as alice:
        alice.add("children", CHILD)
        version = alice.get("children", "C1")["version"]
        bob = Store.open(db_url, user="bob")
        results: dict[str, str] = {}
        barrier = threading.Barrier(2)

        def edit(who: Store, name: str) -> None:
            barrier.wait()
            try:
                who.update("children", "C1", {"given_name": name}, version=version)
                results[who.user] = "saved"
            except StaleVersionError:
                results[who.user] = "refused"

        threads = [
            threading.Thread(target=edit, args=(alice, "Alice's edit")),
            threading.Thread(target=edit, args=(bob, "Bob's edit")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        bob.close()
        assert ["refused", "saved"] == sorted(results.values())
        winner = next(u for u, r in results.items() if r == "saved")
        audit = alice.audit("children", "C1")
        assert ["insert", "update"] == [a["action"] for a in audit]
        assert winner == audit[-1]["user"]
        assert f"{winner.title()}'s edit" == alice.get("children", "C1")["given_name"]


def test_a_stale_delete_is_refused(store: Store):
    """Deleting from an old version is refused too."""
    store.add("children", CHILD)
    store.update("children", "C1", {"given_name": "Adah"}, version=1)
    with pytest.raises(StaleVersionError):
        store.delete("children", "C1", version=1)
    assert store.get("children", "C1") is not None


def test_a_bad_field_leaves_the_database_unchanged(store: Store):
    """A refused write names the field, and nothing at all is written (no audit row)."""
    store.add("children", CHILD)
    store.add("cp_plans", PLAN)
    before = snapshot(store)
    with pytest.raises(RecordError) as caught:
        store.add("cp_plans", {**PLAN, "start_date": "2024-01-01", "latest_category": "BAD"})
    assert "latest_category" in caught.value.by_field()
    assert before == snapshot(store)


def test_a_review_before_the_plan_start_is_refused(store: Store):
    """DfE 8841: a review conference on or before its plan's start names held_date."""
    store.add("children", CHILD)
    plan = store.add("cp_plans", PLAN)
    before = snapshot(store)
    with pytest.raises(RecordError) as caught:
        store.add(
            "conferences",
            {
                "child_id": "C1",
                "type": "review",
                "plan_id": plan["id"],
                "scheduled_date": "2025-01-08",
                "held_date": "2025-01-08",
                "outcome": "plan_continues",
                "category": "NEG",
            },
        )
    assert "8841" in caught.value.by_field()["held_date"][0]
    assert before == snapshot(store)


def test_one_open_plan_per_child(store: Store):
    """DfE 8935 and 8940: no second open plan, no overlapping plans."""
    store.add("children", CHILD)
    store.add("cp_plans", {**PLAN, "start_date": "2024-01-10", "end_date": "2024-09-01"})
    store.add("cp_plans", PLAN)
    with pytest.raises(RecordError, match="8935"):
        store.add("cp_plans", {**PLAN, "start_date": "2025-06-01"})
    with pytest.raises(RecordError, match="8940"):
        store.add("cp_plans", {**PLAN, "start_date": "2024-05-01", "end_date": "2024-06-01"})


def test_references_must_exist(store: Store):
    """A record pointing at a missing child is refused with the field named."""
    with pytest.raises(RecordError) as caught:
        store.add("visits", {"child_id": "NOBODY", "date": "2025-02-03"})
    assert "no child with id 'NOBODY'" in caught.value.by_field()["child_id"][0]


def test_a_transaction_is_all_or_nothing(store: Store):
    """When the second write of a transaction fails, the first is not kept either."""
    before = snapshot(store)
    with pytest.raises(RecordError), store.transaction() as tx:
        tx.add("children", CHILD)
        tx.add("cp_plans", {**PLAN, "initial_category": "NOPE"})
    assert before == snapshot(store)


def test_deleting_a_referenced_record_is_refused_cleanly(store: Store):
    """A chair still allocated to children cannot be deleted; the message says why."""
    chair = store.add("staff", {"name": "Jo Chair", "role": "chair"})
    store.add("children", {**CHILD, "chair_id": chair["id"]})
    with pytest.raises(RecordError, match="other records still refer"):
        store.delete("staff", chair["id"], version=1)
    assert store.get("staff", chair["id"]) is not None


def test_bulk_insert_checks_references(store: Store):
    """The fast path for generated data still refuses rows pointing nowhere."""
    with pytest.raises((StoreError, sa.exc.IntegrityError)):
        store.bulk_insert(
            {"visits": [{"id": 1, "child_id": "NOBODY", "date": "2025-02-03"}]}, note="broken"
        )
    assert 0 == store.count("visits")


def test_locations():
    """A path means SQLite; postgresql:// means psycopg 3; nothing given is a clear error."""
    assert database_url("x.sqlite").startswith("sqlite:////")
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(StoreError, match="CPTRACK_DB"):
        database_url("")


def test_a_database_without_the_schema_is_refused(sqlite_url: str):
    """Opening an empty file says how to create the tables."""
    with pytest.raises(StoreError, match="cptrack init"):
        Store.open(sqlite_url)


VISIT = {"child_id": "C1", "date": "2025-02-03", "seen": True, "source_id": "V-100"}


def test_a_duplicate_source_id_is_refused_naming_the_field(store: Store):
    """A visit whose source id another visit holds is refused on source_id, not with SQL."""
    store.add("children", CHILD)
    first = store.add("visits", VISIT)
    with pytest.raises(RecordError) as caught:
        store.add("visits", {**VISIT, "date": "2025-02-10"})
    assert ["source_id"] == list(caught.value.by_field())
    assert f"'V-100' is already held by another visit ({first['id']})" in str(caught.value)


def test_changing_a_source_id_to_one_held_is_refused_naming_the_field(store: Store):
    """An update taking another record's source id is refused on source_id too."""
    store.add("children", CHILD)
    store.add("visits", VISIT)
    other = store.add("visits", {**VISIT, "date": "2025-02-10", "source_id": "V-101"})
    with pytest.raises(RecordError) as caught:
        store.update("visits", other["id"], {"source_id": "V-100"}, version=1)
    assert ["source_id"] == list(caught.value.by_field())
    assert "V-101" == store.get("visits", other["id"])["source_id"]


def test_the_databases_own_refusals_name_the_field(store: Store, monkeypatch):
    """When the database, not cptrack's checks, refuses a write (another writer took the
    value first), the refusal still names the field and leaves nothing half-saved."""
    from cptrack.storage import integrity

    store.add("children", CHILD)
    store.add("visits", VISIT)
    monkeypatch.setattr(integrity, "check", lambda *args: [])
    before = snapshot(store)
    with pytest.raises(RecordError) as unique:
        store.add("visits", {**VISIT, "date": "2025-02-10"})
    with pytest.raises(RecordError) as reference:
        store.add("visits", {**VISIT, "child_id": "NOBODY", "source_id": None})
    assert (["source_id"], ["child_id"]) == (
        list(unique.value.by_field()),
        list(reference.value.by_field()),
    )
    assert "INSERT" not in str(unique.value) + str(reference.value)
    assert before == snapshot(store)


def test_a_database_in_memory_makes_no_file(tmp_path, monkeypatch):
    """`sqlite://` is a database in memory: nothing is written where the command runs (a
    file named `sqlite:` was, taken for its path)."""
    monkeypatch.chdir(tmp_path)
    with Store.open("sqlite://", migrate=True) as store:
        assert 0 == store.count("children")
    assert [] == list(tmp_path.iterdir())
