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

from conftest import free_port, screenshot
from cptrack.cli import main
from cptrack.demo import synthetic as demo
from cptrack.domain.models import today
from cptrack.storage.store import Store

PASSWORD = "a long pass phrase 2026"
READY = "JupyterHub is now running"
LOAD = 120_000
ROUND_TRIP = 60_000


@contextmanager
def hub(db: str, state: Path, admin: str = "admin", timeout: float = 45) -> Iterator[str]:
    """`cptrack hub` over ``db`` on free loopback ports; yields its base URL."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in the finally below)
        "w+", prefix="cptrack-hub-", suffix=".log", delete=False
    )
    env = {**os.environ, "CPTRACK_HUB_API_PORT": str(free_port()),
           "CPTRACK_HUB_PROXY_PORT": str(free_port())}  # fmt: skip
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
        ],  # fmt: skip
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
    form = {"username": name, "signup_password": PASSWORD,
            "signup_password_confirmation": PASSWORD, "_xsrf": s.cookies.get("_xsrf")}  # fmt: skip
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


@pytest.fixture
def team_db(pg_url: str) -> dict:
    """A demo caseload on PostgreSQL; two chairs and the manager given hub logins."""
    with Store.open(pg_url, migrate=True) as store:
        demo.populate(store, children=20, seed=1, as_of=today())
        staff = store.rows("staff")
        plans = [p for p in store.rows("cp_plans") if p["end_date"] is None]
        children = {c["id"]: c for c in store.rows("children")}
    chairs = [s for s in staff if s["role"] == "chair"]
    manager = next(s for s in staff if s["role"] == "manager")
    people = {"ruth": chairs[0], "scott": chairs[1], "damien": manager}
    for login, person in people.items():
        assert 0 == main(["staff", "--db", pg_url, "--set", str(person["id"]), "--login", login])
    child_of = {}
    for login, person in people.items():
        chair = person["id"] if person["role"] == "chair" else chairs[0]["id"]
        child_of[login] = next(children[p["child_id"]]["id"] for p in plans
                               if children[p["child_id"]]["chair_id"] == chair)  # fmt: skip
    name_of = {c["id"]: c["family_name"] for c in children.values()}
    return {"url": pg_url, "child_of": child_of, "name_of": name_of}


def sign_in_in_browser(browser, url: str, name: str):
    """A new browser context (its own cookies) signed in as ``name`` through the login
    page; returns the page once their server shows the apps' index."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London",
                                  viewport={"width": 1366, "height": 900})  # fmt: skip
    page = context.new_page()
    page.goto(f"{url}/hub/login", timeout=LOAD)
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url(f"{url}/user/{name}/voila/render/index.ipynb**", timeout=LOAD)
    return page


def save_a_check(page, url: str, child: str, note: str) -> None:
    """Open the child on the case-tracking page and save a check (test_roles_browser.py)."""
    page.goto(f"{url}/voila/render/case_tracking.ipynb?child={child}", timeout=LOAD)
    page.locator(f"#tracking-child[data-child='{child}']").wait_for(timeout=LOAD)
    form = page.locator(".cpt-tracking-form")
    form.locator(".cpt-field-observations textarea").fill(note)
    form.locator(".cpt-field-decision").get_by_label("No action: the plan is progressing").check()
    form.locator(".cpt-field-next_check_date input").fill(
        (today() + dt.timedelta(days=28)).isoformat())  # fmt: skip
    page.get_by_role("button", name="Save the check").click()


@pytest.mark.hub
@pytest.mark.postgres
@pytest.mark.browser
def test_two_chairs_sign_in_and_each_save_is_audited_under_them(browser, team_db, tmp_path):
    """Two chairs sign in through the login page and each saves a check, audited under
    their login; the manager's save is refused, naming the role it needs, nothing saved."""
    db = team_db["url"]
    with hub(db, tmp_path / "hub") as url:
        for name in ("admin", "ruth", "scott", "damien"):
            sign_up(url, name)
        authorise(url, "admin", ["ruth", "scott", "damien"])
        for name in ("ruth", "scott"):
            child = team_db["child_of"][name]
            page = sign_in_in_browser(browser, url, name)
            save_a_check(page, f"{url}/user/{name}", child, f"Seen; checked by {name}.")
            page.locator(".cpt-banner .ok:visible").first.wait_for(timeout=ROUND_TRIP)
            screenshot(page, f"hub-{name}-saved")
            with Store.open(db) as store:
                saved = store.rows("case_tracking", child_id=child)[-1]
                assert f"Seen; checked by {name}." == saved["observations"]
                assert name == store.audit("case_tracking", saved["id"])[-1]["user"]
            page.context.close()

        with Store.open(db) as store:
            before = len(store.audit())
        page = sign_in_in_browser(browser, url, "damien")
        save_a_check(page, f"{url}/user/damien", team_db["child_of"]["damien"], "A try.")
        refused = page.locator(".cpt-banner .bad:visible").first
        refused.wait_for(timeout=ROUND_TRIP)
        assert "needs the chair role" in refused.inner_text()
        page.context.close()
        with Store.open(db) as store:
            assert before == len(store.audit())


@pytest.mark.hub
@pytest.mark.postgres
def test_the_hub_serves_only_the_apps_and_nothing_without_sign_in(team_db, tmp_path):
    """Without sign-in a request gets the login page and no data; signed in, a person's
    server shows the apps but no JupyterLab, terminal or notebook editing, and not another
    person's server."""
    with hub(team_db["url"], tmp_path / "hub") as url:
        child = team_db["child_of"]["ruth"]
        anonymous = requests.get(f"{url}/user/ruth/voila/render/case_tracking.ipynb?child={child}")
        assert f"{url}/hub/login" == anonymous.url.split("?")[0]
        assert team_db["name_of"][child] not in anonymous.text
        api = requests.get(f"{url}/user/ruth/api/contents", allow_redirects=False)
        assert api.status_code in (302, 403)

        for name in ("admin", "ruth", "scott"):
            sign_up(url, name)
        # Signed up but not yet authorised by an admin: no sign-in.
        assert None is sign_in(url, "ruth").cookies.get("jupyterhub-session-id")
        authorise(url, "admin", ["ruth", "scott"])
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
            s.put(f"{url}/user/ruth/api/contents/new.ipynb",
                  json={"type": "file", "format": "text", "content": "x"}, headers=xsrf),
            s.delete(f"{url}/user/ruth/api/contents/index.ipynb", headers=xsrf),
            s.post(f"{url}/user/ruth/api/kernels", json={}, headers=xsrf),
            s.post(f"{url}/user/ruth/api/sessions", headers=xsrf,
                   json={"path": "a.ipynb", "type": "notebook", "kernel": {"name": "python3"}}),
        ]  # fmt: skip
        assert [403] * len(writes) == [r.status_code for r in writes]
        other = s.get(f"{url}/user/scott/voila/render/index.ipynb")
        assert 404 == other.status_code
        assert team_db["name_of"][team_db["child_of"]["scott"]] not in other.text


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
