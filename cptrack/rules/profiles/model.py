"""What a loaded profile is: its rules (``Rule``) and settings (``Profile``), a rule's text
with the settings filled in (``wording``), and what a refused file says (``Problem``,
``ProfileError``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cptrack.rules.profiles.vocabulary import ANCHOR_WORDS, BASIS_LABELS
from cptrack.rules.sources import short_citation

SETTING_IN_TEXT = re.compile(r"\{(\w+)\}")
TEXT_ALIASES = {"chair": "chair_role"}  # as in checklist items


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
