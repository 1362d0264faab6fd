"""A year of synthetic conference feedback for the demo caseload.

Made inside each chunk of the demo (``cptrack.demo.qa``) from that chunk's conferences: the
meetings held in the last year at which feedback was sought, answered by the parents, the
children from 8 years old and a professional or two. A chair's meetings score alike (their
own random stream, ``observations.chair_rng``). Everything is invented and deterministic
from the seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import numpy as np

from cptrack.demo.observations import chair_rng
from cptrack.domain.models import Agency

FAMILY_COMMENTS = {
    "good": (
        "The chair explained everything and made me feel listened to.",
        "It was hard but everyone was respectful.",
        "I knew what to expect because the chair met us first.",
    ),
    "poor": (
        "I only saw the reports on the morning of the meeting.",
        "Too many people and too many long words.",
        "I didn't feel anyone listened to my side.",
    ),
}
CHILD_COMMENTS = {
    "good": (
        "The chair was nice.",
        "I liked that they read out what I wrote.",
        "I want the shouting at home to stop and they listened.",
    ),
    "poor": ("It was boring and too long.", "Nobody asked me anything."),
}
PROFESSIONAL_COMMENTS = {
    "good": ("Well chaired; clear plan and decision.", "Good use of scaling; everyone heard."),
    "poor": (
        "Reports were not shared with the family in time.",
        "Meeting overran; the plan was rushed.",
    ),
}
PROFESSIONAL_AGENCIES = (
    Agency.POLICE,
    Agency.HEALTH_VISITOR,
    Agency.SCHOOL,
    Agency.SCHOOL_NURSE,
    Agency.GP,
    Agency.MENTAL_HEALTH,
    Agency.HOUSING,
)
QUESTION_EFFECT = {
    "report_before": -0.8,
    "met_chair": 0.2,
    "reports_in_time": -0.6,
    "plan_clear": -0.2,
}
FAMILY_QUESTIONS = ("prepared", "report_before", "met_chair", "listened", "respected", "plan_clear")
PROFESSIONAL_QUESTIONS = (
    "reports_in_time",
    "role_clear",
    "contributed",
    "fact_opinion",
    "decision_clear",
    "plan_clear",
)
COMMENTS = {
    "parent": FAMILY_COMMENTS,
    "child": CHILD_COMMENTS,
    "professional": PROFESSIONAL_COMMENTS,
}
COMMENT_CHANCE = {"parent": 0.4, "child": 0.35, "professional": 0.3}


def feedback(seed, chunk_no, as_of, conferences, births) -> list[dict]:
    """Feedback for the meetings held in the last year at which it was sought: the parents'
    (received, declined or not returned), each child's from 8 years old (simpler wording
    under 12), and up to two professionals'. Scores are drawn together, vectorised."""
    rng = random.Random(seed * 7_919 + chunk_no * 104_729 + 17)
    random_ = rng.random
    since = as_of - dt.timedelta(days=365)
    meetings: dict[str, list[dict]] = defaultdict(list)
    for c in conferences:
        if c["held_date"] >= since and c.get("feedback_sought"):
            meetings[c.get("meeting_ref") or f"c{c['id']}"].append(c)
    effects: dict[int, float] = {}
    out: list[dict] = []
    scored: list[tuple[dict, tuple[str, ...], float]] = []

    def add(conf, respondent, status, questions=(), effect=0.0, **extra):
        held = conf["held_date"]
        days = min((as_of - held).days, int(random_() * 15))
        row = {
            "conference_id": conf["id"],
            "respondent": respondent,
            "date": held + dt.timedelta(days=days),
            "status": status,
            **extra,
        }
        out.append(row)
        if questions:
            scored.append((row, questions, effect))

    for confs in meetings.values():
        first = confs[0]
        chair = first["chair_id"]
        if chair not in effects:
            effects[chair] = chair_rng(seed, chair, 2).gauss(0, 0.35)
        effect = effects[chair]
        r = random_()
        if r < 0.55:
            add(first, "parent", "received", FAMILY_QUESTIONS, effect)
        elif r < 0.65:
            add(first, "parent", "declined")
        elif r < 0.85:
            add(first, "parent", "not_returned")
        for conf in confs:
            dob = births.get(conf["child_id"])
            age = None if dob is None else (conf["held_date"] - dob).days
            if age is None or age < 8 * 365:
                continue
            r = random_()
            if r < 0.45:
                add(
                    conf,
                    "child",
                    "received",
                    FAMILY_QUESTIONS,
                    effect + 0.1,
                    simple_wording=age < 12 * 365,
                )
            elif r < 0.55:
                add(conf, "child", "declined")
        for _ in range(int(random_() * 4) // 2 + int(random_() < 0.25)):
            agency = PROFESSIONAL_AGENCIES[int(random_() * len(PROFESSIONAL_AGENCIES))]
            add(
                first,
                "professional",
                "received",
                PROFESSIONAL_QUESTIONS,
                effect,
                agency=str(agency),
            )
    _score(scored, np.random.default_rng([seed, chunk_no, 29]), random_)
    for k, row in enumerate(out, 1):
        row["id"] = k
    return out


def _score(scored, np_rng, random_) -> None:
    """Fill in the answers (1 to 5, about 8% left blank) and a comment for received rows."""
    if not scored:
        return
    base = np.concatenate(
        [
            [3.9 + effect + QUESTION_EFFECT.get(q, 0.0) for q in questions]
            for _, questions, effect in scored
        ]
    )
    scores = np.clip(np.rint(base + np_rng.normal(0.0, 0.8, len(base))), 1, 5).astype(int)
    blank = (np_rng.random(len(base)) < 0.08).tolist()
    scores = scores.tolist()
    k = 0
    for row, questions, _ in scored:
        answers = {q: scores[k + j] for j, q in enumerate(questions) if not blank[k + j]}
        k += len(questions)
        row["answers"] = answers or {questions[0]: 4}
        who = row["respondent"]
        if random_() < COMMENT_CHANCE[who]:
            mood = "good" if sum(row["answers"].values()) >= 3.5 * len(row["answers"]) else "poor"
            pool = COMMENTS[who][mood]
            row["comments"] = pool[int(random_() * len(pool))]
