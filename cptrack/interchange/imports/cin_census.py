"""The DfE Children in Need census return (XML): checking and importing it.

Each job has its own module beside this one:

* ``cin_census_file`` opens the file and streams its children; ``cin_census_child`` reads
  each ``Child`` into plain values, then it is released, so memory stays flat however many
  children the return holds;
* ``cin_census_frames`` turns a batch of children into census frames
  (``cptrack.interchange.dataquality.census``) with the values as the file gives them, for
  the DfE rules and cptrack's own checks;
* ``cin_census_staging`` turns them into staged records (``staging``) for ``apply`` to write.

What a census says, in cptrack's records (docs/imports.md has the full table):

* ``Child`` → a child, ``id`` = LAchildID. The census has no names: a new child is called
  "Child <LAchildID>" until a case-system extract gives names; names are never overwritten.
* ``CINdetails`` → a CIN episode; ``CINPlanDates`` → CIN plans; ``Section47`` → an s47
  enquiry and the strategy discussion that started it (the census defines
  S47ActualStartDate as that discussion's date).
* ``DateOfInitialCPC`` (in ``Section47``, or in ``CINdetails`` when there is no s47) → an
  initial conference, pre-birth when the child was not yet born. A plan starting that day
  (DfE 2885) is linked to it and gives its outcome (cp_plan) and category; a CIN plan
  starting that day gives the outcome cin_plan; otherwise the outcome is left unrecorded.
* ``ChildProtectionPlans`` → a plan; each ``CPPreviewDate`` → a review conference on that
  plan, whose outcome is plan_ends on the plan's end date and plan_continues (with the
  latest category) before it. Outcomes and categories inferred this way are written only
  when cptrack does not already hold the conference.
* Elements outside this part of the DfE specification are kept aside (``source_extras``).
  Elements of the specification cptrack does not model (assessments, referral source,
  primary need, UPN unknown reasons) are read for the DfE rules and not stored.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from cptrack.interchange.imports.cin_census_file import FORMAT, CensusReader
from cptrack.interchange.imports.cin_census_frames import census_data
from cptrack.interchange.imports.cin_census_staging import stage_child
from cptrack.interchange.imports.staging import Batch

BATCH_CHILDREN = 5000


def validate_file(
    path: str | os.PathLike, *, progress: bool = False, batch_children: int = BATCH_CHILDREN
):
    """The data-quality findings for a census file, and its reader (for the header)."""
    from cptrack.interchange.dataquality import Validator

    reader = CensusReader(path, progress=progress)
    validator = Validator()
    for chunk in reader.batches(batch_children):
        validator.add(census_data(chunk, reader.reference_date))
    if validator.last is None:
        validator.add(census_data([], reader.reference_date))
    return validator.finish(), reader


def import_file(
    store,
    path: str | os.PathLike,
    *,
    partial: bool = False,
    dry_run: bool = False,
    progress: bool = False,
    batch_children: int = BATCH_CHILDREN,
):
    """Import a census return into ``store`` (see ``cptrack.interchange.imports.apply.run_import``)."""
    from cptrack.interchange.dataquality import Validator
    from cptrack.interchange.imports.apply import run_import
    from cptrack.interchange.imports.report import ImportResult

    reader = CensusReader(path, progress=progress)
    result = ImportResult(FORMAT, reader.name, reference_date=reader.reference_date)
    validator = Validator()
    source = reader.source_label

    def batches() -> Iterator[Batch]:
        for chunk in reader.batches(batch_children):
            validator.add(census_data(chunk, reader.reference_date))
            batch = Batch()
            for child in chunk:
                stage_child(child, batch, source)
            yield batch

    note = (
        f"import {FORMAT} {reader.name} (sha256 {reader.sha256[:16]}, reference date "
        f"{reader.reference_date}{', LA ' + reader.la_code if reader.la_code else ''})"
    )
    try:
        run_import(store, batches(), result, partial=partial, dry_run=dry_run, note=note)
    finally:
        reader.close()
        if validator.last is None:
            validator.add(census_data([], reader.reference_date))
        result.findings = validator.finish()
        if reader.extras_count:
            result.notes.append(
                f"{reader.extras_count} element(s) outside the DfE specification cptrack reads "
                "were kept aside (source_extras)"
            )
    return result
