"""The QA apps in Debian's Chromium over a fresh demo database served by `cptrack serve`:
an observation refused without its judgement, then submitted, reflected on and seen on the
dashboard's heat map; a child's and a parent's feedback changing the summary."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from playwright.sync_api import Page, expect

from conftest import screenshot
from cptrack.domain.models import today

pytestmark = pytest.mark.browser
WAIT = 90_000


def query(db: str, sql: str, *args):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def choose(page: Page, field: str, *, index: int | None = None, label: str | None = None):
    """Pick an option of the dropdown of field ``field`` once its options have arrived."""
    select = page.locator(f".cpt-field-{field} select")
    if index is not None:
        select.locator("option").nth(index).wait_for(state="attached", timeout=WAIT)
        value = select.locator("option").nth(index).get_attribute("value")
        select.select_option(value=value)
    else:
        select.select_option(label=label)


def test_an_observation_from_form_to_heat_map(page: Page, app_server: str, fresh_demo_db: str):
    """Rate every criterion with evidence; Submit without the overall judgement is refused
    beside the field and nothing is saved; with it the observation goes to the chair, whose
    reflection completes it; the dashboard's heat map shows it."""
    chair_id, chair = query(
        fresh_demo_db,
        "SELECT s.id, s.name FROM staff s JOIN conferences c ON c.chair_id = s.id "
        "WHERE s.role = 'chair' AND c.held_date >= ? GROUP BY s.id ORDER BY s.name LIMIT 1",
        (today() - dt.timedelta(days=200)).isoformat(),
    )[0]
    before = query(fresh_demo_db, "SELECT count(*) FROM observations")[0][0]
    page.set_viewport_size({"width": 1300, "height": 1000})
    page.goto(f"{app_server}/voila/render/practice_observation.ipynb", timeout=WAIT)
    page.locator(".cpt-part-f").wait_for(timeout=WAIT)

    choose(page, "chair_id", label=chair)
    choose(page, "conference_id", index=1)
    choose(page, "observer_id", index=1)
    expect(page.locator(".cpt-field-date input")).not_to_have_value("", timeout=WAIT)
    rows = page.locator(".cpt-crit-row")
    for i in range(rows.count()):
        rows.nth(i).locator("select").select_option(label="Outstanding")
        rows.nth(i).locator("textarea").fill(f"Evidence for criterion {i + 1}: seen in the room.")
    page.locator(".cpt-field-strengths textarea").fill(
        "Warm, clear chairing; the family understood."
    )
    page.locator(".cpt-field-development_points textarea").fill("Keep the plan's dates SMART.")
    page.locator(".cpt-field-overall_rationale textarea").fill("Exceeded the standards.")

    page.get_by_role("button", name="Submit to the chair").click()
    refusal = page.locator(".cpt-field-overall_judgement .cpt-error")
    expect(refusal).to_have_text(
        "give the overall judgement before the observation goes to the chair", timeout=WAIT
    )
    expect(page.locator(".cpt-banner .bad").first).to_contain_text("Not saved")
    screenshot(page, "practice-observation-refused")
    assert before == query(fresh_demo_db, "SELECT count(*) FROM observations")[0][0]

    page.set_viewport_size({"width": 1300, "height": 1000})
    choose(page, "overall_judgement", label="Outstanding")
    page.get_by_role("button", name="Submit to the chair").click()
    expect(page.locator(".cpt-banner .ok").first).to_contain_text("Submitted", timeout=WAIT)
    expect(refusal).to_have_count(0)
    ((obs_id, status),) = query(
        fresh_demo_db, "SELECT id, status FROM observations ORDER BY id DESC LIMIT 1"
    )
    assert "awaiting_reflection" == status

    page.locator(".cpt-field-chair_reflection textarea").fill(
        "A fair picture. I will keep inviting the child's own words."
    )
    page.locator(".cpt-field-chair_acknowledged input").fill(today().isoformat())
    page.get_by_role("button", name="Save the chair's reflection").click()
    expect(page.locator(".cpt-banner .ok").last).to_contain_text(
        "the observation is complete", timeout=WAIT
    )
    expect(page.locator(".cpt-status")).to_contain_text("Complete")
    screenshot(page, "practice-observation-complete")
    row = query(
        fresh_demo_db,
        "SELECT chair_id, status, overall_judgement, version FROM observations WHERE id = ?",
        obs_id,
    )[0]
    assert (chair_id, "complete", "outstanding", 2) == row
    assert 0 == page.locator("text=Traceback").count()

    page.set_viewport_size({"width": 1300, "height": 1000})
    page.goto(f"{app_server}/voila/render/qa_dashboard.ipynb", timeout=WAIT)
    page.locator("#heatmap-chair").wait_for(timeout=WAIT)
    expect(page.locator(f'#heatmap-chair tr[data-key="{chair_id}"]')).to_contain_text(chair)
    page.get_by_role("button", name="Observations").click()
    heat_row = page.locator(f'#heatmap-observation tr[data-key="{obs_id}"]')
    heat_row.wait_for(timeout=WAIT)
    expect(heat_row).to_contain_text(chair)
    cells = heat_row.locator("td.cell")
    assert 10 == cells.count()
    assert {"Outstanding"} == {cells.nth(i).locator("b").inner_text() for i in range(10)}
    assert "Outstanding" == heat_row.locator("td.row .tag").inner_text()
    screenshot(page, "qa-dashboard")


