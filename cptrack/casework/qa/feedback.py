"""A feedback form after a conference (child, parent or carer, professional), without widgets.

Saving adds the feedback and, in the same audited transaction, records on the conference
that feedback was sought (``000``: "The chairperson will complete child and family feedback
... post conference"). Problems are raised as one ``RecordError`` naming each field
(``conference_id``, ``date``, ``answers``, ``answer.<question>``, ``agency``...).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cptrack.domain.models import Agency, FeedbackStatus, FieldError, RecordError, Respondent, today
from cptrack.quality import questionnaires
from cptrack.storage.store import Store

LABEL = "Feedback"
STATUS_LABELS = {
    FeedbackStatus.RECEIVED: "Received",
    FeedbackStatus.DECLINED: "Declined to give feedback",
    FeedbackStatus.NOT_RETURNED: "Asked, but not returned",
}


@dataclass
class FeedbackForm:
    conference_id: int | None = None
    respondent: str = Respondent.PARENT.value
    simple_wording: bool = False
    date: dt.date | None = None
    status: str = FeedbackStatus.RECEIVED.value
    answers: dict[str, int | None] = field(default_factory=dict)
    comments: str = ""
    agency: str | None = None

    @property
    def questionnaire(self) -> questionnaires.Questionnaire:
        return questionnaires.QUESTIONNAIRES[Respondent(self.respondent)]

    @property
    def simple(self) -> bool:
        return self.simple_wording and self.respondent == Respondent.CHILD

    def problems(self) -> list[FieldError]:
        errors = []
        if self.conference_id is None:
            errors.append(FieldError("conference_id", "choose the conference"))
        if self.date is None:
            errors.append(FieldError("date", "give the date the feedback was given"))
        elif self.date > today():
            errors.append(FieldError("date", "is in the future"))
        known = {q.id for q in self.questionnaire.questions}
        given = {k: v for k, v in self.answers.items() if v is not None}
        for key, value in given.items():
            if key not in known:
                errors.append(FieldError(f"answer.{key}", "is not a question of this form"))
            elif not isinstance(value, int) or not 1 <= value <= 5:
                errors.append(FieldError(f"answer.{key}", "choose one of the five answers"))
        if self.status == FeedbackStatus.RECEIVED:
            if not given and not self.comments.strip():
                errors.append(
                    FieldError("answers", "answer at least one question or write a comment")
                )
        elif given or self.comments.strip():
            errors.append(
                FieldError(
                    "status",
                    "answers or comments were entered: choose Received, or clear them",
                )
            )
        if self.respondent == Respondent.PROFESSIONAL and self.status == FeedbackStatus.RECEIVED:
            if not self.agency:
                errors.append(FieldError("agency", "say which agency the professional is from"))
            elif self.agency not in {a.value for a in Agency}:
                errors.append(FieldError("agency", f"{self.agency!r} is not an agency"))
        return errors

    def values(self) -> dict[str, Any]:
        received = self.status == FeedbackStatus.RECEIVED
        return {
            "conference_id": self.conference_id,
            "respondent": self.respondent,
            "simple_wording": self.simple,
            "date": self.date,
            "status": self.status,
            "answers": {k: v for k, v in self.answers.items() if v is not None} if received else {},
            "comments": self.comments if received else None,
            "agency": self.agency if self.respondent == Respondent.PROFESSIONAL else None,
        }

    def save(self, store: Store) -> dict:
        """Add the feedback and mark the conference's feedback as sought, in one
        transaction; nothing is written if anything is wrong."""
        errors = self.problems()
        if errors:
            raise RecordError(LABEL, errors)
        who = questionnaires.RESPONDENT_LABELS[Respondent(self.respondent)].lower()
        with store.transaction(note=f"feedback from a {who}") as tx:
            row = tx.add("feedback", self.values())
            conf = tx.get("conferences", self.conference_id)
            if conf is not None and conf["feedback_sought"] is not True:
                tx.update("conferences", conf["id"], {"feedback_sought": True}, conf["version"])
        return row
