"""The conferences a chair has to prepare or record, and what one conference's forms read.

``conferences`` lists, straight from the database (quick on a large caseload), every
conference booked and not yet held or stood down, and those held in the last
``recent_days``, with the child's name and the chair. ``open_conference`` gathers what
the preparation and record forms need for one conference: its row, the child, the child's
caseload, and the engine's findings for the child against the profile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa

from cptrack import engine
from cptrack.caseload import Caseload, load
from cptrack.domain.models import ConferenceType, FieldError, RecordError
from cptrack.domain.values import row_dict as _row
from cptrack.rules.profiles import Profile
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES

TYPE_WORDS = {
    ConferenceType.INITIAL.value: "Initial",
    ConferenceType.REVIEW.value: "Review",
    ConferenceType.PRE_BIRTH.value: "Pre-birth",
    ConferenceType.TRANSFER_IN.value: "Transfer-in",
}
RECENT_DAYS = 60
AHEAD_DAYS = 42  # booked conferences this far ahead are listed (six weeks: time to prepare)


def conferences(
    store: Store,
    as_of: dt.date,
    *,
    chair_id: int | None = None,
    recent_days: int = RECENT_DAYS,
    ahead_days: int = AHEAD_DAYS,
) -> pd.DataFrame:
    """Conferences to prepare (booked within the next ``ahead_days``, or booked earlier and
    not yet recorded, and not stood down) and those held in the last ``recent_days`` days,
    soonest first; columns ``id``, ``child_id``, ``child_name``,
    ``type``, ``when`` (held or scheduled date), ``scheduled_time``, ``held``, ``chair``,
    ``plan_id``."""
    c, ch, st = TABLES["conferences"], TABLES["children"], TABLES["staff"]
    since = as_of - dt.timedelta(days=recent_days)
    until = as_of + dt.timedelta(days=ahead_days)
    q = (
        sa.select(
            c.c.id,
            c.c.child_id,
            c.c.type,
            c.c.scheduled_date,
            c.c.scheduled_time,
            c.c.held_date,
            c.c.plan_id,
            c.c.chair_id,
            ch.c.given_name,
            ch.c.family_name,
            st.c.name.label("chair"),
        )
        .select_from(c.join(ch, ch.c.id == c.c.child_id).outerjoin(st, st.c.id == c.c.chair_id))
        .where(
            c.c.stood_down.is_(False),
            sa.or_(
                sa.and_(c.c.held_date.is_(None), c.c.scheduled_date <= until),
                c.c.held_date >= since,
            ),
        )
    )
    if chair_id is not None:
        q = q.where(c.c.chair_id == int(chair_id))
    with store.engine.connect() as conn:
        result = conn.execute(q)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "id",
                "child_id",
                "child_name",
                "type",
                "when",
                "scheduled_time",
                "held",
                "chair",
                "chair_id",
                "plan_id",
            ]
        )
    frame["child_name"] = frame["given_name"] + " " + frame["family_name"]
    frame["plan_id"] = frame["plan_id"].astype("Int64")
    frame["held"] = frame["held_date"].notna()
    frame["when"] = frame["held_date"].where(frame["held"], frame["scheduled_date"])
    frame = frame.sort_values(["held", "when", "id"], ascending=[True, True, True])
    cols = [
        "id",
        "child_id",
        "child_name",
        "type",
        "when",
        "scheduled_time",
        "held",
        "chair",
        "chair_id",
        "plan_id",
    ]
    return frame[cols].reset_index(drop=True)


def label(row: Any) -> str:
    """One line naming a conference in a list: date, type, child."""
    when = row["when"]
    time = row.get("scheduled_time") if hasattr(row, "get") else None
    at = f" {time:%H:%M}" if isinstance(time, dt.time) and not row["held"] else ""
    state = "held" if row["held"] else "booked"
    return (
        f"{when:%a %-d %b %Y}{at} · {TYPE_WORDS.get(row['type'], row['type'])} ({state}) · "
        f"{row['child_id']} {row['child_name']}"
    )


@dataclass
class ConferenceFile:
    """Everything the forms read about one conference."""

    conference: dict
    child: dict
    caseload: Caseload
    findings: pd.DataFrame
    profile: Profile
    as_of: dt.date

    @property
    def id(self) -> int:
        return int(self.conference["id"])

    @property
    def child_id(self) -> str:
        return str(self.conference["child_id"])

    @property
    def type(self) -> str:
        return str(self.conference["type"])

    @property
    def date(self) -> dt.date:
        return self.conference["held_date"] or self.conference["scheduled_date"]

    @property
    def child_name(self) -> str:
        return f"{self.child['given_name']} {self.child['family_name']}"

    @property
    def held(self) -> bool:
        return self.conference["held_date"] is not None

    def age_on(self, day: dt.date) -> int | None:
        """The child's age in whole years on ``day`` (None when not yet born)."""
        born = self.child.get("date_of_birth")
        if born is None or born > day:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def plan(self) -> dict | None:
        """The plan this conference is about: its own, else the child's open plan."""
        plans = self.caseload.cp_plans
        if self.conference.get("plan_id") is not None:
            found = plans[plans["id"] == self.conference["plan_id"]]
        else:
            found = plans[plans["end_date"].isna()]
        if found.empty:
            return None
        return _row(found.iloc[-1])

    def chair_name(self) -> str:
        staff = self.caseload.staff
        found = staff[staff["id"] == self.conference.get("chair_id")]
        return str(found.iloc[0]["name"]) if len(found) else "no chair allocated"


def open_conference(
    store: Store, conference_id: int, profile: Profile, as_of: dt.date
) -> ConferenceFile:
    """Read one conference and its child's caseload, and evaluate the child's findings."""
    conference = store.get("conferences", conference_id)
    if conference is None:
        raise RecordError(
            "Conference", [FieldError("conference", f"there is no conference {conference_id}")]
        )
    child = store.get("children", conference["child_id"])
    caseload = load(store, child_ids=[conference["child_id"]])
    findings = engine.evaluate(caseload, profile, as_of)
    return ConferenceFile(conference, child, caseload, findings, profile, as_of)
