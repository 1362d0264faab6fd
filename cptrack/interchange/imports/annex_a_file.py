"""An Annex A file read: its lists found by their headings, their rows read into values.

Lists are found by their headings, not by sheet names or list numbers, in an ``.xlsx``
workbook (any sheets) or a ``.csv`` file (one list). Each row's values are read as
``annex_a_lists`` says, keeping each value that cannot be read with the reason, and the
columns the lists do not have, to be kept aside. Notes under a list are passed over.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cptrack.interchange.imports.annex_a_lists import (
    KEPT_ASIDE,
    LISTS,
    NOT_STORED,
    READERS,
    AnnexList,
)
from cptrack.interchange.imports.report import ImportFileError
from cptrack.interchange.imports.tables_in_files import (
    FoundTable,
    find_table,
    headings_seen,
    read_sheets,
)
from cptrack.interchange.imports.values import blank, text


@dataclass
class Row:
    """One row of a list, read: values by column, problems by column, extras by heading."""

    annex: AnnexList
    where: str
    values: dict[str, Any]
    errors: dict[str, str]
    extras: dict[str, str]

    @property
    def child(self) -> str | None:
        return self.values.get("child_id")


@dataclass
class AnnexFile:
    """The lists found in a file, read into rows."""

    name: str
    sha256: str
    found: list[tuple[AnnexList, FoundTable]]
    rows: list[Row]
    notes: list[str]


def read(path: str | os.PathLike, *, progress: bool = False) -> AnnexFile:
    """Find List 7 and List 5 in the file and read their rows."""
    p = Path(path)
    sheets = read_sheets(p, expect="an Annex A workbook")
    digest = hashlib.sha256(p.read_bytes()).hexdigest()
    found: list[tuple[AnnexList, FoundTable]] = []
    notes: list[str] = []
    other: list[str] = []
    for sheet in sheets:
        tables = [(a, find_table(sheet, a.columns)) for a in LISTS]
        tables = [(a, t) for a, t in tables if t is not None]
        if not tables:
            if any(sheet.rows):
                other.append(repr(sheet.name))
            continue
        annex, table = max(tables, key=lambda at: len(at[1].columns))
        found.append((annex, table))
        if table.unplaced:
            kept = ", ".join(repr(h) for h in table.unplaced.values())
            notes.append(
                f"{annex.name} in sheet {sheet.name!r}: columns {kept} are not Annex A "
                "columns cptrack reads; their values are kept aside"
            )
    if other:
        notes.append(
            f"{'sheets' if len(other) > 1 else 'sheet'} {', '.join(other)}: "
            "not List 5 or List 7; not read"
        )
    if not found:
        raise ImportFileError(_not_found(p.name, sheets))
    rows: list[Row] = []
    bar = _progress(sum(len(t.sheet.rows) for _, t in found), p.name) if progress else None
    for annex, table in sorted(found, key=lambda at: -at[0].number):  # List 7 first
        csv_file = len(sheets) == 1 and not p.suffix.lower().startswith(".xls")
        for number, values, extra in table.records():
            where = f"row {number}" if csv_file else f"{table.sheet.name} row {number}"
            note = _note(values, extra)
            if note is not None:
                notes.append(f"{where} is a note, not a child ({note[:60]!r}); not read")
            else:
                rows.append(_read_row(annex, where, values, extra))
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return AnnexFile(p.name, digest, found, rows, notes)


def _note(values: dict[str, Any], extra: dict[str, Any]) -> str | None:
    """The text of a row that is a note under a list (one cell, words with spaces, as the
    template's "Notes:" lines are), else None: a child's row never holds only that."""
    filled = [v for v in (*values.values(), *extra.values()) if not blank(v)]
    if len(filled) != 1 or not isinstance(filled[0], str):
        return None
    words = text(filled[0]) or ""
    return words if " " in words else None


def _progress(total: int, name: str):
    from tqdm import tqdm

    return tqdm(total=total, unit="row", desc=name, file=sys.stderr, leave=False)


def _not_found(name: str, sheets) -> str:
    wanted = "; ".join(
        f"{a.name} ({a.title}) needs "
        + ", ".join(repr(c.headings[0]) for c in a.columns if c.required)
        for a in LISTS
    )
    seen = "; ".join(
        f"sheet {s.name!r}: " + (", ".join(repr(h) for h in headings_seen(s)[:12]) or "empty")
        for s in sheets
    )
    return f"no Annex A list found in {name}. {wanted}. Headings found: {seen}"


def _read_row(annex: AnnexList, where: str, raw: dict[str, Any], extra: dict) -> Row:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        if name in NOT_STORED:
            continue
        if name in KEPT_ASIDE:
            try:
                KEPT_ASIDE[name](value)
            except ValueError as exc:
                errors[name] = str(exc)
                continue
            if text(value) is not None:
                heading = next(c.headings[0] for c in annex.columns if c.name == name)
                extra = {**extra, heading: value}
            continue
        try:
            values[name] = READERS[name](value)
        except ValueError as exc:
            errors[name] = str(exc)
    return Row(annex, where, values, errors, {k: text(v) or "" for k, v in extra.items()})
