"""``cptrack import``: bring in a CIN census return, an Annex A workbook or CSV extracts.

Each import is one transaction: the whole file, or nothing (``--partial`` keeps the good
records and lists the refused ones). Importing the same file again changes nothing;
``--dry-run`` says what would change without writing. The data-quality report follows
every import. Exit status: 0 imported; 1 records were refused (nothing written, or with
``--partial`` the rest written); 2 the file or database could not be used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from cptrack.cli import add_db_argument
from cptrack.domain.models import today
from cptrack.interchange.imports.report import ImportFileError, ImportRefused, ImportResult
from cptrack.storage.store import Store

CSV_OPTIONS = ("children", "plans", "conferences", "core_groups", "visits", "actions")


DESCRIPTION = (
    "Each import is one transaction: the whole file, or nothing (--partial keeps the good "
    "records and lists each refused one with its row, field and reason). Importing the same "
    "file again changes nothing; --dry-run says what would change without writing. A "
    "data-quality report follows every import. Exit status: 0 imported; 1 records were "
    "refused (nothing written, or with --partial the rest written); 2 the file or database "
    "could not be used."
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import a CIN census return, Annex A, or case-system CSV extracts",
        description=DESCRIPTION,
    )
    kinds = p.add_subparsers(dest="format", metavar="FORMAT", required=True)

    census = kinds.add_parser(
        "cin-census",
        help="a DfE Children in Need census return (XML)",
        description="Import a CIN census return. The census year comes from the file's "
        "ReferenceDate. See docs/imports.md for what each element becomes.",
    )
    census.add_argument("file", metavar="FILE", help="the census XML file")
    _common(census)
    census.set_defaults(func=run_census)

    annex = kinds.add_parser(
        "annex-a",
        help="Ofsted Annex A List 7 and List 5 (xlsx or csv)",
        description="Import List 7 (child protection) and List 5 (s47 enquiries and ICPCs), "
        "found by their headings in any sheet of an .xlsx workbook or in a .csv file.",
    )
    annex.add_argument("file", metavar="FILE", help="the Annex A workbook (.xlsx) or list (.csv)")
    _reference(annex, default="the file's latest plan, visit, review, enquiry or ICPC date")
    _common(annex)
    annex.set_defaults(func=run_annex)

    extract = kinds.add_parser(
        "csv",
        help="case-system extracts, one CSV file per record type",
        description="Import CSV files in cptrack's documented column sets (docs/imports.md), "
        "all in one transaction.",
    )
    for name in CSV_OPTIONS:
        extract.add_argument(
            f"--{name.replace('_', '-')}", dest=name, metavar="FILE", help=f"{name} CSV file"
        )
    _reference(extract)
    _common(extract)
    extract.set_defaults(func=run_csv)


def _reference(p: argparse.ArgumentParser, default: str = "today") -> None:
    p.add_argument(
        "--reference-date",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date the file speaks for: dates of birth after it are expected dates of "
        "delivery, checks are made as at it, and values cptrack holds from after it are left "
        f"alone (default {default})",
    )


def _common(p: argparse.ArgumentParser) -> None:
    add_db_argument(p)
    p.add_argument(
        "--partial", action="store_true", help="import the good records and list each refused one"
    )
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    add_output_arguments(p)


def add_output_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        dest="output",
        help="the report as text (default), CSV (the data-quality findings) or JSON (all of it)",
    )
    p.add_argument("--out", metavar="FILE", help="write the full report to FILE")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def progress_wanted(args: argparse.Namespace) -> bool:
    return not args.quiet and sys.stderr.isatty()


def run_census(args: argparse.Namespace) -> int:
    from cptrack.interchange.imports import cin_census

    return _run(
        args,
        lambda store: cin_census.import_file(
            store,
            args.file,
            partial=args.partial,
            dry_run=args.dry_run,
            progress=progress_wanted(args),
        ),
    )


def run_annex(args: argparse.Namespace) -> int:
    from cptrack.interchange.imports import annex_a

    return _run(
        args,
        lambda store: annex_a.import_file(
            store,
            args.file,
            args.reference_date,
            partial=args.partial,
            dry_run=args.dry_run,
            progress=progress_wanted(args),
        ),
    )


def run_csv(args: argparse.Namespace) -> int:
    from cptrack.interchange.imports import csv_import

    files = {name: getattr(args, name) for name in CSV_OPTIONS if getattr(args, name)}
    if not files:
        print(
            "cptrack import csv: give at least one file, e.g. --children children.csv",
            file=sys.stderr,
        )
        return 2
    reference = args.reference_date or today()
    return _run(
        args,
        lambda store: csv_import.import_files(
            store, files, reference, partial=args.partial, dry_run=args.dry_run
        ),
    )


def _run(args: argparse.Namespace, do) -> int:
    try:
        with Store.open(args.db) as store:
            result = do(store)
    except ImportFileError as exc:
        print(f"cptrack import: {exc}", file=sys.stderr)
        return 2
    except ImportRefused as refused:
        result = refused.result
    report(result, args)
    return 1 if result.problems else 0


def report(result: ImportResult, args: argparse.Namespace) -> None:
    """Print (or write to --out) the import's report in the format asked for."""
    from cptrack.interchange.dataquality import render

    findings = result.findings
    if args.output == "json":
        text = result.to_json() + "\n"
    elif args.output == "csv":
        text = render(findings, "csv") if findings is not None else ""
        print(result.summary(), file=sys.stderr)
        if result.problems:
            print(result.problems_text(None if args.out else 50), file=sys.stderr)
    else:
        parts = [result.summary()]
        if result.problems:
            parts += ["", "Problems:", result.problems_text(None if args.out else 50)]
        if result.left_alone:
            parts += [
                "",
                "Left alone (recorded after this file's reference date):",
                result.left_alone_text(None if args.out else 50),
            ]
        if findings is not None:
            parts += ["", render(findings, "table").rstrip()]
        text = "\n".join(parts) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(result.summary().splitlines()[0])
        print(f"report written to {args.out}")
    else:
        sys.stdout.write(text)
