"""A plan open on a day: the one definition, on the frames and in SQL."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa


def open_plans(plans: pd.DataFrame, as_of) -> pd.DataFrame:
    """The plans open on ``as_of``: started on or before it and not ended by it (a plan that
    ends on a day is closed that day). The one definition every page, report and command
    uses, so that they count the same plans for any as-of date."""
    day = pd.Timestamp(as_of)
    return plans[
        (plans["start_date"] <= day) & (plans["end_date"].isna() | (plans["end_date"] > day))
    ]


def open_plan_clause(plans: sa.Table, as_of) -> sa.ColumnElement[bool]:
    """``open_plans`` as an SQL condition on the plans table, for counts made in the
    database: the same rule, so both count the same plans for any as-of date."""
    day = pd.Timestamp(as_of).date()
    return sa.and_(
        plans.c.start_date <= day, sa.or_(plans.c.end_date.is_(None), plans.c.end_date > day)
    )
