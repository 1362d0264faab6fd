"""Ofsted ILACS Annex A: List 7 (child protection) and List 5 (s47 enquiries and ICPCs).

Checking and importing a file; each job has its own module beside this one:

* ``annex_a_lists`` declares the lists' columns and the headings they go by;
* ``annex_a_file`` finds the lists by their headings, not by sheet names or list numbers,
  in an ``.xlsx`` workbook (any sheets) or a ``.csv`` file (one list), and reads their rows.
  Headings are matched tolerantly (``values.header_key``: case, spacing, punctuation and
  notes in brackets ignored, with the variants the lists give), so "Age" and "Age of Child
  (Years)" are the same column. Values are read as ``cptrack.interchange.imports.values``
  reads them: dates as dates, UK text or Excel serial numbers; Yes/No in their usual forms;
  categories with or without "a)";
* ``annex_a_frames`` turns the rows into census frames for the data-quality rules;
* ``annex_a_staging`` turns them into staged records (``staging``) for ``apply`` to write.

What a row becomes (docs/imports.md has the full table):

* List 7 → the child, the plan (pre-birth when it starts before the date of birth), the
  last statutory visit (seen, and seen alone or not) and the latest review conference.
* List 5 → the child, the strategy discussion that started the s47 enquiry, the enquiry,
  and the ICPC when held. When the workbook's List 7 has a plan starting on the ICPC's
  day, the ICPC is linked to it with the outcome cp_plan; a plan already in cptrack is
  linked too; otherwise the outcome is left unrecorded.
* A date of birth after the reference date is an unborn child's expected date of delivery.
* Columns cptrack has no field for (the EPO column, columns a local version adds) are kept
  aside against the child (``source_extras``); Age is worked out from the date of birth.
* A child in several rows or both lists is one child: the List 7 values win where rows
  disagree, and each disagreement is noted.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

from cptrack.domain.models import today
from cptrack.interchange.imports.annex_a_file import AnnexFile, read
from cptrack.interchange.imports.annex_a_frames import census_data
from cptrack.interchange.imports.annex_a_lists import FORMAT
from cptrack.interchange.imports.annex_a_staging import stage
from cptrack.interchange.imports.apply import run_import
from cptrack.interchange.imports.report import ImportResult
from cptrack.interchange.imports.staging import Batch

EVENT_DATES = ("plan_start", "plan_end", "last_visit", "latest_review", "s47_start", "icpc_date")


def latest_date(annex: AnnexFile) -> dt.date | None:
    """The file's latest event date (plans, visits, reviews, enquiries, ICPCs): the day it
    speaks for when no reference date is given. Dates of birth are left out, since an unborn
    child's is in the future."""
    days = [
        v
        for row in annex.rows
        for name in EVENT_DATES
        if isinstance(v := row.values.get(name), dt.date)
    ]
    return max(days, default=None)


def _reference(annex: AnnexFile, reference: dt.date | None, notes: list[str]) -> dt.date:
    if reference is not None:
        return reference
    latest = latest_date(annex)
    if latest is None:
        notes.append(f"reference date {today()} (today): the file holds no event dates")
        return today()
    notes.append(
        f"reference date {latest} (the file's latest date; give --reference-date to set it)"
    )
    return latest


def validate_file(
    path: str | os.PathLike, reference: dt.date | None = None, *, progress: bool = False
):
    """The data-quality findings for an Annex A file, the file as read, and the reference
    date they were checked as at: ``reference``, else the file's latest event date, as an
    import of the same file would take it."""
    from cptrack.interchange.dataquality import Validator

    annex = read(path, progress=progress)
    reference = _reference(annex, reference, [])
    validator = Validator()
    validator.add(census_data(annex, reference))
    return validator.finish(), annex, reference


def import_file(
    store,
    path: str | os.PathLike,
    reference: dt.date | None = None,
    *,
    partial: bool = False,
    dry_run: bool = False,
    progress: bool = False,
) -> ImportResult:
    """Import List 7 and List 5 from an Annex A file (see ``run_import``); the reference
    date is the day the file speaks for (default: its latest event date)."""
    from cptrack.interchange.dataquality import Validator

    annex = read(path, progress=progress)
    chosen: list[str] = []
    reference = _reference(annex, reference, chosen)
    result = ImportResult(FORMAT, annex.name, reference_date=reference)
    result.notes.extend(annex.notes + chosen)
    found = ", ".join(f"{a.name} in sheet {t.sheet.name!r}" for a, t in annex.found)
    result.notes.insert(0, f"found {found}")
    batch = stage(annex, reference, result.notes)
    validator = Validator()
    validator.add(census_data(annex, reference))
    note = f"import {FORMAT} {annex.name} (sha256 {annex.sha256[:16]}, reference date {reference})"
    try:
        run_import(store, _one(batch), result, partial=partial, dry_run=dry_run, note=note)
    finally:
        result.findings = validator.finish()
    return result


def _one(batch: Batch) -> Iterator[Batch]:
    yield batch
