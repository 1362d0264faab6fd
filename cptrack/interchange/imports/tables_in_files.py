"""Rows from spreadsheets and CSV files, and finding a table in them by its headings.

Annex A workbooks and case-system extracts arrive as ``.xlsx`` or ``.csv``. A sheet may
have title lines above its headings; headings vary in case, spacing and punctuation
(``values.header_key``). ``find_table`` looks for the row of headings that names the
columns a table needs and says which columns it found, which it could not place, and
which required ones are missing.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cptrack.interchange.imports.report import ImportFileError
from cptrack.interchange.imports.values import blank, header_key

HEADING_SEARCH_ROWS = 30


@dataclass(frozen=True)
class Column:
    """A column a table can have: cptrack's name for it and the headings files use."""

    name: str
    headings: tuple[str, ...]
    required: bool = False
    meaning: str = ""

    @property
    def keys(self) -> set[str]:
        return {header_key(h) for h in (self.name, *self.headings)}


@dataclass
class Sheet:
    """One sheet (or a CSV file): its name and its rows as lists of cell values."""

    name: str
    rows: list[list[Any]]


@dataclass
class FoundTable:
    """Where a table's headings are in a sheet, and what each column holds."""

    sheet: Sheet
    heading_row: int  # 0-based index in ``sheet.rows``
    columns: dict[str, int]  # column name -> position
    unplaced: dict[int, str] = field(default_factory=dict)  # position -> heading not known

    def records(self) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
        """(row number as a spreadsheet shows it, values by column, unplaced values by
        heading) for each row below the headings that is not blank."""
        for i in range(self.heading_row + 1, len(self.sheet.rows)):
            row = self.sheet.rows[i]
            if all(blank(v) for v in row):
                continue
            values = {
                name: row[pos] if pos < len(row) else None for name, pos in self.columns.items()
            }
            extra = {
                heading: row[pos]
                for pos, heading in self.unplaced.items()
                if pos < len(row) and not blank(row[pos])
            }
            yield i + 1, values, extra


def read_sheets(path: str | os.PathLike, *, expect: str) -> list[Sheet]:
    """Every sheet of an ``.xlsx`` workbook, or the one table of a ``.csv`` file.

    ``expect`` names what the file should be, for messages ("an Annex A workbook").
    """
    p = Path(path)
    if not p.exists():
        raise ImportFileError(f"{p} does not exist")
    if p.is_dir():
        raise ImportFileError(f"{p} is a folder, not a file")
    data = p.read_bytes()
    if not data.strip():
        raise ImportFileError(f"{p.name} is empty")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_sheets(p, expect)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            f"{p.name} is an old Excel (.xls) file; save it as .xlsx (Excel Workbook) or CSV"
        )
    text = _decode(data)
    if text.lstrip().startswith("<"):
        raise ImportFileError(
            f"{p.name} is XML, not {expect}; for a CIN census return use "
            "`cptrack import cin-census`"
        )
    rows = [list(r) for r in csv.reader(io.StringIO(text))]
    return [Sheet(p.name, rows)]


def _decode(data: bytes) -> str:
    """CSV text: UTF-8 (with or without Excel's byte-order mark), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _xlsx_sheets(path: Path, expect: str) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged workbook
        raise ImportFileError(f"{path.name} cannot be read as {expect}: {exc}") from None
    try:
        return [
            Sheet(ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
            for ws in workbook.worksheets
        ]
    finally:
        workbook.close()


def find_table(sheet: Sheet, columns: tuple[Column, ...]) -> FoundTable | None:
    """The row of headings in the first rows of ``sheet`` that names every required column
    (the one naming most columns, if several do); None when no row does."""
    by_key = {k: c.name for c in columns for k in c.keys}
    best: FoundTable | None = None
    for i, row in enumerate(sheet.rows[:HEADING_SEARCH_ROWS]):
        placed: dict[str, int] = {}
        unplaced: dict[int, str] = {}
        for pos, cell in enumerate(row):
            if blank(cell):
                continue
            name = by_key.get(header_key(cell))
            if name is not None and name not in placed:
                placed[name] = pos
            else:
                unplaced[pos] = str(cell).strip()
        if not all(c.name in placed for c in columns if c.required):
            continue
        if best is None or len(placed) > len(best.columns):
            best = FoundTable(sheet, i, placed, unplaced)
    return best


def headings_seen(sheet: Sheet) -> list[str]:
    """The non-blank cells of the fullest of the first rows: what the sheet's headings
    probably are, for a message when no table was found."""
    rows = sheet.rows[:HEADING_SEARCH_ROWS]
    if not rows:
        return []
    fullest = max(rows, key=lambda r: sum(not blank(v) for v in r))
    return [str(v).strip() for v in fullest if not blank(v)]
