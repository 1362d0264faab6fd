"""The home page: caseload per chair, from the package and executed as a notebook."""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, screenshot, serving
from cptrack.apps import home
from cptrack.caseload import chair_summary
from cptrack.render.style import esc
from cptrack.storage.store import Store

NOTEBOOK = ROOT / "notebooks" / "index.ipynb"


def test_chair_summary_counts_every_child(demo_db):
    """Per-chair counts add up to the caseload; plan and ICPC counts are within it."""
    with Store.open(demo_db) as store:
        summary = chair_summary(store)
        assert store.count("children") == summary["children"].sum()
    assert (summary["on_plan"] <= summary["children"]).all()
    assert 4 == len(summary)
    assert summary["awaiting_icpc"].sum() > 0


@pytest.mark.parametrize("as_of", ["2025-06-30", "2026-03-31", "2026-11-23"])
def test_the_home_page_counts_the_plans_open_on_its_day(demo_db, as_of):
    """The home page's "on a plan" per chair is the children with a plan open on the day by
    the one definition (cptrack.caseload.open_plans) the dashboard and reports use, not only
    the plans with no end date."""
    from cptrack.caseload import load, open_plans

    with Store.open(demo_db) as store:
        summary = chair_summary(store, as_of)
        caseload = load(store)
    open_now = open_plans(caseload.cp_plans, as_of)
    chairs = caseload.children.set_index("id")["chair_id"]
    expected = open_now["child_id"].drop_duplicates().map(chairs).value_counts()
    counted = summary.set_index("chair_id")["on_plan"]
    assert {int(k): int(v) for k, v in expected.items()} == {
        int(k): int(v) for k, v in counted[counted > 0].items()
    }


def test_free_text_is_escaped(fresh_demo_db, tmp_path):
    """A chair's name holding markup is shown as text, never as HTML."""
    with Store.open(fresh_demo_db) as store:
        chair = store.rows("staff", role="chair")[0]
        store.update("staff", chair["id"], {"name": "<script>alert(1)</script>"}, chair["version"])
        page = home.render(store, notebooks=tmp_path)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_home_notebook_runs(demo_db):
    """notebooks/index.ipynb executes against the installed package and shows the counts."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    os.environ["CPTRACK_DB"] = demo_db
    NotebookClient(
        nb, timeout=120, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    html = "".join(
        o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", [])
    )
    with Store.open(demo_db) as store:
        names = [s["name"] for s in store.rows("staff", role="chair")]
    assert all(esc(n) in html for n in names)
    assert "Caseload by chair" in html


@pytest.mark.browser
def test_the_home_page_in_a_browser(page, fresh_demo_db):
    """`cptrack serve` shows the home page in Chromium with each chair's count."""
    with Store.open(fresh_demo_db) as store:
        summary = chair_summary(store)
    with serving(fresh_demo_db) as url:
        page.goto(f"{url}/voila/render/index.ipynb", timeout=60_000)
        table = page.locator("#chair-caseloads")
        table.wait_for(timeout=60_000)
        for row in summary.itertuples():
            cells = table.locator("tr", has_text=row.chair).locator("td")
            assert str(row.children) == cells.nth(2).inner_text()
        screenshot(page, "home")
        assert 0 == page.locator("text=Traceback").count()
        # Voila serves the notebooks only: never the database or data/.
        for path in ("/voila/files/../data/demo.sqlite", "/voila/files/index.ipynb"):
            assert page.request.get(url + path).status in (403, 404)
