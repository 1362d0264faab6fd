"""The team server on JupyterHub: its configuration, read from the environment, and the
single-user server's rule that only the apps are served.

``deploy/jupyterhub_config.py`` calls ``configure(c)``; ``cptrack hub`` starts JupyterHub
with that file. Every setting comes from an environment variable (``HUB_SETTINGS``), so a
service manager (``deploy/cptrack-hub.service``) configures the hub without editing Python.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from jupyter_server.auth import Authorizer

from cptrack.storage.connection import ENV_DB, hide_password
from cptrack.storage.identity import ENV_TEAM_SERVER

# name: (default, meaning). Read by ``configure`` and listed in docs/deploy.md.
HUB_SETTINGS = {
    ENV_DB: (None, "cptrack's database: a PostgreSQL URL (SQLite is refused for a hub)"),
    "CPTRACK_HUB_IP": ("127.0.0.1", "the address people's browsers reach (through TLS)"),
    "CPTRACK_HUB_PORT": ("8000", "its port"),
    "CPTRACK_HUB_API_PORT": ("8081", "the hub's own port on 127.0.0.1 (the proxy and servers)"),
    "CPTRACK_HUB_PROXY_PORT": ("8001", "the proxy's API port on 127.0.0.1"),
    "CPTRACK_HUB_STATE": ("data/hub", "a private folder for the hub's own state and secrets"),
    "CPTRACK_HUB_STATE_DB": (None, "the hub's own database (default: SQLite in the folder)"),
    "CPTRACK_HUB_ADMINS": ("", "hub logins that are hub admins, comma-separated"),
    "CPTRACK_HUB_AUTH": ("native", "'native' (local accounts) or 'entra' (Microsoft Entra ID)"),
    "CPTRACK_NOTEBOOKS": (None, "the notebooks folder (default: beside the package)"),
}

# Variables the single-user servers keep from the hub's environment besides JupyterHub's
# own list: the date and seeds a test fixes.
KEEP_ENV = ("CPTRACK_TODAY", "CPTRACK_SEEDS", "CPTRACK_LOCAL_SETTINGS")

ENTRA_SETTINGS = (
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "CPTRACK_HUB_OAUTH_CALLBACK",
)


def setting(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or HUB_SETTINGS[name][0]


def team_database(url: str | None = None) -> str:
    """cptrack's database for a hub (``url``, else the setting): a PostgreSQL URL, or a clear
    refusal."""
    url = url or setting(ENV_DB)
    if not url:
        raise SystemExit(f"cptrack hub: no database: set {ENV_DB} to a PostgreSQL URL")
    if not url.startswith(("postgresql:", "postgresql+")):
        raise SystemExit(
            f"cptrack hub: {ENV_DB} must be a PostgreSQL URL (postgresql://...), not "
            f"{hide_password(url)}: an SQLite file is for one person on one machine, and "
            "does not take many people's writes at once"
        )
    return url


def private_secret(path: Path, nbytes: int = 32) -> str:
    """The secret in ``path``, made (mode 600) on the first start."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(nbytes))
    return path.read_text().strip()


def singleuser_args() -> list[str]:
    """The single-user server's options: JupyterHub's server with Voila as its only app
    (no JupyterLab, no terminals) and ``AppsOnlyAuthorizer`` under every request."""
    off = [
        "jupyterlab",
        "jupyter_lsp",
        "jupyter_server_terminals",
        "notebook",
        "notebook_shim",
        "nbclassic",
    ]
    extensions = ", ".join([f'"{name}": False' for name in off] + ['"voila": True'])
    # A container often runs everything as root; jupyter_server refuses root unless told.
    root = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
    return [
        *root,
        "--ServerApp.jpserver_extensions={" + extensions + "}",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.authorizer_class=cptrack.cli.hub_config.AppsOnlyAuthorizer",
        "--ServerApp.default_url=/voila/render/index.ipynb",
        "--VoilaConfiguration.show_tracebacks=False",
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
    ]


