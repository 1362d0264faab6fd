"""The part of the DfE's CIN census specification cptrack reads and writes, group by group:
one declaration for the import (``imports.cin_census``) and the export
(``exports.cin_census``), in the order the specification lists the elements (the order
an exported return writes them)."""

from __future__ import annotations

CHILD_IDENTIFIERS = (
    "LAchildID",
    "UPN",
    "FormerUPN",
    "UPNunknown",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    "GenderCurrent",
    "Sex",
    "PersonDeathDate",
)
CHARACTERISTICS = ("Ethnicity", "Disabilities")
EPISODE_VALUES = (
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
    "ReferralNFA",
)
CIN_PLAN = ("CINPlanStartDate", "CINPlanEndDate")
ASSESSMENT = (
    "AssessmentActualStartDate",
    "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate",
)
# Read with the assessment (its factors are kept aside); cptrack records none to write.
ASSESSMENT_FACTORS = "FactorsIdentifiedAtAssessment"
SECTION_47 = ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
PLAN_VALUES = (
    "CPPstartDate",
    "CPPendDate",
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
)
