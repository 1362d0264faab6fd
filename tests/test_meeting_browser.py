"""The meeting apps in Debian's Chromium over a fresh demo database, served by `cptrack
serve`: a chair completes a midway review, records an ICPC, is refused a plan without a
contingency plan, and opens an escalation that is overdue. Screenshots of each form are
saved under test-output/screenshots/ (meetings-*.png)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import screenshot, serving
from cptrack import caseload
from cptrack.casework.midway import due as midway_due
from cptrack.domain.models import today
from cptrack.rules import profiles, workdays
from cptrack.storage import settings
from cptrack.storage.store import Store

pytestmark = pytest.mark.browser
TODAY = today()
LOAD = 120_000  # a page starts a kernel and evaluates the caseload


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A UK chair's browser: British English, a laptop-sized window."""
    return {**browser_context_args, "locale": "en-GB", "viewport": {"width": 1300, "height": 900}}


def shot(page, name: str) -> None:
    screenshot(page, f"meetings-{name}")


def _profile(db: str, name: str) -> None:
    with Store.open(db) as store:
        settings.put(store, "profile", name)


def _day(day: dt.date) -> str:
    return f"{day:%-d %b %Y}"


def saved(page, words: str) -> None:
    """Wait for the saved message holding ``words``; a refusal fails with what it said."""
    try:
        page.locator(".cpt-banner .ok:visible", has_text=words).first.wait_for(timeout=60_000)
    except PlaywrightTimeout:
        refusals = page.locator(".cpt-banner .bad:visible").all_inner_texts()
        errors = page.locator(".cpt-error:visible").all_inner_texts()
        raise AssertionError(f"not saved: {refusals} {errors}") from None


def test_a_chair_completes_a_midway_review_and_the_finding_turns_met(page, fresh_demo_db):
    """Dorset (004 §4.14): a child due a midway review; saving without judgement is refused
    field by field; completed and saved, the card reads 'Midway review met'."""
    _profile(fresh_demo_db, "dorset")
    with Store.open(fresh_demo_db) as store:
        due = midway_due.due_list(caseload.load(store), profiles.load("dorset"), TODAY)
    child = str(due[due["status"] == "due"]["child_id"].iloc[0])
    with serving(fresh_demo_db) as url:
        page.goto(f"{url}/voila/render/midway_review.ipynb?child={child}", timeout=LOAD)
        card = page.locator("#midway-child")
        card.wait_for(timeout=LOAD)
        assert "Midway review due" in card.inner_text()
        assert child in page.locator("#midway-due").text_content()
        page.get_by_role("button", name="Save the midway review").click()
        page.locator(".cpt-banner .bad").first.wait_for(timeout=30_000)
        assert (
            "Give the evidence for this rating"
            in page.locator(".cpt-row-outcomes").first.inner_text()
        )
        assert "002 standard 3" in page.locator(".cpt-field-risks_reducing").inner_text()
        shot(page, "midway-refused")
        rows = page.locator(".cpt-row-outcomes")
        for i in range(rows.count()):
            rows.nth(i).get_by_role("button", name="Amber").click()
            rows.nth(i).locator("textarea").nth(1).fill("School attendance up from 70% to 95%.")
        page.locator(".cpt-field-risks_reducing").get_by_role("button", name="Partly").click()
        page.locator(".cpt-field-risks_evidence textarea").fill(
            "No police call-outs since the conference; drinking continues."
        )
        page.locator(".cpt-field-child_voice_heard").get_by_role("button", name="Yes").click()
        page.locator(".cpt-field-child_voice_evidence textarea").fill(
            "Seen alone twice; says home is calmer."
        )
        page.locator(".cpt-field-contingency_still_right").get_by_role("button", name="Yes").click()
        page.locator(".cpt-field-decision").get_by_label("On track: no change").check()
        page.get_by_role("button", name="Add an action").click()
        action = page.locator(".cpt-row-actions").first
        action.locator("textarea").fill("Check attendance with school every fortnight")
        action.locator("input[type=text]").fill("Social worker")
        action.locator("input[type=date]").fill((TODAY + dt.timedelta(days=14)).isoformat())
        page.get_by_role("button", name="Save the midway review").click()
        saved(page, "Decision: On track")
        assert "Midway review met" in page.locator("#midway-child").inner_text()
        assert child not in page.locator("#midway-due").text_content()
        shot(page, "midway-saved")
    with Store.open(fresh_demo_db) as store:
        assert 1 == len(
            [r for r in store.rows("midway_reviews", child_id=child) if r["date"] == TODAY]
        )
        assert store.rows("plan_actions", source="midway_review", child_id=child)


