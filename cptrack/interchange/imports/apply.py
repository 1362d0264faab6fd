"""Writing imported records: match, validate, check, write and audit, in one transaction.

An importer turns its file into ``Staged`` records collected in ``Batch``es (a batch holds a
few thousand children with everything about them). ``Writer.apply(batch)`` then goes kind
by kind, in the order records refer to each other (``KIND_ORDER``):

1. it matches each staged record to a stored one, by source id, else by natural key (a
   plan is "the child's plan starting that day"), so re-importing a file changes nothing,
   and a record typed into cptrack and later found in a census is updated, not duplicated;
2. it resolves references (``Link``) to the ids of records written earlier in the import or
   already stored; a record whose parent was refused is refused with it;
3. it validates each new or changed record with its model (``Record.check``) and applies
   the cross-record rules of ``cptrack.storage.integrity`` to the whole batch at once (DfE 8935,
   8940 and 8841; references to the same child hold by construction, because links are
   made from the child's own key) — see ``INTEGRITY_RULES``;
4. it writes inserts and updates with ``executemany`` and one audit row per record, the
   same rows ``Transaction.add`` and ``Transaction.update`` write, in the caller's
   transaction.

A record that fails becomes a ``Problem`` naming where it is in the file, the field and the
reason. Whether the rest is kept is the caller's decision (``--partial``; see
``cptrack.interchange.imports.run``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from cptrack.domain import models
from cptrack.domain.models import FieldError, RecordError
from cptrack.interchange.imports.report import (
    KIND_ORDER,
    ImportRefused,
    ImportResult,
    LeftAlone,
    Problem,
)
from cptrack.storage.connection import StoreError, dumps
from cptrack.storage.integrity import unique_columns
from cptrack.storage.refusals import constraint_errors
from cptrack.storage.store import Store
from cptrack.storage.tables import audit_log, table

# How each cross-record rule of cptrack.storage.integrity is honoured for imported kinds. A test
# compares this with integrity.CHECKS, so a new rule there cannot be skipped here unnoticed.
INTEGRITY_RULES: dict[str, dict[str, str]] = {
    "cp_plans": {"_plans_do_not_overlap": "Writer._check_plans"},
    "conferences": {
        "_review_after_plan_start": "Writer._check_reviews",
        "_conferences_plan_id_same_child": "links are keyed by the conference's child",
        "_conferences_s47_id_same_child": "links are keyed by the conference's child",
    },
    "core_groups": {"_core_groups_plan_id_same_child": "links are keyed by the child"},
    "visits": {"_visits_plan_id_same_child": "links are keyed by the child"},
    "plan_actions": {"_plan_actions_plan_id_same_child": "links are keyed by the child"},
}

IN_CHUNK = 500  # values per SQL IN (...) list


@dataclass(frozen=True)
class Link:
    """A reference to another record by its natural key, resolved to its id on import.

    A record whose link finds nothing is refused, unless the link is ``optional``: then the
    field is left empty (an ICPC whose plan cptrack does not hold is still an ICPC).
    """

    kind: str
    key: tuple
    optional: bool = False

    def describe(self) -> str:
        label = models.kind(self.kind).label.lower()
        if self.kind == "children":
            return f"{label} {self.key[0]}"
        child, *rest = self.key
        when = ", ".join(_show(v) for v in rest)
        return f"{label} of child {child} ({when})"


class Staged:
    """One record as a file states it.

    ``data`` holds the fields the file states (written on insert and on update; values may
    be ``Link``s); ``insert_only`` holds fields used only when the record is new (a
    pseudonymous name for a child known only by id, say). ``source_id`` is the record's id
    in the source system when the file gives one; otherwise one is made from the natural
    key. ``names`` maps field names to the file's own names for them, for messages.
    """

    __slots__ = (
        "kind",
        "data",
        "where",
        "insert_only",
        "source_id",
        "order",
        "names",
        "key",
        "child",
    )

    def __init__(
        self,
        kind: str,
        data: dict[str, Any],
        where: str,
        insert_only: dict[str, Any] | None = None,
        source_id: str | None = None,
        order: int = 0,
        names: dict[str, str] | None = None,
    ):
        self.kind = kind
        self.data = data
        self.where = where
        self.insert_only = insert_only or {}
        self.source_id = source_id
        self.order = order
        self.names = names or {}
        key_of = NATURAL_KEYS[kind]
        self.key = key_of({**self.insert_only, **data}) if self.insert_only else key_of(data)
        self.child = data.get("id") if kind == "children" else _child(data)


@dataclass
class Refusal:
    """A record the reader already knows it cannot import (an unreadable value, say)."""

    kind: str
    key: tuple
    where: str
    errors: list[FieldError]
    child: str | None
    names: dict[str, str]


class Batch:
    """Staged records about a set of children, applied together."""

    def __init__(self) -> None:
        self.records: dict[str, list[Staged]] = defaultdict(list)
        self.refusals: list[Refusal] = []
        self.linked: set[str] = set()
        self.size = 0

    def add(
        self,
        kind: str,
        data: dict[str, Any],
        where: str,
        *,
        insert_only: dict[str, Any] | None = None,
        source_id: str | None = None,
        names: dict[str, str] | None = None,
    ) -> Link:
        """Stage a record; returns a link by which other staged records can refer to it."""
        if kind not in NATURAL_KEYS:
            models.kind(kind)  # a clear error for an unknown kind
            raise KeyError(f"{kind} records cannot be imported")
        self.size += 1
        staged = Staged(kind, data, where, insert_only, source_id, self.size, names)
        self.records[kind].append(staged)
        for value in data.values():
            if type(value) is Link:
                self.linked.add(value.kind)
        return Link(kind, staged.key)

    def refuse(
        self,
        kind: str,
        data: dict[str, Any],
        where: str,
        errors: list[FieldError],
        *,
        child: str | None = None,
        names: dict[str, str] | None = None,
    ) -> Link:
        """Record that the file's ``kind`` record at ``where`` cannot be imported.

        ``data`` is what could be read of it, enough to know its key, so records that refer
        to it are refused with it. Returns the link such records would use.
        """
        key = NATURAL_KEYS[kind](data)
        child = (
            child if child is not None else (data.get("id") if kind == "children" else _child(data))
        )
        self.refusals.append(Refusal(kind, key, where, list(errors), child, names or {}))
        return Link(kind, key)

    def children(self) -> set[str]:
        found = {s.child for recs in self.records.values() for s in recs if s.child is not None}
        return found | {r.child for r in self.refusals if r.child is not None}

    def __len__(self) -> int:
        return self.size


# ---------------------------------------------------------------------------
# Natural keys


def _child(row: dict) -> Any:
    value = row.get("child_id")
    return value.key[0] if isinstance(value, Link) else value


_REVIEW = models.ConferenceType.REVIEW.value


def _conference_key(row: dict) -> tuple:
    """A child's initial-type or review conference on a day (stood-down ones never match)."""
    stage = "review" if row.get("type") == _REVIEW else "initial"
    when = row.get("held_date")
    if when is None and not row.get("stood_down"):
        when = row.get("scheduled_date")
    return (_child(row), stage, when)


