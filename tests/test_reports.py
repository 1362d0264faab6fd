"""Reports: every report notebook renders to HTML and an A4 PDF from a fresh demo database,
with no code or tracebacks, the expected figures, safe Excel, and pseudonymised output that
holds none of the database's names, dates of birth or addresses."""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import re
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import cptrack
from cptrack.cli import main
from cptrack.domain.models import today
from cptrack.reports import REPORTS, open_report, pdf, report_bytes, report_class, runner
from cptrack.reports.timeliness import CONFERENCE_EVENTS, month_bounds
from cptrack.storage.store import Store

pytestmark = pytest.mark.slow

NO_CODE = ("In [", "Traceback", "open_report(", "report.show", "CellExecutionError")


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, demo_db) -> dict[str, tuple[Path, Path]]:
    """Each report as HTML and PDF, from a fresh copy of the demo database."""
    if not Path(pdf.CHROMIUM).exists() or not shutil.which("pdfinfo"):
        from tests.conftest import unavailable

        unavailable("reports need /usr/bin/chromium and poppler-utils (make system-packages)")
    folder = tmp_path_factory.mktemp("reports")
    db = folder / "demo.sqlite"
    with sqlite3.connect(demo_db) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    out = {}
    with pdf.Printer() as printer:
        for name in REPORTS:
            page = runner.to_html(runner.execute(name, {"db": str(db)}))
            html_path, pdf_path = folder / f"{name}.html", folder / f"{name}.pdf"
            html_path.write_text(page, encoding="utf-8")
            pdf_path.write_bytes(printer.pdf(page))
            out[name] = (html_path, pdf_path)
    return out


@pytest.mark.parametrize("name", list(REPORTS))
def test_report_renders_to_html_and_a4_pdf_with_no_code(rendered, name):
    html_path, pdf_path = rendered[name]
    page = html_path.read_text(encoding="utf-8")
    for marker in NO_CODE:
        assert marker not in page, f"{name}: {marker!r} in the HTML"
    assert "jp-InputArea" not in page and "highlight-ipynb" not in page
    cls = report_class(name)
    assert f"<h1>{cls.title}</h1>" in page
    for _, heading in cls.sections:
        assert heading in html.unescape(page), f"{name}: section {heading!r} missing"
    info = pdf_info(pdf_path)
    assert int(info["Pages"]) >= 1
    assert "A4" in info["Page size"]
    text = pdf_text(pdf_path)
    assert cls.title in text
    assert "Page 1 of" in text  # the footer on every page
    assert "Demo Borough" in text or "Local authority" in text  # the authority in the header
    assert "Traceback" not in text


def test_monthly_out_of_timescale_count_equals_cptrack_check(rendered, demo_db, capsys):
    """The report's count of conferences held late in the month is what `cptrack check`
    finds for that month."""
    page = rendered["monthly_timeliness"][0].read_text(encoding="utf-8")
    shown = int(re.search(r'id="out-of-timescale-count">(\d+)<', page).group(1))
    held_shown = int(re.search(r'id="held-count">(\d+)<', page).group(1))
    assert 0 == main(["check", "--db", demo_db, "--format", "csv"])
    findings = pd.read_csv(io.StringIO(capsys.readouterr().out))
    first, last = month_bounds(today().replace(day=1) - dt.timedelta(days=1))
    f = findings[findings["event"].isin(CONFERENCE_EVENTS) & (findings["kind"] == "timescale")]
    f = f[(f["actual_date"] >= first.isoformat()) & (f["actual_date"] <= last.isoformat())]
    per_conference = f.groupby(["subject_table", "subject_id"])["status"].agg(
        lambda s: (s == "met_late").any()
    )
    assert per_conference.sum() == shown
    assert len(per_conference) == held_shown
    assert shown > 0, "the demo month should have late conferences to report"


def test_caseload_report_counts_match_the_engine(demo_db):
    from cptrack import engine
    from cptrack.caseload import load
    from cptrack.rules import profiles

    report = open_report("chair_caseload", db=demo_db)
    page = report.document()
    with Store.open(demo_db) as store:
        findings = engine.evaluate(load(store), profiles.load("national"), today())
    live = findings[findings["live"]]
    red = int(re.search(r'id="red-count">([\d,]+)<', page).group(1).replace(",", ""))
    assert int((live["rag"] == "red").sum()) == red
    assert 120 == int(re.search(r'id="children-count">([\d,]+)<', page).group(1))


