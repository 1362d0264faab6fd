"""Case-system CSV extracts: the documented columns, header checks, links between files,
re-imports by source id."""

from __future__ import annotations

import datetime as dt

import pytest
from db_state import snapshot

from cptrack.interchange.imports import csv_file, csv_import
from cptrack.interchange.imports.report import ImportFileError, ImportRefused

REF = dt.date(2026, 3, 31)
D = dt.date.fromisoformat

CHILDREN = """Child ID,Given Name,Family Name,Date of Birth,Expected Date of Delivery,Sex,Ethnicity,Team,Social Worker
X1,Ada,Testchild,03/04/2017,,F,WBRI,North Team,Jo Worker
X2,Baby,Testchild,,2026-07-01,U,,North Team,Jo Worker
"""
PLANS = """child_id,start_date,end_date,initial_category,latest_category,previous_plans,source_id
X1,2025-10-03,,Neglect,,1,PLN-1
X2,2026-02-27,,EMO,,0,PLN-2
"""
CONFERENCES = """child_id,type,scheduled_date,held_date,outcome,category,plan_start_date,source_id
X1,ICPC,2025-10-03,2025-10-03,CP plan,NEG,2025-10-03,CONF-1
X1,RCPC,2026-01-02,2026-01-02,plan continues,NEG,2025-10-03,CONF-2
X1,RCPC,2026-07-02,,,,2025-10-03,CONF-3
X2,pre-birth,2026-02-27,2026-02-27,CP plan,EMO,2026-02-27,CONF-4
"""
VISITS = """child_id,date,seen,seen_alone,plan_start_date
X1,2026-03-20,yes,no,2025-10-03
X1,2026-03-06,Y,Y,2025-10-03
"""
CORE_GROUPS = """child_id,date,status,plan_start_date
X1,2025-10-15,held,2025-10-03
X1,2026-04-20,scheduled,2025-10-03
"""
ACTIONS = """child_id,description,owner,due_date,status,completed_date,plan_start_date
X1,Refer mother to the parenting programme,Jo Worker,2025-11-01,done,2025-10-28,2025-10-03
X1,School to report attendance weekly,Head teacher,2026-04-30,,,2025-10-03
"""


def files(tmp_path, **texts):
    out = {}
    for name, content in texts.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(content, encoding="utf-8")
        out[name] = path
    return out


def test_an_extract_of_every_record_type(store, tmp_path):
    """Children, plans, conferences, core groups, visits and actions, linked by child and
    plan start date, in one import."""
    paths = files(
        tmp_path,
        children=CHILDREN,
        plans=PLANS,
        conferences=CONFERENCES,
        core_groups=CORE_GROUPS,
        visits=VISITS,
        actions=ACTIONS,
    )
    result = csv_import.import_files(store, paths, REF)
    assert result.committed
    ada = store.get("children", "X1")
    assert (
        "Ada",
        "Testchild",
        "Jo Worker",
    ) == (ada["given_name"], ada["family_name"], ada["social_worker"])
    assert D("2026-07-01") == store.get("children", "X2")["expected_date_of_delivery"]
    plans = {p["child_id"]: p for p in store.rows("cp_plans")}
    assert (
        "NEG",
        1,
        "PLN-1",
    ) == (
        plans["X1"]["latest_category"],
        plans["X1"]["previous_plans"],
        plans["X1"]["source_id"],
    )
    confs = {c["source_id"]: c for c in store.rows("conferences")}
    assert (confs["CONF-1"]["type"], confs["CONF-1"]["outcome"], confs["CONF-1"]["plan_id"]) == (
        "initial",
        "cp_plan",
        plans["X1"]["id"],
    )
    assert (
        None,
        D("2026-07-02"),
    ) == (confs["CONF-3"]["held_date"], confs["CONF-3"]["scheduled_date"])
    assert "pre_birth" == confs["CONF-4"]["type"]
    assert {
        (D("2026-03-20"), False),
        (D("2026-03-06"), True),
    } == {(v["date"], v["seen_alone"]) for v in store.rows("visits")}
    assert {"held", "scheduled"} == {c["status"] for c in store.rows("core_groups")}
    actions = {a["description"]: a for a in store.rows("plan_actions")}
    assert "open" == actions["School to report attendance weekly"]["status"]
    assert all(a["plan_id"] == plans["X1"]["id"] for a in actions.values())


def test_reimport_by_source_id_updates_what_changed(store, tmp_path):
    paths = files(tmp_path, children=CHILDREN, plans=PLANS)
    csv_import.import_files(store, paths, REF)
    before = snapshot(store)
    assert 0 == csv_import.import_files(store, paths, REF).changed
    assert snapshot(store) == before
    ended = PLANS.replace("X1,2025-10-03,,Neglect", "X1,2025-10-03,2026-03-27,Neglect")
    result = csv_import.import_files(store, files(tmp_path, plans=ended), REF)
    assert {"updated": 1, "unchanged": 1} == dict(result.counts["cp_plans"])
    (plan,) = store.rows("cp_plans", source_id="PLN-1")
    assert (D("2026-03-27"), 2) == (plan["end_date"], plan["version"])
    assert {"end_date": "2026-03-27"} == store.audit("cp_plans", plan["id"])[-1]["after"]


def test_a_link_to_a_plan_already_in_cptrack(store, tmp_path):
    csv_import.import_files(store, files(tmp_path, children=CHILDREN, plans=PLANS), REF)
    result = csv_import.import_files(store, files(tmp_path, visits=VISITS), REF)
    assert 2 == result.counts["visits"]["inserted"]
    plan_id = store.rows("cp_plans", child_id="X1")[0]["id"]
    assert {v["plan_id"] for v in store.rows("visits")} == {plan_id}


