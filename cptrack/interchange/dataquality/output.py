"""Data-quality findings as a table for people, CSV for spreadsheets, or JSON for programs."""

from __future__ import annotations

import json

import pandas as pd

from cptrack.interchange import safe_cells

FORMATS = ("table", "csv", "json")


def values_text(values: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in (values or {}).items())


def render(findings: pd.DataFrame, fmt: str = "table", *, title: str | None = None) -> str:
    """The findings in ``fmt`` (table, csv or json)."""
    if fmt == "json":
        rows = findings.to_dict("records")
        for r in rows:
            r["child"] = None if pd.isna(r["child"]) else r["child"]
        return json.dumps(rows, indent=2, default=str) + "\n"
    flat = findings.assign(values=findings["values"].map(values_text))
    if fmt == "csv":
        return safe_cells.frame_to_csv(flat, index=False)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    lines = [title] if title else []
    if findings.empty:
        lines.append("No data-quality findings.")
        return "\n".join(lines) + "\n"
    lines.append(summary(findings))
    lines.append("")
    for (code, kind, message), group in flat.groupby(
        ["code", "kind", "message"], sort=False, dropna=False
    ):
        lines.append(f"{code} ({kind}, {len(group)}): {message}")
        for rec in group.itertuples():
            who = f"child {rec.child}" if isinstance(rec.child, str) and rec.child else "return"
            lines.append(f"    {who}: {rec.values}")
    return "\n".join(lines) + "\n"


PLURALS = {"error": "errors", "query": "queries", "warning": "warnings"}


def summary(findings: pd.DataFrame) -> str:
    counts = findings["kind"].value_counts()
    parts = [
        f"{counts.get(k, 0)} {k if counts.get(k, 0) == 1 else plural}"
        for k, plural in PLURALS.items()
    ]
    return "Data quality: " + ", ".join(parts)
