"""What a rule rests on: national guidance may be claimed only for a figure it fixes
(``national_problems``), and where the figure a rule applies comes from, in words a chair
reads (``with_basis``). See docs/standards-profiles.md, "Bases"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from cptrack.rules.profiles.model import SETTING_IN_TEXT, TEXT_ALIASES, Rule, wording
from cptrack.rules.profiles.settings import SETTING_BY_NAME
from cptrack.rules.sources import (
    NATIONAL_FIGURES,
    names_national_source,
    national_figure,
    short_citation,
)


def national_problems(e, basis: str, citation: str, amount: int, amount_from: str):
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
