"""``cptrack observations``: practice observations of chairs, by chair, or the framework."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import pandas as pd

from cptrack.casework.qa.dashboard import Dashboard
from cptrack.cli import add_db_argument
from cptrack.quality import observation
from cptrack.quality.observation import GRADE, grade_for_score
from cptrack.rules import profiles
from cptrack.storage.store import Store

ABBREVIATIONS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "RI",
    "inadequate": "Inadequate",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "observations",
        help="practice observations of chairs: who is due one, and each chair's grades",
        description="With no options, list every chair: observations in the period, the "
        "last one and its judgement, and whether they are due an observation. --chair shows "
        "one chair's observations with a grade per domain. --framework prints the observation "
        "framework (domains, criteria and their sources) of a profile.",
    )
    add_db_argument(p)
    p.add_argument("--chair", metavar="NAME", help="one chair's observations (name or part of it)")
    p.add_argument(
        "--from",
        dest="start",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="first day of the period (default: 12 months before --to)",
    )
    p.add_argument(
        "--to",
        dest="end",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="last day of the period (default: today)",
    )
    p.add_argument(
        "--interval",
        type=int,
        metavar="MONTHS",
        help="flag chairs not observed within this many months (default: the framework's, 6)",
    )
    p.add_argument(
        "--framework",
        metavar="PROFILE",
        nargs="?",
        const="",
        help="print the observation framework of a profile (default: the database's, "
        "else national) and exit",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.framework is not None:
        return show_framework(args)
    if args.start and args.end and args.end < args.start:
        print("cptrack observations: --to is before --from", file=sys.stderr)
        return 2
    with Store.open(args.db) as store:
        board = Dashboard.open(store, start=args.start, end=args.end, interval_months=args.interval)
        if args.chair:
            return show_chair(board, args.chair)
        return show_chairs(board)


def show_chairs(board: Dashboard) -> int:
    print(
        f"Observations from {board.start} to {board.end}; due when not observed within "
        f"{board.interval_months} months of {board.end}."
    )
    counts = board.observations.observations.groupby("chair_id").size()
    print(f"{'chair':<28} {'in period':>9}  {'last observed':<13}  {'judgement':<22} due")
    for r in board.not_observed().sort_values("chair").itertuples():
        last = "never" if pd.isna(r.last_observed) else f"{r.last_observed:%Y-%m-%d}"
        label = GRADE[r.last_judgement].label if r.last_judgement in GRADE else "—"
        print(
            f"{r.chair[:28]:<28} {int(counts.get(r.chair_id, 0)):>9}  {last:<13}  "
            f"{label[:22]:<22} {'DUE' if r.overdue else 'no'}"
        )
    return 0


def show_chair(board: Dashboard, name: str) -> int:
    match = board.chairs[board.chairs["name"].str.contains(name, case=False, regex=False)]
    if len(match) != 1:
        known = ", ".join(board.chairs["name"])
        print(
            f"cptrack observations: {len(match)} chairs match {name!r}; chairs: {known}",
            file=sys.stderr,
        )
        return 2
    chair_id, chair = int(match["id"].iloc[0]), match["name"].iloc[0]
    board.trend_chair = chair_id
    rows = board.trend()
    domains = board.framework.domains
    print(f"{chair}: {len(rows)} observations (submitted or complete)")
    if rows.empty:
        return 0
    print(
        "Grades by domain: the mean of the criteria, rounded (RI: requires improvement to be good)."
    )
    print(f"{'date':<10}  {'overall':<31} " + " ".join(f"{d.heading[:13]:<13}" for d in domains))
    for r in rows.itertuples(index=False):
        cells = []
        for d in domains:
            mean = getattr(r, d.id, None)
            word = (
                "—" if mean is None or pd.isna(mean) else ABBREVIATIONS[grade_for_score(mean).code]
            )
            cells.append(f"{word:<13}")
        label = GRADE[r.overall_judgement].label if r.overall_judgement in GRADE else "—"
        print(f"{r.date:%Y-%m-%d}  {label:<31} " + " ".join(cells))
    return 0


def show_framework(args: argparse.Namespace) -> int:
    name = args.framework
    if not name:
        try:
            from cptrack.casework.qa import common

            with Store.open(args.db) as store:
                name = common.profile_name(store)
        except Exception:  # no database given: the national profile's framework
            name = "national"
    framework = observation.for_profile(profiles.load(name))
    print(
        f"{framework.name} (profile {name}); observe every chair at least every "
        f"{framework.interval_months} months"
    )
    for n, d in enumerate(framework.domains, 1):
        print(f"\n{n}. {d.title}")
        for k, c in enumerate(d.criteria, 1):
            print(f"  {n}.{k} [{c.id}] {c.text}")
            for s in c.sources:
                print(f"        {s.citation}")
    return 0
