"""``cptrack init``: create or upgrade a database."""

from __future__ import annotations

import argparse

from cptrack.cli import add_db_argument
from cptrack.storage.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="create a database, or upgrade one to this version's schema",
        description="Create the cptrack tables in a new database, or run the migrations an "
        "existing one needs. Safe to run again: an up-to-date database is left as it is.",
    )
    add_db_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with Store.open(args.db, migrate=True) as store:
        print(f"{store.url}: schema at revision {store.schema_revision()}")
    return 0