def test_a_chair_prepares_and_records_an_icpc_that_makes_a_plan(page, fresh_demo_db):
    """Sunderland's profile: the preparation checklist answers from the records; the record
    is refused without a contingency plan, citing 002 standard 10; saved, the first core
    group is due 10 working days and the first review 3 months after the conference."""
    _profile(fresh_demo_db, "sunderland")
    with Store.open(fresh_demo_db) as store:
        booked = [
            c
            for c in store.rows("conferences", type="initial")
            if c["held_date"] is None
            and not c["stood_down"]
            and store.rows("agency_reports", conference_id=c["id"])
        ]
    conf = booked[0]
    core_due = workdays.add_working_days(TODAY, 10)
    review_due = workdays.add_months(TODAY, 3)
    with serving(fresh_demo_db) as url:
        page.goto(f"{url}/voila/render/conference.ipynb?conference={conf['id']}", timeout=LOAD)
        page.locator("#conference-card").wait_for(timeout=LOAD)
        checklist = page.locator(".cpt-checklist")
        assert "from the records" in checklist.inner_text()
        assert "Is the child 10 or older" in checklist.inner_text()
        split = page.locator(".cpt-item-split_conference")
        split.get_by_role("button", name="No", exact=True).click()
        page.get_by_role("button", name="Save the preparation").click()
        page.locator(".cpt-item-split_conference .cpt-error").wait_for(timeout=30_000)
        assert "Add a note saying what is being done" in split.inner_text()
        split.locator("input[type=text]").fill("No domestic abuse concerns; not needed.")
        page.locator(".cpt-field-consultation_date input").fill(TODAY.isoformat())
        page.get_by_role("button", name="Save the preparation").click()
        saved(page, "Preparation saved")
        page.locator("#report-deadlines").wait_for()
        shot(page, "conference-preparation")

        page.get_by_role("tab", name="Record").click()
        page.locator(".cpt-field-held_date input").fill(TODAY.isoformat())
        rows = page.locator(".cpt-row-attendance")
        while (before := rows.count()) < 3:
            page.get_by_role("button", name="Add a person or agency").click()
            rows.nth(before).wait_for()  # the new row renders after the kernel replies
            rows.nth(before).locator("select").nth(0).select_option(
                label=["Police", "School"][before % 2]
            )
        for i in range(rows.count()):
            selects = rows.nth(i).locator("select")
            selects.nth(1).select_option(label="Attended")
            selects.nth(2).select_option(label="4")
            selects.nth(3).select_option(label="Child protection plan")
        for name, words in (
            ("worried_about", "Unexplained bruising; chaotic home."),
            ("working_well", "Grandmother visits daily."),
            ("child_views", "Wants the shouting to stop."),
            ("needs_to_happen", "Safe care every day, checked by visits."),
            ("danger_statements", "The child may be hurt again."),
            ("safety_goals", "The child is safe at home.\nThe child attends school every day."),
        ):
            page.locator(f".cpt-field-{name} textarea").fill(words)
        page.locator(".cpt-field-outcome").get_by_label("Child protection plan", exact=True).check()
        page.locator(".cpt-field-category select").select_option(label="Neglect")
        page.locator(".cpt-field-core_group_members textarea").fill(
            "Social worker, school, health visitor, parents"
        )
        page.locator(".cpt-field-visit_frequency_wd select").select_option(index=2)
        assert (
            core_due.isoformat()
            == page.locator(".cpt-field-first_core_group_date input").input_value()
        )
        assert (
            f"Due by {_day(review_due)}" in page.locator(".cpt-field-next_review_date").inner_text()
        )
        page.get_by_role("button", name="Add an action").click()
        action = page.locator(".cpt-row-actions").first
        action.locator("textarea").fill("Paediatric assessment of the bruising")
        action.locator("input[type=text]").fill("Social worker")
        action.locator("input[type=date]").fill((TODAY + dt.timedelta(days=7)).isoformat())
        page.get_by_role("button", name="Save the conference record").click()
        refusal = page.locator(".cpt-field-contingency_plan .cpt-error")
        refusal.wait_for(timeout=30_000)
        assert "[002 standard 10]" in refusal.inner_text()
        shot(page, "conference-record-refused")
        page.locator(".cpt-field-contingency_plan textarea").fill(
            "If there is further bruising, a strategy discussion the same day and a legal "
            "planning meeting."
        )
        page.get_by_role("button", name="Save the conference record").click()
        saved(page, "is recorded: Child protection plan")
        due = page.locator("#now-due")
        due.wait_for(timeout=30_000)
        text = due.inner_text()
        assert (
            "First core group (within 10 working days of the conference that made the plan)" in text
        )
        assert _day(core_due) in text and _day(review_due) in text
        shot(page, "conference-record-saved")
    with Store.open(fresh_demo_db) as store:
        stored = store.get("conferences", conf["id"])
        assert ("cp_plan", TODAY, True) == (
            stored["outcome"],
            stored["held_date"],
            stored["quorate"],
        )


def test_an_escalation_opened_with_a_past_date_shows_overdue(page, fresh_demo_db):
    """Raised ten working days ago, its response was due five working days later: once saved
    it reads 'overdue' in red in the child's list and in the log."""
    raised = workdays.add_working_days(TODAY, -10)
    due = workdays.add_working_days(raised, 5)
    with serving(fresh_demo_db) as url:
        page.goto(f"{url}/voila/render/escalations.ipynb?child=C000001", timeout=LOAD)
        panel = page.locator(".cpt-escalation-panel")
        panel.wait_for(timeout=LOAD)
        panel.get_by_role("button", name="Open a new escalation").click()
        form = page.locator(".cpt-escalation-form")
        form.locator(".cpt-field-raised_on input").fill(raised.isoformat())
        form.locator(".cpt-field-raised_with input").fill("Team manager, Safeguarding Team 2")
        form.locator(".cpt-field-reason textarea").fill(
            "No visit for four weeks; please confirm a visit this week."
        )
        page.wait_for_function(
            f"() => document.querySelector('.cpt-escalation-form .cpt-field-response_due input')"
            f".value === '{due.isoformat()}'",
            timeout=30_000,
        )
        shot(page, "escalation-form")
        panel.get_by_role("button", name="Save the escalation").click()
        saved(page, f"a response is due by {_day(due)}")
        late = f"overdue by {workdays.working_days_between(due, TODAY)} working days"
        page.locator("#escalations-C000001").get_by_text(late).wait_for(timeout=30_000)
        page.locator("#escalation-log").get_by_text(late).first.wait_for(timeout=30_000)
        assert "red" in page.locator("#escalations-C000001 .tag", has_text=late).get_attribute(
            "class"
        )
        shot(page, "escalation-log")
