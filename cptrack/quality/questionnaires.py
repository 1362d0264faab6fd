"""The questionnaires a child, the parents or carers and the professionals answer after a
conference.

"The chairperson will complete child and family feedback with the child and family members
where possible post conference" (``000_8cc237e70824866b.txt``, standards for conference
chairs); professionals are asked "to complete an evaluation form to tell us how things went"
(``001_27be30c3e1f6e374.txt``, "Feedback and Evaluation").

The questionnaires are data: each rated question cites what the seeds promise (prepared
beforehand, the report seen before the day, the chair met, listened to and respected; for
professionals, reports in time and a clear plan). Answers are scored 1 to 5. A child's form
has a simpler wording for younger children, with answers from "No" to "Yes". Their summaries
are in ``cptrack.quality.feedback``.
"""

from __future__ import annotations

from dataclasses import dataclass

from cptrack.domain.models import Respondent
from cptrack.quality.observation.framework import Source

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
