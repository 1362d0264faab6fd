"""A CIN census return (XML) written from cptrack's records.

``census_children(caseload, reference_date)`` maps cptrack's records to the census's
groups; ``write_census(out, reference_date, children)`` streams them as XML in the DfE's
element order. The two are separate so tests can write hand-made (even broken) returns
with the same writer.

The return holds what cptrack holds, for the census year ending on the reference date
(``cptrack.interchange.dataquality.census_year``):

* every CIN episode open at some time in the year, with its CIN plans, s47 enquiries and
  child protection plans that were open at some time in the year;
* an s47's DateOfInitialCPC is its held initial (or pre-birth) conference; an initial,
  pre-birth or transfer-in conference with no s47 is the episode's own DateOfInitialCPC
  (a transfer-in conference counts as an ICPC in the census);
* a plan's reviews are its held review conferences up to the reference date;
* what happened after the reference date is left out (a plan that ended later is open).

cptrack does not hold assessments, referral sources or primary need codes, so those
elements are absent: a return written here is a faithful sample of cptrack's data, not a
complete submission (the DfE rule 2991Q will query every s47 without an assessment).
Disability is held as yes/no: yes is written as the DfE code ``DDA`` ("other").
Records not linked to an episode are placed in the child's episode whose dates contain
them; any that fit no episode are counted in ``ExportSummary.unplaced``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

import pandas as pd

from cptrack.caseload import Caseload
from cptrack.interchange.census_spec import (
    ASSESSMENT,
    CHILD_IDENTIFIERS,
    CIN_PLAN,
    EPISODE_VALUES,
    PLAN_VALUES,
    SECTION_47,
)
from cptrack.interchange.dataquality.census import census_year

INITIAL_TYPES = {"initial", "pre_birth", "transfer_in"}

# ---------------------------------------------------------------------------
# Writing XML


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape(str(value))


def _values(out: list[str], group: dict, names: Iterable[str], indent: str) -> None:
    for name in names:
        value = group.get(name)
        if value is not None:
            out.append(f"{indent}<{name}>{_text(value)}</{name}>\n")


def child_xml(child: dict) -> str:
    """One ``<Child>`` element from a dict named as the census names things.

    Keys: the ChildIdentifiers values, ``Ethnicity``, ``Disabilities`` (a list of codes),
    ``CINdetails`` (a list of dicts with the episode values and lists ``CINPlanDates``,
    ``Assessments``, ``Section47`` and ``ChildProtectionPlans``, a plan's ``Reviews`` being
    a list of dates, None for an empty group), and ``extra`` (raw XML placed at the end of
    the Child, for testing how unknown elements are kept).
    """
    out = ["    <Child>\n", "      <ChildIdentifiers>\n"]
    _values(out, child, CHILD_IDENTIFIERS, "        ")
    out.append("      </ChildIdentifiers>\n")
    if child.get("Ethnicity") is not None or child.get("Disabilities") is not None:
        out.append("      <ChildCharacteristics>\n")
        _values(out, child, ("Ethnicity",), "        ")
        if child.get("Disabilities") is not None:
            out.append("        <Disabilities>\n")
            for code in child["Disabilities"]:
                out.append(f"          <Disability>{_text(code)}</Disability>\n")
            out.append("        </Disabilities>\n")
        out.append("      </ChildCharacteristics>\n")
    for ep in child.get("CINdetails", []):
        out.append("      <CINdetails>\n")
        _values(out, ep, EPISODE_VALUES, "        ")
        for plan in ep.get("CINPlanDates", []):
            out.append("        <CINPlanDates>\n")
            _values(out, plan, CIN_PLAN, "          ")
            out.append("        </CINPlanDates>\n")
        for a in ep.get("Assessments", []):
            out.append("        <Assessments>\n")
            _values(out, a, ASSESSMENT, "          ")
            out.append("        </Assessments>\n")
        for s in ep.get("Section47", []):
            out.append("        <Section47>\n")
            _values(out, s, SECTION_47, "          ")
            out.append("        </Section47>\n")
        for p in ep.get("ChildProtectionPlans", []):
            out.append("        <ChildProtectionPlans>\n")
            _values(out, p, PLAN_VALUES, "          ")
            for review in p.get("Reviews", []):
                if review is None:
                    out.append("          <Reviews></Reviews>\n")
                else:
                    out.append(
                        f"          <Reviews><CPPreviewDate>{_text(review)}</CPPreviewDate>"
                        "</Reviews>\n"
                    )
            out.append("        </ChildProtectionPlans>\n")
        if ep.get("extra"):
            out.append(f"        {ep['extra']}\n")
        out.append("      </CINdetails>\n")
    if child.get("extra"):
        out.append(f"      {child['extra']}\n")
    out.append("    </Child>\n")
    return "".join(out)


def write_census(
    out: IO[str],
    reference_date: dt.date,
    children: Iterable[dict],
    *,
    la_code: str = "999",
    software: str = "cptrack",
) -> int:
    """Write a census return to the text stream ``out``; returns the number of children."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "")
    out.write('<?xml version="1.0" encoding="utf-8"?>\n<Message>\n  <Header>\n')
    out.write(
        "    <CollectionDetails>\n      <Collection>CIN</Collection>\n"
        f"      <Year>{reference_date.year}</Year>\n"
        f"      <ReferenceDate>{reference_date.isoformat()}</ReferenceDate>\n"
        "    </CollectionDetails>\n"
    )
    out.write(
        f"    <Source>\n      <SourceLevel>L</SourceLevel>\n      <LEA>{escape(la_code)}</LEA>\n"
        f"      <SoftwareCode>{escape(software)}</SoftwareCode>\n      <Release>1</Release>\n"
        f"      <SerialNo>1</SerialNo>\n      <DateTime>{now}</DateTime>\n    </Source>\n"
    )
    out.write("  </Header>\n  <Children>\n")
    n = 0
    for child in children:
        out.write(child_xml(child))
        n += 1
    out.write("  </Children>\n</Message>\n")
    return n


