"""A data-quality rule as data, and the decorator that declares one.

A rule is its code, kind, message and the census elements it reads (as the DfE publishes
them; ``../shared/CIN_RULES.md``), with a small function that returns the rows that break
it. The rule modules (``dfe_episodes``, ``dfe_plans``, ``dfe_s47``, ``own_checks``) declare
theirs with ``@rule(...)``, which adds it to ``RULES``; ``registry`` imports those modules, so
``registry.all_rules()`` is every rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from cptrack.interchange.dataquality.census import CensusData


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str  # "error", "query" (DfE's Q rules) or "warning" (cptrack's own)
    message: str
    elements: tuple[str, ...]
    find: Callable[[CensusData], pd.DataFrame]
    source: str = "DfE"
    census_only: bool = False  # judged against the census year, so only for a census
    level: str = "child"  # or "return"
    citation: str = "DfE CIN census validation rules (../shared/CIN_RULES.md)"

    def applies(self, data: CensusData) -> bool:
        if self.census_only and not data.census:
            return False
        return set(self.elements) <= data.elements


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    kind: str,
    message: str,
    elements: tuple[str, ...],
    *,
    source: str = "DfE",
    census_only: bool = False,
    level: str = "child",
    citation: str | None = None,
) -> Callable[[Callable[[CensusData], pd.DataFrame]], Callable[[CensusData], pd.DataFrame]]:
    """Register the decorated function as the rule ``code``."""

    def register(fn: Callable[[CensusData], pd.DataFrame]):
        if code in RULES:
            raise ValueError(f"rule {code} is declared twice")
        RULES[code] = Rule(
            code,
            kind,
            message,
            elements,
            fn,
            source=source,
            census_only=census_only,
            level=level,
            citation=citation or Rule.citation,
        )
        return fn

    return register
