"""docs/imports.md documents every CSV column, every Annex A heading and every rule."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from cptrack.interchange.dataquality import all_rules
from cptrack.interchange.imports.annex_a_lists import LISTS
from cptrack.interchange.imports.csv_formats import CSV_FORMATS

DOC = (ROOT / "docs" / "imports.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    start = DOC.index(heading)
    following = DOC.find("\n#", start + len(heading))
    return DOC[start : following if following != -1 else None]


@pytest.mark.parametrize("name", sorted(CSV_FORMATS))
def test_each_csv_format_is_documented_column_by_column(name):
    """The table under ### NAME.csv lists exactly the format's columns, required as declared."""
    table = _section(f"### {name}.csv")
    rows = re.findall(r"^\| `(\w+)` \| (yes|) \|", table, flags=re.M)
    declared = [(c.name, "yes" if c.required else "") for c in CSV_FORMATS[name].columns]
    assert declared == rows


def test_each_annex_a_heading_is_documented():
    text = " ".join(DOC.split())
    for annex in LISTS:
        for column in annex.columns:
            assert column.headings[0] in text, f"{annex.name}: {column.headings[0]!r}"


def test_each_rule_is_documented_with_its_message():
    for code, rule in all_rules().items():
        assert f"| {code} | {rule.kind} | {rule.message} |" in DOC, code
