"""A framework built from plain data (``standard.toml``, or a profile's section applied to
it), with a ``Problem`` for everything wrong: ids, titles, criteria and their sources."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from cptrack.quality.observation.framework import (
    Criterion,
    Domain,
    Framework,
    FrameworkError,
    Source,
)

STANDARD_FILE = Path(__file__).resolve().parent / "standard.toml"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
SEED_PATTERN = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
DOMAIN_KEYS = {"id", "title", "short", "summary", "criteria"}


def problem(where: str, field: str, message: str):
    """A ``Problem`` as a standards profile reports it."""
    from cptrack.rules.profiles.model import Problem

    return Problem(where, field, message)


@cache
def standard() -> Framework:
    """The standard framework (``standard.toml``)."""
    data = tomllib.loads(STANDARD_FILE.read_text(encoding="utf-8"))
    problems: list = []
    framework = build(data, problems)
    if problems:
        raise FrameworkError(problems)
    return framework


def build(data: Mapping[str, Any], problems: list, where: str = "observation") -> Framework:
    """A framework from plain data, appending a ``Problem`` for everything wrong."""
    domains: list[Domain] = []
    seen: set[str] = set()
    raw_domains = data.get("domains", [])
    if not isinstance(raw_domains, list):
        problems.append(problem(where, "domains", "must be an array of tables"))
        raw_domains = []
    for d in raw_domains:
        did = str(d.get("id", ""))
        dwhere = f"{where} domain {did or '?'}"
        if not ID_PATTERN.match(did):
            problems.append(problem(dwhere, "id", "use lower-case letters, digits and _"))
        if did in seen:
            problems.append(problem(dwhere, "id", "is used twice"))
        seen.add(did)
        for key in sorted(set(d) - DOMAIN_KEYS):
            problems.append(problem(dwhere, key, "is not a domain field"))
        if not str(d.get("title", "")).strip():
            problems.append(problem(dwhere, "title", "is required"))
        criteria = []
        for c in d.get("criteria", []):
            crit = _criterion(c, did, seen, problems, where)
            if crit is not None:
                criteria.append(crit)
        if not criteria:
            problems.append(problem(dwhere, "criteria", "a domain needs at least one criterion"))
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
        problems.append(problem(where, "domains", "the framework needs at least one domain"))
    interval = data.get("interval_months", 6)
    if isinstance(interval, bool) or not isinstance(interval, int) or not 1 <= interval <= 36:
        problems.append(problem(where, "interval_months", f"{interval!r}: give 1 to 36 months"))
        interval = 6
    return Framework(
        name=_words(data.get("name", "Practice observation")),
        description=_words(data.get("description", "")),
        interval_months=int(interval),
        domains=tuple(domains),
    )


def _criterion(c: Any, domain: str, seen: set[str], problems: list, where: str):
    if not isinstance(c, Mapping):
        problems.append(problem(f"{where} domain {domain}", "criteria", "must be tables"))
        return None
    cid = str(c.get("id", ""))
    cwhere = f"{where} criterion {cid or '?'}"
    before = len(problems)
    unknown = set(c) - {"id", "text", "sources"}
    for key in sorted(unknown):
        problems.append(problem(cwhere, key, "is not a criterion field (id, text, sources)"))
    if not ID_PATTERN.match(cid):
        problems.append(problem(cwhere, "id", "use lower-case letters, digits and _"))
    elif cid in seen:
        problems.append(problem(cwhere, "id", "is used twice (ids are unique across domains)"))
    seen.add(cid)
    if not str(c.get("text", "")).strip():
        problems.append(problem(cwhere, "text", "is required"))
    sources = []
    raw = c.get("sources", [])
    if not raw:
        problems.append(problem(cwhere, "sources", "every criterion cites at least one source"))
    for s in raw if isinstance(raw, list) else []:
        source = _source(s, cwhere, problems)
        if source is not None:
            sources.append(source)
    if len(problems) > before:
        return None
    return Criterion(cid, domain, _words(c["text"]), tuple(sources))


def _source(s: Any, where: str, problems: list) -> Source | None:
    if not isinstance(s, Mapping):
        problems.append(problem(where, "sources", "each source is a table {seed, at, quote}"))
        return None
    unknown = set(s) - {"seed", "at", "quote", "url"}
    if unknown:
        problems.append(problem(where, "sources", f"unknown keys {sorted(unknown)}"))
        return None
    quote = _words(s.get("quote", ""))
    if not quote:
        problems.append(problem(where, "sources", "quote the words the source says"))
        return None
    if s.get("url"):
        if not str(s["url"]).startswith("https://"):
            problems.append(problem(where, "sources", f"{s['url']!r} is not an https URL"))
            return None
        return Source(quote=quote, url=str(s["url"]))
    seed, at = str(s.get("seed", "")), _words(s.get("at", ""))
    if not SEED_PATTERN.match(seed):
        problems.append(
            problem(where, "sources", f"{seed!r} is not a seed file name (NNN_<16 hex>.txt)")
        )
        return None
    if not at:
        problems.append(
            problem(where, "sources", "say where in the seed: '§3.2', 'Heading §3' or a heading")
        )
        return None
    return Source(quote=quote, seed=seed, at=at)


def _words(value: Any) -> str:
    return " ".join(str(value).split())
