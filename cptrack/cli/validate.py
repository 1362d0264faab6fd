"""``cptrack validate``: the data-quality report on a file, without importing it.

The DfE CIN census rules about child protection (``../shared/CIN_RULES.md``), each with its
code, the DfE message, the child and the values, judged for the census year ending on the
file's ReferenceDate; and cptrack's own checks (review gaps over 3 and 6 months, ICPCs
past 15 working days). Exit status: 0 no errors (queries and warnings may be listed); 1
errors found; 2 the file could not be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from cptrack.interchange.imports.report import ImportFileError

DESCRIPTION = (
    "The DfE CIN census validation rules about child protection, each with its code, the "
    "DfE message, the child and the values, judged for the census year ending on the "
    "file's ReferenceDate; and cptrack's own checks (review gaps over 3 and 6 months, ICPCs "
    "past 15 working days). Exit status: 0 no errors (queries and warnings may be listed); "
    "1 errors found; 2 the file could not be read."
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check a CIN census return (or an Annex A file) against the DfE rules",
        description=DESCRIPTION,
    )
    kinds = p.add_subparsers(dest="format", metavar="FORMAT", required=True)
    census = kinds.add_parser(
        "cin-census", help="a CIN census return (XML)", description="Check a CIN census return."
    )
    census.add_argument("file", metavar="FILE")
    _output(census)
    census.set_defaults(func=run_census)
    annex = kinds.add_parser(
        "annex-a",
        help="an Annex A workbook or list",
        description="Check List 7 and List 5 with the rules that apply to what Annex A holds.",
    )
    annex.add_argument("file", metavar="FILE")
    annex.add_argument(
        "--reference-date",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date the file speaks for (default: its latest "
        "plan, visit, review, enquiry or ICPC date, as `cptrack import annex-a` "
        "takes it)",
    )
    _output(annex)
    annex.set_defaults(func=run_annex)


def _output(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        dest="output",
        help="a table for people (default), CSV or JSON",
    )
    p.add_argument("--out", metavar="FILE", help="write the report to FILE")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run_census(args: argparse.Namespace) -> int:
    from cptrack.interchange.imports import cin_census

    def check():
        findings, reader = cin_census.validate_file(
            args.file, progress=not args.quiet and sys.stderr.isatty()
        )
        la = f", LA {reader.la_code}" if reader.la_code else ""
        return findings, f"{reader.name}: CIN census, reference date {reader.reference_date}{la}"

    return _run(args, check)


def run_annex(args: argparse.Namespace) -> int:
    from cptrack.interchange.imports import annex_a

    def check():
        findings, annex, reference = annex_a.validate_file(args.file, args.reference_date)
        lists = ", ".join(a.name for a, _ in annex.found)
        return findings, f"{annex.name}: Annex A ({lists}), as at {reference}"

    return _run(args, check)


def _run(args: argparse.Namespace, check) -> int:
    from cptrack.interchange.dataquality import render

    try:
        findings, title = check()
    except ImportFileError as exc:
        print(f"cptrack validate: {exc}", file=sys.stderr)
        return 2
    text = render(findings, args.output, title=title if args.output == "table" else None)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"{title}: {len(findings)} finding(s); report written to {args.out}")
    else:
        sys.stdout.write(text)
    return 1 if (findings["kind"] == "error").any() else 0
