"""Annex A as authorities really send it: headings moved, added or renamed, Excel serial
dates, categories with or without "a)", as a workbook or CSV; and the round trip from the
demo caseload."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from db_state import snapshot
from openpyxl import Workbook

from cptrack.demo import synthetic as demo
from cptrack.interchange.exports import annex_a as annex_export
from cptrack.interchange.imports import annex_a, annex_a_file
from cptrack.interchange.imports.report import ImportFileError, ImportRefused
from cptrack.rules import workdays
from cptrack.storage.store import Store

REF = dt.date(2026, 3, 31)
D = dt.date.fromisoformat

LIST_7_HEADINGS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
    "Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
]
LIST_5_HEADINGS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "Allocated Team",
    "Allocated Worker",
]


def list_7_row(**changes):
    row = {
        "Child Unique ID": "A001",
        "Gender": "Female",
        "Ethnicity": "WBRI",
        "Date of Birth": D("2017-03-14"),
        "Age of Child (Years)": 9,
        "Does the Child have a Disability": "No",
        "Child Protection Plan Start Date": D("2025-10-03"),
        "Initial Category of Abuse": "a) Neglect",
        "Latest Category of Abuse": "d) Emotional abuse",
        "Date of the Last Statutory Visit": D("2026-03-20"),
        "Was the Child Seen Alone?": "Yes",
        "Date of latest review conference": D("2025-12-19"),
        "Child Protection Plan End Date": None,
        LIST_7_HEADINGS[13]: "N",
        "Number of Previous Child Protection Plans": 1,
        "Allocated Team": "Safeguarding Team 2",
        "Allocated Worker": "Sam Social-Worker",
    }
    row.update(changes)
    return row


def list_5_row(**changes):
    row = {
        "Child Unique ID": "A001",
        "Gender": "Female",
        "Ethnicity": "WBRI",
        "Date of Birth": D("2017-03-14"),
        "Age of Child (Years)": 9,
        "Does the Child have a Disability": "No",
        "Strategy discussion initiating Section 47 Enquiry Start Date": D("2025-09-15"),
        "Was an Initial Child Protection Conference deemed unnecessary?": "No",
        "Date of Initial Child Protection Conference": D("2025-10-03"),
        "Did the Initial Child Protection Conference Result in a Child Protection Plan": "Yes",
        "Allocated Team": "Safeguarding Team 2",
        "Allocated Worker": "Sam Social-Worker",
    }
    row.update(changes)
    return row


def workbook(path, sheets: dict[str, tuple[list[str], list[dict]]], title_rows=0):
    book = Workbook()
    book.remove(book.active)
    for name, (headings, rows) in sheets.items():
        ws = book.create_sheet(name)
        for n in range(title_rows):
            ws.append([f"Annex A template, title line {n + 1}"])
        ws.append(headings)
        for row in rows:
            ws.append([row.get(h) for h in headings])
    book.save(path)
    return path


def _import(store, path, **kwargs):
    return annex_a.import_file(store, path, REF, **kwargs)


# ---------------------------------------------------------------------------
# What a workbook becomes


def test_list_7_and_list_5_become_linked_records(store, tmp_path):
    path = workbook(
        tmp_path / "annex.xlsx",
        {"List 7": (LIST_7_HEADINGS, [list_7_row()]), "List 5": (LIST_5_HEADINGS, [list_5_row()])},
    )
    result = _import(store, path)
    child = store.get("children", "A001")
    assert (
        "F",
        D("2017-03-14"),
        False,
    ) == (child["sex"], child["date_of_birth"], child["disability"])
    assert "Sam Social-Worker" == child["social_worker"]
    (team,) = store.rows("teams")
    assert (team["name"], team["kind"], child["team_id"]) == (
        "Safeguarding Team 2",
        "social_work",
        team["id"],
    )
    (plan,) = store.rows("cp_plans")
    assert (
        D("2025-10-03"),
        "NEG",
        "EMO",
    ) == (plan["start_date"], plan["initial_category"], plan["latest_category"])
    assert 1 == plan["previous_plans"]
    (visit,) = store.rows("visits")
    assert (visit["date"], visit["seen"], visit["seen_alone"], visit["plan_id"]) == (
        D("2026-03-20"),
        True,
        True,
        plan["id"],
    )
    (s47,) = store.rows("s47_enquiries")
    assert (D("2025-09-15"), False) == (s47["start_date"], s47["icpc_not_required"])
    icpc = store.rows("conferences", type="initial")[0]
    assert (
        icpc["held_date"],
        icpc["plan_id"],
        icpc["s47_id"],
        icpc["outcome"],
        icpc["category"],
    ) == (
        D("2025-10-03"),
        plan["id"],
        s47["id"],
        "cp_plan",
        "NEG",
    )
    review = store.rows("conferences", type="review")[0]
    assert (review["held_date"], review["plan_id"], review["outcome"]) == (
        D("2025-12-19"),
        plan["id"],
        "plan_continues",
    )
    (epo,) = store.rows("source_extras")
    assert epo["element"].startswith("List 7/Subject to Emergency Protection Order")
    assert "N" == epo["content"]
    assert "found List 7 in sheet 'List 7', List 5 in sheet 'List 5'" in result.notes[0]


def test_headings_reordered_renamed_and_extra_columns_with_title_rows(store, tmp_path):
    """Columns in another order, short headings, an added local column, title lines above,
    sheets named anything: read the same."""
    headings = [
        "Latest Category of Abuse",
        "ALLOCATED WORKER",
        "child unique id",
        "Local risk rating",
        "CP Plan Start Date",
        "DOB",
        "Initial category of abuse",
        "Age",
        "Gender",
    ]
    row = {
        "Latest Category of Abuse": "Emotional abuse",
        "ALLOCATED WORKER": "Sam Social-Worker",
        "child unique id": "A002",
        "Local risk rating": "High",
        "CP Plan Start Date": D("2025-11-07"),
        "DOB": D("2019-01-02"),
        "Initial category of abuse": "Neglect",
        "Age": 7,
        "Gender": "M",
    }
    path = workbook(tmp_path / "annex.xlsx", {"Sheet1": (headings, [row])}, title_rows=2)
    result = _import(store, path)
    (plan,) = store.rows("cp_plans")
    assert (
        "A002",
        D("2025-11-07"),
        "NEG",
        "EMO",
    ) == (
        plan["child_id"],
        plan["start_date"],
        plan["initial_category"],
        plan["latest_category"],
    )
    (extra,) = store.rows("source_extras")
    assert ("List 7/Local risk rating/2025-11-07", "High") == (extra["element"], extra["content"])
    assert any("'Local risk rating'" in n for n in result.notes)


def test_excel_serial_dates_text_dates_and_unprefixed_categories(store, tmp_path):
    """Dates as Excel serial numbers or UK text; categories as codes, labels or lettered."""
    rows = [
        list_7_row(
            **{
                "Child Unique ID": "A003",
                "Date of Birth": 42445,  # 16/03/2016
                "Child Protection Plan Start Date": 46003,  # 12/12/2025
                "Initial Category of Abuse": "PHY",
                "Latest Category of Abuse": "physical abuse",
                "Date of the Last Statutory Visit": "20/03/2026",
                "Date of latest review conference": None,
            }
        ),
        list_7_row(
            **{
                "Child Unique ID": "A004",
                "Date of Birth": "5 Jan 2020",
                "Child Protection Plan Start Date": "03-11-2025",
                "Initial Category of Abuse": "e) Multiple/not recommended",
                "Latest Category of Abuse": "Sexual Abuse",
                "Date of latest review conference": "30/01/2026",
            }
        ),
    ]
    path = workbook(tmp_path / "annex.xlsx", {"CP": (LIST_7_HEADINGS, rows)})
    _import(store, path)
    plans = {p["child_id"]: p for p in store.rows("cp_plans")}
    assert (
        D("2025-12-12"),
        "PHY",
        "PHY",
    ) == (
        plans["A003"]["start_date"],
        plans["A003"]["initial_category"],
        plans["A003"]["latest_category"],
    )
    assert D("2016-03-16") == store.get("children", "A003")["date_of_birth"]
    assert (
        D("2025-11-03"),
        "MUL",
        "SAB",
    ) == (
        plans["A004"]["start_date"],
        plans["A004"]["initial_category"],
        plans["A004"]["latest_category"],
    )
    assert D("2020-01-05") == store.get("children", "A004")["date_of_birth"]


def test_pre_birth_plans_and_unborn_children(store, tmp_path):
    """A plan starting before the date of birth is pre-birth; a date of birth after the
    reference date is the expected date of delivery."""
    rows = [
        list_7_row(
            **{
                "Child Unique ID": "B1",
                "Date of Birth": D("2026-01-20"),
                "Child Protection Plan Start Date": D("2025-11-14"),
                "Date of latest review conference": D("2026-02-13"),
                "Date of the Last Statutory Visit": D("2026-03-02"),
            }
        ),
        list_7_row(
            **{
                "Child Unique ID": "B2",
                "Date of Birth": D("2026-05-30"),
                "Gender": "Unborn",
                "Child Protection Plan Start Date": D("2026-02-27"),
                "Date of latest review conference": None,
                "Date of the Last Statutory Visit": None,
            }
        ),
    ]
    _import(store, workbook(tmp_path / "annex.xlsx", {"L7": (LIST_7_HEADINGS, rows)}))
    plans = {p["child_id"]: p for p in store.rows("cp_plans")}
    assert plans["B1"]["pre_birth"] is True
    assert plans["B2"]["pre_birth"] is True
    unborn = store.get("children", "B2")
    assert (
        None,
        D("2026-05-30"),
        "U",
    ) == (unborn["date_of_birth"], unborn["expected_date_of_delivery"], unborn["sex"])


def test_a_csv_list_with_yes_no_variants(store, tmp_path):
    path = tmp_path / "list5.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(LIST_5_HEADINGS)
        w.writerow(["C9", "M", "WBRI", "01/02/2015", "11", "N", "02/03/2026", "Y", "", "", "", ""])
        w.writerow(
            [
                "C8",
                "F",
                "WBRI",
                "01/02/2016",
                "10",
                "no",
                "09/02/2026",
                "FALSE",
                "27/02/2026",
                "No",
                "",
                "",
            ]
        )
    result = _import(store, path)
    s47s = {s["child_id"]: s for s in store.rows("s47_enquiries")}
    assert s47s["C9"]["icpc_not_required"] is True
    assert s47s["C8"]["icpc_not_required"] is False
    (icpc,) = store.rows("conferences")
    assert (
        "C8",
        D("2026-02-27"),
        None,
        None,
    ) == (icpc["child_id"], icpc["held_date"], icpc["outcome"], icpc["plan_id"])
    assert "List 5" in result.notes[0]


def test_the_same_file_twice_changes_nothing(store, tmp_path):
    path = workbook(
        tmp_path / "annex.xlsx",
        {"List 7": (LIST_7_HEADINGS, [list_7_row()]), "List 5": (LIST_5_HEADINGS, [list_5_row()])},
    )
    _import(store, path)
    before = snapshot(store)
    again = _import(store, path)
    assert snapshot(store) == before
    assert 0 == again.changed


# ---------------------------------------------------------------------------
# What cannot be read


def test_no_list_found_names_what_was_looked_for_and_found(tmp_path):
    path = workbook(tmp_path / "other.xlsx", {"Sheet1": (["Name", "Date", "Team"], [])})
    with pytest.raises(ImportFileError) as error:
        annex_a_file.read(path)
    message = str(error.value)
    assert "no Annex A list found in other.xlsx" in message
    assert (
        "List 7 (child protection) needs 'Child Unique ID', 'Child Protection Plan Start Date'"
        in message
    )
    assert "sheet 'Sheet1': 'Name', 'Date', 'Team'" in message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.xlsx", b"", "is empty"),
        ("census.xml", b"<?xml version='1.0'?><Message/>", "is XML, not an Annex A workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, r"old Excel \(\.xls\)"),
        ("broken.xlsx", b"PK\x03\x04 this is not really a zip", "cannot be read as an Annex A"),
    ],
)
def test_files_that_are_not_annex_a(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        annex_a_file.read(path)


@pytest.mark.parametrize(
    ("changes", "heading", "reason"),
    [
        (
            {"Initial Category of Abuse": "f) Abuse of trust"},
            "Initial Category of Abuse",
            "'f) Abuse of trust' is not a category of abuse",
        ),
        (
            {"Child Protection Plan Start Date": "01/01/1900"},
            "Child Protection Plan Start Date",
            "1900-01-01 is before 1990-01-01; check the year",
        ),
        (
            {"Child Protection Plan End Date": "01/01/2100"},
            "Child Protection Plan End Date",
            "2100-01-01 is more than 2 years ahead",
        ),
        ({"Date of Birth": "31/02/2015"}, "Date of Birth", "'31/02/2015' is not a date"),
        (
            {"Was the Child Seen Alone?": "sometimes"},
            "Was the Child Seen Alone?",
            "'sometimes' is not yes or no",
        ),
        (
            {"Date of latest review conference": D("2025-10-03")},
            "Date of latest review conference",
            "DfE rule 8841",
        ),
    ],
)
def test_bad_values_are_refused_with_row_heading_and_reason(
    sqlite_url, tmp_path, changes, heading, reason
):
    store = Store.open(sqlite_url, migrate=True)
    path = workbook(tmp_path / "annex.xlsx", {"L7": (LIST_7_HEADINGS, [list_7_row(**changes)])})
    with pytest.raises(ImportRefused) as refused:
        _import(store, path)
    problems = refused.value.result.problems
    assert any(
        p.where == "L7 row 2" and p.field == heading and reason in p.reason for p in problems
    ), [str(p) for p in problems]
    assert [] == snapshot(store)["children"]


def test_partial_import_keeps_good_rows(sqlite_url, tmp_path):
    store = Store.open(sqlite_url, migrate=True)
    rows = [
        list_7_row(),
        list_7_row(**{"Child Unique ID": "A009", "Initial Category of Abuse": "??"}),
    ]
    result = _import(
        store, workbook(tmp_path / "a.xlsx", {"L7": (LIST_7_HEADINGS, rows)}), partial=True
    )
    assert ["A001"] == [p["child_id"] for p in store.rows("cp_plans")]
    assert {"L7 row 3"} == {p.where for p in result.problems}


# ---------------------------------------------------------------------------
# Round trip


AS_OF = dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with Store.open(str(path), migrate=True) as store:
        demo.populate(store, children=240, seed=11, as_of=AS_OF)
    return path


def annex_facts(store: Store, reference: dt.date):
    """What Annex A says, worked out from a store: List 7 plans (each child's latest plan,
    current or ended in the six months), their latest review and last visit; List 5
    ICPCs of s47 enquiries started in the six months."""
    since = workdays.add_months(reference, -6)
    plans = {}
    for p in store.rows("cp_plans"):
        current = p["start_date"] <= reference and (
            p["end_date"] is None or p["end_date"] > reference
        )
        ended = p["end_date"] is not None and since <= p["end_date"] <= reference
        if (current or ended) and (
            p["child_id"] not in plans or p["start_date"] > plans[p["child_id"]]["start_date"]
        ):
            plans[p["child_id"]] = p
    by_id = {p["id"]: p for p in store.rows("cp_plans")}
    held = [
        c
        for c in store.rows("conferences")
        if c["held_date"] and not c["stood_down"] and c["held_date"] <= reference
    ]
    latest_review = {}
    for c in held:
        if c["type"] == "review" and c["plan_id"] in by_id:
            key = (c["child_id"], by_id[c["plan_id"]]["start_date"])
            latest_review[key] = max(latest_review.get(key, c["held_date"]), c["held_date"])
    last_visit = {}
    for v in store.rows("visits"):
        p = plans.get(v["child_id"])
        if p is None or not v["seen"] or not p["start_date"] <= v["date"] <= reference:
            continue
        if v["child_id"] not in last_visit or v["date"] > last_visit[v["child_id"]][0]:
            last_visit[v["child_id"]] = (v["date"], v["seen_alone"])
    plan_facts = {
        (
            cid,
            p["start_date"],
            p["end_date"] if p["end_date"] and p["end_date"] <= reference else None,
            p["initial_category"],
            p["latest_category"],
            p["previous_plans"],
            latest_review.get((cid, p["start_date"])),
            last_visit.get(cid),
        )
        for cid, p in plans.items()
    }
    s47s = {s["id"]: s for s in store.rows("s47_enquiries")}
    icpcs = {
        (c["child_id"], s47s[c["s47_id"]]["start_date"], c["held_date"], c["outcome"] == "cp_plan")
        for c in held
        if c["type"] != "review"
        and c["s47_id"] in s47s
        and since <= s47s[c["s47_id"]]["start_date"] <= reference
    }
    return plan_facts, icpcs


def test_annex_a_round_trip(demo_db, store, tmp_path):
    """Demo → Annex A workbook → empty database: the same List 7 plans and reviews and the
    same List 5 ICPCs."""
    source = Store.open(str(demo_db))
    path = tmp_path / "annex.xlsx"
    counts = annex_export.export(source, path, AS_OF)
    assert counts["List 7"] > 100 and counts["List 5"] > 20
    result = _import(store, path)
    assert result.committed and not result.problems
    expected_plans, expected_icpcs = annex_facts(source, AS_OF)
    got_plans, got_icpcs = annex_facts(store, AS_OF)
    assert expected_plans == got_plans
    assert expected_icpcs == got_icpcs
    assert any(outcome for *_, outcome in expected_icpcs)
    assert sum(1 for *_, review, visit in expected_plans if review and visit) > 50


def test_annex_a_exports_each_list_as_csv_and_reads_it_back(demo_db, sqlite_url, tmp_path):
    source = Store.open(str(demo_db))
    for number in (7, 5):
        path = tmp_path / f"list{number}.csv"
        annex_export.export(source, path, AS_OF, only=number)
        read = annex_a_file.read(path)
        assert [a.number for a, _ in read.found] == [number]
    with pytest.raises(ValueError, match="a CSV file holds one list"):
        annex_export.export(source, tmp_path / "both.csv", AS_OF)


def _findings(store: Store, rules) -> set[tuple]:
    """The engine's findings for ``rules``, the plan named by child and start date."""
    import pandas as pd

    from cptrack.caseload import load
    from cptrack.engine import evaluate
    from cptrack.rules import profiles

    plans = {p["id"]: p["start_date"] for p in store.rows("cp_plans")}
    found = evaluate(load(store), profiles.load("national"), AS_OF)
    found = found[found["rule_id"].isin(rules)]
    return {
        (
            str(row["child_id"]),
            None if pd.isna(row["plan_id"]) else plans[int(row["plan_id"])],
            str(row["rule_id"]),
            *(
                None if pd.isna(row[c]) else row[c].date()
                for c in ("anchor_date", "due_date", "actual_date")
            ),
            str(row["status"]),
        )
        for row in found.to_dict("records")
    }


def test_annex_a_round_trip_gives_the_same_findings(demo_db, store, tmp_path):
    """The engine finds the same on the imported Annex A as on the demo database for the
    rules Annex A can answer: the ICPC's timing for List 5's enquiries, and the length and
    repetition of List 7's plans. (Review timing needs every review; Annex A has the latest.)"""
    source = Store.open(str(demo_db))
    path = tmp_path / "annex.xlsx"
    annex_export.export(source, path, AS_OF)
    _import(store, path)
    since = workdays.add_months(AS_OF, -6)
    listed = {(p["child_id"], p["start_date"]) for p in store.rows("cp_plans")}
    icpcs = {
        f for f in _findings(source, ["icpc_within_15wd"]) if f[3] is not None and f[3] >= since
    }
    plans = {f for f in _findings(source, ["plan_duration", "repeat_plan"]) if f[:2] in listed}
    assert len(icpcs) > 20 and len(plans) > 50
    assert icpcs == _findings(store, ["icpc_within_15wd"])
    assert plans == _findings(store, ["plan_duration", "repeat_plan"])
