"""`cptrack serve` locked: a token on every request, loopback Host names only, owner-only
files, and never a database password shown."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from conftest import SERVE_TOKEN, free_port, serving
from cptrack.cli import main
from cptrack.cli.serve import voila_command, voila_config
from cptrack.storage import files
from cptrack.storage.connection import StoreError, hide_password
from cptrack.storage.store import Store

DATA = ("/voila/render/index.ipynb", "/voila/api/contents/reports", "/voila/tree")


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """The status and body of a GET, without following a redirect (to the login page)."""
    status, body, _ = fetch_with_headers(url, headers)
    return status, body


def fetch_with_headers(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
    """As ``fetch``, with the response's headers."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace"), exc.headers


def mode(path: str | Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_request_without_the_token_or_with_a_foreign_host_gets_no_data(demo_db):
    """Without the token a page or the contents API redirects to the login page or is
    forbidden; with a foreign Host header (DNS rebinding) even the token is refused; with
    the token, from this machine, the home page is served."""
    with serving(demo_db) as url:
        port = url.rsplit(":", 1)[1]
        token = {"Authorization": f"token {SERVE_TOKEN}"}
        for path in DATA:
            status, body = fetch(url + path)
            assert (path, True) == (path, status in (302, 401, 403))
            assert "Ruth" not in body and "C000001" not in body
            foreign = {**token, "Host": f"attacker.example:{port}"}
            assert (path, 403) == (path, fetch(url + path, foreign)[0])
            assert (path, 403) == (
                path,
                fetch(f"{url}{path}?token={SERVE_TOKEN}", {"Host": f"attacker.example:{port}"})[0],
            )
        status, body = fetch(url + "/voila/render/index.ipynb", token)
        assert 200 == status
        assert "chair-caseloads" in body
        # The address printed: the token once, then the browser's cookie is enough.
        status, _, headers = fetch_with_headers(f"{url}/?token={SERVE_TOKEN}")
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        assert 200 == status
        assert 200 == fetch(url + "/voila/render/index.ipynb", {"Cookie": cookie})[0]
        assert 200 == fetch(f"http://localhost:{port}/voila/tree?token={SERVE_TOKEN}")[0]


def test_a_named_host_is_served_only_when_allowed(demo_db):
    """--allow-host adds a name the server may be reached by; other names stay refused."""
    with serving(demo_db, args=("--allow-host", "cptrack.example.gov.uk")) as url:
        port = url.rsplit(":", 1)[1]
        token = {"Authorization": f"token {SERVE_TOKEN}"}
        allowed = {**token, "Host": f"cptrack.example.gov.uk:{port}"}
        assert 200 == fetch(url + "/voila/tree", allowed)[0]
        other = {**token, "Host": f"cptrack.example.org:{port}"}
        assert 403 == fetch(url + "/voila/tree", other)[0]


def test_the_token_is_never_on_a_command_line(tmp_path):
    """Voila's command line (readable by any user with `ps`) names a private config folder;
    the token and the Host check are in its file, mode 600."""
    from cptrack.cli.serve import write_private_config

    folder = write_private_config(voila_config("s3cret-token", ["cptrack.example.gov.uk"], None))
    cmd = voila_command(Path("nb"), "127.0.0.1", 8866, folder)
    assert not any("s3cret-token" in arg for arg in cmd)
    assert (0o700, 0o600) == (mode(folder), mode(folder / "voila.json"))
    config = (folder / "voila.json").read_text()
    assert "s3cret-token" in config
    assert '"allow_remote_access": false' in config


def test_serve_makes_a_token_and_shows_it_once_as_the_address_to_open(demo_db):
    """Without --token or CPTRACK_TOKEN, serve makes a new token and prints the address with
    it; the token is not passed to Voila's command line."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "CPTRACK_TOKEN"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cptrack.cli",
            "serve",
            "--db",
            demo_db,
            "--port",
            str(port),
            "--no-preheat",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        address = lines[1].split("open ", 1)[1].strip()
        token = address.split("?token=", 1)[1]
        assert f"http://127.0.0.1:{port}/?token={token}" == address
        assert len(token) >= 40
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            voila = subprocess.run(
                ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
            ).stdout.split()
            if voila:
                break
            time.sleep(0.2)
        cmdline = Path(f"/proc/{voila[0]}/cmdline").read_bytes().decode()
        assert "voila" in cmdline
        assert token not in cmdline
        assert token not in Path(f"/proc/{voila[0]}/environ").read_bytes().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.parametrize("delay", [0.0, 0.3, 1.0, 2.5])
def test_a_sigterm_at_any_moment_of_the_start_leaves_nothing_running(demo_db, delay):
    """A service manager may stop serve while Voila is still starting: serve ends, and no
    Voila is left behind (it would hold the port and keep serving the data)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cptrack.cli",
            "serve",
            "--db",
            demo_db,
            "--port",
            str(port),
            "--no-preheat",
            "--token",
            "t" * 40,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert "cptrack: serving" in proc.stdout.readline()
    time.sleep(delay)
    proc.terminate()
    # Everything serve started writes to this pipe: it closes when the last of them ends.
    out = proc.communicate(timeout=60)[0]
    assert proc.returncode is not None
    left = subprocess.run(["pgrep", "-f", f"Voila.port={port}"], capture_output=True, text=True)
    assert "" == left.stdout, out


def test_files_cptrack_creates_are_owner_only(tmp_path):
    """A new SQLite database, its -wal and -shm, and the files a command writes (a
    calendar) are mode 600, whatever the umask was."""
    old = os.umask(0o022)
    try:
        db = tmp_path / "new.sqlite"
        store = Store.open(str(db), migrate=True)
        with store, store.engine.connect() as conn:  # WAL files exist while one is open
            conn.execute(sa.text("SELECT 1"))
            created = [db, *[p for p in tmp_path.iterdir() if p.name != db.name]]
            assert {0o600} == {mode(p) for p in created}
            assert {"new.sqlite", "new.sqlite-wal", "new.sqlite-shm"} == {p.name for p in created}
        os.umask(0o022)
        out = tmp_path / "due.ics"
        demo = tmp_path / "demo.sqlite"
        assert 0 == main(["demo", "--db", str(demo), "--children", "20", "--seed", "1"])
        chair = Store.open(str(demo)).rows("staff")[0]["name"]
        assert 0 == main(["calendar", "--db", str(demo), "--chair", chair, "--out", str(out)])
        assert (0o600, 0o600) == (mode(demo), mode(out))
    finally:
        os.umask(old)


def test_create_private_keeps_an_existing_file(tmp_path):
    """An existing database is opened as it is: its contents and mode are the owner's."""
    path = tmp_path / "kept.txt"
    path.write_text("kept")
    files.create_private(path)
    assert "kept" == path.read_text()


@pytest.mark.parametrize(
    "shown",
    [
        "postgresql+psycopg://cpt:s3cret-pw@db.example:5432/cptrack",
        "cannot open 'postgresql://cpt:s3cret-pw@db.example/cptrack': timeout",
    ],
)
def test_a_database_url_is_shown_without_its_password(shown):
    """The one masking function hides the password of any URL in a message."""
    masked = hide_password(shown)
    assert "s3cret-pw" not in masked
    assert "cpt:***@db.example" in masked
    assert masked == str(StoreError(shown))


@pytest.mark.postgres
def test_serve_prints_the_database_without_its_password(pg_url):
    """`cptrack serve` on a PostgreSQL URL with a password prints it with *** instead."""
    with Store.open(pg_url, migrate=True):
        pass
    url = sa.engine.make_url(pg_url).set(password="s3cret-pw").render_as_string(False)
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cptrack.cli",
            "serve",
            "--db",
            url,
            "--port",
            str(port),
            "--no-preheat",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(3)]  # a warning may come first
        said = next(line for line in lines if "cptrack: serving" in line)
        assert "***@127.0.0.1" in said
        assert not any("s3cret-pw" in line for line in lines)
    finally:
        proc.terminate()  # Voila may be starting: allow for a busy machine
        out = proc.communicate(timeout=90)[0]
    assert "s3cret-pw" not in out
