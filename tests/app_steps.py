"""What a person does on each app page in Chromium, for the tests that drive the apps through
a server (`cptrack serve` or the team hub). ``base`` is the URL the pages are under:
``http://127.0.0.1:PORT`` for `cptrack serve`, ``.../user/NAME`` on the hub. Each step
fills a form as a person would and clicks its save button; ``saved`` and ``refused`` wait
for the banner that follows."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from cptrack.domain.models import today

LOAD = 120_000  # a page starts a kernel and reads the caseload
ROUND_TRIP = 60_000  # a click's answer from the kernel


def saved(page: Page, words: str, within: str = "") -> None:
    """Wait for the saved message holding ``words`` (inside ``within``, a CSS selector); a
    refusal fails with what it said."""
    try:
        page.locator(f"{within} .cpt-banner .ok:visible".strip(), has_text=words).first.wait_for(
            timeout=ROUND_TRIP
        )
    except PlaywrightTimeout:
        refusals = page.locator(".cpt-banner .bad:visible").all_inner_texts()
        errors = page.locator(".cpt-error:visible").all_inner_texts()
        raise AssertionError(f"not saved: {refusals} {errors}") from None


def refused(page: Page, within: str = "") -> str:
    """The words of the refusal the page shows (waiting for it)."""
    banner = page.locator(f"{within} .cpt-banner .bad:visible".strip()).first
    banner.wait_for(timeout=ROUND_TRIP)
    return banner.inner_text()


def choose(page: Page, field: str, *, index: int | None = None, label: str | None = None) -> None:
    """Pick an option of field ``field``'s dropdown once its options have arrived."""
    select = page.locator(f".cpt-field-{field} select")
    if index is not None:
        select.locator("option").nth(index).wait_for(state="attached", timeout=LOAD)
        select.select_option(value=select.locator("option").nth(index).get_attribute("value"))
    else:
        select.select_option(label=label)


def save_a_check(page: Page, base: str, child: str, note: str) -> None:
    """Open the child on the case-tracking page and save a check."""
    page.goto(f"{base}/voila/render/case_tracking.ipynb?child={child}", timeout=LOAD)
    page.locator(f"#tracking-child[data-child='{child}']").wait_for(timeout=LOAD)
    form = page.locator(".cpt-tracking-form")
    form.locator(".cpt-field-observations textarea").fill(note)
    form.locator(".cpt-field-decision").get_by_label("No action: the plan is progressing").check()
    form.locator(".cpt-field-next_check_date input").fill(
        (today() + dt.timedelta(days=28)).isoformat()
    )
    page.get_by_role("button", name="Save the check").click()


def save_a_midway_review(page: Page, base: str, child: str, evidence: str) -> None:
    """Open the child's midway review, give every judgement with evidence, and save."""
    page.goto(f"{base}/voila/render/midway_review.ipynb?child={child}", timeout=LOAD)
    page.locator("#midway-child").wait_for(timeout=LOAD)
    rows = page.locator(".cpt-row-outcomes")
    if rows.count() == 0:
        page.get_by_role("button", name="Add an outcome").click()
        rows.first.wait_for(timeout=ROUND_TRIP)
        rows.first.locator("textarea").nth(0).fill("The child is safe at home.")
    for i in range(rows.count()):
        rows.nth(i).get_by_role("button", name="Amber").click()
        rows.nth(i).locator("textarea").nth(1).fill(evidence)
    page.locator(".cpt-field-risks_reducing").get_by_role("button", name="Partly").click()
    page.locator(".cpt-field-risks_evidence textarea").fill(evidence)
    page.locator(".cpt-field-child_voice_heard").get_by_role("button", name="Yes").click()
    page.locator(".cpt-field-child_voice_evidence textarea").fill(
        "Seen alone; says home is calmer."
    )
    page.locator(".cpt-field-contingency_still_right").get_by_role("button", name="Yes").click()
    page.locator(".cpt-field-decision").get_by_label("On track: no change").check()
    page.get_by_role("button", name="Save the midway review").click()


def prepare_a_conference(page: Page, base: str, conference: int) -> None:
    """Open a booked conference, answer the preparation checklist, and save it."""
    page.goto(f"{base}/voila/render/conference.ipynb?conference={conference}", timeout=LOAD)
    page.locator("#conference-card").wait_for(timeout=LOAD)
    split = page.locator(".cpt-item-split_conference")
    split.get_by_role("button", name="No", exact=True).click()
    split.locator("input[type=text]").fill("No domestic abuse concerns; not needed.")
    page.locator(".cpt-field-consultation_date input").fill(today().isoformat())
    page.get_by_role("button", name="Save the preparation").click()


