"""Case-system CSV extracts as census frames, for the data-quality rules that apply."""

from __future__ import annotations

import datetime as dt

from cptrack.interchange.dataquality.census import CensusData, from_rows
from cptrack.interchange.imports.csv_file import CsvFile


def census_data(files: list[CsvFile], reference: dt.date) -> CensusData:
    """The extract as census frames, for the rules that apply to what it holds."""
    rows: dict[str, list[dict]] = {"children": [], "plans": [], "reviews": []}
    elements: set[str] = set()
    plan_keys: set[tuple] = set()
    for f in files:
        for row in f.rows:
            v = row.values
            if f.format.name == "children":
                elements |= {"PersonBirthDate", "ExpectedPersonBirthDate", "PersonDeathDate"}
                rows["children"].append(
                    {
                        "child": v.get("child_id"),
                        "PersonBirthDate": v.get("date_of_birth"),
                        "ExpectedPersonBirthDate": v.get("expected_date_of_delivery"),
                        "PersonDeathDate": v.get("date_of_death"),
                    }
                )
            elif f.format.name == "plans":
                elements |= {
                    "CPPstartDate",
                    "CPPendDate",
                    "InitialCategoryOfAbuse",
                    "LatestCategoryOfAbuse",
                    "NumberOfPreviousCPP",
                }
                key = (v.get("child_id"), v.get("start_date"))
                plan_keys.add(key)
                rows["plans"].append(
                    {
                        "child": key[0],
                        "episode": key[0],
                        "plan": f"{key[0]}/{key[1]}",
                        "CPPstartDate": key[1],
                        "CPPendDate": v.get("end_date"),
                        "InitialCategoryOfAbuse": v.get("initial_category"),
                        "LatestCategoryOfAbuse": v.get("latest_category")
                        or v.get("initial_category"),
                        "NumberOfPreviousCPP": v.get("previous_plans") or 0,
                    }
                )
            elif f.format.name == "conferences" and v.get("type") == "review":
                key = (v.get("child_id"), v.get("plan_start_date"))
                if v.get("held_date") is not None and not v.get("stood_down"):
                    rows["reviews"].append(
                        {
                            "child": key[0],
                            "episode": key[0],
                            "plan": f"{key[0]}/{key[1]}",
                            "CPPreviewDate": v["held_date"],
                        }
                    )
    if any(f.format.name == "conferences" for f in files) and plan_keys:
        elements.add("CPPreviewDate")
    return from_rows(reference, rows, elements=elements, source="the CSV extract")
