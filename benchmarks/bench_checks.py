"""Benchmark the compliance engine on a large synthetic caseload.

    python benchmarks/bench_checks.py [--db data/bench50k.sqlite] [--profile sunderland]

The database is made once with ``cptrack demo --children 50000`` (seed 1, as of 2026-11-22)
if it does not exist, and reused after. Printed, each the best of ``--repeat`` runs:

* the full evaluation (``cptrack.engine.evaluate``: every timescale and drift rule), and
  the same with ``since`` (the current position, settled history left out);
* a floor: ``numpy.busday_offset`` and ``busday_count`` over the same anchor dates with the
  same holiday calendar: the date arithmetic alone, with no matching of records;
* a plain per-child Python loop over the same timescale rules (the main families, with the
  scalar working-day functions) on a ``--sample``-child sample, scaled to the whole caseload;
* the engine called once per child (as a child view calls it) on the same sample, scaled.

and the ratios between them; then the loading and the command:

* loading the caseload (``cptrack.caseload.load``, whole, and only the engine's frames as
  ``cptrack check`` reads them) against a floor: Python's ``sqlite3`` ``fetchall`` of every
  table the caseload holds (the rows as tuples, untyped);
* ``cptrack check --open --format csv`` over the whole caseload, run as a program, output
  thrown away: its time and its peak memory (the process's maximum resident size), as it runs
  by default and with glibc's malloc told through ``GLIBC_TUNABLES`` to keep freed memory for
  reuse (what cptrack used to ask for through ctypes: see docs/engine.md);
* with ``--pg URL`` (a PostgreSQL database holding the same caseload, made by ``cptrack demo
  --db URL --children 50000 --seed 1 --as-of 2026-11-22``), the loading, its floor
  (psycopg's ``fetchall``) and the command on it too.

Timings are printed, never asserted: tests do not time things. The machine is shared: read
the ratios, measured within one run, before the seconds.

The engine runs as cptrack runs it: on one thread a core for a caseload this size
(``CPTRACK_THREADS`` sets the number). The first of the runs also pays for the process's fresh
memory; all of them are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from cptrack import engine
from cptrack.caseload import CHILD_KINDS, CONFERENCE_KINDS, Caseload, load
from cptrack.engine import evaluation
from cptrack.rules import profiles
from cptrack.rules import workdays as wd
from cptrack.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 22)


def best(fn, repeat: int, runs: list[float] | None = None) -> tuple[float, object]:
    times = runs if runs is not None else []
    result = None
    for _ in range(repeat):
        result = None  # the previous run's result is not kept alive while the next is timed
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def ensure_database(path: Path, children: int, seed: int) -> None:
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
            str(seed),
            "--as-of",
            AS_OF.isoformat(),
        ],
        check=True,
    )


# What glibc's malloc is told, from outside the process, to keep freed memory for reuse
# (the settings cptrack once made through ctypes' mallopt).
KEEP_MEMORY = (
    "glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=2147483647:"
    "glibc.malloc.arena_max=1"
)


def fetch_floor(db: str) -> int:
    """Every table the caseload holds fetched as the driver's tuples: the floor for loading."""
    names = ("staff", "teams", "children", *CHILD_KINDS, *CONFERENCE_KINDS)
    rows = 0
    if "://" in db:
        import psycopg

        with psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://")) as conn:
            for name in names:
                rows += len(conn.execute(f"SELECT * FROM {name} ORDER BY id").fetchall())
        return rows
    conn = sqlite3.connect(db)
    try:
        for name in names:
            rows += len(conn.execute(f"SELECT * FROM {name} ORDER BY id").fetchall())
    finally:
        conn.close()
    return rows


def run_check(db: str, profile: str, tunables: str | None = None) -> tuple[float, float, int]:
    """``cptrack check --open --format csv`` as a program, output thrown away: seconds, CPU
    seconds (user and system) and the peak resident memory in MB."""
    env = dict(os.environ)
    if tunables:
        env["GLIBC_TUNABLES"] = tunables
    cmd = [
        sys.executable,
        "-m",
        "cptrack.cli",
        "check",
        "--db",
        db,
        "--profile",
        profile,
        "--as-of",
        AS_OF.isoformat(),
        "--open",
        "--format",
        "csv",
    ]
    # The check is started by a small launcher process, not by this one: Linux gives a
    # process made by fork and exec the resident size its parent had when it forked as its
    # starting peak, and this benchmark holds a whole caseload by now (the check read 4.4 GB
    # started from here, 1.7 GB started from a shell).
    launched = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *cmd], env=env, capture_output=True, text=True
    )
    if launched.returncode:
        raise SystemExit(f"cptrack check failed ({launched.returncode}): {launched.stderr}")
    seconds, cpu, peak_kb = json.loads(launched.stdout.splitlines()[-1])
    return seconds, cpu, peak_kb // 1024


