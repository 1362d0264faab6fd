"""The QA dashboard as ipywidgets: controls above, the meeting pack's sections below.

Sections: chairs not observed within the interval; ratings by domain (the heat map);
criteria most often below Good; a chair's trend; observations per chair and quarter;
feedback by chair, quarter and question; whether feedback was sought at each of a chair's
conferences. All figures come from ``Dashboard`` (the model); this module only lays them
out and passes choices back.
"""

from __future__ import annotations

import logging
import traceback

import ipywidgets as widgets

from cptrack.apps.qa_dashboard import html
from cptrack.apps.widgets import Banner, Field, Form, guarded, open_store, primary, style
from cptrack.casework.qa import common
from cptrack.casework.qa.dashboard import HEADINGS, Dashboard
from cptrack.domain.models import RecordError
from cptrack.render.templating import trusted
from cptrack.storage import settings
from cptrack.storage.store import Store

log = logging.getLogger("cptrack.apps")

SECTIONS = tuple(HEADINGS.items())


class DashboardView:
    def __init__(self, board: Dashboard, role: str = "Chair"):
        self.board = board
        self.role = role
        self.banner = Banner()
        self.html: dict[str, widgets.HTML] = {}
        self._build()

    @classmethod
    def open(cls, store: Store) -> DashboardView:
        return cls(Dashboard.open(store), common.chair_role(store))

    def _build(self) -> None:
        b = self.board
        role = self.role
        authority = settings.get("authority_name", b.store)
        self.title = widgets.HTML(html.piece("title", authority, b.framework.name))
        self.start = Field(
            "start",
            "From",
            widgets.DatePicker(value=b.start),
            help="The period of the meeting pack.",
        )
        self.end = Field("end", "To", widgets.DatePicker(value=b.end), help="Usually today.")
        self.interval = Field(
            "interval_months",
            "Observed within (months)",
            widgets.BoundedIntText(
                value=b.interval_months, min=1, max=36, layout=widgets.Layout(width="90px")
            ),
            help="Chairs not observed for longer are flagged.",
        )
        self.rows_by = Field(
            "rows_by",
            "Heat map rows",
            widgets.ToggleButtons(
                options=[("Chairs", "chair"), ("Observations", "observation")],
                value=b.rows_by,
                style={"button_width": "110px"},
            ),
            help="One row per chair, or per observation.",
        )
        self.refresh_button = primary(widgets.Button(description="Show", layout={"width": "120px"}))
        self.refresh_button.on_click(guarded(self.form, "show the dashboard")(self._on_refresh))
        self.rows_by.widget.observe(self._on_rows, "value")
        chairs = [(r.name, int(r.id)) for r in b.chairs.itertuples()]
        self.download_format = widgets.Dropdown(
            options=[("PDF", "pdf"), ("HTML", "html")], value="pdf", layout={"width": "90px"}
        )
        self.download_button = widgets.Button(
            description="Download report", layout={"width": "160px"}
        )
        self.download_link = widgets.HTML()
        self.download_link.add_class("cpt-download-link")
        self.download_button.on_click(guarded(self.banner, "make the report")(self._on_download))
        self.trend_chair = widgets.Dropdown(
            options=chairs, value=b.trend_chair, description=f"{role}:"
        )
        self.feedback_chair = widgets.Dropdown(
            options=chairs, value=b.feedback_chair, description=f"{role}:"
        )
        self.trend_chair.observe(self._on_trend_chair, "value")
        self.feedback_chair.observe(self._on_feedback_chair, "value")
        for key, _ in SECTIONS:
            self.html[key] = widgets.HTML()
            self.html[key].add_class(f"cpt-section-{key}")

    @property
    def form(self) -> Form:
        if not hasattr(self, "_form"):
            self._form = Form([self.start, self.end, self.interval, self.rows_by], self.banner)
        return self._form

    def widget(self) -> widgets.Widget:
        controls = widgets.HBox(
            [
                self.start.box,
                self.end.box,
                self.interval.box,
                self.rows_by.box,
                self.refresh_button,
            ],
            layout=widgets.Layout(gap="18px", flex_flow="row wrap", align_items="center"),
        )
        parts: list[widgets.Widget] = [
            style(),
            self.title,
            controls,
            self.banner,
            widgets.HBox(
                [self.download_button, self.download_format, self.download_link],
                layout=widgets.Layout(gap="10px", align_items="center"),
            ),
            widgets.HTML(html.piece("contents", SECTIONS)),
        ]
        for key, heading in SECTIONS:
            parts.append(widgets.HTML(html.piece("heading", key, heading)))
            if key == "trend":
                parts.append(self.trend_chair)
            if key == "feedback_sought":
                parts.append(self.feedback_chair)
            parts.append(self.html[key])
        self.render()
        return widgets.VBox(parts)

    def render(self, only: tuple[str, ...] = ()) -> None:
        """Redraw the sections (all, or ``only`` those named) from the model."""
        for key, _ in SECTIONS:
            if not only or key in only:
                self.html[key].value = html.piece("section", trusted(self.board.section(key)))

    # -- events ------------------------------------------------------------

    def _on_refresh(self, _button) -> None:
        b = self.board
        b.start = self.start.widget.value
        b.end = self.end.widget.value
        b.interval_months = self.interval.widget.value
        b.rows_by = self.rows_by.widget.value
        self.form.clear_errors()
        b.reload()
        self.render()
        self.banner.ok(
            f"Showing {b.start:%-d %b %Y} to {b.end:%-d %b %Y}: "
            f"{len(b.observations.observations)} observations."
        )

    def _on_download(self, _button) -> None:
        """The observation summary report for the period shown (the same file as
        ``cptrack report observation_summary``), offered as a link to save."""
        from cptrack import reports

        b = self.board
        self.download_link.value = "Making the report…"
        self.download_link.value = reports.download_link(
            "observation_summary",
            self.download_format.value,
            db=b.store.engine.url.render_as_string(hide_password=False),
            as_of=b.as_of.isoformat(),
            start=b.start.isoformat(),
            end=b.end.isoformat(),
            chair=str(b.trend_chair) if b.trend_chair is not None else None,
        )

    def _on_rows(self, _change) -> None:
        self.board.rows_by = self.rows_by.widget.value
        self.render(("heatmap",))

    def _on_trend_chair(self, _change) -> None:
        self.board.trend_chair = self.trend_chair.value
        self.render(("trend",))

    def _on_feedback_chair(self, _change) -> None:
        self.board.feedback_chair = self.feedback_chair.value
        self.render(("feedback_sought",))


def show() -> DashboardView | None:
    """Display the dashboard; returns the view so that a test can drive it."""
    from IPython.display import HTML, display

    from cptrack.render.style import notice
    from cptrack.storage.connection import StoreError

    try:
        view = DashboardView.open(open_store())
        display(view.widget())
    except StoreError as exc:
        display(HTML(notice(f"cptrack cannot open its database: {exc}")))
        return None
    except RecordError as exc:
        display(HTML(notice(str(exc))))
        return None
    except Exception as exc:  # shown to the user; the traceback goes to the log
        log.error("the dashboard did not start:\n%s", traceback.format_exc())
        display(HTML(notice(f"The dashboard could not start: {type(exc).__name__}: {exc}")))
        return None
    return view