def test_a_link_to_a_plan_nowhere_is_refused_naming_the_column(sqlite_url, tmp_path):
    from cptrack.storage.store import Store

    store = Store.open(sqlite_url, migrate=True)
    bad = VISITS.replace("X1,2026-03-20,yes,no,2025-10-03", "X1,2026-03-20,yes,no,2025-10-04")
    with pytest.raises(ImportRefused) as refused:
        csv_import.import_files(
            store, files(tmp_path, children=CHILDREN, plans=PLANS, visits=bad), REF
        )
    (problem,) = refused.value.result.problems
    assert ("visits.csv row 2", "plan_start_date") == (problem.where, problem.field)
    assert "there is no child protection plan of child X1 (04/10/2025)" in problem.reason
    assert 0 == store.count("children")


def test_a_header_that_does_not_match_lists_expected_and_found(tmp_path):
    path = tmp_path / "plans.csv"
    path.write_text("child_id,start,initial_category,end_dat\nX1,2025-10-03,NEG,\n")
    with pytest.raises(ImportFileError) as error:
        csv_file.read_file(path, "plans")
    message = str(error.value)
    assert "plans.csv: the header does not match the plans columns." in message
    assert "Missing: start_date." in message
    assert "Not recognised: 'start', 'end_dat'." in message
    assert "Expected: child_id, start_date, end_date, initial_category" in message
    assert "(required: child_id, start_date, initial_category)" in message
    assert "Found: 'child_id', 'start', 'initial_category', 'end_dat'." in message


def test_bad_values_name_row_column_and_reason(sqlite_url, tmp_path):
    from cptrack.storage.store import Store

    store = Store.open(sqlite_url, migrate=True)
    bad = PLANS.replace("X2,2026-02-27,,EMO", "X2,2026-02-30,,EMO").replace(
        "X1,2025-10-03,,Neglect", "X1,2025-10-03,,Abuse of trust"
    )
    with pytest.raises(ImportRefused) as refused:
        csv_import.import_files(store, files(tmp_path, children=CHILDREN, plans=bad), REF)
    problems = {(p.where, p.field): p.reason for p in refused.value.result.problems}
    assert (
        "'Abuse of trust' is not a category of abuse"
        in problems[("plans.csv row 2", "initial_category")]
    )
    assert "'2026-02-30' is not a real date" in problems[("plans.csv row 3", "start_date")]


@pytest.mark.parametrize(
    ("record_type", "content", "message"),
    [
        ("plans", "", "is empty"),
        ("cases", "a,b\n", "no CSV format 'cases'; the formats are children, plans"),
        ("plans", "<Message/>", "is XML"),
    ],
)
def test_files_that_cannot_be_read(tmp_path, record_type, content, message):
    path = tmp_path / "f.csv"
    path.write_text(content)
    with pytest.raises(ImportFileError, match=message):
        csv_file.read_file(path, record_type)


SOURCED_VISITS = """child_id,date,seen,seen_alone,source_id
X1,2026-03-20,yes,no,V-100
X1,2026-03-06,yes,yes,V-101
"""


def _held_source_id(store, source_id):
    """Child X2 (typed into cptrack) with a visit holding ``source_id``."""
    store.add(
        "children",
        {"id": "X2", "given_name": "Bo", "family_name": "Testchild", "date_of_birth": "2018-05-06"},
    )
    store.add(
        "visits", {"child_id": "X2", "date": "2026-01-09", "seen": True, "source_id": source_id}
    )


def test_a_source_id_another_childs_record_holds_is_refused_naming_the_field(store, tmp_path):
    """An extract giving a visit a source id that another child's visit holds: refused on
    source_id, the row named; nothing written."""
    _held_source_id(store, "V-100")
    paths = files(tmp_path, children=CHILDREN.replace("X2,", "X3,"), visits=SOURCED_VISITS)
    with pytest.raises(ImportRefused) as refused:
        csv_import.import_files(store, paths, REF)
    (problem,) = refused.value.result.problems
    assert ("visits.csv row 2", "source_id") == (problem.where, problem.field)
    assert 1 == store.count("visits")


def test_a_source_id_given_twice_in_a_file_is_refused_naming_the_field(store, tmp_path):
    """Two different visits with one source id in the same extract: the second is refused
    on source_id."""
    paths = files(
        tmp_path,
        children=CHILDREN.replace("X2,", "X3,"),
        visits=SOURCED_VISITS.replace("V-101", "V-100"),
    )
    with pytest.raises(ImportRefused) as refused:
        csv_import.import_files(store, paths, REF)
    assert [("visits.csv row 3", "source_id")] == [
        (p.where, p.field) for p in refused.value.result.problems
    ]


def test_a_source_id_the_database_refuses_is_a_refusal_not_sql(store, tmp_path):
    """A visit without a source id is given its natural one (child, kind, date); when a
    record typed by hand already holds it, the database refuses it and the import reports
    that visit on source_id, keeping the rest with --partial."""
    _held_source_id(store, "X1:visits:2026-03-20")
    unsourced = SOURCED_VISITS.replace(",source_id", "").replace(",V-100", "").replace(",V-101", "")
    paths = files(tmp_path, children=CHILDREN.replace("X2,", "X3,"), visits=unsourced)
    result = csv_import.import_files(store, paths, REF, partial=True)
    (problem,) = result.problems
    assert ("visits.csv row 2", "source_id", True) == (
        problem.where,
        problem.field,
        "'X1:visits:2026-03-20' is already held by another visit" in problem.reason,
    )
    assert [D("2026-03-06")] == [v["date"] for v in store.rows("visits", child_id="X1")]
