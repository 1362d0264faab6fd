"""Reading a profile's ``[settings]`` and ``[[rules]]``: each value checked, a child's rules
merged over its parent's by id, and every problem named by rule and field."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from cptrack.domain.models import Agency
from cptrack.rules.profiles.basis import national_problems, with_basis
from cptrack.rules.profiles.model import (
    SETTING_IN_TEXT,
    TEXT_ALIASES,
    Problem,
    Profile,
    Rule,
    wording,
)
from cptrack.rules.profiles.settings import SETTING_BY_NAME, SETTINGS, setting_problem
from cptrack.rules.profiles.vocabulary import (
    BASES,
    CHILD_FLAGS,
    CITATION_HELP,
    CITATION_PATTERN,
    CONFERENCE_TYPES,
    DIRECTIONS,
    EVENTS,
    KINDS,
    OUTCOMES,
    RULE_ID_PATTERN,
)
from cptrack.rules.workdays import UNITS

REQUIRED = ("id", "text", "event", "anchor", "unit", "direction", "applies_to", "basis")
RULE_FIELDS = {f.name for f in fields(Rule)} - {"template", "figure_basis", "basis_text"}


def read_settings(
    raw: Any, parent: Profile | None, problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The settings (the parent's, else the defaults, with this file's over them) and their
    citations, appending a ``Problem`` for each unknown setting or wrong value."""
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
            problems.append(Problem("settings.citations", key, CITATION_HELP))
        else:
            citations[key] = str(cite)
    for key, value in raw.items():
        spec = SETTING_BY_NAME.get(key)
        if spec is None:
            known = ", ".join(SETTING_BY_NAME)
            problems.append(Problem("settings", key, f"is not a known setting; known: {known}"))
            continue
        message = setting_problem(spec, value)
        if message:
            problems.append(Problem("settings", key, message))
        else:
            settings[key] = value
    return settings, citations


def merged_rules(
    raw: Any,
    parent: Profile | None,
    settings: Mapping[str, Any],
    citations: Mapping[str, str],
    problems: list[Problem],
) -> list[Rule]:
    """The parent's rules with this file's entries merged over them by id (an entry changes
    only the fields it gives), each checked; a ``Problem`` for everything wrong."""
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
        rule = checked_rule(rid, entry, settings, citations, problems)
        if rule is not None:
            out.append(rule)
    ids = {r.id for r in out}
    for r in out:
        if r.conflicts_with and r.conflicts_with not in ids:
            problems.append(
                Problem(f"rule {r.id}", "conflicts_with", f"no rule {r.conflicts_with!r}")
            )
    return out


def checked_rule(
    rid: str,
    e: dict[str, Any],
    settings: Mapping[str, Any],
    citations: Mapping[str, str],
    problems: list[Problem],
) -> Rule | None:
    """One merged rule entry checked field by field; None, with its problems appended, when
    anything is wrong."""
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
        bad("citation", f"is required for basis {basis!r}: {CITATION_HELP}")
    if citation and not CITATION_PATTERN.match(citation):
        bad("citation", CITATION_HELP)
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
        for name, message in national_problems(e, basis, citation, amount, amount_from):
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
