"""Benchmark: import a 50,000-child CIN census return; time and peak memory.

    .venv/bin/python benchmarks/bench_import.py [--children 50000] [--keep DIR] [--pg URL]

Builds the synthetic demo caseload (``cptrack.demo.synthetic``), exports it as a census return
(``cptrack.interchange.exports.cin_census``), then measures, each in its own process so each peak
memory is its own:

* baseline: a bare ``iterparse`` pass over the same file (the least any streaming reader
  must do);
* validate: the data-quality report alone;
* import: into an empty SQLite database (and PostgreSQL with ``--pg``), with ``--partial``
  so that records the store refuses are reported rather than stopping the import;
* re-import: the same file again, which must change nothing.

It prints each one's wall time, CPU time (a steadier measure on a shared machine), peak
resident memory and the ratio of its time to the baseline's, and fails (exit 1) when the first import takes a minute or more or 1 GB or more.
``--keep DIR`` keeps (and reuses) the generated file and databases.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2026, 3, 31)
LIMIT_SECONDS = 60
LIMIT_MB = 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase(name: str, xml: str, db: str | None) -> dict:
    """Run one phase in this process and return its measurements."""
    started = time.perf_counter()
    cpu = _cpu_seconds()
    detail = ""
    if name == "baseline":
        import xml.etree.ElementTree as ET

        n = 0
        for _, el in ET.iterparse(xml, events=("end",)):
            if el.tag == "Child":
                n += 1
                el.clear()
        detail = f"{n} children"
    elif name == "validate":
        from cptrack.interchange.imports import cin_census

        findings, _ = cin_census.validate_file(xml)
        detail = f"{len(findings)} findings"
    else:
        from cptrack.interchange.imports import cin_census
        from cptrack.storage.store import Store

        store = Store.open(db, migrate=True)
        # --partial: the demo holds a few records the store refuses (reported as refused).
        result = cin_census.import_file(store, xml, partial=True)
        detail = (
            f"{result.total('inserted')} inserted, {result.total('updated')} updated, "
            f"{result.total('unchanged')} unchanged, {len(result.problems)} refused"
        )
    return {
        "seconds": time.perf_counter() - started,
        "cpu": _cpu_seconds() - cpu,
        "peak_mb": _peak_mb(),
        "detail": detail,
    }


def run_phase(name: str, xml: str, db: str | None = None) -> dict:
    cmd = [sys.executable, __file__, "--phase", name, "--xml", xml]
    if db:
        cmd += ["--db", db]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{name} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_file(children: int, folder: Path) -> Path:
    """The demo caseload as a census return (reused when already there)."""
    xml = folder / f"census-{children}.xml"
    if xml.exists():
        return xml
    from cptrack.demo import synthetic as demo
    from cptrack.interchange.exports import cin_census
    from cptrack.storage.store import Store

    source = folder / f"demo-{children}.sqlite"
    source.unlink(missing_ok=True)
    started = time.perf_counter()
    with Store.open(str(source), migrate=True) as store:
        demo.populate(store, children=children, seed=1, as_of=AS_OF)
        made = time.perf_counter()
        summary = cin_census.export(store, xml, AS_OF)
    print(
        f"demo caseload of {children} children in {made - started:.0f} s; census return of "
        f"{summary.children} children ({xml.stat().st_size / 1e6:.0f} MB) in "
        f"{time.perf_counter() - made:.0f} s"
    )
    return xml


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=50_000)
    parser.add_argument("--keep", metavar="DIR", help="keep and reuse files in DIR")
    parser.add_argument(
        "--pg", metavar="URL", help="also import into this empty PostgreSQL database"
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--xml", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "generate":
        make_file(args.children, Path(args.xml))
        return 0
    if args.phase:
        print(json.dumps(phase(args.phase, args.xml, args.db)))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        # Made in a process of its own: a child process starts with its parent's peak memory
        # (Linux keeps ru_maxrss across fork and exec), so the parent must stay small for
        # each phase's peak to be its own.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--phase",
                "generate",
                "--xml",
                str(folder),
                "--children",
                str(args.children),
            ],
            check=True,
        )
        xml = str(make_file(args.children, folder))
        db = folder / "import.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        runs = [
            ("baseline (bare iterparse)", run_phase("baseline", xml)),
            ("validate", run_phase("validate", xml)),
            ("import, SQLite", run_phase("import", xml, str(db))),
            ("re-import, SQLite", run_phase("import", xml, str(db))),
        ]
        if args.pg:
            runs.append(("import, PostgreSQL", run_phase("import", xml, args.pg)))
            runs.append(("re-import, PostgreSQL", run_phase("import", xml, args.pg)))
    base = runs[0][1]["seconds"]
    print(f"{'':28} {'seconds':>8} {'CPU s':>7} {'peak MB':>8} {'x baseline':>10}")
    for name, r in runs:
        print(
            f"{name:28} {r['seconds']:8.1f} {r['cpu']:7.1f} {r['peak_mb']:8.0f} "
            f"{r['seconds'] / base:10.1f}  {r['detail']}"
        )
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    if load:
        print(f"load average while measuring: {' '.join(load)} (the machine's other work slows it)")
    first = runs[2][1]
    ok = first["seconds"] < LIMIT_SECONDS and first["peak_mb"] < LIMIT_MB
    print(
        f"{'PASS' if ok else 'FAIL'}: import of {args.children} children took "
        f"{first['seconds']:.1f} s (limit {LIMIT_SECONDS}) and {first['peak_mb']:.0f} MB "
        f"(limit {LIMIT_MB})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
