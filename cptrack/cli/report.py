"""``cptrack report``: render a report notebook to HTML, PDF (A4), Excel or Word.

``--to`` takes the format (html, pdf, xlsx, docx); as in ``cptrack measures`` it also takes the
period's last day, so ``--from 2026-10-01 --to 2026-10-31 --to pdf`` works: each ``--to`` is
read as a date when it looks like one, as a format otherwise. ``--format`` and ``--until`` say
the same unambiguously. Without a format, the extension of ``--out`` decides.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

from cptrack.cli import add_db_argument
from cptrack.reports import DOCUMENTS, REPORTS, report_class

FORMATS = ("html", "pdf", "xlsx", "docx")


def register(sub: argparse._SubParsersAction) -> None:
    lines = "\n".join(f"  {n:22} {report_class(n).description}" for n in REPORTS)
    p = sub.add_parser(
        "report",
        help="render a report (child summary, caseload, timeliness, ...) to HTML, PDF, Excel or Word",
        description="Render a report notebook from notebooks/reports with no code showing.\n\n"
        f"Reports:\n{lines}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("name", choices=list(REPORTS), metavar="NAME", help="the report (see above)")
    add_db_argument(p)
    p.add_argument("--child", metavar="ID", help="the child (child_summary; documents)")
    p.add_argument("--chair", metavar="NAME_OR_ID", help="one chair (default: every chair)")
    p.add_argument(
        "--all-chairs", action="store_true", help="one file per chair: --out is a folder"
    )
    p.add_argument(
        "--record",
        type=int,
        metavar="ID",
        help="the observation, midway review or conference (documents)",
    )
    p.add_argument(
        "--from",
        dest="start",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="first day of the period (monthly_timeliness: any day of the month)",
    )
    p.add_argument(
        "--to",
        dest="to",
        action="append",
        default=[],
        metavar="FORMAT|YYYY-MM-DD",
        help="the format (html, pdf, xlsx, docx), or the last day of the period",
    )
    p.add_argument(
        "--until",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the last day of the period",
    )
    p.add_argument("--format", choices=FORMATS, help="the format (same as --to FORMAT)")
    p.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the date to judge at (default today)",
    )
    p.add_argument("--profile", metavar="NAME", help="standards profile (default: the database's)")
    p.add_argument(
        "--pseudonymise",
        action="store_true",
        help="for sharing: children and people by stable pseudonyms, ages not dates of "
        "birth, no addresses, free text left out (the key: CPTRACK_PSEUDONYM_KEY or "
        "the pseudonym_key_file setting)",
    )
    p.add_argument(
        "--include-free-text",
        action="store_true",
        help="with --pseudonymise: keep free text, scrubbed of every name the database "
        "holds, child ids, addresses, dates, postcodes, phone numbers and emails",
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="the file to write (a folder with --all-chairs)",
    )
    p.set_defaults(func=run)


def _split_to(args: argparse.Namespace) -> tuple[str | None, dt.date | None]:
    fmt, end = args.format, args.until
    for value in args.to:
        if value.lower() in FORMATS:
            fmt = value.lower()
            continue
        try:
            end = dt.date.fromisoformat(value)
        except ValueError:
            raise SystemExit(
                f"cptrack report: --to {value!r} is neither a format "
                f"({', '.join(FORMATS)}) nor a date (YYYY-MM-DD)"
            ) from None
    if fmt is None:
        suffix = Path(args.out).suffix.lower().lstrip(".")
        fmt = suffix if suffix in FORMATS else None
    if fmt is None:
        raise SystemExit(
            "cptrack report: say the format: --to html, --to pdf, --to xlsx or --to docx"
        )
    return fmt, end


def pseudonymised_note(removed: Counter, include_free_text: bool) -> str:
    """What pseudonymising took out, in words, for the person about to share the file."""
    from cptrack.reports.pseudonyms import KINDS, describe

    if include_free_text:
        return f"Pseudonymised; removed from the text: {describe(removed, KINDS[1:])}"
    left_out = removed.get(KINDS[0], 0)
    return (
        f"Pseudonymised; free text left out ({left_out} "
        f"{'entry' if left_out == 1 else 'entries'}; --include-free-text keeps it, scrubbed)"
    )


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from cptrack.reports import ReportError, filename, pdf, runner
    from cptrack.reports.context import ReportContext

    fmt, end = _split_to(args)
    if fmt == "xlsx" and not report_class(args.name).excel:
        with_excel = [n for n in REPORTS if report_class(n).excel]
        raise SystemExit(
            f"cptrack report: {args.name} has no Excel export; xlsx is for {', '.join(with_excel)}"
        )
    if fmt == "docx" and args.name not in DOCUMENTS:
        raise SystemExit(
            f"cptrack report: {args.name} has no Word version; docx is for {', '.join(DOCUMENTS)}"
        )
    if args.start and end and end < args.start:
        raise SystemExit("cptrack report: the end of the period is before --from")
    if args.include_free_text and not args.pseudonymise:
        raise SystemExit(
            "cptrack report: --include-free-text goes with --pseudonymise "
            "(a report that is not pseudonymised holds its free text)"
        )
    params = {
        "db": args.db,
        "as_of": args.as_of.isoformat() if args.as_of else None,
        "start": args.start.isoformat() if args.start else None,
        "end": end.isoformat() if end else None,
        "child": args.child,
        "chair": args.chair,
        "record": args.record,
        "profile": args.profile,
        "pseudonymise": args.pseudonymise,
        "include_free_text": args.include_free_text,
    }
    if args.pseudonymise:  # the key made (and said) here, not in a report's kernel
        from cptrack.reports.pseudonyms import load_key
        from cptrack.storage.store import Store

        with Store.open(args.db) as store:
            load_key(store)
    jobs: list[tuple[dict, Path]] = []
    if args.all_chairs:
        from cptrack.casework.qa.common import chairs

        ctx = ReportContext.open("", args.db)
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        for row in chairs(ctx.store).itertuples():
            label = ctx.staff_name(row.id) if args.pseudonymise else row.name
            jobs.append(
                (
                    {**params, "chair": str(row.id)},
                    folder / filename(args.name, fmt, chair=label, as_of=params["as_of"]),
                )
            )
        ctx.store.close()
    else:
        jobs.append((params, Path(args.out)))
    printer = pdf.Printer() if fmt == "pdf" else None
    removed: Counter = Counter()
    try:
        if printer is not None:
            printer.__enter__()
        progress = tqdm(jobs, desc=args.name, unit="report", disable=len(jobs) < 2, file=sys.stderr)
        for job_params, out in progress:
            data = runner.render_bytes(args.name, fmt, job_params, printer=printer, removed=removed)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            if len(jobs) == 1:
                print(f"{out}: {args.name} as {fmt}, {len(data):,} bytes")
        if len(jobs) > 1:
            print(f"{args.out}: {len(jobs)} {fmt} files, one per chair")
        if args.pseudonymise:
            print(pseudonymised_note(removed, args.include_free_text))
    except ReportError as exc:
        print(f"cptrack report: {exc}", file=sys.stderr)
        return 2
    finally:
        if printer is not None:
            printer.__exit__(None, None, None)
    return 0
