"""Who may change what: each person's role, enforced in the store on every write.

A person's role is their staff record's ``role`` and their sign-in name its ``login``
(``cptrack staff``). The rule applies when someone is signed in (``JUPYTERHUB_USER`` on the
hub, or a proxy's header through ``cptrack serve --user-header``) or the server is a team
server (``CPTRACK_TEAM_SERVER=1``). On one person's own machine, with nobody signed in, the
operating-system user acts as an administrator, as before roles existed.

- chair: case tracking, midway reviews, conference preparation and records (the conference,
  its attendance and reports, the plan, core groups, visits and actions), escalations; their
  own practice observations, to reflect on and acknowledge them (nothing else in them); and
  the child's and the family's feedback after a conference they chaired ("The chairperson
  will complete child and family feedback with the child and family members where possible
  post conference", 000_8cc237e70824866b.txt), not a professional's.
- QA lead: practice observations and feedback (and, recording feedback, that it was sought
  for its conference: nothing else in a conference).
- manager: reads everything, changes nothing.
- admin: everything: imports, settings, profiles, staff and their logins and roles, and any
  record.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cptrack.domain.models import ObservationStatus, StaffRole
from cptrack.storage.identity import IdentityError, signed_in_user, team_server
from cptrack.storage.tables import table

CHAIR_KINDS = frozenset(
    {
        "case_tracking",
        "midway_reviews",
        "conference_preparations",
        "conferences",
        "attendance",
        "agency_reports",
        "cp_plans",
        "core_groups",
        "visits",
        "plan_actions",
        "escalations",
    }
)
QA_KINDS = frozenset({"observations", "feedback"})
# What a chair may change in an observation of their own practice.
CHAIR_OBSERVATION_FIELDS = frozenset({"chair_reflection", "chair_acknowledged"})
# Whose feedback a chair records, after a conference they chaired (000_8cc237e70824866b.txt).
CHAIR_FEEDBACK_RESPONDENTS = frozenset({"child", "parent"})
# What a QA lead may change in a conference: recording feedback marks it as sought.
QA_CONFERENCE_FIELDS = frozenset({"feedback_sought"})

ROLE_NAMES = {
    StaffRole.CHAIR: "chair",
    StaffRole.QA_LEAD: "QA lead",
    StaffRole.MANAGER: "manager",
    StaffRole.ADMIN: "admin",
}
KIND_WORDS = {
    "case_tracking": "a case-tracking check",
    "midway_reviews": "a midway review",
    "conference_preparations": "a conference preparation",
    "conferences": "a conference",
    "attendance": "a conference's attendance",
    "agency_reports": "an agency report",
    "cp_plans": "a child protection plan",
    "core_groups": "a core group",
    "visits": "a visit",
    "plan_actions": "a plan action",
    "escalations": "an escalation",
    "observations": "a practice observation",
    "feedback": "feedback",
    "staff": "a staff record",
    "settings": "a setting",
    "teams": "a team",
}


def enforced() -> bool:
    """Roles apply when someone is signed in, and always on a team server."""
    return team_server() or signed_in_user() is not None


def staff_for(conn: Connection, login: str) -> dict | None:
    """The active staff record whose login is ``login``."""
    t = table("staff")
    row = conn.execute(sa.select(t).where(t.c.login == login, t.c.active.is_(True))).first()
    return dict(row._mapping) if row else None


def needed(kind: str) -> StaffRole:
    """The role whose work a record of ``kind`` is (admin for everything else)."""
    if kind in CHAIR_KINDS:
        return StaffRole.CHAIR
    if kind in QA_KINDS:
        return StaffRole.QA_LEAD
    return StaffRole.ADMIN


def check_write(
    conn: Connection,
    user: str,
    kind: str,
    before: dict | None,
    changed: dict | None = None,
    delete: bool = False,
) -> None:
    """Refuse (``IdentityError``) a write ``user`` may not make: ``before`` is the stored
    record (None for an insert); ``changed`` the new values of the fields an update changes,
    or of every field of a new record, once validated (before that, None: what only the
    fields decide is left to that call)."""
    if not enforced():
        return
    person = staff_for(conn, user)
    words = KIND_WORDS.get(kind, f"a {kind} record")
    need = needed(kind)
    if person is None:
        raise IdentityError(
            f"{user} has no staff record with that login, so may not change {words}: an "
            "admin gives them one (`cptrack staff --login`). Nothing was saved."
        )
    role = StaffRole(person["role"])
    if role == StaffRole.ADMIN or role == need:
        return
    if role == StaffRole.CHAIR and kind == "observations" and before is not None:
        if before["chair_id"] != person["id"]:
            raise IdentityError(
                "a chair may only reflect on and acknowledge an observation of their own "
                "practice; this one is of another chair. Nothing was saved."
            )
        if not delete and (changed is None or _a_chairs_reflection(before, changed)):
            return
        raise IdentityError(
            "a chair may change only their reflection and acknowledgement in an observation "
            f"of their practice; changing the rest needs the {ROLE_NAMES[need]} role. Nothing "
            "was saved."
        )
    if role == StaffRole.CHAIR and kind == "feedback":
        _check_chairs_feedback(conn, person, before, changed, delete)
        return
    if role == StaffRole.QA_LEAD and kind == "conferences" and before is not None:
        if not delete and (changed is None or set(changed) <= QA_CONFERENCE_FIELDS):
            return
        raise IdentityError(
            "a QA lead may change only whether feedback was sought for a conference; changing "
            "the rest needs the chair role (or admin). Nothing was saved."
        )
    raise IdentityError(
        f"changing {words} needs the {ROLE_NAMES[need]} role"
        + (" (or admin)" if need != StaffRole.ADMIN else "")
        + f"; {person['name']} is a {ROLE_NAMES[role]}. Nothing was saved."
    )


def check_bulk(conn: Connection, user: str, what: str) -> None:
    """Refuse a bulk write (an import, a demo load) by anyone but an admin."""
    if not enforced():
        return
    person = staff_for(conn, user)
    if person is None or StaffRole(person["role"]) != StaffRole.ADMIN:
        who = (
            f"{person['name']} is a {ROLE_NAMES[StaffRole(person['role'])]}"
            if person
            else (f"{user} has no staff record with that login")
        )
        raise IdentityError(f"{what} needs the admin role; {who}. Nothing was saved.")


def _a_chairs_reflection(before: dict, changed: dict) -> bool:
    """Only the chair's reflection and acknowledgement change, and perhaps the status, from
    awaiting the reflection to complete (the observation form's "reflect")."""
    fields = set(changed) - {"status"}
    status_ok = "status" not in changed or (
        before["status"] == ObservationStatus.AWAITING_REFLECTION
        and changed["status"] == ObservationStatus.COMPLETE
    )
    return fields <= CHAIR_OBSERVATION_FIELDS and status_ok


def _check_chairs_feedback(
    conn: Connection, person: dict, before: dict | None, changed: dict | None, delete: bool
) -> None:
    """A chair records the child's and the family's feedback after a conference they chaired:
    refuse anything else (``IdentityError``)."""
    record = {**(before or {}), **(changed or {})}
    if delete:
        raise IdentityError(
            "deleting feedback needs the QA lead role (or admin); a chair records it. "
            "Nothing was saved."
        )
    if record.get("respondent") not in CHAIR_FEEDBACK_RESPONDENTS and (
        before is not None or changed is not None
    ):
        raise IdentityError(
            "a chair records the child's and the family's feedback after a conference; a "
            "professional's feedback needs the QA lead role (or admin). Nothing was saved."
        )
    conference_id = record.get("conference_id")
    if conference_id is None:
        return  # the form's own checks name the missing conference
    conferences = table("conferences")
    chair = conn.execute(
        sa.select(conferences.c.chair_id).where(conferences.c.id == conference_id)
    ).scalar()
    if chair != person["id"]:
        raise IdentityError(
            "a chair records feedback only after a conference they chaired; this conference "
            "was chaired by someone else (a QA lead may record it). Nothing was saved."
        )
