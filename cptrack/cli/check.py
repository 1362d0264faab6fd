"""``cptrack check``: every timescale and drift finding for a caseload, as at a date."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO

import pandas as pd

from cptrack import engine
from cptrack.caseload import Caseload, load
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
        caseload = load(store, chair_id=chair_id, kinds=engine.KINDS)
    if args.format == "table":  # for people: counted over the whole caseload at once
        write(evaluate(caseload, profile, args.as_of, args.open), "table", profile, args.as_of)
        return 0
    write(in_chunks(caseload, profile, args.as_of, args.open), args.format, profile, args.as_of)
    return 0


def evaluate(caseload: Caseload, profile: profiles.Profile, as_of, open_only: bool):
    findings = engine.evaluate(caseload, profile, as_of)
    return findings[findings["live"]] if open_only else findings


# Children evaluated at a time for CSV and JSON: the engine's working memory is that of this
# many children, whatever the caseload's size (each child's findings are its own: a child
# evaluated with others or alone gets the same rows).
CHUNK_CHILDREN = 10_000


def in_chunks(
    caseload: Caseload,
    profile: profiles.Profile,
    as_of,
    open_only: bool,
    size: int = CHUNK_CHILDREN,
) -> Iterator[pd.DataFrame]:
    """The findings ``evaluate`` gives, in the same order, a chunk of children at a time
    (children in the order of their ids, as the findings frame sorts them)."""
    ids = sorted(caseload.children["id"].astype(str))
    if len(ids) <= size:
        yield evaluate(caseload, profile, as_of, open_only)
        return
    for start in range(0, len(ids), size):
        part = caseload.for_children(ids[start : start + size])
        yield evaluate(part, profile, as_of, open_only)


# Rows written at a time: the text of one batch exists at once, never the whole output's.
BATCH_ROWS = 50_000


def write(
    findings: pd.DataFrame | Iterable[pd.DataFrame],
    fmt: str,
    profile: profiles.Profile,
    as_of: dt.date,
    out: IO[str] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> None:
    out = out if out is not None else sys.stdout
    if fmt == "csv":
        write_csv(findings, out, batch_rows)
    elif fmt == "json":
        write_json(findings, out, batch_rows)
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


def batches(findings, size: int) -> Iterator[pd.DataFrame]:
    """The rows of a frame, or of frames one after another, ``size`` at a time (views)."""
    for frame in [findings] if isinstance(findings, pd.DataFrame) else findings:
        for start in range(0, len(frame), size):
            yield frame.iloc[start : start + size]


def write_csv(findings, out: IO[str], batch_rows: int = BATCH_ROWS) -> None:
    """The findings (a frame, or frames one after another) as CSV (ISO dates, formula-like
    text made safe), a batch at a time: the same text as writing the whole frame at once,
    without ever holding all of it."""
    header = [safe_cells.csv_value(c) for c in engine.COLUMNS]
    written = False
    for batch in batches(findings, batch_rows):
        frame = engine.findings_for_export(batch)
        for col in frame.columns:
            values = frame[col]
            if isinstance(values.dtype, pd.CategoricalDtype):
                # Made safe once per distinct text, not once per row.
                frame[col] = values.map(safe_cells.csv_value)
            elif not (
                pd.api.types.is_numeric_dtype(values.dtype)
                or pd.api.types.is_datetime64_any_dtype(values.dtype)
            ):
                frame[col] = values.astype(object).map(safe_cells.csv_value)
        frame.columns = header
        frame.to_csv(out, index=False, header=not written)
        written = True
    if not written:
        safe_cells.frame_to_csv(engine.empty_findings(), out, index=False)


def write_json(findings, out: IO[str], batch_rows: int = BATCH_ROWS) -> None:
    """The findings (a frame, or frames one after another) as a JSON list of records
    (``json.dump(records, indent=1)``'s text), a batch at a time."""
    first = True
    for batch in batches(findings, batch_rows):
        for record in engine.findings_to_records(batch):
            out.write("[\n" if first else ",\n")
            first = False
            text = json.dumps(record, indent=1)
            out.write(" " + text.replace("\n", "\n "))
    out.write("[]\n" if first else "\n]\n")
