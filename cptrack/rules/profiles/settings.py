"""The settings a profile may choose, declared once with their defaults and help
(STYLE.md §6), and the check of a value given for one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    choices: tuple[str, ...] = ()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "chair_role",
        "Chair",
        "what the authority calls the conference chair: Chair, IRO, QARO or any label",
    ),
    Setting(
        "icpc_clock",
        "s47",
        "which strategy discussion starts the ICPC clock: the one at "
        "which the s47 enquiry was initiated (s47, the DfE definition; its recorded link, "
        "else the latest s47-initiating discussion on or before the enquiry's start), the "
        "first or the last discussion since the child's previous initial conference",
        ("s47", "first", "last"),
    ),
    Setting(
        "visit_frequency_wd",
        10,
        "working days between statutory visits when the plan records no frequency of its own",
    ),
    Setting(
        "seen_alone_frequency_wd",
        20,
        "working days within which the child is seen alone again; no national figure",
    ),
    Setting(
        "seen_alone_from_age",
        4,
        "the age, in whole years, from which a child is expected to be seen alone; the clock "
        "starts at that birthday, and an unborn child is not expected to be (no national "
        "guidance or seed standard gives an age)",
    ),
    Setting(
        "core_group_frequency_wd",
        30,
        "working days between core groups after the first "
        "when the plan records none (30 = six weeks)",
    ),
    Setting(
        "midway_review_point",
        0.5,
        "where between a conference and the next review's due "
        "date the midway review falls (0.5 = halfway)",
    ),
    Setting(
        "midway_review_leeway",
        0.1,
        "how far either side of midway_review_point a midway review counts (0.1 = from 40% to "
        "60% of the way when the point is 0.5); a review before the window is not the midway "
        "review, and it is due by the window's end",
    ),
    Setting(
        "drift_thresholds_months",
        [9, 15, 18, 21],
        "plan lengths in months that raise an "
        "amber drift alert; the plan_duration rule's amount raises the red one",
    ),
    Setting(
        "drift_window_months",
        3,
        "the recent window, in months, in which repeated late visits raise the visits_missed alert",
    ),
    Setting(
        "missed_visits_alert",
        2,
        "late or missed visits within the drift window that raise the visits_missed alert",
    ),
    Setting(
        "review_booking_window_wd",
        20,
        "working days before a review is due by which it should be booked",
    ),
    Setting(
        "eram_within_wd",
        20,
        "working days after the second review by which an Enhanced "
        "Risk Analysis Meeting is held, where a profile has that rule",
    ),
    Setting("amber_window_wd", 5, "an open item due within this many working days is amber"),
    Setting(
        "date_only_hours",
        "lenient",
        "how a record with a date but no time is read "
        "against an hours rule: lenient (N hours = ceil(N/24) days; the boundary day "
        "counts as in time), strict (one day earlier), cannot_tell (the boundary day is "
        "undecided)",
        ("lenient", "strict", "cannot_tell"),
    ),
    Setting(
        "escalation_stages",
        ["informal", "team manager", "service manager", "head of service"],
        "the stages of the escalation procedure, in order",
    ),
    Setting(
        "escalation_response_wd",
        5,
        "working days for a response at each escalation stage, unless a stage is agreed otherwise",
    ),
)
SETTING_BY_NAME = {s.name: s for s in SETTINGS}


def setting_problem(spec: Setting, value: Any) -> str:
    """What is wrong with ``value`` for the setting ``spec``; empty when it will do."""
    default = spec.default
    if spec.choices and value not in spec.choices:
        return f"{value!r} is not one of {', '.join(spec.choices)}"
    if isinstance(default, bool) != isinstance(value, bool):
        return f"{value!r} should be {type(default).__name__}"
    if isinstance(default, int) and not (isinstance(value, int) and value >= 0):
        return f"{value!r} should be a whole number, 0 or more"
    if isinstance(default, float) and not (isinstance(value, int | float) and 0 < value < 1):
        return f"{value!r} should be a fraction between 0 and 1"
    if isinstance(default, str) and not (isinstance(value, str) and value.strip()):
        return f"{value!r} should be some text"
    if isinstance(default, list):
        if not isinstance(value, list) or not value:
            return f"{value!r} should be a non-empty list"
        if not all(isinstance(v, type(default[0])) for v in value):
            return f"{value!r} should be a list of {type(default[0]).__name__}"
        if isinstance(default[0], int) and value != sorted(value):
            return f"{value!r} should be in increasing order"
    return ""
