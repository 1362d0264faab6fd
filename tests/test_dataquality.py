"""The data-quality report: every DfE rule and cptrack check fires on a file that breaks it,
and none fires on a clean file."""

from __future__ import annotations

import json

import pytest
from census_samples import REF, changed, clean_child, d, episode, plan, s47, write

from cptrack.interchange.dataquality import all_rules, render
from cptrack.interchange.dataquality.census import census_year
from cptrack.interchange.imports import cin_census


def _set(target_fn, **values):
    def fn(child):
        target_fn(child).update(values)

    return fn


def _pop(target_fn, name):
    def fn(child):
        target_fn(child).pop(name)

    return fn


def _add_s47(child, **values):
    episode(child)["Section47"].append(values)


def _add_plan(child, **values):
    values.setdefault("InitialCategoryOfAbuse", "NEG")
    values.setdefault("LatestCategoryOfAbuse", "NEG")
    values.setdefault("NumberOfPreviousCPP", 0)
    episode(child)["ChildProtectionPlans"].append(values)


def _case_2990(child):
    episode(child).update(CINclosureDate=d("2026-01-30"), ReasonForClosure="RC8")
    plan(child)["CPPendDate"] = d("2026-01-30")


def _case_8675q(child):
    episode(child).update(CINreferralDate=d("2026-02-27"))
    episode(child)["ChildProtectionPlans"] = []
    episode(child)["Assessments"][0]["AssessmentActualStartDate"] = d("2026-02-27")
    s47(child).update(
        S47ActualStartDate=d("2026-03-02"), InitialCPCtarget=d("2026-03-23"), DateOfInitialCPC=None
    )


def _case_before_year(child):
    """Everything moved back so the ICPC falls on 28 March 2025, before the census year."""
    episode(child).update(CINreferralDate=d("2025-03-03"))
    episode(child)["Assessments"][0]["AssessmentActualStartDate"] = d("2025-03-04")
    s47(child).update(
        S47ActualStartDate=d("2025-03-10"),
        InitialCPCtarget=d("2025-03-31"),
        DateOfInitialCPC=d("2025-03-28"),
    )
    plan(child).update(CPPstartDate=d("2025-03-28"), Reviews=[d("2025-06-20"), d("2025-12-12")])


def _case_8740(child):
    _case_before_year(child)
    s47(child)["DateOfInitialCPC"] = None
    episode(child)["ChildProtectionPlans"] = []


def _case_8839(child):
    _case_8675q(child)
    _add_s47(child, S47ActualStartDate=d("2026-03-04"), ICPCnotRequired=False)


def _case_8868(child):
    episode(child).update(CINclosureDate=d("2026-03-20"), ReasonForClosure="RC1")
    episode(child)["ChildProtectionPlans"] = []
    s47(child).update(DateOfInitialCPC=None)


