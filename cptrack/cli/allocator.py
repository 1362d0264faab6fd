"""Keep freed memory for reuse while evaluating big caseloads (glibc's malloc only).

Evaluating a whole authority allocates hundreds of arrays of tens of megabytes. By default
glibc gives each such array its own ``mmap`` and returns it to the kernel when it is freed,
so the next array of the same size is fresh memory again, and the kernel must find and zero
every page of it: on these machines that was a second of system time for each 50,000-child
evaluation, more than a third of its cost. ``keep_freed_memory`` asks malloc instead to
carve big arrays from its heap, to keep what is freed there for the next one, and to share
one heap between the engine's threads (a thread's own heap is returned to the kernel
piecemeal).

The ``cptrack`` command asks for this when it runs a command that evaluates whole caseloads
(``cptrack.cli.WHOLE_CASELOAD``); the library never does, so an app's kernel or a program that
imports cptrack keeps its own allocator. The cost: such a process keeps the memory it freed
(about its peak: three gigabytes for 50,000 children, with the caseload itself) until it ends,
rather than giving it back; the command ends at once. ``CPTRACK_KEEP_MEMORY=0`` turns it
off. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading

# mallopt's parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

MMAP_THRESHOLD = 1 << 30  # arrays under 1 GiB come from the heap
TRIM_THRESHOLD = (1 << 31) - 1  # free memory at the heap's top is kept (up to 2 GiB)

_lock = threading.Lock()
_state: dict[str, bool] = {}


def keep_freed_memory() -> bool:
    """Set malloc up as above, once per process; True when it is (now or before)."""
    with _lock:
        if "done" not in _state:
            _state["done"] = _apply()
        return _state["done"]


def _apply() -> bool:
    if os.environ.get("CPTRACK_KEEP_MEMORY", "1").strip().lower() in ("0", "no", "false"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
        if not hasattr(libc, "malloc_trim"):  # glibc has it; musl and others have no mallopt
            return False
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # Each returns 1 when malloc took the setting (it refuses values out of its range).
    return all(
        mallopt(param, value) == 1
        for param, value in (
            (M_MMAP_THRESHOLD, MMAP_THRESHOLD),
            (M_TRIM_THRESHOLD, TRIM_THRESHOLD),
            (M_ARENA_MAX, 1),
        )
    )
