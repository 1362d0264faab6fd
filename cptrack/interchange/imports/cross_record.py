"""The cross-record rules of ``cptrack.storage.integrity``, applied to an import's batch.

The store checks these rules record by record as each is written; an import writes
thousands at once, so ``apply.Writer`` asks here first, for each kind, which of the records
it is about to write break them, in the words ``integrity`` uses (DfE 8935, 8940 and 8841).
References to the same child hold by construction, because links are made from the child's
own key. ``INTEGRITY_RULES`` says how each rule is honoured.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from cptrack.domain import models
from cptrack.domain.models import FieldError
from cptrack.interchange.imports.writing import Pending

# How each cross-record rule of cptrack.storage.integrity is honoured for imported kinds. A test
# compares this with integrity.CHECKS, so a new rule there cannot be skipped here unnoticed.
INTEGRITY_RULES: dict[str, dict[str, str]] = {
    "cp_plans": {"_plans_do_not_overlap": "cross_record.check_plans"},
    "conferences": {
        "_review_after_plan_start": "cross_record.check_reviews",
        "_conferences_plan_id_same_child": "links are keyed by the conference's child",
        "_conferences_s47_id_same_child": "links are keyed by the conference's child",
    },
    "core_groups": {"_core_groups_plan_id_same_child": "links are keyed by the child"},
    "visits": {"_visits_plan_id_same_child": "links are keyed by the child"},
    "plan_actions": {"_plan_actions_plan_id_same_child": "links are keyed by the child"},
}

# What a check keeps to write (inserts, updates) and what it refuses, in the order found.
Checked = tuple[list[Pending], list[Pending], list[tuple[Pending, list[FieldError]]]]


def check_plans(inserts: list[Pending], updates: list[Pending], existing: list[dict]) -> Checked:
    """DfE 8935 (one open plan) and 8940 (no overlaps), as ``integrity`` words them.

    Candidates are taken in file order against the plans held so far (stored ones, then
    accepted candidates), exactly as writing them one by one would judge them.
    """
    held: dict[str, dict[Any, tuple]] = defaultdict(dict)
    for row in existing:
        held[row["child_id"]][row["id"]] = (row["start_date"], row["end_date"], None)
    kept_inserts: list[Pending] = []
    kept_updates: list[Pending] = []
    refused: list[tuple[Pending, list[FieldError]]] = []
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
            refused.append((p, errors))
            continue
        held[row["child_id"]][own] = (row["start_date"], row["end_date"], p.staged.where)
        (kept_updates if is_update else kept_inserts).append(p)
    return kept_inserts, kept_updates, refused


def check_reviews(
    inserts: list[Pending],
    updates: list[Pending],
    plan_spans: dict[int, tuple[dt.date, dt.date | None]],
) -> Checked:
    """DfE 8841: a review conference comes after its plan's start, as ``integrity`` says.

    ``plan_spans`` holds the (start, end) of each plan stored or written so far, by id."""
    kept: tuple[list[Pending], list[Pending]] = ([], [])
    refused: list[tuple[Pending, list[FieldError]]] = []
    for out, pending in zip(kept, (inserts, updates), strict=True):
        for p in pending:
            row = p.row
            span = plan_spans.get(row.get("plan_id"))
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
                    refused.append(
                        (
                            p,
                            [
                                FieldError(
                                    bad,
                                    f"{row[bad]:%d/%m/%Y} is on or before the plan's start "
                                    f"({start:%d/%m/%Y}); a review comes after the plan "
                                    "starts (DfE rule 8841)",
                                )
                            ],
                        )
                    )
                    continue
            out.append(p)
    return kept[0], kept[1], refused


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
