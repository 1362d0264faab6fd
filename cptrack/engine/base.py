"""The engine's base: what every rule family and the orchestration share.

The status codes (``MET`` .. ``CANNOT_TELL``, indexes into ``findings.STATUSES``), the
subject-table codes, the labels of each event, the raw columns a family returns, the
``Context`` a family reads and the family registry (``FAMILIES``, filled by ``@family``).
It imports nothing from the rest of ``cptrack.engine``: ``plan_history`` builds on it,
``reckoning`` and the rule families (``timescales``, ``chains``, ``paperwork``, ``drift``) on
both, and ``finishing``, ``frame`` and ``evaluation`` (``evaluate``) on all of them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cptrack.caseload import Caseload
from cptrack.columnar import Table
from cptrack.findings import STATUSES, SUBJECT_TABLES
from cptrack.rules.profiles import Profile, Rule

MET, MET_LATE, OVERDUE, DUE, NYA, CANNOT_TELL = range(6)

# The caseload's frames the engine reads (``caseload.load(..., kinds=KINDS)`` reads no other).
KINDS = (
    "children",
    "staff",
    "cin_episodes",
    "strategy_discussions",
    "s47_enquiries",
    "cp_plans",
    "conferences",
    "agency_reports",
    "core_groups",
    "visits",
    "plan_actions",
    "escalations",
    "case_tracking",
    "midway_reviews",
)

EVENT_LABELS = {
    "icpc": "Initial conference",
    "first_review": "First review conference",
    "review": "Review conference",
    "first_core_group": "First core group",
    "core_group": "Core group",
    "visit": "Visit",
    "visit_seen_alone": "Child seen alone",
    "report_to_chair": "Reports to the {chair}",
    "report_to_family": "Reports shared with the family",
    "decisions_distributed": "Decisions distributed",
    "plan_distributed": "Plan distributed",
    "minutes_distributed": "Minutes distributed",
    "birth_arrangements": "Birth Arrangements Form",
    "core_group_plan_distributed": "Plan distributed after the core group",
    "invitations_requested": "Invitations requested",
    "midway_review": "Midway review",
    "escalation_response": "Escalation response",
    "cin_meeting": "CIN meeting",
    "plan_duration": "Plan length",
    "repeat_plan": "Repeat plan",
    "eram": "Enhanced Risk Analysis Meeting",
    "actions_overdue": "Plan action",
    "core_group_not_held": "Core group not held",
    "visits_missed": "Visits missed",
    "chair_change": "Change of {chair}",
    "venue_change": "Change of venue",
    "core_group_without_social_worker": "Core group without the social worker",
    "review_not_booked": "Review not booked",
}

# The raw rows each rule family returns, before statuses and words are worked out.
RAW_COLUMNS = (
    "child_id",
    "child",  # the child's row in caseload.children (-1 if not there): for sorting
    "plan_id",
    "subject_table",
    "subject_id",
    "anchor_date",
    "due_date",
    "actual_date",
)
# Optional raw columns: booked_date, closed_date (the plan ended: the window to act closed),
# reason (cannot tell: what is missing), nya (not yet applicable: why), late (bool, decided
# by clock times), hours_late, and for drift: status, status_text.


@dataclass
class Context:
    """What every rule family reads: the caseload, the profile, the date, shared frames."""

    caseload: Caseload
    profile: Profile
    as_of: np.datetime64
    cache: dict[str, Any] = field(default_factory=dict)
    threads: int = 1
    # The timescale findings (every row, before statuses become a frame), which the drift
    # families read: ``evaluate`` sets it after the timescale families have run and before
    # any drift family runs. None until then (and when no timescale rule applies: empty).
    timescale: Table | None = None
    _locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def settings(self):
        return self.profile.settings

    def shared(self, name: str, build: Callable[[Context], Any]) -> Any:
        """A frame several families use, built once per evaluation (by whichever family
        asks first; others asking meanwhile wait for it)."""
        try:
            return self.cache[name]
        except KeyError:
            pass
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self.cache:
                self.cache[name] = build(self)
        return self.cache[name]

    def map(self, fn: Callable[[Any], Any], items: list) -> list:
        """``[fn(x) for x in items]``, on ``threads`` threads when there are several: numpy
        lets go of the interpreter lock in its loops, so the steps over whole caseloads run
        side by side. Only ``evaluate`` itself calls this (never a step it runs)."""
        if self.threads <= 1 or len(items) <= 1:
            return [fn(x) for x in items]
        return list(_executor(self.threads).map(fn, items))


_EXECUTORS: dict[int, Any] = {}
_EXECUTORS_LOCK = threading.Lock()


def _executor(threads: int):
    from concurrent.futures import ThreadPoolExecutor

    with _EXECUTORS_LOCK:  # evaluations on several threads of their own share one pool
        if threads not in _EXECUTORS:
            _EXECUTORS[threads] = ThreadPoolExecutor(threads, thread_name_prefix="cptrack-engine")
        return _EXECUTORS[threads]


Family = Callable[[Context, Rule], "Table | None"]
FAMILIES: dict[str, Family] = {}


def family(*events: str) -> Callable[[Family], Family]:
    """Register the function that finds a rule's occurrences for these events."""

    def register(fn: Family) -> Family:
        for event in events:
            FAMILIES[event] = fn
        return fn

    return register


NAT_D = np.datetime64("NaT", "D")


OPTIONAL = {
    "booked_date": np.datetime64("NaT", "D"),
    "closed_date": np.datetime64("NaT", "D"),
    "reason": "",  # cannot tell: what is missing
    "nya": "",  # not yet applicable: why
    "late": np.int8(-1),  # 1 late, 0 in time, by clock times; -1 decide by dates
    "hours_late": np.nan,
    "status": np.int8(-1),  # a status a drift family sets itself (index into STATUSES)
    "status_text": "",  # words a drift family sets itself
    "basis": np.int8(-1),  # a row's own basis (index into BASES) where it is not the rule's
    "basis_text": "",  # and its words (the plan's stricter frequency, say)
}
STATUS_CODE = {s: i for i, s in enumerate(STATUSES)}
SUBJECT_CODE = {name: i for i, name in enumerate(SUBJECT_TABLES)}
TEXT_COLUMNS = ("reason", "nya", "status_text", "basis_text")
