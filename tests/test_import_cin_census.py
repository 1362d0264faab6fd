"""Importing a CIN census return: what it becomes in cptrack, and the import's guarantees
(all or nothing, idempotent, audited, dry run, partial) on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import datetime as dt
import zipfile

import pytest
from census_samples import REF, changed, clean_child, d, episode, plan, s47, write
from db_state import counts, snapshot

from cptrack.interchange.imports import cin_census
from cptrack.interchange.imports.report import ImportFileError, ImportRefused


def _import(store, path, **kwargs):
    return cin_census.import_file(store, path, **kwargs)


def _only(rows, **equal):
    found = [r for r in rows if all(r[k] == v for k, v in equal.items())]
    assert 1 == len(found), f"expected one row with {equal}, found {len(found)}"
    return found[0]


# ---------------------------------------------------------------------------
# What a census becomes


def test_a_census_child_becomes_records_the_engine_can_check(store, tmp_path):
    """Child, episode, s47 with its strategy discussion, plan, ICPC and reviews, linked."""
    result = _import(store, write(tmp_path / "c.xml", [clean_child("T0001")]))
    assert result.committed
    child = store.get("children", "T0001")
    assert ("Child", "T0001") == (child["given_name"], child["family_name"])
    assert (
        d("2016-05-10"),
        "F",
        "WBRI",
    ) == (child["date_of_birth"], child["sex"], child["ethnicity"])
    assert child["disability"] is False
    (ep,) = store.rows("cin_episodes")
    (s,) = store.rows("s47_enquiries")
    (sd,) = store.rows("strategy_discussions")
    (p,) = store.rows("cp_plans")
    assert (s["start_date"], s["icpc_target"], s["episode_id"]) == (
        d("2025-06-04"),
        d("2025-06-25"),
        ep["id"],
    )
    assert (sd["date"], sd["s47_initiated"], s["strategy_discussion_id"]) == (
        d("2025-06-04"),
        True,
        sd["id"],
    )
    assert (
        d("2025-06-20"),
        None,
        "NEG",
        False,
    ) == (p["start_date"], p["end_date"], p["initial_category"], p["pre_birth"])
    confs = store.rows("conferences")
    icpc = _only(confs, type="initial")
    assert (icpc["held_date"], icpc["plan_id"], icpc["s47_id"], icpc["outcome"]) == (
        d("2025-06-20"),
        p["id"],
        s["id"],
        "cp_plan",
    )
    assert "NEG" == icpc["category"]
    reviews = sorted((c["held_date"], c["outcome"]) for c in confs if c["type"] == "review")
    assert [
        (d("2025-09-12"), "plan_continues"),
        (d("2026-02-27"), "plan_continues"),
    ] == reviews


def test_pre_birth_cin_level_icpc_and_cin_plan_outcomes(store, tmp_path):
    """An unborn child's ICPC is pre-birth; a CINdetails-level ICPC needs no s47; an ICPC
    followed the same day by a CIN plan has the outcome cin_plan; a review on the plan's
    end date ends it."""
    unborn = changed(
        lambda c: (
            c.pop("PersonBirthDate"),
            c.update(ExpectedPersonBirthDate=d("2026-06-01"), Sex="U"),
            plan(c).update(CPPendDate=d("2026-02-27")),
        )
    )
    unborn["LAchildID"] = "T0002"
    no_s47 = changed(
        lambda c: (
            episode(c).update(DateOfInitialCPC=d("2025-06-20"), Section47=[]),
            episode(c).update(ChildProtectionPlans=[]),
            episode(c)["CINPlanDates"].append({"CINPlanStartDate": d("2025-06-20")}),
        )
    )
    no_s47["LAchildID"] = "T0003"
    _import(store, write(tmp_path / "c.xml", [unborn, no_s47]))
    pre = _only(store.rows("conferences", child_id="T0002"), type="pre_birth")
    assert "cp_plan" == pre["outcome"]
    (p,) = store.rows("cp_plans", child_id="T0002")
    assert p["pre_birth"] is True
    last = _only(store.rows("conferences", child_id="T0002"), held_date=d("2026-02-27"))
    assert "plan_ends" == last["outcome"]
    icpc = _only(store.rows("conferences", child_id="T0003"))
    assert ("initial", None, "cin_plan") == (icpc["type"], icpc["s47_id"], icpc["outcome"])
    (cin_plan,) = store.rows("cin_plans", child_id="T0003")
    assert d("2025-06-20") == cin_plan["start_date"]


def test_variations_real_files_have(store, tmp_path):
    """GenderCurrent instead of Sex, TRUE/1 for yes, no ChildCharacteristics, a namespace,
    several dates in one Reviews group, and an unknown module kept aside."""
    text = f"""<?xml version="1.0"?>
