"""Every data-quality rule, and the runner that applies them.

The rules are declared as data (``base.Rule``) in ``dfe_episodes``, ``dfe_plans``,
``dfe_s47`` and ``own_checks``; each returns the rows that break it: a frame with ``child`` and
the values to show, named by element. ``run`` applies every rule the data can answer and
returns one findings frame:

``source`` (DfE or cptrack) · ``code`` · ``kind`` (error, query or warning) · ``message`` ·
``child`` · ``values`` (element → value, as text).

Rules with ``level="return"`` judge the whole return (DfE 2883 counts plans and
conferences across the LA), so ``Validator`` keeps the few columns they need from each
batch of children and applies them once at the end.
"""

from __future__ import annotations

import pandas as pd

from cptrack.interchange.dataquality import dfe_episodes, dfe_plans, dfe_s47, own_checks
from cptrack.interchange.dataquality.base import RULES, Rule
from cptrack.interchange.dataquality.census import CensusData

# The modules whose ``@rule`` declarations fill ``RULES``, in the order their rules are listed.
RULE_MODULES = (dfe_episodes, dfe_plans, dfe_s47, own_checks)

FINDING_COLUMNS = ["source", "code", "kind", "message", "child", "values"]


def all_rules() -> dict[str, Rule]:
    """Every rule (declared by the modules in ``RULE_MODULES``, imported above)."""
    return RULES


def findings_frame(rows: list[dict] | None = None) -> pd.DataFrame:
    return pd.DataFrame(rows or [], columns=FINDING_COLUMNS)


def _as_text(value) -> str | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is pd.NA:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _findings(r: Rule, hits: pd.DataFrame) -> list[dict]:
    if hits is None or hits.empty:
        return []
    value_cols = [c for c in hits.columns if c != "child"]
    out = []
    for rec in hits.to_dict("records"):
        values = {c: _as_text(rec[c]) for c in value_cols}
        out.append(
            {
                "source": r.source,
                "code": r.code,
                "kind": r.kind,
                "message": r.message,
                "child": rec.get("child"),
                "values": {k: v for k, v in values.items() if v is not None},
            }
        )
    return out


class Validator:
    """Applies the rules batch by batch; ``finish`` adds the whole-return rules."""

    def __init__(self, rules: dict[str, Rule] | None = None):
        self.rules = rules if rules is not None else all_rules()
        self.rows: list[dict] = []
        self.kept: dict[str, list[pd.DataFrame]] = {}
        self.last: CensusData | None = None
        self.skipped: dict[str, str] = {}

    def add(self, data: CensusData) -> None:
        self.last = data
        for r in self.rules.values():
            if not r.applies(data):
                continue
            if r.level == "return":
                for name, f in data.frames.items():
                    cols = [c for c in f.columns if c in r.elements or c == "child"]
                    if len(cols) > 1:
                        self.kept.setdefault(name, []).append(f[cols])
                continue
            self.rows.extend(_findings(r, r.find(data)))

    def finish(self) -> pd.DataFrame:
        data = self.last
        if data is not None:
            frames = {
                name: pd.concat(parts, ignore_index=True) if parts else data.frames[name].iloc[0:0]
                for name, parts in {n: self.kept.get(n, []) for n in data.frames}.items()
            }
            whole = CensusData(data.reference_date, frames, data.elements, data.census, data.source)
            for r in self.rules.values():
                if r.level == "return" and r.applies(whole):
                    self.rows.extend(_findings(r, r.find(whole)))
            self.skipped = {
                code: _why_skipped(r, data) for code, r in self.rules.items() if not r.applies(data)
            }
        out = findings_frame(self.rows)
        order = {"error": 0, "query": 1, "warning": 2}
        out = out.sort_values(
            by=["kind", "code", "child"],
            key=lambda s: s.map(order) if s.name == "kind" else s.astype(str),
            kind="stable",
        ).reset_index(drop=True)
        out["child"] = out["child"].astype(object).where(out["child"].notna(), None)
        return out


def _why_skipped(r: Rule, data: CensusData) -> str:
    if r.census_only and not data.census:
        return "judged against the census year; only for a CIN census return"
    missing = sorted(set(r.elements) - data.elements)
    return f"{data.source} does not hold {', '.join(missing)}"


def run(data: CensusData) -> pd.DataFrame:
    """Every applicable rule on one set of frames (a whole file in one go)."""
    v = Validator()
    v.add(data)
    return v.finish()
