"""Children per chair, counted in the database for the home page."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cptrack.caseload.open_plan import open_plan_clause
from cptrack.domain.models import today
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES


def chair_summary(store: Store, as_of=None) -> pd.DataFrame:
    """Children per chair on ``as_of`` (default today): allocated, on an open plan,
    awaiting an initial conference.

    Counted in the database (a few aggregate queries), so the home page is quick however
    large the caseload. Children with no chair are counted under chair ``None``.
    """
    children, plans = TABLES["children"], TABLES["cp_plans"]
    staff, teams = TABLES["staff"], TABLES["teams"]
    s47, conferences = TABLES["s47_enquiries"], TABLES["conferences"]
    open_plan = sa.exists().where(
        plans.c.child_id == children.c.id, open_plan_clause(plans, as_of or today())
    )
    held_initial = sa.exists().where(
        conferences.c.child_id == s47.c.child_id,  # the enquiry's child (correlated)
        conferences.c.type.in_(("initial", "pre_birth", "transfer_in")),
        conferences.c.held_date.is_not(None),
        conferences.c.held_date >= s47.c.start_date,
    )
    awaiting = sa.exists().where(
        s47.c.child_id == children.c.id,
        s47.c.icpc_not_required.is_(False),
        s47.c.completed_date.is_(None),
        ~held_initial,
    )
    q = (
        sa.select(
            children.c.chair_id,
            sa.func.count().label("children"),
            sa.func.sum(sa.case((open_plan, 1), else_=0)).label("on_plan"),
            sa.func.sum(sa.case((awaiting, 1), else_=0)).label("awaiting_icpc"),
        )
        .group_by(children.c.chair_id)
        .subquery()
    )
    full = (
        sa.select(
            staff.c.id.label("chair_id"),
            staff.c.name.label("chair"),
            teams.c.name.label("team"),
            sa.func.coalesce(q.c.children, 0).label("children"),
            sa.func.coalesce(q.c.on_plan, 0).label("on_plan"),
            sa.func.coalesce(q.c.awaiting_icpc, 0).label("awaiting_icpc"),
        )
        .select_from(
            staff.outerjoin(q, q.c.chair_id == staff.c.id).outerjoin(
                teams, teams.c.id == staff.c.team_id
            )
        )
        .where(staff.c.role == "chair")
        .order_by(staff.c.name)
    )
    with store.engine.connect() as conn:
        result = conn.execute(full)
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        unallocated = conn.execute(
            sa.select(sa.func.count()).where(children.c.chair_id.is_(None))
        ).scalar_one()
    for col in ("children", "on_plan", "awaiting_icpc"):
        frame[col] = frame[col].astype("int64")
    frame.attrs["unallocated"] = int(unallocated)
    return frame
