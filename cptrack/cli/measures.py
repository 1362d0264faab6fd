"""``cptrack measures``: the DfE national measures for a period."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from cptrack.caseload import load
from cptrack.cli import add_db_argument
from cptrack.measures import national_measures
from cptrack.storage.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "measures",
        help="the DfE national measures (repeat plans, plan lengths, ICPC timeliness, reviews)",
        description="Compute the Department for Education's child protection measures for a "
        "period, as the Children in need statistics define them (see cptrack.measures).",
    )
    add_db_argument(p)
    p.add_argument(
        "--from",
        dest="start",
        required=True,
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="first day of the period",
    )
    p.add_argument(
        "--to",
        dest="end",
        required=True,
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="last day of the period (plans open are counted on it)",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.end < args.start:
        print("cptrack measures: --to is before --from", file=sys.stderr)
        return 2
    with Store.open(args.db) as store:
        caseload = load(store)
    m = national_measures(caseload, args.start, args.end)
    if args.format == "json":
        json.dump(
            {
                "from": args.start.isoformat(),
                "to": args.end.isoformat(),
                "summary": m.summary().to_dict(orient="records"),
                "open_by_duration": m.open_by_duration.reset_index().to_dict(orient="records"),
                "ended_by_duration": m.ended_by_duration.reset_index().to_dict(orient="records"),
                "icpc_by_working_days": m.icpc_by_working_days.reset_index().to_dict(
                    orient="records"
                ),
                "icpc_median_working_days": m.icpc_median_working_days,
            },
            sys.stdout,
            indent=1,
        )
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    out.write(f"DfE measures, {args.start:%d %b %Y} to {args.end:%d %b %Y}\n\n")
    out.write(m.summary().to_string(index=False, na_rep="-") + "\n\n")
    out.write(f"Plans open on {args.end:%d %b %Y} by duration\n")
    out.write(m.open_by_duration.to_string(na_rep="-") + "\n\n")
    out.write("Plans ended in the period by duration\n")
    out.write(m.ended_by_duration.to_string(na_rep="-") + "\n\n")
    median = m.icpc_median_working_days
    out.write(
        "ICPCs by working days from the s47 start (median "
        f"{'-' if median is None else f'{median:g}'})\n"
    )
    out.write(m.icpc_by_working_days.to_string(na_rep="-") + "\n")
    return 0