<Message xmlns="http://www.example.invalid/cin">
 <Header><CollectionDetails><ReferenceDate>{REF}</ReferenceDate></CollectionDetails>
  <Source><LEA>999</LEA></Source></Header>
 <Children><Child>
  <ChildIdentifiers><LAchildID>V1</LAchildID><PersonBirthDate>2014-02-03</PersonBirthDate>
   <GenderCurrent>2</GenderCurrent></ChildIdentifiers>
  <CINdetails><CINreferralDate>2025-06-02</CINreferralDate><ReferralNFA>0</ReferralNFA>
   <Section47><S47ActualStartDate>2025-06-04</S47ActualStartDate>
    <DateOfInitialCPC>2025-06-20</DateOfInitialCPC><ICPCnotRequired>FALSE</ICPCnotRequired>
   </Section47>
   <ChildProtectionPlans><CPPstartDate>2025-06-20</CPPstartDate>
    <InitialCategoryOfAbuse>a) Neglect</InitialCategoryOfAbuse>
    <LatestCategoryOfAbuse>emo</LatestCategoryOfAbuse><NumberOfPreviousCPP>1</NumberOfPreviousCPP>
    <Reviews><CPPreviewDate>2025-09-12</CPPreviewDate><CPPreviewDate>2026-02-27</CPPreviewDate>
    </Reviews></ChildProtectionPlans>
   <PreProceedings><PPStartDate>2025-10-01</PPStartDate><PPOutcome>1</PPOutcome></PreProceedings>
  </CINdetails>
  <SocialWorkerNote>seen at school</SocialWorkerNote>
 </Child></Children></Message>"""
    path = tmp_path / "odd.xml"
    path.write_text(text, encoding="utf-8")
    result = _import(store, path)
    child = store.get("children", "V1")
    assert ("F", "NOBT", None) == (child["sex"], child["ethnicity"], child["disability"])
    (p,) = store.rows("cp_plans")
    assert (
        "NEG",
        "EMO",
        1,
    ) == (p["initial_category"], p["latest_category"], p["previous_plans"])
    assert 2 == len(store.rows("conferences", type="review"))
    extras = {e["element"]: e for e in store.rows("source_extras")}
    assert {"CINdetails[1]/PreProceedings[1]", "SocialWorkerNote[1]"} == set(extras)
    assert "<PPOutcome>1</PPOutcome>" in extras["CINdetails[1]/PreProceedings[1]"]["content"]
    assert extras["SocialWorkerNote[1]"]["source"] == f"CIN census {REF} LA 999"
    assert any("kept aside" in n for n in result.notes)


# ---------------------------------------------------------------------------
# Import guarantees


def test_reimport_changes_nothing(store, tmp_path):
    """The same file twice: the second import writes nothing, not even audit rows."""
    path = write(tmp_path / "c.xml", [clean_child("T0001"), clean_child("T0002")])
    first = _import(store, path)
    before = snapshot(store)
    second = _import(store, path)
    assert snapshot(store) == before
    assert 0 == second.changed
    assert second.total("unchanged") == first.total("inserted")


def test_every_inserted_record_has_its_audit_row(store, tmp_path):
    """One audit row per record, saying insert, with the values and the file in the note."""
    result = _import(store, write(tmp_path / "c.xml", [clean_child("T0001")]))
    audit = store.audit()
    assert len(audit) == result.total("inserted")
    plan_row = store.rows("cp_plans")[0]
    (entry,) = store.audit("cp_plans", plan_row["id"])
    assert ("insert", 1, "test-user") == (entry["action"], entry["version"], entry["user"])
    assert "2025-06-20" == entry["after"]["start_date"]
    assert "import CIN census c.xml" in entry["note"]
    assert f"reference date {REF}" in entry["note"]


def test_a_later_file_updates_what_changed_and_the_audit_says_so(store, tmp_path):
    """The plan ends and a review is added: one update (before and after), one insert."""
    _import(store, write(tmp_path / "c1.xml", [clean_child("T0001")]))
    later = changed(
        lambda c: plan(c).update(
            CPPendDate=d("2026-03-20"),
            LatestCategoryOfAbuse="EMO",
            Reviews=[d("2025-09-12"), d("2026-02-27"), d("2026-03-20")],
        )
    )
    result = _import(store, write(tmp_path / "c2.xml", [later]))
    assert {"updated": 1} == dict(result.counts["cp_plans"])
    assert {"unchanged": 3, "inserted": 1} == dict(result.counts["conferences"])
    (p,) = store.rows("cp_plans")
    assert (d("2026-03-20"), "EMO", 2) == (p["end_date"], p["latest_category"], p["version"])
    update = store.audit("cp_plans", p["id"])[-1]
    assert "update" == update["action"]
    assert {"end_date": None, "latest_category": "NEG"} == update["before"]
    assert {"end_date": "2026-03-20", "latest_category": "EMO"} == update["after"]
    assert "c2.xml" in update["note"]
    last = _only(store.rows("conferences"), held_date=d("2026-03-20"))
    assert "plan_ends" == last["outcome"]


def test_records_typed_into_cptrack_are_matched_not_duplicated(store, tmp_path):
    """A child and plan entered through the forms are updated by the census, names kept."""
    with store.transaction() as tx:
        tx.add(
            "children",
            {
                "id": "T0001",
                "given_name": "Aisha",
                "family_name": "Khan",
                "date_of_birth": d("2016-05-10"),
            },
        )
        tx.add(
            "cp_plans",
            {
                "child_id": "T0001",
                "start_date": d("2025-06-20"),
                "initial_category": "NEG",
                "latest_category": "NEG",
            },
        )
    result = _import(store, write(tmp_path / "c.xml", [clean_child("T0001")]))
    assert {"updated": 1} == dict(result.counts["cp_plans"])  # linked to its episode
    child = store.get("children", "T0001")
    assert ("Aisha", "Khan", "F") == (child["given_name"], child["family_name"], child["sex"])
    assert 1 == len(store.rows("cp_plans"))


def test_dry_run_reports_and_writes_nothing(store, tmp_path):
    before = snapshot(store)
    result = _import(store, write(tmp_path / "c.xml", [clean_child("T0001")]), dry_run=True)
    assert snapshot(store) == before
    assert not result.committed
    assert 8 == result.total("inserted")
    assert "Dry run: nothing was written." in result.summary()


def _broken_category(child_id="T0002"):
    child = changed(lambda c: plan(c).update(InitialCategoryOfAbuse="XYZ"))
    child["LAchildID"] = child_id
    return child


def test_a_refused_file_leaves_the_database_exactly_as_it_was(store, tmp_path):
    """One bad plan: nothing of the file is imported, and every problem is listed."""
    _import(store, write(tmp_path / "c0.xml", [clean_child("T0001")]))
    before = snapshot(store)
    later = changed(lambda c: plan(c).update(CPPendDate=d("2026-03-20")))
    path = write(tmp_path / "c1.xml", [later, _broken_category("T0002")])
    with pytest.raises(ImportRefused) as refused:
        _import(store, path)
    assert snapshot(store) == before
    result = refused.value.result
    assert not result.committed
    problem = result.problems[0]
    assert "Child 2 (T0002) › CINdetails 1 › ChildProtectionPlans 1" == problem.where
    assert "InitialCategoryOfAbuse" == problem.field
    assert "'XYZ' is not a category of abuse" in problem.reason
    assert "T0002" == problem.child
    # The plan's ICPC and reviews depend on it, and say so.
    dependants = [p for p in result.problems[1:] if p.child == "T0002"]
    assert {"ChildProtectionPlans"} == {p.field for p in dependants}
    assert all("was not imported" in p.reason for p in dependants)
    assert "Not imported" in result.summary()


def test_partial_imports_the_good_records_and_reports_each_refused_one(store, tmp_path):
    path = write(tmp_path / "c.xml", [clean_child("T0001"), _broken_category("T0002")])
    result = _import(store, path, partial=True)
    assert result.committed
    assert {"T0001"} == {p["child_id"] for p in store.rows("cp_plans")}
    assert store.get("children", "T0002") is not None  # the child itself was fine
    assert 1 == result.counts["cp_plans"]["rejected"]
    assert 3 == result.counts["conferences"]["rejected"]
    assert all(p.child == "T0002" and p.where and p.reason for p in result.problems)


def test_a_malformed_file_after_written_batches_leaves_the_database_as_it_was(store, tmp_path):
    """The XML breaks after several batches were written: the whole import is undone."""
    _import(store, write(tmp_path / "c0.xml", [clean_child("T0009")]))
    before = snapshot(store)
    good = write(tmp_path / "good.xml", [clean_child(f"T{i:04d}") for i in range(1, 6)])
    text = good.read_text()
    cut = text.index("<Child>", text.index("T0004"))  # inside the 4th child's successor
    broken = tmp_path / "broken.xml"
    broken.write_text(text[: cut + 40])
    with pytest.raises(ImportFileError, match="not well-formed XML"):
        _import(store, broken, batch_children=1)
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n", "is empty"),
        (b"LAchildID,CPPstartDate\nT1,2025-06-20\n", "is not XML"),
        (None, "is an Excel workbook"),
        (b"<?xml version='1.0'?><Returns><Child/></Returns>", "root element is <Returns>"),
        (
            b"<Message><Children><Child/></Children><Header><ReferenceDate>2026-03-31"
            b"</ReferenceDate></Header></Message>",
            "no Header/CollectionDetails/ReferenceDate before its children",
        ),
        (
            b"<Message><Header><ReferenceDate>31/03/2026</ReferenceDate></Header></Message>",
            "ReferenceDate '31/03/2026' is not a date",
        ),
        (b"<Message><Header><ReferenceDate>2026-03-31</Header>", "not well-formed XML"),
    ],
)
def test_files_that_are_not_census_returns_get_a_clear_error(tmp_path, content, message):
    path = tmp_path / "file.xml"
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
    else:
        path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        cin_census.validate_file(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ImportFileError, match="does not exist"):
        cin_census.validate_file(tmp_path / "nope.xml")


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (
            lambda c: c.update(PersonBirthDate=d("1900-01-01")),
            "PersonBirthDate",
            "1900-01-01 is before 1990-01-01; check the year",
        ),
        (
            lambda c: (
                plan(c).update(CPPstartDate=d("2100-01-04"), Reviews=[]),
                s47(c).update(DateOfInitialCPC=None),
            ),
            "CPPstartDate",
            "2100-01-04 is more than 2 years ahead",
        ),
        (
            lambda c: s47(c).update(DateOfInitialCPC="2025-06-31"),
            "DateOfInitialCPC",
            "'2025-06-31' is not a date in the census form YYYY-MM-DD",
        ),
        (
            lambda c: s47(c).update(ICPCnotRequired="maybe"),
            "ICPCnotRequired",
            "'maybe' is not yes or no",
        ),
        (
            lambda c: plan(c).update(Reviews=[d("2025-06-20")]),
            "CPPreviewDate",
            "is on or before the plan's start (20/06/2025); a review comes after the plan "
            "starts (DfE rule 8841)",
        ),
        (
            lambda c: episode(c)["ChildProtectionPlans"].append(
                {
                    "CPPstartDate": d("2026-01-05"),
                    "InitialCategoryOfAbuse": "PHY",
                    "LatestCategoryOfAbuse": "PHY",
                    "NumberOfPreviousCPP": 1,
                }
            ),
            "CPPendDate",
            "the child already has an open plan",
        ),
        (
            lambda c: (
                plan(c).update(CPPendDate=d("2025-12-01")),
                episode(c)["ChildProtectionPlans"].append(
                    {
                        "CPPstartDate": d("2025-11-03"),
                        "InitialCategoryOfAbuse": "PHY",
                        "LatestCategoryOfAbuse": "PHY",
                        "NumberOfPreviousCPP": 1,
                    }
                ),
            ),
            "CPPstartDate",
            "DfE rule 8940",
        ),
        (
            lambda c: plan(c).update(CPPendDate=d("2025-06-20"), Reviews=[]),
            "CPPendDate",
            "DfE rules 8840, 8925",
        ),
    ],
)
def test_records_the_store_cannot_hold_are_refused_with_the_element_named(
    sqlite_url, tmp_path, change, field, reason
):
    """Dates out of range, unreadable values and the cross-record rules refuse the record."""
    from cptrack.storage.store import Store

    store = Store.open(sqlite_url, migrate=True)
    with pytest.raises(ImportRefused) as refused:
        _import(store, write(tmp_path / "c.xml", [changed(change)]))
    problems = refused.value.result.problems
    assert any(p.field == field and reason in p.reason for p in problems), [
        str(p) for p in problems
    ]
    assert {} == counts(store), "nothing of the file is kept"


def test_a_child_given_twice_is_refused(sqlite_url, tmp_path):
    from cptrack.storage.store import Store

    store = Store.open(sqlite_url, migrate=True)
    twice = [clean_child("T0001"), copy.deepcopy(clean_child("T0001"))]
    twice[1]["Sex"] = "M"
    with pytest.raises(ImportRefused) as refused:
        _import(store, write(tmp_path / "c.xml", twice), batch_children=1)
    assert "T0001 appears twice in the file (also at Child 1 (T0001))" in str(
        refused.value.result.problems[0]
    )


def test_findings_come_with_the_import(sqlite_url, tmp_path):
    """The data-quality report is made on every import, from the file's own values."""
    from cptrack.storage.store import Store

    store = Store.open(sqlite_url, migrate=True)
    late = changed(lambda c: plan(c).update(Reviews=[d("2025-10-01"), d("2026-02-27")]))
    result = _import(store, write(tmp_path / "c.xml", [late]))
    assert ["CPT-RCPC-3M"] == list(result.findings["code"])
    assert result.reference_date == REF
    assert isinstance(result.reference_date, dt.date)
