"""What an importer hands over: records as its file states them, staged in batches.

An importer turns its file into ``Staged`` records collected in ``Batch``es (a batch holds a
few thousand children with everything about them); ``apply.Writer`` writes them. A record
refers to another by a ``Link``: that record's natural key (``NATURAL_KEYS``: a plan is "the
child's plan starting that day"), resolved to an id when the batch is applied. A record the
reader already knows it cannot import is a ``Refusal``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cptrack.domain import models
from cptrack.domain.models import FieldError


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


def matchable(key: tuple) -> bool:
    """Whether a natural key is whole enough to match a stored record by."""
    return all(v is not None and v != "" for v in key)
