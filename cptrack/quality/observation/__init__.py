"""The practice observation framework: what a QA lead looks for when observing a chair.

"Quality Assurance of the Conference Chairperson will be completed on a regular basis ...
recorded by Practice Observation Forms and feed into the Case Audit Management meeting"
(``000_8cc237e70824866b.txt``, last standard for conference chairs).

The framework is data. ``standard.toml`` beside this module holds the domains (preparation,
the child's voice, respect, every professional contributing, risk, the plan, decisions,
arrangements, timeliness, follow-up) and their criteria; each criterion cites the seed
paragraphs it comes from and quotes their words, so a reader (and a test) can check it.
Criteria are rated on ``SCALE``: Outstanding, Good, Requires improvement to be good,
Inadequate, or Not observed.

An authority adjusts the framework in its standards profile (``cptrack.rules.profiles``) with an
``[observation]`` section, read by ``parse``; the section is applied to the standard
framework (so a profile says only what differs)::

    [observation]
    interval_months = 4                   # observe every chair at least this often
    drop = ["timeliness_stand_down"]      # domain or criterion ids not used here

    [[observation.domains]]               # an existing domain: change its title or add
    id = "voice"                          # criteria; a new id: a new domain (title needed)
    [[observation.domains.criteria]]
    id = "voice_wipeboard"
    text = "Used the wipeboard to help everyone contribute."
    sources = [{ seed = "000_8cc237e70824866b.txt", at = "Quality Standards for Conference Chairs",
                 quote = "use appropriate technology (wipeboard)" }]

``base = "none"`` starts from an empty framework instead of the standard one. A source is
``{ seed, at, quote }`` (``at`` is "§3.2", "Practice Guidance §3" or the heading of an
unnumbered seed) or ``{ url = "https://...", quote }`` for an authority's own published
standards. ``verify_source`` checks a seed source against the seed files.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cptrack.domain.models import RATING_LABELS, Rating

HERE = Path(__file__).resolve().parent
STANDARD_FILE = HERE / "standard.toml"
ENV_SEEDS = "CPTRACK_SEEDS"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
SEED_PATTERN = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
AT_PATTERN = re.compile(r"^(?P<section>.*?)\s*(?:§(?P<paragraph>\d+(?:\.\d+)*))?$")

# Who wrote each seed, for showing a citation in words.
SEED_LABELS = {
    "000_8cc237e70824866b.txt": "Authority A",
    "001_27be30c3e1f6e374.txt": "LBH",
    "002_9ec2914b190489e4.txt": "B&NES",
    "003_b9b37e5469565ffe.txt": "Sunderland",
    "004_112bca42ee448b63.txt": "Dorset",
}


# ---------------------------------------------------------------------------
# The rating scale


@dataclass(frozen=True)
class Grade:
    """One point of the rating scale; ``score`` orders the grades (Not observed: 0)."""

    code: str
    label: str
    score: int
    short: str
    descriptor: str


SCALE: tuple[Grade, ...] = (
    Grade(
        Rating.OUTSTANDING,
        RATING_LABELS[Rating.OUTSTANDING],
        4,
        "Outstanding",
        "Exceeds the standard: practice others can learn from.",
    ),
    Grade(Rating.GOOD, RATING_LABELS[Rating.GOOD], 3, "Good", "Meets the standard consistently."),
    Grade(
        Rating.REQUIRES_IMPROVEMENT,
        RATING_LABELS[Rating.REQUIRES_IMPROVEMENT],
        2,
        "Requires improvement",
        "Partly meets the standard: an area to develop.",
    ),
    Grade(
        Rating.INADEQUATE,
        RATING_LABELS[Rating.INADEQUATE],
        1,
        "Inadequate",
        "Does not meet the standard.",
    ),
    Grade(
        Rating.NOT_OBSERVED,
        RATING_LABELS[Rating.NOT_OBSERVED],
        0,
        "Not observed",
        "Did not arise at this conference, or could not be seen.",
    ),
)
SCALE_SOURCE = (
    "https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services-"
    "from-2018 (Ofsted's four judgements: outstanding, good, requires improvement to be good, "
    "inadequate)"
)
GRADE = {g.code: g for g in SCALE}
JUDGEMENTS = tuple(g for g in SCALE if g.score > 0)  # what an overall judgement can be
BELOW_GOOD = frozenset({Rating.REQUIRES_IMPROVEMENT.value, Rating.INADEQUATE.value})


def grade_for_score(score: float) -> Grade:
    """The grade a mean score rounds to (3.5 and over Outstanding, 2.5 Good, 1.5 RI)."""
    for g in JUDGEMENTS:
        if score >= g.score - 0.5:
            return g
    return GRADE[Rating.INADEQUATE.value]


# ---------------------------------------------------------------------------
# The framework


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


def _problem(where: str, field: str, message: str):
    from cptrack.rules.profiles.model import Problem

    return Problem(where, field, message)


@cache
def standard() -> Framework:
    """The standard framework (``standard.toml``)."""
    data = tomllib.loads(STANDARD_FILE.read_text(encoding="utf-8"))
    problems: list = []
    framework = _build(data, problems)
    if problems:
        raise FrameworkError(problems)
    return framework


def _build(data: Mapping[str, Any], problems: list, where: str = "observation") -> Framework:
    """A framework from plain data, appending a ``Problem`` for everything wrong."""
    domains: list[Domain] = []
    seen: set[str] = set()
    raw_domains = data.get("domains", [])
    if not isinstance(raw_domains, list):
        problems.append(_problem(where, "domains", "must be an array of tables"))
        raw_domains = []
    for d in raw_domains:
        did = str(d.get("id", ""))
        dwhere = f"{where} domain {did or '?'}"
        if not ID_PATTERN.match(did):
            problems.append(_problem(dwhere, "id", "use lower-case letters, digits and _"))
        if did in seen:
            problems.append(_problem(dwhere, "id", "is used twice"))
        seen.add(did)
        for key in sorted(set(d) - DOMAIN_KEYS):
            problems.append(_problem(dwhere, key, "is not a domain field"))
        if not str(d.get("title", "")).strip():
            problems.append(_problem(dwhere, "title", "is required"))
        criteria = []
        for c in d.get("criteria", []):
            crit = _criterion(c, did, seen, problems, where)
            if crit is not None:
                criteria.append(crit)
        if not criteria:
            problems.append(_problem(dwhere, "criteria", "a domain needs at least one criterion"))
        domains.append(
            Domain(
                did,
                _words(d.get("title", "")),
                _words(d.get("summary", "")),
                tuple(criteria),
                _words(d.get("short", "")),
            )
        )
    if not domains:
        problems.append(_problem(where, "domains", "the framework needs at least one domain"))
    interval = data.get("interval_months", 6)
    if isinstance(interval, bool) or not isinstance(interval, int) or not 1 <= interval <= 36:
        problems.append(_problem(where, "interval_months", f"{interval!r}: give 1 to 36 months"))
        interval = 6
    return Framework(
        name=_words(data.get("name", "Practice observation")),
        description=_words(data.get("description", "")),
        interval_months=int(interval),
        domains=tuple(domains),
    )


def _criterion(c: Any, domain: str, seen: set[str], problems: list, where: str):
    if not isinstance(c, Mapping):
        problems.append(_problem(f"{where} domain {domain}", "criteria", "must be tables"))
        return None
    cid = str(c.get("id", ""))
    cwhere = f"{where} criterion {cid or '?'}"
    before = len(problems)
    unknown = set(c) - {"id", "text", "sources"}
    for key in sorted(unknown):
        problems.append(_problem(cwhere, key, "is not a criterion field (id, text, sources)"))
    if not ID_PATTERN.match(cid):
        problems.append(_problem(cwhere, "id", "use lower-case letters, digits and _"))
    elif cid in seen:
        problems.append(_problem(cwhere, "id", "is used twice (ids are unique across domains)"))
    seen.add(cid)
    if not str(c.get("text", "")).strip():
        problems.append(_problem(cwhere, "text", "is required"))
    sources = []
    raw = c.get("sources", [])
    if not raw:
        problems.append(_problem(cwhere, "sources", "every criterion cites at least one source"))
    for s in raw if isinstance(raw, list) else []:
        source = _source(s, cwhere, problems)
        if source is not None:
            sources.append(source)
    if len(problems) > before:
        return None
    return Criterion(cid, domain, _words(c["text"]), tuple(sources))


def _source(s: Any, where: str, problems: list) -> Source | None:
    if not isinstance(s, Mapping):
        problems.append(_problem(where, "sources", "each source is a table {seed, at, quote}"))
        return None
    unknown = set(s) - {"seed", "at", "quote", "url"}
    if unknown:
        problems.append(_problem(where, "sources", f"unknown keys {sorted(unknown)}"))
        return None
    quote = _words(s.get("quote", ""))
    if not quote:
        problems.append(_problem(where, "sources", "quote the words the source says"))
        return None
    if s.get("url"):
        if not str(s["url"]).startswith("https://"):
            problems.append(_problem(where, "sources", f"{s['url']!r} is not an https URL"))
            return None
        return Source(quote=quote, url=str(s["url"]))
    seed, at = str(s.get("seed", "")), _words(s.get("at", ""))
    if not SEED_PATTERN.match(seed):
        problems.append(
            _problem(where, "sources", f"{seed!r} is not a seed file name (NNN_<16 hex>.txt)")
        )
        return None
    if not at:
        problems.append(
            _problem(where, "sources", "say where in the seed: '§3.2', 'Heading §3' or a heading")
        )
        return None
    return Source(quote=quote, seed=seed, at=at)


def _words(value: Any) -> str:
    return " ".join(str(value).split())


# ---------------------------------------------------------------------------
# The profile section


DOMAIN_KEYS = {"id", "title", "short", "summary", "criteria"}
SECTION_KEYS = {"base", "name", "description", "interval_months", "drop", "domains"}


def parse(value: Any, problems: list) -> Framework:
    """The ``[observation]`` section of a standards profile, applied to the standard framework.

    Registered in ``cptrack.rules.profiles.registry.SECTIONS``; problems are appended, never raised.
    """
    where = "[observation]"
    if not isinstance(value, Mapping):
        problems.append(_problem(where, "observation", "must be a table"))
        return standard()
    for key in sorted(set(value) - SECTION_KEYS):
        problems.append(
            _problem(
                where,
                key,
                f"is not a key of [observation]; keys: {', '.join(sorted(SECTION_KEYS))}",
            )
        )
    base = value.get("base", "standard")
    if base not in ("standard", "none"):
        problems.append(_problem(where, "base", f"{base!r}: use 'standard' or 'none'"))
        base = "standard"
    data = _as_data(standard()) if base == "standard" else {"domains": []}
    for key in ("name", "description", "interval_months"):
        if key in value:
            data[key] = value[key]
    drop = value.get("drop", [])
    if not isinstance(drop, list):
        problems.append(_problem(where, "drop", "must be a list of domain or criterion ids"))
        drop = []
    for item in drop:
        found = False
        for d in list(data["domains"]):
            if d["id"] == item:
                data["domains"].remove(d)
                found = True
            else:
                kept = [c for c in d["criteria"] if c["id"] != item]
                found = found or len(kept) != len(d["criteria"])
                d["criteria"] = kept
        if not found:
            problems.append(_problem(where, "drop", f"{item!r} is not a domain or criterion id"))
    for entry in value.get("domains", []):
        _apply_domain(data, entry, problems, where)
    return _build(data, problems, where)


def _apply_domain(data: dict, entry: Any, problems: list, where: str) -> None:
    if not isinstance(entry, Mapping) or not entry.get("id"):
        problems.append(_problem(where, "domains", "each domain entry needs an id"))
        return
    unknown = set(entry) - DOMAIN_KEYS
    for key in sorted(unknown):
        problems.append(_problem(f"{where} domain {entry['id']}", key, "is not a domain field"))
    domain = next((d for d in data["domains"] if d["id"] == entry["id"]), None)
    if domain is None:
        domain = {"id": entry["id"], "title": "", "short": "", "summary": "", "criteria": []}
        data["domains"].append(domain)
    for key in ("title", "short", "summary"):
        if key in entry:
            domain[key] = entry[key]
    for crit in entry.get("criteria", []):
        if not isinstance(crit, Mapping):
            problems.append(_problem(f"{where} domain {entry['id']}", "criteria", "must be tables"))
            continue
        existing = next(
            (c for d in data["domains"] for c in d["criteria"] if c["id"] == crit.get("id")), None
        )
        if existing is not None:
            existing.update(crit)
        else:
            domain["criteria"].append(dict(crit))


def _as_data(framework: Framework) -> dict:
    return {
        "name": framework.name,
        "description": framework.description,
        "interval_months": framework.interval_months,
        "domains": [
            {
                "id": d.id,
                "title": d.title,
                "summary": d.summary,
                "short": d.short,
                "criteria": [
                    {
                        "id": c.id,
                        "text": c.text,
                        "sources": [{k: v for k, v in vars(s).items() if v} for s in c.sources],
                    }
                    for c in d.criteria
                ],
            }
            for d in framework.domains
        ],
    }


def for_profile(profile) -> Framework:
    """The framework a standards profile uses: its ``[observation]`` section, else the
    standard framework."""
    return profile.sections.get("observation") or standard()


def framework_named(name: str | None) -> Framework:
    """The framework of the profile ``name`` (a registered name or a file path); the
    standard framework when the profile cannot be loaded (an old observation's file gone)."""
    from cptrack.rules import profiles

    if not name:
        return standard()
    try:
        return for_profile(profiles.load(name))
    except profiles.ProfileError:
        return standard()


# ---------------------------------------------------------------------------
# Checking sources against the seeds


def seeds_dir() -> Path:
    """Where the seed files are: ``CPTRACK_SEEDS``, else ``shared/seeds`` in the nearest
    folder above the package that has one (``../shared/seeds`` beside a checkout)."""
    if os.environ.get(ENV_SEEDS):
        return Path(os.environ[ENV_SEEDS])
    for folder in HERE.parents:
        candidate = folder / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return HERE.parents[3] / "shared" / "seeds"


def _clean(text: str) -> str:
    return " ".join(text.replace("**", "").replace("*", "").split())


_NUMBERED = re.compile(r"^\s*(?:- )?(\d+(?:\.\d+)*)\.?\s")


def _is_heading(line: str, hashed: bool) -> bool:
    stripped = line.strip()
    if hashed:
        return stripped.startswith("#")
    return (
        0 < len(stripped) < 70
        and not stripped.startswith("-")
        and not _NUMBERED.match(line)
        and not stripped.endswith((".", ","))
    )


def _heading_text(line: str) -> str:
    return _clean(line.strip().lstrip("#")).rstrip(":").strip()


def passage(text: str, section: str = "", paragraph: str = "") -> list[str]:
    """The passages of a seed's ``text`` a citation can point to: the numbered paragraph(s)
    ``paragraph`` after heading ``section`` (or anywhere, without a section), or the whole of
    the section. Each passage is cleaned of markdown and spacing. Empty: not found."""
    lines = text.splitlines()
    hashed = any(line.lstrip().startswith("#") for line in lines)
    start = 0
    if section:
        want = _clean(section).rstrip(":")
        for i, line in enumerate(lines):
            if _heading_text(line) == want:
                start = i + 1
                break
        else:
            return []
    if not paragraph:
        end = next(
            (i for i in range(start, len(lines)) if _is_heading(lines[i], hashed)), len(lines)
        )
        return [_clean("\n".join(lines[start:end]))]
    out = []
    i = start
    while i < len(lines):
        m = _NUMBERED.match(lines[i])
        if m and m.group(1) == paragraph:
            j = i + 1
            while (
                j < len(lines)
                and not _NUMBERED.match(lines[j])
                and not (hashed and lines[j].lstrip().startswith("#"))
            ):
                j += 1
            out.append(_clean("\n".join(lines[i:j])))
            if section:
                break  # the first after the heading
        i += 1
    return out


def verify_source(source: Source, seeds: Path | None = None) -> str | None:
    """None when ``source``'s seed file exists, has the paragraph or heading cited, and says
    the quoted words there; otherwise what is wrong. URL sources are not fetched."""
    if source.url:
        return None if source.url.startswith("https://") else f"{source.url} is not https"
    seeds = seeds or seeds_dir()
    path = seeds / source.seed
    if not path.is_file():
        return f"{source.seed} is not in {seeds}"
    text = path.read_text(encoding="utf-8")
    found = passage(text, source.section, source.paragraph)
    if not found:
        return f"{source.seed} has no {source.at!r}"
    quote = _clean(source.quote)
    if not any(quote in p for p in found):
        return f"{source.seed} {source.at} does not say {source.quote!r}"
    return None


def all_sources(framework: Framework) -> Iterable[tuple[Criterion, Source]]:
    for c in framework.criteria:
        for s in c.sources:
            yield c, s
