"""The settings cptrack has, declared once as a table: each one's default, meaning,
environment variable, and whether it may be kept in the database or is a secret.

``cptrack.storage.settings`` reads their values (environment, else database, else default);
``cptrack.storage.audit`` redacts a secret one in the audit log (``SECRET_NAMES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cptrack.storage.connection import ENV_DB
from cptrack.storage.identity import ENV_USER


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    env: str | None = None
    stored: bool = True  # may be kept in the database's settings table
    secret: bool = False  # never stored, never audited by value


SETTINGS: tuple[Setting, ...] = (
    Setting("db", None, "Database: an SQLite file path or a SQLAlchemy URL.", ENV_DB, False),
    Setting(
        "user", None, "Who is writing, for the audit log (default: the OS user).", ENV_USER, False
    ),
    Setting(
        "authority_name",
        "Local authority",
        "The authority's name, shown in headers.",
        "CPTRACK_AUTHORITY",
    ),
    Setting(
        "profile",
        "national",
        "The standards profile the checks apply: a registered "
        "name (national, authority-a, lbh, bathnes, sunderland, dorset) or a file path.",
        "CPTRACK_PROFILE",
    ),
    Setting(
        "chair",
        None,
        "The chair whose caseload the case-tracking page opens on (a name or staff id; "
        "default: all chairs).",
        "CPTRACK_CHAIR",
    ),
    Setting("port", 8866, "Port for `cptrack serve`.", "CPTRACK_PORT", False),
    Setting(
        "pseudonym_key",
        None,
        "The key that makes pseudonyms for shared reports (any long random text). Kept out "
        "of the database: this variable, else the key file.",
        "CPTRACK_PSEUDONYM_KEY",
        stored=False,
        secret=True,
    ),
    Setting(
        "pseudonym_key_file",
        "~/.config/cptrack/pseudonym.key",
        "The file holding the pseudonym key when CPTRACK_PSEUDONYM_KEY is not set (mode 600; "
        "made with a new key on first use).",
        "CPTRACK_PSEUDONYM_KEY_FILE",
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}
SECRET_NAMES = frozenset(s.name for s in SETTINGS if s.secret)


def declared(name: str) -> Setting:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no setting {name!r}; settings are: {', '.join(sorted(BY_NAME))}") from None
