"""The Practice Observation Form as ipywidgets, laid out like the paper form.

Part A says who was observed, at which conference, by whom and when; Part B takes each
domain in turn, one row per criterion (the standard, its source, a rating, the evidence);
Parts C to E hold strengths, development points and the overall judgement; Part F is the
chair's reflection, open once the observation is submitted. Values go to and from
``ObservationForm``; every save goes through it (one audited transaction) and a refusal is
shown beside each field.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback

import ipywidgets as widgets

from cptrack.apps.observation import html
from cptrack.apps.widgets import (
    DOCUMENT_FORMATS,
    Banner,
    Field,
    Form,
    ReportDownload,
    guarded,
    open_store,
    primary,
    query_params,
    record_report,
    style,
)
from cptrack.casework.qa import common
from cptrack.casework.qa.observation import (
    STATUS_LABELS,
    ObservationForm,
    observation_options,
)
from cptrack.domain.models import ObservationStatus, RecordError, today
from cptrack.quality.observation import SCALE, Framework
from cptrack.render import qa as render
from cptrack.render.templating import trusted
from cptrack.storage import settings
from cptrack.storage.store import Store

log = logging.getLogger("cptrack.apps")
CHOOSE = ""  # the value of a "choose" entry: a dropdown never holds None


def _value(widget) -> object:
    value = widget.value
    return None if value == CHOOSE else value


def _text(widget) -> str:
    return (widget.value or "").strip()


class ObservationView:
    """The form for one observation; ``open`` chooses what to show from the query string."""

    def __init__(self, store: Store, form: ObservationForm, role: str = "Chair"):
        self.store = store
        self.model = form
        self.role = role
        self.banner = Banner()
        self.download = ReportDownload(
            self.banner,
            lambda: record_report(self.store, "observation", self.model.id),
            DOCUMENT_FORMATS,
        )
        self.reflect_banner = Banner()
        self._build()
        self._from_model()

    @classmethod
    def open(cls, store: Store, observation_id: int | None = None) -> ObservationView:
        """A new observation, or the one named (``?observation=ID`` in the page's URL)."""
        if observation_id is None:
            raw = query_params().get("observation", "")
            observation_id = int(raw) if raw.isdigit() else None
        name = common.profile_name(store)
        form = ObservationForm.new(common.framework(store), name)
        view = cls(store, form, common.chair_role(store))
        if observation_id is not None:
            try:
                view.load(observation_id)
            except RecordError:
                view.banner.bad(
                    f"There is no observation no. {observation_id}; this is a new observation."
                )
        return view

    # -- building ----------------------------------------------------------

    def _build(self) -> None:
        store, role = self.store, self.role
        authority = settings.get("authority_name", store)
        self.title = widgets.HTML(html.piece("title", authority, role.lower()))
        self.open_choice = widgets.Dropdown(
            options=[("— choose an observation to open —", CHOOSE)],
            layout=widgets.Layout(width="520px"),
        )
        self.open_button = widgets.Button(description="Open", layout={"width": "90px"})
        self.new_button = widgets.Button(description="New observation", layout={"width": "160px"})
        self.open_button.on_click(guarded(self.banner, "open")(self._on_open))
        self.new_button.on_click(guarded(self.banner, "start a new observation")(self._on_new))
        self.status = widgets.HTML()
        self.status.add_class("cpt-status")

        chair_options = [(f"— choose the {role.lower()} —", CHOOSE)] + [
            (r.name, int(r.id)) for r in common.chairs(store).itertuples()
        ]
        self.chair = Field(
            "chair_id",
            f"{role} observed",
            widgets.Dropdown(options=chair_options, layout=widgets.Layout(width="95%")),
            required=True,
        )
        self.conference = Field(
            "conference_id",
            "Conference observed",
            widgets.Dropdown(
                options=[("— choose the chair first —", CHOOSE)], layout=widgets.Layout(width="95%")
            ),
            help="Conferences the chair held, newest first. Siblings discussed together are "
            "one conference.",
            required=True,
        )
        self.conference_details = widgets.HTML()
        self.observer = Field(
            "observer_id",
            "Observed by",
            widgets.Dropdown(
                options=[("— choose the observer —", CHOOSE)] + common.observers(store),
                layout=widgets.Layout(width="95%"),
            ),
            required=True,
        )
        self.date = Field("date", "Date of the observation", widgets.DatePicker(), required=True)
        self.chair.widget.observe(self._on_chair, "value")
        self.conference.widget.observe(self._on_conference, "value")

        self.rating_fields: dict[str, Field] = {}
        self.evidence_fields: dict[str, Field] = {}
        self.framework_box = widgets.VBox()
        self._build_framework(self.model.framework)

        judgement_options = [("— choose the overall judgement —", CHOOSE)] + [
            (g.label, str(g.code)) for g in SCALE if g.score > 0
        ]
        self.strengths = Field(
            "strengths",
            "Strengths",
            widgets.Textarea(layout=widgets.Layout(width="100%", height="90px")),
            help="What the chair did well, with examples.",
        )
        self.development = Field(
            "development_points",
            "Development points",
            widgets.Textarea(layout=widgets.Layout(width="100%", height="90px")),
            help="What the chair could develop, specific enough to act on.",
        )
        self.judgement = Field(
            "overall_judgement",
            "Overall judgement",
            widgets.Dropdown(options=judgement_options, layout=widgets.Layout(width="360px")),
            required=True,
        )
        self.rationale = Field(
            "overall_rationale",
            "Rationale for the overall judgement",
            widgets.Textarea(layout=widgets.Layout(width="100%", height="80px")),
            required=True,
        )
        self.draft_button = widgets.Button(description="Save draft", layout={"width": "160px"})
        self.submit_button = primary(
            widgets.Button(description=f"Submit to the {role.lower()}", layout={"width": "220px"})
        )
        self.amend_button = primary(
            widgets.Button(description="Save changes", layout={"width": "180px"})
        )
        self.draft_button.on_click(guarded(self.banner, "save")(lambda _b: self.save("draft")))
        self.submit_button.on_click(guarded(self.banner, "submit")(lambda _b: self.save("submit")))
        self.amend_button.on_click(guarded(self.banner, "save")(lambda _b: self.save("amend")))

        self.reflection = Field(
            "chair_reflection",
            f"The {role.lower()}'s reflection",
            widgets.Textarea(layout=widgets.Layout(width="100%", height="110px")),
            help="In the chair's own words: what they take from the "
            "observation and what they will do.",
            required=True,
        )
        self.acknowledged = Field(
            "chair_acknowledged",
            f"Date the {role.lower()} acknowledged the observation",
            widgets.DatePicker(),
            required=True,
        )
        self.reflect_button = primary(
            widgets.Button(
                description=f"Save the {role.lower()}'s reflection", layout={"width": "260px"}
            )
        )
        self.reflect_button.on_click(
            guarded(self.reflect_banner, "save the reflection")(lambda _b: self.save("reflect"))
        )
        self.reflection_note = widgets.HTML()

    def _build_framework(self, framework: Framework) -> None:
        """Part B: a block per domain, a row per criterion."""
        self.rating_fields.clear()
        self.evidence_fields.clear()
        options = [("— rate —", CHOOSE)] + [(g.label, str(g.code)) for g in SCALE]
        blocks: list[widgets.Widget] = [
            widgets.HTML(html.piece("legend", trusted(render.legend())))
        ]
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
                self.rating_fields[c.id] = rating
                self.evidence_fields[c.id] = evidence
                blocks.append(row)
        self.framework_box.children = tuple(blocks)

    # -- the page ------------------------------------------------------------

    @property
    def form(self) -> Form:
        return Form(
            [
                self.chair,
                self.conference,
                self.observer,
                self.date,
                *self.rating_fields.values(),
                *self.evidence_fields.values(),
                self.strengths,
                self.development,
                self.judgement,
                self.rationale,
                self.reflection,
                self.acknowledged,
            ],
            self.banner,
        )

    def widget(self) -> widgets.Widget:
        role = self.role.lower()

        def part(letter: str, title: str, *children: widgets.Widget) -> widgets.VBox:
            head = widgets.HTML(html.piece("part_head", letter, title))
            body = widgets.VBox(list(children))
            body.add_class("cpt-part-body")
            box = widgets.VBox([head, body])
            box.add_class("cpt-part")
            box.add_class(f"cpt-part-{letter.lower()}")
            return box

        framework_part = widgets.VBox(
            [
                widgets.HTML(
                    html.piece(
                        "part_head",
                        "B",
                        f"Observation against the standards ({self.model.framework.name})",
                    )
                ),
                self.framework_box,
            ]
        )
        framework_part.add_class("cpt-part")
        framework_part.add_class("cpt-part-b")
        page = widgets.VBox(
            [
                style(),
                self.title,
                widgets.HBox([self.open_choice, self.open_button, self.new_button]),
                self.status,
                part("A", "About the observation", self._about()),
                framework_part,
                part("C", "Strengths", self.strengths.box),
                part("D", "Development points", self.development.box),
                part("E", "Overall judgement", self.judgement.box, self.rationale.box),
                widgets.HBox([self.draft_button, self.submit_button, self.amend_button]),
                self.banner,
                self.download.widget,
                part(
                    "F",
                    f"The {role}'s reflection and acknowledgement",
                    self.reflection_note,
                    self.reflection.box,
                    self.acknowledged.box,
                    self.reflect_button,
                ),
                self.reflect_banner,
            ]
        )
        page.add_class("cpt-paper")
        self._refresh_open_list()
        return page

    def _about(self) -> widgets.GridBox:
        """Part A in two columns: who and which conference; by whom and when."""
        left = widgets.VBox([self.chair.box, self.conference.box, self.conference_details])
        right = widgets.VBox([self.observer.box, self.date.box])
        return widgets.GridBox(
            [left, right],
            layout=widgets.Layout(grid_template_columns="56% 42%", grid_gap="0 2%"),
        )

    def _refresh_open_list(self) -> None:
        self.open_choice.options = [("— choose an observation to open —", CHOOSE)] + (
            observation_options(self.store)
        )
        self.open_choice.value = CHOOSE

    # -- model <-> widgets -------------------------------------------------

    def _from_model(self) -> None:
        m = self.model
        self.chair.widget.value = m.chair_id if m.chair_id is not None else CHOOSE
        self._conference_options()
        self.conference.widget.value = m.conference_id if m.conference_id is not None else CHOOSE
        observers = [v for _, v in self.observer.widget.options]
        if m.observer_id is not None and m.observer_id not in observers:
            self.observer.widget.options = [
                *self.observer.widget.options,
                (f"Staff no. {m.observer_id}", m.observer_id),
            ]
        self.observer.widget.value = m.observer_id if m.observer_id is not None else CHOOSE
        self.date.widget.value = m.date
        for cid, f in self.rating_fields.items():
            f.widget.value = m.ratings.get(cid) or CHOOSE
            self.evidence_fields[cid].widget.value = m.evidence.get(cid, "")
        self.strengths.widget.value = m.strengths
        self.development.widget.value = m.development_points
        self.judgement.widget.value = m.overall_judgement or CHOOSE
        self.rationale.widget.value = m.overall_rationale
        self.reflection.widget.value = m.chair_reflection
        self.acknowledged.widget.value = m.chair_acknowledged
        self._show_status()

    def _to_model(self) -> None:
        m = self.model
        m.chair_id = _value(self.chair.widget)
        m.conference_id = _value(self.conference.widget)
        m.observer_id = _value(self.observer.widget)
        m.date = self.date.widget.value
        m.ratings = {cid: _value(f.widget) for cid, f in self.rating_fields.items()}
        m.evidence = {cid: _text(f.widget) for cid, f in self.evidence_fields.items()}
        m.strengths = _text(self.strengths.widget)
        m.development_points = _text(self.development.widget)
        m.overall_judgement = _value(self.judgement.widget)
        m.overall_rationale = _text(self.rationale.widget)
        m.chair_reflection = _text(self.reflection.widget)
        m.chair_acknowledged = self.acknowledged.widget.value

    def _show_status(self) -> None:
        m = self.model
        role = self.role.lower()
        self.status.value = html.piece(
            "status", None if m.is_new else m.id, m.status_label, m.version
        )
        draft = m.status == ObservationStatus.DRAFT
        self.download.forget()
        self.download.widget.layout.display = "none" if m.is_new else None
        self.draft_button.layout.display = None if draft else "none"
        self.submit_button.layout.display = None if draft else "none"
        self.amend_button.layout.display = "none" if draft else None
        for f in (self.reflection, self.acknowledged):
            f.widget.disabled = draft
        self.reflect_button.disabled = draft
        self.reflection_note.value = html.piece(
            "help",
            f"The {role} adds their reflection once the observation is submitted."
            if draft
            else f"The {role} reads the observation, then adds their reflection and the date; "
            "the observation is then complete.",
        )

    # -- events ------------------------------------------------------------

    def _conference_options(self) -> None:
        chair = _value(self.chair.widget)
        if chair is None:
            self.conference.widget.options = [("— choose the chair first —", CHOOSE)]
            return
        since = today() - dt.timedelta(days=548)
        options = common.held_conferences(
            self.store, chair, since=since, include=self.model.conference_id
        )
        head = "— choose the conference —" if options else "— no conferences held recently —"
        self.conference.widget.options = [(head, CHOOSE), *options]

    def _on_chair(self, _change) -> None:
        current = _value(self.conference.widget)
        self._conference_options()
        values = [v for _, v in self.conference.widget.options]
        self.conference.widget.value = current if current in values else CHOOSE

    def _on_conference(self, _change) -> None:
        details = common.conference_details(self.store, _value(self.conference.widget))
        if details is None:
            self.conference_details.value = ""
            return
        kind = common.CONFERENCE_TYPES.get(details["type"], details["type"])
        self.conference_details.value = html.piece(
            "help",
            f"{kind} conference held {details['held_date']:%-d %B %Y} about "
            f"{', '.join(details['children'])}.",
        )
        if self.date.widget.value is None:
            self.date.widget.value = details["held_date"]

    def _on_open(self, _button) -> None:
        chosen = _value(self.open_choice)
        if chosen is None:
            self.banner.info("Choose an observation to open.")
            return
        self.load(int(chosen))
        self.banner.info(f"Opened observation no. {chosen}.")

    def _on_new(self, _button) -> None:
        self.model = ObservationForm.new(
            common.framework(self.store), common.profile_name(self.store)
        )
        self._build_framework(self.model.framework)
        self.form.clear_errors()
        self._from_model()
        self.banner.info("A new observation: fill in each part, then save a draft or submit.")

    def load(self, observation_id: int) -> None:
        form = ObservationForm.load(self.store, observation_id)
        if form.framework != self.model.framework:
            self._build_framework(form.framework)
        self.model = form
        self.form.clear_errors()
        self.reflect_banner.clear()
        self._from_model()

    def save(self, action: str) -> dict | None:
        """Save the form as ``action``; problems go next to their fields."""
        self._to_model()
        form = self.form
        form.clear_errors()
        self.reflect_banner.clear()
        try:
            row = self.model.save(self.store, action)
        except RecordError as exc:
            form.show_errors(exc.by_field())
            if action == "reflect":
                self.reflect_banner.value = self.banner.value
            return None
        words = {
            "draft": "Draft saved",
            "submit": f"Submitted: the {self.role.lower()} can now add their reflection",
            "amend": "Changes saved",
            "reflect": "Reflection saved: the observation is complete",
        }[action]
        message = (
            f"{words} (observation no. {row['id']}, version {row['version']}, "
            f"{STATUS_LABELS[ObservationStatus(row['status'])].lower()})."
        )
        self.banner.ok(message)
        if action == "reflect":
            self.reflect_banner.ok(message)
        self._show_status()
        self._refresh_open_list()
        return row


def show() -> ObservationView | None:
    """Display the form in a notebook (a clear message if the database cannot open);
    returns the view so that a test can drive it."""
    from IPython.display import HTML, display

    from cptrack.render.style import notice
    from cptrack.storage.connection import StoreError

    try:
        view = ObservationView.open(open_store())
        display(view.widget())
    except StoreError as exc:
        display(HTML(notice(f"cptrack cannot open its database: {exc}")))
        return None
    except Exception as exc:  # shown to the user; the traceback goes to the log
        log.error("the app did not start:\n%s", traceback.format_exc())
        display(HTML(notice(f"The app could not start: {type(exc).__name__}: {exc}")))
        return None
    return view
