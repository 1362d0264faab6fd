"""``cptrack profiles``: list the standards profiles, show one, or check profile files."""

from __future__ import annotations

import argparse
import sys

from cptrack.rules import profiles
from cptrack.rules.profiles.settings import SETTING_BY_NAME


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "profiles",
        help="list, show or check standards profiles",
        description="With no options, list the registered profiles. --show prints one "
        "profile's rules and settings; --check validates profile files and names every "
        "problem by rule and field.",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--show", metavar="NAME_OR_PATH", help="print a profile's rules and settings"
    )
    group.add_argument("--check", nargs="+", metavar="FILE", help="validate profile files")
    p.add_argument(
        "--markdown",
        action="store_true",
        help="with --show: the applied rules and their bases as a Markdown table (as in "
        "docs/standards-profiles.md)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.check:
        return check(args.check)
    if args.show:
        return show(args.show, markdown=args.markdown)
    print(f"{'name':<13} {'applied':>7} {'listed':>6}  {'chair':<6} authority")
    for name in profiles.available():
        p = profiles.load(name)
        print(f"{name:<13} {len(p.applied_rules):>7} {len(p.rules):>6}  {p.chair_role:<6} {p.name}")
    return 0


def check(paths: list[str]) -> int:
    failed = 0
    for path in paths:
        problems = profiles.check_file(path)
        if problems:
            failed += 1
            print(f"{path}: {len(problems)} problem{'s' * (len(problems) != 1)}")
            for problem in problems:
                print(f"  {problem}")
        else:
            p = profiles.load_file(path)
            print(f"{path}: ok ({len(p.applied_rules)} rules applied, {len(p.rules)} listed)")
    return 1 if failed else 0


def show(name: str, markdown: bool = False) -> int:
    try:
        p = profiles.load(name)
    except profiles.ProfileError as exc:
        print(f"cptrack profiles: {exc}", file=sys.stderr)
        return 2
    if markdown:
        print(basis_table(p))
        return 0
    print(f"{p.name} ({p.id}{', extends ' + p.extends if p.extends else ''})")
    print(p.description)
    print()
    for r in p.rules:
        mark = "  " if r.applied else "x "
        print(f"{mark}{r.id} [{r.kind}, {r.event}]: {r.describe_timescale()}")
        print(f"    {r.text}")
        print(f"    basis: {r.basis_text}")
        if r.citation:
            print(f"    source: {r.citation}")
        if not r.applied:
            print(f"    not applied: {r.reason}")
    print()
    print("settings:")
    for key, value in p.settings.items():
        print(f"  {key} = {value!r}  ({setting_basis(p, key)})")
    return 0


def setting_basis(p: profiles.Profile, key: str) -> str:
    """What a setting's value rests on, in words."""
    cite = p.setting_citations.get(key)
    if cite:
        return f"this authority's standard: {cite}"
    if p.settings[key] != SETTING_BY_NAME[key].default:
        return "local setting, set by this authority"
    return "local setting, cptrack's default"


def basis_table(p: profiles.Profile) -> str:
    """The profile's applied rules with what each rests on, as a Markdown table."""
    lines = ["| rule | timescale | basis |", "|---|---|---|"]
    for r in p.applied_rules:
        what = r.describe_timescale() if r.kind == "timescale" else "drift alert"
        basis = r.basis_text.replace("|", "/")
        lines.append(f"| `{r.id}` | {what} | {basis} |")
    return "\n".join(lines)
