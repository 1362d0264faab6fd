"""Case-system extracts as CSV: one file per record type, with a documented column set.

A catalogue: ``CSV_FORMATS`` declares each record type's columns, the cptrack field each
fills and how its values are read (docs/imports.md lists them from it). A case system
(Liquidlogic, Mosaic, Eclipse …) is mapped once to these columns.

Records refer to each other by what the case system knows: ``child_id`` for the child,
``plan_start_date`` for the child's plan starting that day (in the same import, or already
in cptrack). A ``source_id`` column, when given, is the record's id in the case system;
re-importing then matches on it. Without one, records are matched on their natural key
(a plan: child and start date; a visit: child and date; see ``staging.NATURAL_KEYS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cptrack.domain import models
from cptrack.interchange.imports.tables_in_files import Column
from cptrack.interchange.imports.values import (
    blank,
    header_key,
    read_category,
    read_date,
    read_ethnicity,
    read_int,
    read_sex,
    read_yes_no,
    text,
)

FORMAT = "CSV"


def read_code(enum: type[StrEnum], synonyms: dict[str, str] | None = None):
    """A reader for one of ``enum``'s codes, written as the code or in words."""
    words = {header_key(e.value): e.value for e in enum}
    words.update({header_key(k): v for k, v in (synonyms or {}).items()})

    def reader(value: Any) -> str | None:
        if blank(value):
            return None
        found = words.get(header_key(value))
        if found is None:
            raise ValueError(f"{value!r} is not one of {', '.join(e.value for e in enum)}")
        return found

    reader.__name__ = f"read_{enum.__name__.lower()}"
    return reader


CONFERENCE_TYPE = read_code(
    models.ConferenceType,
    {
        "ICPC": "initial",
        "initial child protection conference": "initial",
        "RCPC": "review",
        "review child protection conference": "review",
        "pre-birth": "pre_birth",
        "pre-birth ICPC": "pre_birth",
        "transfer in": "transfer_in",
        "transfer-in conference": "transfer_in",
    },
)
CONFERENCE_OUTCOME = read_code(
    models.ConferenceOutcome,
    {
        "CP plan": "cp_plan",
        "child protection plan": "cp_plan",
        "plan continues": "plan_continues",
        "continue plan": "plan_continues",
        "plan ends": "plan_ends",
        "end plan": "plan_ends",
        "CIN plan": "cin_plan",
        "child in need plan": "cin_plan",
        "NFA": "nfa",
        "no further action": "nfa",
    },
)


@dataclass(frozen=True)
class CsvColumn(Column):
    """A CSV column: its cptrack field (or how it links) and how its values are read."""

    read: Callable[[Any], Any] = text
    field: str = ""  # the record's field; "" for the column's own name

    @property
    def target(self) -> str:
        return self.field or self.name


def col(name: str, read=text, meaning: str = "", *, required: bool = False, field: str = ""):
    return CsvColumn(name, (), required=required, meaning=meaning, read=read, field=field)


SOURCE_ID = col("source_id", meaning="the record's id in the case system (optional)")
CHILD = col("child_id", meaning="the child's id, as in children.csv", required=True)
PLAN_START = col(
    "plan_start_date",
    read_date,
    "links the record to the child's plan starting that day",
)


@dataclass(frozen=True)
class CsvFormat:
    name: str  # the file's record type, as the command and docs say it
    kind: str  # cptrack's record kind
    columns: tuple[CsvColumn, ...]
    about: str

    def column(self, name: str) -> CsvColumn:
        return next(c for c in self.columns if c.name == name)


