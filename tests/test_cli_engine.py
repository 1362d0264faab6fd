"""The check, measures and profiles commands, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from cptrack.cli import main

D = dt.date


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run `cptrack ...` in-process; return the exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _seed(store) -> None:
    store.bulk_insert(
        {
            "staff": [
                {"id": 1, "name": "Alex Chair", "role": "chair"},
                {"id": 2, "name": "Bea Chair", "role": "chair"},
            ],
            "children": [
                {
                    "id": "C1",
                    "given_name": "Sam",
                    "family_name": "Test",
                    "date_of_birth": D(2018, 3, 1),
                    "chair_id": 1,
                },
                {
                    "id": "C2",
                    "given_name": "Kim",
                    "family_name": "Test",
                    "date_of_birth": D(2016, 6, 1),
                    "chair_id": 2,
                },
            ],
            "strategy_discussions": [{"id": 1, "child_id": "C1", "date": D(2026, 4, 24)}],
            "s47_enquiries": [
                {
                    "id": 1,
                    "child_id": "C1",
                    "start_date": D(2026, 4, 24),
                    "strategy_discussion_id": 1,
                }
            ],
            "cp_plans": [
                {
                    "id": 1,
                    "child_id": "C1",
                    "start_date": D(2026, 5, 18),
                    "initial_category": "NEG",
                    "latest_category": "NEG",
                },
                {
                    "id": 2,
                    "child_id": "C2",
                    "start_date": D(2025, 10, 6),
                    "initial_category": "EMO",
                    "latest_category": "EMO",
                    "previous_plans": 1,
                },
            ],
            "conferences": [
                {
                    "id": 1,
                    "child_id": "C1",
                    "type": "initial",
                    "plan_id": 1,
                    "s47_id": 1,
                    "scheduled_date": D(2026, 5, 18),
                    "held_date": D(2026, 5, 18),
                    "outcome": "cp_plan",
                    "category": "NEG",
                    "chair_id": 1,
                },
                {
                    "id": 2,
                    "child_id": "C1",
                    "type": "review",
                    "plan_id": 1,
                    "scheduled_date": D(2026, 8, 13),
                    "held_date": D(2026, 8, 13),
                    "scheduled_time": dt.time(10, 0),
                    "outcome": "plan_continues",
                    "category": "NEG",
                    "chair_id": 1,
                },
                {
                    "id": 3,
                    "child_id": "C2",
                    "type": "initial",
                    "plan_id": 2,
                    "scheduled_date": D(2025, 10, 6),
                    "held_date": D(2025, 10, 6),
                    "outcome": "cp_plan",
                    "category": "EMO",
                    "chair_id": 2,
                },
            ],
            "agency_reports": [
                {
                    "id": 1,
                    "conference_id": 2,
                    "agency": "police",
                    "received_by_chair": D(2026, 8, 7),
                    "shared_with_family": D(2026, 8, 7),
                },
                {
                    "id": 2,
                    "conference_id": 2,
                    "agency": "school",
                    "received_by_chair": D(2026, 8, 5),
                    "shared_with_family": D(2026, 8, 5),
                },
            ],
        },
        note="test caseload",
    )


@pytest.fixture
def db(store) -> str:
    _seed(store)
    return store.engine.url.render_as_string(hide_password=False)


def test_check_csv_lists_rule_status_due_date_and_a_seed_citation(db, capsys):
    """Sunderland's findings as CSV: each with a rule id, status, due date and citation."""
    code, out, _ = run(
        capsys,
        "check",
        "--db",
        db,
        "--profile",
        "sunderland",
        "--as-of",
        "2026-11-22",
        "--format",
        "csv",
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows
    for row in rows:
        assert row["rule_id"] and row["status"] and row["citation"] and row["basis_text"]
        assert row["due_date"] == "" or len(row["due_date"]) == 10
    sources = {r["citation"].split()[0] for r in rows if r["basis"] == "authority"}
    assert sources == {"003_b9b37e5469565ffe.txt"}
    local = {r["citation"] for r in rows if r["basis"] == "local"}
    assert local <= {"local setting"}


def _report_findings(out: str) -> set[tuple[str, str, str]]:
    rows = csv.DictReader(io.StringIO(out))
    return {
        (r["rule_id"], r["due_date"], r["status"])
        for r in rows
        if r["event"] in ("report_to_chair", "report_to_family")
    }


def test_dorset_and_sunderland_judge_reports_differently(db, capsys):
    """The report-deadline findings change with the authority's standards."""
    _, sund, _ = run(
        capsys,
        "check",
        "--db",
        db,
        "--profile",
        "sunderland",
        "--as-of",
        "2026-11-22",
        "--format",
        "csv",
    )
    _, dorset, _ = run(
        capsys,
        "check",
        "--db",
        db,
        "--profile",
        "dorset",
        "--as-of",
        "2026-11-22",
        "--format",
        "csv",
    )
    s, d = _report_findings(sund), _report_findings(dorset)
    assert s and d and s != d
    # Review on Thu 13 Aug 2026: Dorset wants reports by Thu 6 Aug (5 working days), so both
    # reports are late with the family; Sunderland's applied rule is the same, but its
    # professionals' reports to the chair are due 5 days before (Sat 8 Aug): both in time.
    assert ("dorset_reports_review_5wd", "2026-08-06", "met_late") in d
    assert ("sunderland_reports_to_chair_review_5d", "2026-08-08", "met") in s


def test_check_json_and_table_and_chair_filter(db, capsys):
    """JSON is a list of findings with ISO dates; --chair narrows to one chair's children."""
    code, out, _ = run(
        capsys,
        "check",
        "--db",
        db,
        "--as-of",
        "2026-11-22",
        "--format",
        "json",
        "--chair",
        "bea chair",
    )
    assert code == 0
    records = json.loads(out)
    assert {r["child_id"] for r in records} == {"C2"}
    code, out, _ = run(capsys, "check", "--db", db, "--as-of", "2026-11-22", "--open")
    assert code == 0
    assert "National (Working Together 2023 and local defaults):" in out.splitlines()[0]
    assert "overdue by" in out


@pytest.mark.parametrize("profile", ["national", "sunderland"])
def test_check_streams_the_same_csv_and_json_as_writing_the_whole_frame(db, profile):
    """`cptrack check` writes its output a few rows at a time: the same text, byte for byte,
    as the whole frame written at once (formula-like text made safe either way)."""
    from cptrack import engine
    from cptrack.caseload import load
    from cptrack.cli import check
    from cptrack.interchange import safe_cells
    from cptrack.rules import profiles
    from cptrack.storage.store import Store

    rules = profiles.load(profile)
    with Store.open(db) as store:
        findings = engine.evaluate(load(store), rules, D(2026, 11, 22))
    assert len(findings) > 7
    messages = findings["message"].cat.add_categories(["=HYPERLINK(1)"])
    messages[0] = "=HYPERLINK(1)"
    findings["message"] = messages
    whole_csv = io.StringIO()
    safe_cells.frame_to_csv(check.engine.findings_for_export(findings), whole_csv, index=False)
    whole_json = json.dumps(check.engine.findings_to_records(findings), indent=1) + "\n"
    for batch_rows in (1, 3, 7, len(findings), check.BATCH_ROWS):
        csv_out, json_out = io.StringIO(), io.StringIO()
        check.write(findings, "csv", rules, D(2026, 11, 22), csv_out, batch_rows)
        check.write(findings, "json", rules, D(2026, 11, 22), json_out, batch_rows)
        assert whole_csv.getvalue() == csv_out.getvalue()
        assert whole_json == json_out.getvalue()
    assert "'=HYPERLINK(1)" in whole_csv.getvalue()
    empty = findings.iloc[0:0]
    csv_out, json_out = io.StringIO(), io.StringIO()
    check.write(empty, "csv", rules, D(2026, 11, 22), csv_out)
    check.write(empty, "json", rules, D(2026, 11, 22), json_out)
    assert csv_out.getvalue().startswith("child_id,plan_id,rule_id,")
    assert "[]\n" == json_out.getvalue()


@pytest.mark.parametrize("profile", ["national", "sunderland", "dorset"])
def test_check_evaluating_children_in_chunks_writes_what_the_whole_caseload_gives(demo_db, profile):
    """CSV and JSON come from chunks of children evaluated one after another: the same text
    as the whole caseload evaluated at once, all findings or only the open ones."""
    from cptrack import engine
    from cptrack.caseload import load
    from cptrack.cli import check
    from cptrack.rules import profiles
    from cptrack.storage.store import Store

    rules = profiles.load(profile)
    with Store.open(demo_db) as store:
        caseload = load(store, kinds=engine.KINDS)
    for open_only in (False, True):
        whole = check.evaluate(caseload, rules, D(2026, 11, 22), open_only)
        assert len(whole) > 100
        for fmt in ("csv", "json"):
            expected, got = io.StringIO(), io.StringIO()
            check.write(whole, fmt, rules, D(2026, 11, 22), expected)
            chunks = check.in_chunks(caseload, rules, D(2026, 11, 22), open_only, size=17)
            check.write(chunks, fmt, rules, D(2026, 11, 22), got, batch_rows=50)
            assert expected.getvalue() == got.getvalue()


def test_check_unknown_chair_lists_the_chairs(db, capsys):
    """An unknown chair name is an error that names the chairs there are."""
    code, _, err = run(capsys, "check", "--db", db, "--chair", "Nobody")
    assert code == 2
    assert "Alex Chair, Bea Chair" in err


def test_check_refuses_a_malformed_profile_naming_rule_and_field(db, capsys, tmp_path):
    """A bad profile file stops the check with the rule and field in the message."""
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'extends = "national"\n[authority]\nname = "Bad"\n[[rules]]\nid = "late_visits"\n'
        'text = "x"\nevent = "visit"\nanchor = "previous_visit"\namount = 2\n'
        'unit = "fortnights"\ndirection = "after"\napplies_to = ["plan"]\n'
        'basis = "authority"\ncitation = "https://example.org/x"\n'
    )
    code, _, err = run(capsys, "check", "--db", db, "--profile", str(bad))
    assert code == 2
    assert "rule late_visits: unit: 'fortnights'" in err


