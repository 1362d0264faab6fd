"""An authority's ``[observation]`` section of its standards profile, applied to the standard
framework (see the package's docstring for its keys); and the framework a profile uses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cptrack.quality.observation.build import DOMAIN_KEYS, build, problem, standard
from cptrack.quality.observation.framework import Framework

SECTION_KEYS = {"base", "name", "description", "interval_months", "drop", "domains"}


def parse(value: Any, problems: list) -> Framework:
    """The ``[observation]`` section of a standards profile, applied to the standard framework.

    Registered in ``cptrack.rules.profiles.registry.SECTIONS``; problems are appended, never raised.
    """
    where = "[observation]"
    if not isinstance(value, Mapping):
        problems.append(problem(where, "observation", "must be a table"))
        return standard()
    for key in sorted(set(value) - SECTION_KEYS):
        problems.append(
            problem(
                where,
                key,
                f"is not a key of [observation]; keys: {', '.join(sorted(SECTION_KEYS))}",
            )
        )
    base = value.get("base", "standard")
    if base not in ("standard", "none"):
        problems.append(problem(where, "base", f"{base!r}: use 'standard' or 'none'"))
        base = "standard"
    data = _as_data(standard()) if base == "standard" else {"domains": []}
    for key in ("name", "description", "interval_months"):
        if key in value:
            data[key] = value[key]
    drop = value.get("drop", [])
    if not isinstance(drop, list):
        problems.append(problem(where, "drop", "must be a list of domain or criterion ids"))
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
            problems.append(problem(where, "drop", f"{item!r} is not a domain or criterion id"))
    for entry in value.get("domains", []):
        _apply_domain(data, entry, problems, where)
    return build(data, problems, where)


def _apply_domain(data: dict, entry: Any, problems: list, where: str) -> None:
    if not isinstance(entry, Mapping) or not entry.get("id"):
        problems.append(problem(where, "domains", "each domain entry needs an id"))
        return
    unknown = set(entry) - DOMAIN_KEYS
    for key in sorted(unknown):
        problems.append(problem(f"{where} domain {entry['id']}", key, "is not a domain field"))
    domain = next((d for d in data["domains"] if d["id"] == entry["id"]), None)
    if domain is None:
        domain = {"id": entry["id"], "title": "", "short": "", "summary": "", "criteria": []}
        data["domains"].append(domain)
    for key in ("title", "short", "summary"):
        if key in entry:
            domain[key] = entry[key]
    for crit in entry.get("criteria", []):
        if not isinstance(crit, Mapping):
            problems.append(problem(f"{where} domain {entry['id']}", "criteria", "must be tables"))
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