CSV_FORMATS: dict[str, CsvFormat] = {
    f.name: f
    for f in (
        CsvFormat(
            "children",
            "children",
            (
                col(
                    "child_id",
                    meaning="the child's id (cptrack's child id)",
                    required=True,
                    field="id",
                ),
                col("given_name", meaning="as the family uses it", required=True),
                col("family_name", meaning="the child's surname", required=True),
                col("date_of_birth", read_date, "blank for an unborn child", required=True),
                col("expected_date_of_delivery", read_date, "for an unborn child"),
                col("date_of_death", read_date, "if the child has died"),
                col("sex", read_sex, "M, F or U (Male, Female, Unknown)"),
                col("ethnicity", read_ethnicity, "a DfE code such as WBRI, or its description"),
                col("disability", read_yes_no, "yes or no"),
                col("upn", meaning="unique pupil number"),
                col("first_language", meaning="blank: English"),
                col("interpreter_needed", read_yes_no, "yes or no"),
                col("postcode", meaning="the child's home postcode"),
                col("family_id", meaning="shared by siblings"),
                col(
                    "team",
                    meaning="the allocated team's name (added to cptrack if new)",
                    field="team_id",
                ),
                col("social_worker", meaning="the allocated social worker's name"),
            ),
            "one row per child",
        ),
        CsvFormat(
            "plans",
            "cp_plans",
            (
                CHILD,
                col("start_date", read_date, "the day the plan was made", required=True),
                col("end_date", read_date, "blank while the plan is open"),
                col(
                    "initial_category",
                    read_category,
                    "NEG, PHY, SAB, EMO or MUL, or the label",
                    required=True,
                ),
                col("latest_category", read_category, "blank: the same as the initial category"),
                col("previous_plans", read_int, "number of previous child protection plans"),
                col("pre_birth", read_yes_no, "yes if the plan started before the child was born"),
                col("end_reason", read_code(models.PlanEndReason), "a cptrack end reason code"),
                col("visit_frequency_wd", read_int, "visits due every N working days"),
                col("core_group_frequency_wd", read_int, "core groups due every N working days"),
                SOURCE_ID,
            ),
            "one row per child protection plan",
        ),
        CsvFormat(
            "conferences",
            "conferences",
            (
                CHILD,
                col(
                    "type",
                    CONFERENCE_TYPE,
                    "initial, review, pre_birth or transfer_in (ICPC, RCPC …)",
                    required=True,
                ),
                col("scheduled_date", read_date, "blank: the held date", required=True),
                col("held_date", read_date, "blank if not yet held"),
                col("stood_down", read_yes_no, "yes if the conference was stood down"),
                col(
                    "outcome",
                    CONFERENCE_OUTCOME,
                    "cp_plan, plan_continues, plan_ends, cin_plan or nfa",
                ),
                col("category", read_category, "the category when a plan is made or continues"),
                col("venue_name", meaning="where it was held (000: the same venue throughout)"),
                col("date_set_on", read_date, "the day the conference date was set"),
                col("invitations_requested", read_date, "the day invitations were requested"),
                PLAN_START,
                col("meeting_ref", meaning="shared by siblings discussed together"),
                SOURCE_ID,
            ),
            "one row per child per conference",
        ),
        CsvFormat(
            "core_groups",
            "core_groups",
            (
                CHILD,
                col("date", read_date, "the meeting's date", required=True),
                col(
                    "status",
                    read_code(models.CoreGroupStatus),
                    "held, scheduled or cancelled (blank: held)",
                ),
                col("social_worker_attended", read_yes_no, "yes or no"),
                col("plan_updated", read_yes_no, "yes if the meeting updated the plan"),
                col("plan_distributed", read_date, "the day the updated plan was sent out"),
                PLAN_START,
                SOURCE_ID,
            ),
            "one row per child per core group meeting",
        ),
        CsvFormat(
            "visits",
            "visits",
            (
                CHILD,
                col("date", read_date, "the visit's date", required=True),
                col("seen", read_yes_no, "blank: yes"),
                col("seen_alone", read_yes_no, "yes or no"),
                col("bedroom_seen", read_yes_no, "yes or no"),
                col("visitor", meaning="who visited"),
                PLAN_START,
                SOURCE_ID,
            ),
            "one row per statutory visit",
        ),
        CsvFormat(
            "actions",
            "plan_actions",
            (
                CHILD,
                col("description", meaning="what is to be done", required=True),
                col("owner", meaning="who is to do it", required=True),
                col("due_date", read_date, "by when", required=True),
                col(
                    "status",
                    read_code(models.ActionStatus),
                    "open, done or cancelled (blank: open)",
                ),
                col("completed_date", read_date, "when it was done (status done)"),
                col("agency", read_code(models.Agency), "a cptrack agency code"),
                col("set_date", read_date, "when the action was agreed"),
                PLAN_START,
                SOURCE_ID,
            ),
            "one row per action in a plan",
        ),
    )
}
ORDER = ("children", "plans", "conferences", "core_groups", "visits", "actions")
