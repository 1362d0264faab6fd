"""Settings, declared once as a table.

Precedence, lowest first: the default below, then the value stored in the database's
``settings`` table (``cptrack settings --set NAME=VALUE``), then the environment variable.
Command-line flags, where a command has one, win over all three.

A setting marked ``secret`` (the pseudonym key) is never kept in the database: it comes from
its environment variable (or a file a setting names), and the audit log records that a secret
setting changed, never its value (``cptrack.storage.store`` redacts it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from cptrack.domain.models import Setting as SettingRecord
from cptrack.storage.store import ENV_DB, ENV_USER, Store


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
    ),  # fmt: skip
    Setting(
        "authority_name",
        "Local authority",
        "The authority's name, shown in headers.",
        "CPTRACK_AUTHORITY",
    ),  # fmt: skip
    Setting(
        "profile",
        "national",
        "The standards profile the checks apply: a registered "
        "name (national, authority-a, lbh, bathnes, sunderland, dorset) or a file path.",
        "CPTRACK_PROFILE",
    ),  # fmt: skip
    Setting(
        "chair",
        None,
        "The chair whose caseload the case-tracking page opens on (a name or staff id; "
        "default: all chairs).",
        "CPTRACK_CHAIR",
    ),  # fmt: skip
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


def get(name: str, store: Store | None = None) -> Any:
    """A setting's value: the environment, else the database, else the default."""
    setting = declared(name)
    if setting.env and os.environ.get(setting.env):
        value: Any = os.environ[setting.env]
        return type(setting.default)(value) if isinstance(setting.default, int) else value
    if store is not None and setting.stored:
        row = store.get(SettingRecord.table, name)
        if row is not None and row["value"] is not None:
            return row["value"]
    return setting.default


def put(store: Store, name: str, value: Any) -> None:
    """Store a setting in the database (audited like every write)."""
    setting = declared(name)
    if not setting.stored or setting.secret:
        raise ValueError(f"{name} is not kept in the database; set {setting.env} instead")
    with store.transaction(note=f"setting {name}") as tx:
        current = tx.get(SettingRecord.table, name)
        if current is None:
            tx.add(SettingRecord.table, {"id": name, "value": value})
        else:
            tx.update(SettingRecord.table, name, {"value": value}, current["version"])


def all_values(store: Store | None = None) -> dict[str, Any]:
    """Every setting's value, a secret one shown as set or not, never by value."""
    return {
        s.name: ("(set)" if get(s.name, store) else None) if s.secret else get(s.name, store)
        for s in SETTINGS
    }
