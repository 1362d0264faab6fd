"""One case-system CSV extract read: its header checked, its rows read into values.

Headings are matched tolerantly in form ("Child ID", "child_id" and "CHILD-ID" are the
same) but strictly in content: a heading that is not a column of the file's record type
(``csv_formats``) is an error, so a misspelt column is never silently dropped. The error
lists the columns expected and the ones found. A value that cannot be read is kept with
the reason, for its record to be refused.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cptrack.interchange.imports.csv_formats import CSV_FORMATS, CsvFormat
from cptrack.interchange.imports.report import ImportFileError
from cptrack.interchange.imports.tables_in_files import read_sheets
from cptrack.interchange.imports.values import blank, header_key


@dataclass
class CsvRow:
    format: CsvFormat
    where: str
    values: dict[str, Any]
    errors: dict[str, str]


@dataclass
class CsvFile:
    format: CsvFormat
    name: str
    sha256: str
    rows: list[CsvRow]


def read_file(path: str | os.PathLike, record_type: str) -> CsvFile:
    """Read one CSV file of ``record_type``, checking its header against the column set."""
    if record_type not in CSV_FORMATS:
        raise ImportFileError(
            f"no CSV format {record_type!r}; the formats are {', '.join(CSV_FORMATS)}"
        )
    fmt = CSV_FORMATS[record_type]
    p = Path(path)
    sheets = read_sheets(p, expect=f"a {record_type} CSV file")
    if p.suffix.lower() == ".xlsx" or len(sheets) != 1:
        raise ImportFileError(f"{p.name}: save the {record_type} extract as CSV, not a workbook")
    rows = sheets[0].rows
    header = rows[0]
    by_key = {header_key(c.name): c for c in fmt.columns}
    positions: dict[str, int] = {}
    unknown = []
    for pos, heading in enumerate(header):
        found = by_key.get(header_key(heading))
        if found is None or found.name in positions:
            unknown.append(str(heading))
        else:
            positions[found.name] = pos
    missing = [c.name for c in fmt.columns if c.required and c.name not in positions]
    if missing or unknown:
        parts = [f"{p.name}: the header does not match the {record_type} columns."]
        if missing:
            parts.append(f"Missing: {', '.join(missing)}.")
        if unknown:
            parts.append(f"Not recognised: {', '.join(repr(h) for h in unknown)}.")
        parts.append(
            f"Expected: {', '.join(c.name for c in fmt.columns)} (required: "
            f"{', '.join(c.name for c in fmt.columns if c.required)})."
        )
        parts.append(f"Found: {', '.join(repr(str(h)) for h in header)}.")
        raise ImportFileError(" ".join(parts))
    out = []
    for n, row in enumerate(rows[1:], 2):
        if all(blank(v) for v in row):
            continue
        values, errors = {}, {}
        for name, pos in positions.items():
            raw = row[pos] if pos < len(row) else None
            try:
                values[name] = fmt.column(name).read(raw)
            except ValueError as exc:
                errors[name] = str(exc)
        out.append(CsvRow(fmt, f"{p.name} row {n}", values, errors))
    return CsvFile(fmt, p.name, hashlib.sha256(p.read_bytes()).hexdigest(), out)
