"""The case-tracking app in Debian's Chromium over a fresh demo database, served by `cptrack
serve`: a chair chooses their caseload and sees the RAG that `cptrack check` gives for the
same day, filters to red, opens a child, is refused a bad check (nothing saved), records a
check, reloads and finds it in the history, downloads the calendar, and a deep link opens a
child. Screenshots: test-output/screenshots/tracking-*.png."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import Counter

import icalendar
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import screenshot
from cptrack.domain.models import today
from cptrack.storage.store import Store

pytestmark = pytest.mark.browser
TODAY = today()
LOAD = 120_000  # a page starts a kernel and evaluates the caseload
ROUND_TRIP = 60_000


def shot(page, name: str) -> None:
    """The whole app: Voila scrolls inside #rendered_cells, so the window grows first."""
    height = page.evaluate(
        "() => (document.querySelector('#rendered_cells') || document.body).scrollHeight"
    )
    page.set_viewport_size({"width": 1366, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(400)
    screenshot(page, f"tracking-{name}")
    page.set_viewport_size({"width": 1366, "height": 900})


def check_counts(db: str, chair: str) -> dict[str, Counter]:
    """Live findings by child and RAG, as `cptrack check --open` lists them."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "cptrack.cli",
            "check",
            "--db",
            db,
            "--chair",
            chair,
            "--open",
            "--as-of",
            TODAY.isoformat(),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    counts: dict[str, Counter] = {}
    for f in json.loads(out):
        counts.setdefault(f["child_id"], Counter())[f["rag"]] += 1
    return counts


def rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#tracking-caseload tbody tr",
        "trs => trs.map(t => ({child: t.dataset.child, rag: t.dataset.rag, red: +t.dataset.red,"
        " amber: +t.dataset.amber, green: +t.dataset.green,"
        " label: t.children[1].innerText}))",
    )


def saved(page, words: str) -> None:
    try:
        page.locator(".cpt-banner .ok:visible", has_text=words).first.wait_for(timeout=ROUND_TRIP)
    except PlaywrightTimeout:
        refusals = page.locator(".cpt-banner .bad:visible").all_inner_texts()
        errors = page.locator(".cpt-error:visible").all_inner_texts()
        raise AssertionError(f"not saved: {refusals} {errors}") from None


def n_checks(db: str, child: str) -> tuple[int, int]:
    with Store.open(db) as store:
        return (len(store.rows("case_tracking", child_id=child)), len(store.audit("case_tracking")))


def test_a_chair_tracks_their_caseload_and_records_a_check(
    page, app_server, fresh_demo_db, tmp_path
):
    with Store.open(fresh_demo_db) as store:
        chairs = sorted(store.rows("staff", role="chair"), key=lambda s: s["id"])
    chair = chairs[1]["name"]
    url = f"{app_server}/voila/render/case_tracking.ipynb"
    page.goto(url, timeout=LOAD)
    page.locator("#tracking-caseload").wait_for(timeout=LOAD)
    assert "All chairs" in page.locator("#tracking-scope").inner_text()

    # Choose the chair: their children, with the RAG that `cptrack check` gives.
    page.locator(".widget-dropdown", has_text="Chair").locator("select").select_option(label=chair)
    page.locator("#tracking-scope", has_text=chair).wait_for(timeout=ROUND_TRIP)
    shown = rows(page)
    expected = check_counts(fresh_demo_db, chair)
    assert len(shown) > 5
    words = {"red": "Red: overdue", "amber": "Amber: due soon", "green": "Green: on track"}
    for r in shown:
        c = expected.get(r["child"], Counter())
        assert (r["red"], r["amber"], r["green"]) == (c["red"], c["amber"], c["green"]), r
        worst = next((k for k in ("red", "amber", "green") if c[k]), "")
        assert r["rag"] == worst
        if worst:
            assert words[worst] in r["label"]
    summary = page.locator("#tracking-summary").inner_text()
    assert f"{len(shown)}\nchildren" in summary
    shot(page, "dashboard")

    # Filter to red.
    page.get_by_role("button", name="Red: overdue").click()
    page.locator("#tracking-scope", has_text="filtered").wait_for(timeout=ROUND_TRIP)
    # The table and the scope line are two widgets, redrawn one after the other.
    page.wait_for_function(
        "() => [...document.querySelectorAll('#tracking-caseload tbody tr')]"
        ".every(t => t.dataset.rag === 'red')",
        timeout=ROUND_TRIP,
    )
    red = rows(page)
    assert red and all(r["rag"] == "red" for r in red)
    assert len(red) == sum(1 for r in shown if r["rag"] == "red")

    # Open a child by clicking their id.
    child = red[0]["child"]
    page.locator(f"#tracking-caseload a[data-child='{child}']").click()
    card = page.locator(f"#tracking-child[data-child='{child}']")
    card.wait_for(timeout=ROUND_TRIP)
    assert page.locator("#tracking-findings").inner_text().count("Red: overdue") == red[0]["red"]
    assert page.locator("#tracking-timeline svg").count() == 1
    assert "Chronology" in page.locator(".cpt-section", has_text="Chronology").inner_text()

    # A bad entry: empty observations, next check before today. Refused; nothing saved.
    before = n_checks(fresh_demo_db, child)
    form = page.locator(".cpt-tracking-form")
    form.locator(".cpt-field-observations textarea").fill("")
    form.locator(".cpt-field-next_check_date input").fill(
        (TODAY - dt.timedelta(days=1)).isoformat()
    )
    form.locator(".cpt-field-decision").get_by_label("No action: the plan is progressing").check()
    page.get_by_role("button", name="Save the check").click()
    form.locator(".cpt-banner .bad").wait_for(timeout=ROUND_TRIP)
    assert "Write what you found" in form.locator(".cpt-field-observations").inner_text()
    assert "is before today" in form.locator(".cpt-field-next_check_date").inner_text()
    assert before == n_checks(fresh_demo_db, child)
    shot(page, "child-refused")

    # Put it right: what the chair typed is still there; the check is saved.
    assert (
        form.locator(".cpt-field-next_check_date input").input_value()
        == (TODAY - dt.timedelta(days=1)).isoformat()
    )
    note = "Core group held on time; visits three-weekly, not two-weekly as planned."
    form.locator(".cpt-checks label", has_text="Core groups held").click()
    form.locator(".cpt-checks label", has_text="Visits made").click()
    form.locator(".cpt-field-observations textarea").fill(note)
    form.locator(".cpt-field-concerns textarea").fill("Visits slipping; child not seen alone.")
    form.locator(".cpt-field-decision").get_by_label("Advice to the social worker").check()
    form.locator(".cpt-field-next_check_date input").fill(
        (TODAY + dt.timedelta(days=28)).isoformat()
    )
    page.get_by_role("button", name="Save the check").click()
    saved(page, "Decision: Advice to the social worker")
    assert note in page.locator("#tracking-records").inner_text()
    assert (before[0] + 1, before[1] + 1) == n_checks(fresh_demo_db, child)
    shot(page, "child")

    # Reload the page: the check is in the child's history.
    page.reload(timeout=LOAD)
    page.locator("#tracking-caseload").wait_for(timeout=LOAD)
    page.locator(".cpt-open-child input").fill(child)
    page.get_by_role("button", name="Open the child").click()
    page.locator(f"#tracking-child[data-child='{child}']").wait_for(timeout=ROUND_TRIP)
    records = page.locator("#tracking-records").inner_text()
    assert [] == page.locator(".cpt-banner .bad:visible").all_inner_texts()
    assert note in records and "Advice to the social worker" in records
    assert (
        "Case-tracking check: Advice to the social worker"
        in page.locator("#tracking-chronology").inner_text()
    )

    # The calendar of due dates downloads and parses, ids not names in the titles.
    page.get_by_role("tab", name="Caseload").click()
    page.locator(".widget-dropdown", has_text="Chair").locator("select").select_option(label=chair)
    page.locator("#tracking-scope", has_text=chair).wait_for(timeout=ROUND_TRIP)
    page.get_by_role("button", name="Calendar of due dates (.ics)").click()
    link = page.locator("#tracking-ics")
    link.wait_for(timeout=ROUND_TRIP)
    with page.expect_download() as dl:
        link.click()
    path = tmp_path / "due.ics"
    dl.value.save_as(path)
    events = list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    assert events
    with Store.open(fresh_demo_db) as store:
        kids = store.rows("children")
    for e in events:
        title = str(e["SUMMARY"])
        assert any(k["id"] in title for k in kids)
        assert not any(k["family_name"] in title for k in kids)


def test_a_deep_link_opens_the_child_in_a_warm_kernel(page, warm_server, fresh_demo_db):
    """Served as by default, a warm kernel has done the page's imports before the page is
    opened, but reads the query string and the data only then: a check written after the
    kernels warmed shows, and a second deep link (the next warm kernel) opens its own child."""
    with Store.open(fresh_demo_db) as store:
        plans = [p for p in store.rows("cp_plans") if p["end_date"] is None]
        first, second = (store.get("children", p["child_id"]) for p in plans[:2])
        store.add(
            "case_tracking",
            {
                "child_id": first["id"],
                "plan_id": plans[0]["id"],
                "chair_id": first["chair_id"],
                "date": TODAY.isoformat(),
                "observations": "Written after the kernels warmed",
                "decision": "no_action",
            },
        )
    for child in (first, second):
        page.goto(
            f"{warm_server}/voila/render/case_tracking.ipynb?child={child['id']}", timeout=LOAD
        )
        card = page.locator(f"#tracking-child[data-child='{child['id']}']")
        card.wait_for(timeout=LOAD)
        assert f"{child['given_name']} {child['family_name']}" in card.inner_text()
        assert page.get_by_role("tab", name=f"Child {child['id']}").count() == 1
        assert page.locator("#tracking-findings").count() == 1
        records = page.locator("#tracking-records").inner_text()
        assert ("Written after the kernels warmed" in records) == (child is first)
