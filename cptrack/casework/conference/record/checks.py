"""What the standards require of a conference record and is missing, each message citing its
standard (see the package's docstring for the list).

``RecordChecks`` is mixed into ``cptrack.casework.conference.record.draft.RecordDraft``: it reads
the draft's fields and properties and writes nothing.
"""

from __future__ import annotations

import datetime as dt

from cptrack.casework.conference.record.words import (
    CITE,
    END_REASON_WORDS,
    NOT_AGENCIES,
    OUTCOME_WORDS,
    QUORUM_OTHER_AGENCIES,
    STATUS_WORDS,
    VIEW_WORDS,
)
from cptrack.domain.models import (
    AGENCY_LABELS,
    INITIAL_LIKE,
    PLAN_OUTCOMES,
    Agency,
    Category,
    FieldError,
    Participation,
    PlanView,
    today,
)
from cptrack.domain.values import fmt


class RecordChecks:
    """Quoracy and the record's problems, by field, for the draft this is mixed into."""

    def quorum(self) -> tuple[bool, str]:
        """Whether the conference is quorate (social care and at least two other agencies
        attended) and, in words, who counts."""
        came = {a.agency for a in self.attendance if a.attended and a.agency}
        others = sorted(came - {"social_care", *NOT_AGENCIES})
        social_care = "social_care" in came
        ok = social_care and len(others) >= QUORUM_OTHER_AGENCIES
        names = ", ".join(AGENCY_LABELS.get(a, a) for a in others) or "none"
        words = (
            f"{'Quorate' if ok else 'Not quorate'}: children's social care "
            f"{'attended' if social_care else 'did not attend'}; other agencies attending: "
            f"{names} ({len(others)}; at least {QUORUM_OTHER_AGENCIES} needed) [{CITE['quorate']}]"
        )
        return ok, words

    def problems(self, on: dt.date | None = None) -> list[FieldError]:
        """Everything the standards require that is missing, by field, each citing its
        standard (empty when the record can be saved)."""
        on = on or today()
        out: list[FieldError] = []

        def need(name: str, ok: bool, message: str) -> None:
            if not ok:
                out.append(FieldError(name, message))

        booked_initial = (self.booked_type or self.type) in INITIAL_LIKE
        if self.type not in INITIAL_LIKE + ("review",) or booked_initial != self.initial_like:
            out.append(
                FieldError(
                    "type",
                    "An initial conference stays initial, pre-birth or "
                    "transfer-in; a review stays a review.",
                )
            )
        need(
            "held_date",
            self.held_date is not None,
            "Give the date of the conference."
            if not self.stood_down
            else "Give the date the conference was stood down.",
        )
        if self.held_date is not None and self.held_date > on:
            out.append(
                FieldError(
                    "held_date",
                    f"{fmt(self.held_date)} is in the future: record a conference once it has met.",
                )
            )
        if self.stood_down:
            out += self._stand_down_problems()
            return out
        out += self._attendance_problems()
        if self.participation and self.participation not in {p.value for p in Participation}:
            out.append(FieldError("participation", "Choose a participation code (PN0 to PN7)."))
        need(
            "outcome",
            self.outcome in self.outcomes,
            "Choose the decision: " + ", ".join(OUTCOME_WORDS[o] for o in self.outcomes) + ".",
        )
        if (self.saved_outcome == "cp_plan") != (self.outcome == "cp_plan") and (
            self.saved_outcome is not None
        ):
            out.append(
                FieldError(
                    "outcome",
                    "This conference's decision was saved as "
                    f"\u201c{OUTCOME_WORDS[self.saved_outcome]}\u201d; whether it "
                    "made a plan cannot be changed here. Ask an administrator to "
                    "correct the record.",
                )
            )
        if self.outcome in PLAN_OUTCOMES:
            need(
                "category",
                self.category in {c.value for c in Category},
                "A child protection plan needs a category of abuse.",
            )
        if self.outcome == "plan_ends":
            need(
                "end_reason",
                self.end_reason in END_REASON_WORDS,
                "Say why the plan ends (for example, stepped down to a child in need plan) "
                f"[{CITE['cin']}].",
            )
        if self.dissent:
            need(
                "dissent_detail",
                bool(self.dissent_detail),
                "Someone dissented from the decision: record who and why on the conference "
                f"record [{CITE['dissent']}].",
            )
        need(
            "worried_about",
            bool(self.worried_about),
            f"Write what the conference is worried about [{CITE['sos']}].",
        )
        need(
            "needs_to_happen",
            bool(self.needs_to_happen),
            f"Write what needs to happen [{CITE['sos']}].",
        )
        if self.type != "pre_birth":
            need(
                "child_views",
                bool(self.child_views),
                "Record the child's views, or how they were sought and why they could not be "
                f"given [{CITE['child_views']}].",
            )
        if self.outcome in PLAN_OUTCOMES:
            out += self._plan_problems()
        for name in ("decisions_distributed", "plan_distributed", "minutes_distributed"):
            day = getattr(self, name)
            if day is not None and day > on:
                out.append(FieldError(name, f"{fmt(day)} is in the future."))
            elif day is not None and self.held_date and day < self.held_date:
                out.append(FieldError(name, "This is before the conference was held."))
        return out

    def _stand_down_problems(self) -> list[FieldError]:
        out = []
        if not self.stood_down_reason:
            out.append(
                FieldError(
                    "stood_down_reason",
                    "Say why the conference was stood down "
                    f"(for example, no social work report) [{CITE['stand_down']}].",
                )
            )
        if not self.bridging_plan:
            out.append(
                FieldError(
                    "bridging_plan",
                    "A conference that is stood down needs a "
                    "bridging plan, including any urgent action to keep the child "
                    f"safe [{CITE['bridging']}].",
                )
            )
        if self.reconvene_date is None:
            out.append(
                FieldError(
                    "reconvene_date",
                    "Give the date the conference reconvenes: "
                    f"at the earliest opportunity [{CITE['bridging']}].",
                )
            )
        elif self.held_date and self.reconvene_date <= self.held_date:
            out.append(
                FieldError(
                    "reconvene_date",
                    "The conference reconvenes after the day "
                    f"it was stood down ({fmt(self.held_date)}).",
                )
            )
        return out

    def _attendance_problems(self) -> list[FieldError]:
        out = []
        if not self.attendance:
            out.append(FieldError("attendance", "Record who attended and who sent apologies."))
            return out
        agencies = {a.value for a in Agency}
        for i, a in enumerate(self.attendance, 1):
            where = f"attendance.{i}"
            if a.agency not in agencies:
                out.append(FieldError(f"{where}.agency", "Choose the agency."))
            if a.status not in STATUS_WORDS:
                out.append(FieldError(f"{where}.status", "Say whether they attended."))
            if a.scaling_score is not None and not 0 <= a.scaling_score <= 10:
                out.append(FieldError(f"{where}.scaling_score", "Scaling runs from 0 to 10."))
            if not a.attended:
                if a.scaling_score is not None:
                    out.append(
                        FieldError(
                            f"{where}.scaling_score",
                            "Only someone who took part gives a scaling score.",
                        )
                    )
                continue
            if a.professional and a.agency in agencies:
                if a.scaling_score is None:
                    out.append(
                        FieldError(
                            f"{where}.scaling_score",
                            f"Give this professional's scaling score, 0 to 10 [{CITE['scaling']}].",
                        )
                    )
                if a.view not in VIEW_WORDS or a.view == PlanView.NO_VIEW.value:
                    out.append(
                        FieldError(
                            f"{where}.view",
                            f"Record this professional's view on the decision [{CITE['views']}].",
                        )
                    )
        ok, words = self.quorum()
        if not ok:
            out.append(
                FieldError(
                    "attendance",
                    f"{words}. A conference that is not quorate is "
                    "stood down with a bridging plan "
                    f"[{CITE['stand_down']}, {CITE['bridging']}].",
                )
            )
        return out

    def _plan_problems(self) -> list[FieldError]:
        out = []
        held = self.held_date
        if not self.core_group_members:
            out.append(
                FieldError(
                    "core_group_members", f"Name the core group members [{CITE['core_group']}]."
                )
            )
        if self.outcome == "cp_plan" and self.first_core_group_date is None:
            out.append(
                FieldError(
                    "first_core_group_date",
                    f"Set the date of the first core group [{CITE['core_group']}].",
                )
            )
        if self.first_core_group_date and held and self.first_core_group_date <= held:
            out.append(
                FieldError("first_core_group_date", "The core group meets after the conference.")
            )
        if self.next_review_date is None:
            out.append(
                FieldError(
                    "next_review_date",
                    f"Agree the date of the review conference [{CITE['review']}].",
                )
            )
        elif held and self.next_review_date <= held:
            out.append(FieldError("next_review_date", "The review comes after this conference."))
        if self.visit_frequency_wd is None:
            out.append(
                FieldError(
                    "visit_frequency_wd",
                    f"Set how often the social worker visits (working days) [{CITE['visits']}].",
                )
            )
        elif not 1 <= int(self.visit_frequency_wd) <= 130:
            out.append(
                FieldError("visit_frequency_wd", "Give a number of working days from 1 to 130.")
            )
        if not self.contingency_plan:
            out.append(
                FieldError(
                    "contingency_plan",
                    "A plan needs a contingency plan, specific "
                    f"to the child's circumstances [{CITE['contingency']}].",
                )
            )
        if not any(a.description or a.owner or a.due_date for a in self.actions):
            out.append(
                FieldError(
                    "actions", f"Add the plan's actions: who does what, by when [{CITE['smart']}]."
                )
            )
        for i, a in enumerate(self.actions, 1):
            where = f"actions.{i}"
            if len(a.description) < 3:
                out.append(FieldError(f"{where}.description", "Say what is to be done."))
            if not a.owner:
                out.append(FieldError(f"{where}.owner", "Say who will do it."))
            if a.due_date is None:
                out.append(FieldError(f"{where}.due_date", "Say by when."))
            elif held and a.due_date <= held:
                out.append(
                    FieldError(f"{where}.due_date", "The date is on or before the conference.")
                )
        for i, a in enumerate(self.attendance, 1):
            if a.category_view and a.category_view not in {c.value for c in Category}:
                out.append(FieldError(f"attendance.{i}.category_view", "Choose a category."))
        return out
