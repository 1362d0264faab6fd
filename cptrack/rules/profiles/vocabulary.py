"""The words a profile file may use: the events a rule governs and the anchors each counts
from, the conference types, outcomes, directions, kinds and bases, and the patterns an id
and a citation must match. Checking a file (``validation``) refuses anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONFERENCE_TYPES = ("initial", "review", "pre_birth", "transfer_in")
OUTCOMES = ("plan", "cin")
DIRECTIONS = ("before", "after")
KINDS = ("timescale", "drift")
# What a rule rests on (docs/standards-profiles.md, "Bases"): national guidance or statistics
# (only the figures cptrack.rules.sources.NATIONAL_FIGURES lists), the authority's own standard (a
# seed file and paragraph, or its published URL), the plan's own record (a date or frequency
# the conference or core group set), or a local setting (a figure the authority chooses; no
# source gives it, and cptrack says so).
BASES = ("national", "authority", "plan", "local")
BASIS_LABELS = {
    "national": "national guidance",
    "authority": "this authority's standard",
    "plan": "the plan's own record",
    "local": "local setting",
}
CHILD_FLAGS = ("interpreter_needed", "parent_learning_disability")
CITATION_PATTERN = re.compile(r"^(\d{3}_[0-9a-f]{16}\.txt\b.+|https://\S+.*)$")
RULE_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
CITATION_HELP = (
    "give a seed file and paragraph (e.g. '003_b9b37e5469565ffe.txt §4.14') or an https URL"
)

# ---------------------------------------------------------------------------
# The events the engine checks, and the anchors each may start from


@dataclass(frozen=True)
class Event:
    """An event a rule can govern: its kind, the anchors it may count from, and whether
    cptrack records what it needs to check it."""

    kind: str
    anchors: tuple[str, ...]
    help: str
    directions: tuple[str, ...] = ("after",)
    plan_field: str | None = None
    checkable: bool = True


EVENTS: dict[str, Event] = {
    "icpc": Event(
        "timescale",
        ("strategy_discussion", "s47_start"),
        "the initial (or pre-birth) conference is held",
    ),
    "first_review": Event(
        "timescale", ("icpc",), "the first review conference after a plan is made"
    ),
    "review": Event(
        "timescale", ("previous_conference",), "each later review conference of the plan"
    ),
    "first_core_group": Event("timescale", ("icpc",), "the first core group after a plan is made"),
    "core_group": Event(
        "timescale",
        ("previous_core_group",),
        "each later core group meeting",
        plan_field="core_group_frequency_wd",
    ),
    "visit": Event(
        "timescale",
        ("previous_visit",),
        "the child is seen on a statutory visit (the first counts from the plan's start)",
        plan_field="visit_frequency_wd",
    ),
    "visit_seen_alone": Event(
        "timescale",
        ("previous_visit_seen_alone",),
        "the child is seen alone on a visit (the first counts from the plan's start)",
    ),
    "report_to_chair": Event(
        "timescale", ("conference",), "an agency report reaches the chair", ("before",)
    ),
    "report_to_family": Event(
        "timescale", ("conference",), "an agency report is shared with the family", ("before",)
    ),
    "decisions_distributed": Event(
        "timescale", ("conference",), "the conference's decisions are distributed"
    ),
    "plan_distributed": Event(
        "timescale", ("conference",), "the child protection plan is distributed"
    ),
    "minutes_distributed": Event(
        "timescale", ("conference",), "the minutes (with the plan) are distributed"
    ),
    "birth_arrangements": Event(
        "timescale",
        ("first_core_group", "icpc"),
        "the Birth Arrangements Form is distributed after a pre-birth conference",
    ),
    "core_group_plan_distributed": Event(
        "timescale",
        ("core_group",),
        "the updated plan is distributed after each core group (its date recorded on the core "
        "group)",
    ),
    "invitations_requested": Event(
        "timescale",
        ("date_set",),
        "the invitations to a conference are requested once its date is set (the date set and "
        "the request recorded on the conference)",
    ),
    "midway_review": Event(
        "timescale",
        ("midpoint",),
        "the chair's midway review between conferences, due by the end of the midway window "
        "(settings midway_review_point and midway_review_leeway)",
    ),
    "escalation_response": Event(
        "timescale",
        ("escalation_raised",),
        "a response to the chair's escalation (due on the agreed response date; the amount "
        "is the default the escalation form proposes)",
    ),
    "cin_meeting": Event(
        "timescale",
        ("conference",),
        "a Child in Need meeting after a conference decides on a CIN plan",
        checkable=False,
    ),
    "plan_duration": Event(
        "drift",
        ("plan_start",),
        "an open plan has lasted past the drift thresholds (setting drift_thresholds_months; "
        "the rule's amount is the red line)",
    ),
    "repeat_plan": Event("drift", ("plan_start",), "an open plan is a second or later plan"),
    "eram": Event(
        "drift",
        ("second_review",),
        "an Enhanced Risk Analysis Meeting once a plan continues after its second review",
    ),
    "actions_overdue": Event("drift", ("action_due",), "a plan action is past its due date"),
    "core_group_not_held": Event(
        "drift", ("core_group_date",), "a core group was cancelled or its date passed unheld"
    ),
    "visits_missed": Event(
        "drift",
        ("visit_due",),
        "visits late or missed repeatedly (settings missed_visits_alert, drift_window_months)",
    ),
    "chair_change": Event(
        "drift", ("conference",), "a plan's conferences were chaired by more than one chair"
    ),
    "venue_change": Event(
        "drift", ("conference",), "a plan's conferences were held at more than one venue"
    ),
    "core_group_without_social_worker": Event(
        "drift",
        ("core_group_date",),
        "a meeting recorded as a core group was held without the social worker; while the "
        "profile applies this rule such a meeting does not count as a core group",
    ),
    "review_not_booked": Event(
        "drift",
        ("review_due",),
        "the next review is due soon (setting review_booking_window_wd) but none is booked",
        ("before",),
    ),
}

# The anchors in words, as a chair reads them in a rule's timescale.
ANCHOR_WORDS = {
    "strategy_discussion": "strategy discussion",
    "s47_start": "start of the section 47 enquiry",
    "icpc": "conference that made the plan",
    "previous_conference": "previous conference",
    "previous_core_group": "previous core group",
    "previous_visit": "previous visit",
    "previous_visit_seen_alone": "last time the child was seen alone",
    "conference": "conference",
    "first_core_group": "first core group",
    "midpoint": "midway window between conferences",
    "core_group": "core group",
    "date_set": "day the conference date was set",
    "escalation_raised": "escalation",
    "plan_start": "plan's start",
    "second_review": "second review",
    "action_due": "action's due date",
    "core_group_date": "core group's date",
    "visit_due": "visit's due date",
    "review_due": "review's due date",
}
