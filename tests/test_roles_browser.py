"""The signed-in person through a real server and Chromium: behind a proxy that signs people
in (`cptrack serve --user-header X-Forwarded-User` on a team server), a chair's check is
audited under their login, and a manager's save is refused with the role it needs."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import AUTH_HEADER, screenshot, serving
from cptrack.cli import main
from cptrack.domain.models import today
from cptrack.storage.store import Store

pytestmark = pytest.mark.browser
LOAD = 120_000
ROUND_TRIP = 60_000


def save_a_check(page, url: str, child: str, note: str) -> None:
    """Open the child by a deep link and save a case-tracking check."""
    page.goto(f"{url}/voila/render/case_tracking.ipynb?child={child}", timeout=LOAD)
    page.locator(f"#tracking-child[data-child='{child}']").wait_for(timeout=LOAD)
    form = page.locator(".cpt-tracking-form")
    form.locator(".cpt-field-observations textarea").fill(note)
    form.locator(".cpt-field-decision").get_by_label("No action: the plan is progressing").check()
    form.locator(".cpt-field-next_check_date input").fill(
        (today() + dt.timedelta(days=28)).isoformat())  # fmt: skip
    page.get_by_role("button", name="Save the check").click()


def test_each_save_is_audited_under_the_signed_in_person(page, fresh_demo_db, monkeypatch):
    """The chair's check is saved under their login; the manager's is refused, nothing
    saved, the banner naming the role it needs."""
    with Store.open(fresh_demo_db) as store:
        plan = next(p for p in store.rows("cp_plans") if p["end_date"] is None)
        child = store.get("children", plan["child_id"])
        manager = next(s for s in store.rows("staff") if s["role"] == "manager")
    for person, login in ((child["chair_id"], "ruth.b"), (manager["id"], "boss")):
        assert 0 == main(["staff", "--db", fresh_demo_db, "--set", str(person), "--login", login])
    monkeypatch.setenv("CPTRACK_TEAM_SERVER", "1")
    with serving(fresh_demo_db, args=("--user-header", "X-Forwarded-User")) as url:
        page.set_extra_http_headers({**AUTH_HEADER, "X-Forwarded-User": "ruth.b"})
        save_a_check(page, url, child["id"], "Seen by the chair, signed in.")
        page.locator(".cpt-banner .ok:visible").first.wait_for(timeout=ROUND_TRIP)
        with Store.open(fresh_demo_db) as store:
            saved = store.rows("case_tracking", child_id=child["id"])[-1]
            assert "Seen by the chair, signed in." == saved["observations"]
            assert "ruth.b" == store.audit("case_tracking", saved["id"])[-1]["user"]
            before = len(store.audit())

        page.set_extra_http_headers({**AUTH_HEADER, "X-Forwarded-User": "boss"})
        save_a_check(page, url, child["id"], "A manager's try.")
        refused = page.locator(".cpt-banner .bad:visible").first
        refused.wait_for(timeout=ROUND_TRIP)
        assert "needs the chair role" in refused.inner_text()
        screenshot(page, "roles-manager-refused")
        with Store.open(fresh_demo_db) as store:
            assert before == len(store.audit())
