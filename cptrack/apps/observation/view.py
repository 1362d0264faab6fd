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
from cptrack.apps.observation.fields import (
    CHOOSE,
    about_fields,
    criterion_rows,
    judgement_fields,
    reflection_fields,
    text_of,
    value_of,
)
from cptrack.apps.observation.layout import about_grid, framework_part, part
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
from cptrack.quality.observation import Framework
from cptrack.storage import settings
from cptrack.storage.store import Store

log = logging.getLogger("cptrack.apps")


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

        self.chair, self.conference, self.observer, self.date = about_fields(store, role)
        self.conference_details = widgets.HTML()
        self.chair.widget.observe(self._on_chair, "value")
        self.conference.widget.observe(self._on_conference, "value")

        self.rating_fields: dict[str, Field] = {}
        self.evidence_fields: dict[str, Field] = {}
        self.framework_box = widgets.VBox()
        self._build_framework(self.model.framework)

        self.strengths, self.development, self.judgement, self.rationale = judgement_fields()
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

        self.reflection, self.acknowledged = reflection_fields(role)
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
        blocks, ratings, evidences = criterion_rows(framework)
        self.rating_fields.clear()
        self.rating_fields.update(ratings)
        self.evidence_fields.clear()
        self.evidence_fields.update(evidences)
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
        page = widgets.VBox(
            [
                style(),
                self.title,
                widgets.HBox([self.open_choice, self.open_button, self.new_button]),
                self.status,
                part(
                    "A",
                    "About the observation",
                    about_grid(
                        self.chair,
                        self.conference,
                        self.conference_details,
                        self.observer,
                        self.date,
                    ),
                ),
                framework_part(self.model.framework.name, self.framework_box),
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
        m.chair_id = value_of(self.chair.widget)
        m.conference_id = value_of(self.conference.widget)
        m.observer_id = value_of(self.observer.widget)
        m.date = self.date.widget.value
        m.ratings = {cid: value_of(f.widget) for cid, f in self.rating_fields.items()}
        m.evidence = {cid: text_of(f.widget) for cid, f in self.evidence_fields.items()}
        m.strengths = text_of(self.strengths.widget)
        m.development_points = text_of(self.development.widget)
        m.overall_judgement = value_of(self.judgement.widget)
        m.overall_rationale = text_of(self.rationale.widget)
        m.chair_reflection = text_of(self.reflection.widget)
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
        chair = value_of(self.chair.widget)
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
        current = value_of(self.conference.widget)
        self._conference_options()
        values = [v for _, v in self.conference.widget.options]
        self.conference.widget.value = current if current in values else CHOOSE

    def _on_conference(self, _change) -> None:
        details = common.conference_details(self.store, value_of(self.conference.widget))
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
        chosen = value_of(self.open_choice)
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