@pytest.fixture
def tricky_db(fresh_demo_db) -> str:
    """A demo database whose free text tries formula injection and HTML."""
    with Store.open(fresh_demo_db) as store, store.transaction() as tx:
        kids = store.rows("children")[:4]
        for kid, text in zip(
            kids,
            ('=HYPERLINK("http://x.invalid","click")', "+44 1234", "-2+3", "@SUM(A1)"),
            strict=True,
        ):
            tx.update("children", kid["id"], {"social_worker": text}, kid["version"])
    return fresh_demo_db


def test_excel_caseload_is_formatted_and_safe_against_formulas(tricky_db, tmp_path):
    out = tmp_path / "caseload.xlsx"
    assert 0 == main(
        ["report", "chair_caseload", "--db", tricky_db, "--to", "xlsx", "--out", str(out)]
    )
    wb = openpyxl.load_workbook(out)
    assert ["Caseload", "Findings"] == wb.sheetnames
    ws = wb["Caseload"]
    assert "A2" == ws.freeze_panes
    assert "Child id" == ws["A1"].value and ws["A1"].font.b
    headings = [c.value for c in ws[1]]
    plan_col = headings.index("Plan start") + 1
    dates = [ws.cell(row=r, column=plan_col).value for r in range(2, ws.max_row + 1)]
    assert any(isinstance(d, dt.datetime) for d in dates), "plan start dates stored as dates"
    assert all(d is None or isinstance(d, dt.datetime) for d in dates)
    assert ws.column_dimensions["B"].width > 8
    sw_col = headings.index("Social worker") + 1
    values = {
        ws.cell(row=r, column=sw_col).value: ws.cell(row=r, column=sw_col)
        for r in range(2, ws.max_row + 1)
    }
    for text in ('=HYPERLINK("http://x.invalid","click")', "+44 1234", "-2+3", "@SUM(A1)"):
        assert text in values, text
        assert "s" == values[text].data_type
    with zipfile.ZipFile(out) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets), "no cell is a formula"
    assert wb["Findings"].max_row > 1


def test_html_escapes_what_came_from_the_database(tricky_db):
    with Store.open(tricky_db) as store, store.transaction() as tx:
        kid = store.rows("children")[5]
        tx.update(
            "children", kid["id"], {"social_worker": "<script>alert(1)</script>"}, kid["version"]
        )
    page = open_report("child_summary", db=tricky_db, child=kid["id"]).document()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _secrets(db: str) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Every name (children, staff, recorded people), each child's date of birth in the ways
    a report could write it, and the addresses."""
    with Store.open(db) as store:
        kids = pd.DataFrame(store.rows("children"))
        staff = pd.DataFrame(store.rows("staff"))
        people = [r["person"] for r in store.rows("attendance") if r.get("person")]
    names = [f"{g} {f}" for g, f in zip(kids["given_name"], kids["family_name"], strict=True)]
    names += list(staff["name"]) + list(kids["social_worker"].dropna())
    names += [p for p in people if len(p.split()) >= 2]
    # family names alone, bar those that are also words of cptrack's own (a child surnamed
    # Green is not named by a "Green" rating, nor one surnamed Page by "Page 2 of 3")
    names += [f for f in kids["family_name"] if len(f) > 3 and f not in _own_words()]
    names += [" ".join(n.split()[1:]) for n in staff["name"] if len(n.split()) > 2]  # no title
    dobs = {}
    for cid, d in zip(kids["id"], kids["date_of_birth"], strict=True):
        if d is not None and not pd.isna(d):
            d = pd.Timestamp(d)
            dobs[cid] = [d.strftime("%Y-%m-%d"), d.strftime("%-d %b %Y"), d.strftime("%d/%m/%Y")]
    addresses = [a.split(",")[0] for a in kids["address"].dropna()] + list(
        kids["postcode"].dropna()
    )
    return sorted(set(names)), dobs, sorted(set(addresses))


@functools.cache
def _own_words() -> frozenset[str]:
    """Every capitalised word in cptrack's source and templates."""
    files = [p for p in Path(cptrack.__file__).parent.rglob("*") if p.suffix in SOURCES]
    return frozenset(w for f in files for w in re.findall(r"\b[A-Z][a-z]+\b", f.read_text()))


