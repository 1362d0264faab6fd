"""Standards profiles: each authority's timescales and settings as data, in one registry.

A profile is a TOML file in this folder (or anywhere, for a user's own). ``national`` holds
Working Together 2023; each authority's file says ``extends = "national"`` and adds,
overrides or switches off rules by id. The engine (``cptrack.engine``) interprets the
rules; adding an authority never means editing engine code.

A file has these sections::

    extends = "national"            # optional: a registry name or a path beside this file

    [authority]                     # who the profile is for
    name = "Sunderland"
    description = "Core Practice Standards ... (seed 003)"

    [settings]                      # choices the standards leave open; see SETTINGS
    icpc_clock = "first"
    [settings.citations]            # optional: where a setting's value comes from
    icpc_clock = "003_b9b37e5469565ffe.txt §1.1"

    [[rules]]                       # one timescale or drift rule; see RULE_FIELDS
    id = "icpc_within_15wd"
    text = "The initial conference is held within 15 working days of ..."
    event = "icpc"                  # what the rule governs; see EVENTS
    anchor = "strategy_discussion"  # when the clock starts; allowed anchors per event
    amount = 15
    unit = "working_days"           # working_days, calendar_days, hours, weeks, months
    direction = "after"             # after the anchor, or before it (reports)
    applies_to = ["initial", "pre_birth"]
    citation = "https://..."        # a seed file and paragraph, or an https URL

A rule entry whose id is already in the parent profile changes only the fields it gives:
``applied = false`` with a ``reason`` switches a rule off but keeps it listed. Where a
source contradicts itself, the profile holds both rules, one with ``applied = false``, a
``reason`` and ``conflicts_with`` naming the one the checks apply.

Adding a section (a preparation checklist, an observation framework): write a function
``parse(value, problems) -> typed value`` that appends ``Problem``s for anything wrong,
name it in ``SECTIONS`` below as ``"module:function"`` with a line of help, and document
the section in your module. The loader imports the function only when a profile has the
section; a child profile's section replaces its parent's whole. Unknown sections are
refused, so a typo never passes silently.
"""

from __future__ import annotations

import copy
import importlib
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cptrack.domain.models import Agency
from cptrack.rules.sources import (
    NATIONAL_FIGURES,
    names_national_source,
    national_figure,
    short_citation,
)
from cptrack.rules.workdays import UNITS

HERE = Path(__file__).resolve().parent

# One registry: every profile shipped with cptrack. A test checks that every .toml file
# here is listed and that every listed profile loads.
REGISTRY: dict[str, str] = {
    "national": "national.toml",
    "authority-a": "authority-a.toml",
    "lbh": "lbh.toml",
    "bathnes": "bathnes.toml",
    "sunderland": "sunderland.toml",
    "dorset": "dorset.toml",
}

# Extension sections, by name: "module:function" and a line of help (see module doc).
SECTIONS: dict[str, tuple[str, str]] = {
    "observation": (
        "cptrack.quality.observation:parse",
        "the practice observation framework: domains and criteria with their sources, "
        "applied to the standard framework (docs/qa.md)",
    ),
    "preparation_checklist": (
        "cptrack.rules.checklist:parse",
        "the chair's conference preparation checklist: items with their sources, answered "
        "by the records or ticked by the chair (cptrack/rules/checklist.py)",
    ),
}

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


# ---------------------------------------------------------------------------
# Settings: declared once, with defaults and help (STYLE.md §6)


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


