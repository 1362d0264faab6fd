"""Annex A workbooks on Ofsted's template, filled in as authorities fill them: lettered
drop-down options mixed with plain values, numeric ids, non-breaking spaces, decimal ages,
Excel and text dates, a pre-birth plan, a child on both lists, blank rows and notes."""

from __future__ import annotations

import datetime as dt

import pytest
from annex_template import (
    BLANK,
    EPO,
    ETHNICITY,
    LIST_5,
    LIST_7,
    S47_COUNT,
    SEX,
    build,
    workers,
)

from cptrack.interchange.imports import annex_a
from cptrack.interchange.imports.report import ImportRefused

REF = dt.date(2026, 3, 31)
D = dt.date.fromisoformat
WORKER, OTHER_WORKER = workers(2)


def at(day: str) -> dt.datetime:
    """A date as openpyxl writes a real Excel date cell (a datetime)."""
    return dt.datetime.fromisoformat(day)


def seven(**values) -> dict:
    """A List 7 row, the template's lettered options throughout."""
    row = dict(
        zip(
            LIST_7,
            [
                1001,
                "b) Female",
                "a) WBRI",
                at("2016-09-14"),
                9.54,
                "b) No",
                at("2025-10-03"),
                "a) Neglect",
                "c) Emotional abuse",
                "20/03/2026",
                "a) Yes",
                at("2025-12-19"),
                None,
                "b) No",
                0,
                "Safeguarding\u00a0Team East",
                WORKER,
            ],
            strict=True,
        )
    )
    return {**row, **values}


def five(**values) -> dict:
    """A List 5 row, the template's lettered options throughout."""
    row = dict(
        zip(
            LIST_5,
            [
                1001,
                "b) Female",
                "a) WBRI",
                at("2016-09-14"),
                9.54,
                "b) No",
                at("2025-09-15"),
                "b) No",
                at("2025-10-03"),
                "a) Yes",
                2,
                "Safeguarding\u00a0Team East",
                WORKER,
            ],
            strict=True,
        )
    )
    return {**row, **values}


PRE_BIRTH = {  # a plan made at a pre-birth conference, before the baby was born
    "Child Unique ID": 1002,
    "Gender": "a) Male",
    "Ethnicity": "s) NOBT",
    "Date of Birth": at("2026-01-20"),
    "Age of Child (Years)": 0.19,
}


def template_workbook(tmp_path):
    list_7 = [
        seven(),
        BLANK,
        seven(
            **PRE_BIRTH,
            **{
                "Child Protection Plan Start Date": "14/11/2025",
                "Initial Category of Abuse": "Physical abuse",
                "Latest Category of Abuse": None,
                "Date of the Last Statutory Visit": at("2026-03-02"),
                "Was the Child Seen Alone?": "No",
                "Date of latest review conference": at("2026-02-13"),
                "Allocated Worker": OTHER_WORKER,
            },
        ),
        BLANK,
        BLANK,
        seven(
            **{
                "Child Unique ID": "\u00a0A1003\u00a0",
                "Gender": "Male",
                "Ethnicity": "r) OOTH",
                "Date of Birth": "05/01/2012",
                "Age of Child (Years)": 14.23,
                "Does the Child have a Disability": "Yes",
                "Child Protection Plan Start Date": at("2025-06-02"),
                "Initial Category of Abuse": "e) Multiple/not recommended",
                "Latest Category of Abuse": "Sexual abuse",
                "Date of the Last Statutory Visit": "10 Feb 2026",
                "Was the Child Seen Alone?": "Yes",
                "Date of latest review conference": at("2026-02-20"),
                "Child Protection Plan End Date": at("2026-02-20"),
                EPO: "a) Yes",
                "Number of Previous Child Protection Plans": 1,
            }
        ),
    ]
    list_5 = [
        five(),
        five(
            **PRE_BIRTH,
            **{
                "Strategy discussion initiating Section 47 Enquiry Start Date": at("2025-10-30"),
                "Date of Initial Child Protection Conference": at("2025-11-14"),
                S47_COUNT: 1,
                "Allocated Worker": OTHER_WORKER,
            },
        ),
        BLANK,
        five(
            **{
                "Child Unique ID": 1005,
                "Gender": "b) Female",
                "Ethnicity": "Indian",
                "Date of Birth": at("2019-05-01"),
                "Age of Child (Years)": 6.92,
                "Strategy discussion initiating Section 47 Enquiry Start Date": "02/03/2026",
                "Was an Initial Child Protection Conference deemed unnecessary?": "a) Yes",
                "Date of Initial Child Protection Conference": None,
                "Did the Initial Child Protection Conference Result in a Child Protection Plan": None,
                S47_COUNT: 1,
            }
        ),
    ]
    return build(tmp_path / "annex_a.xlsx", list_7, list_5)


@pytest.fixture
def imported(store, tmp_path):
    """The template workbook imported as at 31 March 2026."""
    result = annex_a.import_file(store, template_workbook(tmp_path), REF)
    return store, result


