"""The Record tab's inputs: one labelled field for each value of the conference record, and
the attendance list; ``RecordView`` (``record``) lays them out and reads and saves them."""

from __future__ import annotations

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.casework.conference import preparation as prep
from cptrack.casework.conference.record.draft import AttendeeRow, RecordDraft
from cptrack.casework.conference.record.words import (
    END_REASON_WORDS,
    OUTCOME_WORDS,
    PARTICIPATION_WORDS,
    STATUS_WORDS,
    VIEW_WORDS,
)
from cptrack.domain.models import CATEGORY_LABELS
from cptrack.rules.profiles import Profile

CATEGORY_CHOICES = {c.value: w for c, w in CATEGORY_LABELS.items()}
FREQUENCIES = {
    5: "every 5 working days (weekly)",
    10: "every 10 working days (2 weeks)",
    15: "every 15 working days (3 weeks)",
    20: "every 20 working days (4 weeks)",
    30: "every 30 working days (6 weeks)",
}
TYPE_CHOICES_INITIAL = {
    "initial": "Initial",
    "pre_birth": "Pre-birth",
    "transfer_in": "Transfer-in",
}


def attendance_list(on_change) -> parts.RowList:
    score = lambda: parts.choice({i: str(i) for i in range(11)}, none="—")  # noqa: E731
    return parts.RowList(
        "attendance",
        [
            parts.Column("agency", "Agency", lambda: parts.choice(parts.AGENCY_CHOICES), "200px"),
            parts.Column("person", "Name and role", parts.text, "190px"),
            parts.Column(
                "status", "Attended?", lambda: parts.choice(STATUS_WORDS, none=None), "190px"
            ),
            parts.Column("scaling_score", "Scaling 0-10", score, "95px"),
            parts.Column("view", "View on the decision", lambda: parts.choice(VIEW_WORDS), "200px"),
            parts.Column(
                "category_view",
                "Category view",
                lambda: parts.choice(CATEGORY_CHOICES, none="—"),
                "150px",
            ),
            parts.Column("dissent", "Dissents", lambda: widgets.Checkbox(indent=False), "80px"),
        ],
        from_item=lambda a: {
            "agency": a.agency,
            "person": a.person,
            "status": a.status,
            "scaling_score": a.scaling_score,
            "view": a.view,
            "category_view": a.category_view,
            "dissent": a.dissent,
        },
        to_item=lambda v, a: AttendeeRow(
            agency=v["agency"] or "",
            person=v["person"],
            role=getattr(a, "role", ""),
            status=v["status"],
            scaling_score=v["scaling_score"],
            view=v["view"],
            category_view=v["category_view"],
            dissent=bool(v["dissent"]),
            record_id=getattr(a, "record_id", None),
            version=getattr(a, "version", None),
            original=getattr(a, "original", {}),
        ),
        add_label="Add a person or agency",
        new_item=AttendeeRow,
        on_change=on_change,
    )