SOURCES = {".py", ".j2", ".jinja", ".html", ".tpl", ".css", ".yaml", ".yml", ".json"}


def _found(text: str, words) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w/-]){re.escape(w)}(?![\w/-])", text)]


def _leaks(
    text: str, names: list[str], dobs: dict[str, list[str]], addresses: list[str], rows: str = "<tr"
) -> list[str]:
    """Names and addresses anywhere; a child's date of birth on any row naming the child (a
    date elsewhere may fall on someone's birthday by chance), and no "Date of birth" label."""
    found = _found(text, names) + _found(text, addresses)
    found += ["Date of birth"] if "Date of birth" in text else []
    for row in text.split(rows):
        for cid in set(re.findall(r"C\d{6}", row)):
            found += [f"{cid}: {d}" for d in _found(row, dobs.get(cid, []))]
    return found


def test_pseudonymised_reports_hold_no_names_dates_of_birth_or_addresses(fresh_demo_db, tmp_path):
    names, dobs, addresses = _secrets(fresh_demo_db)
    # every report's HTML, as the notebooks show it
    for name in REPORTS:
        page = open_report(name, db=fresh_demo_db, pseudonymise=True).document()
        leaks = _leaks(page, names, dobs, addresses)
        assert not leaks, f"{name}: {leaks[:5]}"
    # unpseudonymised, the same search finds people (it looks for the right things)
    plain = open_report("chair_caseload", db=fresh_demo_db).document()
    assert len(_leaks(plain, names, dobs, addresses)) > 50
    child = open_report("child_summary", db=fresh_demo_db, child="C000001").document()
    assert _found(child, dobs["C000001"]) and _found(child, addresses)
    # files from the command line: HTML, PDF (its text) and Excel
    for fmt, report in (
        ("pdf", "child_summary"),
        ("html", "chair_caseload"),
        ("xlsx", "chair_caseload"),
        ("pdf", "conference_record"),
    ):
        out = tmp_path / f"{report}.{fmt}"
        args = [
            "report",
            report,
            "--db",
            fresh_demo_db,
            "--to",
            fmt,
            "--out",
            str(out),
            "--pseudonymise",
        ]
        if report == "child_summary":
            args += ["--child", "C000001"]
        assert 0 == main(args)
        rows = "<tr"
        if fmt == "pdf":
            text, rows = pdf_text(out), "\n"
            if report == "child_summary":
                assert "C000001" not in text, "the child's id is replaced by its pseudonym"
                assert not _found(text, dobs["C000001"])
        elif fmt == "xlsx":
            wb = openpyxl.load_workbook(out)
            lines = []
            for ws in wb:
                for row in ws.iter_rows(values_only=True):
                    lines.append(
                        " | ".join(
                            (v.strftime("%Y-%m-%d") if isinstance(v, dt.datetime) else str(v))
                            for v in row
                            if v is not None
                        )
                    )
            text, rows = "\n".join(lines), "\n"
        else:
            text = out.read_text(encoding="utf-8")
        leaks = _leaks(text, names, dobs, addresses, rows)
        assert not leaks, f"{report}.{fmt}: {leaks[:5]}"


def test_pseudonyms_are_stable(fresh_demo_db):
    a = open_report("chair_caseload", db=fresh_demo_db, pseudonymise=True)
    b = open_report("chair_caseload", db=fresh_demo_db, pseudonymise=True)
    assert a.ctx.child_name("C000001") == b.ctx.child_name("C000001")
    assert a.ctx.child_name("C000001") != a.ctx.child_name("C000002")
    assert re.fullmatch(r"Child [A-Z2-7]{6}", a.ctx.child_name("C000001"))


def test_all_chairs_writes_one_file_per_chair(demo_db, tmp_path, capsys):
    out = tmp_path / "chairs"
    assert 0 == main(
        [
            "report",
            "chair_caseload",
            "--db",
            demo_db,
            "--all-chairs",
            "--to",
            "html",
            "--out",
            str(out),
        ]
    )
    files = sorted(out.glob("*.html"))
    with Store.open(demo_db) as store:
        chairs = [s for s in store.rows("staff") if s["role"] == "chair" and s["active"]]
    assert len(chairs) == len(files)
    assert f"{len(chairs)} html files" in capsys.readouterr().out
    one = files[0].read_text(encoding="utf-8")
    assert "Chair caseload" in one and "All chairs" not in one