def test_every_child_plan_icpc_visit_and_review_is_imported(imported):
    """Four children, three plans, three enquiries, two ICPCs, three visits, three reviews."""
    store, result = imported
    expected = {
        "children": 4,
        "cp_plans": 3,
        "s47_enquiries": 3,
        "strategy_discussions": 3,
        "visits": 3,
        "conferences": 5,
    }
    assert expected == {kind: store.count(kind) for kind in expected}
    assert ([], True) == (result.problems, result.committed)


def test_lettered_options_read_as_their_codes(imported):
    """``b) Female``, ``a) WBRI``, ``s) NOBT``, ``r) OOTH``, ``b) No``: the letter dropped."""
    store, _ = imported
    children = {c["id"]: c for c in store.rows("children")}
    assert ("F", "WBRI", False) == tuple(
        children["1001"][k] for k in ("sex", "ethnicity", "disability")
    )
    assert ("M", "NOBT") == (children["1002"]["sex"], children["1002"]["ethnicity"])
    assert ("M", "OOTH", True) == tuple(
        children["A1003"][k] for k in ("sex", "ethnicity", "disability")
    )
    assert ("F", "AIND") == (children["1005"]["sex"], children["1005"]["ethnicity"])


def test_lettered_and_plain_yes_no_in_one_workbook(imported):
    """Seen alone ``a) Yes`` and ``No``, ICPC unnecessary ``a) Yes`` and ``b) No``, plan
    made ``a) Yes``: each read, whichever way it is written."""
    store, _ = imported
    seen_alone = {v["child_id"]: v["seen_alone"] for v in store.rows("visits")}
    assert {"1001": True, "1002": False, "A1003": True} == seen_alone
    unnecessary = {s["child_id"]: s["icpc_not_required"] for s in store.rows("s47_enquiries")}
    assert {"1001": False, "1002": False, "1005": True} == unnecessary
    icpcs = {c["child_id"]: c["outcome"] for c in store.rows("conferences") if c["s47_id"]}
    assert {"1001": "cp_plan", "1002": "cp_plan"} == icpcs


def test_numeric_ids_and_non_breaking_spaces(imported):
    """Id 1001 typed as a number is child "1001"; non-breaking spaces around an id are
    trimmed, and in a team's or a worker's name read as spaces."""
    store, _ = imported
    child = store.get("children", "1001")
    team = store.get("teams", child["team_id"])
    assert (WORKER.replace("\u00a0", " "), "Safeguarding Team East") == (
        child["social_worker"],
        team["name"],
    )
    assert ["1001", "1002", "1005", "A1003"] == sorted(c["id"] for c in store.rows("children"))


def test_excel_and_text_dates_and_labels_for_categories(imported):
    """Real Excel dates and UK text dates; categories as lettered labels or plain labels."""
    store, _ = imported
    plans = {p["child_id"]: p for p in store.rows("cp_plans")}
    assert (D("2025-10-03"), "NEG", "EMO") == (
        plans["1001"]["start_date"],
        plans["1001"]["initial_category"],
        plans["1001"]["latest_category"],
    )
    assert (D("2025-11-14"), "PHY", "PHY") == (
        plans["1002"]["start_date"],
        plans["1002"]["initial_category"],
        plans["1002"]["latest_category"],
    )
    assert (D("2025-06-02"), D("2026-02-20"), "MUL", "SAB", 1) == (
        plans["A1003"]["start_date"],
        plans["A1003"]["end_date"],
        plans["A1003"]["initial_category"],
        plans["A1003"]["latest_category"],
        plans["A1003"]["previous_plans"],
    )
    assert D("2012-01-05") == store.get("children", "A1003")["date_of_birth"]
    visits = {v["child_id"]: v["date"] for v in store.rows("visits")}
    assert {"1001": D("2026-03-20"), "1002": D("2026-03-02"), "A1003": D("2026-02-10")} == visits


def test_a_pre_birth_plan_starts_before_the_date_of_birth(imported):
    """The plan starting before the baby's birth is pre-birth, made at a pre-birth ICPC."""
    store, _ = imported
    (plan,) = store.rows("cp_plans", child_id="1002")
    (icpc,) = [c for c in store.rows("conferences", child_id="1002") if c["s47_id"]]
    assert (True, "pre_birth", plan["id"], D("2026-01-20")) == (
        plan["pre_birth"],
        icpc["type"],
        icpc["plan_id"],
        store.get("children", "1002")["date_of_birth"],
    )


def test_a_child_on_both_lists_is_one_child_with_linked_records(imported):
    """Child 1001 on List 7 and List 5: one child; the ICPC links the enquiry and the plan."""
    store, _ = imported
    (plan,) = store.rows("cp_plans", child_id="1001")
    (s47,) = store.rows("s47_enquiries", child_id="1001")
    conferences = store.rows("conferences", child_id="1001")
    icpc = next(c for c in conferences if c["type"] == "initial")
    review = next(c for c in conferences if c["type"] == "review")
    assert (plan["id"], s47["id"], "NEG") == (icpc["plan_id"], icpc["s47_id"], icpc["category"])
    assert (plan["id"], D("2025-12-19")) == (review["plan_id"], review["held_date"])
    assert 1 == len([c for c in store.rows("children") if c["id"] == "1001"])


