"""The staff and roles page's model: who works in the service, the name each signs in with
and their role, and the admin's changes to them. No widgets.

A person's role decides what they may change (``cptrack.storage.roles``, docs/roles.md) and their
login is the name they sign in with (the hub's user name, or a signing-in proxy's header):
the audit records every change under it. This page is the admin's way to set both, beside
``cptrack staff``.

* ``listing``: every staff member with their role, login, team and whether they may still
  sign in; admins first, then by role and name.
* ``viewer``: who is looking, and whether they may change anything (an admin, or, on one
  person's own machine with nobody signed in, the operating-system user, who acts as one).
* ``PersonChange``: the form for one person, new or existing; ``problems`` names each field
  that is wrong before anything is written.
* ``save``: one transaction with one audit row naming the signed-in admin. The store
  refuses anyone else (``IdentityError``: "changing a staff record needs the admin role");
  an admin may not take away their own admin role or sign-in, so a team server always keeps
  one admin who can put things right.
"""

from __future__ import annotations

from dataclasses import dataclass

from cptrack.domain.models import FieldError, RecordError, StaffRole
from cptrack.storage import roles
from cptrack.storage.connection import StoreError
from cptrack.storage.identity import signed_in_user
from cptrack.storage.store import Store

LABEL = "Staff member"
NOTE = "staff and roles page"
ROLE_CHOICES = {r.value: roles.ROLE_NAMES[r] for r in StaffRole}
ROLE_ORDER = {
    StaffRole.ADMIN.value: 0,
    StaffRole.QA_LEAD.value: 1,
    StaffRole.MANAGER.value: 2,
    StaffRole.CHAIR.value: 3,
}
ROLE_MAY = {
    StaffRole.CHAIR.value: "case tracking, midway reviews, conference preparation and records, "
    "escalations; reflects on and acknowledges observations of their own practice",
    StaffRole.QA_LEAD.value: "practice observations and feedback",
    StaffRole.MANAGER.value: "reads everything, changes nothing",
    StaffRole.ADMIN.value: "everything: imports, settings, profiles, staff, logins and roles",
}
FIELDS = ("name", "role", "login", "team_id", "active")


