"""Benchmark the reports: each rendered to HTML and to PDF, beside a floor.

    python benchmarks/bench_reports.py [--db data/bench2000.sqlite] [--children 2000]

The database is made once with ``cptrack demo --children N`` (seed 1, as of 2026-11-22) if it
does not exist, and reused after. Printed for each report: the time to execute its notebook
and export HTML (a kernel of its own, as ``cptrack report`` does), and to print that HTML to
an A4 PDF with Chromium, plus the whole of ``cptrack report --to pdf`` as a user runs it.

The floor, measured in the same run: nbconvert of a one-cell notebook (``print(1)``) to HTML
(kernel start, execution, export), and Chromium printing that page to PDF. Ratios are against
the floor. The chair caseload over the whole demo service (every child, no ``--chair``) is the
large case: 2,000 children must print to PDF in under 30 s. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from cptrack.reports import REPORTS, runner
from cptrack.reports.pdf import Printer

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 22)


def ensure_database(path: Path, children: int) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"creating {path} with {children} children (once; reused after)", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cptrack.cli",
            "demo",
            "--db",
            str(path),
            "--children",
            str(children),
            "--seed",
            "1",
            "--as-of",
            AS_OF.isoformat(),
        ],
        check=True,
    )


def floor(printer: Printer) -> tuple[float, float]:
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    t = time.perf_counter()
    NotebookClient(nb, kernel_name="python3").execute()
    page = runner.to_html(nb)
    html_s = time.perf_counter() - t
    t = time.perf_counter()
    printer.pdf(page)
    return html_s, time.perf_counter() - t


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", default=str(ROOT / "data" / "bench2000.sqlite"))
    p.add_argument("--children", type=int, default=2000)
    p.add_argument("--only", nargs="*", default=list(REPORTS), help="reports to time")
    args = p.parse_args()
    db = Path(args.db)
    ensure_database(db, args.children)
    params = {"db": str(db.resolve()), "as_of": AS_OF.isoformat()}
    with Printer() as printer:
        floor(printer)  # warm the caches once
        f_html, f_pdf = floor(printer)
        print(f"{args.children} children, as of {AS_OF}\n")
        print(
            f"{'report':22} {'HTML s':>8} {'x floor':>8} {'PDF print s':>12} {'x floor':>8} "
            f"{'pages':>6} {'HTML+PDF s':>11}"
        )
        print(
            f"{'floor (one cell)':22} {f_html:8.2f} {1:8.1f} {f_pdf:12.2f} {1:8.1f} {1:6} "
            f"{f_html + f_pdf:11.2f}"
        )
        for name in args.only:
            t = time.perf_counter()
            page = runner.to_html(runner.execute(name, params))
            h = time.perf_counter() - t
            t = time.perf_counter()
            pdf = printer.pdf(page)
            d = time.perf_counter() - t
            with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
                f.write(pdf)
                f.flush()
                info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
            pages = next(
                (line.split()[-1] for line in info.splitlines() if line.startswith("Pages")), "?"
            )
            print(
                f"{name:22} {h:8.2f} {h / f_html:8.1f} {d:12.2f} {d / f_pdf:8.1f} {pages:>6} "
                f"{h + d:11.2f}",
                flush=True,
            )
    # As a user runs it: one command, its own Chromium.
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "cptrack.cli",
                "report",
                "chair_caseload",
                "--db",
                str(db),
                "--as-of",
                AS_OF.isoformat(),
                "--to",
                "pdf",
                "--out",
                f"{tmp}/caseload.pdf",
            ],
            check=True,
            capture_output=True,
        )
        whole = time.perf_counter() - t
    print(
        f"\ncptrack report chair_caseload --to pdf ({args.children} children, whole command): "
        f"{whole:.1f} s (target: under 30 s)"
    )


if __name__ == "__main__":
    main()
