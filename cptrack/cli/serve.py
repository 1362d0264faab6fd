"""``cptrack serve``: the apps, served by Voila on this machine only (by default)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

from cptrack import settings
from cptrack.cli import add_db_argument
from cptrack.store import ENV_DB, Store, database_url

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


def voila_command(notebooks: Path, ip: str, port: int, token: str | None,
                  preheat: bool = True) -> list[str]:  # fmt: skip
    cmd = [
        sys.executable, "-m", "voila", str(notebooks),
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
    ]  # fmt: skip
    if preheat:
        # A kernel kept warm for each app page: it runs the page's imports before anyone
        # asks, then waits for the request (cptrack.apps.widgets.wait_for_request). The
        # report notebooks are run by nbconvert, not opened as pages.
        cmd += ["--VoilaConfiguration.preheat_kernel=True",
                "--VoilaConfiguration.default_pool_size=1",
                "--VoilaKernelManager.preheat_denylist=['reports/']"]  # fmt: skip
    if token:
        cmd.append(f"--Voila.token={token}")
    return cmd


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the apps in a browser (Voila), on 127.0.0.1 unless told otherwise",
        description="Start Voila on the notebooks folder. The apps' kernels read the "
        f"database from {ENV_DB}, which this command sets. Only the notebooks are served: "
        "never the database or data/.",
    )
    add_db_argument(p)
    p.add_argument("--port", type=int, default=None,
                   help="port (default 8866, or $CPTRACK_PORT)")  # fmt: skip
    p.add_argument("--ip", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1: this machine only). Binding "
                   "another address exposes children's data to the network: put a proxy "
                   "with authentication in front and use --token.")  # fmt: skip
    p.add_argument("--token", default=os.environ.get("CPTRACK_TOKEN"),
                   help="require this token (?token=... or an Authorization header)")  # fmt: skip
    p.add_argument("--notebooks", type=Path, default=None, help="the notebooks folder")
    p.add_argument("--no-preheat", dest="preheat", action="store_false",
                   help="start each page's kernel when the page is opened, instead of keeping "
                   "one warm for each page (a warm page is ready about a second sooner; each "
                   "warm kernel holds about 140 MB)")  # fmt: skip
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    url = database_url(args.db)
    with Store.open(url) as store:  # refuses a database without cptrack's schema
        store.close()
    notebooks = args.notebooks.resolve() if args.notebooks else notebooks_dir()
    port = args.port or int(settings.get("port"))
    env = dict(os.environ)
    env[ENV_DB] = url
    # A warm kernel asks the server for its page's request over a websocket at this address
    # (Voila's default, 127.0.0.1, is not listened on when one other address is bound).
    env["VOILA_APP_IP"] = "127.0.0.1" if args.ip in ("0.0.0.0", "::", "") else args.ip
    cmd = voila_command(notebooks, args.ip, port, args.token, preheat=args.preheat)
    print(f"cptrack: serving {notebooks} at http://{args.ip}:{port}/ (database {url})")
    print("cptrack: press Ctrl+C to stop", flush=True)
    proc = subprocess.Popen(cmd, env=env)
    # A SIGTERM (a service manager, a test fixture) stops Voila and its kernels too, as
    # Ctrl+C does; Python's default would leave them running without a parent.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return 130


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
