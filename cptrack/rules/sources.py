"""The seed standards cptrack cites, by the three-digit prefix used in short citations.

Forms cite a standard in the short form a chair can read at a glance ("002 standard 10",
"003 §4.4"); ``SOURCES`` says which document each prefix is, so a page can print a legend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SOURCES = {
    "000": (
        "000_8cc237e70824866b.txt",
        "Quality Standards for Child Protection conferences (authority A)",
    ),
    "001": (
        "001_27be30c3e1f6e374.txt",
        "LBH LSCB, Child Protection Conferences: a Guide for Professionals",
    ),
    "002": (
        "002_9ec2914b190489e4.txt",
        "Bath & North East Somerset LSCB, Quality Standards "
        "for Independent Chairs of Child Protection Conferences (2017)",
    ),
    "003": (
        "003_b9b37e5469565ffe.txt",
        "Sunderland, Core Practice Standards for Child Protection Conferences (2014, updated 2015)",
    ),
    "004": (
        "004_112bca42ee448b63.txt",
        "Dorset Children's Services, Principles for Child Protection Conferences",
    ),
}


def legend(prefixes: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """Lines such as "002: Bath & North East Somerset LSCB ... (002_9ec2914b190489e4.txt)"."""
    keys = prefixes or list(SOURCES)
    return [f"{k}: {SOURCES[k][1]} ({SOURCES[k][0]})" for k in keys if k in SOURCES]


# ---------------------------------------------------------------------------
# What national guidance and statistics fix: the only figures a rule may cite them for.
#
# Working Together to Safeguard Children 2023 fixes four timescales for child protection
# conferences and core groups, and no other figure: no visit frequency, no seen-alone
# interval, no core-group interval after the first, no escalation response time, no
# deadline for reports, minutes or plans (DOMAIN.md §2). The DfE's national statistics on
# children in need measure plans lasting 2 years or more and second or subsequent plans.
# A profile rule whose basis is "national" must match one of these figures exactly, and a
# rule whose citation names Working Together must be one of them (cptrack.rules.profiles refuses
# anything else): a figure an authority chooses is a local setting, and says so.

WORKING_TOGETHER_2023 = (
    "https://www.gov.uk/government/publications/working-together-to-safeguard-children--2"
)
DFE_CIN_STATISTICS = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "characteristics-of-children-in-need"
)


@dataclass(frozen=True)
class NationalFigure:
    """One figure national guidance or statistics fixes: the event, its anchor, amount and
    unit, the document and section it is in, and what it fixes, in cptrack's words (a
    summary of the guidance, not a quotation)."""

    key: str
    document: str
    section: str
    url: str
    event: str
    anchor: str
    amount: int
    unit: str
    fixes: str

    @property
    def citation(self) -> str:
        return f"{self.url} ({self.document}: {self.section})"


NATIONAL_FIGURES: tuple[NationalFigure, ...] = (
    NationalFigure(
        "wt2023_icpc_15wd",
        "Working Together 2023",
        "initial child protection conferences",
        WORKING_TOGETHER_2023,
        "icpc",
        "strategy_discussion",
        15,
        "working_days",
        "the initial child protection conference takes place within 15 working days of the "
        "strategy discussion at which the section 47 enquiry was initiated",
    ),
    NationalFigure(
        "wt2023_first_review_3m",
        "Working Together 2023",
        "the child protection review conference",
        WORKING_TOGETHER_2023,
        "first_review",
        "icpc",
        3,
        "months",
        "the first review conference is held within 3 months of the initial conference",
    ),
    NationalFigure(
        "wt2023_review_6m",
        "Working Together 2023",
        "the child protection review conference",
        WORKING_TOGETHER_2023,
        "review",
        "previous_conference",
        6,
        "months",
        "later review conferences are held at intervals of no more than 6 months while the "
        "child remains subject to a plan",
    ),
    NationalFigure(
        "wt2023_first_core_group_10wd",
        "Working Together 2023",
        "the core group",
        WORKING_TOGETHER_2023,
        "first_core_group",
        "icpc",
        10,
        "working_days",
        "the first meeting of the core group takes place within 10 working days of the "
        "initial child protection conference",
    ),
    NationalFigure(
        "dfe_plans_2_years",
        "DfE, Children in need statistics",
        "plans lasting 2 years or more",
        DFE_CIN_STATISTICS,
        "plan_duration",
        "plan_start",
        24,
        "months",
        "the national measure of plans open, or ending, after 2 years or more",
    ),
    NationalFigure(
        "dfe_repeat_plans",
        "DfE, Children in need statistics",
        "second or subsequent plans",
        DFE_CIN_STATISTICS,
        "repeat_plan",
        "plan_start",
        0,
        "working_days",
        "the national measure of plans starting that are a second or subsequent plan",
    ),
)
NATIONAL_BY_KEY = {f.key: f for f in NATIONAL_FIGURES}


def national_figure(event: str, anchor: str, amount: int, unit: str) -> NationalFigure | None:
    """The national figure a rule states, if national guidance or statistics fix it."""
    for f in NATIONAL_FIGURES:
        if (f.event, f.anchor, f.amount, f.unit) == (event, anchor, amount, unit):
            return f
    return None


def names_national_source(citation: str) -> bool:
    """Whether a citation names Working Together or the DfE statistics."""
    text = citation.lower()
    return (
        "working together" in text
        or "working-together" in text
        or DFE_CIN_STATISTICS.lower() in text
    )


def short_citation(citation: str) -> str:
    """A citation short enough for a one-line message: "003 §4.14", "Working Together 2023".
    A rule with no citation (a local setting, the plan's own record) reads "local setting"."""
    if not citation:
        return "local setting"
    seed = re.match(r"^(\d{3})_[0-9a-f]{16}\.txt,?\s*(.*)$", citation)
    if seed:
        rest = seed.group(2)
        paras = re.findall(r"§[\d.]*\d", rest)
        if paras:
            return f"{seed.group(1)} {', '.join(paras)}"
        heading = re.match(r'"([^"]+)"(\s*\d+)?', rest)
        return (
            f"{seed.group(1)} {heading.group(1)}{heading.group(2) or ''}"
            if heading
            else seed.group(1)
        )
    inner = re.search(r"\(([^:)]+)", citation)
    return inner.group(1).strip() if inner else citation