# code -> how to break the clean child so that rule, and the rule meant, fires.
CASES = {
    "1104": _set(episode, CINreferralDate=d("2025-06-23")),
    "1105": _set(episode, CINreferralDate=d("2025-06-23")),
    "2884": _set(episode, DateOfInitialCPC=d("2025-06-20")),
    "2885": _set(plan, CPPstartDate=d("2025-06-23")),
    "2889": _set(episode, CINreferralDate=d("2025-06-05")),
    "2990": _case_2990,
    "2991Q": lambda c: episode(c).update(Assessments=[]),
    "4001": lambda c: episode(c)["CINPlanDates"].append({"CINPlanStartDate": d("2026-03-02")}),
    "4003": lambda c: episode(c)["CINPlanDates"].append(
        {"CINPlanStartDate": d("2025-09-01"), "CINPlanEndDate": d("2025-09-30")}
    ),
    "4016": lambda c: episode(c)["CINPlanDates"].append(
        {"CINPlanStartDate": d("2025-10-01"), "CINPlanEndDate": d("2025-10-30")}
    ),
    "4017": lambda c: episode(c)["CINPlanDates"].append(
        {"CINPlanStartDate": d("2025-06-05"), "CINPlanEndDate": d("2025-06-30")}
    ),
    "8565": _set(episode, CINclosureDate=d("2025-06-10"), ReasonForClosure="RC1"),
    "8615": _set(s47, S47ActualStartDate=d("2025-06-23")),
    "8675Q": _case_8675q,
    "8715": _case_before_year,
    "8720": lambda c: plan(c).update(CPPstartDate=d("2026-04-10"), Reviews=[]),
    "8730": _pop(plan, "NumberOfPreviousCPP"),
    "8740": _case_8740,
    "8831": _set(episode, ReferralNFA=True),
    "8832": _set(episode, ReferralNFA=True),
    "8839": _case_8839,
    "8840": _set(plan, CPPendDate=d("2025-06-20"), Reviews=[]),
    "8841": _set(plan, Reviews=[d("2025-06-20"), d("2025-09-12")]),
    "8842Q": _set(plan, Reviews=[d("2025-09-12"), None]),
    "8868": _case_8868,
    "8870Q": _set(s47, InitialCPCtarget=d("2025-06-21")),
    "8875": lambda c: (
        s47(c).update(DateOfInitialCPC=d("2025-06-21")),
        plan(c).update(CPPstartDate=d("2025-06-21")),
    ),
    "8890": lambda c: _add_s47(
        c, S47ActualStartDate=d("2025-06-10"), DateOfInitialCPC=d("2025-06-20")
    ),
    "8905": _set(plan, InitialCategoryOfAbuse="XYZ"),
    "8910": _pop(plan, "LatestCategoryOfAbuse"),
    "8915": lambda c: c.update(PersonDeathDate=d("2025-06-01")),
    "8920": lambda c: (
        c.update(PersonDeathDate=d("2025-10-01")),
        plan(c).update(CPPendDate=d("2025-11-03"), Reviews=[d("2025-09-12")]),
    ),
    "8925": _set(plan, CPPendDate=d("2025-06-10"), Reviews=[]),
    "8930": _set(plan, CPPendDate=d("2026-04-15")),
    "8935": lambda c: _add_plan(c, CPPstartDate=d("2026-01-05")),
    "8940": lambda c: (
        plan(c).update(CPPendDate=d("2025-12-01")),
        _add_plan(c, CPPstartDate=d("2025-11-03")),
    ),
    "CPT-ICPC-LATE": lambda c: (
        s47(c).update(DateOfInitialCPC=d("2025-07-10")),
        plan(c).update(CPPstartDate=d("2025-07-10")),
    ),
    "CPT-ICPC-OVERDUE": _case_8675q,
    "CPT-RCPC-3M": _set(plan, Reviews=[d("2025-10-01"), d("2026-02-27")]),
    "CPT-RCPC-6M": _set(plan, Reviews=[d("2025-09-12"), d("2026-03-20")]),
    "CPT-DATE": lambda c: c.update(PersonBirthDate=d("1900-01-01")),
    "CPT-UNREADABLE": _set(s47, DateOfInitialCPC="2025-13-45"),
}


# The child protection rules of ../shared/CIN_RULES.md, as listed there.
DFE_CODES = """
1104 1105 2883 2884 2885 2889 2990 2991Q 4001 4003 4016 4017 8565 8615 8675Q 8715 8720 8730
8740 8831 8832 8839 8840 8841 8842Q 8868 8870Q 8875 8890 8905 8910 8915 8920 8925 8930 8935
8940
"""


def _findings(tmp_path, children, ref=REF):
    findings, _ = cin_census.validate_file(write(tmp_path / "census.xml", children, ref))
    return findings


def test_every_rule_has_a_case():
    """Each declared rule has a file that breaks it here (2883 has its own test)."""
    assert set(all_rules()) - {"2883"} == set(CASES)


