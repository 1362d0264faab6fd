"""``cptrack hub``: the team server, JupyterHub on this machine with deploy/jupyterhub_config.py."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cptrack.cli import add_db_argument
from cptrack.cli.child import run_child
from cptrack.storage import files
from cptrack.storage.connection import ENV_DB, database_url, hide_password
from cptrack.storage.store import Store

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def config_file() -> Path:
    """deploy/jupyterhub_config.py: beside the package in a checkout, else ./deploy."""
    for candidate in (PACKAGE_DIR.parent / "deploy", Path.cwd() / "deploy"):
        if (candidate / "jupyterhub_config.py").exists():
            return candidate / "jupyterhub_config.py"
    raise SystemExit(
        "cptrack hub: cannot find deploy/jupyterhub_config.py (looked beside the package "
        "and in ./deploy); pass --config FILE"
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "hub",
        help="the team server: JupyterHub with sign-in, each person's apps through Voila",
        description="Start JupyterHub (with configurable-http-proxy and NativeAuthenticator "
        "by default) on 127.0.0.1. Each person who signs in gets their own server that "
        "serves only the apps, as a team server (CPTRACK_TEAM_SERVER=1): every change is "
        "audited under their login, and their staff record's role decides what they may "
        "change. The database must be PostgreSQL. Other settings come from the "
        "environment (docs/deploy.md).",
    )
    add_db_argument(p)
    p.add_argument(
        "--port",
        type=int,
        default=None,
        help="the port people's browsers reach (default 8000, or "
        "$CPTRACK_HUB_PORT); put a TLS proxy in front (docs/deploy.md)",
    )
    p.add_argument(
        "--admin",
        action="append",
        default=[],
        metavar="LOGIN",
        help="a hub login that may authorise sign-ups at /hub/authorize "
        "(repeatable; adds to $CPTRACK_HUB_ADMINS)",
    )
    p.add_argument(
        "--state",
        type=Path,
        default=None,
        help="a private folder for the hub's own state and secrets "
        "(default data/hub, or $CPTRACK_HUB_STATE)",
    )
    p.add_argument(
        "--config",
        type=Path,
        default=None,
        help="JupyterHub's configuration file (default deploy/jupyterhub_config.py)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from cptrack.cli.hub_config import team_database  # jupyter_server: only when a hub starts

    files.owner_only()
    env = dict(os.environ)
    if args.db or not env.get(ENV_DB):
        env[ENV_DB] = database_url(args.db)
    url = team_database(env[ENV_DB])  # this process's environment is left as it was
    with Store.open(url) as store:  # refuses a database without cptrack's schema
        store.close()
    if args.port:
        env["CPTRACK_HUB_PORT"] = str(args.port)
    if args.state:
        env["CPTRACK_HUB_STATE"] = str(args.state)
    if args.admin:
        admins = [a for a in env.get("CPTRACK_HUB_ADMINS", "").split(",") if a.strip()]
        env["CPTRACK_HUB_ADMINS"] = ",".join(admins + args.admin)
    config = (args.config or config_file()).resolve()
    state = Path(env.get("CPTRACK_HUB_STATE") or "data/hub")
    port = env.get("CPTRACK_HUB_PORT") or "8000"
    ip = env.get("CPTRACK_HUB_IP") or "127.0.0.1"
    print(f"cptrack: team server on http://{ip}:{port}/ (database {hide_password(url)})")
    print(f"cptrack: the hub's state and secrets are in {state}")
    print("cptrack: people sign up at /hub/signup; an admin authorises them at /hub/authorize")
    print("cptrack: press Ctrl+C to stop", flush=True)
    cmd = [sys.executable, "-m", "jupyterhub", "-f", str(config)]
    # Run from the state folder's parent: JupyterHub writes nothing in the current folder
    # that is not named in the configuration.
    return run_child(cmd, env, grace=30)  # JupyterHub stops the proxy and the servers
