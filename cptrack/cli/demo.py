"""``cptrack demo``: fill a database with a synthetic caseload."""

from __future__ import annotations

import argparse
import datetime as dt
import time

from cptrack.cli import add_db_argument
from cptrack.demo import synthetic as demo
from cptrack.storage.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="create a database holding a synthetic caseload (invented people only)",
        description="Create (or upgrade) the database and fill it with a deterministic "
        "synthetic caseload: the same --seed and --as-of give the same data. Every person "
        "in it is invented. The database must not hold children already.",
    )
    add_db_argument(p)
    p.add_argument(
        "--children",
        type=int,
        default=120,
        metavar="N",
        help="number of children (default 120, across 4 chairs; about 80 per chair above 320)",
    )
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day the caseload is built around (default today)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.children < 1:
        raise SystemExit("cptrack demo: --children must be at least 1")
    started = time.perf_counter()
    with Store.open(args.db, migrate=True) as store:
        counts = demo.populate(store, children=args.children, seed=args.seed, as_of=args.as_of)
        seconds = time.perf_counter() - started
        rows = sum(counts.values())
        print(
            f"{store.url}: {counts.get('children', 0)} children, "
            f"{counts.get('staff', 0)} staff, {rows:,} records in {seconds:.1f} s"
        )
    return 0
