"""Running a server (Voila, JupyterHub) as a child that stops when cptrack is stopped."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable, Mapping


class _StopRequest:
    """Notes a SIGTERM or SIGINT; ``run_child`` acts on it between waits."""

    def __init__(self) -> None:
        self.requested = False

    def note(self, signum: int, frame: object) -> None:
        self.requested = True


def run_child(
    cmd: list[str], env: Mapping[str, str], grace: float, before: Callable[[], None] | None = None
) -> int:
    """Run ``cmd`` until it ends or cptrack is sent SIGTERM or SIGINT (Ctrl+C); then send
    it SIGTERM (it stops its own children: kernels, the proxy), kill it after ``grace``
    seconds, and return its exit status (130 when it had to be killed).

    Python's default would leave the child running without a parent. The handlers only
    note the request: an exception raised by a handler could land inside ``Popen``, after
    the child has started but before we hold it, and leave it running alone."""
    stop = _StopRequest()
    previous = {sig: signal.signal(sig, stop.note) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if before is not None:
            before()
        if stop.requested:
            return 130
        proc = subprocess.Popen(cmd, env=dict(env))
        while not stop.requested:
            try:
                return proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                continue
        proc.terminate()
        try:
            return proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return 130
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
