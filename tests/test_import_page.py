"""The import page: an Annex A workbook uploaded, checked by a dry run (nothing written),
imported in one transaction, and its children found on the case-tracking page."""

from __future__ import annotations

import datetime as dt

import pytest
from annex_template import build
from test_import_annex_a_template import five, seven

from conftest import screenshot
from cptrack.apps.importing.html import report
from cptrack.casework import importing as model
from cptrack.casework.importing import Upload
from cptrack.storage.store import Store

LOAD = 120_000
ROUND_TRIP = 60_000
REF = dt.date(2026, 3, 31)


def workbook(tmp_path) -> Upload:
    """A template workbook of two new children, one on both lists, as the page receives it."""
    path = build(
        tmp_path / "annex_a.xlsx",
        [
            seven(**{"Child Unique ID": "IMP001"}),
            seven(**{"Child Unique ID": "IMP002", "Gender": "a) Male"}),
        ],
        [five(**{"Child Unique ID": "IMP001"})],
    )
    return Upload(path.name, path.read_bytes())


def test_a_dry_run_writes_nothing_and_the_import_writes_it_all(store, tmp_path):
    """The page's model: the check reports what would be added and writes nothing; the
    import then adds it, in one transaction."""
    upload = workbook(tmp_path)
    checked = model.run(store, upload, dry_run=True, reference=REF)
    assert (2, 0, False) == (
        checked.counts["children"]["inserted"],
        store.count("children"),
        checked.committed,
    )
    done = model.run(store, upload, dry_run=False, reference=REF)
    assert (True, ["IMP001", "IMP002"]) == (
        done.committed,
        sorted(c["id"] for c in store.rows("children")),
    )


def test_the_format_is_told_from_the_content():
    """XML (with a byte-order mark or not) is a census return; anything else Annex A."""
    assert ["cin-census", "cin-census", "annex-a"] == [
        Upload("a.xml", b'<?xml version="1.0"?><Message/>').format,
        Upload("census", b"\xef\xbb\xbf\n<Message/>").format,
        Upload("a.xlsx", b"PK\x03\x04").format,
    ]


def test_the_report_escapes_what_the_file_says(store, tmp_path):
    """A refused value shown on the page is escaped, never markup."""
    path = build(tmp_path / "bad.xlsx", [seven(**{"Gender": "<b>odd</b>"})], [])
    result = model.run(store, Upload("bad.xlsx", path.read_bytes()), dry_run=True, reference=REF)
    html = report(result)
    assert ("&lt;b&gt;odd&lt;/b&gt;" in html, "<b>odd</b>" in html) == (True, False)


@pytest.mark.browser
def test_upload_check_import_and_find_the_children(page, app_server, fresh_demo_db, tmp_path):
    """In the browser: upload the workbook, see the dry run, import, and open the imported
    child on the case-tracking page."""
    upload = workbook(tmp_path)
    path = tmp_path / upload.name
    page.goto(f"{app_server}/voila/render/imports.ipynb", timeout=LOAD)
    page.get_by_role("button", name="Check (dry run)").wait_for(timeout=LOAD)
    with page.expect_file_chooser(timeout=ROUND_TRIP) as chooser:  # the widget's own input
        page.locator(".widget-upload").click()
    chooser.value.set_files(str(path))
    page.locator(".cpt-banner", has_text="read as: Ofsted Annex A").wait_for(timeout=ROUND_TRIP)
    page.locator("input[type=date]").fill(REF.isoformat())
    page.get_by_role("button", name="Check (dry run)").click()
    report = page.locator("#import-report[data-dry-run='1']")
    report.wait_for(timeout=ROUND_TRIP)
    counts = page.locator("#import-counts").inner_text()
    assert "Child\t2\t0\t0\t0" in counts
    with Store.open(fresh_demo_db) as store:
        assert store.get("children", "IMP001") is None
    screenshot(page, "import-dry-run")

    page.get_by_role("button", name="Import").click()
    page.locator("#import-report[data-committed='1']").wait_for(timeout=ROUND_TRIP)
    assert "Imported annex_a.xlsx" in page.locator(".cpt-banner").inner_text()
    with Store.open(fresh_demo_db) as store:
        assert store.get("children", "IMP001") is not None

    page.goto(f"{app_server}/voila/render/case_tracking.ipynb?child=IMP001", timeout=LOAD)
    card = page.locator("#tracking-child[data-child='IMP001']")
    card.wait_for(timeout=LOAD)
    assert "IMP001" in card.inner_text()
    screenshot(page, "import-then-tracking")