def test_bad_parameters_are_clear_errors(demo_db, tmp_path, capsys):
    assert 2 == main(
        [
            "report",
            "child_summary",
            "--db",
            demo_db,
            "--child",
            "NOPE",
            "--to",
            "html",
            "--out",
            str(tmp_path / "x.html"),
        ]
    )
    assert "no child with id 'NOPE'" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()
    with pytest.raises(SystemExit, match="no Excel export"):
        main(
            [
                "report",
                "child_summary",
                "--db",
                demo_db,
                "--to",
                "xlsx",
                "--out",
                str(tmp_path / "x.xlsx"),
            ]
        )
    with pytest.raises(SystemExit, match="neither a format"):
        main(
            [
                "report",
                "chair_caseload",
                "--db",
                demo_db,
                "--to",
                "odt",
                "--out",
                str(tmp_path / "x"),
            ]
        )


def test_report_bytes_for_a_download_button(demo_db):
    data = report_bytes("midway_review", "pdf", db=demo_db)
    assert data.startswith(b"%PDF")
    xlsx = report_bytes("chair_caseload", "xlsx", db=demo_db)
    assert xlsx.startswith(b"PK")


def test_qa_dashboard_download_button_gives_the_report(fresh_demo_db, monkeypatch):
    """The QA dashboard's "Download report" makes the observation summary (the same report as
    `cptrack report observation_summary`) and offers it as a link to save."""
    import nbformat
    from nbclient import NotebookClient

    from conftest import ROOT

    monkeypatch.setenv("CPTRACK_DB", fresh_demo_db)
    folder = ROOT / "notebooks"
    nb = nbformat.read(folder / "qa_dashboard.ipynb", as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            'view.download_format.value = "html"\nview.download_button.click()\n'
            "print(view.download_link.value)\nprint(view.banner.value)"
        )
    )
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(folder)}}).execute()
    out = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout")
    link = re.search(
        r'<a download="(observation_summary-[^"]+\.html)" href="data:text/html;base64,([^"]+)"', out
    )
    assert link, out[:500]
    import base64

    page = base64.b64decode(link.group(2)).decode()
    assert "<h1>Practice observation summary</h1>" in page
    assert "Ratings by domain" in page and "Traceback" not in page


def test_report_notebooks_only_compose_and_are_committed_without_outputs():
    """Each report notebook: a cell tagged parameters, then open_report and one cell per
    section; no def or class; no outputs committed."""
    import nbformat

    from conftest import ROOT

    for name in REPORTS:
        nb = nbformat.read(ROOT / "notebooks" / "reports" / f"{name}.ipynb", as_version=4)
        assert "parameters" in nb.cells[0].metadata.get("tags", []), name
        source = "\n".join(c.source for c in nb.cells)
        assert "def " not in source and "class " not in source, name
        assert f'open_report(\n    "{name}"' in source, name
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), name
        cls = report_class(name)
        assert [f'report.show("{k}")' for k, _ in cls.sections] == [c.source for c in nb.cells[2:]]


@pytest.mark.parametrize("as_of", ["2026-06-01", "2025-12-24"])
def test_the_caseload_report_and_the_dashboard_count_the_same_plans_on_a_past_day(demo_db, as_of):
    """One definition of an open plan (cptrack.caseload.open_plans): on a past as-of day the
    chair caseload report and the case-tracking dashboard count the same children on a plan,
    not the plans open today."""
    from cptrack import engine
    from cptrack.caseload import load
    from cptrack.casework.tracking.dashboard import build_rows
    from cptrack.rules import profiles

    day = dt.date.fromisoformat(as_of)
    page = open_report("chair_caseload", db=demo_db, as_of=as_of).document()
    on_plan = int(re.search(r'id="on-plan-count">([\d,]+)<', page).group(1).replace(",", ""))
    with Store.open(demo_db) as store:
        caseload = load(store)
    rows = build_rows(caseload, engine.evaluate(caseload, profiles.load("national"), day), day)
    assert int(rows["plan_start"].notna().sum()) == on_plan
    ended_since = caseload.cp_plans["end_date"] > pd.Timestamp(day)
    assert ended_since.any(), "the demo should have plans that ended after the as-of day"
