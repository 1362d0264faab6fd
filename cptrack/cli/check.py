"""``cptrack check``: every timescale and drift finding for a caseload, as at a date."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

import pandas as pd

from cptrack import engine
from cptrack.caseload import load
from cptrack.cli import add_db_argument
from cptrack.domain.models import today
from cptrack.interchange import safe_cells
from cptrack.rules import profiles
from cptrack.storage.staff import chair_by_name
from cptrack.storage.store import Store

TABLE_COLUMNS = ("child_id", "rule_id", "due_date", "actual_date", "status_text", "citation")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="check every child's timescales and drift against an authority's standards",
        description="Evaluate the standards of a profile (an authority's, or your own file) "
        "over the caseload and list the findings: one row per child, rule and occurrence, "
        "with the due date, the status and the standard's source.",
    )
    add_db_argument(p)
    p.add_argument(
        "--profile",
        default="national",
        metavar="NAME_OR_PATH",
        help=f"a registered profile ({', '.join(profiles.available())}) or a .toml file "
        "(default: national)",
    )
    p.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=today(),
        metavar="YYYY-MM-DD",
        help="the date to judge at (default: today)",
    )
    p.add_argument("--chair", metavar="NAME_OR_ID", help="only this chair's children")
    p.add_argument(
        "--open",
        action="store_true",
        help="only live items: overdue, due, or that cannot be judged (not those missed "
        "when a plan ended or the next conference came)",
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        profile = profiles.load(args.profile)
    except profiles.ProfileError as exc:
        print(f"cptrack check: {exc}", file=sys.stderr)
        return 2
    with Store.open(args.db) as store:
        chair_id = chair_by_name(store, args.chair) if args.chair else None
        caseload = load(store, chair_id=chair_id)
    findings = engine.evaluate(caseload, profile, args.as_of)
    if args.open:
        findings = findings[findings["live"]]
    write(findings, args.format, profile, args.as_of)
    return 0


def write(findings: pd.DataFrame, fmt: str, profile: profiles.Profile, as_of: dt.date) -> None:
    out = sys.stdout
    if fmt == "csv":
        safe_cells.frame_to_csv(engine.findings_for_export(findings), out, index=False)
    elif fmt == "json":
        json.dump(engine.findings_to_records(findings), out, indent=1)
        out.write("\n")
    else:
        counts = findings["rag"].value_counts()
        out.write(
            f"{profile.name}: {len(findings)} findings for "
            f"{findings['child_id'].nunique()} children as at {as_of:%d %b %Y} "
            f"(red {counts.get('red', 0)}, amber {counts.get('amber', 0)}, "
            f"green {counts.get('green', 0)})\n"
        )
        if len(findings):
            table = engine.findings_for_export(findings)[list(TABLE_COLUMNS)].copy()
            table["citation"] = findings["citation"].map(engine.short_citation)
            out.write(table.to_string(index=False, na_rep="") + "\n")