def record_fields(d: RecordDraft, profile: Profile) -> dict[str, parts.Field]:
    """The form's fields, by the draft's names, for ``d``'s type of conference."""
    types = TYPE_CHOICES_INITIAL if d.initial_like else {"review": "Review"}
    frequencies = dict(FREQUENCIES)
    if d.visit_frequency_wd and d.visit_frequency_wd not in frequencies:
        frequencies[d.visit_frequency_wd] = f"every {d.visit_frequency_wd} working days"
    default_visits = profile.settings["visit_frequency_wd"]
    return {
        "type": parts.field(
            "type", "Type of conference", parts.choice(types, none=None, width="220px")
        ),
        "held_date": parts.field(
            "held_date", "Date of the conference", parts.date(), required=True
        ),
        "venue": parts.field("venue", "Venue", parts.choice(prep.VENUES, none="—", width="220px")),
        "venue_name": parts.field(
            "venue_name",
            "Where it was held",
            parts.text(width="260px", placeholder="e.g. Civic Centre, room 2"),
        ),
        "participation": parts.field(
            "participation",
            "How the child took part",
            parts.choice(PARTICIPATION_WORDS, none="—", width="420px"),
        ),
        "stood_down": parts.field(
            "stood_down",
            "Stood down?",
            widgets.Checkbox(
                description="The conference was stood down (adjourned) and did not reach a decision",
                indent=False,
                layout=widgets.Layout(width="auto"),
            ),
        ),
        "stood_down_reason": parts.field(
            "stood_down_reason", "Why it was stood down", parts.area(2), required=True
        ),
        "bridging_plan": parts.field(
            "bridging_plan",
            "Bridging plan",
            parts.area(3),
            help="Including any urgent action to keep the child safe until the conference reconvenes.",
            required=True,
        ),
        "reconvene_date": parts.field(
            "reconvene_date", "Reconvenes on", parts.date(), required=True
        ),
        "worried_about": parts.field(
            "worried_about", "What are we worried about?", parts.area(4), required=True
        ),
        "working_well": parts.field("working_well", "What's working well?", parts.area(4)),
        "child_views": parts.field(
            "child_views",
            "What are the child's views?",
            parts.area(3),
            required=d.type != "pre_birth",
        ),
        "needs_to_happen": parts.field(
            "needs_to_happen", "What needs to happen?", parts.area(3), required=True
        ),
        "danger_statements": parts.field(
            "danger_statements",
            "Danger statements",
            parts.area(3),
            help="What are we worried will happen to the child if nothing changes?",
        ),
        "safety_goals": parts.field(
            "safety_goals",
            "Safety goals",
            parts.area(3),
            help="What we need to see to be willing to close the "
            "case; one per line (the midway review rates each).",
        ),
        "outcome": parts.field(
            "outcome",
            "Decision",
            widgets.RadioButtons(
                options=[(OUTCOME_WORDS[o], o) for o in d.outcomes],
                value=None,
                layout=widgets.Layout(width="auto"),
            ),
            required=True,
        ),
        "category": parts.field(
            "category", "Category of abuse", parts.choice(CATEGORY_CHOICES, width="260px")
        ),
        "end_reason": parts.field(
            "end_reason", "Why the plan ends", parts.choice(END_REASON_WORDS, width="360px")
        ),
        "dissent_detail": parts.field(
            "dissent_detail",
            "Dissent: who, and their reasons",
            parts.area(2),
            help="Needed when anyone dissents from the decision.",
        ),
        "core_group_members": parts.field(
            "core_group_members", "Core group members", parts.area(2), required=True
        ),
        "first_core_group_date": parts.field(
            "first_core_group_date",
            "First core group on" if d.initial_like else "Next core group on",
            parts.date(),
            required=d.initial_like,
        ),
        "next_review_date": parts.field(
            "next_review_date", "Review conference on", parts.date(), required=True
        ),
        "visit_frequency_wd": parts.field(
            "visit_frequency_wd",
            "Social worker visits",
            parts.choice(frequencies, width="320px"),
            help=f"{profile.name}'s default: every {default_visits} working days.",
            required=True,
        ),
        "contingency_plan": parts.field(
            "contingency_plan",
            "Contingency plan",
            parts.area(3),
            help="What will happen if the plan does not keep the child safe, specific to this child.",
            required=True,
        ),
        "decisions_distributed": parts.field(
            "decisions_distributed", "Decisions sent on", parts.date()
        ),
        "plan_distributed": parts.field("plan_distributed", "Plan sent on", parts.date()),
        "minutes_distributed": parts.field("minutes_distributed", "Minutes sent on", parts.date()),
    }


def put_hint(field, hint: widgets.HTML) -> None:
    """Put ``hint`` under the field's input, above its error line."""
    children = list(field.box.children)
    field.box.children = (*children[:-1], hint, children[-1])