# ---------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class Rule:
    """One standard: what must happen, counted from what, by when, and who says so."""

    id: str
    text: str
    event: str
    anchor: str
    amount: int
    unit: str
    direction: str
    applies_to: tuple[str, ...]
    citation: str
    kind: str = "timescale"
    applied: bool = True
    reason: str = ""
    conflicts_with: str = ""
    amount_from: str = ""
    agencies: tuple[str, ...] = ()
    when: str = ""
    exclude_confidential: bool = False
    basis: str = "authority"
    # Where the figure this rule applies comes from, and that in words, worked out from the
    # basis, the citation and the settings the rule reads (see ``figure_basis``).
    figure_basis: str = field(default="", compare=False)
    basis_text: str = field(default="", compare=False)
    # The text as the profile declares it, with settings named in braces ("every
    # {visit_frequency_wd} working days"); ``text`` has them filled in with this profile's
    # values (see ``wording``).
    template: str = field(default="", compare=False)

    @property
    def declared_text(self) -> str:
        """The text as declared, to be filled again from another profile's settings."""
        return self.template or self.text

    @property
    def cited(self) -> str:
        """The citation, or for a rule with none what it rests on ("local setting", "the
        plan's own record"): the findings' ``citation`` column."""
        return self.citation or BASIS_LABELS[self.figure_basis or self.basis]

    @property
    def source_label(self) -> str:
        """The short source a chair reads beside the rule: "003 §4.14", "Working Together
        2023", "local setting" or "the plan's own record"."""
        if self.figure_basis in ("local", "plan") and not self.citation:
            return BASIS_LABELS[self.figure_basis]
        if self.figure_basis == "local":
            return f"{short_citation(self.citation)}; timing: local setting"
        return short_citation(self.citation)

    @property
    def signed_amount(self) -> int:
        return -self.amount if self.direction == "before" else self.amount

    def describe_timescale(self) -> str:
        """The timescale in words: "within 15 working days of the strategy discussion"."""
        anchor = ANCHOR_WORDS.get(self.anchor, self.anchor.replace("_", " "))
        if self.amount == 0:
            return f"by the {anchor}" if self.direction == "before" else f"on the {anchor}"
        unit = self.unit.replace("_", " ")
        if self.amount == 1:
            unit = {
                "working days": "working day",
                "calendar days": "day",
                "hours": "hour",
                "weeks": "week",
                "months": "month",
            }[unit]
        elif unit == "calendar days":
            unit = "days"
        if self.direction == "before":
            return f"{self.amount} {unit} before the {anchor}"
        return f"within {self.amount} {unit} of the {anchor}"


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


REQUIRED = ("id", "text", "event", "anchor", "unit", "direction", "applies_to", "basis")
RULE_FIELDS = {f.name for f in fields(Rule)} - {"template", "figure_basis", "basis_text"}
SETTING_IN_TEXT = re.compile(r"\{(\w+)\}")
TEXT_ALIASES = {"chair": "chair_role"}  # as in checklist items


def wording(template: str, settings: Mapping[str, Any]) -> str:
    """A rule's text with each ``{setting}`` replaced by this profile's value (a list as
    "9, 15 and 18"), so that a chair reads the figure, not the setting's name; ``{chair}``
    reads as the setting chair_role, as in checklist items."""

    def value(m: re.Match) -> str:
        v = settings[TEXT_ALIASES.get(m.group(1), m.group(1))]
        if isinstance(v, list | tuple):
            words = [str(x) for x in v]
            return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
        return f"{v:g}" if isinstance(v, float) else str(v)

    return SETTING_IN_TEXT.sub(value, template)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a profile file: the rule (if any), the field, what is wrong."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}"


class ProfileError(ValueError):
    """A profile file was refused; ``problems`` names each rule and field."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = list(problems)
        lines = "\n  ".join(str(p) for p in self.problems)
        super().__init__(f"profile {source} is not valid:\n  {lines}")


@dataclass(frozen=True)
class Profile:
    """An authority's standards: rules, settings and any extension sections."""

    id: str
    name: str
    description: str
    rules: tuple[Rule, ...]
    settings: Mapping[str, Any]
    setting_citations: Mapping[str, str] = field(default_factory=dict)
    sections: Mapping[str, Any] = field(default_factory=dict)
    extends: str | None = None
    source: str = ""

    @property
    def chair_role(self) -> str:
        return str(self.settings["chair_role"])

    @property
    def applied_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.applied)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(f"profile {self.id} has no rule {rule_id!r}")

    def rules_for(self, event: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.applied and r.event == event)

    def setting(self, name: str) -> Any:
        return self.settings[name]


# ---------------------------------------------------------------------------
# Loading


