"""Finding a member of staff by what a person typed: a command's or a report's ``--chair``."""

from __future__ import annotations

from cptrack.storage.connection import StoreError
from cptrack.storage.store import Store


def chair_by_name(store: Store, name: str) -> int:
    """The staff id of the chair called ``name`` (or with that id); a clear error if none."""
    chairs = [s for s in store.rows("staff") if s.get("role") == "chair"]
    for s in chairs:
        if name.isdigit() and int(name) == s["id"]:
            return s["id"]
    matches = [s for s in chairs if s["name"].casefold() == name.casefold()]
    if len(matches) == 1:
        return matches[0]["id"]
    known = ", ".join(sorted(s["name"] for s in chairs)) or "none recorded"
    raise StoreError(f"no single chair called {name!r}; chairs: {known}")