NATURAL_KEYS: dict[str, Callable[[dict], tuple]] = {
    "teams": lambda r: (str(r.get("name") or "").strip().casefold(),),
    "children": lambda r: (r.get("id"),),
    "cin_episodes": lambda r: (_child(r), r.get("referral_date")),
    "cin_plans": lambda r: (_child(r), r.get("start_date")),
    "strategy_discussions": lambda r: (_child(r), r.get("date")),
    "s47_enquiries": lambda r: (_child(r), r.get("start_date")),
    "cp_plans": lambda r: (_child(r), r.get("start_date")),
    "conferences": _conference_key,
    "core_groups": lambda r: (_child(r), r.get("date")),
    "visits": lambda r: (_child(r), r.get("date")),
    "plan_actions": lambda r: (
        _child(r),
        str(r.get("description") or "").strip().casefold(),
        r.get("due_date"),
    ),
    "source_extras": lambda r: (_child(r), r.get("element")),
}


def natural_source_id(kind: str, key: tuple) -> str:
    """The source id given to a record whose file has no id for it: its natural key."""
    text = ":".join([str(key[0]), kind, *(_show_iso(v) for v in key[1:])])
    if kind == "teams":
        text = f"teams:{key[0]}"
    if len(text) > 200:
        digest = hashlib.sha1(text.encode()).hexdigest()
        text = f"{str(key[0])[:40]}:{kind}:sha1:{digest}"
    return text


def _show(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)


def _show_iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _matchable(key: tuple) -> bool:
    return all(v is not None and v != "" for v in key)


# ---------------------------------------------------------------------------
# The writer


@dataclass(eq=False)  # each pending record is itself (a key in _clashes)
class _Pending:
    staged: Staged
    row: dict[str, Any]
    before: dict[str, Any] | None = None  # the stored row, for an update
    changed: dict[str, Any] | None = None  # the changed columns, for an update