def available() -> list[str]:
    """The registered profile names."""
    return list(REGISTRY)


def load(name_or_path: str | Path) -> Profile:
    """A registered profile by name, or a profile file by path."""
    text = str(name_or_path)
    if text in REGISTRY:
        return _load_registered(text)
    path = Path(text)
    if path.suffix == ".toml" or path.exists():
        return load_file(path)
    raise ProfileError(
        text,
        [
            Problem(
                "profile",
                "name",
                f"no profile {text!r}; known: {', '.join(REGISTRY)}, or "
                "give the path of a .toml file",
            )
        ],
    )


@cache
def _load_registered(name: str) -> Profile:
    return load_file(HERE / REGISTRY[name], profile_id=name)


def load_file(path: str | Path, profile_id: str | None = None) -> Profile:
    """Read, merge with its parent and validate a profile file."""
    path = Path(path)
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(source, [Problem("file", "path", "no such file")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(source, [Problem("file", "syntax", str(exc))]) from None
    return from_dict(data, profile_id=profile_id or path.stem, source=source, base_dir=path.parent)


def from_dict(
    data: Mapping[str, Any],
    *,
    profile_id: str,
    source: str = "<dict>",
    base_dir: Path | None = None,
) -> Profile:
    """Validate profile data (as read from TOML) into a ``Profile``."""
    problems: list[Problem] = []
    data = dict(data)
    extends = data.pop("extends", None)
    parent: Profile | None = None
    if extends is not None:
        try:
            parent = _parent(str(extends), base_dir)
        except ProfileError as exc:
            problems.append(Problem("extends", "extends", str(exc).splitlines()[0]))

    authority = data.pop("authority", {})
    if not isinstance(authority, dict):
        problems.append(Problem("authority", "authority", "must be a table"))
        authority = {}
    for key in set(authority) - {"name", "description"}:
        problems.append(Problem("authority", key, "is not a field of [authority]"))
    name = authority.get("name") or (parent.name if parent else "")
    if not name:
        problems.append(Problem("authority", "name", "is required"))

    settings, citations = _settings(data.pop("settings", {}), parent, problems)
    rules = _rules(data.pop("rules", []), parent, settings, citations, problems)
    sections = dict(parent.sections) if parent else {}
    for key in list(data):
        value = data.pop(key)
        if key not in SECTIONS:
            known = ", ".join(["extends", "authority", "settings", "rules", *SECTIONS])
            problems.append(
                Problem(
                    f"[{key}]",
                    key,
                    f"is not a known section; known: {known} (see "
                    "cptrack.rules.profiles to add a section)",
                )
            )
            continue
        parse = _section_parser(SECTIONS[key][0])
        sections[key] = parse(value, problems)
    if problems:
        raise ProfileError(source, problems)
    return Profile(
        id=profile_id,
        name=str(name),
        description=str(authority.get("description") or (parent.description if parent else "")),
        rules=tuple(rules),
        settings=MappingProxyType(settings),
        setting_citations=MappingProxyType(citations),
        sections=MappingProxyType(sections),
        extends=str(extends) if extends is not None else None,
        source=source,
    )


def check_file(path: str | Path) -> list[Problem]:
    """The problems with a profile file; empty when it is valid."""
    try:
        load_file(path)
    except ProfileError as exc:
        return exc.problems
    return []


def _parent(extends: str, base_dir: Path | None) -> Profile:
    if extends in REGISTRY:
        return _load_registered(extends)
    path = Path(extends)
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path
    return load_file(path)


def _section_parser(target: str) -> Callable[[Any, list[Problem]], Any]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _settings(
    raw: Any, parent: Profile | None, problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, str]]:
    settings = (
        dict(parent.settings) if parent else {s.name: copy.deepcopy(s.default) for s in SETTINGS}
    )
    citations = dict(parent.setting_citations) if parent else {}
    if not isinstance(raw, dict):
        problems.append(Problem("settings", "settings", "must be a table"))
        return settings, citations
    raw = dict(raw)
    for key, cite in dict(raw.pop("citations", {})).items():
        if key not in SETTING_BY_NAME:
            problems.append(Problem("settings.citations", key, "is not a known setting"))
        elif not CITATION_PATTERN.match(str(cite)):
            problems.append(Problem("settings.citations", key, _CITATION_HELP))
        else:
            citations[key] = str(cite)
    for key, value in raw.items():
        spec = SETTING_BY_NAME.get(key)
        if spec is None:
            known = ", ".join(SETTING_BY_NAME)
            problems.append(Problem("settings", key, f"is not a known setting; known: {known}"))
            continue
        message = _setting_problem(spec, value)
        if message:
            problems.append(Problem("settings", key, message))
        else:
            settings[key] = value
    return settings, citations


def _setting_problem(spec: Setting, value: Any) -> str:
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


_CITATION_HELP = (
    "give a seed file and paragraph (e.g. '003_b9b37e5469565ffe.txt §4.14') or an https URL"
)


def _rules(
    raw: Any,
    parent: Profile | None,
    settings: Mapping[str, Any],
    citations: Mapping[str, str],
    problems: list[Problem],
) -> list[Rule]:
    merged: dict[str, dict[str, Any]] = {}
    if parent:
        for r in parent.rules:
            entry = {f: getattr(r, f) for f in RULE_FIELDS}
            entry["text"] = r.declared_text  # filled again from this profile's settings
            if r.amount_from:
                entry.pop("amount")  # recomputed from this profile's settings
            merged[r.id] = entry
    if not isinstance(raw, list):
        problems.append(Problem("rules", "rules", "must be an array of tables ([[rules]])"))
        raw = []
    seen: set[str] = set()
    for i, entry in enumerate(raw, 1):
        if not isinstance(entry, dict):
            problems.append(Problem(f"rule #{i}", "rules", "must be a table"))
            continue
        rid = entry.get("id")
        where = f"rule {rid}" if rid else f"rule #{i}"
        if not rid:
            problems.append(Problem(where, "id", "is required"))
            continue
        if rid in seen:
            problems.append(Problem(where, "id", "appears twice in this file"))
            continue
        seen.add(rid)
        unknown = set(entry) - RULE_FIELDS
        for key in sorted(unknown):
            problems.append(
                Problem(
                    where, key, f"is not a rule field; fields: {', '.join(sorted(RULE_FIELDS))}"
                )
            )
        base = merged.get(rid, {})
        update = {k: v for k, v in entry.items() if k in RULE_FIELDS}
        if "amount" in update:
            base.pop("amount_from", None)
        merged[rid] = {**base, **update}
    out = []
    for rid, entry in merged.items():
        rule = _rule(rid, entry, settings, citations, problems)
        if rule is not None:
            out.append(rule)
    ids = {r.id for r in out}
    for r in out:
        if r.conflicts_with and r.conflicts_with not in ids:
            problems.append(
                Problem(f"rule {r.id}", "conflicts_with", f"no rule {r.conflicts_with!r}")
            )
    return out


def _rule(
    rid: str,
    e: dict[str, Any],
    settings: Mapping[str, Any],
    citations: Mapping[str, str],
    problems: list[Problem],
):
    where = f"rule {rid}"
    before = len(problems)

    def bad(field_name: str, message: str) -> None:
        problems.append(Problem(where, field_name, message))

    if not RULE_ID_PATTERN.match(rid):
        bad("id", "use lower-case letters, digits and _, starting with a letter")
    for name in REQUIRED:
        if e.get(name) in (None, "", []):
            bad(name, "is required")
    if len(problems) > before:
        return None
    kind = e.get("kind", "timescale")
    event = EVENTS.get(e["event"])
    if kind not in KINDS:
        bad("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if event is None:
        bad("event", f"{e['event']!r} is not a known event; known: {', '.join(EVENTS)}")
    else:
        if kind in KINDS and event.kind != kind:
            bad("kind", f"event {e['event']} is a {event.kind} event")
        if e["anchor"] not in event.anchors:
            bad(
                "anchor",
                f"{e['anchor']!r} is not an anchor of {e['event']}; use one of "
                f"{', '.join(event.anchors)}",
            )
        if e["direction"] not in event.directions and e["direction"] in DIRECTIONS:
            bad("direction", f"{e['event']} counts {' or '.join(event.directions)} its anchor")
        if e.get("applied", True) and not event.checkable:
            bad(
                "applied",
                f"cptrack records nothing to check {e['event']} against; set "
                "applied = false with a reason",
            )
    if e["unit"] not in UNITS:
        bad("unit", f"{e['unit']!r} is not one of {', '.join(UNITS)}")
    if e["direction"] not in DIRECTIONS:
        bad("direction", f"{e['direction']!r} is not one of {', '.join(DIRECTIONS)}")
    applies = e["applies_to"]
    if isinstance(applies, str):
        applies = [applies]
    allowed = CONFERENCE_TYPES + OUTCOMES
    for a in applies:
        if a not in allowed:
            bad("applies_to", f"{a!r} is not one of {', '.join(allowed)}")
    basis = e["basis"]
    citation = str(e.get("citation") or "")
    if basis not in BASES:
        bad("basis", f"{basis!r} is not one of {', '.join(BASES)}")
    elif basis in ("national", "authority") and not citation:
        bad("citation", f"is required for basis {basis!r}: {_CITATION_HELP}")
    if citation and not CITATION_PATTERN.match(citation):
        bad("citation", _CITATION_HELP)
    amount_from = e.get("amount_from", "")
    amount = e.get("amount")
    if amount_from:
        spec = SETTING_BY_NAME.get(amount_from)
        if spec is None or not isinstance(spec.default, int) or isinstance(spec.default, bool):
            bad("amount_from", f"{amount_from!r} is not a whole-number setting")
        else:
            amount = settings[amount_from]
    if amount is None:
        bad("amount", "is required (or amount_from naming a setting)")
    elif isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        bad("amount", f"{amount!r} should be a whole number, 0 or more")
    elif event is not None and basis in BASES:
        for name, message in _national_problems(e, basis, citation, amount, amount_from):
            bad(name, message)
    if not e.get("applied", True) and not e.get("reason"):
        bad("reason", "say why a rule that is not applied is listed")
    for agency in e.get("agencies", ()):
        if agency not in {a.value for a in Agency}:
            bad("agencies", f"{agency!r} is not an agency code")
    if e.get("when") and e["when"] not in CHILD_FLAGS:
        bad("when", f"{e['when']!r} is not one of {', '.join(CHILD_FLAGS)}")
    for name in ("text", "reason", "conflicts_with", "citation"):
        if name in e and not isinstance(e[name], str):
            bad(name, "should be text")
    template = " ".join(str(e.get("text", "")).split())
    for name in SETTING_IN_TEXT.findall(template):
        if TEXT_ALIASES.get(name, name) not in SETTING_BY_NAME:
            bad("text", f"{{{name}}} is not a setting")
    if len(problems) > before:
        return None
    rule = Rule(
        id=rid,
        text=wording(template, settings),
        template=template,
        event=e["event"],
        anchor=e["anchor"],
        amount=int(amount),
        unit=e["unit"],
        direction=e["direction"],
        applies_to=tuple(applies),
        citation=citation,
        kind=kind,
        applied=bool(e.get("applied", True)),
        reason=" ".join(str(e.get("reason", "")).split()),
        conflicts_with=str(e.get("conflicts_with", "")),
        amount_from=str(amount_from),
        agencies=tuple(e.get("agencies", ())),
        when=str(e.get("when", "")),
        exclude_confidential=bool(e.get("exclude_confidential", False)),
        basis=basis,
    )
    return with_basis(rule, settings, citations)


def _national_problems(e, basis: str, citation: str, amount: int, amount_from: str):
    """A rule may rest on national guidance or statistics only for a figure they fix
    (cptrack.rules.sources.NATIONAL_FIGURES), and may cite them for nothing else."""
    figure = national_figure(e["event"], e["anchor"], amount, e["unit"])
    fixed = "; ".join(
        f"{f.document}: {f.amount} {f.unit.replace('_', ' ')} for {f.event}"
        for f in NATIONAL_FIGURES
    )
    what = f"{amount} {e['unit'].replace('_', ' ')} {e['direction']} the {e['anchor']} for {e['event']}"
    if basis == "national":
        if amount_from:
            yield "amount_from", "a national figure is fixed by the guidance, not by a setting"
        elif figure is None:
            yield (
                "basis",
                (
                    f"national guidance and statistics fix no figure of {what} (they fix only: "
                    f'{fixed}); a figure the authority chooses is basis = "local", and its own '
                    'standard basis = "authority" with the seed and paragraph'
                ),
            )
        elif not citation.startswith(figure.url):
            yield "citation", f"cite where the figure is: {figure.citation}"
    elif names_national_source(citation):
        yield (
            "citation",
            (
                f"names national guidance or statistics, which fix no figure of {what} (they fix "
                f'only: {fixed}); cite the authority\'s own standard, or make it basis = "local" '
                "with no citation"
            ),
        )


def with_basis(rule: Rule, settings: Mapping[str, Any], citations: Mapping[str, str]) -> Rule:
    """The rule with ``figure_basis`` and ``basis_text``: where the figure it applies comes
    from, in words a chair reads ("local setting: every 10 working days, cptrack's default;
    no national guidance or seed standard gives this figure")."""
    basis, citation = rule.basis, rule.citation
    if basis == "national":
        figure = national_figure(rule.event, rule.anchor, rule.amount, rule.unit)
        text = f"national: {figure.document}, {figure.section} ({figure.fixes})"
        return replace(rule, figure_basis="national", basis_text=text)
    names = [rule.amount_from] if rule.amount_from else []
    names += [
        n
        for n in SETTING_IN_TEXT.findall(rule.template or rule.text)
        if TEXT_ALIASES.get(n, n) == n
        and n not in names
        and n in SETTING_BY_NAME
        and n != "chair_role"
    ]
    cited = [citations[n] for n in names if n in citations]
    uncited = [n for n in names if n not in citations]
    if basis == "plan":
        text = "the plan's own record: the date the conference, core group or plan set"
        return replace(rule, figure_basis="plan", basis_text=text)
    if basis == "authority" and not uncited:
        source = short_citation(cited[0] if cited and rule.amount_from else citation)
        return replace(
            rule, figure_basis="authority", basis_text=f"this authority's standard: {source}"
        )
    if basis == "local" and not uncited and cited:
        return replace(
            rule,
            figure_basis="authority",
            basis_text=f"this authority's standard: {short_citation(cited[0])}",
        )
    changed = any(settings[n] != SETTING_BY_NAME[n].default for n in uncited)
    who = "set by this authority" if changed else "cptrack's default"
    if rule.amount_from:
        local = f"local setting, {who}: {rule.describe_timescale()} (setting {rule.amount_from})"
    else:
        values = ", ".join(f"{n} {wording('{' + n + '}', settings)}" for n in uncited)
        local = f"local setting, {who}" + (f": {values}" if values else "")
    local += "; no national guidance or seed standard gives this figure"
    if basis == "authority":
        local = (
            f"this authority's standard: {short_citation(citation)} for the requirement; {local}"
        )
    return replace(rule, figure_basis="local", basis_text=local)


def with_settings(profile: Profile, **changes: Any) -> Profile:
    """A copy of ``profile`` with some settings changed (validated; rules re-derived)."""
    problems: list[Problem] = []
    settings = dict(profile.settings)
    for key, value in changes.items():
        spec = SETTING_BY_NAME.get(key)
        message = "is not a known setting" if spec is None else _setting_problem(spec, value)
        if message:
            problems.append(Problem("settings", key, message))
        settings[key] = value
    if problems:
        raise ProfileError(profile.id, problems)
    rules = tuple(
        with_basis(
            replace(
                r,
                amount=int(settings[r.amount_from]) if r.amount_from else r.amount,
                text=wording(r.declared_text, settings),
            ),
            settings,
            profile.setting_citations,
        )
        for r in profile.rules
    )
    return replace(profile, settings=MappingProxyType(settings), rules=rules)