@dataclass(frozen=True)
class StaffRow:
    """One line of the staff list."""

    id: int
    name: str
    role: str
    role_label: str
    login: str | None
    team: str | None
    active: bool
    version: int


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the page: their login (None on one person's own machine), their
    staff record (None if their login has none) and whether they may change staff."""

    login: str | None
    person: dict | None
    may_change: bool

    @property
    def words(self) -> str:
        if self.login is None:
            return (
                "Nobody is signed in: on one person's own machine you act as an admin and "
                "may change anyone's role and login."
            )
        if self.person is None:
            return (
                f"You are signed in as {self.login}, which is no staff member's login: you "
                "may read this list but not change it. An admin links your login."
            )
        role = ROLE_CHOICES[self.person["role"]]
        if self.may_change:
            return f"You are signed in as {self.login} ({self.person['name']}, {role})."
        return (
            f"You are signed in as {self.login} ({self.person['name']}, {role}): you may "
            "read this list; changing staff, logins and roles needs the admin role."
        )


def teams(store: Store) -> dict[int, str]:
    """The teams a person can belong to, id → name."""
    return {t["id"]: t["name"] for t in store.rows("teams")}


def listing(store: Store) -> list[StaffRow]:
    """Every staff member: active ones first, then by role (admins first) and name."""
    names = teams(store)
    rows = [
        StaffRow(
            s["id"],
            s["name"],
            s["role"],
            ROLE_CHOICES[s["role"]],
            s.get("login"),
            names.get(s.get("team_id")),
            bool(s.get("active", True)),
            s["version"],
        )
        for s in store.rows("staff")
    ]
    return sorted(rows, key=lambda r: (not r.active, ROLE_ORDER[r.role], r.name.casefold()))


def viewer(store: Store) -> Viewer:
    """Who is signed in, their staff record, and whether they may change staff."""
    login = signed_in_user()
    if login is None and not roles.enforced():
        return Viewer(None, None, True)
    if login is None:
        return Viewer(None, None, False)
    with store.engine.connect() as conn:
        person = roles.staff_for(conn, login)
    return Viewer(login, person, person is not None and person["role"] == StaffRole.ADMIN)


@dataclass
class PersonChange:
    """The form for one person: a new one (``id`` None) or a change to ``id`` at
    ``version``. ``login`` is kept as typed; an empty one removes it."""

    id: int | None = None
    version: int | None = None
    name: str = ""
    role: str | None = None
    login: str | None = None
    team_id: int | None = None
    active: bool = True

    @classmethod
    def of(cls, store: Store, person_id: int) -> PersonChange:
        """The form holding person ``person_id`` as stored."""
        s = store.get("staff", person_id)
        if s is None:
            raise StoreError(f"there is no staff member no. {person_id}")
        return cls(
            s["id"],
            s["version"],
            s["name"],
            s["role"],
            s.get("login"),
            s.get("team_id"),
            bool(s.get("active", True)),
        )

    @property
    def is_new(self) -> bool:
        return self.id is None

    def data(self) -> dict:
        login = (self.login or "").strip() or None
        return {
            "name": (self.name or "").strip(),
            "role": self.role,
            "login": login,
            "team_id": self.team_id,
            "active": bool(self.active),
        }

    def problems(self, store: Store) -> list[FieldError]:
        """What is wrong before anything is written, by field (the store checks the rest:
        lengths, a login already in use)."""
        d = self.data()
        errors = []
        if not d["name"]:
            errors.append(FieldError("name", "give the person's name"))
        if d["role"] not in ROLE_CHOICES:
            errors.append(FieldError("role", "choose a role: " + ", ".join(ROLE_CHOICES.values())))
        if d["login"] and any(ch.isspace() for ch in d["login"]):
            errors.append(FieldError("login", "a login has no spaces (e.g. ruth.baker)"))
        if d["team_id"] is not None and d["team_id"] not in teams(store):
            errors.append(FieldError("team_id", f"there is no team no. {d['team_id']}"))
        me = viewer(store)
        if not self.is_new and me.person is not None and me.person["id"] == self.id:
            if d["role"] != StaffRole.ADMIN:
                errors.append(
                    FieldError(
                        "role",
                        "you cannot take away your own admin role: "
                        "another admin must, so one is always left",
                    )
                )
            if d["login"] != me.login or not d["active"]:
                errors.append(
                    FieldError(
                        "login",
                        "you cannot remove your own sign-in while "
                        "signed in with it: another admin must",
                    )
                )
        return errors


def save(store: Store, form: PersonChange) -> tuple[dict, str]:
    """Add the person or change them, in one audited transaction; returns the stored row
    and a sentence saying what changed. A refusal changes nothing."""
    errors = form.problems(store)
    if errors:
        raise RecordError(LABEL, errors)
    data = form.data()
    with store.transaction(note=NOTE) as tx:
        if form.is_new:
            row = tx.add("staff", data)
            role = with_article(ROLE_CHOICES[row["role"]])
            return row, f"Added {row['name']} as {role}{_login(row)}."
        before = tx.get("staff", form.id)
        row = tx.update("staff", form.id, data, form.version)
    changed = [
        w
        for k, w in (
            ("role", "role"),
            ("login", "login"),
            ("team_id", "team"),
            ("active", "sign-in"),
            ("name", "name"),
        )
        if before is not None and before.get(k) != row.get(k)
    ]
    if not changed:
        return row, f"Nothing to change for {row['name']}."
    active = "" if row["active"] else "; they may no longer sign in"
    role = with_article(ROLE_CHOICES[row["role"]])
    return row, (
        f"Saved {row['name']}: now {role}{_login(row)}{active} (changed: {', '.join(changed)})."
    )


def with_article(role: str, capital: bool = False) -> str:
    """ "a chair", "an admin" ("A chair" with ``capital``)."""
    article = "an" if role[0].lower() in "aeiou" else "a"
    return f"{article.capitalize() if capital else article} {role}"


def _login(row: dict) -> str:
    return f", signing in as {row['login']}" if row.get("login") else ", with no login yet"
