"""Root of the test session: notebooks under nbval need a database, made once here.

``tests/conftest.py`` holds the fixtures for the Python tests.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path


def pytest_configure(config) -> None:
    if os.environ.get("CPTRACK_DB"):
        return
    folder = Path(tempfile.mkdtemp(prefix="cptrack-nbval-"))
    path = folder / "demo.sqlite"
    from cptrack import demo
    from cptrack.store import Store

    with Store.open(str(path), migrate=True) as store:
        demo.populate(store, children=120, seed=7, as_of=dt.date.today())
    os.environ["CPTRACK_DB"] = str(path)
    os.environ.setdefault("CPTRACK_USER", "nbval")
