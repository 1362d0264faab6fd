"""Files cptrack creates are its owner's only (mode 600): they hold children's data.

Two parts, used everywhere a file is made: ``owner_only()`` sets the process's umask, so
every file the command (and the server's kernels and report runs, which inherit it) creates
is readable by its owner alone; ``create_private`` makes one file with mode 600 whatever
the umask, for the database a library caller opens.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077
PRIVATE_MODE = 0o600


def owner_only() -> None:
    """From now on, files this process and its children create are owner-only."""
    os.umask(PRIVATE_UMASK)


def create_private(path: str | os.PathLike) -> Path:
    """Create ``path`` empty with mode 600 if it does not exist; an existing file is kept."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return path
    os.close(fd)
    os.chmod(path, PRIVATE_MODE)  # whatever the umask
    return path
