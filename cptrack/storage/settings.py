"""Each setting's value and how to keep one in the database (the settings themselves are
declared once as a table in ``cptrack.storage.settings_table``).

Precedence, lowest first: the default below, then the value stored in the database's
``settings`` table (``cptrack settings --set NAME=VALUE``), then the environment variable.
Command-line flags, where a command has one, win over all three.

A setting marked ``secret`` (the pseudonym key) is never kept in the database: it comes from
its environment variable (or a file a setting names), and the audit log records that a secret
setting changed, never its value (``cptrack.storage.audit`` redacts it).
"""

from __future__ import annotations

import os
from typing import Any

from cptrack.domain.models import Setting as SettingRecord
from cptrack.storage.settings_table import SETTINGS, declared
from cptrack.storage.store import Store


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
