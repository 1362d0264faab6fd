"""`cptrack export`, `validate` and `import` from the command line: output, files and exit
status."""

from __future__ import annotations

import json
import re

import pytest
from census_samples import changed, clean_child, plan, write
from db_state import snapshot

from cptrack.cli import main
from cptrack.demo import synthetic as demo
from cptrack.storage.store import Store

AS_OF = "2026-03-31"


@pytest.fixture
def demo_db(tmp_path):
    import datetime as dt

    path = str(tmp_path / "demo.sqlite")
    with Store.open(path, migrate=True) as store:
        demo.populate(store, children=40, seed=5, as_of=dt.date.fromisoformat(AS_OF))
    return path


def test_export_validate_import_reimport(demo_db, tmp_path, capsys):
    """The demo as a census return: validated, imported, imported again with no change."""
    xml = str(tmp_path / "census.xml")
    assert 0 == main(
        ["export", "cin-census", "--db", demo_db, "--out", xml, "--reference-date", AS_OF]
    )
    assert "children, census year to 2026-03-31" in capsys.readouterr().out

    status = main(["validate", "cin-census", xml])
    out = capsys.readouterr().out
    assert status in (0, 1)
    assert "census.xml: CIN census, reference date 2026-03-31, LA 999" in out
    assert "2991Q (query" in out  # cptrack holds no assessments

    target = str(tmp_path / "target.sqlite")
    assert 0 == main(["init", "--db", target])
    capsys.readouterr()
    assert 0 == main(["import", "cin-census", xml, "--db", target, "--quiet"])
    out = capsys.readouterr().out
    assert "CIN census census.xml: Imported." in out
    assert "Data quality:" in out
    assert 0 == main(["import", "cin-census", xml, "--db", target, "--quiet"])
    assert (
        "Nothing changed: the database already holds what this file says."
        in capsys.readouterr().out
    )


def test_annex_a_from_the_command_line(demo_db, tmp_path, capsys):
    book = str(tmp_path / "annex.xlsx")
    assert 0 == main(
        ["export", "annex-a", "--db", demo_db, "--out", book, "--reference-date", AS_OF]
    )
    assert "List 7:" in capsys.readouterr().out
    assert main(["validate", "annex-a", book, "--reference-date", AS_OF, "--format", "json"]) in (
        0,
        1,
    )
    json.loads(capsys.readouterr().out)
    target = str(tmp_path / "target.sqlite")
    assert 0 == main(["init", "--db", target])
    status = main(
        ["import", "annex-a", book, "--db", target, "--reference-date", AS_OF, "--dry-run"]
    )
    assert 0 == status
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert 0 == Store.open(target).count("children")


def test_validate_and_import_take_the_same_date_for_an_annex_a_file(demo_db, tmp_path, capsys):
    """Without --reference-date, `validate annex-a` checks the file as at its latest event
    date, the day `import annex-a` takes for it (not today, which may be months later)."""
    book = str(tmp_path / "annex.xlsx")
    main(["export", "annex-a", "--db", demo_db, "--out", book, "--reference-date", AS_OF])
    capsys.readouterr()
    main(["validate", "annex-a", book])
    said = capsys.readouterr().out
    target = str(tmp_path / "target.sqlite")
    main(["init", "--db", target])
    main(["import", "annex-a", book, "--db", target, "--dry-run"])
    imported = capsys.readouterr().out
    day = re.search(r"reference date (\d{4}-\d{2}-\d{2}) \(the file's latest date", imported)
    assert day is not None, imported
    assert f"as at {day.group(1)}" in said


def test_a_csv_annex_export_needs_a_list(demo_db, tmp_path):
    with pytest.raises(SystemExit, match="add --list 5 or 7"):
        main(
            [
                "export",
                "annex-a",
                "--db",
                demo_db,
                "--out",
                str(tmp_path / "a.csv"),
                "--reference-date",
                AS_OF,
            ]
        )


def test_a_refused_import_exits_1_lists_the_problems_and_writes_nothing(tmp_path, capsys):
    db = str(tmp_path / "db.sqlite")
    main(["init", "--db", db])
    before = snapshot(Store.open(db))
    bad = changed(lambda c: plan(c).update(InitialCategoryOfAbuse="XYZ"))
    xml = str(write(tmp_path / "c.xml", [clean_child("T0001"), {**bad, "LAchildID": "T0002"}]))
    capsys.readouterr()
    assert 1 == main(["import", "cin-census", xml, "--db", db, "--quiet"])
    out = capsys.readouterr().out
    assert "Not imported: 4 problem(s) listed below." in out
    assert (
        "Child 2 (T0002) › CINdetails 1 › ChildProtectionPlans 1: child protection plan not imported: InitialCategoryOfAbuse: 'XYZ' is not a category of abuse"
        in out
    )
    assert "8905 (error, 1): Initial Category of Abuse code missing or invalid" in out
    assert snapshot(Store.open(db)) == before
    assert 1 == main(["import", "cin-census", xml, "--db", db, "--quiet", "--partial"])
    assert 1 == Store.open(db).count("cp_plans")


def test_json_report_and_out_file(tmp_path, capsys):
    db = str(tmp_path / "db.sqlite")
    main(["init", "--db", db])
    xml = str(write(tmp_path / "c.xml", [clean_child("T0001")]))
    report = tmp_path / "report.json"
    capsys.readouterr()
    assert 0 == main(
        ["import", "cin-census", xml, "--db", db, "--format", "json", "--out", str(report)]
    )
    assert "report written to" in capsys.readouterr().out
    data = json.loads(report.read_text())
    assert data["committed"] is True
    assert {"inserted": 1} == data["counts"]["cp_plans"]
    assert [] == data["findings"]


def test_unreadable_files_exit_2_with_the_reason(tmp_path, capsys):
    db = str(tmp_path / "db.sqlite")
    main(["init", "--db", db])
    empty = tmp_path / "empty.xml"
    empty.write_text("")
    capsys.readouterr()
    assert 2 == main(["import", "cin-census", str(empty), "--db", db])
    assert "cptrack import: empty.xml is empty" in capsys.readouterr().err
    assert 2 == main(["validate", "cin-census", str(tmp_path / "missing.xml")])
    assert "does not exist" in capsys.readouterr().err
    assert 2 == main(["import", "csv", "--db", db])
    assert "give at least one file" in capsys.readouterr().err


def test_validate_exit_status_follows_errors(tmp_path, capsys):
    clean = str(write(tmp_path / "clean.xml", [clean_child("T0001")]))
    assert 0 == main(["validate", "cin-census", clean])
    assert "No data-quality findings." in capsys.readouterr().out
    broken = str(
        write(
            tmp_path / "broken.xml",
            [changed(lambda c: plan(c).update(CPPendDate=plan(c)["CPPstartDate"], Reviews=[]))],
        )
    )
    assert 1 == main(["validate", "cin-census", broken, "--format", "csv"])
    lines = capsys.readouterr().out.splitlines()
    assert "source,code,kind,message,child,values" == lines[0]
    assert lines[1].startswith("DfE,8840,error,")
