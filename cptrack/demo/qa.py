"""A year of synthetic practice observations and conference feedback for the demo caseload.

Made inside each chunk of the demo (``cptrack.demo.synthetic``), from that chunk's conferences, so it
costs little however large the caseload: observations scale with the chairs (each chair is
observed in one chunk, about every four months, at a conference they chaired), feedback
with the conferences held in the last year at which feedback was sought. Everything is
invented and deterministic from the seed.

So that the QA dashboard has something to say: chairs differ in quality and most improve
a little between observations; a few criteria are weak across the service (the child's
views when they do not attend, a specific contingency plan, fact and opinion, records on
time); every fifth chair has not been observed for over six months and the odd one never;
the latest observation of some chairs still awaits their reflection.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

import numpy as np

from cptrack.domain.models import Agency
from cptrack.quality.observation import grade_for_score, standard

# Criteria weak across the service (added to the chair's level), and criteria that only
# arise at some conferences (rated Not observed otherwise).
WEAK = {
    "voice_child_views": -0.7,
    "plan_contingency": -0.6,
    "contribution_fact_opinion": -0.5,
    "timeliness_records": -0.45,
    "risk_original_revisited": -0.35,
}
REVIEW_ONLY = {
    "risk_original_revisited",
    "risk_progress_challenged",
    "arrangements_core_group_challenge",
}
RARE = {
    "timeliness_stand_down": 0.9,
    "decision_no_plan": 0.2,
    "follow_up_absent_family": 0.5,
    "voice_child_participation": 0.35,
    "respect_needs_met": 0.3,
    "respect_confidential_information": 0.3,
}

EVIDENCE = {
    "preparation": (
        "Had read every report and spoken to the social worker the day before; met mother and "
        "her advocate 30 minutes before and walked them through the agenda.",
        "Had read the reports; met the parents briefly before the start.",
        "Had not seen the health report before the meeting and met the family only at the door.",
    ),
    "voice": (
        "Read out the child's own words from the My Conference Pack and returned to them when "
        "the plan was written; mother was asked what she wanted to change.",
        "The child's views were summarised by the social worker and acknowledged by the chair.",
        "The child's views were not sought or mentioned; the child was 11 and not invited.",
    ),
    "respect": (
        "Confidentiality and equalities statements explained in plain words; checked the "
        "interpreter was keeping up throughout.",
        "Statements read at the start; family addressed by name throughout.",
        "Jargon used without explanation (PLO, s47); statements rushed.",
    ),
    "contribution": (
        "Invited every agency in turn, asked the school for the evidence behind 'neglected' "
        "and named second-hand information as such.",
        "All agencies contributed; absent GP's report summarised.",
        "Police view not sought; an opinion about father was recorded as fact without challenge.",
    ),
    "risk": (
        "Went back to the original danger statements and asked each agency whether the risk "
        "had reduced and how they knew.",
        "Original concerns referred to at the start of the review.",
        "Review focused on new events; the risks that led to the plan were not revisited.",
    ),
    "plan": (
        "Outcomes written in the family's words with named owners and dates; contingency "
        "specific to the return of father.",
        "Plan has owners and dates for most actions; contingency included.",
        "Actions such as 'engage with services' without a date; contingency was generic.",
    ),
    "decision": (
        "Explained the threshold, took each agency's view and reasons, handled the health "
        "visitor's dissent respectfully and recorded it.",
        "Threshold explained and every professional gave a view and category.",
        "Decision announced before all views were heard; category reasons not recorded.",
    ),
    "arrangements": (
        "Core group members named with the first date agreed in the room; visits set at "
        "weekly for the first month.",
        "Core group and review dates set; visiting frequency recorded.",
        "First core group date left for the social worker to arrange; visits not discussed.",
    ),
    "timeliness": (
        "Started on time, kept to the agenda and summarised decisions for the minute taker "
        "at the end.",
        "Meeting ran to time; decisions summarised.",
        "Ran 40 minutes over; the plan was rushed at the end and decisions not summarised.",
    ),
    "follow_up": (
        "Arranged to phone father, who could not attend, the same afternoon; handed out "
        "feedback forms.",
        "Feedback forms given to the family.",
        "No plan to share the outcome with the absent parent.",
    ),
}
STRENGTHS = (
    "Warm, clear chairing; the family said they understood what would happen next.",
    "Excellent use of the Signs of Safety framework; scaling questions used well.",
    "Kept a calm, respectful tone in a tense meeting and made sure every agency was heard.",
    "Strong analysis of risk at the review, holding the original concerns in view.",
    "A SMART plan written with the family, in their words.",
)
DEVELOPMENT = (
    "Bring the child's own words into the meeting when the child does not attend.",
    "Make the contingency plan specific to this child's circumstances.",
    "Ask for the evidence behind opinions, and name second-hand information.",
    "Give the plan more time; avoid actions without a date.",
    "Check that the decisions are summarised for the minute taker before closing.",
)
RATIONALE = {
    "outstanding": "Consistently exceeded the standards; practice to share with the team.",
    "good": "Met the standards throughout, with minor points to develop.",
    "requires_improvement": "Several standards only partly met; the development points matter "
    "for the child's plan.",
    "inadequate": "Key standards not met; a follow-up observation within three months.",
}
REFLECTIONS = (
    "A fair reflection of the meeting. I will bring the child's words in at the start next time.",
    "Agree with the development point about the contingency plan; discussed with my manager.",
    "Useful feedback. The meeting was difficult and I recognise the plan was rushed.",
    "I agree with the observation and have shared the plan template with the team.",
)
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


def chairs_of_chunk(chairs: list[int], chunk_no: int, n_chunks: int) -> list[tuple[int, int]]:
    """The chairs (index, id) whose observations chunk ``chunk_no`` makes."""
    return [(i, c) for i, c in enumerate(chairs) if i % n_chunks == chunk_no]


def _chair_rng(seed: int, chair_id: int, salt: int) -> random.Random:
    return random.Random(seed * 1_000_033 + chair_id * 101 + salt)


def generate(
    seed: int,
    as_of: dt.date,
    chunk_no: int,
    n_chunks: int,
    chairs: list[int],
    qa_leads: list[int],
    rows: dict[str, Any],
) -> dict[str, list[dict]]:
    """Observations and feedback for one chunk's ``rows`` (conference ids local to it)."""
    conferences = [
        c
        for c in rows.get("conferences", [])
        if c.get("held_date") is not None and not c.get("stood_down")
    ]
    by_chair: dict[int, list[dict]] = defaultdict(list)
    for c in conferences:
        by_chair[c["chair_id"]].append(c)
    observations = []
    for index, chair in chairs_of_chunk(chairs, chunk_no, n_chunks):
        observations += _observations(seed, as_of, index, chair, by_chair.get(chair, []), qa_leads)
    for k, o in enumerate(observations, 1):
        o["id"] = k
    births = {c["id"]: c.get("date_of_birth") for c in rows.get("children", [])}
    feedback = _feedback(seed, chunk_no, as_of, conferences, births)
    return {"observations": observations, "feedback": feedback}


