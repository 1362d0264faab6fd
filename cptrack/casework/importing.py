"""The import page without widgets: what an uploaded file is, its dry run, its import, and
the report as HTML. The same importers as ``cptrack import`` (``cptrack.interchange.imports``), each
run one transaction; a dry run abandons its transaction.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cptrack.interchange.imports import annex_a, cin_census
from cptrack.interchange.imports.report import ImportRefused, ImportResult
from cptrack.storage.store import Store

FORMATS = {
    "cin-census": "CIN census return (XML)",
    "annex-a": "Ofsted Annex A workbook (List 5 and List 7)",
}
SHOWN = 200  # problems and values left alone listed on the page; the rest are counted


@dataclass(frozen=True)
class Upload:
    """A file as the page received it."""

    name: str
    data: bytes

    @property
    def format(self) -> str:
        """``cin-census`` for XML, else ``annex-a`` (a workbook, or one list as CSV)."""
        head = self.data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
        return "cin-census" if head.startswith(b"<") else "annex-a"


def run(
    store: Store, upload: Upload, *, dry_run: bool, reference: dt.date | None = None
) -> ImportResult:
    """Check (``dry_run``) or import the file: all or nothing, as ``cptrack import`` does
    without ``--partial``. ``reference`` is Annex A's reference date (default: the file's
    latest date); a census carries its own. Raises ``ImportFileError`` for a file that is
    not what it claims."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(upload.name).name or "upload")
        path.write_bytes(upload.data)
        try:
            if upload.format == "cin-census":
                return cin_census.import_file(store, path, dry_run=dry_run)
            return annex_a.import_file(store, path, reference, dry_run=dry_run)
        except ImportRefused as refused:
            return refused.result
