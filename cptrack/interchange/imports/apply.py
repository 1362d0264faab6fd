"""Applying an import: match, validate, check, write and audit, in one transaction.

An importer turns its file into ``Staged`` records collected in ``Batch``es
(``cptrack.interchange.imports.staging``). ``Writer.apply(batch)`` then goes kind by kind,
in the order records refer to each other (``KIND_ORDER``):

1. it matches each staged record to a stored one, by source id, else by natural key (a
   plan is "the child's plan starting that day"), so re-importing a file changes nothing,
   and a record typed into cptrack and later found in a census is updated, not duplicated;
2. it resolves references (``Link``) to the ids of records written earlier in the import or
   already stored; a record whose parent was refused is refused with it;
3. it validates each new or changed record with its model (``Record.check``), leaves alone
   stored values newer than the file (``newer_values``), and applies the cross-record rules
   of ``cptrack.storage.integrity`` to the whole batch at once (``cross_record``);
4. it writes inserts and updates, with one audit row per record, in the caller's
   transaction (``writing``).

A record that fails becomes a ``Problem`` naming where it is in the file, the field and the
reason. Whether the rest is kept is the caller's decision (``run_import``'s ``partial``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cptrack.domain import models
from cptrack.domain.models import FieldError, RecordError
from cptrack.interchange.imports import cross_record, newer_values
from cptrack.interchange.imports.report import (
    KIND_ORDER,
    ImportRefused,
    ImportResult,
    Problem,
)
from cptrack.interchange.imports.staging import (
    NATURAL_KEYS,
    Batch,
    Link,
    Refusal,
    Staged,
    matchable,
    natural_source_id,
)
from cptrack.interchange.imports.writing import Pending, RowWriter, chunks
from cptrack.storage.refusals import constraint_errors
from cptrack.storage.store import Store
from cptrack.storage.tables import table


class Writer:
    """Applies batches inside one transaction, recording the outcome in ``result``."""

    def __init__(self, conn: Connection, user: str, note: str | None, result: ImportResult):
        self.conn = conn
        self.result = result
        self.rows = RowWriter(conn, user, note)
        self.ids: dict[str, dict[tuple, Any]] = defaultdict(dict)
        self.refused: dict[str, dict[tuple, str]] = defaultdict(dict)
        self.children_done: dict[tuple, str] = {}
        # Children stored before the import began: only their records can already exist,
        # since a child appears once in a file. Asking only about them spares a query per
        # batch and kind for every new child.
        children = table("children")
        self.stored_children = {r[0] for r in conn.execute(sa.select(children.c.id))}
        self.plan_spans: dict[int, tuple[dt.date, dt.date | None]] = {}
        self.reference: dt.date | None = result.reference_date

    # -- public --------------------------------------------------------------

    def apply(self, batch: Batch) -> None:
        """Match, validate, check and write every record of ``batch``."""
        children = sorted(c for c in batch.children() if c in self.stored_children)
        for kind in KIND_ORDER:
            if kind != "teams":
                self.ids[kind] = {}
                self.refused[kind] = {}
        self.plan_spans = {}
        for r in batch.refusals:
            self._refuse_known(r)
        for kind in KIND_ORDER:
            staged = batch.records.get(kind, [])
            if not staged and kind not in batch.linked:
                continue
            explicit = [s.source_id for s in staged if s.source_id]
            existing = self._existing(kind, children, explicit)
            for row in existing:
                self.ids[kind].setdefault(NATURAL_KEYS[kind](row), row["id"])
                if kind == "cp_plans":
                    self.plan_spans[row["id"]] = (row["start_date"], row["end_date"])
            if staged:
                self._apply_kind(kind, staged, existing)

    # -- one kind ------------------------------------------------------------

    def _apply_kind(self, kind: str, staged: list[Staged], existing: list[dict]) -> None:
        record_cls = models.kind(kind)
        by_sid = {r["source_id"]: r for r in existing if r.get("source_id")}
        by_key: dict[tuple, dict] = {}
        for row in existing:
            by_key.setdefault(NATURAL_KEYS[kind](row), row)
        claimed: dict[Any, str] = {}
        inserts: list[Pending] = []
        updates: list[Pending] = []
        candidates: list[tuple[Staged, dict, dict]] = []  # matched records the file changes
        for s in self._unique(kind, staged):
            key = s.key
            resolved, errors = self._resolve(s.data)
            extra, extra_errors = self._resolve(s.insert_only)
            errors += extra_errors
            if errors:
                self._refuse(s, errors)
                continue
            sid = s.source_id
            if sid is None and kind != "children" and matchable(key):
                sid = natural_source_id(kind, key)
            match = by_sid.get(sid) if sid else None
            if match is None and matchable(key):
                match = by_key.get(key)
            if match is not None and match["id"] in claimed:
                self._refuse(
                    s,
                    [FieldError("", f"is the same record as the one at {claimed[match['id']]}")],
                )
                continue
            if match is None:
                data = {**extra, **resolved, "source_id": sid}
                try:
                    row = record_cls.check(data).row()
                except RecordError as exc:
                    self._refuse(s, exc.errors)
                    continue
                if row.get("id") is None:
                    row.pop("id", None)
                inserts.append(Pending(s, row))
                continue
            claimed[match["id"]] = s.where
            if kind != "children" and match.get("child_id") != resolved.get(
                "child_id", match.get("child_id")
            ):
                self._refuse(
                    s,
                    [
                        FieldError(
                            "source_id",
                            f"{sid} is a record of child {match['child_id']}; a record cannot "
                            "move to another child",
                        )
                    ],
                )
                continue
            diff = {k: v for k, v in resolved.items() if match.get(k) != v}
            if match.get("source_id") is None and sid and sid not in by_sid:
                diff["source_id"] = sid
            if not diff:
                self._unchanged(s, match)
                continue
            candidates.append((s, match, diff))
        recorded = newer_values.recorded(self.conn, kind, candidates, self.reference)
        for s, match, diff in candidates:
            newer = newer_values.newer(record_cls, match, diff, recorded, self.reference)
            offered, diff = diff, {k: v for k, v in diff.items() if k not in newer}
            try:
                row = record_cls.check({**match, **diff}).row() if diff else None
            except RecordError as exc:
                if not newer:
                    self._refuse(s, exc.errors)
                    continue
                # The rest goes with the values left alone: leave it all.
                newer.update(dict.fromkeys(diff, ""))
                diff, row = {}, None
            self.result.left_alone.extend(
                newer_values.left_alone(s, record_cls.label, match, offered, newer)
            )
            changed = {}
            if row is not None:
                row["id"] = match["id"]
                changed = {k: v for k, v in row.items() if k != "version" and match.get(k) != v}
            if not changed:
                self._unchanged(s, match)
                continue
            updates.append(Pending(s, row, match, changed))
        if kind == "cp_plans":
            inserts, updates, refused = cross_record.check_plans(inserts, updates, existing)
        elif kind == "conferences":
            inserts, updates, refused = cross_record.check_reviews(
                inserts, updates, self.plan_spans
            )
        else:
            refused = []
        for p, errors in refused:
            self._refuse(p.staged, errors)
        self._write(kind, inserts, updates)

    def _unique(self, kind: str, staged: list[Staged]) -> Iterable[Staged]:
        """Each record once: repeats with the same values merge; different values are refused.

        A child may appear only once in a file: a child already written from an earlier
        batch is refused with everything about it.
        """
        first: dict[tuple, Staged] = {}
        for s in staged:
            if kind == "children" and s.key in self.children_done:
                self._refuse(
                    s,
                    [
                        FieldError(
                            "id",
                            f"{s.key[0]} appears twice in the file (also at "
                            f"{self.children_done[s.key]}); give each child once",
                        )
                    ],
                )
                continue
            ident = ("sid", s.source_id) if s.source_id else s.key
            seen = first.get(ident)
            if seen is None:
                first[ident] = s
                yield s
            elif seen.data != s.data or seen.insert_only != s.insert_only:
                what = models.kind(kind).label.lower()
                error = FieldError(
                    "source_id" if s.source_id else "",
                    f"the same {what} is also given at {seen.where} with different values; "
                    "keep one",
                )
                # The key stays the first one's: records referring to it are not refused.
                self._refuse(s, [error], mark=False)
        if kind == "children":
            for s in first.values():
                self.children_done.setdefault(s.key, s.where)

    def _resolve(self, data: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
        out: dict[str, Any] = {}
        errors: list[FieldError] = []
        for name, value in data.items():
            if not isinstance(value, Link):
                out[name] = value
                continue
            refused = self.refused[value.kind].get(value.key)
            target = self.ids[value.kind].get(value.key)
            if value.optional and (refused is not None or target is None):
                continue
            if refused is not None:
                errors.append(
                    FieldError(
                        name,
                        f"the {value.describe()} at {refused} was not imported (see that problem)",
                    )
                )
            elif target is not None:
                out[name] = target
            else:
                errors.append(
                    FieldError(name, f"there is no {value.describe()} in this file or the database")
                )
        return out, errors

    def _refuse(self, s: Staged, errors: list[FieldError], *, mark: bool = True) -> None:
        self._refuse_known(Refusal(s.kind, s.key, s.where, errors, s.child, s.names), mark)

    def _refuse_known(self, r: Refusal, mark: bool = True) -> None:
        label = models.kind(r.kind).label
        for e in r.errors or [FieldError("", "refused")]:
            name = r.names.get(e.field, e.field)
            self.result.problems.append(Problem(r.where, label, name, e.message, r.child))
        if mark:
            self.refused[r.kind].setdefault(r.key, r.where)
        self.result.count(r.kind, "rejected")

    def _unchanged(self, s: Staged, match: dict) -> None:
        self.ids[s.kind][s.key] = match["id"]
        self.result.count(s.kind, "unchanged")

    # -- writing ---------------------------------------------------------------

    def _write(self, kind: str, inserts: list[Pending], updates: list[Pending]) -> None:
        """Write the records, or, when the database refuses a value another record holds
        (a source id), refuse the records that hold it, naming the field, and write the
        rest. The check is made only after such a refusal, so a clean import pays nothing
        for it but a savepoint per kind and batch."""
        # PostgreSQL's COPY goes to the driver directly, so its refusals arrive unwrapped.
        refused = (sa.exc.IntegrityError, self.conn.dialect.dbapi.IntegrityError)
        try:
            with self.conn.begin_nested():
                for p, row in self.rows.write(kind, inserts, updates):
                    self._register(kind, p, row)  # only once the database has taken every row
                for outcome, done in (("inserted", inserts), ("updated", updates)):
                    if done:
                        self.result.count(kind, outcome, len(done))
        except refused as exc:
            clashes = self.rows.clashes(kind, inserts + updates)
            if not clashes:
                table_name, errors = constraint_errors(exc)
                raise RecordError(models.kind(table_name or kind).label, errors) from None
            for p, error in clashes.items():
                self._refuse(p.staged, [error])
            self._write(
                kind,
                [p for p in inserts if p not in clashes],
                [p for p in updates if p not in clashes],
            )

    def _register(self, kind: str, p: Pending, row: dict) -> None:
        self.ids[kind][p.staged.key] = row["id"]
        if kind == "cp_plans":
            self.plan_spans[row["id"]] = (row["start_date"], row["end_date"])

    def _existing(self, kind: str, children: list[str], source_ids: list[str]) -> list[dict]:
        """Stored rows that staged records of ``kind`` may match or refer to."""
        t = table(kind)
        rows: dict[Any, dict] = {}
        if kind == "teams":
            queries = [sa.select(t)]
        else:
            col = t.c.id if kind == "children" else t.c.child_id
            queries = [sa.select(t).where(col.in_(chunk)) for chunk in chunks(children)]
        queries += [sa.select(t).where(t.c.source_id.in_(c)) for c in chunks(source_ids)]
        for q in queries:
            for r in self.conn.execute(q):
                rows[r.id] = dict(r._mapping)
        return [rows[k] for k in sorted(rows, key=str if kind == "children" else None)]


class _RollBack(Exception):
    """Raised inside the transaction to end it without keeping anything."""


def run_import(
    store: Store,
    batches: Iterable[Batch],
    result: ImportResult,
    *,
    partial: bool = False,
    dry_run: bool = False,
    note: str | None = None,
) -> ImportResult:
    """Apply ``batches`` in one transaction, then keep it, or not.

    Kept when nothing was refused, or with ``partial`` (the refused records are reported in
    ``result.problems``). A dry run is never kept: it reports what would happen. When
    records were refused and ``partial`` is not set, nothing is kept and ``ImportRefused``
    is raised with the result. An exception while reading (a malformed file) leaves the
    database as it was.
    """
    result.partial, result.dry_run = partial, dry_run
    try:
        with store.transaction(note) as tx:
            tx.require_admin("an import")
            writer = Writer(tx.conn, tx.user, note, result)
            for batch in batches:
                writer.apply(batch)
            if dry_run or (result.problems and not partial):
                raise _RollBack
            result.committed = True
    except _RollBack:
        result.committed = False
    except sa.exc.IntegrityError as exc:  # a reference taken away while the import ran
        table_name, errors = constraint_errors(exc)
        label = models.kind(table_name).label if table_name in models.BY_TABLE else "Record"
        raise RecordError(
            label,
            [
                FieldError(
                    e.field,
                    f"{e.message}; most likely someone else changed the same records while "
                    "the import ran. Nothing was saved; run the import again.",
                )
                for e in errors
            ],
        ) from None
    if result.problems and not partial and not dry_run:
        raise ImportRefused(result)
    return result
