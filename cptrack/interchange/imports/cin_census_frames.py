"""A CIN census return's children as census frames, for the data-quality rules.

The frames (``cptrack.interchange.dataquality.census``) hold the values as the file gives
them; a value that could not be read is left out and listed in the ``unreadable`` frame.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cptrack.interchange.dataquality.census import CensusData, frame
from cptrack.interchange.imports.cin_census_child import Bad, ChildXml


def census_data(children: list[ChildXml], reference_date: dt.date) -> CensusData:
    """The children as census frames, values as the file gives them."""
    rows: dict[str, list[tuple]] = {
        name: []
        for name in (
            "children",
            "episodes",
            "assessments",
            "cin_plans",
            "s47",
            "plans",
            "reviews",
            "unreadable",
        )
    }
    unreadable = rows["unreadable"]
    for c in children:
        cid = c.child_id

        def v(values: dict, name: str, _cid=cid) -> Any:
            value = values.get(name)
            if isinstance(value, Bad):
                unreadable.append((_cid, name, value.raw, value.problem))
                return None
            return value

        rows["children"].append(
            (
                cid,
                v(c.values, "PersonBirthDate"),
                v(c.values, "ExpectedPersonBirthDate"),
                v(c.values, "PersonDeathDate"),
            )
        )
        for i, ep in enumerate(c.episodes, 1):
            ek = f"{c.n}.{i}"
            e = ep.values
            rows["episodes"].append(
                (
                    cid,
                    ek,
                    v(e, "CINreferralDate"),
                    v(e, "ReferralNFA"),
                    v(e, "CINclosureDate"),
                    v(e, "ReasonForClosure"),
                    v(e, "DateOfInitialCPC"),
                )
            )
            for a in ep.assessments:
                rows["assessments"].append(
                    (
                        cid,
                        ek,
                        v(a.values, "AssessmentActualStartDate"),
                        v(a.values, "AssessmentAuthorisationDate"),
                    )
                )
            for p in ep.cin_plans:
                rows["cin_plans"].append(
                    (cid, ek, v(p.values, "CINPlanStartDate"), v(p.values, "CINPlanEndDate"))
                )
            for j, s in enumerate(ep.s47s, 1):
                sv = s.values
                rows["s47"].append(
                    (
                        cid,
                        ek,
                        f"{ek}.s{j}",
                        v(sv, "S47ActualStartDate"),
                        v(sv, "InitialCPCtarget"),
                        v(sv, "DateOfInitialCPC"),
                        v(sv, "ICPCnotRequired"),
                    )
                )
            for k, plan in enumerate(ep.plans, 1):
                pk = f"{ek}.p{k}"
                pv = plan.values
                rows["plans"].append(
                    (
                        cid,
                        ek,
                        pk,
                        v(pv, "CPPstartDate"),
                        v(pv, "CPPendDate"),
                        pv.get("InitialCategoryOfAbuse"),
                        pv.get("LatestCategoryOfAbuse"),
                        pv.get("NumberOfPreviousCPP"),
                    )
                )
                for r in plan.reviews:
                    rows["reviews"].append((cid, ek, pk, v(r.values, "CPPreviewDate")))
    frames = {name: frame(name, r) for name, r in rows.items()}
    return CensusData(reference_date, frames)
