"""Feedback after a conference, as ipywidgets: the form, and the summary it feeds.

The form asks who is giving feedback (a child, with a simpler wording for younger children;
a parent or carer; a professional), about which conference, and the rated questions of that
questionnaire with room for comments. Saving goes through ``FeedbackForm`` (one audited
transaction that also marks the conference's feedback as sought); the summary below, by
chair, by quarter and by question, is redrawn after each save.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback

import ipywidgets as widgets

from cptrack.apps.feedback import html
from cptrack.apps.widgets import (
    Banner,
    Field,
    Form,
    guarded,
    open_store,
    primary,
    query_params,
    style,
)
from cptrack.casework.qa import common
from cptrack.casework.qa.feedback import STATUS_LABELS, FeedbackForm
from cptrack.domain.models import (
    AGENCY_LABELS,
    Agency,
    FeedbackStatus,
    RecordError,
    Respondent,
    today,
)
from cptrack.quality import feedback, questionnaires
from cptrack.render import qa as render
from cptrack.render.templating import trusted
from cptrack.storage import settings
from cptrack.storage.store import Store

log = logging.getLogger("cptrack.apps")
CHOOSE = ""
NO_ANSWER = ""


def _value(widget):
    value = widget.value
    return None if value == CHOOSE else value


class FeedbackView:
    """The feedback form and the summary beneath it."""

    def __init__(self, store: Store, role: str = "Chair", as_of: dt.date | None = None):
        self.store = store
        self.role = role
        self.as_of = as_of or today()
        self.banner = Banner()
        self.model = FeedbackForm(date=self.as_of)
        self.answer_fields: dict[str, Field] = {}
        self._build()

    @classmethod
    def open(cls, store: Store) -> FeedbackView:
        view = cls(store, common.chair_role(store))
        conference = query_params().get("conference", "")
        if conference.isdigit():
            view.choose_conference(int(conference))
        return view

    # -- building ----------------------------------------------------------

    def _build(self) -> None:
        store, role = self.store, self.role
        authority = settings.get("authority_name", store)
        self.title = widgets.HTML(html.piece("title", authority))
        chairs = [(f"— choose the {role.lower()} —", CHOOSE)] + [
            (r.name, int(r.id)) for r in common.chairs(store).itertuples()
        ]
        self.chair = Field(
            "chair",
            f"{role} who held the conference",
            widgets.Dropdown(options=chairs, layout=widgets.Layout(width="95%")),
        )
        self.conference = Field(
            "conference_id",
            "Conference",
            widgets.Dropdown(
                options=[("— choose the chair first —", CHOOSE)], layout=widgets.Layout(width="95%")
            ),
            help="Conferences held in the last 12 months, newest first.",
            required=True,
        )
        self.chair.widget.observe(self._on_chair, "value")
        self.respondent = Field(
            "respondent",
            "Feedback from",
            widgets.ToggleButtons(
                options=[(q.title, str(k)) for k, q in questionnaires.QUESTIONNAIRES.items()],
                value=str(Respondent.PARENT),
            ),
            required=True,
        )
        self.simple = Field(
            "simple_wording",
            "Wording",
            widgets.Checkbox(description="Simpler wording, for younger children", indent=False),
        )
        agencies = [("— choose the agency —", CHOOSE)] + [
            (AGENCY_LABELS[a], str(a)) for a in Agency if a not in (Agency.FAMILY,)
        ]
        self.agency = Field("agency", "Agency", widgets.Dropdown(options=agencies))
        self.date = Field(
            "date",
            "Date the feedback was given",
            widgets.DatePicker(value=self.as_of),
            required=True,
        )
        self.status = Field(
            "status",
            "Feedback",
            widgets.RadioButtons(
                options=[(label, str(k)) for k, label in STATUS_LABELS.items()],
                value=str(FeedbackStatus.RECEIVED),
            ),
            required=True,
        )
        self.respondent.widget.observe(self._on_respondent, "value")
        self.simple.widget.observe(self._on_respondent, "value")
        self.status.widget.observe(self._on_status, "value")
        self.intro = widgets.HTML()
        self.questions_box = widgets.VBox()
        self.answers_error = Field("answers", "", widgets.HTML())
        self.answers_error.box.add_class("cpt-hide-label")
        self.comments = Field(
            "comments",
            "Anything else you would like to tell us",
            widgets.Textarea(layout=widgets.Layout(width="100%", height="90px")),
        )
        self.save_button = primary(
            widgets.Button(description="Save feedback", layout={"width": "180px"})
        )
        self.save_button.on_click(guarded(self.banner, "save the feedback")(lambda _b: self.save()))
        self.summary = widgets.HTML()
        self._questions()
        self._on_status(None)

    def _questions(self) -> None:
        """The rated questions of the chosen questionnaire, in the chosen wording."""
        old = {qid: f.widget.value for qid, f in self.answer_fields.items()}
        respondent = self.respondent.widget.value
        simple = respondent == Respondent.CHILD and self.simple.widget.value
        self.simple.box.layout.display = None if respondent == Respondent.CHILD else "none"
        self.agency.box.layout.display = None if respondent == Respondent.PROFESSIONAL else "none"
        questionnaire = questionnaires.QUESTIONNAIRES[Respondent(respondent)]
        labels = questionnaires.answer_labels(simple)
        self.intro.value = html.piece("intro", questionnaire)
        self.answer_fields = {}
        rows = []
        for n, q in enumerate(questionnaire.questions, 1):
            text = widgets.HTML(html.piece("question", n, q, questionnaires.wording(q, simple)))
            buttons = widgets.ToggleButtons(
                options=[("No answer", NO_ANSWER)] + [(label, k) for k, label in labels.items()],
                value=old.get(q.id, NO_ANSWER),
            )
            field = Field(f"answer.{q.id}", "", buttons)
            field.box.add_class("cpt-hide-label")
            box = widgets.VBox([text, field.box])
            box.add_class("cpt-q")
            box.add_class(f"cpt-q-{q.id}")
            if simple:
                box.add_class("cpt-q-simple")
            self.answer_fields[q.id] = field
            rows.append(box)
        self.questions_box.children = tuple(rows)

    def widget(self) -> widgets.Widget:
        def part(title: str, *children, name: str = "") -> widgets.VBox:
            body = widgets.VBox(list(children))
            body.add_class("cpt-fb-body")
            box = widgets.VBox([widgets.HTML(html.piece("part_head", title)), body])
            box.add_class("cpt-fb-part")
            if name:
                box.add_class(f"cpt-fb-{name}")
            return box

        about = widgets.GridBox(
            [
                widgets.VBox([self.chair.box, self.conference.box]),
                widgets.VBox(
                    [
                        self.respondent.box,
                        self.simple.box,
                        self.agency.box,
                        self.date.box,
                        self.status.box,
                    ]
                ),
            ],
            layout=widgets.Layout(grid_template_columns="50% 48%", grid_gap="0 2%"),
        )
        page = widgets.VBox(
            [
                style(),
                self.title,
                part("1. The conference and who is giving feedback", about, name="about"),
                part(
                    "2. Questions",
                    self.intro,
                    self.questions_box,
                    self.answers_error.box,
                    self.comments.box,
                    name="questions",
                ),
                widgets.HBox([self.save_button]),
                self.banner,
                self.summary,
            ]
        )
        page.add_class("cpt-fb")
        self.refresh_summary()
        return page

    @property
    def form(self) -> Form:
        return Form(
            [
                self.conference,
                self.respondent,
                self.simple,
                self.agency,
                self.date,
                self.status,
                self.answers_error,
                *self.answer_fields.values(),
                self.comments,
            ],
            self.banner,
        )

    # -- events ------------------------------------------------------------

    def _on_chair(self, _change) -> None:
        chair = _value(self.chair.widget)
        if chair is None:
            self.conference.widget.options = [("— choose the chair first —", CHOOSE)]
            return
        since = self.as_of - dt.timedelta(days=365)
        options = common.held_conferences(self.store, chair, since=since, until=self.as_of)
        head = "— choose the conference —" if options else "— no conferences in the last year —"
        self.conference.widget.options = [(head, CHOOSE), *options]

    def _on_respondent(self, _change) -> None:
        self._questions()

    def _on_status(self, _change) -> None:
        received = self.status.widget.value == FeedbackStatus.RECEIVED
        for box in (self.questions_box, self.comments.box):
            box.layout.display = None if received else "none"

    def choose_conference(self, conference_id: int) -> None:
        """Preselect a conference (a deep link ``?conference=ID``)."""
        conf = self.store.get("conferences", conference_id)
        if conf is None or conf["chair_id"] is None:
            self.banner.bad(f"There is no conference {conference_id} with a chair recorded.")
            return
        self.chair.widget.value = conf["chair_id"]
        values = [v for _, v in self.conference.widget.options]
        if conference_id not in values:
            details = common.conference_details(self.store, conference_id)
            label = f"{conf['held_date']:%-d %b %Y} · {', '.join(details['children'])}"
            self.conference.widget.options = [
                *self.conference.widget.options,
                (label, conference_id),
            ]
        self.conference.widget.value = conference_id

    # -- saving ------------------------------------------------------------

    def _to_model(self) -> None:
        m = self.model
        m.conference_id = _value(self.conference.widget)
        m.respondent = self.respondent.widget.value
        m.simple_wording = bool(self.simple.widget.value)
        m.agency = _value(self.agency.widget)
        m.date = self.date.widget.value
        m.status = self.status.widget.value
        m.answers = {
            qid: (None if f.widget.value == NO_ANSWER else int(f.widget.value))
            for qid, f in self.answer_fields.items()
        }
        m.comments = (self.comments.widget.value or "").strip()

    def save(self) -> dict | None:
        self._to_model()
        form = self.form
        form.clear_errors()
        try:
            row = self.model.save(self.store)
        except RecordError as exc:
            form.show_errors(exc.by_field())
            return None
        who = questionnaires.RESPONDENT_LABELS[Respondent(row["respondent"])].lower()
        self.banner.ok(f"Saved: feedback from a {who} (no. {row['id']}).")
        self._clear_answers()
        self.refresh_summary()
        return row

    def _clear_answers(self) -> None:
        for f in self.answer_fields.values():
            f.widget.value = NO_ANSWER
        self.comments.widget.value = ""
        self.model = FeedbackForm(date=self.as_of)

    def refresh_summary(self) -> None:
        """The last 12 months' feedback by chair, by quarter and by question."""
        start = self.as_of - dt.timedelta(days=365)
        frames = feedback.load(self.store, start, self.as_of)
        self.summary.value = html.piece(
            "summary",
            start,
            self.as_of,
            trusted(render.feedback_by_chair(feedback.summary_by_chair(frames))),
            trusted(render.feedback_by_period(feedback.summary_by_period(frames))),
            trusted(render.feedback_questions(feedback.question_summary(frames))),
        )


def show() -> FeedbackView | None:
    """Display the feedback app; returns the view so that a test can drive it."""
    from IPython.display import HTML, display

    from cptrack.render.style import notice
    from cptrack.storage.connection import StoreError

    try:
        view = FeedbackView.open(open_store())
        display(view.widget())
    except StoreError as exc:
        display(HTML(notice(f"cptrack cannot open its database: {exc}")))
        return None
    except Exception as exc:  # shown to the user; the traceback goes to the log
        log.error("the app did not start:\n%s", traceback.format_exc())
        display(HTML(notice(f"The app could not start: {type(exc).__name__}: {exc}")))
        return None
    return view