class Writer:
    """Applies batches inside one transaction, recording the outcome in ``result``."""

    def __init__(self, conn: Connection, user: str, note: str | None, result: ImportResult):
        self.conn = conn
        self.user = user
        self.note = note
        self.result = result
        self.at = dt.datetime.now(dt.UTC)
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
        inserts: list[_Pending] = []
        updates: list[_Pending] = []
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
            if sid is None and kind != "children" and _matchable(key):
                sid = natural_source_id(kind, key)
            match = by_sid.get(sid) if sid else None
            if match is None and _matchable(key):
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
                inserts.append(_Pending(s, row))
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
        recorded = self._recorded(kind, candidates)
        for s, match, diff in candidates:
            newer = self._newer(record_cls, match, diff, recorded)
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
            self._left_alone(s, record_cls.label, match, offered, newer)
            changed = {}
            if row is not None:
                row["id"] = match["id"]
                changed = {k: v for k, v in row.items() if k != "version" and match.get(k) != v}
            if not changed:
                self._unchanged(s, match)
                continue
            updates.append(_Pending(s, row, match, changed))
        if kind == "cp_plans":
            inserts, updates = self._check_plans(inserts, updates, existing)
        elif kind == "conferences":
            inserts, updates = self._check_reviews(inserts, updates)
        self._write(kind, inserts, updates)

    # -- returns never move backwards ------------------------------------------

    def _newer(
        self, record_cls: type[models.Record], match: dict, diff: dict, recorded: dict
    ) -> dict[str, str]:
        """The fields of ``diff`` whose stored values were recorded after this file's
        reference date, each with who recorded them: an older return neither blanks nor
        replaces them. A blank stored value (or a default nobody stated) may be filled; a
        source id is always taken."""
        fields = recorded.get(str(match["id"]))
        if not fields:
            return {}
        newer = {}
        for name in diff:
            when = fields.get(name) or fields.get("*")
            if (
                _may_be_newer(record_cls, name, match)
                and when is not None
                and when[0] > self.reference
            ):
                newer[name] = when[1]
        return newer

    def _left_alone(
        self, s: Staged, label: str, match: dict, offered: dict, newer: dict[str, str]
    ) -> None:
        for name, why in newer.items():
            self.result.left_alone.append(
                LeftAlone(
                    s.where,
                    label,
                    s.names.get(name, name),
                    _shown(match.get(name)),
                    _shown(offered.get(name)),
                    why or "goes with the values left alone",
                    s.child,
                )
            )

    def _recorded(
        self, kind: str, candidates: list[tuple[Staged, dict, dict]]
    ) -> dict[str, dict[str, tuple[dt.date, str]]]:
        """For each stored record this file would change: each field's (day it speaks for,
        who recorded it), from the audit: an import's reference date (in its note), else
        the day of the write; ``"*"`` stands for every field of a record that came in a
        bulk load. Asked only about records whose stored values the file would replace, a
        chunk of records a query: a clean import asks nothing."""
        if self.reference is None:
            return {}
        record_cls = models.kind(kind)
        ids = [
            m["id"]
            for _, m, diff in candidates
            if any(_may_be_newer(record_cls, k, m) for k in diff)
        ]
        out: dict[str, dict[str, tuple[dt.date, str]]] = {}
        a = audit_log
        for chunk in _chunks([str(i) for i in ids], IN_CHUNK):
            rows = self.conn.execute(
                sa.select(a.c.record_id, a.c.action, a.c.at, a.c.user, a.c.after, a.c.note)
                .where(a.c.table_name == kind, a.c.record_id.in_(chunk))
                .order_by(a.c.id)
            )
            for record_id, action, at, user, after, note in rows:
                fields = out.setdefault(record_id, {})
                when = _recorded_when(at, user, note)
                if action == "insert":
                    fields["*"] = when
                for name in after or {}:
                    fields[name] = when
        missing = [str(i) for i in ids if "*" not in out.get(str(i), {})]
        if missing:
            bulk = self.conn.execute(
                sa.select(a.c.at, a.c.user, a.c.note)
                .where(a.c.table_name == kind, a.c.action == "bulk_insert")
                .order_by(a.c.id.desc())
                .limit(1)
            ).first()
            if bulk is not None:
                when = _recorded_when(*bulk)
                for record_id in missing:
                    out.setdefault(record_id, {})["*"] = when
        return out

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

    # -- cross-record rules (cptrack.storage.integrity, applied to a batch) ------------

    def _check_plans(
        self, inserts: list[_Pending], updates: list[_Pending], existing: list[dict]
    ) -> tuple[list[_Pending], list[_Pending]]:
        """DfE 8935 (one open plan) and 8940 (no overlaps), as ``integrity`` words them.

        Candidates are taken in file order against the plans held so far (stored ones, then
        accepted candidates), exactly as writing them one by one would judge them.
        """
        held: dict[str, dict[Any, tuple]] = defaultdict(dict)
        for row in existing:
            held[row["child_id"]][row["id"]] = (row["start_date"], row["end_date"], None)
        kept_inserts, kept_updates = [], []
        order = sorted(
            [(p, False) for p in inserts] + [(p, True) for p in updates],
            key=lambda item: item[0].staged.order,
        )
        for n, (p, is_update) in enumerate(order):
            row = p.row
            own = row["id"] if is_update else ("new", n)
            others = {k: v for k, v in held[row["child_id"]].items() if k != own}
            errors = _plan_conflicts(row["start_date"], row["end_date"], others)
            if errors:
                self._refuse(p.staged, errors)
                continue
            held[row["child_id"]][own] = (row["start_date"], row["end_date"], p.staged.where)
            (kept_updates if is_update else kept_inserts).append(p)
        return kept_inserts, kept_updates

    def _check_reviews(
        self, inserts: list[_Pending], updates: list[_Pending]
    ) -> tuple[list[_Pending], list[_Pending]]:
        """DfE 8841: a review conference comes after its plan's start, as ``integrity`` says."""
        kept: tuple[list[_Pending], list[_Pending]] = ([], [])
        for out, pending in zip(kept, (inserts, updates), strict=True):
            for p in pending:
                row = p.row
                span = self.plan_spans.get(row.get("plan_id"))
                if row.get("type") == models.ConferenceType.REVIEW and span is not None:
                    start = span[0]
                    bad = next(
                        (
                            f
                            for f in ("held_date", "scheduled_date")
                            if row.get(f) is not None and row[f] <= start
                        ),
                        None,
                    )
                    if bad is not None:
                        self._refuse(
                            p.staged,
                            [
                                FieldError(
                                    bad,
                                    f"{row[bad]:%d/%m/%Y} is on or before the plan's start "
                                    f"({start:%d/%m/%Y}); a review comes after the plan "
                                    "starts (DfE rule 8841)",
                                )
                            ],
                        )
                        continue
                out.append(p)
        return kept

    # -- writing ---------------------------------------------------------------

    def _write(self, kind: str, inserts: list[_Pending], updates: list[_Pending]) -> None:
        """Write the records, or, when the database refuses a value another record holds
        (a source id), refuse the records that hold it, naming the field, and write the
        rest. The check is made only after such a refusal, so a clean import pays nothing
        for it but a savepoint per kind and batch."""
        # PostgreSQL's COPY goes to the driver directly, so its refusals arrive unwrapped.
        refused = (sa.exc.IntegrityError, self.conn.dialect.dbapi.IntegrityError)
        try:
            with self.conn.begin_nested():
                self._write_now(kind, inserts, updates)
        except refused as exc:
            clashes = self._clashes(kind, inserts + updates)
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

    def _clashes(self, kind: str, pending: list[_Pending]) -> dict[_Pending, FieldError]:
        """The records whose value in a unique column another record (stored, or earlier in
        this import) already holds."""
        t = table(kind)
        label = models.kind(kind).label.lower()
        found: dict[_Pending, FieldError] = {}
        for cols in unique_columns(kind):
            name = cols[-1]
            if len(cols) != 1:
                continue
            own_ids = {p.before["id"] for p in pending if p.before is not None}
            first: dict[Any, _Pending] = {}
            for p in pending:
                value = p.row.get(name)
                if value is None:
                    continue
                if value in first:
                    found[p] = FieldError(
                        name,
                        f"{value!r} is also given at {first[value].staged.where}; each "
                        f"{label} needs its own",
                    )
                else:
                    first[value] = p
            for chunk in _chunks(list(first), IN_CHUNK):
                stored = self.conn.execute(sa.select(t.c.id, t.c[name]).where(t.c[name].in_(chunk)))
                for other_id, value in stored:
                    p = first[value]
                    if other_id != p.row.get("id") and other_id not in own_ids:
                        found[p] = FieldError(
                            name,
                            f"{value!r} is already held by another {label} "
                            f"({other_id}); each needs its own",
                        )
        return found

    def _write_now(self, kind: str, inserts: list[_Pending], updates: list[_Pending]) -> None:
        t = table(kind)
        audits: list[dict] = []
        registered: list[tuple[_Pending, dict]] = []
        if inserts:
            if models.kind(kind).id_type is int:
                for p, new_id in zip(inserts, self._new_ids(t, len(inserts)), strict=True):
                    p.row["id"] = new_id
            rows = [p.row for p in inserts]  # new records are at version 1
            self._insert(t, rows)
            for p, row in zip(inserts, rows, strict=True):
                audits.append(self._audit_row(kind, row["id"], "insert", 1, None, row))
                registered.append((p, row))
        if updates:
            groups: dict[tuple[str, ...], list[_Pending]] = defaultdict(list)
            for p in updates:
                groups[tuple(sorted(p.changed))].append(p)
            for cols, group in groups.items():
                stmt = (
                    t.update()
                    .where(t.c.id == sa.bindparam("w_id"), t.c.version == sa.bindparam("w_v"))
                    .values({c: sa.bindparam(f"v_{c}") for c in cols})
                    .values(version=sa.bindparam("v_version"))
                )
                params = [
                    {
                        "w_id": p.before["id"],
                        "w_v": p.before["version"],
                        "v_version": p.before["version"] + 1,
                        **{f"v_{c}": p.changed[c] for c in cols},
                    }
                    for p in group
                ]
                done = self.conn.execute(stmt, params).rowcount
                if done != len(group):
                    raise StoreError(
                        f"import stopped: {len(group) - done} {models.kind(kind).label.lower()} "
                        "record(s) were changed by someone else while importing. Nothing was "
                        "saved; run the import again."
                    )
            for p in updates:
                version = p.before["version"] + 1
                before = {k: p.before.get(k) for k in p.changed}
                audits.append(
                    self._audit_row(kind, p.before["id"], "update", version, before, p.changed)
                )
                registered.append((p, p.row))
        if audits:
            self._insert(audit_log, audits)
        for p, row in registered:  # only once the database has taken every row
            self._register(kind, p, row)
        for outcome, done in (("inserted", inserts), ("updated", updates)):
            if done:
                self.result.count(kind, outcome, len(done))

    def _insert(self, t: sa.Table, rows: list[dict]) -> None:
        """Insert rows with the driver's ``executemany``: SQLAlchemy's per-row work is the
        slowest part of a large import. Values are stored exactly as SQLAlchemy stores them,
        so reads through ``cptrack.storage.store`` and ``cptrack.caseload`` see the same values."""
        cols = [c.name for c in t.columns if c.name != "id" or "id" in rows[0]]
        sqlite = self.conn.dialect.name == "sqlite"
        convert = []
        for i, name in enumerate(cols):
            fn = _converter(t.c[name].type, sqlite)
            if fn is not None:
                convert.append((i, fn))
        mark = "?" if sqlite else "%s"
        names = ", ".join(f'"{c}"' for c in cols)
        sql = f'INSERT INTO "{t.name}" ({names}) VALUES ({", ".join(mark for _ in cols)})'
        take = operator.itemgetter(*cols)
        if not sqlite:
            self._copy(t, cols, [take(r) for r in rows], convert)
            return
        if not convert:
            params = [take(r) for r in rows]
        else:
            params = []
            for r in rows:
                values = list(take(r))
                for i, fn in convert:
                    if values[i] is not None:
                        values[i] = fn(values[i])
                params.append(tuple(values))
        self.conn.exec_driver_sql(sql, params)

    def _copy(self, t: sa.Table, cols: list[str], rows: list[tuple], convert) -> None:
        """PostgreSQL: rows through COPY, many times faster than INSERT for an import."""
        names = ", ".join(f'"{c}"' for c in cols)
        raw = self.conn.connection.dbapi_connection
        with raw.cursor() as cur, cur.copy(f'COPY "{t.name}" ({names}) FROM STDIN') as copy:
            for r in rows:
                if convert:
                    values = list(r)
                    for i, fn in convert:
                        if values[i] is not None:
                            values[i] = fn(values[i])
                    r = values
                copy.write_row(r)

    def _register(self, kind: str, p: _Pending, row: dict) -> None:
        self.ids[kind][p.staged.key] = row["id"]
        if kind == "cp_plans":
            self.plan_spans[row["id"]] = (row["start_date"], row["end_date"])

    def _audit_row(
        self, kind: str, record_id: Any, action: str, version: int, before, after
    ) -> dict:
        return {
            "at": self.at,
            "user": self.user,
            "table_name": kind,
            "record_id": str(record_id),
            "action": action,
            "version": version,
            "before": before,
            "after": after,
            "note": self.note,
        }

    def _new_ids(self, t: sa.Table, n: int) -> list[int]:
        dialect = self.conn.dialect.name
        if dialect == "sqlite":
            # Safe: an import holds SQLite's write lock (BEGIN IMMEDIATE) from its start.
            top = self.conn.execute(sa.select(sa.func.max(t.c.id))).scalar() or 0
            return list(range(top + 1, top + 1 + n))
        if dialect == "postgresql":
            return list(
                self.conn.execute(
                    sa.text(
                        "SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                        "FROM generate_series(1, :n)"
                    ),
                    {"t": t.name, "n": n},
                ).scalars()
            )
        raise StoreError(f"imports support SQLite and PostgreSQL, not {dialect}")

    def _existing(self, kind: str, children: list[str], source_ids: list[str]) -> list[dict]:
        """Stored rows that staged records of ``kind`` may match or refer to."""
        t = table(kind)
        rows: dict[Any, dict] = {}
        if kind == "teams":
            queries = [sa.select(t)]
        else:
            col = t.c.id if kind == "children" else t.c.child_id
            queries = [sa.select(t).where(col.in_(chunk)) for chunk in _chunks(children, IN_CHUNK)]
        queries += [sa.select(t).where(t.c.source_id.in_(c)) for c in _chunks(source_ids, IN_CHUNK)]
        for q in queries:
            for r in self.conn.execute(q):
                rows[r.id] = dict(r._mapping)
        return [rows[k] for k in sorted(rows, key=str if kind == "children" else None)]


