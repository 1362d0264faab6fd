"""``cptrack staff``: list the staff, add a person, or set a person's role and login."""

from __future__ import annotations

import argparse

from cptrack.cli import add_db_argument
from cptrack.domain.models import StaffRole
from cptrack.storage.connection import StoreError
from cptrack.storage.store import Store

ROLES = [r.value for r in StaffRole]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "staff",
        help="list the staff; add a person; set a person's role and sign-in name",
        description="Without options, list every staff member with their role and login. "
        "A login is the name the person signs in with (their hub user name, or the proxy's "
        "header): their changes are audited under it and their role decides what they may "
        "change (chair, qa_lead, manager, admin; see docs/roles.md). Every change is audited; "
        "when someone is signed in, only an admin may make one.",
    )
    add_db_argument(p)
    p.add_argument("--add", metavar="NAME", help="add a person with this name (needs --role)")
    p.add_argument(
        "--set", metavar="PERSON", help="change this person's record (their id, name or login)"
    )
    p.add_argument("--role", choices=ROLES, help="their role")
    p.add_argument("--login", help="the name they sign in with ('' to remove it)")
    p.add_argument("--team", type=int, help="their team's id")
    p.add_argument("--active", choices=["yes", "no"], help="whether they may still sign in")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        if args.add and args.set:
            raise StoreError("give --add NAME or --set ID_OR_NAME, not both")
        changes = {k: v for k, v in (("role", args.role), ("team_id", args.team)) if v}
        if args.login is not None:
            changes["login"] = args.login.strip() or None
        if args.active is not None:
            changes["active"] = args.active == "yes"
        if args.add:
            if not args.role:
                raise StoreError("--add needs --role (one of " + ", ".join(ROLES) + ")")
            row = store.add("staff", {"name": args.add, **changes}, note="cptrack staff")
            print(f"added {_line(row)}")
        elif args.set:
            if not changes:
                raise StoreError("--set needs --role, --login, --team or --active")
            person = _find(store, args.set)
            row = store.update(
                "staff", person["id"], changes, person["version"], note="cptrack staff"
            )
            print(f"changed {_line(row)}")
        else:
            for row in store.rows("staff"):
                print(_line(row))
    return 0


def _find(store: Store, key: str) -> dict:
    if key.isdigit():
        row = store.get("staff", int(key))
        if row is not None:
            return row
    key = key.strip().lower()
    found = [r for r in store.rows("staff") if key in (r["name"].lower(), r["login"])]
    if len(found) != 1:
        raise StoreError(
            f"no single staff member called {key!r} ({len(found)} found): give their id "
            "(`cptrack staff` lists them)"
        )
    return found[0]


def _line(row: dict) -> str:
    login = row.get("login") or "-"
    active = "" if row.get("active", True) else "  (inactive)"
    return f"{row['id']:>4}  {row['name']:<30}  {row['role']:<8}  login {login}{active}"
