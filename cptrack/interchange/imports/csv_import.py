"""Case-system extracts as CSV: checking and importing a set of files together.

Each job has its own module beside this one: ``csv_formats`` declares the record types and
their columns (docs/imports.md lists them), ``csv_file`` reads one file against its column
set, ``csv_frames`` turns the files into census frames for the data-quality rules, and
``csv_staging`` turns them into staged records (``staging``) for ``apply`` to write.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

from cptrack.interchange.imports.apply import run_import
from cptrack.interchange.imports.csv_file import read_file
from cptrack.interchange.imports.csv_formats import CSV_FORMATS, FORMAT
from cptrack.interchange.imports.csv_frames import census_data
from cptrack.interchange.imports.csv_staging import stage
from cptrack.interchange.imports.report import ImportFileError, ImportResult
from cptrack.interchange.imports.staging import Batch


def import_files(
    store,
    files: dict[str, str | os.PathLike],
    reference: dt.date,
    *,
    partial: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import CSV files by record type (``{"children": path, "plans": path, …}``) together,
    in one transaction."""
    if not files:
        raise ImportFileError(f"no CSV files given; the formats are {', '.join(CSV_FORMATS)}")
    read = [read_file(path, record_type) for record_type, path in files.items()]
    names = ", ".join(f.name for f in read)
    result = ImportResult(FORMAT, names, reference_date=reference)
    from cptrack.interchange.dataquality import Validator

    validator = Validator()
    validator.add(census_data(read, reference))
    digests = ", ".join(f"{f.name} sha256 {f.sha256[:16]}" for f in read)
    note = f"import {FORMAT} {digests}, reference date {reference}"
    try:
        run_import(store, _one(stage(read)), result, partial=partial, dry_run=dry_run, note=note)
    finally:
        result.findings = validator.finish()
    return result


def _one(batch: Batch) -> Iterator[Batch]:
    yield batch
