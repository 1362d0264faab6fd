"""``cptrack serve``: the apps, served by Voila on this machine only (by default)."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from cptrack.cli import add_db_argument
from cptrack.cli.child import run_child
from cptrack.storage import files, settings
from cptrack.storage.connection import ENV_DB, database_url, hide_password
from cptrack.storage.identity import ENV_USER_HEADER
from cptrack.storage.store import Store

ENV_TOKEN = "CPTRACK_TOKEN"
# The names a browser on this machine uses; any other Host header is refused (a web page
# cannot reach the server through DNS rebinding).
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def notebooks_dir() -> Path:
    """The app notebooks: beside the package in a checkout, else ./notebooks."""
    for candidate in (PACKAGE_DIR.parent / "notebooks", Path.cwd() / "notebooks"):
        if (candidate / "index.ipynb").exists():
            return candidate
    raise SystemExit(
        "cptrack serve: cannot find the notebooks folder (looked beside the package and in "
        "./notebooks); pass --notebooks DIR"
    )


def voila_command(
    notebooks: Path, ip: str, port: int, config_dir: Path, preheat: bool = True
) -> list[str]:
    """Voila's command line. Nothing secret is on it (any user can read it with ``ps``):
    the token is in the config file in ``config_dir`` (``voila_config``)."""
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(notebooks),
        f"--Voila.config_file_paths={config_dir}",
        f"--Voila.ip={ip}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--no-browser",
        "--Voila.root_dir=" + str(notebooks),
        # Each page starts a kernel; leaving the page does not stop it, idle culling does.
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
        "--VoilaConfiguration.show_tracebacks=False",
        "--theme=light",
    ]
    if preheat:
        # A kernel kept warm for each app page: it runs the page's imports before anyone
        # asks, then waits for the request (cptrack.apps.widgets.wait_for_request). The
        # report notebooks are run by nbconvert, not opened as pages.
        cmd += [
            "--VoilaConfiguration.preheat_kernel=True",
            "--VoilaConfiguration.default_pool_size=1",
            "--VoilaKernelManager.preheat_denylist=['reports/']",
        ]
    return cmd


def voila_config(token: str, allowed_hosts: list[str], user_header: str | None) -> dict:
    """Voila's settings that must not be on its command line, or cannot be: the token, and
    the Host-header check (Voila alone turns jupyter_server's check off; its tornado
    settings turn it back on: IP addresses must be loopback, names must be listed)."""
    voila: dict = {
        "token": token,
        "tornado_settings": {
            "allow_remote_access": False,
            "local_hostnames": sorted({*LOOPBACK_NAMES, *allowed_hosts}),
        },
    }
    config: dict = {"Voila": voila}
    if user_header:
        config["VoilaConfiguration"] = {"http_header_envs": [user_header]}
    return config


def write_private_config(config: dict) -> Path:
    """``config`` as voila.json in a new directory only this user can read (mode 700/600)."""
    folder = Path(tempfile.mkdtemp(prefix="cptrack-serve-"))  # mode 700
    path = folder / "voila.json"
    files.create_private(path)
    path.write_text(json.dumps(config))
    return folder


def read_token(args: argparse.Namespace) -> tuple[str, bool]:
    """The token: --token, else --token-file, else $CPTRACK_TOKEN, else a new one (made
    for this run and shown once). Returns it and whether it was made here."""
    if args.token:
        return args.token, False
    if args.token_file:
        token = Path(args.token_file).read_text().strip()
        if not token:
            raise SystemExit(f"cptrack serve: the token file {args.token_file} is empty")
        return token, False
    if os.environ.get(ENV_TOKEN, "").strip():
        return os.environ[ENV_TOKEN].strip(), False
    return secrets.token_urlsafe(32), True


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the apps in a browser (Voila), on 127.0.0.1 unless told otherwise",
        description="Start Voila on the notebooks folder. The apps' kernels read the "
        f"database from {ENV_DB}, which this command sets. Only the notebooks are served: "
        "never the database or data/.",
    )
    add_db_argument(p)
    p.add_argument("--port", type=int, default=None, help="port (default 8866, or $CPTRACK_PORT)")
    p.add_argument(
        "--ip",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only). Binding "
        "another address exposes children's data to the network: put a proxy "
        "with TLS and sign-in in front, and name it with --allow-host.",
    )
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a host name the server may be reached by, besides localhost, "
        "127.0.0.1 and [::1] (repeatable); a request with any other Host header "
        "is refused, and so is an IP address other than loopback",
    )
    p.add_argument(
        "--token",
        default=None,
        help=f"the token every request must carry (?token=... once, then a "
        "cookie; or an 'Authorization: token ...' header). Default: "
        f"--token-file, else ${ENV_TOKEN}, else a new one made at start and shown "
        "once as the URL to open. Prefer the variable or the file: a command "
        "line can be read by other users",
    )
    p.add_argument(
        "--token-file",
        type=Path,
        default=None,
        help="read the token from this file (keep it mode 600)",
    )
    p.add_argument(
        "--user-header",
        default=None,
        metavar="NAME",
        help="behind a proxy that signs people in: the request header naming the "
        "signed-in person (e.g. X-Forwarded-User), recorded as the user of every "
        "change made on a page",
    )
    p.add_argument("--notebooks", type=Path, default=None, help="the notebooks folder")
    p.add_argument(
        "--no-preheat",
        dest="preheat",
        action="store_false",
        help="start each page's kernel when the page is opened, instead of keeping "
        "one warm for each page (a warm page is ready about a second sooner; each "
        "warm kernel holds about 140 MB)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    files.owner_only()  # Voila, the kernels and the reports they write inherit it
    url = database_url(args.db)
    with Store.open(url) as store:  # refuses a database without cptrack's schema
        store.close()
    notebooks = args.notebooks.resolve() if args.notebooks else notebooks_dir()
    port = args.port or int(settings.get("port"))
    token, made = read_token(args)
    env = {k: v for k, v in os.environ.items() if k != ENV_TOKEN}  # kernels never see it
    env[ENV_DB] = url
    if args.user_header:
        env[ENV_USER_HEADER] = args.user_header
    # A warm kernel asks the server for its page's request over a websocket at this address
    # (Voila's default, 127.0.0.1, is not listened on when one other address is bound).
    env["VOILA_APP_IP"] = "127.0.0.1" if args.ip in ("0.0.0.0", "::", "") else args.ip
    cmd_host = "127.0.0.1" if args.ip in ("0.0.0.0", "::", "") else args.ip
    host = f"[{cmd_host}]" if ":" in cmd_host else cmd_host
    shown = token if made else "<your token>"
    print(f"cptrack: serving {notebooks} (database {hide_password(url)})")
    print(f"cptrack: open http://{host}:{port}/?token={shown}")
    if made:
        print(
            "cptrack: the token is new for this run; anyone with it can read and change "
            "the data, so do not share the address"
        )
    if cmd_host not in LOOPBACK_NAMES and not args.allow_host:
        print(
            "cptrack: only requests addressed to localhost, 127.0.0.1 or [::1] are served; "
            "name the host others use with --allow-host"
        )
    print("cptrack: press Ctrl+C to stop", flush=True)
    config_dir = write_private_config(voila_config(token, args.allow_host, args.user_header))
    try:
        cmd = voila_command(notebooks, args.ip, port, config_dir, preheat=args.preheat)
        return run_child(cmd, env, grace=10)
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)
