"""Annex A workbooks laid out as Ofsted's template is, filled in as authorities fill it.

Every sheet ``List 1`` to ``List 11``, a title line above each list's headings, the coded
columns holding the drop-down options as the template lists them (``a) Male``,
``a) WBRI``, ``b) No``) with the drop-downs themselves on the cells, blank rows between
children and a notes line under the list. The people are invented (Faker en_GB, seeded);
the values given in a row win over the template's defaults.
"""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path
from typing import Any

from faker import Faker
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from cptrack.domain.models import Ethnicity

D = dt.date.fromisoformat


def lettered(options: list[str]) -> list[str]:
    """The options as the template's drop-down lists show them: ``a) Male``, ``b) Female``."""
    return [f"{letter}) {o}" for letter, o in zip(string.ascii_lowercase, options, strict=False)]


SEX = lettered(["Male", "Female", "Unknown"])
YES_NO = lettered(["Yes", "No"])
CATEGORY = lettered(
    ["Neglect", "Physical abuse", "Emotional abuse", "Sexual abuse", "Multiple/not recommended"]
)
# The template's ethnicity list: the DfE codes, Refused left out, so that NOBT is "s)".
ETHNICITY = lettered([e.value for e in Ethnicity if e.value != "REFU"])

CHILD = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
]
EPO = (
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
    "Months (Y/N)"
)
S47_COUNT = "Number of Section 47 Enquiries in the last 12 months"
LIST_7 = [
    *CHILD,
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    EPO,
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
]
LIST_5 = [
    *CHILD,
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    S47_COUNT,
    "Allocated Team",
    "Allocated Worker",
]
# The other lists, as far as this test needs them: their titles and a few headings.
OTHER_LISTS = {
    1: ("Contacts", ["Child Unique ID", "Gender", "Date of Contact", "Contact Source"]),
    2: ("Early help", ["Child Unique ID", "Gender", "Early Help Assessment Start Date"]),
    3: ("Referrals", ["Child Unique ID", "Gender", "Date of Referral", "Referral Source"]),
    4: ("Assessments", ["Child Unique ID", "Gender", "Assessment Start Date"]),
    6: ("Children in need", ["Child Unique ID", "Gender", "Case Status", "Date of Referral"]),
    8: ("Children in care", ["Child Unique ID", "Gender", "Date Started to be Looked After"]),
    9: ("Care leavers", ["Child Unique ID", "Gender", "Date of Birth", "In Touch"]),
    10: ("Adoption", ["Child Unique ID", "Gender", "Date of Placement Order"]),
    11: ("Adopters", ["Adopter ID", "Date of Approval"]),
}
TITLES = {
    5: "List 5: Section 47 enquiries and initial child protection conferences",
    7: "List 7: Children who are the subject of a child protection plan",
}
DROP_DOWNS = {
    "Gender": SEX,
    "Ethnicity": ETHNICITY,
    "Does the Child have a Disability": YES_NO,
    "Initial Category of Abuse": CATEGORY,
    "Latest Category of Abuse": CATEGORY,
    "Was the Child Seen Alone?": YES_NO,
    EPO: YES_NO,
    "Was an Initial Child Protection Conference deemed unnecessary?": YES_NO,
    "Did the Initial Child Protection Conference Result in a Child Protection Plan": YES_NO,
}
NOTE = "Notes: Age is the child's age in years at the date of the extract."

BLANK = {}  # a blank row between children, as workbooks filled by hand have


def workers(n: int, seed: int = 15) -> list[str]:
    """Invented social workers' names, each with a non-breaking space as case systems
    paste them."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    return [f"{fake.first_name()}\u00a0{fake.last_name()}" for _ in range(n)]


def build(
    path: Path,
    list_7: list[dict[str, Any]],
    list_5: list[dict[str, Any]],
    *,
    notes: bool = True,
) -> Path:
    """A template workbook with these rows (``BLANK`` for a blank row) in Lists 7 and 5."""
    book = Workbook()
    book.remove(book.active)
    for number in range(1, 12):
        ws = book.create_sheet(f"List {number}")
        if number in (5, 7):
            headings, rows = (LIST_7, list_7) if number == 7 else (LIST_5, list_5)
            ws.append([TITLES[number]])
            ws.append(headings)
            for row in rows:
                ws.append([row.get(h) for h in headings])
            if notes:
                ws.append([])
                ws.append([NOTE])
            _drop_downs(ws, headings)
            continue
        title, headings = OTHER_LISTS[number]
        ws.append([f"List {number}: {title}"])
        ws.append(headings)
        ws.append(["X1", "a) Male", D("2026-01-05")][: len(headings)])
    book.save(path)
    return path


def _drop_downs(ws, headings: list[str]) -> None:
    for col, heading in enumerate(headings, start=1):
        options = DROP_DOWNS.get(heading)
        if options is None:
            continue
        letter = ws.cell(row=1, column=col).column_letter
        rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"')
        rule.add(f"{letter}3:{letter}1000")
        ws.add_data_validation(rule)
