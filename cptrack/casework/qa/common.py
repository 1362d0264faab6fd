"""Look-ups the QA apps share: chairs, observers, the conferences a chair held, the
authority's profile and its observation framework."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

import pandas as pd
import sqlalchemy as sa

from cptrack.quality import observation
from cptrack.rules import profiles
from cptrack.storage import settings
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES

CONFERENCE_TYPES = {
    "initial": "Initial",
    "review": "Review",
    "pre_birth": "Pre-birth",
    "transfer_in": "Transfer-in",
}


def profile_name(store: Store) -> str:
    return str(settings.get("profile", store))


def profile(store: Store) -> profiles.Profile:
    return profiles.load(profile_name(store))


def framework(store: Store) -> observation.Framework:
    """The observation framework of the authority's standards profile."""
    return observation.for_profile(profile(store))


def chair_role(store: Store) -> str:
    """What the authority calls its chairs (Chair, IRO, QARO)."""
    try:
        return profile(store).chair_role
    except profiles.ProfileError:
        return "Chair"


def chairs(store: Store, include_inactive: bool = False) -> pd.DataFrame:
    """The chairs (``id``, ``name``), by name."""
    s = TABLES["staff"]
    q = sa.select(s.c.id, s.c.name, s.c.active).where(s.c.role == "chair").order_by(s.c.name)
    if not include_inactive:
        q = q.where(s.c.active.is_(True))
    with store.engine.connect() as conn:
        result = conn.execute(q)
        return pd.DataFrame(result.fetchall(), columns=["id", "name", "active"])


def observers(store: Store) -> list[tuple[str, int]]:
    """QA leads and managers who observe chairs, as (name, id) options."""
    s = TABLES["staff"]
    q = (
        sa.select(s.c.id, s.c.name, s.c.role)
        .where(s.c.role.in_(("qa_lead", "manager")), s.c.active.is_(True))
        .order_by(s.c.role.desc(), s.c.name)
    )
    with store.engine.connect() as conn:
        return [
            (f"{r.name} ({'QA lead' if r.role == 'qa_lead' else 'manager'})", r.id)
            for r in conn.execute(q)
        ]


def held_conferences(
    store: Store,
    chair_id: int | None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    include: int | None = None,
) -> list[tuple[str, int]]:
    """The conferences a chair held (newest first), one option per meeting (siblings
    discussed together are one meeting; the option carries the first child's conference
    id). ``include`` keeps one conference in the list whatever its date (an observation's
    own, when amending it)."""
    if chair_id is None:
        return []
    c, ch = TABLES["conferences"], TABLES["children"]
    period = sa.true()
    if since is not None:
        period = sa.and_(period, c.c.held_date >= since)
    if until is not None:
        period = sa.and_(period, c.c.held_date <= until)
    if include is not None:
        period = sa.or_(period, c.c.id == include)
    q = (
        sa.select(
            c.c.id,
            c.c.meeting_ref,
            c.c.type,
            c.c.held_date,
            c.c.child_id,
            ch.c.given_name,
            ch.c.family_name,
        )
        .select_from(c.join(ch, ch.c.id == c.c.child_id))
        .where(
            c.c.chair_id == int(chair_id),
            c.c.held_date.is_not(None),
            c.c.stood_down.is_(False),
            period,
        )
        .order_by(c.c.held_date.desc(), c.c.id)
    )
    meetings: OrderedDict[str, list] = OrderedDict()
    with store.engine.connect() as conn:
        for r in conn.execute(q):
            meetings.setdefault(r.meeting_ref or f"c{r.id}", []).append(r)
    options = []
    for rows in meetings.values():
        first = rows[0]
        names = ", ".join(f"{r.given_name} {r.family_name} ({r.child_id})" for r in rows)
        label = (
            f"{first.held_date:%-d %b %Y} · {CONFERENCE_TYPES.get(first.type, first.type)} · "
            f"{names}"
        )
        if include is not None and include in {r.id for r in rows}:
            options.append((label, include))
        else:
            options.append((label, first.id))
    return options


def conference_details(store: Store, conference_id: int | None) -> dict | None:
    """What the form shows about the conference observed: date, type, chair, children."""
    if conference_id is None:
        return None
    conf = store.get("conferences", conference_id)
    if conf is None:
        return None
    c, ch = TABLES["conferences"], TABLES["children"]
    same = c.c.meeting_ref == conf["meeting_ref"] if conf["meeting_ref"] else c.c.id == conf["id"]
    q = (
        sa.select(ch.c.id, ch.c.given_name, ch.c.family_name)
        .select_from(c.join(ch, ch.c.id == c.c.child_id))
        .where(same)
        .order_by(ch.c.id)
    )
    with store.engine.connect() as conn:
        children = [f"{r.given_name} {r.family_name} ({r.id})" for r in conn.execute(q)]
    return {**conf, "children": children}
