"""Database tables, derived from the record models in ``cptrack.domain.models``.

Nothing here is declared by hand except the audit log: each record class becomes one table
whose columns follow the class's fields (types, nullability, references and indexes). The
migrations under ``cptrack/storage/migrations`` create exactly this schema; a test compares the two.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from enum import Enum
from typing import Any

import sqlalchemy as sa

from cptrack.domain import models

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The inner type of an annotation and whether it admits None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner, _ = _unwrap(args[0]) if len(args) == 1 else (Any, True)
        return inner, True
    return annotation, False


def _column_type(inner: Any, long_text: bool) -> sa.types.TypeEngine:
    if inner is bool:
        return sa.Boolean()
    if inner is int:
        return sa.Integer()
    if inner is float:
        return sa.Float()
    if inner is dt.datetime:
        return sa.DateTime(timezone=True)
    if inner is dt.date:
        return sa.Date()
    if inner is dt.time:
        return sa.Time()
    if isinstance(inner, type) and issubclass(inner, Enum):
        return sa.String(40)
    if inner is str:
        return sa.Text() if long_text else sa.String(200)
    # lists, dicts and Any: structured values
    return sa.JSON()


def _table_for(record: type[models.Record]) -> sa.Table:
    columns: list[sa.Column] = []
    for name, info in record.model_fields.items():
        inner, optional = _unwrap(info.annotation)
        marks = info.metadata
        long_text = any(isinstance(m, models.LongText) for m in marks)
        ref = next((m for m in marks if isinstance(m, models.Ref)), None)
        indexed = any(isinstance(m, models.Indexed) for m in marks)
        unique = any(isinstance(m, models.Unique) for m in marks)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        if name == "id":
            if record.id_type is str:
                col_type: sa.types.TypeEngine = sa.String(60)
                kwargs["autoincrement"] = False
            else:
                col_type = sa.Integer()
                kwargs["autoincrement"] = True
            kwargs["primary_key"] = True
        else:
            col_type = _column_type(inner, long_text)
            if ref is not None:
                target = BY_TABLE_ID_TYPE[ref.table]
                col_type = sa.String(60) if target is str else sa.Integer()
                args.append(sa.ForeignKey(f"{ref.table}.id", ondelete=ref.on_delete))
            kwargs["nullable"] = optional or inner is Any
            if indexed or ref is not None or unique:
                kwargs["index"] = True
            if unique:
                kwargs["unique"] = True
        columns.append(sa.Column(name, col_type, *args, **kwargs))
    # Imported records are unique by their source system's id. A partial index: most
    # records have no source id, and they cost nothing to index that way.
    source_unique = sa.Index(
        f"uq_{record.table}_source_id",
        "source_id",
        unique=True,
        sqlite_where=sa.text("source_id IS NOT NULL"),
        postgresql_where=sa.text("source_id IS NOT NULL"),
    )
    return sa.Table(record.table, metadata, *columns, source_unique)


BY_TABLE_ID_TYPE = {k.table: k.id_type for k in models.KINDS}

TABLES: dict[str, sa.Table] = {k.table: _table_for(k) for k in models.KINDS}

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("user", sa.String(120), nullable=False),
    sa.Column("table_name", sa.String(60), nullable=False),
    sa.Column("record_id", sa.String(60), nullable=True),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("version", sa.Integer, nullable=True),
    sa.Column("before", sa.JSON, nullable=True),
    sa.Column("after", sa.JSON, nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Index("ix_audit_log_table_record", "table_name", "record_id"),
)


def table(name: str) -> sa.Table:
    """The table called ``name`` (a record kind's table or ``audit_log``)."""
    if name == "audit_log":
        return audit_log
    models.kind(name)  # a clear error for an unknown kind
    return TABLES[name]