def test_profiles_lists_and_checks(capsys, tmp_path):
    """`cptrack profiles` lists every profile; --check names problems and exits 1."""
    code, out, _ = run(capsys, "profiles")
    assert code == 0
    for name in ("national", "authority-a", "lbh", "bathnes", "sunderland", "dorset"):
        assert name in out
    assert "QARO" in out
    good = tmp_path / "good.toml"
    good.write_text('extends = "national"\n[authority]\nname = "Mine"\n')
    bad = tmp_path / "bad.toml"
    bad.write_text('[authority]\nname = "X"\n[settings]\nicpc_clock = "middle"\n')
    code, out, _ = run(capsys, "profiles", "--check", str(good), str(bad))
    assert code == 1
    assert f"{good}: ok" in out
    assert "settings: icpc_clock: 'middle' is not one of s47, first, last" in out
    code, out, _ = run(capsys, "profiles", "--show", "sunderland")
    assert code == 0
    assert "x sunderland_family_reports_review_7d" in out
    assert "not applied: §6.24 contradicts" in out


def test_measures_table_and_json(db, capsys):
    """`cptrack measures` prints the DfE measures; JSON carries the same figures."""
    code, out, _ = run(capsys, "measures", "--db", db, "--from", "2026-04-01", "--to", "2027-03-31")
    assert code == 0
    assert "Plans starting that were second or subsequent" in out
    code, out, _ = run(
        capsys,
        "measures",
        "--db",
        db,
        "--from",
        "2025-04-01",
        "--to",
        "2026-03-31",
        "--format",
        "json",
    )
    data = json.loads(out)
    summary = {row["measure"]: row for row in data["summary"]}
    assert summary["Plans starting that were second or subsequent"]["count"] == 1
