"""Load on the team server: 10 chairs signed in at once, each opening their dashboard and
saving 20 case-tracking checks, beside one chair alone.

    python benchmarks/bench_hub.py [--users 10] [--saves 20] [--children 800] [--timeout 900]

Makes a new PostgreSQL database (``CPTRACK_TEST_PG_URL``'s server, default
postgres@127.0.0.1) with a demo caseload (``--children``, seed 1; about 80 per chair, so 800
gives 10 chairs), gives each chair a hub login, and starts ``cptrack hub`` on free loopback
ports (JupyterHub, configurable-http-proxy, NativeAuthenticator). Each chair signs up and an
admin authorises them. Then, in Debian's Chromium (one browser, a context per person):

* **alone**: the first chair signs in through the login page, which starts their server
  and opens the apps; then opens the case-tracking dashboard, and saves ``--saves`` checks
  on one child of their caseload, one after another, each waiting for its confirmation;
* **at once**: that chair's server is stopped, then all ``--users`` chairs do the same
  together.

"Time to interactive" is from the sign-in form's submit to the dashboard's caseload table
and RAG filter on the screen (the person's server started, the page's kernel run); the
dashboard alone (its server already up) is printed too. "Lost" counts the checks whose save
was confirmed on the page but that are not in the database with an audit row under the
person's login: it must be 0. Everything is on 127.0.0.1; the run stops after
``--timeout`` seconds. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import io
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests
import sqlalchemy as sa
from playwright.async_api import async_playwright

from cptrack.cli import main as cli
from cptrack.demo import synthetic as demo
from cptrack.domain.models import today
from cptrack.storage.store import Store

PG_ADMIN_URL = os.environ.get(
    "CPTRACK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "a long pass phrase 2026"
LOAD = 300_000
DASHBOARD = ["#tracking-caseload", "button:has-text('Red: overdue')"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_database(children: int) -> tuple[str, dict[str, str]]:
    """A new PostgreSQL database with the demo caseload; returns its URL and, for each
    chair's login, a child on their caseload with a live plan."""
    name = f"cptrack_bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with Store.open(url, migrate=True) as store:
        demo.populate(store, children=children, seed=1, as_of=today())
        plans = [p for p in store.rows("cp_plans") if p["end_date"] is None]
        children_by_id = {c["id"]: c for c in store.rows("children")}
        child_of = {}
        for n, chair in enumerate(s for s in store.rows("staff") if s["role"] == "chair"):
            child = next(
                (
                    p["child_id"]
                    for p in plans
                    if children_by_id[p["child_id"]]["chair_id"] == chair["id"]
                ),
                None,
            )
            if child is None:
                continue
            child_of[(f"chair{n:02d}", chair["id"])] = child
    for (login, person), _ in child_of.items():
        with contextlib.redirect_stdout(io.StringIO()):
            assert 0 == cli(["staff", "--db", url, "--set", str(person), "--login", login])
    return url, {login: child for (login, _), child in child_of.items()}


