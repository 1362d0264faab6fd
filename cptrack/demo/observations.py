"""A year of synthetic practice observations of the chairs, for the demo caseload.

Made inside each chunk of the demo (``cptrack.demo.qa``) from that chunk's conferences, so it
costs little however large the caseload: each chair is observed in one chunk, about every four
months, at a conference they chaired. Everything is invented and deterministic from the seed.

So that the QA dashboard has something to say: chairs differ in quality and most improve
a little between observations; a few criteria are weak across the service (the child's
views when they do not attend, a specific contingency plan, fact and opinion, records on
time); every fifth chair has not been observed for over six months and the odd one never;
the latest observation of some chairs still awaits their reflection.
"""

from __future__ import annotations

import datetime as dt
import random

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


def chairs_of_chunk(chairs: list[int], chunk_no: int, n_chunks: int) -> list[tuple[int, int]]:
    """The chairs (index, id) whose observations chunk ``chunk_no`` makes."""
    return [(i, c) for i, c in enumerate(chairs) if i % n_chunks == chunk_no]


def chair_rng(seed: int, chair_id: int, salt: int) -> random.Random:
    """A chair's own random stream (``salt`` 1: their observations, 2: the feedback on
    their meetings), the same in whichever chunk they are met."""
    return random.Random(seed * 1_000_033 + chair_id * 101 + salt)


def observations(seed, as_of, index, chair, conferences, qa_leads) -> list[dict]:
    """The observations of one chair (``index``: their place among the chairs), each at a
    conference they chaired near a day some months back."""
    rng = chair_rng(seed, chair, 1)
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
