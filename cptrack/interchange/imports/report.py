"""What an import did: counts, the records it refused and why, and the data-quality report."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from cptrack.domain import models

# Parents before the records that refer to them: the order in which an import writes
# (cptrack.interchange.imports.apply) and reports its counts.
KIND_ORDER = (
    "teams",
    "children",
    "cin_episodes",
    "cin_plans",
    "strategy_discussions",
    "s47_enquiries",
    "cp_plans",
    "conferences",
    "core_groups",
    "visits",
    "plan_actions",
    "source_extras",
)

OUTCOMES = ("inserted", "updated", "unchanged", "rejected")


class ImportFileError(ValueError):
    """The file cannot be read as the format asked for; nothing was imported."""


@dataclass(frozen=True)
class Problem:
    """One record that could not be imported: where it is in the file, the field, the reason."""

    where: str
    kind: str
    field: str
    reason: str
    child: str | None = None

    def __str__(self) -> str:
        name = f"{self.field}: " if self.field else ""
        return f"{self.where}: {self.kind.lower()} not imported: {name}{self.reason}"


@dataclass(frozen=True)
class LeftAlone:
    """A stored value an import did not change, because it was recorded after the day the
    file speaks for: by a newer return, or by a person in cptrack."""

    where: str
    kind: str
    field: str
    kept: str
    offered: str
    reason: str
    child: str | None = None

    def __str__(self) -> str:
        offered = f"{self.offered!r}" if self.offered else "blank"
        return (
            f"{self.where}: {self.kind.lower()} {self.field}: kept {self.kept!r}, not "
            f"{offered} ({self.reason})"
        )


@dataclass
class ImportResult:
    """The outcome of one import (or dry run)."""

    format: str
    file: str
    dry_run: bool = False
    partial: bool = False
    committed: bool = False
    reference_date: Any = None
    counts: dict[str, Counter] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    left_alone: list[LeftAlone] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    findings: pd.DataFrame | None = None

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += n

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    @property
    def changed(self) -> int:
        return self.total("inserted") + self.total("updated")

    def summary(self) -> str:
        """A few lines for people: what happened, and what each kind of record did."""
        if self.dry_run:
            head = "Dry run: nothing was written."
        elif self.committed and self.problems:
            head = (
                f"Imported, leaving out {len(self.problems)} problem(s) listed below (--partial)."
            )
        elif self.committed:
            head = "Imported."
        elif self.problems:
            head = (
                f"Not imported: {len(self.problems)} problem(s) listed below. Nothing was "
                "written; fix the file, or use --partial to import the rest."
            )
        else:
            head = "Not imported."
        lines = [f"{self.format} {self.file}: {head}"]
        verb = (
            "would change"
            if self.dry_run
            else "changed"
            if self.committed
            else "would have changed"
        )
        for kind in sorted(self.counts, key=_kind_order):
            c = self.counts[kind]
            label = models.kind(kind).label if kind in models.BY_TABLE else kind
            parts = ", ".join(f"{c[o]} {o}" for o in OUTCOMES if c[o])
            lines.append(f"  {label}: {parts}")
        if not self.counts:
            lines.append("  no records found")
        if self.counts and not self.changed and not self.problems:
            lines.append(f"  Nothing {verb}: the database already holds what this file says.")
        if self.left_alone:
            lines.append(
                f"  Left alone: {len(self.left_alone)} value(s) recorded after this file's "
                f"reference date ({self.reference_date}), listed below; an older return does "
                "not blank or replace newer values."
            )
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def left_alone_text(self, limit: int | None = None) -> str:
        shown = self.left_alone if limit is None else self.left_alone[:limit]
        lines = [str(x) for x in shown]
        if limit is not None and len(self.left_alone) > limit:
            lines.append(f"... and {len(self.left_alone) - limit} more (use --out to save all)")
        return "\n".join(lines)

    def problems_text(self, limit: int | None = None) -> str:
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [str(p) for p in shown]
        if limit is not None and len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more (use --report to save all)")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        findings = [] if self.findings is None else _records(self.findings)
        return {
            "format": self.format,
            "file": self.file,
            "dry_run": self.dry_run,
            "partial": self.partial,
            "committed": self.committed,
            "reference_date": None if self.reference_date is None else str(self.reference_date),
            "counts": {k: dict(v) for k, v in self.counts.items()},
            "problems": [asdict(p) for p in self.problems],
            "left_alone": [asdict(x) for x in self.left_alone],
            "notes": list(self.notes),
            "findings": findings,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, default=str)


class ImportRefused(RuntimeError):
    """Records in the file were refused, so (without ``--partial``) nothing was imported."""

    def __init__(self, result: ImportResult):
        self.result = result
        super().__init__(result.summary())


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def _kind_order(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
