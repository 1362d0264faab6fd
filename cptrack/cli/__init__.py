"""The ``cptrack`` command. Each subcommand lives in its own module in this package.

A subcommand module has ``register(subparsers)``, which adds its parser and sets
``func`` to a function taking the parsed arguments and returning an exit code. Add a new
subcommand by writing its module and naming it in ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from cptrack.domain.models import RecordError
from cptrack.storage import files
from cptrack.storage.connection import StoreError
from cptrack.storage.refusals import StaleVersionError

COMMANDS = (
    "init",
    "demo",
    "serve",
    "check",
    "measures",
    "profiles",
    "observations",
    "import",
    "validate",
    "export",
    "escalations",
    "calendar",
    "report",
    "staff",
    "hub",
)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cptrack",
        description=(
            "Case tracking, timescales and quality assurance for child protection "
            "conference chairs."
        ),
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"cptrack.cli.{name}").register(sub)
    return p


def add_db_argument(p: argparse.ArgumentParser) -> None:
    """The shared ``--db`` option: a path (SQLite) or a SQLAlchemy URL."""
    p.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database: an SQLite file path or a URL such as "
        "postgresql://user@host/dbname (default: $CPTRACK_DB)",
    )


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    files.owner_only()  # databases, reports, exports and calendars: mode 600
    try:
        return int(args.func(args) or 0)
    except (StoreError, RecordError, StaleVersionError) as exc:
        print(f"cptrack {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
