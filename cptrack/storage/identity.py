"""Who is writing: the person signed in to the server, else (on one person's machine) the
configured or operating-system user. ``cptrack.storage.audit`` records them on every audit row
and ``cptrack.storage.roles`` checks their role.
"""

from __future__ import annotations

import getpass
import os

from cptrack.storage.connection import StoreError

ENV_USER = "CPTRACK_USER"
ENV_HUB_USER = "JUPYTERHUB_USER"
ENV_USER_HEADER = "CPTRACK_USER_HEADER"
ENV_TEAM_SERVER = "CPTRACK_TEAM_SERVER"


class IdentityError(StoreError):
    """A write refused for who is making it: nobody signed in on a team server, or a
    role that may not make it (the message says which role it needs)."""


def team_server() -> bool:
    """A shared server (``CPTRACK_TEAM_SERVER=1``): every write needs a signed-in person."""
    return os.environ.get(ENV_TEAM_SERVER, "").strip().lower() in ("1", "true", "yes")


def signed_in_user() -> str | None:
    """The person signed in to the server this runs in, if any.

    JupyterHub gives each user's server (and its kernels) ``JUPYTERHUB_USER``. Behind a
    proxy that signs people in, ``cptrack serve --user-header NAME`` has Voila pass the
    proxy's header to each page's kernel as ``HTTP_NAME`` (Voila's ``http_header_envs``)
    and names it in ``CPTRACK_USER_HEADER``."""
    user = os.environ.get(ENV_HUB_USER, "").strip()
    if user:
        return user
    header = os.environ.get(ENV_USER_HEADER, "").strip()
    if header:
        user = os.environ.get("HTTP_" + header.upper().replace("-", "_"), "").strip()
        if user:
            return user
    return None


def current_user() -> str:
    """Who is writing: the signed-in person; else, on one person's machine (not a team
    server), ``CPTRACK_USER`` or the operating-system user. On a team server nobody signed
    in may not write (``IdentityError``)."""
    user = signed_in_user()
    if user:
        return user
    if team_server():
        raise IdentityError(
            "nobody is signed in: on a team server every change is recorded under the person "
            "who makes it, so nothing was saved. Sign in and try again."
        )
    user = os.environ.get(ENV_USER, "").strip()
    if user:
        return user
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"