def drop_database(url: str) -> None:
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def start_hub(db: str, state: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "CPTRACK_HUB_API_PORT": str(free_port()),
        "CPTRACK_HUB_PROXY_PORT": str(free_port()),
    }
    cmd = [
        sys.executable,
        "-m",
        "cptrack.cli",
        "hub",
        "--db",
        db,
        "--port",
        str(port),
        "--admin",
        "admin",
        "--state",
        str(state),
    ]
    proc = subprocess.Popen(cmd, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 60
    while "JupyterHub is now running" not in log.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the hub did not start:\n{log.read_text()}")
        time.sleep(0.2)
    return proc, f"http://127.0.0.1:{port}"


def hub_session(url: str, name: str, sign_up: bool = False) -> requests.Session:
    s = requests.Session()
    if sign_up:
        s.get(f"{url}/hub/signup").raise_for_status()
        s.post(
            f"{url}/hub/signup",
            data={
                "username": name,
                "signup_password": PASSWORD,
                "signup_password_confirmation": PASSWORD,
                "_xsrf": s.cookies.get("_xsrf"),
            },
        ).raise_for_status()
    s.get(f"{url}/hub/login").raise_for_status()
    s.post(
        f"{url}/hub/login",
        allow_redirects=False,
        data={"username": name, "password": PASSWORD, "_xsrf": s.cookies.get("_xsrf")},
    )
    return s


def stop_server(admin: requests.Session, url: str, name: str) -> None:
    """Stop ``name``'s server through the hub's REST API, and wait until it has stopped."""
    xsrf = {"X-XSRFToken": admin.cookies.get("_xsrf", path="/hub/")}
    admin.delete(f"{url}/hub/api/users/{name}/server", headers=xsrf).raise_for_status()
    for _ in range(120):
        user = admin.get(f"{url}/hub/api/users/{name}", headers=xsrf).json()
        if not user.get("servers"):
            return
        time.sleep(0.5)


async def one_chair(browser, url: str, name: str, child: str, saves: int) -> dict:
    """Sign in, open the dashboard, save ``saves`` checks; returns timings and the notes
    whose save the page confirmed."""
    context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = await context.new_page()
    try:
        await page.goto(f"{url}/hub/login", timeout=LOAD)
        await page.fill("#username_input", name)
        await page.fill("#password_input", PASSWORD)
        start = time.perf_counter()
        await page.click("#login_submit")
        await page.wait_for_url(f"{url}/user/{name}/voila/**", timeout=LOAD)
        base = f"{url}/user/{name}/voila/render"
        await page.goto(f"{base}/case_tracking.ipynb", timeout=LOAD)
        for selector in DASHBOARD:
            await page.locator(selector).first.wait_for(state="visible", timeout=LOAD)
        sign_in_to_interactive = time.perf_counter() - start
        start = time.perf_counter()
        await page.reload(timeout=LOAD)
        for selector in DASHBOARD:
            await page.locator(selector).first.wait_for(state="visible", timeout=LOAD)
        dashboard = time.perf_counter() - start

        await page.goto(f"{base}/case_tracking.ipynb?child={child}", timeout=LOAD)
        await page.locator(f"#tracking-child[data-child='{child}']").wait_for(timeout=LOAD)
        form = page.locator(".cpt-tracking-form")
        confirmed, save_times = [], []
        next_check = (today() + dt.timedelta(days=28)).isoformat()
        for i in range(saves):
            note = f"Bench check {i + 1} by {name}."
            start = time.perf_counter()
            if i:  # after a save the form shows that record, to amend; start a new one
                await page.get_by_role("button", name="Start a new check").click()
                await page.get_by_role("button", name="Save the check").wait_for(timeout=LOAD)
            await form.locator(".cpt-field-observations textarea").fill(note)
            await (
                form.locator(".cpt-field-decision")
                .get_by_label("No action: the plan is progressing")
                .check()
            )
            await form.locator(".cpt-field-next_check_date input").fill(next_check)
            await page.get_by_role("button", name="Save the check").click()
            await page.locator("#tracking-records", has_text=note).wait_for(timeout=LOAD)
            save_times.append(time.perf_counter() - start)
            confirmed.append(note)
        return {
            "name": name,
            "child": child,
            "tti": sign_in_to_interactive,
            "dashboard": dashboard,
            "saves": save_times,
            "confirmed": confirmed,
        }
    finally:
        await context.close()


async def run_chairs(url: str, chairs: list[tuple[str, str]], saves: int) -> list[dict]:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            results = await asyncio.gather(
                *(one_chair(browser, url, name, child, saves) for name, child in chairs),
                return_exceptions=True,
            )
        finally:
            await browser.close()
    for result in results:
        if isinstance(result, BaseException):
            print(f"  a chair's run failed: {result!r}")
    return [r for r in results if isinstance(r, dict)]


def lost_writes(db: str, results: list[dict]) -> int:
    """Confirmed saves missing from the database, or without an audit row under the login."""
    lost = 0
    with Store.open(db) as store:
        for r in results:
            rows = {
                row["observations"]: row for row in store.rows("case_tracking", child_id=r["child"])
            }
            for note in r["confirmed"]:
                row = rows.get(note)
                audited = row is not None and any(
                    a["user"] == r["name"] for a in store.audit("case_tracking", row["id"])
                )
                lost += not audited
    return lost


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(label: str, results: list[dict]) -> None:
    tti = [r["tti"] for r in results]
    page = [r["dashboard"] for r in results]
    saves = [s for r in results for s in r["saves"]]
    print(
        f"{label:9} {len(results):2} signed in; sign-in to dashboard interactive median "
        f"{statistics.median(tti):5.1f} s, p95 {p95(tti):5.1f} s; dashboard reopened median "
        f"{statistics.median(page):4.1f} s, p95 {p95(page):4.1f} s; {len(saves)} saves, each "
        f"median {statistics.median(saves):4.2f} s, p95 {p95(saves):4.2f} s"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--users", type=int, default=10)
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--children", type=int, default=800)
    ap.add_argument("--timeout", type=float, default=900, help="seconds for the whole run")
    args = ap.parse_args()
    signal.alarm(int(args.timeout))  # bounded: SIGALRM ends the run (the finally cleans up)
    db, child_of = make_database(args.children)
    chairs = sorted(child_of.items())[: args.users]
    if len(chairs) < args.users:
        raise SystemExit(f"only {len(chairs)} chairs with a caseload: raise --children")
    folder = Path(tempfile.mkdtemp(prefix="cptrack-bench-hub-"))
    proc = None
    try:
        proc, url = start_hub(db, folder / "hub", folder / "hub.log")
        hub_session(url, "admin", sign_up=True)
        for name, _ in chairs:
            hub_session(url, name, sign_up=True)
        admin = hub_session(url, "admin")
        for name, _ in chairs:
            admin.get(f"{url}/hub/authorize/{name}").raise_for_status()

        print(
            f"Team server on {url}: {args.children} children, PostgreSQL, "
            f"{os.cpu_count()} cores; each chair saves {args.saves} checks"
        )
        alone = asyncio.run(run_chairs(url, chairs[:1], args.saves))
        stop_server(admin, url, chairs[0][0])
        together = asyncio.run(run_chairs(url, chairs, args.saves))
        report("alone", alone)
        report("at once", together)
        confirmed = sum(len(r["confirmed"]) for r in alone + together)
        failed = (1 + len(chairs)) * args.saves - confirmed
        print(
            f"confirmed {confirmed} saves, {failed} not confirmed (a failed run); "
            f"lost {lost_writes(db, alone + together)}"
        )
        return 0 if failed == 0 else 1
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
        drop_database(db)


if __name__ == "__main__":
    sys.exit(main())
