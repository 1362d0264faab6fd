"""The one Jinja2 environment of the apps and reports: templates in ``templates/``, the
stylesheet in ``static/cptrack.css``, both package data.

* Autoescaping is on for every template: whatever a template prints is escaped (free text in
  case records is never trusted as HTML). ``finalize`` escapes the way ``html.escape`` does
  (``&quot;``, ``&#x27;``) and shows a missing value (None, NaN, NaT) as an em dash, so a
  template reads ``{{ r.owner }}`` where the f-strings read ``esc(r.owner)``.
* Undefined names are errors (``StrictUndefined``): a misspelt variable fails the test that
  renders it instead of showing nothing.
* HTML that is already safe (another template's output, an SVG the code drew) is passed in
  as ``Markup``: ``render`` returns it, ``trusted`` marks it. Nothing else is.

``render(name, **context)`` renders a template file; ``macro(template, name)`` gives one of a
template's macros to call from Python (``piece`` for the shared ones in ``pieces.html``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from cptrack.domain.values import fmt


def missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA: shown as an em dash."""
    if value is None:
        return True
    if value.__class__ in _PLAIN:
        return False
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


_PLAIN = frozenset({str, int, bool, Markup})
_DASH = Markup("—")
_escape = html.escape


def shown(value: Any) -> Markup:
    """What ``{{ value }}`` prints: safe HTML as it is; anything else escaped (quotes too,
    as ``html.escape`` does), a missing value as an em dash."""
    cls = value.__class__
    if cls is str:  # the common case first: a page prints tens of thousands of these
        return Markup(_escape(value))
    if cls is Markup or cls is int:
        return value
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    if missing(value):
        return _DASH
    return Markup(_escape(str(value)))


def trusted(value: str) -> Markup:
    """HTML the code made itself (never from a user or the database), to pass to a template."""
    return Markup(value)


def day(value: Any, missing_words: str = "—") -> str:
    """A date as a chair reads it (4 Dec 2026), an em dash when there is none."""
    return fmt(value, missing_words)


def plural(n: Any, word: str, many: str | None = None) -> str:
    """``1 day``, ``3 days`` (``many`` when adding an s is wrong)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def number(value: Any, digits: int = 1) -> str:
    return "—" if missing(value) else f"{value:.{digits}f}"


def percent(value: Any) -> str:
    return "—" if missing(value) else f"{value:.0f}%"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("cptrack.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=shown,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(day=day, plural=plural, number=number, percent=percent)
    env.globals.update(stylesheet=lambda: Markup(stylesheet()), zip=zip)
    env.tests["missing"] = missing
    return env


ENV = _environment()


def render(name: str, /, **context: Any) -> Markup:
    """The template ``name`` (under templates/) rendered with ``context``; its output is
    safe HTML (a ``Markup``) to show or to pass into another template."""
    return Markup(ENV.get_template(name).render(**context).strip())


@cache
def _module(template: str):
    return ENV.get_template(template).module


def macro(template: str, name: str) -> Callable[..., Markup]:
    """The macro ``name`` of ``template``, to call from Python; it returns safe HTML."""
    found = getattr(_module(template), name)

    def call(*args: Any, **kwargs: Any) -> Markup:
        return Markup(str(found(*args, **kwargs)).strip())

    return call


def piece(name: str, /, *args: Any, **kwargs: Any) -> Markup:
    """One of the small shared macros in ``pieces.html`` (``tag``, ``label``...)."""
    return macro("pieces.html", name)(*args, **kwargs)


@cache
def stylesheet() -> str:
    """The one stylesheet (static/cptrack.css) as a ``<style>`` element."""
    css = resources.files("cptrack.render").joinpath("static", "cptrack.css").read_text("utf-8")
    return f"<style>\n{css}</style>\n"
