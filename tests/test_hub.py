"""The team server with its real parts: JupyterHub, configurable-http-proxy and
NativeAuthenticator started by `cptrack hub` on free loopback ports over a new PostgreSQL
database. People sign up, an admin authorises them, each signs in through the login page
(in Chromium) and gets their own server serving only the apps; every save is audited under
the signed-in person and their staff record's role decides what they may change."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from annex_template import build
from app_steps import (
    ROUND_TRIP,
    change_a_role,
    import_a_file,
    open_an_escalation,
    prepare_a_conference,
    record_a_conference,
    reflect_on_an_observation,
    refused,
    save_a_check,
    save_a_midway_review,
    save_parent_feedback,
    saved,
    submit_an_observation,
)
from test_import_annex_a_template import five, seven

from conftest import free_port, new_pg_database, screenshot
from cptrack.cli import main
from cptrack.demo import synthetic as demo
from cptrack.domain.models import today
from cptrack.storage import settings
from cptrack.storage.store import Store

PASSWORD = "a long pass phrase 2026"
READY = "JupyterHub is now running"
LOAD = 120_000


@contextmanager
def hub(db: str, state: Path, admin: str = "admin", timeout: float = 45) -> Iterator[str]:
    """`cptrack hub` over ``db`` on free loopback ports; yields its base URL."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in the finally below)
        "w+", prefix="cptrack-hub-", suffix=".log", delete=False
    )
    env = {
        **os.environ,
        "CPTRACK_HUB_API_PORT": str(free_port()),
        "CPTRACK_HUB_PROXY_PORT": str(free_port()),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cptrack.cli",
            "hub",
            "--db",
            db,
            "--port",
            str(port),
            "--admin",
            admin,
            "--state",
            str(state),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        deadline = time.monotonic() + timeout
        while READY not in Path(log.name).read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the hub did not start:\n{Path(log.name).read_text()}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        os.unlink(log.name)


def sign_up(url: str, name: str) -> None:
    """Sign ``name`` up on the hub's sign-up page (NativeAuthenticator)."""
    s = requests.Session()
    s.get(f"{url}/hub/signup").raise_for_status()
    form = {
        "username": name,
        "signup_password": PASSWORD,
        "signup_password_confirmation": PASSWORD,
        "_xsrf": s.cookies.get("_xsrf"),
    }
    s.post(f"{url}/hub/signup", data=form).raise_for_status()


def sign_in(url: str, name: str) -> requests.Session:
    """A session that tried to sign in as ``name`` through the hub's login form."""
    s = requests.Session()
    s.get(f"{url}/hub/login").raise_for_status()
    form = {"username": name, "password": PASSWORD, "_xsrf": s.cookies.get("_xsrf")}
    s.post(f"{url}/hub/login", data=form, allow_redirects=False).raise_for_status()
    return s


def signed_in(url: str, name: str) -> requests.Session:
    """A session signed in as ``name``."""
    s = sign_in(url, name)
    assert s.cookies.get("jupyterhub-session-id"), f"{name} could not sign in"
    return s


def authorise(url: str, admin: str, names: list[str]) -> None:
    """The admin authorises each sign-up (NativeAuthenticator's /hub/authorize page)."""
    s = signed_in(url, admin)
    for name in names:
        s.get(f"{url}/hub/authorize/{name}").raise_for_status()


PEOPLE = ("admin", "ruth", "scott", "damien", "robin")


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """One hub for the module's tests (a hub and each person's server take a while to start
    on two cores): `cptrack hub` over a demo caseload on a new PostgreSQL database, with a
    login for an admin, two chairs (ruth, scott), the manager (damien) and the QA lead
    (robin), each signed up on the hub and authorised by the admin."""
    with new_pg_database() as db:
        with Store.open(db, migrate=True) as store:
            demo.populate(store, children=30, seed=1, as_of=today())
            settings.put(store, "profile", "sunderland")
            staff = store.rows("staff")
            plans = [p for p in store.rows("cp_plans") if p["end_date"] is None]
            children = {c["id"]: c for c in store.rows("children")}
            booked = [
                c
                for c in store.rows("conferences", type="initial")
                if c["held_date"] is None and not c["stood_down"]
            ]
        chairs = [s for s in staff if s["role"] == "chair"]
        people = {
            "ruth": chairs[0],
            "scott": chairs[1],
            "damien": next(s for s in staff if s["role"] == "manager"),
            "robin": next(s for s in staff if s["role"] == "qa_lead"),
        }
        for login, person in people.items():
            assert 0 == main(["staff", "--db", db, "--set", str(person["id"]), "--login", login])
        assert 0 == main(
            ["staff", "--db", db, "--add", "Ada Admin", "--role", "admin", "--login", "admin"]
        )
        child_of, children_of = {}, {}
        for login, person in people.items():
            chair = person["id"] if person["role"] == "chair" else chairs[0]["id"]
            children_of[login] = [
                children[p["child_id"]]["id"]
                for p in plans
                if children[p["child_id"]]["chair_id"] == chair
            ]
            child_of[login] = children_of[login][0]
        with hub(db, tmp_path_factory.mktemp("hub")) as url:
            for name in PEOPLE:
                sign_up(url, name)
            authorise(url, "admin", list(PEOPLE[1:]))
            yield {
                "url": url,
                "db": db,
                "child_of": child_of,
                "children_of": children_of,
                "name_of": {c["id"]: c["family_name"] for c in children.values()},
                "people": people,
                "chairs": chairs,
                "booked": sorted(booked, key=lambda c: c["chair_id"] != chairs[0]["id"]),
            }


def sign_in_in_browser(browser, url: str, name: str):
    """A new browser context (its own cookies) signed in as ``name`` through the login
    page; returns the page once their server shows the apps' index."""
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/London", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{url}/hub/login", timeout=LOAD)
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(f"{url}/user/{name}/voila/render/index.ipynb**", timeout=LOAD)
    return page