# Runs the command given after it with its output thrown away; prints its wall seconds, CPU
# seconds and peak resident size (KB) as JSON, and exits with its exit code.
_LAUNCHER = """
import json, os, subprocess, sys, time
t = time.perf_counter()
with open(os.devnull, "w") as sink:
    proc = subprocess.Popen(sys.argv[1:], stdout=sink)
    _, status, usage = os.wait4(proc.pid, 0)
print(json.dumps([time.perf_counter() - t, usage.ru_utime + usage.ru_stime, usage.ru_maxrss]))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def loading(db: str, label: str, repeat: int) -> None:
    """Load times against the fetch floor, printed."""
    floor_s, rows = best(lambda: fetch_floor(db), repeat)
    with Store.open(db) as store:
        whole_s, _ = best(lambda: load(store), repeat)
        needed_s, _ = best(lambda: load(store, kinds=engine.KINDS), repeat)
    print(f"  loading from {label} ({rows} records)")
    print(f"    fetchall floor, every table       {floor_s:8.3f} s")
    print(
        f"    load, whole caseload              {whole_s:8.3f} s   load / floor = "
        f"{whole_s / floor_s:5.2f}x"
    )
    print(
        f"    load, the engine's frames         {needed_s:8.3f} s   load / floor = "
        f"{needed_s / floor_s:5.2f}x"
    )


def command(db: str, label: str, profile: str) -> None:
    for name, tunables in (("as it runs", None), ("GLIBC_TUNABLES keep memory", KEEP_MEMORY)):
        seconds, cpu, peak = run_check(db, profile, tunables)
        print(
            f"  cptrack check --open, {label}, {name}: {seconds:7.2f} s ({cpu:.2f} s CPU), "
            f"peak {peak} MB"
            f" (under 10 s: {'yes' if seconds < 10 else 'NO'}; "
            f"under 1.5 GB: {'yes' if peak < 1536 else 'NO'})"
        )


def floor(findings: pd.DataFrame) -> int:
    """numpy's business-day functions over the same anchors: the arithmetic alone."""
    anchors = findings["anchor_date"].dropna().to_numpy(dtype="datetime64[D]")
    cal = wd.calendar()
    due = np.busday_offset(anchors, 10, roll="backward", busdaycal=cal)
    counts = np.busday_count(anchors, due, busdaycal=cal)
    return int(counts.sum())


# ---------------------------------------------------------------------------
# The plain per-child loop (the baseline the vectorised engine is measured against)


def group_by_child(cl: Caseload) -> dict[str, dict[str, list[dict]]]:
    """Each child's records as lists of dicts (done before timing the loop)."""
    out: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    conf_child = dict(zip(cl.conferences["id"], cl.conferences["child_id"], strict=True))
    for name in (
        "strategy_discussions",
        "s47_enquiries",
        "cp_plans",
        "conferences",
        "core_groups",
        "visits",
    ):
        for rec in getattr(cl, name).to_dict(orient="records"):
            out[rec["child_id"]][name].append(rec)
    for rec in cl.children.to_dict(orient="records"):
        out[rec["id"]]["child"].append(rec)
    for rec in cl.agency_reports.to_dict(orient="records"):
        out[conf_child.get(rec["conference_id"])]["agency_reports"].append(rec)
    return out


