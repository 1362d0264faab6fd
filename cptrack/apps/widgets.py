"""Building blocks shared by the ipywidgets apps.

Every form in cptrack is a *model* (plain Python, no widgets: values, validation, save; tested
without a browser) and a *view* (ipywidgets bound to the model). The view is built from these
pieces so that every app behaves the same way:

* ``Field``: a labelled input with its own error line underneath, so a refused save shows
  each message next to the field it concerns; what the user typed is kept.
* ``Banner``: one message strip per form for "Saved", a stale-version refusal or anything
  not tied to one field. Text is always escaped.
* ``Form``: a set of fields: read and set all values, show a ``RecordError`` field by field.
* ``guarded``: wraps a button callback so that no traceback ever reaches the page (Voila
  hides tracebacks; the user must still learn what happened).
* ``query_params`` reads the Voila page's query string (deep links such as ``?child=C123``).

Class names used on widgets (``cpt-field``, ``cpt-error``, ``cpt-banner``...) are styled by
the one stylesheet, ``cptrack/render/static/cptrack.css``; display ``style()`` once per page.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as widgets

from cptrack.domain.models import RecordError
from cptrack.render.style import CSS
from cptrack.render.templating import macro, trusted
from cptrack.storage.connection import StoreError
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store

log = logging.getLogger("cptrack.apps")


def form_piece(name: str, *args: Any) -> str:
    """A macro of templates/forms.html (a label, help, errors, the banner...) as HTML."""
    return str(macro("forms.html", name)(*args))


STYLE = CSS  # the one stylesheet (cptrack/render/static/cptrack.css)


def style() -> widgets.HTML:
    """The apps' stylesheet as a widget; display it once at the top of a page."""
    return widgets.HTML(STYLE)


_request_seen = False
WARM_LINE = "cptrack: a warm kernel waits for its page to be opened"


def wait_for_request() -> None:
    """Wait, in a kernel Voila started ahead of time, until someone opens the page.

    ``cptrack serve`` keeps a kernel warm for each page (Voila's preheated kernels): the
    notebook runs as soon as the kernel starts, so its imports are done before anyone asks.
    Everything that depends on the request (the query string) or on the moment (the
    database's contents, today's date) must come after this call, which returns when the
    page is requested, with the query string in ``QUERY_STRING``. ``open_store`` and
    ``query_params`` call it, so a page cannot read data or its query before its request.
    Outside a preheated kernel (a normal Voila kernel, nbclient, nbval) it returns at once.
    """
    global _request_seen
    if _request_seen or os.environ.get("VOILA_PREHEAT") != "True":
        return
    from voila.utils import wait_for_request as wait

    # To the server's log (the kernel's own stderr): the page is ready to open quickly.
    print(WARM_LINE, file=sys.__stderr__, flush=True)
    wait()
    _request_seen = True


def query_params() -> dict[str, str]:
    """The page's query string (Voila passes it in ``QUERY_STRING``), first value each."""
    wait_for_request()
    parsed = parse_qs(os.environ.get("QUERY_STRING", ""), keep_blank_values=False)
    return {k: v[0] for k, v in parsed.items() if v}


def open_store() -> Store:
    """The database the server was started with (``CPTRACK_DB``), once the page has been
    requested (``wait_for_request``)."""
    wait_for_request()
    return Store.open()


class Field:
    """A labelled input with an error line of its own."""

    def __init__(
        self,
        name: str,
        label: str,
        widget: widgets.ValueWidget,
        help: str | None = None,
        required: bool = False,
    ):
        self.name = name
        self.widget = widget
        self.required = required
        self.label = widgets.HTML(form_piece("label", label, required))
        parts: list[widgets.Widget] = [self.label]
        if help:
            parts.append(widgets.HTML(form_piece("help", help)))
        self.error = widgets.HTML("")
        self.error.add_class("cpt-error-line")
        parts += [widget, self.error]
        self.box = widgets.VBox(parts)
        self.box.add_class("cpt-field")
        self.box.add_class(f"cpt-field-{name}")

    @property
    def value(self) -> Any:
        value = self.widget.value
        return value.strip() if isinstance(value, str) else value

    @value.setter
    def value(self, value: Any) -> None:
        if isinstance(self.widget, widgets.Text | widgets.Textarea) and value is None:
            value = ""
        self.widget.value = value

    def set_error(self, messages: Iterable[str] | None) -> None:
        messages = [m for m in (messages or []) if m]
        if messages:
            self.error.value = form_piece("errors", messages)
            self.box.add_class("has-error")
        else:
            self.error.value = ""
            self.box.remove_class("has-error")