def audit_since(db: str, before: int) -> list[dict]:
    """The audit rows written since there were ``before``."""
    with Store.open(db) as store:
        return store.audit()[before:]


def audit_count(db: str) -> int:
    with Store.open(db) as store:
        return len(store.audit())


def written_by(rows: list[dict]) -> dict[str, set[str]]:
    """Each table written, with the users its audit rows name."""
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r["table_name"], set()).add(r["user"])
    return out


@pytest.mark.hub
@pytest.mark.postgres
@pytest.mark.browser
def test_two_chairs_sign_in_and_each_save_is_audited_under_them(browser, team):
    """Two chairs sign in through the login page and each saves a check, audited under
    their login; the manager's save is refused, naming the role it needs, nothing saved."""
    db, url = team["db"], team["url"]
    for name in ("ruth", "scott"):
        child = team["child_of"][name]
        page = sign_in_in_browser(browser, url, name)
        save_a_check(page, f"{url}/user/{name}", child, f"Seen; checked by {name}.")
        saved(page, "")
        screenshot(page, f"hub-{name}-saved")
        with Store.open(db) as store:
            row = store.rows("case_tracking", child_id=child)[-1]
            assert f"Seen; checked by {name}." == row["observations"]
            assert name == store.audit("case_tracking", row["id"])[-1]["user"]
        page.context.close()

    before = audit_count(db)
    page = sign_in_in_browser(browser, url, "damien")
    save_a_check(page, f"{url}/user/damien", team["child_of"]["damien"], "A try.")
    assert "needs the chair role" in refused(page)
    page.context.close()
    assert before == audit_count(db)


@pytest.mark.hub
@pytest.mark.postgres
@pytest.mark.browser
def test_a_chairs_saves_through_each_of_their_apps_are_audited_under_them(browser, team):
    """Signed in as ruth: a midway review, a conference's preparation and record, and an
    escalation, each saved through its page; every audit row each save wrote names ruth
    (the record and what it brings with it: actions, attendance, the plan)."""
    db, url = team["db"], team["url"]
    base = f"{url}/user/ruth"
    page = sign_in_in_browser(browser, url, "ruth")
    child = team["children_of"]["ruth"][-1]
    steps = {
        "midway review": (
            lambda: save_a_midway_review(page, base, child, "Attendance up from 70% to 95%."),
            "Decision: On track",
            {"midway_reviews"},
        ),
        "conference preparation": (
            lambda: prepare_a_conference(page, base, team["booked"][0]["id"]),
            "Preparation saved",
            {"conference_preparations"},
        ),
        "conference record": (
            lambda: record_a_conference(page, "A strategy discussion the same day if hurt."),
            "is recorded: Child protection plan",
            {"conferences", "cp_plans"},
        ),
        "escalation": (
            lambda: open_an_escalation(page, base, child, "No visit for four weeks."),
            "a response is due by",
            {"escalations"},
        ),
    }
    for what, (step, words, kinds) in steps.items():
        before = audit_count(db)
        step()
        saved(page, words)
        rows = audit_since(db, before)
        by_table = written_by(rows)
        assert kinds <= set(by_table), f"{what}: wrote {sorted(by_table)}"
        assert {"ruth"} == {r["user"] for r in rows}, f"{what}: {by_table}"
        screenshot(page, f"hub-ruth-{what.replace(' ', '-')}")
    page.context.close()