def _day(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _status(due: dt.date, actual: dt.date | None, as_of: dt.date) -> str:
    if actual is not None:
        return "met" if actual <= due else "met_late"
    return "overdue" if as_of > due else "due"


def loop_child(recs: dict[str, list[dict]], profile: profiles.Profile, as_of: dt.date) -> list:
    """The timescale rules for one child, record by record, in plain Python."""
    rows = []
    plans = sorted(recs["cp_plans"], key=lambda p: p["start_date"])
    confs = sorted(recs["conferences"], key=lambda c: c["scheduled_date"])
    held = [c for c in confs if _day(c["held_date"]) and not c["stood_down"]]
    sd_by_id = {s["id"]: _day(s["date"]) for s in recs["strategy_discussions"]}
    for rule in profile.applied_rules:
        if rule.kind != "timescale" or rule.unit == "hours":
            continue
        ev = rule.event
        if ev == "icpc":
            for e in recs["s47_enquiries"]:
                anchor = sd_by_id.get(e["strategy_discussion_id"]) or _day(e["start_date"])
                conf = next((c for c in confs if c["s47_id"] == e["id"]), None)
                actual = _day(conf["held_date"]) if conf is not None else None
                rows.append(
                    (rule.id, _status(wd.add_working_days(anchor, rule.amount), actual, as_of))
                )
        elif ev in ("first_review", "review"):
            for p in plans:
                chain = [c for c in held if c["plan_id"] == p["id"]]
                for i, c in enumerate(chain):
                    first = c["type"] != "review"
                    if first != (ev == "first_review") or c["outcome"] == "plan_ends":
                        continue
                    due = wd.add_months(_day(c["held_date"]), rule.amount)
                    nxt = _day(chain[i + 1]["held_date"]) if i + 1 < len(chain) else None
                    end = _day(p["end_date"])
                    if nxt is None and end is not None and end <= min(due, as_of):
                        continue
                    rows.append((rule.id, _status(due, nxt, as_of)))
        elif ev in ("first_core_group", "core_group", "visit", "visit_seen_alone"):
            for p in plans:
                start = _day(p["start_date"])
                if ev in ("first_core_group", "core_group"):
                    dates = sorted(
                        _day(g["date"])
                        for g in recs["core_groups"]
                        if g["plan_id"] == p["id"] and g["status"] == "held"
                    )
                    freq = p["core_group_frequency_wd"]
                    anchors = [start] if ev == "first_core_group" else dates
                else:
                    flag = "seen" if ev == "visit" else "seen_alone"
                    dates = sorted(
                        _day(v["date"])
                        for v in recs["visits"]
                        if v["plan_id"] == p["id"] and v[flag]
                    )
                    freq = p["visit_frequency_wd"] if ev == "visit" else None
                    anchors = [start, *dates]
                n = int(freq) if freq is not None and not pd.isna(freq) else rule.amount
                for a in anchors:
                    nxt = next((d for d in dates if d > a), None)
                    rows.append((rule.id, _status(wd.add_working_days(a, n), nxt, as_of)))
        elif ev in ("report_to_chair", "report_to_family"):
            col = "received_by_chair" if ev == "report_to_chair" else "shared_with_family"
            if rule.when and not recs["child"][0].get(rule.when):
                continue
            for c in confs:
                if c["type"] not in rule.applies_to or c["stood_down"]:
                    continue
                day = _day(c["held_date"]) or _day(c["scheduled_date"])
                due = wd.shift(day, -rule.amount, rule.unit)
                reports = [
                    r
                    for r in recs["agency_reports"]
                    if r["conference_id"] == c["id"]
                    and not (rule.exclude_confidential and r["confidential"])
                    and (not rule.agencies or r["agency"] in rule.agencies)
                ]
                for r in reports:
                    rows.append((rule.id, _status(due, _day(r[col]), as_of)))
                if not reports:
                    rows.append((rule.id, _status(due, None, as_of)))
        elif ev in ("decisions_distributed", "plan_distributed", "minutes_distributed"):
            for c in held:
                if c["type"] in rule.applies_to:
                    due = wd.shift(_day(c["held_date"]), rule.amount, rule.unit)
                    rows.append((rule.id, _status(due, _day(c[ev]), as_of)))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(ROOT / "data" / "bench50k.sqlite"))
    ap.add_argument("--children", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", default="sunderland")
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pg", metavar="URL", help="also load and check from this PostgreSQL database")
    ap.add_argument(
        "--since-months",
        type=int,
        default=6,
        help="also time evaluate(since=as_of minus this many months)",
    )
    args = ap.parse_args(argv)

    path = Path(args.db)
    ensure_database(path, args.children, args.seed)
    profile = profiles.load(args.profile)
    t = time.perf_counter()
    with Store.open(path) as store:
        cl = load(store)
    load_s = time.perf_counter() - t
    n = cl.size
    print(
        f"caseload: {n} children, {len(cl.conferences)} conferences, {len(cl.visits)} visits, "
        f"{len(cl.agency_reports)} reports (loaded from {path.name} in {load_s:.2f} s)"
    )

    engine.evaluate(cl.for_children(cl.children["id"][:50]), profile, AS_OF)  # warm up
    before = resource.getrusage(resource.RUSAGE_SELF)
    runs: list[float] = []
    full_s, findings = best(lambda: engine.evaluate(cl, profile, AS_OF), args.repeat, runs)
    after = resource.getrusage(resource.RUSAGE_SELF)
    user_s = (after.ru_utime - before.ru_utime) / args.repeat
    sys_s = (after.ru_stime - before.ru_stime) / args.repeat
    since = AS_OF - dt.timedelta(days=round(30.44 * args.since_months))
    since_s, current = best(lambda: engine.evaluate(cl, profile, AS_OF, since=since), args.repeat)
    floor_s, _ = best(lambda: floor(findings), args.repeat)

    rng = np.random.default_rng(args.seed)
    sample_ids = rng.choice(
        cl.children["id"].to_numpy(dtype=object), size=min(args.sample, n), replace=False
    )
    sample = cl.for_children(sample_ids)
    grouped = group_by_child(sample)
    loop_s, loop_rows = best(
        lambda: [r for cid in sample_ids for r in loop_child(grouped[cid], profile, AS_OF)], 1
    )
    singles = [sample.for_children([cid]) for cid in sample_ids[:200]]
    per_child_s, _ = best(lambda: [engine.evaluate(c, profile, AS_OF) for c in singles], 1)

    scale = n / len(sample_ids)
    loop_scaled = loop_s * scale
    per_child_scaled = per_child_s * n / len(singles)
    print(
        f"profile {profile.id}: {len(findings)} findings "
        f"({len(findings) / max(n, 1):.1f} per child)"
    )
    threads = evaluation._threads(cl)
    print(
        f"  engine, whole caseload          {full_s:8.3f} s   (best of "
        f"{', '.join(f'{r:.2f}' for r in runs)} s: the first run in a process also pays for "
        f"its memory; {threads} thread{'s' if threads > 1 else ''}; CPU a run: {user_s:.2f} s "
        f"user + {sys_s:.2f} s system, mostly the kernel providing fresh memory)"
    )
    print(
        f"  engine, since {since} {since_s:8.3f} s   ({len(current)} findings: settled "
        "history before then left out, the present unchanged)"
    )
    print(
        f"  numpy busday floor              {floor_s:8.3f} s   engine / floor  = {full_s / floor_s:6.1f}x"
    )
    print(
        f"  plain loop, {len(sample_ids)} children      {loop_s:8.3f} s   scaled to {n}: {loop_scaled:8.2f} s"
        f"   loop / engine = {loop_scaled / full_s:6.1f}x"
    )
    print(
        f"  engine per child, {len(singles)} children  {per_child_s:8.3f} s   "
        f"{1000 * per_child_s / len(singles):.1f} ms a child; scaled: {per_child_scaled:8.1f} s"
    )
    # The loop covers the main timescale families; check it agrees with the engine there.
    covered = {rid for rid, _ in loop_rows}
    sample_findings = engine.evaluate(sample, profile, AS_OF)
    ours = sample_findings[sample_findings["rule_id"].isin(covered)]
    by_rule_engine = ours.groupby("rule_id").size()
    by_rule_loop = pd.Series([rid for rid, _ in loop_rows]).value_counts()
    agree = [
        abs(by_rule_engine.get(r, 0) - by_rule_loop.get(r, 0)) / max(by_rule_engine.get(r, 1), 1)
        for r in covered
    ]
    print(
        f"  loop vs engine rows on the sample: {len(loop_rows)} vs {len(ours)} "
        f"(median per-rule difference {100 * statistics.median(agree or [0]):.1f}%)"
    )
    print(f"  under 2 s on this machine: {'yes' if full_s < 2 else 'NO'}")
    print(f"  engine at most 3x the floor: {'yes' if full_s / floor_s <= 3 else 'NO'}")
    loading(str(path), path.name, args.repeat)
    command(str(path), path.name, args.profile)
    if args.pg:
        loading(args.pg, "PostgreSQL", args.repeat)
        command(args.pg, "PostgreSQL", args.profile)
    load_avg = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"  load average (1, 5, 15 min) at the end: {load_avg} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
