"""The inputs of one escalation (new or being answered), bound to an
``cptrack.casework.escalations.EscalationDraft``. A host form that saves the escalation with its own
record (the midway review) reads ``draft()`` and passes refusals to ``show_errors`` with its
prefix; the response date follows the date raised (the profile's default) until the chair
changes it."""

from __future__ import annotations

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.casework import escalations
from cptrack.casework.escalations import STATUS_WORDS, EscalationDraft
from cptrack.rules.profiles import Profile


class EscalationForm:
    """The inputs of one escalation. ``prefix`` is how a host names its fields."""

    def __init__(self, profile: Profile, draft: EscalationDraft, prefix: str = ""):
        self.profile = profile
        self.prefix = prefix
        self.base = draft
        known = escalations.stages(profile)
        stages = known + ([draft.stage] if draft.stage and draft.stage not in known else [])
        self.fields = {
            "raised_on": parts.field(
                "raised_on", "Date raised", parts.date(draft.raised_on), required=True
            ),
            "stage": parts.field(
                "stage",
                "Stage",
                parts.choice({s: s[:1].upper() + s[1:] for s in stages}),
                help=f"{profile.name}'s escalation stages, in order.",
                required=True,
            ),
            "raised_with": parts.field(
                "raised_with",
                "Raised with",
                parts.text("420px"),
                help="Name and role, e.g. the social worker's team manager.",
                required=True,
            ),
            "reason": parts.field(
                "reason", "The concern, and what you are asking for", parts.area(3), required=True
            ),
            "response_due": parts.field(
                "response_due",
                "Response due by",
                parts.date(draft.response_due),
                required=True,
                help="Proposed from the profile: "
                f"{_rule_words(profile)}. Change it if you agreed "
                "another date.",
            ),
            "response": parts.field("response", "Response received", parts.area(2)),
            "response_date": parts.field("response_date", "Date of the response", parts.date()),
            "outcome": parts.field(
                "outcome",
                "Outcome",
                parts.area(2),
                help="How it was resolved, or why it was withdrawn.",
            ),
            "status": parts.field(
                "status", "Status", parts.choice(STATUS_WORDS, none=None, width="200px")
            ),
        }
        self._auto_due = True
        self.set(draft)
        self.fields["raised_on"].widget.observe(self._raised_changed, names="value")
        self.fields["response_due"].widget.observe(self._due_changed, names="value")
        answer = ("response", "response_date", "outcome", "status")
        self.answer_box = widgets.VBox([self.fields[n].box for n in answer])
        first = ("raised_on", "stage", "raised_with", "reason", "response_due")
        self.widget = widgets.VBox([self.fields[n].box for n in first] + [self.answer_box])
        self.widget.add_class("cpt-escalation-form")
        self.answer_box.layout.display = None if draft.amending else "none"

    def _raised_changed(self, change) -> None:
        if self._auto_due and change["new"] is not None:
            self._setting_due = True
            self.fields["response_due"].value = escalations.response_due(
                self.profile, change["new"]
            )
            self._setting_due = False

    def _due_changed(self, _change) -> None:
        if not getattr(self, "_setting_due", False):
            self._auto_due = False

    def set(self, draft: EscalationDraft) -> None:
        self.base = draft
        self._setting_due = True
        for name, value in draft.values().items():
            self.fields[name].value = value
        self._setting_due = False
        self._auto_due = not draft.amending

    def draft(self) -> EscalationDraft:
        values = {name: f.value for name, f in self.fields.items()}
        values["stage"] = values["stage"] or ""
        return self.base.with_values(**values)

    def show_errors(self, by_field: dict[str, list[str]]) -> set[str]:
        """Show the messages meant for this form (named with its prefix); returns the names
        it showed."""
        shown = set()
        for name, f in self.fields.items():
            key = self.prefix + name
            f.set_error(by_field.get(key))
            if key in by_field:
                shown.add(key)
        return shown

    def clear_errors(self) -> None:
        for f in self.fields.values():
            f.set_error(None)


def _rule_words(profile: Profile) -> str:
    rules = profile.rules_for("escalation_response")
    if rules:
        return f"{rules[0].amount} {rules[0].unit.replace('_', ' ')} after it is raised"
    return f"{profile.settings['escalation_response_wd']} working days after it is raised"