def _summary_counts(page: Page, chair: str) -> tuple[int, int]:
    cells = page.locator("#feedback-by-chair tr", has_text=chair).locator("td")
    return int(cells.nth(5).inner_text()), int(cells.nth(6).inner_text())


def test_a_childs_and_a_parents_feedback_change_the_summary(
    page: Page, app_server: str, fresh_demo_db: str
):
    """A child's feedback in the simpler wording and a parent's: both saved, the
    conference marked as sought, and the chair's counts go up by one each."""
    chair = query(
        fresh_demo_db,
        "SELECT s.name FROM staff s JOIN conferences c ON c.chair_id = s.id "
        "WHERE s.role = 'chair' AND c.held_date >= ? GROUP BY s.id ORDER BY s.name LIMIT 1",
        (today() - dt.timedelta(days=200)).isoformat(),
    )[0][0]
    before = query(fresh_demo_db, "SELECT count(*) FROM feedback")[0][0]
    page.set_viewport_size({"width": 1300, "height": 1000})
    page.goto(f"{app_server}/voila/render/feedback.ipynb", timeout=WAIT)
    page.locator("#feedback-by-chair").wait_for(timeout=WAIT)
    children, parents = _summary_counts(page, chair)

    choose(page, "chair", label=chair)
    choose(page, "conference_id", index=1)
    page.get_by_role("button", name="Child or young person").click()
    page.get_by_text("Simpler wording, for younger children").click()
    expect(page.locator(".cpt-q-listened")).to_contain_text(
        "People listened to what I had to say.", timeout=WAIT
    )
    page.locator(".cpt-q-listened").get_by_role("button", name="Yes", exact=True).click()
    page.locator(".cpt-q-respected").get_by_role("button", name="Mostly").click()
    page.locator(".cpt-field-comments textarea").fill("The chair read out what I wrote.")
    screenshot(page, "feedback-child-simple-wording")
    page.set_viewport_size({"width": 1300, "height": 1000})
    page.get_by_role("button", name="Save feedback").click()
    expect(page.locator(".cpt-banner .ok")).to_contain_text(
        "Saved: feedback from a child or young person", timeout=WAIT
    )
    expect(page.locator("#feedback-by-chair tr", has_text=chair).locator("td").nth(5)).to_have_text(
        str(children + 1), timeout=WAIT
    )

    page.get_by_role("button", name="Parent or carer").click()
    expect(page.locator(".cpt-q-prepared")).to_contain_text("I felt prepared", timeout=WAIT)
    page.locator(".cpt-q-prepared").get_by_role("button", name="Agree", exact=True).click()
    page.locator(".cpt-q-report_before").get_by_role("button", name="Disagree", exact=True).click()
    page.get_by_role("button", name="Save feedback").click()
    expect(page.locator(".cpt-banner .ok")).to_contain_text(
        "Saved: feedback from a parent or carer", timeout=WAIT
    )
    expect(page.locator("#feedback-by-chair tr", has_text=chair).locator("td").nth(6)).to_have_text(
        str(parents + 1), timeout=WAIT
    )
    assert (children + 1, parents + 1) == _summary_counts(page, chair)
    screenshot(page, "feedback-summary")

    saved = query(
        fresh_demo_db,
        "SELECT f.respondent, f.simple_wording, f.answers, c.feedback_sought FROM feedback f "
        "JOIN conferences c ON c.id = f.conference_id WHERE f.id > ? ORDER BY f.id",
        before,
    )
    assert [("child", 1), ("parent", 0)] == [(r[0], r[1]) for r in saved]
    assert '{"listened": 5, "respected": 4}' == saved[0][2]
    assert {1} == {r[3] for r in saved}
    assert 0 == page.locator("text=Traceback").count()
