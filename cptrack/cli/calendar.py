"""``cptrack calendar``: a chair's due dates as an .ics file to import into Outlook."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from cptrack.caseload import load
from cptrack.cli import add_db_argument
from cptrack.domain.models import today
from cptrack.interchange import ics
from cptrack.rules import profiles
from cptrack.storage import settings
from cptrack.storage.staff import chair_by_name
from cptrack.storage.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "calendar",
        help="write a chair's due dates (conferences, core groups, midway reviews, next "
        "checks) as an .ics calendar file",
        description="One all-day event per due item of the chair's children, from the same "
        "rules as `cptrack check`. Titles carry the child's pseudonymous id, never the name. "
        "Overdue items are put on the as-of day, marked OVERDUE.",
    )
    add_db_argument(p)
    p.add_argument("--chair", required=True, metavar="NAME_OR_ID", help="the chair")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the .ics file")
    p.add_argument(
        "--profile",
        default=None,
        metavar="NAME_OR_PATH",
        help="the standards profile (default: the profile setting)",
    )
    p.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=today(),
        metavar="YYYY-MM-DD",
        help="the date to judge at (default: today)",
    )
    p.add_argument(
        "--days",
        type=int,
        default=ics.DEFAULT_DAYS,
        metavar="N",
        help=f"how far ahead (default {ics.DEFAULT_DAYS} days)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.days < 1:
        print("cptrack calendar: --days must be at least 1", file=sys.stderr)
        return 2
    with Store.open(args.db) as store:
        try:
            profile = profiles.load(args.profile or settings.get("profile", store))
        except profiles.ProfileError as exc:
            print(f"cptrack calendar: {exc}", file=sys.stderr)
            return 2
        chair_id = chair_by_name(store, args.chair)
        chair = store.get("staff", chair_id)["name"]
        caseload = load(store, chair_id=chair_id)
    data, n = ics.chair_calendar(caseload, profile, args.as_of, chair=chair, days=args.days)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(
        f"{args.out}: {n} due dates for {chair} ({caseload.size} children) from "
        f"{args.as_of:%-d %b %Y} to {args.as_of + dt.timedelta(days=args.days):%-d %b %Y}"
    )
    return 0
