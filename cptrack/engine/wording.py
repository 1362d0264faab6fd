"""The words of the findings: each status as text ("overdue by 3 working days"), a due item
booked after its due date, and each row's message line, built once per distinct line."""

from __future__ import annotations

import numpy as np

from cptrack.columnar import distinct
from cptrack.engine.base import DUE, MET, MET_LATE, NYA, OVERDUE

UNIT_WORDS = {0: ("working day", "working days"), 1: ("day", "days"), 2: ("hour", "hours")}


def status_texts(pool, status, unit_kind, magnitude, ended, reason, nya) -> np.ndarray:
    """Words for each status as pool codes, formatted once per distinct combination ("met"
    needs no counting: most rows are met, so the rest are keyed on their own)."""
    out = np.full(len(status), pool.code("met"), dtype="int64")
    rest = np.flatnonzero(status != MET)
    if len(rest):
        out[rest] = _status_text_codes(
            pool,
            status[rest],
            unit_kind[rest],
            magnitude[rest],
            ended[rest],
            reason[rest],
            nya[rest],
        )
    return out


def _status_text_codes(pool, status, unit_kind, magnitude, ended, reason, nya) -> np.ndarray:
    mag = np.clip(magnitude, -(10**5), 10**5) + 10**5
    key = ((status.astype("int64") * 3 + unit_kind) * 2 + ended) * (2 * 10**5 + 1) + mag
    if reason.any() or nya.any():
        key = (key * (len(pool.words) + 1) + reason) * (len(pool.words) + 1) + nya
    codes, first = distinct(key)
    words = pool.words
    mapping = np.array(
        [
            pool.code(
                _status_text(
                    int(status[i]),
                    int(unit_kind[i]),
                    int(magnitude[i]),
                    bool(ended[i]),
                    words[reason[i]],
                    words[nya[i]],
                )
            )
            for i in first
        ],
        dtype="int64",
    )
    return mapping[codes]


def booked_late_text(after: int, to_due: int) -> str:
    """A due item booked after its due date, both counts in working days: "booked 1 working
    day after it is due (due in 12 working days)"."""

    def wds(n: int) -> str:
        return f"{n} working day{'' if n == 1 else 's'}"

    when = "due today" if to_due == 0 else f"due in {wds(to_due)}"
    return f"booked {wds(after)} after it is due ({when}): move it or record why"


def _status_text(status: int, unit_kind: int, n: int, ended: bool, reason: str, nya: str) -> str:
    one, many = UNIT_WORDS[unit_kind]
    amount = f"{abs(n)} {one if abs(n) == 1 else many}"
    if status == MET:
        return "met"
    if status == MET_LATE:
        return f"met late by {amount}" if n > 0 else "met late (same day)"
    if status == OVERDUE:
        if ended:
            return f"missed: not done when the window closed, {amount} after the due date"
        if n > 0:
            return f"overdue by {amount}"
        # No whole working day has passed since: due on the last working day (a Friday, say,
        # read on the Saturday after).
        return (
            "overdue: due on the last working day"
            if unit_kind == 0
            else ("overdue (due today has passed)")
        )
    if status == DUE:
        return "due today" if n == 0 else f"due in {amount}"
    if status == NYA:
        return f"not yet applicable: {nya}" if nya else "not yet applicable"
    return f"cannot tell: {reason}" if reason else "cannot tell"


def messages(pool, rule_no, labels, rules, status_text) -> np.ndarray:
    """ "<what> (<timescale>): <status> [<source>]", built once per distinct line. The due
    date is its own column (a date in every line would make millions of distinct lines)."""
    key = rule_no.astype("int64") * (len(pool.words) + 1) + status_text
    codes, first = distinct(key)
    heads = [
        labels[i] if r.kind == "drift" else f"{labels[i]} ({r.describe_timescale()})"
        for i, r in enumerate(rules)
    ]
    cites = [f" [{r.source_label}]" for r in rules]
    words = pool.words
    lines = [
        f"{heads[r]}: {words[t]}{cites[r]}"
        for r, t in zip(rule_no[first].tolist(), status_text[first].tolist(), strict=True)
    ]
    return pool.codes(np.array(lines, dtype=object))[codes]
