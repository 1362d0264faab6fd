"""Shared fixtures: databases on SQLite and PostgreSQL, and the CI rule that nothing skips.

Under ``CI=true`` a test that needs PostgreSQL or the browser fails instead of skipping
when the service is missing: CI must prove both work.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from cptrack.apps.widgets import WARM_LINE
from cptrack.demo import synthetic as demo
from cptrack.domain.models import today
from cptrack.storage.store import Store

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_ADMIN_URL = os.environ.get(
    "CPTRACK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
ROOT = Path(__file__).resolve().parent.parent


def unavailable(reason: str) -> None:
    """Skip locally; fail under CI, where every test must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run, not skip)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _test_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPTRACK_USER", "test-user")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "cptrack.sqlite")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    with new_pg_database() as url:
        yield url


@contextmanager
def new_pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards (for a fixture of any scope)."""
    name = f"cptrack_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        unavailable(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.orig}")
    url = sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on an SQLite file and on a PostgreSQL database."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An empty, migrated store on each database."""
    with Store.open(db_url, migrate=True) as s:
        yield s


# ---------------------------------------------------------------------------
# Demo databases


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A demo database (120 children, seed 1, as of today), made once per session.

    Tests must not write to it; use ``fresh_demo_db`` for a database to change.
    """
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with Store.open(str(path), migrate=True) as s:
        demo.populate(s, children=120, seed=1, as_of=today())
    return str(path)


@pytest.fixture
def fresh_demo_db(tmp_path: Path, demo_db: str) -> str:
    """A private copy of the session's demo database, free to change."""
    path = tmp_path / "demo.sqlite"
    with sqlite3.connect(demo_db) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return str(path)


# ---------------------------------------------------------------------------
# The apps in a real browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=en-GB",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright launches Debian's Chromium: Playwright cannot download its own."""
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is not installed (make test installs it)")
    # A UK browser: dates in forms read dd/mm/yyyy (needs Debian's chromium-l10n).
    uk = {**os.environ, "LANG": "en_GB.UTF-8", "LANGUAGE": "en_GB"}
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "env": uk,
    }


# The token every `cptrack serve` of the test session requires (``serving`` passes it in
# CPTRACK_TOKEN); the test browser sends it with each request, as a user's browser sends the
# cookie it gets on opening the printed ``?token=`` address.
SERVE_TOKEN = secrets.token_urlsafe(24)
AUTH_HEADER = {"Authorization": f"token {SERVE_TOKEN}"}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Pages as a UK user sees them: dates as dd/mm/yyyy, London time, a laptop screen;
    signed in to the test servers with their token."""
    return {
        **browser_context_args,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
        "viewport": {"width": 1366, "height": 900},
        "extra_http_headers": AUTH_HEADER,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(
    db: str, timeout: float = 60, *, preheat: bool = False, args: tuple[str, ...] = ()
) -> Iterator[str]:
    """``cptrack serve`` on a free port for the duration, requiring ``SERVE_TOKEN`` (which
    the test browser sends); yields the base URL. ``args`` are more options for serve.

    Without ``preheat`` (``--no-preheat``) each page starts its kernel when opened: a server
    a test starts is ready at once, instead of after the half-minute the warm kernels of
    every page take to start on two cores. With it (as ``cptrack serve`` runs by default),
    this waits until every app page has its warm kernel waiting for a request."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in the finally below)
        "w+", prefix="cptrack-serve-", suffix=".log", delete=False
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "cptrack.cli", "serve", "--db", db, "--port", str(port)]
        + ([] if preheat else ["--no-preheat"])
        + list(args),
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "CPTRACK_DB": db, "CPTRACK_TOKEN": SERVE_TOKEN},
    )
    pages = len(list((ROOT / "notebooks").glob("*.ipynb")))
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"cptrack serve exited early:\n{log.read()}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"cptrack serve did not open port {port} in {timeout} s")
            time.sleep(0.2)
        deadline = time.monotonic() + 360  # nine warm kernels on two busy cores
        while preheat and Path(log.name).read_text().count(WARM_LINE) < pages:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"the warm kernels did not start:\n{Path(log.name).read_text()}")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        os.unlink(log.name)


@pytest.fixture
def app_server(fresh_demo_db: str) -> Iterator[str]:
    """The apps served over a private demo database; yields the base URL."""
    with serving(fresh_demo_db) as url:
        yield url


@pytest.fixture
def warm_server(fresh_demo_db: str) -> Iterator[str]:
    """As ``app_server``, served as ``cptrack serve`` does by default: a warm kernel waits
    for each page (its imports done), and reads the request and the data when opened."""
    with serving(fresh_demo_db, preheat=True) as url:
        yield url


SCREENSHOTS = ROOT / "test-output" / "screenshots"


def screenshot(page, name: str, width: int | None = None) -> Path:
    """Save a screenshot of the whole app under test-output/screenshots/ (look at them).

    Voila scrolls inside the page (``#rendered_cells``), which a full-page screenshot does
    not see, so the window is made as tall as the content first and restored after."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    before = page.viewport_size
    width = width or (before or {}).get("width") or 1300
    height = page.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll('*')).map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    if before:
        page.set_viewport_size(before)
    return path
