"""Regenerate the golden snapshots: ``python -m tests.snapshots``."""

from tests.snapshots import write_all

for written in write_all():
    print(f"wrote {written}")
