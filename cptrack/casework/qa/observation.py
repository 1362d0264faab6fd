"""The Practice Observation Form, without widgets: its values, its checks and its saves.

The QA lead fills it in two steps, as on paper:

1. the observation: the chair and the conference observed, a rating with evidence for each
   criterion of the framework, strengths, development points, an overall judgement and its
   rationale. It can be saved as a draft at any point; **Submit** sends it to the chair and
   needs every criterion rated (Not observed counts), evidence for every rating and the
   overall judgement with its rationale.
2. the chair's reflection: the chair reads the observation, adds their reflection and the
   date they acknowledged it; the observation is then complete.

Every save is one audited transaction through the store; a change made to an older version
is refused (``StaleVersionError``). Problems are raised as one ``RecordError`` naming each
field: ``chair_id``, ``conference_id``, ``rating.<criterion>``, ``evidence.<criterion>``,
``overall_judgement`` and so on, so the view can show each message beside its input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cptrack.domain.models import FieldError, ObservationStatus, Rating, RecordError, today
from cptrack.quality import observation
from cptrack.quality.observation import Framework
from cptrack.storage.store import Store

LABEL = "Practice observation"
STATUS_LABELS = {
    ObservationStatus.DRAFT: "Draft",
    ObservationStatus.AWAITING_REFLECTION: "Awaiting the chair's reflection",
    ObservationStatus.COMPLETE: "Complete",
}
ACTIONS = ("draft", "submit", "amend", "reflect")


@dataclass
class ObservationForm:
    """One observation being written or amended."""

    framework: Framework
    framework_name: str = "national"
    id: int | None = None
    version: int | None = None
    status: str = ObservationStatus.DRAFT.value
    chair_id: int | None = None
    observer_id: int | None = None
    conference_id: int | None = None
    date: dt.date | None = None
    ratings: dict[str, str | None] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    strengths: str = ""
    development_points: str = ""
    overall_judgement: str | None = None
    overall_rationale: str = ""
    chair_reflection: str = ""
    chair_acknowledged: dt.date | None = None
    extra_ratings: list[dict] = field(default_factory=list)  # criteria the framework lost

    # -- opening -----------------------------------------------------------

    @classmethod
    def new(cls, framework: Framework, framework_name: str = "national") -> ObservationForm:
        return cls(framework=framework, framework_name=framework_name)

    @classmethod
    def load(cls, store: Store, observation_id: int) -> ObservationForm:
        """An observation as stored, at its current version, in the framework it was made
        with (ratings of criteria that framework no longer has are kept, not shown)."""
        row = store.get("observations", observation_id)
        if row is None:
            raise RecordError(
                LABEL, [FieldError("id", f"there is no observation {observation_id}")]
            )
        framework = observation.framework_named(row["framework"])
        known = {c.id for c in framework.criteria}
        form = cls(
            framework=framework,
            framework_name=row["framework"],
            id=row["id"],
            version=row["version"],
            status=row["status"],
            chair_id=row["chair_id"],
            observer_id=row["observer_id"],
            conference_id=row["conference_id"],
            date=row["date"],
            strengths=row["strengths"] or "",
            development_points=row["development_points"] or "",
            overall_judgement=row["overall_judgement"],
            overall_rationale=row["overall_rationale"] or "",
            chair_reflection=row["chair_reflection"] or "",
            chair_acknowledged=row["chair_acknowledged"],
        )
        for item in row["ratings"] or []:
            if item["criterion"] in known:
                form.ratings[item["criterion"]] = item["rating"]
                if item.get("evidence"):
                    form.evidence[item["criterion"]] = item["evidence"]
            else:
                form.extra_ratings.append(item)
        return form

    @property
    def is_new(self) -> bool:
        return self.id is None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[ObservationStatus(self.status)]

    # -- checking ----------------------------------------------------------

    def problems(self, action: str) -> list[FieldError]:
        """What stops ``action`` (draft, submit, amend, reflect), field by field."""
        if action not in ACTIONS:
            raise ValueError(f"action is one of {', '.join(ACTIONS)}")
        errors: list[FieldError] = []
        status = self.status_after(action)
        if action == "draft" and self.status != ObservationStatus.DRAFT:
            errors.append(FieldError("", "a submitted observation is changed with Save changes"))
        if action == "submit" and self.status != ObservationStatus.DRAFT:
            errors.append(FieldError("", "this observation has already been submitted"))
        if action == "reflect" and self.status == ObservationStatus.DRAFT:
            errors.append(
                FieldError("chair_reflection", "submit the observation before the chair reflects")
            )
        if self.chair_id is None:
            errors.append(FieldError("chair_id", "choose the chair observed"))
        if self.date is None:
            errors.append(FieldError("date", "give the date of the observation"))
        elif self.date > today():
            errors.append(FieldError("date", "is in the future"))
        for cid, rating in self.ratings.items():
            if rating is not None and rating not in observation.GRADE:
                errors.append(FieldError(f"rating.{cid}", f"{rating!r} is not on the scale"))
        if self.overall_judgement == Rating.NOT_OBSERVED:
            errors.append(
                FieldError("overall_judgement", "the overall judgement cannot be Not observed")
            )
        if status != ObservationStatus.DRAFT:
            errors += self._submitted_problems()
        if status == ObservationStatus.COMPLETE:
            if not self.chair_reflection.strip():
                errors.append(FieldError("chair_reflection", "add the chair's reflection"))
            if self.chair_acknowledged is None:
                errors.append(
                    FieldError("chair_acknowledged", "give the date the chair acknowledged it")
                )
            elif self.date is not None and self.chair_acknowledged < self.date:
                errors.append(
                    FieldError("chair_acknowledged", "is before the date of the observation")
                )
            elif self.chair_acknowledged > today():
                errors.append(FieldError("chair_acknowledged", "is in the future"))
        return errors

    def _submitted_problems(self) -> list[FieldError]:
        errors = []
        if self.observer_id is None:
            errors.append(FieldError("observer_id", "say who observed"))
        if self.conference_id is None:
            errors.append(FieldError("conference_id", "choose the conference observed"))
        for c in self.framework.criteria:
            rating = self.ratings.get(c.id)
            if rating is None:
                errors.append(
                    FieldError(f"rating.{c.id}", "rate this criterion (or choose Not observed)")
                )
            elif rating != Rating.NOT_OBSERVED and not self.evidence.get(c.id, "").strip():
                errors.append(FieldError(f"evidence.{c.id}", "give the evidence for this rating"))
        if self.overall_judgement is None:
            errors.append(
                FieldError(
                    "overall_judgement",
                    "give the overall judgement before the observation goes to the chair",
                )
            )
        if not self.overall_rationale.strip():
            errors.append(
                FieldError("overall_rationale", "say why you reached the overall judgement")
            )
        return errors

    def status_after(self, action: str) -> str:
        if action == "submit":
            return ObservationStatus.AWAITING_REFLECTION.value
        if action == "reflect":
            return ObservationStatus.COMPLETE.value
        return self.status

    # -- saving ------------------------------------------------------------

    def values(self, status: str) -> dict[str, Any]:
        """The record as the store takes it."""
        ratings = [
            {
                "criterion": c.id,
                "domain": c.domain,
                "rating": self.ratings[c.id],
                **(
                    {"evidence": self.evidence[c.id].strip()}
                    if self.evidence.get(c.id, "").strip()
                    else {}
                ),
            }
            for c in self.framework.criteria
            if self.ratings.get(c.id) is not None
        ] + list(self.extra_ratings)
        return {
            "chair_id": self.chair_id,
            "observer_id": self.observer_id,
            "conference_id": self.conference_id,
            "date": self.date,
            "framework": self.framework_name,
            "ratings": ratings,
            "strengths": self.strengths,
            "development_points": self.development_points,
            "overall_judgement": self.overall_judgement,
            "overall_rationale": self.overall_rationale,
            "chair_reflection": self.chair_reflection,
            "chair_acknowledged": self.chair_acknowledged,
            "status": status,
        }

    def save(self, store: Store, action: str) -> dict:
        """Save as ``action`` in one audited transaction; returns the stored row and moves
        the form to its new version and status. Nothing is written if anything is wrong."""
        errors = self.problems(action)
        if errors:
            raise RecordError(LABEL, errors)
        status = self.status_after(action)
        note = {
            "draft": "practice observation: draft saved",
            "submit": "practice observation: submitted to the chair",
            "amend": "practice observation: amended",
            "reflect": "practice observation: chair's reflection added",
        }[action]
        with store.transaction(note=note) as tx:
            if self.id is None:
                row = tx.add("observations", self.values(status))
            else:
                row = tx.update("observations", self.id, self.values(status), self.version)
        self.id, self.version, self.status = row["id"], row["version"], row["status"]
        return row


def observation_options(store: Store) -> list[tuple[str, int]]:
    """Existing observations for the "open" list: newest first, with chair and status."""
    from cptrack.quality.observation import summary

    obs = summary.load(store, include_drafts=True).observations
    obs = obs.sort_values(["date", "id"], ascending=False)
    return [
        (
            f"{r.date:%-d %b %Y} · {r.chair} · {STATUS_LABELS[ObservationStatus(r.status)]} "
            f"(no. {r.id})",
            int(r.id),
        )
        for r in obs.itertuples()
    ]
