"""Benchmark the case-tracking page in a real browser against a bare Voila notebook.

    python benchmarks/bench_app.py [--children 2000] [--repeat 5] [--pause 5] [--no-preheat]

Makes a demo database (``--children``, seed 1, as of today) in a temporary folder, starts
``cptrack serve`` on it over a copy of the app notebooks plus ``benchmarks/bare_widget.ipynb``
(one button: the baseline, a kernel start and one widget), and opens in Debian's Chromium:

* (a) the bare notebook, interactive when its button shows;
* (b) the case-tracking dashboard for the chair with the caseload nearest 80 children;
* (c) the dashboard for every chair: the whole demo team (``--children`` children).

"Interactive" is when the caseload table and the RAG filter buttons are on the screen (the
kernel has run the page and the widgets are drawn). Each is opened once to warm up, then
``--repeat`` times in turns, each in a fresh browser context; the median and the best are
printed, with their ratios to (a).

The server runs as ``cptrack serve`` does by default: a warm kernel waits for each page, its
imports done (``--no-preheat`` measures without). The server starts a new warm kernel a
second after one is used and it takes 4 to 5 s to be ready, so each page is opened
``--pause`` seconds (8) after the one before, as a chair opens pages now and then rather than
several a second.
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from cptrack.caseload import chair_summary
from cptrack.demo import synthetic as demo
from cptrack.domain.models import today
from cptrack.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


TOKEN = secrets.token_hex(24)  # cptrack serve asks for a token on every request


def with_token(url: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}token={TOKEN}"


def serve(db: str, notebooks: Path, port: int, preheat: bool = True) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cptrack.cli",
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--notebooks",
            str(notebooks),
        ]
        + ([] if preheat else ["--no-preheat"]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "CPTRACK_DB": db, "CPTRACK_TOKEN": TOKEN},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        if proc.poll() is not None:
            raise SystemExit("cptrack serve exited early")
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"cptrack serve did not open port {port}")


def time_to_interactive(browser, url: str, ready: list[str]) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(with_token(url), wait_until="commit", timeout=180_000)
        for selector in ready:
            page.locator(selector).first.wait_for(state="visible", timeout=180_000)
        return time.perf_counter() - start
    finally:
        context.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--children", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--pause", type=float, default=8.0, help="seconds between opening one page and the next"
    )
    ap.add_argument(
        "--no-preheat",
        dest="preheat",
        action="store_false",
        help="serve without warm kernels (cptrack serve --no-preheat)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cptrack-bench-app-") as tmp:
        db = str(Path(tmp) / "demo.sqlite")
        t = time.perf_counter()
        with Store.open(db, migrate=True) as store:
            demo.populate(store, children=args.children, seed=1, as_of=today())
            chairs = chair_summary(store)
        print(
            f"demo database: {args.children} children, {len(chairs)} chairs "
            f"({time.perf_counter() - t:.1f} s)"
        )
        chair = chairs.iloc[(chairs["children"] - 80).abs().argsort().iloc[0]]
        notebooks = Path(tmp) / "notebooks"
        shutil.copytree(ROOT / "notebooks", notebooks)
        shutil.copy(ROOT / "benchmarks" / "bare_widget.ipynb", notebooks)
        port = free_port()
        server = serve(db, notebooks, port, args.preheat)
        base = f"http://127.0.0.1:{port}/voila/render"
        dashboard = ["#tracking-caseload", "button:has-text('Red: overdue')"]
        cases = [
            (
                "(a) bare notebook, one widget",
                f"{base}/bare_widget.ipynb",
                ["button:has-text('Ready')"],
            ),
            (
                f"(b) dashboard, one chair ({chair['children']} children, {chair['on_plan']} on "
                "a plan)",
                f"{base}/case_tracking.ipynb?chair={int(chair['chair_id'])}",
                dashboard,
            ),
            (
                f"(c) dashboard, whole team ({args.children} children)",
                f"{base}/case_tracking.ipynb?chair=all",
                dashboard,
            ),
        ]
        results = {}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                time.sleep(args.pause * 2)  # the warm kernels start with the server
                for _name, url, ready in cases:
                    time.sleep(args.pause)
                    time_to_interactive(browser, url, ready)  # warm up
                # In turns (a, b, c, a, b, c...): a machine busy with something else slows
                # every case alike rather than the one that happened to run then.
                for _ in range(args.repeat):
                    for name, url, ready in cases:
                        time.sleep(args.pause)
                        results.setdefault(name, []).append(
                            time_to_interactive(browser, url, ready)
                        )
                browser.close()
            for name, runs in results.items():
                print(f"{name}: " + ", ".join(f"{r:.2f}" for r in runs) + " s")
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    base = results[cases[0][0]]
    base_med, base_min = statistics.median(base), min(base)
    how = "warm kernels" if args.preheat else "--no-preheat"
    print(
        f"\nTime to interactive over {args.repeat} runs each (Chromium, cptrack serve, {how}, "
        f"{args.pause:g} s between pages):"
    )
    print(f"  {'':<60} {'median':>8} {'ratio':>7} {'best':>8} {'ratio':>7} {'paired':>7}")
    for name, runs in results.items():
        med, best = statistics.median(runs), min(runs)
        # Each run's ratio to the bare notebook opened just before it, then the median: the
        # steadiest figure when the machine's speed drifts from one minute to the next.
        paired = statistics.median(r / b for r, b in zip(runs, base, strict=True))
        print(
            f"  {name:<60} {med:6.2f} s {med / base_med:5.2f} x {best:6.2f} s "
            f"{best / base_min:5.2f} x {paired:5.2f} x"
        )
    print("  (paired: the median of each run's ratio to the bare notebook opened just before)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