@pytest.mark.hub
@pytest.mark.postgres
@pytest.mark.browser
def test_a_qa_lead_observes_a_chair_who_alone_acknowledges_it(browser, team):
    """Signed in as robin (QA lead): an observation of ruth submitted and a parent's
    feedback saved, audited under robin. Scott, another chair, opens ruth's observation
    and saves a reflection: refused, nothing saved. Ruth reflects on and acknowledges it:
    audited under ruth, the observation complete."""
    db, url = team["db"], team["url"]
    ruth = team["people"]["ruth"]
    page = sign_in_in_browser(browser, url, "robin")
    for step, words, kind in (
        (
            lambda: submit_an_observation(
                page,
                f"{url}/user/robin",
                ruth["name"],
                "Warm, clear chairing; the family understood.",
            ),
            "Submitted",
            "observations",
        ),
        (
            lambda: save_parent_feedback(
                page, f"{url}/user/robin", ruth["name"], "The chair explained the plan to us."
            ),
            "Saved: feedback from a parent or carer",
            "feedback",
        ),
    ):
        before = audit_count(db)
        step()
        saved(page, words)
        rows = audit_since(db, before)
        assert kind in written_by(rows)
        assert {"robin"} == {r["user"] for r in rows}
    screenshot(page, "hub-robin-feedback")
    page.context.close()
    with Store.open(db) as store:
        obs = store.rows("observations", chair_id=ruth["id"])[-1]
    assert "awaiting_reflection" == obs["status"]

    before = audit_count(db)
    page = sign_in_in_browser(browser, url, "scott")
    reflect_on_an_observation(page, f"{url}/user/scott", obs["id"], "Not mine to reflect on.")
    words = refused(page)
    assert "this one is of another chair. Nothing was saved." in words
    screenshot(page, "hub-scott-refused-another-chairs-observation")
    page.context.close()
    with Store.open(db) as store:
        assert obs == store.get("observations", obs["id"])
    assert before == audit_count(db)

    page = sign_in_in_browser(browser, url, "ruth")
    reflect_on_an_observation(
        page, f"{url}/user/ruth", obs["id"], "A fair account; I will bring the child's words in."
    )
    saved(page, "the observation is complete")
    page.context.close()
    rows = audit_since(db, before)
    assert ({"observations": {"ruth"}}, "complete") == (
        written_by(rows),
        rows[-1]["after"]["status"],
    )


@pytest.mark.hub
@pytest.mark.postgres
@pytest.mark.browser
def test_an_admin_imports_and_sets_a_role_and_a_manager_cannot(browser, team, tmp_path):
    """The admin, signed in, imports an Annex A workbook on the import page (every audit
    row under the admin) and changes a chair's role and login on the staff and roles page
    (one audit row under the admin). The manager's same change is refused, naming the admin
    role; nothing saved."""
    db, url = team["db"], team["url"]
    person = team["chairs"][-1]
    page = sign_in_in_browser(browser, url, "admin")
    workbook = build(
        tmp_path / "annex_a.xlsx",
        [seven(**{"Child Unique ID": "HUB001"})],
        [five(**{"Child Unique ID": "HUB001"})],
    )
    before = audit_count(db)
    import_a_file(page, f"{url}/user/admin", str(workbook), dt.date(2026, 3, 31))
    page.locator("#import-report[data-committed='1']").wait_for(timeout=ROUND_TRIP)
    rows = audit_since(db, before)
    assert "children" in written_by(rows)
    assert {"admin"} == {r["user"] for r in rows}

    before = audit_count(db)
    change_a_role(page, f"{url}/user/admin", person["id"], "QA lead", "ann.qa")
    saved(page, "(changed: role, login)")
    screenshot(page, "hub-admin-staff-and-roles")
    page.context.close()
    rows = audit_since(db, before)
    assert [("staff", "update", "admin", {"role": "qa_lead", "login": "ann.qa"})] == [
        (r["table_name"], r["action"], r["user"], r["after"]) for r in rows
    ]

    before = audit_count(db)
    page = sign_in_in_browser(browser, url, "damien")
    change_a_role(page, f"{url}/user/damien", person["id"], "admin", "ann.qa")
    assert "changing a staff record needs the admin role" in refused(page)
    page.context.close()
    assert before == audit_count(db)


