"""Cells for spreadsheets and CSV files that never become formulas.

Every CSV and .xlsx file cptrack writes goes through here. Text that a spreadsheet would read
as a formula (it starts with ``=``, ``+``, ``-`` or ``@``, or a tab or carriage return: the
OWASP guidance on CSV injection) is stored as text:

* in a CSV file, behind a single quote (``'=1+2``), which Excel and LibreOffice show and do
  not evaluate;
* in an .xlsx workbook, as a string cell (never a formula cell), marked with Excel's quote
  prefix so that editing the cell keeps it text.

Numbers and dates are not text: they stay numbers and dates (a negative number stays a
number), and so does text that is a plain number (``-5``, ``+3.5``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def risky(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet would read as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
    )


def csv_value(value: Any) -> Any:
    """``value`` as a CSV cell: formula-like text behind a single quote, the rest unchanged."""
    return "'" + value if risky(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(v) for v in values]


def write_csv(out: IO[str], headings: Iterable[Any], rows: Iterable[Iterable[Any]]) -> None:
    """Write a heading row and ``rows`` to ``out`` (opened with ``newline=""``)."""
    writer = csv.writer(out)
    writer.writerow(csv_row(headings))
    for row in rows:
        writer.writerow(csv_row(row))


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text columns (and headings) are safe CSV cells."""
    out = frame.copy()
    for col in out.columns:
        kind = out[col].dtype
        if not (pd.api.types.is_numeric_dtype(kind) or pd.api.types.is_datetime64_any_dtype(kind)):
            out[col] = out[col].astype(object).map(csv_value)
    out.columns = [csv_value(c) for c in out.columns]
    return out


def frame_to_csv(frame: pd.DataFrame, out: IO[str] | None = None, **kwargs: Any) -> str | None:
    """``frame.to_csv(out, **kwargs)`` with every text cell made safe."""
    return safe_frame(frame).to_csv(out, **kwargs)


def xlsx_set(cell, value: Any) -> None:
    """Put ``value`` in an openpyxl cell (a normal or write-only one): text always as a string
    cell, never a formula; numbers, dates and empty cells as themselves."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes a formula of any str starting "="
        if risky(value):
            cell.quotePrefix = True


def xlsx_row(sheet, values: Iterable[Any]) -> list:
    """Write-only cells for ``sheet.append``: each value placed by ``xlsx_set``."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet)
        xlsx_set(cell, value)
        cells.append(cell)
    return cells
