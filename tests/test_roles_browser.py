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
        (today() + dt.timedelta(days=28)).isoformat()
    )
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


def test_an_admin_sets_roles_and_logins_on_the_staff_page(page, fresh_demo_db, monkeypatch):
    """Signed in as an admin: the home page links the staff page; on it the admin adds a
    person and makes a manager a QA lead with a login, each audited under the admin. A chair
    sees no link, and their save on the page is refused naming the admin role."""
    with Store.open(fresh_demo_db) as store:
        manager = next(s for s in store.rows("staff") if s["role"] == "manager")
        chair = next(s for s in store.rows("staff") if s["role"] == "chair")
    assert 0 == main(
        ["staff", "--db", fresh_demo_db, "--add", "Ada Admin", "--role", "admin", "--login", "ada"]
    )
    assert 0 == main(
        ["staff", "--db", fresh_demo_db, "--set", str(chair["id"]), "--login", "ruth.b"]
    )
    monkeypatch.setenv("CPTRACK_TEAM_SERVER", "1")
    with serving(fresh_demo_db, args=("--user-header", "X-Forwarded-User")) as url:
        page.set_extra_http_headers({**AUTH_HEADER, "X-Forwarded-User": "ada"})
        page.goto(f"{url}/voila/render/index.ipynb", timeout=LOAD)
        page.locator("#chair-caseloads").wait_for(timeout=LOAD)
        assert "staff.ipynb" == page.get_by_role("link", name="Staff and roles").get_attribute(
            "href"
        )
        page.goto(f"{url}/voila/render/staff.ipynb", timeout=LOAD)
        page.locator("#staff-list").wait_for(timeout=LOAD)
        assert (
            "You are signed in as ada (Ada Admin, admin)."
            in page.locator(".cpt-viewer").inner_text()
        )
        form = page.locator(".cpt-staff-form")
        form.locator(".cpt-field-name input").fill("Grace Hopper")
        form.locator(".cpt-field-role select").select_option(label="QA lead")
        form.locator(".cpt-field-login input").fill("grace.h")
        page.get_by_role("button", name="Add the person").click()
        form.locator(".cpt-banner .ok", has_text="Added Grace Hopper as a QA lead").wait_for(
            timeout=ROUND_TRIP
        )

        form.locator(".cpt-staff-person select").select_option(label=f"{manager['name']} (manager)")
        page.wait_for_function(
            "() => document.querySelector('.cpt-staff-form .cpt-field-name input').value === "
            f"{manager['name']!r}",
            timeout=ROUND_TRIP,
        )
        form.locator(".cpt-field-role select").select_option(label="QA lead")
        form.locator(".cpt-field-login input").fill("m.jones")
        page.get_by_role("button", name="Save the change").click()
        form.locator(".cpt-banner .ok", has_text="(changed: role, login)").wait_for(
            timeout=ROUND_TRIP
        )
        row = page.locator(f"#staff-list tr[data-staff='{manager['id']}']")
        assert "QA lead" in row.inner_text() and "m.jones" in row.inner_text()
        screenshot(page, "staff-and-roles")
        with Store.open(fresh_demo_db) as store:
            grace = store.rows("staff", login="grace.h")[0]
            assert ("qa_lead", "m.jones") == tuple(
                store.get("staff", manager["id"])[k] for k in ("role", "login")
            )
            audit = [store.audit("staff", grace["id"])[-1], store.audit("staff", manager["id"])[-1]]
            assert [("insert", "ada"), ("update", "ada")] == [
                (a["action"], a["user"]) for a in audit
            ]
            before = len(store.audit())

        page.set_extra_http_headers({**AUTH_HEADER, "X-Forwarded-User": "ruth.b"})
        page.goto(f"{url}/voila/render/index.ipynb", timeout=LOAD)
        page.locator("#chair-caseloads").wait_for(timeout=LOAD)
        assert 0 == page.get_by_role("link", name="Staff and roles").count()
        page.goto(f"{url}/voila/render/staff.ipynb?person={manager['id']}", timeout=LOAD)
        page.locator("#staff-list").wait_for(timeout=LOAD)
        assert "needs the admin role" in page.locator(".cpt-viewer").inner_text()
        form.locator(".cpt-field-role select").select_option(label="admin")
        page.get_by_role("button", name="Save the change").click()
        refused = form.locator(".cpt-banner .bad:visible")
        refused.wait_for(timeout=ROUND_TRIP)
        assert "changing a staff record needs the admin role" in refused.inner_text()
        screenshot(page, "staff-and-roles-chair-refused")
        with Store.open(fresh_demo_db) as store:
            assert before == len(store.audit())
            assert "qa_lead" == store.get("staff", manager["id"])["role"]