@pytest.mark.hub
@pytest.mark.postgres
def test_the_hub_serves_only_the_apps_and_nothing_without_sign_in(team):
    """Without sign-in a request gets the login page and no data; signed in, a person's
    server shows the apps but no JupyterLab, terminal or notebook editing, and not another
    person's server."""
    url = team["url"]
    child = team["child_of"]["ruth"]
    anonymous = requests.get(f"{url}/user/ruth/voila/render/case_tracking.ipynb?child={child}")
    assert f"{url}/hub/login" == anonymous.url.split("?")[0]
    assert team["name_of"][child] not in anonymous.text
    api = requests.get(f"{url}/user/ruth/api/contents", allow_redirects=False)
    assert api.status_code in (302, 403)

    sign_up(url, "pending")
    # Signed up but not yet authorised by an admin: no sign-in.
    assert None is sign_in(url, "pending").cookies.get("jupyterhub-session-id")
    s = signed_in(url, "ruth")
    s.get(f"{url}/hub/spawn/ruth", timeout=90)
    deadline = time.monotonic() + 60
    while (index := s.get(f"{url}/user/ruth/voila/render/index.ipynb")).url.startswith(
        f"{url}/hub/"
    ):
        assert time.monotonic() < deadline, "ruth's server did not start"
        time.sleep(1)
    assert 200 == index.status_code
    assert "cptrack" in index.text.lower()
    for path in ("lab", "tree", "terminals/1", "api/terminals", "notebooks/index.ipynb"):
        assert 404 == s.get(f"{url}/user/ruth/{path}").status_code, path
    xsrf = {"X-XSRFToken": s.cookies.get("_xsrf", path="/user/ruth/")}
    writes = [
        s.put(
            f"{url}/user/ruth/api/contents/new.ipynb",
            json={"type": "file", "format": "text", "content": "x"},
            headers=xsrf,
        ),
        s.delete(f"{url}/user/ruth/api/contents/index.ipynb", headers=xsrf),
        s.post(f"{url}/user/ruth/api/kernels", json={}, headers=xsrf),
        s.post(
            f"{url}/user/ruth/api/sessions",
            headers=xsrf,
            json={"path": "a.ipynb", "type": "notebook", "kernel": {"name": "python3"}},
        ),
    ]
    assert [403] * len(writes) == [r.status_code for r in writes]
    # Scott's server refuses ruth (403) while it runs; the hub says 404 when it does not.
    other = s.get(f"{url}/user/scott/voila/render/index.ipynb")
    assert other.status_code in (403, 404)
    assert team["name_of"][team["child_of"]["scott"]] not in other.text


def test_a_hub_refuses_an_sqlite_database(tmp_path, capsys):
    """`cptrack hub` over an SQLite file stops with a clear message, starting nothing."""
    db = str(tmp_path / "one.sqlite")
    assert 0 == main(["init", "--db", db])
    with pytest.raises(SystemExit) as stopped:
        main(["hub", "--db", db, "--state", str(tmp_path / "hub")])
    assert "must be a PostgreSQL URL" in str(stopped.value)
    assert not (tmp_path / "hub").exists()


def test_entra_id_sign_in_is_configured_from_the_environment(tmp_path, monkeypatch):
    """With CPTRACK_HUB_AUTH=entra the hub signs in through AzureAdOAuthenticator with the
    tenant, client and groups from the environment (no tenant is contacted here)."""
    from oauthenticator.azuread import AzureAdOAuthenticator
    from traitlets.config import Config

    from cptrack.cli.hub_config import configure

    monkeypatch.setenv("CPTRACK_DB", "postgresql://cptrack@127.0.0.1/cptrack")
    monkeypatch.setenv("CPTRACK_HUB_STATE", str(tmp_path / "hub"))
    monkeypatch.setenv("CPTRACK_HUB_AUTH", "entra")
    monkeypatch.setenv("AZURE_TENANT_ID", "tenant-1")
    monkeypatch.setenv("AZURE_CLIENT_ID", "client-1")
    monkeypatch.setenv("CPTRACK_HUB_OAUTH_CALLBACK", "https://cp.example/hub/oauth_callback")
    with pytest.raises(SystemExit) as stopped:
        configure(Config())
    assert "needs AZURE_CLIENT_SECRET" in str(stopped.value)

    monkeypatch.setenv("AZURE_CLIENT_SECRET", "secret-1")
    monkeypatch.setenv("CPTRACK_HUB_ENTRA_GROUPS", "chairs-group, qa-group")
    c = Config()
    configure(c)
    entra = AzureAdOAuthenticator(config=c)
    assert "oauthenticator.azuread.AzureAdOAuthenticator" == c.JupyterHub.authenticator_class
    assert "https://login.microsoftonline.com/tenant-1/oauth2/authorize" == entra.authorize_url
    assert {"chairs-group", "qa-group"} == entra.allowed_groups
    assert "ruth.baker@council.gov.uk" == entra.normalize_username("Ruth.Baker@Council.gov.uk")
