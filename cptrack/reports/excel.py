"""Excel workbooks from a report's frames (openpyxl): formatted and safe to open.

Each sheet has a bold header row that stays in view (frozen), column widths fitted to the
contents, dates stored as dates (shown dd/mm/yyyy), numbers as numbers, and an autofilter.
Text that a spreadsheet would read as a formula (starting ``=``, ``+``, ``-`` or ``@``, or a
tab or carriage return) is stored as text, never evaluated (``cptrack.interchange.safe_cells``): free text
in a case record cannot run anything on the reader's machine.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cptrack.interchange import safe_cells
from cptrack.reports.registry import REPORTS, ReportError, report_class

DATE_FORMAT = "dd/mm/yyyy"
MAX_WIDTH = 60


def _value(value: Any, kind: str) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "date":
        return pd.Timestamp(value).date()
    if kind == "num":
        return int(value) if float(value).is_integer() else float(value)
    return str(value)


def write_sheet(ws, frame: pd.DataFrame, columns: list[tuple[str, str, str]]) -> None:
    header_fill = PatternFill("solid", fgColor="F3F2F1")
    widths = []
    for j, (_, heading, _) in enumerate(columns, 1):
        c = ws.cell(row=1, column=j)
        safe_cells.xlsx_set(c, heading)
        c.font = Font(bold=True)
        c.fill = header_fill
        c.alignment = Alignment(vertical="top", wrap_text=True)
        widths.append(len(heading))
    data = {name: frame[name].tolist() for name, _, _ in columns} if len(frame) else {}
    for i in range(len(frame)):
        for j, (name, _, kind) in enumerate(columns, 1):
            value = _value(data[name][i], kind)
            c = ws.cell(row=i + 2, column=j)
            safe_cells.xlsx_set(c, value)
            if isinstance(value, str):
                widths[j - 1] = max(widths[j - 1], min(len(value), MAX_WIDTH))
            elif isinstance(value, dt.date):
                c.number_format = DATE_FORMAT
                widths[j - 1] = max(widths[j - 1], 10)
            else:
                widths[j - 1] = max(widths[j - 1], len(str(value)) if value is not None else 0)
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = min(w + 2, MAX_WIDTH + 2)
    ws.freeze_panes = "A2"
    if len(frame):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"


def workbook_bytes(report) -> bytes:
    """The report's sheets (``report.excel_sheets()``) as an .xlsx file's bytes."""
    if not getattr(report, "excel", False):
        with_excel = [n for n in REPORTS if report_class(n).excel]
        raise ReportError(
            f"{report.name} has no Excel export; xlsx is for: {', '.join(with_excel)}"
        )
    wb = Workbook()
    wb.remove(wb.active)
    for title, (frame, columns) in report.excel_sheets().items():
        write_sheet(wb.create_sheet(title), frame, columns)
    wb.properties.title = report.title
    wb.properties.creator = "cptrack"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