def configure(c) -> None:  # noqa: ANN001 (a traitlets Config)
    """Set JupyterHub's configuration ``c`` from the environment (``HUB_SETTINGS``)."""
    url = team_database()
    state = Path(setting("CPTRACK_HUB_STATE")).resolve()
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(state, 0o700)
    notebooks = setting("CPTRACK_NOTEBOOKS")
    if not notebooks:
        from cptrack.cli.serve import notebooks_dir

        notebooks = str(notebooks_dir())

    c.JupyterHub.ip = setting("CPTRACK_HUB_IP")
    c.JupyterHub.port = int(setting("CPTRACK_HUB_PORT"))
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = int(setting("CPTRACK_HUB_API_PORT"))
    c.JupyterHub.db_url = setting("CPTRACK_HUB_STATE_DB") or f"sqlite:///{state}/jupyterhub.sqlite"
    c.JupyterHub.cookie_secret = bytes.fromhex(private_secret(state / "cookie_secret"))
    c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
    c.JupyterHub.log_datefmt = "%Y-%m-%d %H:%M:%S"

    # The proxy: configurable-http-proxy's Python implementation (PyPI), on 127.0.0.1,
    # started through ``run_proxy`` (which mends how it passes on a browser's binary message)
    c.ConfigurableHTTPProxy.command = [
        sys.executable,
        "-c",
        "from cptrack.cli.hub_config import run_proxy; run_proxy()",
    ]
    c.ConfigurableHTTPProxy.auth_token = private_secret(state / "proxy_token")
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(setting('CPTRACK_HUB_PROXY_PORT'))}"
    c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

    admins = {a.strip().lower() for a in setting("CPTRACK_HUB_ADMINS").split(",") if a.strip()}
    c.Authenticator.admin_users = admins
    if setting("CPTRACK_HUB_AUTH") == "entra":
        configure_entra(c)
    else:
        # Local accounts: a person signs up, an admin authorises them at /hub/authorize.
        c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
        c.NativeAuthenticator.open_signup = False
        c.NativeAuthenticator.check_common_password = True
        c.NativeAuthenticator.minimum_password_length = 10
        c.NativeAuthenticator.allowed_failed_logins = 5
        c.NativeAuthenticator.seconds_before_next_try = 300
        # Every account an admin authorised may sign in; the staff record's login and role
        # decide what they may change (docs/roles.md).
        c.Authenticator.allow_all = True

    # Each person's server runs under the hub's own OS user (SimpleLocalProcessSpawner
    # needs no system accounts). A production install gives each person a system account
    # (LocalProcessSpawner) or a container (DockerSpawner): see docs/deploy.md.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")
    c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
    c.Spawner.args = singleuser_args()
    c.Spawner.notebook_dir = notebooks
    c.Spawner.default_url = "/voila/render/index.ipynb"
    c.Spawner.environment = {ENV_DB: url, ENV_TEAM_SERVER: "1"}
    c.Spawner.env_keep = ["PATH", "PYTHONPATH", "VIRTUAL_ENV", "LANG", "LC_ALL", *KEEP_ENV]
    c.Spawner.start_timeout = 60
    c.Spawner.http_timeout = 60


def run_proxy() -> None:
    """configurable-http-proxy (the PyPI package), with its command-line options, after
    mending one fault: it passes every message from the browser to the server as a text
    frame, so a binary one (a file chosen on the import page: the upload widget sends its
    bytes as a binary websocket message) reached the kernel as invalid text, the server closed
    the page's connection and the file never arrived. Messages from the server are already
    passed on as they came."""
    from configurable_http_proxy import cli, handlers

    def on_message(self, message: str | bytes) -> None:
        if self.ws_client:
            prefix = self.target["prefix"] if self.target else ""
            if prefix:
                self.proxy.update_last_activity(prefix)
            self.ws_client.write_message(message, binary=isinstance(message, bytes))

    handlers.ProxyHandler.on_message = on_message
    cli.main()


def configure_entra(c) -> None:  # noqa: ANN001
    """Sign-in through Microsoft Entra ID (``oauthenticator``'s AzureAdOAuthenticator).

    The app registration's tenant, client id and secret come from the environment; the
    callback URL is the public https address of the hub plus ``/hub/oauth_callback``. Not
    exercised by the test suite (it needs a tenant): see docs/deploy.md."""
    missing = [name for name in ENTRA_SETTINGS if not os.environ.get(name, "").strip()]
    if missing:
        raise SystemExit(f"cptrack hub: CPTRACK_HUB_AUTH=entra needs {', '.join(missing)}")
    c.JupyterHub.authenticator_class = "oauthenticator.azuread.AzureAdOAuthenticator"
    c.AzureAdOAuthenticator.tenant_id = os.environ["AZURE_TENANT_ID"]
    c.AzureAdOAuthenticator.client_id = os.environ["AZURE_CLIENT_ID"]
    c.AzureAdOAuthenticator.client_secret = os.environ["AZURE_CLIENT_SECRET"]
    c.AzureAdOAuthenticator.oauth_callback_url = os.environ["CPTRACK_HUB_OAUTH_CALLBACK"]
    # The hub login is the part of the user principal name before the @, lower case:
    # set it as the staff record's login (cptrack staff --set NAME --login ...).
    c.AzureAdOAuthenticator.username_claim = "upn"
    c.Authenticator.username_pattern = r"^[a-z0-9._-]+(@[a-z0-9.-]+)?$"
    # Only people in the allowed Entra ID groups (object ids, comma-separated) may sign in.
    groups = {g.strip() for g in os.environ.get("CPTRACK_HUB_ENTRA_GROUPS", "").split(",")}
    groups.discard("")
    if groups:
        c.AzureAdOAuthenticator.manage_groups = True
        c.AzureAdOAuthenticator.auth_state_groups_key = "user.groups"
        c.AzureAdOAuthenticator.allowed_groups = groups
    else:
        c.Authenticator.allow_all = True


class AppsOnlyAuthorizer(Authorizer):
    """The single-user server's rule: a signed-in person may read (the apps, through Voila)
    and talk to the kernels of the pages Voila opened for them; nothing else. Saving,
    renaming or deleting a file, a terminal, starting a kernel or a session through the
    REST API, changing the server's settings: refused (403)."""

    def is_authorized(self, handler, user, action: str, resource: str) -> bool:  # noqa: ANN001
        if action == "read":
            return resource != "terminals"
        return resource == "kernels" and action == "execute"