def test_list_5_counts_and_the_epo_column_are_kept_aside(imported):
    """The List 5 count ("Number of Section 47 Enquiries in the last 12 months") and the
    EPO column have no field in cptrack: they are kept against the child as written."""
    store, _ = imported
    kept = {(e["child_id"], e["element"]): e["content"] for e in store.rows("source_extras")}
    assert "2" == kept[("1001", f"List 5/{S47_COUNT}/2025-09-15")]
    assert "1" == kept[("1005", f"List 5/{S47_COUNT}/2026-03-02")]
    assert "a) Yes" == kept[("A1003", f"List 7/{EPO[:100]}/2025-06-02")]
    assert "b) No" == kept[("1001", f"List 7/{EPO[:100]}/2025-10-03")]


def test_other_lists_blank_rows_and_the_notes_row_are_passed_over(imported):
    """Lists 1-4 and 6-11 are not read; blank rows are skipped; the notes line under each
    list is said to be a note, not refused as a child."""
    _, result = imported
    others = ", ".join(repr(f"List {n}") for n in (1, 2, 3, 4, 6, 8, 9, 10, 11))
    assert f"sheets {others}: not List 5 or List 7; not read" in result.notes
    notes = [n for n in result.notes if "is a note, not a child" in n]
    assert ["List 7 row 10", "List 5 row 8"] == [n.split(" is a ")[0] for n in notes]


def test_importing_the_template_again_changes_nothing(imported, tmp_path):
    """The same workbook a second time: nothing inserted or updated."""
    store, _ = imported
    again = annex_a.import_file(store, tmp_path / "annex_a.xlsx", REF)
    assert (0, []) == (again.changed, again.problems)


def test_the_reference_date_defaults_to_the_files_latest_date(store, tmp_path):
    """Without a reference date, the workbook speaks for its latest event date."""
    result = annex_a.import_file(store, template_workbook(tmp_path), dry_run=True)
    assert D("2026-03-20") == result.reference_date
    assert any(n.startswith("reference date 2026-03-20 (the file's latest") for n in result.notes)


@pytest.mark.parametrize(
    ("heading", "value", "accepted"),
    [
        ("Gender", "d) Other", "'a) Male', 'b) Female'"),
        ("Ethnicity", "t) XXXX", "'a) WBRI'"),
        ("Does the Child have a Disability", "c) Maybe", "'a) Yes' and 'b) No'"),
        ("Was the Child Seen Alone?", "Sometimes", "'a) Yes' and 'b) No'"),
        (EPO, "c) Unknown", "'a) Yes' and 'b) No'"),
        ("Initial Category of Abuse", "f) Other", "'a) Neglect'"),
    ],
)
def test_unknown_values_are_refused_by_row_column_and_value(
    store, tmp_path, heading, value, accepted
):
    """A value that is no option is refused naming the row, the column, the value and what
    the template's options would be."""
    path = build(tmp_path / "bad.xlsx", [seven(**{heading: value})], [])
    with pytest.raises(ImportRefused) as refused:
        annex_a.import_file(store, path, REF)
    problem = next(p for p in refused.value.result.problems if p.field == heading)
    assert ("List 7 row 3", True, True) == (
        problem.where,
        repr(value) in problem.reason,
        accepted in problem.reason,
    )
    assert 0 == store.count("children")


@pytest.mark.parametrize(
    ("heading", "value"),
    [
        ("Was an Initial Child Protection Conference deemed unnecessary?", "c) Perhaps"),
        ("Did the Initial Child Protection Conference Result in a Child Protection Plan", "Y?"),
        (S47_COUNT, "two"),
    ],
)
def test_unknown_list_5_values_are_refused_by_row_and_column(store, tmp_path, heading, value):
    """List 5's coded columns and its count are checked the same way."""
    path = build(tmp_path / "bad5.xlsx", [], [five(**{heading: value})])
    with pytest.raises(ImportRefused) as refused:
        annex_a.import_file(store, path, REF)
    problem = next(p for p in refused.value.result.problems if p.field == heading)
    assert ("List 5 row 3", True) == (problem.where, repr(value) in problem.reason)


def test_the_templates_drop_down_options_all_read():
    """Every option of the template's sex and ethnicity lists reads as a code."""
    from cptrack.interchange.imports.values import read_ethnicity, read_sex

    assert ["M", "F", "U"] == [read_sex(o) for o in SEX]
    assert [o.split(") ")[1] for o in ETHNICITY] == [read_ethnicity(o) for o in ETHNICITY]
    assert "s) NOBT" == ETHNICITY[18]
