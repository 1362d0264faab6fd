"""An Annex A file as census frames, for the data-quality rules that apply to what it holds."""

from __future__ import annotations

import datetime as dt

from cptrack.interchange.dataquality.census import CensusData, from_rows
from cptrack.interchange.imports.annex_a_file import AnnexFile
from cptrack.interchange.imports.annex_a_lists import FORMAT


def census_data(annex: AnnexFile, reference: dt.date) -> CensusData:
    """The lists as census frames, for the rules that apply to what Annex A holds."""
    rows: dict[str, list[dict]] = {"children": [], "s47": [], "plans": []}
    seen: set[str] = set()
    lists = {a.number for a, _ in annex.found}
    for n, row in enumerate(annex.rows):
        v, cid = row.values, row.child
        if cid is None:
            continue
        if cid not in seen:
            seen.add(cid)
            born = v.get("date_of_birth")
            rows["children"].append(
                {
                    "child": cid,
                    "PersonBirthDate": born if born and born <= reference else None,
                    "ExpectedPersonBirthDate": born if born and born > reference else None,
                }
            )
        if row.annex.number == 7:
            rows["plans"].append(
                {
                    "child": cid,
                    "episode": cid,
                    "plan": f"r{n}",
                    "CPPstartDate": v.get("plan_start"),
                    "CPPendDate": v.get("plan_end"),
                    "InitialCategoryOfAbuse": v.get("initial_category"),
                    "LatestCategoryOfAbuse": v.get("latest_category") or v.get("initial_category"),
                    "NumberOfPreviousCPP": v.get("previous_plans"),
                }
            )
        else:
            rows["s47"].append(
                {
                    "child": cid,
                    "episode": cid,
                    "s47": f"r{n}",
                    "S47ActualStartDate": v.get("s47_start"),
                    "DateOfInitialCPC": v.get("icpc_date"),
                    "ICPCnotRequired": v.get("icpc_not_required"),
                }
            )
    elements = {"PersonBirthDate", "ExpectedPersonBirthDate"}
    if 7 in lists:
        elements |= {
            "CPPstartDate",
            "CPPendDate",
            "InitialCategoryOfAbuse",
            "LatestCategoryOfAbuse",
            "NumberOfPreviousCPP",
        }
    if 5 in lists:
        elements |= {"S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"}
    return from_rows(reference, rows, elements=elements, source=FORMAT)