# ---------------------------------------------------------------------------
# cptrack's records as census groups


@dataclass
class ExportSummary:
    """How many children were written, and records of the year that fit no CIN episode."""

    children: int = 0
    unplaced: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _day(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _records(frame: pd.DataFrame) -> dict[str, list[dict]]:
    """Rows grouped by child, dates as ``datetime.date``."""
    out: dict[str, list[dict]] = defaultdict(list)
    if frame.empty:
        return out
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    for rec in frame.to_dict("records"):
        for c in dates:
            rec[c] = _day(rec[c])
        for k, v in rec.items():
            if v is pd.NA:
                rec[k] = None
        out[rec["child_id"]].append(rec)
    return out


def census_children(
    caseload: Caseload, reference_date: dt.date, summary: ExportSummary | None = None
) -> Iterator[dict]:
    """Each child with an episode open in the census year, as ``child_xml`` expects."""
    summary = summary if summary is not None else ExportSummary()
    ys, ref = census_year(reference_date)
    episodes = _records(caseload.cin_episodes)
    cin_plans = _records(caseload.cin_plans)
    s47s = _records(caseload.s47_enquiries)
    plans = _records(caseload.cp_plans)
    conferences = _records(caseload.conferences)
    for child in _records(caseload.children.rename(columns={"id": "child_id"})).values():
        c = child[0]
        cid = c["child_id"]
        eps = [
            e
            for e in episodes.get(cid, [])
            if e["referral_date"] <= ref and (e["closure_date"] is None or e["closure_date"] >= ys)
        ]
        if not eps:
            continue
        eps.sort(key=lambda e: e["referral_date"])
        held = [
            k
            for k in conferences.get(cid, [])
            if k["held_date"] is not None and k["held_date"] <= ref and not k["stood_down"]
        ]
        placed = _place(
            eps,
            ys,
            ref,
            summary,
            cin_plans=cin_plans.get(cid, []),
            s47s=s47s.get(cid, []),
            plans=plans.get(cid, []),
            initials=[k for k in held if k["type"] in INITIAL_TYPES and k["s47_id"] is None],
        )
        summary.children += 1
        yield _child_dict(c, eps, placed, held, ys, ref)


def _place(
    eps: list[dict], census_start: dt.date, ref: dt.date, summary: ExportSummary, **kinds
) -> dict:
    """Each record in its episode: by ``episode_id``, else the episode whose dates contain it.

    Records of the census year that fit no episode are counted in ``summary.unplaced``.
    """
    by_id = {e["id"]: e for e in eps}
    out: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for kind, records in kinds.items():
        for r in records:
            when = r.get("start_date") or r.get("held_date")
            ep = by_id.get(r.get("episode_id"))
            if ep is None:
                ep = next(
                    (
                        e
                        for e in reversed(eps)
                        if e["referral_date"] <= when
                        and (e["closure_date"] is None or when <= e["closure_date"])
                    ),
                    None,
                )
            if ep is None:
                end = r.get("end_date") or r.get("held_date") or ref
                if r.get("episode_id") is None and when <= ref and end >= census_start:
                    summary.unplaced[kind] += 1
                continue
            out[(ep["id"], kind)].append(r)
    return out


def _child_dict(c, eps, placed, held, ys, ref) -> dict:
    born = c["date_of_birth"]
    death = c["date_of_death"]
    child: dict[str, Any] = {
        "LAchildID": c["child_id"],
        "UPN": c.get("upn"),
        "PersonBirthDate": born if born is not None and born <= ref else None,
        "ExpectedPersonBirthDate": c["expected_date_of_delivery"]
        if born is None or born > ref
        else None,
        "Sex": c["sex"],
        "PersonDeathDate": death if death is not None and death <= ref else None,
        "Ethnicity": c["ethnicity"],
        "Disabilities": None
        if c["disability"] is None
        else (["DDA"] if c["disability"] else ["NONE"]),
        "CINdetails": [],
    }
    initial_by_s47 = {
        k["s47_id"]: k["held_date"]
        for k in sorted(held, key=lambda k: k["held_date"])
        if k["type"] in INITIAL_TYPES and k["s47_id"] is not None
    }
    reviews_by_plan: dict[int, list[dt.date]] = defaultdict(list)
    for k in held:
        if k["type"] == "review" and k["plan_id"] is not None:
            reviews_by_plan[k["plan_id"]].append(k["held_date"])
    for e in eps:
        closed = e["closure_date"] is not None and e["closure_date"] <= ref
        ep: dict[str, Any] = {
            "CINreferralDate": e["referral_date"],
            "CINclosureDate": e["closure_date"] if closed else None,
            "ReasonForClosure": e["reason_for_closure"] if closed else None,
            "ReferralNFA": bool(e["referral_nfa"]),
            "CINPlanDates": [],
            "Section47": [],
            "ChildProtectionPlans": [],
        }
        in_year = sorted(
            k["held_date"] for k in placed.get((e["id"], "initials"), []) if k["held_date"] >= ys
        )
        if in_year:
            ep["DateOfInitialCPC"] = in_year[0]
        for p in sorted(placed.get((e["id"], "cin_plans"), []), key=lambda r: r["start_date"]):
            if p["start_date"] <= ref and (p["end_date"] is None or p["end_date"] >= ys):
                end = p["end_date"] if p["end_date"] is not None and p["end_date"] <= ref else None
                ep["CINPlanDates"].append(
                    {"CINPlanStartDate": p["start_date"], "CINPlanEndDate": end}
                )
        for s in sorted(placed.get((e["id"], "s47s"), []), key=lambda r: r["start_date"]):
            icpc = initial_by_s47.get(s["id"])
            open_in_year = icpc is None and not s["icpc_not_required"]
            if s["start_date"] > ref:
                continue
            if not (s["start_date"] >= ys or (icpc is not None and icpc >= ys) or open_in_year):
                continue
            ep["Section47"].append(
                {
                    "S47ActualStartDate": s["start_date"],
                    "InitialCPCtarget": s["icpc_target"],
                    "DateOfInitialCPC": icpc,
                    "ICPCnotRequired": bool(s["icpc_not_required"]),
                }
            )
        for p in sorted(placed.get((e["id"], "plans"), []), key=lambda r: r["start_date"]):
            if p["start_date"] > ref or (p["end_date"] is not None and p["end_date"] < ys):
                continue
            end = p["end_date"] if p["end_date"] is not None and p["end_date"] <= ref else None
            ep["ChildProtectionPlans"].append(
                {
                    "CPPstartDate": p["start_date"],
                    "CPPendDate": end,
                    "InitialCategoryOfAbuse": p["initial_category"],
                    "LatestCategoryOfAbuse": p["latest_category"],
                    "NumberOfPreviousCPP": p["previous_plans"],
                    "Reviews": sorted(reviews_by_plan.get(p["id"], [])),
                }
            )
        child["CINdetails"].append(ep)
    return child


def export(
    store, path: str | os.PathLike, reference_date: dt.date, *, la_code: str = "999"
) -> ExportSummary:
    """Write the census return for ``reference_date`` from ``store`` to ``path``."""
    from cptrack.caseload import load

    caseload = load(store)
    summary = ExportSummary()
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        write_census(
            out, reference_date, census_children(caseload, reference_date, summary), la_code=la_code
        )
    tmp.replace(target)
    return summary
