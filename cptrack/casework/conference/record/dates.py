"""The dates after a conference: when the profile says the first core group and the next review
are due (and the dates the form proposes), and, once saved, what the engine says is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cptrack import engine
from cptrack.caseload import load
from cptrack.domain.models import (
    INITIAL_LIKE,
)
from cptrack.domain.values import as_date as _day
from cptrack.domain.values import fmt
from cptrack.engine import reckoning
from cptrack.rules import workdays
from cptrack.rules.profiles import Profile
from cptrack.storage.store import Store


@dataclass(frozen=True)
class Suggestion:
    """When the profile says something is due after a conference, and the date the form
    proposes: the due date, or the last working day before it when it falls on a weekend
    or bank holiday."""

    due: dt.date | None
    book: dt.date | None
    rule: Any = None

    def words(self, profile: Profile) -> str:
        if self.due is None:
            return f"{profile.name} sets no timescale for this."
        return (
            f"Due by {fmt(self.due)} under {profile.name}: {self.rule.describe_timescale()} "
            f"[{self.rule.source_label}]."
        )


def due_by_rule(profile: Profile, event: str, anchor: dt.date, conference_type: str) -> Suggestion:
    """The due date of the profile's first applied rule for ``event`` that applies to this
    conference type, counted from ``anchor``."""
    for rule in profile.rules_for(event):
        if conference_type in rule.applies_to:
            day = reckoning.due_dates(np.array([anchor], dtype="datetime64[D]"), rule)[0]
            due = pd.Timestamp(day).date()
            book = (
                due
                if workdays.is_working_day(due)
                else _day(workdays.add_working_days(due + dt.timedelta(days=1), -1))
            )
            return Suggestion(due, book, rule)
    return Suggestion(None, None)


def suggested_dates(profile: Profile, conference_type: str, held: dt.date) -> dict[str, Suggestion]:
    """When the profile says the first core group and the next review are due after a
    conference held on ``held``, and the dates the form proposes."""
    if conference_type in INITIAL_LIKE:
        return {
            "core_group": due_by_rule(profile, "first_core_group", held, conference_type),
            "review": due_by_rule(profile, "first_review", held, conference_type),
        }
    return {
        "core_group": Suggestion(None, None),
        "review": due_by_rule(profile, "review", held, "review"),
    }


def schedule(
    store: Store, child_id: str, profile: Profile, as_of: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The engine's findings for the child, and the open plan's schedule (``plan_schedule``:
    next review, core group, visit and midway point), read back from the saved records."""
    caseload = load(store, child_ids=[child_id])
    findings = engine.evaluate(caseload, profile, as_of)
    return engine.plan_schedule(findings, profile), findings