def _observations(seed, as_of, index, chair, conferences, qa_leads) -> list[dict]:
    rng = _chair_rng(seed, chair, 1)
    if index % 11 == 10 or not conferences:
        return []  # never observed
    if index % 5 == 3:
        targets = [330, 235]  # observed, but not for over six months
    else:
        targets = [335, 215, 95]
        if rng.random() < 0.5:
            targets.append(20)
    level = rng.gauss(0, 0.45)
    used: set[int] = set()
    out = []
    today = as_of.toordinal()
    for n, back in enumerate(targets):
        target = today - back - rng.randint(-15, 15)
        best = min(
            (
                c
                for c in conferences
                if c["id"] not in used
                and abs(c["held_date"].toordinal() - target) <= 45
                and c["held_date"].toordinal() <= today
            ),
            key=lambda c: (abs(c["held_date"].toordinal() - target), c["id"]),
            default=None,
        )
        if best is None:
            continue
        used.add(best["id"])
        out.append(_one_observation(rng, as_of, chair, best, level + 0.15 * n, qa_leads))
    return out


def _one_observation(rng, as_of, chair, conference, level, qa_leads) -> dict:
    framework = standard()
    review = conference["type"] == "review"
    no_plan = conference.get("outcome") in ("nfa", "cin_plan", "plan_ends")
    ratings, scores = [], []
    for c in framework.criteria:
        arises = not (c.id in REVIEW_ONLY and not review) and not (
            c.id == "decision_no_plan" and not no_plan
        )
        if not arises or rng.random() < RARE.get(c.id, 0.0):
            rating = "not_observed"
        else:
            latent = 3.0 + level + WEAK.get(c.id, 0.0) + rng.gauss(0, 0.55)
            score = max(1, min(4, round(latent)))
            rating = ("inadequate", "requires_improvement", "good", "outstanding")[score - 1]
            scores.append(score)
        entry = {"criterion": c.id, "domain": c.domain, "rating": rating}
        if rating != "not_observed":
            band = 0 if rating == "outstanding" else 1 if rating == "good" else 2
            entry["evidence"] = EVIDENCE[c.domain][band]
        ratings.append(entry)
    mean = sum(scores) / len(scores) if scores else 3.0
    overall = grade_for_score(mean + rng.choice((0, 0, 0, 0.3, -0.3))).code
    held = conference["held_date"]
    age = (as_of - held).days
    row = {
        "chair_id": chair,
        "observer_id": rng.choice(qa_leads) if qa_leads else None,
        "conference_id": conference["id"],
        "date": held,
        "framework": "national",
        "ratings": ratings,
        "strengths": rng.choice(STRENGTHS),
        "development_points": " ".join(rng.sample(DEVELOPMENT, 2)),
        "overall_judgement": str(overall),
        "overall_rationale": RATIONALE[str(overall)],
        "status": "awaiting_reflection",
    }
    if age > 30 or (age > 10 and rng.random() < 0.5):
        ack = held + dt.timedelta(days=min(age, rng.randint(5, 21)))
        row.update(
            chair_reflection=rng.choice(REFLECTIONS), chair_acknowledged=ack, status="complete"
        )
    return row


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


def _feedback(seed, chunk_no, as_of, conferences, births) -> list[dict]:
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
            effects[chair] = _chair_rng(seed, chair, 2).gauss(0, 0.35)
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
