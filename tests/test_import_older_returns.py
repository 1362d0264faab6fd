"""Returns never move backwards: a value recorded after a file's reference date (by a newer
return or by a chair) is neither blanked nor replaced by the file, and the import says what
it left alone and why."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from cptrack.demo import synthetic as demo
from cptrack.domain.models import today
from cptrack.interchange.exports import cin_census as census_export
from cptrack.interchange.imports import cin_census, csv_import
from cptrack.storage.tables import TABLES

D = dt.date.fromisoformat
OLD_RETURN = D("2026-03-31")

CHILDREN = """child_id,given_name,family_name,date_of_birth,sex
X1,Ada,Testchild,03/04/2017,F
"""
PLAN_OPEN = """child_id,start_date,end_date,initial_category,latest_category
X1,2025-10-03,,NEG,NEG
"""
PLAN_ENDED = """child_id,start_date,end_date,initial_category,latest_category
X1,2025-10-03,2026-06-01,NEG,NEG
"""


def stored(store) -> dict[str, dict]:
    """Every stored record of every kind, by kind and id: its values, leaving out the
    source id a return gives a record typed into cptrack (and the version that bumps)."""
    out = {}
    with store.engine.connect() as conn:
        for name, t in TABLES.items():
            cols = [c for c in t.c if c.name not in ("source_id", "version")]
            out[name] = {r.id: dict(r._mapping) for r in conn.execute(sa.select(*cols))}
    return out


def extract(store, tmp_path, name: str, plans: str, reference: dt.date):
    """Import a children and plans extract that speaks for ``reference``."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / "children.csv").write_text(CHILDREN)
    (folder / "plans.csv").write_text(plans)
    files = {"children": folder / "children.csv", "plans": folder / "plans.csv"}
    return csv_import.import_files(store, files, reference)


def test_an_older_census_return_blanks_nothing(store, tmp_path):
    """The app's own 31 March census return imported back into its database as of later in
    the year: no stored value changes (closures, plan ends), and each value it would have
    changed is listed with why it was left alone."""
    demo.populate(store, children=150, seed=15, as_of=today())
    xml = tmp_path / "census.xml"
    census_export.export(store, xml, OLD_RETURN)
    before = stored(store)
    result = cin_census.import_file(store, xml)
    after = stored(store)
    assert before == {
        kind: {i: r for i, r in rows.items() if i in before[kind]} for kind, rows in after.items()
    }
    blanked = {(x.kind, x.field) for x in result.left_alone if not x.offered}
    assert {
        ("CIN episode", "CINclosureDate"),
        ("CIN episode", "ReasonForClosure"),
        ("CIN plan", "CINPlanEndDate"),
        ("Child protection plan", "CPPendDate"),
    } <= blanked
    assert all("after this file's reference date" in x.reason for x in result.left_alone)
    assert result.committed
    again = cin_census.import_file(store, xml)
    assert (0, []) == (again.changed, again.problems)


def test_a_newer_return_applies_and_an_older_one_then_leaves_it(store, tmp_path):
    """An extract as of 30 June ends the plan; the 31 March extract after it leaves the
    end date alone and says so; importing it again is still a no-op."""
    extract(store, tmp_path, "march", PLAN_OPEN, OLD_RETURN)
    extract(store, tmp_path, "june", PLAN_ENDED, D("2026-06-30"))
    (plan,) = store.rows("cp_plans")
    assert D("2026-06-01") == plan["end_date"]
    older = extract(store, tmp_path, "march-again", PLAN_OPEN, OLD_RETURN)
    (left,) = older.left_alone
    assert (
        "end_date",
        "01/06/2026",
        "",
        "from a return as of 30/06/2026, newer than this one",
    ) == (
        left.field,
        left.kept,
        left.offered,
        left.reason,
    )
    assert (D("2026-06-01"), 0) == (store.rows("cp_plans")[0]["end_date"], older.changed)
    assert "Left alone: 1 value(s)" in older.summary()


def test_a_chairs_change_is_not_undone_by_an_older_return(store, tmp_path):
    """A category a chair changed after the return's date stays; the import names who."""
    extract(store, tmp_path, "first", PLAN_OPEN, OLD_RETURN)
    (plan,) = store.rows("cp_plans")
    store.update("cp_plans", plan["id"], {"latest_category": "EMO"}, version=1)
    again = extract(store, tmp_path, "again", PLAN_OPEN, OLD_RETURN)
    (left,) = again.left_alone
    assert ("latest_category", "EMO", "NEG") == (left.field, left.kept, left.offered)
    assert left.reason.startswith("recorded by test-user on ")
    assert "EMO" == store.rows("cp_plans")[0]["latest_category"]


def test_a_return_newer_than_a_chairs_change_applies(store, tmp_path):
    """A return speaking for a day after the chair's change is newer: it applies."""
    extract(store, tmp_path, "first", PLAN_OPEN, OLD_RETURN)
    (plan,) = store.rows("cp_plans")
    store.update("cp_plans", plan["id"], {"latest_category": "EMO"}, version=1)
    changed_on = store.audit("cp_plans", plan["id"])[-1]["at"].date()
    newer = extract(store, tmp_path, "newer", PLAN_OPEN, changed_on + dt.timedelta(days=1))
    assert ([], "NEG") == (newer.left_alone, store.rows("cp_plans")[0]["latest_category"])
