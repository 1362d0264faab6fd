"""The rating scale of a practice observation: Ofsted's four judgements and Not observed,
each with a score, and the grade a mean score rounds to."""

from __future__ import annotations

from dataclasses import dataclass

from cptrack.domain.models import RATING_LABELS, Rating


@dataclass(frozen=True)
class Grade:
    """One point of the rating scale; ``score`` orders the grades (Not observed: 0)."""

    code: str
    label: str
    score: int
    short: str
    descriptor: str


SCALE: tuple[Grade, ...] = (
    Grade(
        Rating.OUTSTANDING,
        RATING_LABELS[Rating.OUTSTANDING],
        4,
        "Outstanding",
        "Exceeds the standard: practice others can learn from.",
    ),
    Grade(Rating.GOOD, RATING_LABELS[Rating.GOOD], 3, "Good", "Meets the standard consistently."),
    Grade(
        Rating.REQUIRES_IMPROVEMENT,
        RATING_LABELS[Rating.REQUIRES_IMPROVEMENT],
        2,
        "Requires improvement",
        "Partly meets the standard: an area to develop.",
    ),
    Grade(
        Rating.INADEQUATE,
        RATING_LABELS[Rating.INADEQUATE],
        1,
        "Inadequate",
        "Does not meet the standard.",
    ),
    Grade(
        Rating.NOT_OBSERVED,
        RATING_LABELS[Rating.NOT_OBSERVED],
        0,
        "Not observed",
        "Did not arise at this conference, or could not be seen.",
    ),
)
SCALE_SOURCE = (
    "https://www.gov.uk/government/publications/inspecting-local-authority-childrens-services-"
    "from-2018 (Ofsted's four judgements: outstanding, good, requires improvement to be good, "
    "inadequate)"
)
GRADE = {g.code: g for g in SCALE}
JUDGEMENTS = tuple(g for g in SCALE if g.score > 0)  # what an overall judgement can be
BELOW_GOOD = frozenset({Rating.REQUIRES_IMPROVEMENT.value, Rating.INADEQUATE.value})


def grade_for_score(score: float) -> Grade:
    """The grade a mean score rounds to (3.5 and over Outstanding, 2.5 Good, 1.5 RI)."""
    for g in JUDGEMENTS:
        if score >= g.score - 0.5:
            return g
    return GRADE[Rating.INADEQUATE.value]
