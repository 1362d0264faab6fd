"""``cptrack export``: write a CIN census return or Annex A from the database.

The files hold what cptrack holds (docs/imports.md says what each is made of): useful as
samples, for checking a database against the DfE rules with ``cptrack validate``, and for
moving data between cptrack databases.
"""

from __future__ import annotations

import argparse
import datetime as dt

from cptrack.cli import add_db_argument
from cptrack.storage.store import Store

DESCRIPTION = (
    "The files hold what cptrack holds (docs/imports.md says what each is made of): useful "
    "as samples, for checking a database against the DfE rules with `cptrack validate`, and "
    "for moving data between cptrack databases."
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write a CIN census return or Annex A lists from the database",
        description=DESCRIPTION,
    )
    kinds = p.add_subparsers(dest="format", metavar="FORMAT", required=True)
    census = kinds.add_parser(
        "cin-census",
        help="a CIN census return (XML) for the year ending on --reference-date",
        description="Write the census return for the census year ending on the reference date.",
    )
    add_db_argument(census)
    census.add_argument("--out", required=True, metavar="FILE", help="the XML file to write")
    census.add_argument(
        "--reference-date",
        type=dt.date.fromisoformat,
        required=True,
        metavar="YYYY-MM-DD",
        help="the census reference date, e.g. 2026-03-31",
    )
    census.add_argument("--la-code", default="999", help="the LA code for the header (default 999)")
    census.set_defaults(func=run_census)
    annex = kinds.add_parser(
        "annex-a",
        help="Annex A List 7 and List 5 (xlsx, or one list as csv)",
        description="Write List 7 and List 5 for the six months to the reference date: both "
        "as sheets of an .xlsx workbook, or one (--list) as a .csv file.",
    )
    add_db_argument(annex)
    annex.add_argument("--out", required=True, metavar="FILE", help="an .xlsx or .csv file")
    annex.add_argument(
        "--reference-date",
        type=dt.date.fromisoformat,
        required=True,
        metavar="YYYY-MM-DD",
        help="the date the lists are made as at",
    )
    annex.add_argument(
        "--list",
        type=int,
        choices=(5, 7),
        default=None,
        dest="only",
        help="only this list (required for .csv)",
    )
    annex.set_defaults(func=run_annex)


def run_census(args: argparse.Namespace) -> int:
    from cptrack.interchange.exports import cin_census

    with Store.open(args.db) as store:
        summary = cin_census.export(store, args.out, args.reference_date, la_code=args.la_code)
    print(f"{args.out}: {summary.children} children, census year to {args.reference_date}")
    for kind, n in summary.unplaced.items():
        print(f"  {n} {kind} of the year are in no CIN episode, so not in the return")
    return 0


def run_annex(args: argparse.Namespace) -> int:
    from cptrack.interchange.exports import annex_a

    if args.out.lower().endswith(".csv") and args.only is None:
        raise SystemExit("cptrack export annex-a: a .csv file holds one list; add --list 5 or 7")
    with Store.open(args.db) as store:
        counts = annex_a.export(store, args.out, args.reference_date, only=args.only)
    print(f"{args.out}: " + ", ".join(f"{k}: {n} rows" for k, n in counts.items()))
    return 0
