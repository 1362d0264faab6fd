"""Feedback after a conference from the child, the parents or carers and the professionals.

"The chairperson will complete child and family feedback with the child and family members
where possible post conference" (``000_8cc237e70824866b.txt``, standards for conference
chairs); professionals are asked "to complete an evaluation form to tell us how things went"
(``001_27be30c3e1f6e374.txt``, "Feedback and Evaluation").

The questionnaires are data: each rated question cites what the seeds promise (prepared
beforehand, the report seen before the day, the chair met, listened to and respected; for
professionals, reports in time and a clear plan). Answers are scored 1 to 5. A child's form
has a simpler wording for younger children, with answers from "No" to "Yes". The summaries
(by chair, by period, by question; whether feedback was sought at each conference) work on
frames loaded by ``load``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from cptrack.domain.models import Respondent
from cptrack.quality.observation.framework import Source
from cptrack.storage.store import Store
from cptrack.storage.tables import TABLES

A = "000_8cc237e70824866b.txt"
LBH = "001_27be30c3e1f6e374.txt"
FAMILIES = "Quality Standards for Children and Families"
CHAIRS = "Quality Standards for Conference Chairs"

ANSWERS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}
SIMPLE_ANSWERS = {1: "No", 2: "Not really", 3: "Not sure", 4: "Mostly", 5: "Yes"}
POSITIVE = 4  # an answer of 4 or 5 agrees


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    sources: tuple[Source, ...]
    simple: str = ""  # the child's simpler wording, where there is one


@dataclass(frozen=True)
class Questionnaire:
    respondent: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    sources: tuple[Source, ...]

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


FAMILY_QUESTIONS: tuple[Question, ...] = (
    Question(
        "prepared",
        "Before the conference I understood what a child protection conference is, and I felt "
        "prepared for it.",
        (
            Source(
                "Children and their families understand before the meeting takes place what a "
                "Child Protection Conference means and are prepared for the meeting",
                A,
                FAMILIES,
            ),
        ),
        "Before the meeting, someone told me what the meeting was for.",
    ),
    Question(
        "report_before",
        "I had a copy of the reports before the day of the conference, and they were explained "
        "to me.",
        (
            Source(
                "shared with them before the day of the conference in order that information is "
                "not a surprise at the meeting",
                A,
                FAMILIES,
            ),
            Source(
                "The Social Worker and other professionals make sure the child and family "
                "understand the contents of the report",
                A,
                FAMILIES,
            ),
        ),
        "I knew what the grown-ups had written about my family before the meeting.",
    ),
    Question(
        "met_chair",
        "I met the chair before the conference started, and they explained how it would work.",
        (
            Source(
                "Children and families meet with the chairperson pre-conference to outline the "
                "process and decision making",
                A,
                FAMILIES,
            ),
        ),
        "I met the person in charge of the meeting before it started.",
    ),
    Question(
        "listened",
        "I was able to say what I think, and I felt listened to.",
        (
            Source(
                "Families are given the opportunity to maximise their contribution and express "
                "their views appropriately",
                A,
                FAMILIES,
            ),
            Source(
                "Children are given the opportunity to contribute and express their views safely",
                A,
                FAMILIES,
            ),
        ),
        "People listened to what I had to say.",
    ),
    Question(
        "respected",
        "I was made welcome and treated with respect.",
        (
            Source("Children and families are treated with respect", A, FAMILIES),
            Source(
                "Children and families feel welcomed at the conference and are greeted by the "
                "Chairperson",
                A,
                FAMILIES,
            ),
        ),
        "People were kind and fair to me.",
    ),
    Question(
        "plan_clear",
        "I understand the plan: what needs to change, and who will help.",
        (
            Source("inform a clear plan to keep the child/ren safe", LBH, "The Conference Process"),
            Source("Children receive a Child Friendly Plan (age assessed)", A, FAMILIES),
        ),
        "I know what will happen next to help keep me safe.",
    ),
)

PROFESSIONAL_QUESTIONS: tuple[Question, ...] = (
    Question(
        "reports_in_time",
        "Reports were shared with the family and the chair in time for them to prepare.",
        (
            Source(
                "The report should be provided to and discussed with parents, and children where "
                "appropriate, at least 48 hours in advance of an initial conference",
                LBH,
                "What you need to do before the Conference",
            ),
            Source(
                "Professionals will send the report to the chairperson in a timely manner",
                A,
                "Quality Standards for Professionals",
            ),
        ),
    ),
    Question(
        "role_clear",
        "I understood my role, my responsibilities and what was expected of me.",
        (
            Source(
                "The impact for professionals will be a clear understanding of their role, "
                "responsibilities and expectations.",
                A,
                "Quality Standards for Child Protection conferences",
            ),
        ),
    ),
    Question(
        "contributed",
        "I was able to share my agency's information and my view of the risks.",
        (
            Source(
                "Other professionals are then asked for their information.",
                LBH,
                "The Conference Process",
            ),
        ),
    ),
    Question(
        "fact_opinion",
        "The chair made sure fact was distinguished from opinion, asking for evidence.",
        (
            Source(
                "the Chair will ask the presenter to provide the evidence on which the opinion "
                "or generalisation is based",
                LBH,
                "The Conference Process",
            ),
        ),
    ),
    Question(
        "decision_clear",
        "The chair explained the threshold for a plan, and how the decision and category were "
        "reached.",
        (
            Source(
                "The Chair will explain the threshold for a Child Protection Plan",
                LBH,
                "Decision Making",
            ),
        ),
    ),
    Question(
        "plan_clear",
        "The conference made a clear plan, with outcomes and achievable timescales.",
        (Source("commit to clear and achievable timescales for any tasks", LBH, "The Plan"),),
    ),
)

_FAMILY_SOURCE = Source(
    "The chairperson will complete child and family feedback with the child and family members "
    "where possible post conference",
    A,
    CHAIRS,
)
QUESTIONNAIRES: dict[str, Questionnaire] = {
    Respondent.CHILD: Questionnaire(
        Respondent.CHILD,
        "Child or young person",
        "What did you think of your conference? There are no right or wrong answers.",
        FAMILY_QUESTIONS,
        (_FAMILY_SOURCE,),
    ),
    Respondent.PARENT: Questionnaire(
        Respondent.PARENT,
        "Parent or carer",
        "Please tell us how the conference went for you, so that we can make conferences "
        "better for families.",
        FAMILY_QUESTIONS,
        (_FAMILY_SOURCE,),
    ),
    Respondent.PROFESSIONAL: Questionnaire(
        Respondent.PROFESSIONAL,
        "Professional",
        "Please tell us how the conference went, so that we can improve conferences.",
        PROFESSIONAL_QUESTIONS,
        (
            Source(
                "we will be asking you to complete an evaluation form to tell us how things went",
                LBH,
                "Feedback and Evaluation",
            ),
        ),
    ),
}
RESPONDENT_LABELS = {k: q.title for k, q in QUESTIONNAIRES.items()}


def wording(question: Question, simple: bool) -> str:
    """The question as the respondent reads it."""
    return question.simple if simple and question.simple else question.text


def answer_labels(simple: bool) -> dict[int, str]:
    return SIMPLE_ANSWERS if simple else ANSWERS


def all_sources():
    for questionnaire in QUESTIONNAIRES.values():
        for s in questionnaire.sources:
            yield f"{questionnaire.respondent}", s
        for q in questionnaire.questions:
            for s in q.sources:
                yield f"{questionnaire.respondent}.{q.id}", s


# ---------------------------------------------------------------------------
# Loading and summaries


@dataclass
class FeedbackFrames:
    """Conferences held in a period (one row per child's conference) and their feedback."""

    conferences: pd.DataFrame
    feedback: pd.DataFrame
    start: dt.date
    end: dt.date


def load(store: Store, start: dt.date, end: dt.date) -> FeedbackFrames:
    """Conferences held from ``start`` to ``end`` (inclusive), their chairs and feedback."""
    c, f, s = TABLES["conferences"], TABLES["feedback"], TABLES["staff"]
    held = sa.and_(
        c.c.held_date.is_not(None),
        c.c.held_date >= start,
        c.c.held_date <= end,
        c.c.stood_down.is_(False),
    )
    cq = (
        sa.select(
            c.c.id,
            c.c.child_id,
            c.c.meeting_ref,
            c.c.chair_id,
            s.c.name.label("chair"),
            c.c.type,
            c.c.held_date,
            c.c.feedback_sought,
        )
        .select_from(c.outerjoin(s, s.c.id == c.c.chair_id))
        .where(held)
        .order_by(c.c.held_date, c.c.id)
    )
    fq = (
        sa.select(f, c.c.chair_id, c.c.held_date)
        .select_from(f.join(c, c.c.id == f.c.conference_id))
        .where(held)
        .order_by(f.c.id)
    )
    with store.engine.connect() as conn:
        conferences = _frame(conn.execute(cq))
        feedback = _frame(conn.execute(fq))
    for frame in (conferences, feedback):
        frame["held_date"] = pd.to_datetime(frame["held_date"]).astype("datetime64[us]")
    feedback["date"] = pd.to_datetime(feedback["date"]).astype("datetime64[us]")
    conferences["meeting"] = conferences["meeting_ref"].where(
        conferences["meeting_ref"].notna(), "c" + conferences["id"].astype(str)
    )
    return FeedbackFrames(conferences, feedback, start, end)


def _frame(result) -> pd.DataFrame:
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _meetings(frames: FeedbackFrames) -> pd.DataFrame:
    """One row per meeting (siblings discussed together are one conference for feedback):
    chair, date, and whether feedback was sought (yes if for any child, unknown if none
    recorded)."""
    conf = frames.conferences
    if conf.empty:
        return pd.DataFrame(
            columns=["meeting", "chair_id", "chair", "held_date", "sought", "recorded"]
        )
    sought = conf["feedback_sought"].astype("boolean")
    g = conf.assign(sought=sought.fillna(False), recorded=sought.notna()).groupby(
        "meeting", sort=False
    )
    return g.agg(
        chair_id=("chair_id", "first"),
        chair=("chair", "first"),
        held_date=("held_date", "first"),
        sought=("sought", "any"),
        recorded=("recorded", "any"),
    ).reset_index()


def _responses(frames: FeedbackFrames) -> pd.DataFrame:
    fb = frames.feedback
    if fb.empty:
        return fb.assign(mean_score=pd.Series(dtype=float), positive=pd.Series(dtype=float))
    scores = fb["answers"].map(lambda a: list((a or {}).values()))
    mean = scores.map(lambda v: sum(v) / len(v) if v else float("nan"))
    positive = scores.map(lambda v: sum(x >= POSITIVE for x in v) / len(v) if v else float("nan"))
    return fb.assign(mean_score=mean, positive=positive)


SUMMARY_COLUMNS = [
    "conferences",
    "sought",
    "sought_pct",
    "not_recorded",
    "child",
    "parent",
    "professional",
    "declined_or_not_returned",
    "mean_score",
    "positive_pct",
]


def _summarise(meetings: pd.DataFrame, responses: pd.DataFrame, key: str) -> pd.DataFrame:
    m = meetings.groupby(key, dropna=False).agg(
        conferences=("meeting", "size"),
        sought=("sought", "sum"),
        not_recorded=("recorded", lambda r: int((~r.astype(bool)).sum())),
    )
    received = responses[responses["status"] == "received"]
    counts = (
        received.groupby([key, "respondent"], dropna=False).size().unstack(fill_value=0)
        if not received.empty
        else pd.DataFrame(index=m.index)
    )
    for who in ("child", "parent", "professional"):
        m[who] = counts[who].reindex(m.index).fillna(0).astype(int) if who in counts else 0
    missed = responses[responses["status"] != "received"].groupby(key, dropna=False).size()
    m["declined_or_not_returned"] = missed.reindex(m.index).fillna(0).astype(int)
    m["mean_score"] = received.groupby(key, dropna=False)["mean_score"].mean().reindex(m.index)
    m["positive_pct"] = (
        received.groupby(key, dropna=False)["positive"].mean().reindex(m.index) * 100
    )
    m["sought"] = m["sought"].astype(int)
    m["sought_pct"] = (m["sought"] / m["conferences"] * 100).where(m["conferences"] > 0)
    return m[SUMMARY_COLUMNS]


def summary_by_chair(frames: FeedbackFrames) -> pd.DataFrame:
    """Per chair: meetings held, feedback sought (and not recorded), responses received by
    child, parent and professional, declined or not returned, mean score (1-5) and the share
    of answers that agree (4 or 5)."""
    meetings = _meetings(frames)
    responses = _responses(frames)
    names = meetings.drop_duplicates("chair_id").set_index("chair_id")["chair"]
    out = _summarise(meetings, responses, "chair_id")
    out.insert(0, "chair", names.reindex(out.index).fillna("No chair recorded"))
    return out.reset_index().sort_values("chair", kind="stable").reset_index(drop=True)


def summary_by_period(frames: FeedbackFrames, freq: str = "Q") -> pd.DataFrame:
    """The same measures per quarter (``freq="Q"``) or month (``"M"``) of the conference."""
    meetings = _meetings(frames)
    responses = _responses(frames)
    meetings = meetings.assign(period=_period(meetings["held_date"], freq))
    responses = responses.assign(period=_period(responses["held_date"], freq))
    out = _summarise(meetings, responses, "period")
    return out.reset_index().sort_values("period").reset_index(drop=True)


def _period(dates: pd.Series, freq: str) -> pd.Series:
    dates = pd.to_datetime(dates)
    if dates.empty:
        return pd.Series([], dtype=str, index=dates.index)
    if freq == "M":
        return dates.dt.strftime("%Y-%m")
    return dates.dt.year.astype(str) + " Q" + dates.dt.quarter.astype(str)


def question_summary(frames: FeedbackFrames) -> pd.DataFrame:
    """Per respondent kind and question: answers received, mean score, share agreeing."""
    fb = frames.feedback
    received = fb[fb["status"] == "received"] if not fb.empty else fb
    rows = []
    for respondent, questionnaire in QUESTIONNAIRES.items():
        part = received[received["respondent"] == respondent] if not received.empty else received
        for q in questionnaire.questions:
            scores = [a[q.id] for a in part.get("answers", []) if a and q.id in a]
            rows.append(
                {
                    "respondent": str(respondent),
                    "question": q.id,
                    "text": q.text,
                    "answers": len(scores),
                    "mean_score": sum(scores) / len(scores) if scores else float("nan"),
                    "positive_pct": (
                        100 * sum(s >= POSITIVE for s in scores) / len(scores)
                        if scores
                        else float("nan")
                    ),
                }
            )
    return pd.DataFrame(rows)


def conferences_for_chair(frames: FeedbackFrames, chair_id: int | None) -> pd.DataFrame:
    """Each meeting a chair held in the period: date, whether feedback was sought, and the
    responses received (child, parent, professional)."""
    meetings = _meetings(frames)
    if chair_id is not None:
        meetings = meetings[meetings["chair_id"] == chair_id]
    conf = frames.conferences[["id", "meeting", "child_id", "type"]]
    children = conf.groupby("meeting", sort=False).agg(
        children=("child_id", lambda s: ", ".join(map(str, s))),
        type=("type", "first"),
        conference_ids=("id", list),
    )
    fb = frames.feedback
    by_conf = (
        fb[fb["status"] == "received"].groupby(["conference_id", "respondent"]).size()
        if not fb.empty
        else pd.Series(dtype=int)
    )
    out = meetings.merge(children, left_on="meeting", right_index=True, how="left")
    for who in ("child", "parent", "professional"):
        out[who] = [
            int(sum(by_conf.get((cid, who), 0) for cid in ids)) for ids in out["conference_ids"]
        ]
    return out.sort_values("held_date", ascending=False).reset_index(drop=True)
