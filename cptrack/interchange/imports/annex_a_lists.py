"""Ofsted ILACS Annex A, List 7 and List 5: their columns, as cptrack reads them.

A catalogue: each list's columns with the headings they go by (``tables_in_files.Column``:
the template's heading first, then the variants found in local versions), and how each
column's values are read (``READERS``), or kept aside (``KEPT_ASIDE``), or left out
(``NOT_STORED``). docs/imports.md is written from it, and cptrack's Annex A export writes
the same columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cptrack.interchange.imports.tables_in_files import Column
from cptrack.interchange.imports.values import (
    read_category,
    read_date,
    read_ethnicity,
    read_int,
    read_sex,
    read_yes_no,
    text,
)

FORMAT = "Annex A"

CHILD_COLUMNS = (
    Column(
        "child_id",
        ("Child Unique ID", "Child ID", "Unique ID", "LAchildID", "Child Identifier"),
        required=True,
        meaning="the child's id in the case system (cptrack's child id)",
    ),
    Column("gender", ("Gender", "Sex"), meaning="Male, Female, Unknown (or M, F, U)"),
    Column("ethnicity", ("Ethnicity", "Ethnic Group"), meaning="a DfE code or its description"),
    Column("date_of_birth", ("Date of Birth", "DOB", "Birth Date")),
    Column(
        "age",
        ("Age of Child (Years)", "Age", "Age of Child", "Age in Years"),
        meaning="read but not stored: cptrack works age out from the date of birth",
    ),
    Column("disability", ("Does the Child have a Disability", "Disability", "Disabled")),
)
TEAM_COLUMNS = (
    Column("team", ("Allocated Team", "Team")),
    Column("worker", ("Allocated Worker", "Social Worker", "Allocated Social Worker")),
)

LIST_7 = (
    *CHILD_COLUMNS,
    Column(
        "plan_start",
        (
            "Child Protection Plan Start Date",
            "CP Plan Start Date",
            "CPP Start Date",
            "Plan Start Date",
        ),
        required=True,
    ),
    Column("initial_category", ("Initial Category of Abuse", "Initial Category"), required=True),
    Column(
        "latest_category",
        ("Latest Category of Abuse", "Latest Category", "Current Category of Abuse"),
        meaning="blank: the same as the initial category",
    ),
    Column(
        "last_visit",
        (
            "Date of the Last Statutory Visit",
            "Date of Last Statutory Visit",
            "Last Statutory Visit",
            "Last Statutory Visit Date",
        ),
    ),
    Column("seen_alone", ("Was the Child Seen Alone?", "Child Seen Alone", "Seen Alone")),
    Column(
        "latest_review",
        (
            "Date of latest review conference",
            "Date of Last Review Conference",
            "Latest Review Conference Date",
            "Last Review Conference",
        ),
    ),
    Column(
        "plan_end",
        ("Child Protection Plan End Date", "CP Plan End Date", "CPP End Date", "Plan End Date"),
    ),
    Column(
        "epo",
        (
            "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
            "Months (Y/N)",
            "EPO or Police Protection in Last Six Months",
        ),
        meaning="kept aside: cptrack has no field for it",
    ),
    Column(
        "previous_plans",
        (
            "Number of Previous Child Protection Plans",
            "Number of Previous CP Plans",
            "Previous Child Protection Plans",
            "Previous CP Plans",
        ),
    ),
    *TEAM_COLUMNS,
)

LIST_5 = (
    *CHILD_COLUMNS,
    Column(
        "s47_start",
        (
            "Strategy discussion initiating Section 47 Enquiry Start Date",
            "Section 47 Enquiry Start Date",
            "Section 47 Start Date",
            "S47 Start Date",
            "Strategy Discussion Date",
            "Date of Strategy Discussion",
        ),
        required=True,
    ),
    Column(
        "icpc_not_required",
        (
            "Was an Initial Child Protection Conference deemed unnecessary?",
            "ICPC Deemed Unnecessary",
            "ICPC Not Required",
        ),
    ),
    Column(
        "icpc_date",
        (
            "Date of Initial Child Protection Conference",
            "Initial Child Protection Conference Date",
            "ICPC Date",
            "Date of ICPC",
        ),
    ),
    Column(
        "icpc_plan",
        (
            "Did the Initial Child Protection Conference Result in a Child Protection Plan",
            "Did the ICPC Result in a CP Plan",
            "ICPC Resulted in CP Plan",
            "CP Plan from ICPC",
        ),
    ),
    *TEAM_COLUMNS,
)
# Read from List 5 when present, though cptrack's own export leaves it out: it counts the
# enquiries it holds.
LIST_5_COUNT = Column(
    "s47_count",
    (
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of S47 Enquiries in the last 12 months",
        "Section 47 Enquiries in the last 12 months",
    ),
    meaning="kept aside: cptrack counts the enquiries it holds",
)


@dataclass(frozen=True)
class AnnexList:
    number: int
    title: str
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        return f"List {self.number}"


LISTS = (
    AnnexList(7, "child protection", LIST_7),
    AnnexList(
        5, "section 47 enquiries and initial child protection conferences", (*LIST_5, LIST_5_COUNT)
    ),
)

# Columns read for a child, in the order the lists give them.
READERS: dict[str, Callable[[Any], Any]] = {
    "child_id": text,
    "gender": read_sex,
    "ethnicity": read_ethnicity,
    "date_of_birth": read_date,
    "disability": read_yes_no,
    "team": text,
    "worker": text,
    "plan_start": read_date,
    "plan_end": read_date,
    "initial_category": read_category,
    "latest_category": read_category,
    "last_visit": read_date,
    "seen_alone": read_yes_no,
    "latest_review": read_date,
    "previous_plans": read_int,
    "s47_start": read_date,
    "icpc_not_required": read_yes_no,
    "icpc_date": read_date,
    "icpc_plan": read_yes_no,
}
NOT_STORED = {"age"}
# Columns cptrack has no field for: checked, then kept aside as the file wrote them.
KEPT_ASIDE: dict[str, Callable[[Any], Any]] = {"epo": read_yes_no, "s47_count": read_int}