# Every import's audit note starts "import " and names the day its file speaks for.
_REFERENCE = re.compile(r"reference date (\d{4}-\d{2}-\d{2})")


def _recorded_when(at: dt.datetime, user: str, note: str | None) -> tuple[dt.date, str]:
    """The day a write speaks for, and how to say who made it."""
    found = _REFERENCE.search(note or "") if (note or "").startswith("import ") else None
    if found:
        day = dt.date.fromisoformat(found[1])
        return day, f"from a return as of {day:%d/%m/%Y}, newer than this one"
    return at.date(), f"recorded by {user} on {at:%d/%m/%Y}, after this file's reference date"


def _may_be_newer(record_cls: type[models.Record], name: str, stored: dict) -> bool:
    """Whether the stored value of ``name`` is one an older file must not replace: not the
    source id, and a value someone stated (not blank, not the field's default, such as a
    child's sex "U" when a form left it unsaid)."""
    value = stored.get(name)
    if name == "source_id" or value is None:
        return False
    info = record_cls.model_fields.get(name)
    return info is None or info.default is None or value != info.default


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)


def _converter(col_type: sa.types.TypeEngine, sqlite: bool) -> Callable[[Any], Any] | None:
    """How a column's values are handed to the driver: JSON as text; on SQLite, dates and
    times as the ISO text SQLAlchemy's SQLite types write. None: as they are."""
    if isinstance(col_type, sa.JSON):
        return dumps
    if not sqlite:
        return None
    if isinstance(col_type, sa.DateTime):
        return lambda v: v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(col_type, sa.Date):
        return dt.date.isoformat
    if isinstance(col_type, sa.Time):
        return lambda v: v.strftime("%H:%M:%S.%f")
    return None


def _plan_conflicts(
    start: dt.date, end: dt.date | None, others: dict[Any, tuple]
) -> list[FieldError]:
    """The problems ``integrity._plans_do_not_overlap`` would find, in its words."""
    errors = []
    for other_id, (o_start, o_end, where) in others.items():
        name = f"plan {other_id}" if where is None else f"the plan at {where}"
        if end is None and o_end is None:
            errors.append(
                FieldError(
                    "end_date",
                    f"the child already has an open plan ({name}, from {o_start:%d/%m/%Y}); "
                    "end it first (DfE rule 8935)",
                )
            )
            continue
        if (o_end is None or start < o_end) and (end is None or o_start < end):
            span = (
                f"{o_start:%d/%m/%Y} to {o_end:%d/%m/%Y}"
                if o_end
                else f"open since {o_start:%d/%m/%Y}"
            )
            errors.append(FieldError("start_date", f"overlaps {name} ({span}); DfE rule 8940"))
    return errors


def _chunks(values: list, size: int) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


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
