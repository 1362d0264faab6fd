"""Reaching the database: its URL, an engine with cptrack's connection settings, and the
error every storage failure raises (``StoreError``, which never shows a password).

``cptrack.storage.store`` opens a ``Store`` through these; the migrations and the commands
that show a database (``serve``, ``hub``) use them without a ``Store``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from cptrack.storage import files

ENV_DB = "CPTRACK_DB"


class StoreError(RuntimeError):
    """The database could not be opened or used; the message says why (never a password:
    any database URL in it is shown with its password hidden)."""

    def __init__(self, message: str = "", *args: Any):
        super().__init__(hide_password(str(message)), *args)


# scheme://user:PASSWORD@host: the password, up to the last @ before the host.
_URL_PASSWORD = re.compile(r"(\b[a-zA-Z][\w+.-]*://[^:/@\s]*:)([^\s]*)(@[^@\s]*)")


def hide_password(text: str | os.PathLike | None) -> str:
    """A database URL, or any text holding one, with each password shown as ``***``.

    The one function every command and page uses to show a database: a URL with a password
    is never printed, logged or shown on a page as it is."""
    return _URL_PASSWORD.sub(r"\1***\3", "" if text is None else str(text))


def database_url(location: str | os.PathLike | None = None) -> str:
    """A SQLAlchemy URL from a path or URL, ``CPTRACK_DB`` when none is given.

    A plain path means an SQLite file; anything containing ``://`` is used as a URL
    (``postgresql+psycopg://user@host/db``; ``postgresql://`` is taken to mean psycopg 3).
    """
    if location is None:
        location = os.environ.get(ENV_DB)
    if not location:
        raise StoreError(
            f"no database given: pass --db PATH_OR_URL or set {ENV_DB} "
            "(for example data/demo.sqlite)"
        )
    text = str(location)
    if "://" in text:
        if text.startswith("postgresql://") or text.startswith("postgres://"):
            text = "postgresql+psycopg://" + text.split("://", 1)[1]
        return text
    path = Path(text).expanduser().resolve()
    return f"sqlite:///{path}"


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False)


def make_engine(url: str) -> Engine:
    """An engine with cptrack's connection settings for the URL's database."""
    kwargs: dict[str, Any] = {"json_serializer": dumps, "future": True}
    if url.startswith("sqlite"):
        # sqlite:// and sqlite:///:memory: are databases in memory: no file to make.
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            parent = Path(path).parent
            if not parent.exists():
                raise StoreError(f"cannot create the database {path}: folder {parent} is missing")
            # Owner-only from the start; SQLite gives its -wal and -shm files the same mode.
            files.create_private(path)
        kwargs["connect_args"] = {"timeout": 30}
        engine = sa.create_engine(url, **kwargs)

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # Let SQLAlchemy, not the driver, open transactions (BEGIN IMMEDIATE below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # Writers take the write lock at the start, so two writers queue instead of one
            # failing late; readers start a deferred transaction and never block (WAL).
            immediate = conn.get_execution_options().get("cptrack_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    kwargs["pool_pre_ping"] = True
    return sa.create_engine(url, **kwargs)


# ---------------------------------------------------------------------------
# The store