def record_a_conference(page: Page, contingency: str) -> None:
    """On the open conference page, record the conference: held today, who came, the
    discussion, a child protection plan for neglect; and save the record."""
    page.get_by_role("tab", name="Record").click()
    page.locator(".cpt-field-held_date input").fill(today().isoformat())
    rows = page.locator(".cpt-row-attendance")
    while (before := rows.count()) < 3:
        page.get_by_role("button", name="Add a person or agency").click()
        rows.nth(before).wait_for(timeout=ROUND_TRIP)
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
        ("safety_goals", "The child is safe at home."),
    ):
        page.locator(f".cpt-field-{name} textarea").fill(words)
    page.locator(".cpt-field-outcome").get_by_label("Child protection plan", exact=True).check()
    page.locator(".cpt-field-contingency_plan textarea").fill(contingency)  # shown for a plan
    page.locator(".cpt-field-category select").select_option(label="Neglect")
    page.locator(".cpt-field-core_group_members textarea").fill("Social worker, school, parents")
    page.locator(".cpt-field-visit_frequency_wd select").select_option(index=2)
    page.get_by_role("button", name="Add an action").click()
    action = page.locator(".cpt-row-actions").first
    action.wait_for(timeout=ROUND_TRIP)
    action.locator("textarea").fill("Paediatric assessment of the bruising")
    action.locator("input[type=text]").fill("Social worker")
    action.locator("input[type=date]").fill((today() + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Save the conference record").click()


def open_an_escalation(page: Page, base: str, child: str, reason: str) -> None:
    """Open a new escalation for the child on the escalation log page, and save it."""
    page.goto(f"{base}/voila/render/escalations.ipynb?child={child}", timeout=LOAD)
    panel = page.locator(".cpt-escalation-panel")
    panel.wait_for(timeout=LOAD)
    panel.get_by_role("button", name="Open a new escalation").click()
    form = page.locator(".cpt-escalation-form")
    form.locator(".cpt-field-raised_on input").fill(today().isoformat())
    form.locator(".cpt-field-raised_with input").fill("Team manager, Safeguarding Team 2")
    form.locator(".cpt-field-reason textarea").fill(reason)
    page.wait_for_function(
        "() => document.querySelector('.cpt-escalation-form .cpt-field-response_due input')"
        ".value !== ''",
        timeout=ROUND_TRIP,
    )
    panel.get_by_role("button", name="Save the escalation").click()


def submit_an_observation(page: Page, base: str, chair: str, strengths: str) -> None:
    """Observe ``chair`` (their name) at their latest conference: rate every criterion with
    evidence, give the judgement, and submit it to the chair."""
    page.goto(f"{base}/voila/render/practice_observation.ipynb", timeout=LOAD)
    page.locator(".cpt-part-f").wait_for(timeout=LOAD)
    choose(page, "chair_id", label=chair)
    choose(page, "conference_id", index=1)
    choose(page, "observer_id", index=1)
    page.wait_for_function(
        "() => document.querySelector('.cpt-field-date input').value !== ''", timeout=ROUND_TRIP
    )
    rows = page.locator(".cpt-crit-row")
    for i in range(rows.count()):
        rows.nth(i).locator("select").select_option(label="Good")
        rows.nth(i).locator("textarea").fill(f"Evidence for criterion {i + 1}: seen in the room.")
    page.locator(".cpt-field-strengths textarea").fill(strengths)
    page.locator(".cpt-field-development_points textarea").fill("Keep the plan's dates SMART.")
    page.locator(".cpt-field-overall_rationale textarea").fill("Met the standards throughout.")
    choose(page, "overall_judgement", label="Good")
    page.get_by_role("button", name="Submit to the chair").click()


def reflect_on_an_observation(page: Page, base: str, observation: int, reflection: str) -> None:
    """Open observation ``observation`` and save the chair's reflection and acknowledgement."""
    page.goto(
        f"{base}/voila/render/practice_observation.ipynb?observation={observation}", timeout=LOAD
    )
    page.locator(".cpt-field-chair_reflection textarea").wait_for(timeout=LOAD)
    page.locator(".cpt-field-chair_reflection textarea").fill(reflection)
    page.locator(".cpt-field-chair_acknowledged input").fill(today().isoformat())
    page.get_by_role("button", name="Save the chair's reflection").click()


def save_parent_feedback(page: Page, base: str, chair: str, comment: str) -> None:
    """Record a parent's feedback on ``chair``'s latest conference, and save it."""
    page.goto(f"{base}/voila/render/feedback.ipynb", timeout=LOAD)
    page.locator("#feedback-by-chair").wait_for(timeout=LOAD)
    choose(page, "chair", label=chair)
    choose(page, "conference_id", index=1)
    page.get_by_role("button", name="Parent or carer").click()
    page.locator(".cpt-q-prepared").get_by_role("button", name="Agree", exact=True).click()
    page.locator(".cpt-q-report_before").get_by_role("button", name="Disagree", exact=True).click()
    page.locator(".cpt-field-comments textarea").fill(comment)
    page.get_by_role("button", name="Save feedback").click()


def change_a_role(page: Page, base: str, person: int, role: str, login: str) -> None:
    """On the staff and roles page, give person ``person`` the role (its words) and login."""
    page.goto(f"{base}/voila/render/staff.ipynb?person={person}", timeout=LOAD)
    page.locator("#staff-list").wait_for(timeout=LOAD)
    form = page.locator(".cpt-staff-form")
    form.locator(".cpt-field-role select").select_option(label=role)
    form.locator(".cpt-field-login input").fill(login)
    page.get_by_role("button", name="Save the change").click()


def import_a_file(page: Page, base: str, path: str, reference: dt.date) -> None:
    """Upload the file on the import page, check it by a dry run, then import it."""
    page.goto(f"{base}/voila/render/imports.ipynb", timeout=LOAD)
    page.get_by_role("button", name="Check (dry run)").wait_for(timeout=LOAD)
    with page.expect_file_chooser(timeout=ROUND_TRIP) as chooser:  # the widget's own input
        page.locator(".widget-upload").click()
    chooser.value.set_files(path)
    page.locator(".cpt-banner", has_text="read as:").wait_for(timeout=ROUND_TRIP)
    page.locator("input[type=date]").fill(reference.isoformat())
    page.get_by_role("button", name="Check (dry run)").click()
    page.locator("#import-report[data-dry-run='1']").wait_for(timeout=ROUND_TRIP)
    page.get_by_role("button", name="Import").click()
