"""The Practice Observation Form's inputs, part by part: who was observed and when (Part A),
a rating and the evidence for each criterion (Part B), strengths, development points and the
overall judgement (Parts C to E), and the chair's reflection (Part F). ``view`` lays them out,
fills them from the model and reads them back."""

from __future__ import annotations

import ipywidgets as widgets

from cptrack.apps.observation import html
from cptrack.apps.widgets import Field
from cptrack.casework.qa import common
from cptrack.quality.observation import SCALE, Framework
from cptrack.render import qa as render
from cptrack.render.templating import trusted
from cptrack.storage.store import Store

CHOOSE = ""  # the value of a "choose" entry: a dropdown never holds None


def value_of(widget) -> object:
    """A dropdown's value, None while it shows its "choose" entry."""
    value = widget.value
    return None if value == CHOOSE else value


def text_of(widget) -> str:
    return (widget.value or "").strip()


def about_fields(store: Store, role: str) -> tuple[Field, Field, Field, Field]:
    """Part A: the chair observed, the conference, the observer and the date."""
    chair_options = [(f"— choose the {role.lower()} —", CHOOSE)] + [
        (r.name, int(r.id)) for r in common.chairs(store).itertuples()
    ]
    chair = Field(
        "chair_id",
        f"{role} observed",
        widgets.Dropdown(options=chair_options, layout=widgets.Layout(width="95%")),
        required=True,
    )
    conference = Field(
        "conference_id",
        "Conference observed",
        widgets.Dropdown(
            options=[("— choose the chair first —", CHOOSE)], layout=widgets.Layout(width="95%")
        ),
        help="Conferences the chair held, newest first. Siblings discussed together are "
        "one conference.",
        required=True,
    )
    observer = Field(
        "observer_id",
        "Observed by",
        widgets.Dropdown(
            options=[("— choose the observer —", CHOOSE)] + common.observers(store),
            layout=widgets.Layout(width="95%"),
        ),
        required=True,
    )
    date = Field("date", "Date of the observation", widgets.DatePicker(), required=True)
    return chair, conference, observer, date


def criterion_rows(
    framework: Framework,
) -> tuple[list[widgets.Widget], dict[str, Field], dict[str, Field]]:
    """Part B: a block per domain, a row per criterion; returns the blocks and the rating and
    evidence fields by criterion."""
    ratings: dict[str, Field] = {}
    evidences: dict[str, Field] = {}
    options = [("— rate —", CHOOSE)] + [(g.label, str(g.code)) for g in SCALE]
    blocks: list[widgets.Widget] = [widgets.HTML(html.piece("legend", trusted(render.legend())))]
    for n, domain in enumerate(framework.domains, 1):
        blocks.append(widgets.HTML(html.piece("domain_head", n, domain)))
        blocks.append(widgets.HTML(html.piece("column_heads")))
        for k, c in enumerate(domain.criteria, 1):
            text = widgets.HTML(
                html.piece("criterion", f"{n}.{k}", c), layout=widgets.Layout(width="47%")
            )
            rating = Field(
                f"rating.{c.id}",
                "Rating",
                widgets.Dropdown(options=options, layout=widgets.Layout(width="96%")),
            )
            evidence = Field(
                f"evidence.{c.id}",
                "Evidence",
                widgets.Textarea(
                    placeholder="What you saw and heard",
                    layout=widgets.Layout(width="98%", height="54px"),
                ),
            )
            for f, width in ((rating, "21%"), (evidence, "32%")):
                f.box.add_class("cpt-hide-label")
                f.box.layout.width = width
            row = widgets.HBox([text, rating.box, evidence.box])
            row.add_class("cpt-crit-row")
            row.add_class(f"cpt-criterion-{c.id}")
            ratings[c.id] = rating
            evidences[c.id] = evidence
            blocks.append(row)
    return blocks, ratings, evidences


def judgement_fields() -> tuple[Field, Field, Field, Field]:
    """Parts C to E: strengths, development points, the overall judgement and its rationale."""
    judgement_options = [("— choose the overall judgement —", CHOOSE)] + [
        (g.label, str(g.code)) for g in SCALE if g.score > 0
    ]
    strengths = Field(
        "strengths",
        "Strengths",
        widgets.Textarea(layout=widgets.Layout(width="100%", height="90px")),
        help="What the chair did well, with examples.",
    )
    development = Field(
        "development_points",
        "Development points",
        widgets.Textarea(layout=widgets.Layout(width="100%", height="90px")),
        help="What the chair could develop, specific enough to act on.",
    )
    judgement = Field(
        "overall_judgement",
        "Overall judgement",
        widgets.Dropdown(options=judgement_options, layout=widgets.Layout(width="360px")),
        required=True,
    )
    rationale = Field(
        "overall_rationale",
        "Rationale for the overall judgement",
        widgets.Textarea(layout=widgets.Layout(width="100%", height="80px")),
        required=True,
    )
    return strengths, development, judgement, rationale


def reflection_fields(role: str) -> tuple[Field, Field]:
    """Part F: the chair's reflection and the date they acknowledged the observation."""
    reflection = Field(
        "chair_reflection",
        f"The {role.lower()}'s reflection",
        widgets.Textarea(layout=widgets.Layout(width="100%", height="110px")),
        help="In the chair's own words: what they take from the observation and what they will do.",
        required=True,
    )
    acknowledged = Field(
        "chair_acknowledged",
        f"Date the {role.lower()} acknowledged the observation",
        widgets.DatePicker(),
        required=True,
    )
    return reflection, acknowledged
