"""Loading a profile: by registered name or by path, merged with the profile it extends and
validated (``from_dict``), its sections parsed; and a copy with some settings changed."""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cptrack.rules.profiles.basis import with_basis
from cptrack.rules.profiles.model import Problem, Profile, ProfileError, wording
from cptrack.rules.profiles.registry import HERE, REGISTRY, SECTIONS
from cptrack.rules.profiles.settings import SETTING_BY_NAME, setting_problem
from cptrack.rules.profiles.validation import merged_rules, read_settings


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

    settings, citations = read_settings(data.pop("settings", {}), parent, problems)
    rules = merged_rules(data.pop("rules", []), parent, settings, citations, problems)
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


def with_settings(profile: Profile, **changes: Any) -> Profile:
    """A copy of ``profile`` with some settings changed (validated; rules re-derived)."""
    problems: list[Problem] = []
    settings = dict(profile.settings)
    for key, value in changes.items():
        spec = SETTING_BY_NAME.get(key)
        message = "is not a known setting" if spec is None else setting_problem(spec, value)
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