def test_the_dfe_rules_are_the_ones_in_cin_rules_md():
    """The 37 child protection rules of the DfE list are all declared, with DfE as source."""
    dfe = {code for code, r in all_rules().items() if r.source == "DfE"}
    expected = set(DFE_CODES.split())
    assert dfe == expected
    assert all(
        r.kind == ("query" if r.code.endswith("Q") else "error")
        for r in all_rules().values()
        if r.source == "DfE"
    )


def test_clean_file_has_no_findings(tmp_path):
    """A return that keeps every rule gives an empty report."""
    findings = _findings(tmp_path, [clean_child("T0001"), clean_child("T0002")])
    assert [] == findings.to_dict("records")


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_a_file_that_breaks_it(tmp_path, code):
    """The broken child is reported under the rule's code, with the DfE message and values."""
    children = [clean_child("T0001"), changed(CASES[code])]
    children[1]["LAchildID"] = "T0002"
    findings = _findings(tmp_path, children)
    hits = findings[findings["code"] == code]
    assert not hits.empty, f"{code} did not fire; found {sorted(set(findings['code']))}"
    assert {"T0002"} == set(hits["child"])
    rule = all_rules()[code]
    assert {rule.message} == set(hits["message"])
    assert {rule.kind} == set(hits["kind"])
    assert all(hits["values"].map(bool)), "each finding shows the values it is about"


def test_2883_counts_plans_and_conferences_across_the_return(tmp_path):
    """More plans starting in the year than ICPCs held: one finding for the whole return."""
    no_icpc = changed(lambda c: s47(c).update(DateOfInitialCPC=None))
    no_icpc["LAchildID"] = "T0002"
    findings = _findings(tmp_path, [clean_child("T0001"), no_icpc])
    hits = findings[findings["code"] == "2883"].to_dict("records")
    assert 1 == len(hits)
    assert hits[0]["child"] is None
    assert {"plans starting in year": "2", "initial conferences in year": "1"} == hits[0]["values"]


def test_8675q_counts_working_days_without_bank_holidays(tmp_path):
    """An s47 started 15 working days before the reference date, Easter between, is queried;
    one started 14 working days before is not."""
    ref = d("2025-04-30")  # Good Friday 18 April and Easter Monday 21 April 2025 before it

    # 30 April minus 15 working days (bank holidays skipped) is 7 April; minus 14 is 8 April.
    def at(start):
        def fn(c):
            _case_8675q(c)
            episode(c).update(CINreferralDate=d("2025-04-01"))
            episode(c)["Assessments"][0]["AssessmentActualStartDate"] = d("2025-04-01")
            s47(c).update(S47ActualStartDate=d(start), InitialCPCtarget=None)

        return fn

    fifteen, fourteen = changed(at("2025-04-07")), changed(at("2025-04-08"))
    fourteen["LAchildID"] = "T0002"
    findings = _findings(tmp_path, [fifteen, fourteen], ref=ref)
    hits = findings[findings["code"] == "8675Q"]
    assert ["T0001"] == list(hits["child"])
    assert "15" == hits.iloc[0]["values"]["working days to reference date"]


def test_census_year_runs_from_the_day_after_a_year_before():
    assert (d("2025-04-01"), d("2026-03-31")) == census_year(d("2026-03-31"))
    assert (d("2023-03-01"), d("2024-02-29")) == census_year(d("2024-02-29"))


def test_findings_render_as_table_csv_and_json(tmp_path):
    """The same findings as a table for people, CSV and JSON."""
    broken = changed(CASES["8840"])
    findings = _findings(tmp_path, [broken])
    table = render(findings, "table")
    assert "8840 (error, 1): Child Protection Plan cannot start and end on the same day" in table
    assert "child T0001: CPPstartDate=2025-06-20; CPPendDate=2025-06-20" in table
    csv_text = render(findings, "csv")
    assert "source,code,kind,message,child,values" == csv_text.splitlines()[0]
    rows = json.loads(render(findings, "json"))
    assert {"CPPstartDate": "2025-06-20", "CPPendDate": "2025-06-20"} == rows[0]["values"]
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render(findings, "xml")