class Banner(widgets.HTML):
    """One message strip for a form: success, refusal or information, always escaped."""

    def __init__(self) -> None:
        super().__init__("")
        self.add_class("cpt-banner")

    def _show(self, kind: str, message: str, detail: Iterable[str] = ()) -> None:
        self.value = form_piece("banner", kind, message, list(detail))

    def ok(self, message: str) -> None:
        self._show("ok", message)

    def bad(self, message: str, detail: Iterable[str] = ()) -> None:
        self._show("bad", message, detail)

    def info(self, message: str) -> None:
        self._show("info", message)

    def clear(self) -> None:
        self.value = ""


class Form:
    """Fields shown together and saved together."""

    def __init__(self, fields: Iterable[Field], banner: Banner | None = None):
        self.fields = {f.name: f for f in fields}
        self.banner = banner or Banner()

    def values(self) -> dict[str, Any]:
        return {name: f.value for name, f in self.fields.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if name in self.fields:
                self.fields[name].value = value

    def clear_errors(self) -> None:
        for f in self.fields.values():
            f.set_error(None)
        self.banner.clear()

    def show_errors(self, by_field: dict[str, list[str]], summary: str | None = None) -> None:
        """Each message next to its field; others, and a count, in the banner."""
        self.clear_errors()
        loose = []
        for name, messages in by_field.items():
            if name in self.fields:
                self.fields[name].set_error(messages)
            else:
                loose += [f"{name}: {m}" if name else m for m in messages]
        n = sum(len(m) for m in by_field.values())
        self.banner.bad(
            summary or f"Not saved: {n} thing{'s' if n != 1 else ''} to put right.", loose
        )


def guarded(form: Form | Banner, action: str = "save") -> Callable:
    """Decorate a button callback: refusals are shown to the user, never a traceback.

    ``RecordError`` goes field by field to ``form``; a stale version or a store problem
    goes to the banner; anything unexpected is logged in full and summarised.
    """
    banner = form.banner if isinstance(form, Form) else form

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except RecordError as exc:
                if isinstance(form, Form):
                    form.show_errors(exc.by_field())
                else:
                    banner.bad(f"Could not {action}.", [str(e) for e in exc.errors])
            except StaleVersionError as exc:
                banner.bad(str(exc))
            except StoreError as exc:
                banner.bad(f"Could not {action}: {exc}")
            except Exception as exc:  # shown to the user; the traceback goes to the log
                log.error("%s failed:\n%s", action, traceback.format_exc())
                banner.bad(f"Could not {action}: {type(exc).__name__}: {exc}")
            return None

        return wrapper

    return decorate


def date_input(value: dt.date | None = None, description: str = "") -> widgets.DatePicker:
    return widgets.DatePicker(value=value, description=description)


def primary(button: widgets.Button) -> widgets.Button:
    button.add_class("cpt-primary")
    return button


# ---------------------------------------------------------------------------
# "Download report" on a page

FORMAT_LABELS = {"xlsx": "Excel", "docx": "Word"}


class ReportDownload:
    """ "Download report": the format, the button, and the link to save the file it made
    (the same file as ``cptrack report``). ``request`` returns the report's name, its
    parameters and notes on where it cannot match the page (``tracking.model.report_request``,
    ``record_report``)."""

    def __init__(self, banner: Banner, request, formats: tuple[str, ...]):
        self.request = request
        self.format = widgets.Dropdown(
            options=[(FORMAT_LABELS.get(f, f.upper()), f) for f in formats],
            value=formats[0],
            layout=widgets.Layout(width="110px"),
        )
        self.button = widgets.Button(
            description="Download report", layout=widgets.Layout(width="auto")
        )
        self.link = widgets.HTML("")
        self.button.on_click(guarded(banner, "make the report")(lambda _b: self.make()))
        self.widget = widgets.HBox(
            [self.button, self.format, self.link],
            layout=widgets.Layout(gap="8px", align_items="center", margin="6px 0"),
        )
        self.widget.add_class("cpt-download-report")

    def forget(self) -> None:
        """The page changed: a link made before no longer matches it."""
        self.link.value = ""

    def make(self) -> None:
        from cptrack import reports  # here: only a download pays for the report machinery

        name, params, notes = self.request()
        self.link.value = form_piece("making", "Making the report…")
        link = reports.download_link(name, self.format.value, **params)
        self.link.value = form_piece("download", trusted(link), notes)


# The formats a record's own document is offered in: PDF, Word (to upload to the case system
# or edit) and HTML.
DOCUMENT_FORMATS = ("pdf", "docx", "html")


def record_report(store: Store, name: str, record_id: Any) -> tuple[str, dict[str, Any], list[str]]:
    """The request for one record's document (a conference record, a midway review, an
    observation): the same file as ``cptrack report NAME --record ID``."""
    params = {
        "db": store.engine.url.render_as_string(hide_password=False),  # the report's kernel
        "record": str(record_id),
    }
    return name, params, []
