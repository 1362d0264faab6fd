"""What an observation framework is: domains of criteria, each criterion with the sources it
comes from (a seed paragraph or a URL, and the words it says there)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

AT_PATTERN = re.compile(r"^(?P<section>.*?)\s*(?:§(?P<paragraph>\d+(?:\.\d+)*))?$")

# Who wrote each seed, for showing a citation in words.
SEED_LABELS = {
    "000_8cc237e70824866b.txt": "Authority A",
    "001_27be30c3e1f6e374.txt": "LBH",
    "002_9ec2914b190489e4.txt": "B&NES",
    "003_b9b37e5469565ffe.txt": "Sunderland",
    "004_112bca42ee448b63.txt": "Dorset",
}


@dataclass(frozen=True)
class Source:
    """Where a criterion comes from: a seed paragraph (or a URL) and the words it says."""

    quote: str
    seed: str = ""
    at: str = ""
    url: str = ""

    @property
    def section(self) -> str:
        m = AT_PATTERN.match(self.at)
        return (m.group("section") if m else self.at).strip()

    @property
    def paragraph(self) -> str:
        m = AT_PATTERN.match(self.at)
        return (m.group("paragraph") or "") if m else ""

    @property
    def citation(self) -> str:
        """``003_b9b37e5469565ffe.txt §3.2: "words"``, as profiles cite their rules."""
        where = self.url or f"{self.seed} {self.at}".strip()
        return f'{where}: "{self.quote}"'

    @property
    def short(self) -> str:
        """The citation in words: "Sunderland §3.2", "B&NES, Practice Guidance §3",
        'Authority A, "Quality Standards for Conference Chairs"'."""
        if self.url:
            return self.url
        who = SEED_LABELS.get(self.seed, self.seed)
        if not self.section:
            return f"{who} {self.at}"
        if not self.paragraph:
            return f'{who}, "{self.section}"'
        return f"{who}, {self.at}"


@dataclass(frozen=True)
class Criterion:
    id: str
    domain: str
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Domain:
    id: str
    title: str
    summary: str
    criteria: tuple[Criterion, ...]
    short: str = ""  # a column heading: "Child's voice"

    @property
    def heading(self) -> str:
        return self.short or self.title


@dataclass(frozen=True)
class Framework:
    """Domains of criteria, the interval within which every chair should be observed."""

    name: str
    description: str
    interval_months: int
    domains: tuple[Domain, ...]

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for d in self.domains for c in d.criteria)

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(f"the framework has no criterion {criterion_id!r}")

    def domain(self, domain_id: str) -> Domain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise KeyError(f"the framework has no domain {domain_id!r}")

    def domain_number(self, domain_id: str) -> int:
        return [d.id for d in self.domains].index(domain_id) + 1


class FrameworkError(ValueError):
    """The framework data were refused; ``problems`` says where and why."""

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__(
            "observation framework is not valid:\n  " + "\n  ".join(map(str, problems))
        )


def all_sources(framework: Framework) -> Iterable[tuple[Criterion, Source]]:
    for c in framework.criteria:
        for s in c.sources:
            yield c, s
