"""Root of the test session: notebooks under nbval need a database, made once here.

``tests/conftest.py`` holds the fixtures for the Python tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# The test session's "today": every test, page and command under test reads the clock
# (cptrack.domain.models.today), so the suite gives the same answers on any day it runs. A test
# that wants another day passes its own as-of date. Override to run the suite as of another
# day: CPTRACK_TODAY=2027-12-24 pytest.
TEST_TODAY = "2026-11-23"
os.environ.setdefault("CPTRACK_TODAY", TEST_TODAY)
# Folders the session makes for itself, removed when it ends.
_MADE: list[Path] = []


def _folder(prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    _MADE.append(folder)
    return folder


# Pseudonymised reports read a key file (made on first use): the session's own, never the
# developer's (~/.config/cptrack/pseudonym.key).
os.environ.setdefault(
    "CPTRACK_PSEUDONYM_KEY_FILE",
    str(_folder("cptrack-key-") / "pseudonym.key"),
)


def pytest_configure(config) -> None:
    if os.environ.get("CPTRACK_DB"):
        return
    folder = _folder("cptrack-nbval-")
    path = folder / "demo.sqlite"
    from cptrack.demo import synthetic as demo
    from cptrack.domain.models import today
    from cptrack.storage.store import Store

    with Store.open(str(path), migrate=True) as store:
        demo.populate(store, children=120, seed=7, as_of=today())
    os.environ["CPTRACK_DB"] = str(path)
    os.environ.setdefault("CPTRACK_USER", "nbval")


def pytest_unconfigure(config) -> None:
    for folder in _MADE:
        shutil.rmtree(folder, ignore_errors=True)
