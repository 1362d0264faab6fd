"""The seed standards cptrack cites, by the three-digit prefix used in short citations.

Forms cite a standard in the short form a chair can read at a glance ("002 standard 10",
"003 §4.4"); ``SOURCES`` says which document each prefix is, so a page can print a legend.
"""

from __future__ import annotations

SOURCES = {
    "000": ("000_8cc237e70824866b.txt", "Quality Standards for Child Protection conferences "
            "(authority A)"),  # fmt: skip
    "001": ("001_27be30c3e1f6e374.txt", "LBH LSCB, Child Protection Conferences: a Guide for "
            "Professionals"),  # fmt: skip
    "002": ("002_9ec2914b190489e4.txt", "Bath & North East Somerset LSCB, Quality Standards "
            "for Independent Chairs of Child Protection Conferences (2017)"),  # fmt: skip
    "003": ("003_b9b37e5469565ffe.txt", "Sunderland, Core Practice Standards for Child "
            "Protection Conferences (2014, updated 2015)"),  # fmt: skip
    "004": ("004_112bca42ee448b63.txt", "Dorset Children's Services, Principles for Child "
            "Protection Conferences"),  # fmt: skip
}


def legend(prefixes: list[str] | tuple[str, ...] | None = None) -> list[str]:
    """Lines such as "002: Bath & North East Somerset LSCB ... (002_9ec2914b190489e4.txt)"."""
    keys = prefixes or list(SOURCES)
    return [f"{k}: {SOURCES[k][1]} ({SOURCES[k][0]})" for k in keys if k in SOURCES]
