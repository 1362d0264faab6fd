"""The Jinja2 templates of the apps and reports: every one compiles and ships with the package,
free text is escaped wherever a template shows it, a misspelt name is an error, and there is
one stylesheet."""

from __future__ import annotations

import html
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from jinja2 import UndefinedError

from cptrack.apps import widgets
from cptrack.apps.escalation.html import log_table
from cptrack.render import style, templating
from cptrack.reports import html as report_html

ROOT = Path(__file__).resolve().parents[1]
RENDER = ROOT / "cptrack" / "render"
TEMPLATES = sorted(
    p.relative_to(RENDER / "templates").as_posix() for p in (RENDER / "templates").rglob("*.html")
)
TRICKY = 'O\'Brien & <script>alert("x")</script>'


def test_there_are_templates_and_each_compiles():
    """Every file under cptrack/render/templates/ is a template Jinja2 can load."""
    assert len(TEMPLATES) > 20
    for name in TEMPLATES:
        templating.ENV.get_template(name)


def test_the_package_data_ships_every_template_and_the_stylesheet():
    """pyproject's package-data patterns cover each template and the CSS file, so an
    installed cptrack finds them."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["cptrack"]
    package = ROOT / "cptrack"
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    wanted = {*(RENDER / "templates").rglob("*.html"), *(RENDER / "static").rglob("*.css")}
    assert set() == wanted - shipped


def test_a_template_escapes_free_text_as_html_escape_does():
    """``{{ value }}`` escapes quotes too, exactly as html.escape (the pseudonymiser matches
    names in that form), and shows a missing value as an em dash."""
    out = templating.ENV.from_string("<p title='{{ a }}'>{{ a }}|{{ b }}|{{ c }}</p>").render(
        a=TRICKY, b=None, c=float("nan")
    )
    escaped = html.escape(TRICKY, quote=True)
    assert f"<p title='{escaped}'>{escaped}|—|—</p>" == out
    assert "<script>" not in out


def test_only_html_marked_safe_passes_through():
    """Markup made by the code (``trusted``, another template's output) is not escaped again."""
    inner = templating.piece("tag", "red", TRICKY)
    out = templating.ENV.from_string("{{ x }}{{ y }}").render(x=inner, y="<b>")
    assert out.startswith("<span class='tag red'>O&#x27;Brien &amp; &lt;script&gt;")
    assert out.endswith("&lt;b&gt;")


def test_a_misspelt_name_is_an_error_not_a_blank():
    """StrictUndefined: a template that reads a name nobody passed fails loudly."""
    with pytest.raises(UndefinedError):
        templating.ENV.from_string("{{ nobody }}").render()
    with pytest.raises(UndefinedError):
        templating.ENV.from_string("{{ 'x' if false }}").render()


def test_free_text_is_escaped_in_the_apps_and_report_pieces():
    """A banner, an escalation's concern and a report table show markup as text."""
    banner = widgets.Banner()
    banner.bad(TRICKY, [TRICKY])
    rows = pd.DataFrame(
        [
            {
                "id": 1,
                "child_id": "C1",
                "child_name": TRICKY,
                "raised_on": pd.Timestamp("2026-11-02"),
                "stage": "team manager",
                "raised_with": TRICKY,
                "reason": TRICKY,
                "response_due": pd.Timestamp("2026-11-09"),
                "response": None,
                "response_date": None,
                "status": "open",
                "status_text": "due",
                "finding_status": "due",
                "basis_text": TRICKY,
                "outcome": TRICKY,
            }
        ]
    )
    table = report_html.table(pd.DataFrame({"who": [TRICKY]}), [("who", "Who", "text")])
    for shown in (banner.value, str(log_table(rows)), table):
        assert "<script>" not in shown
        assert html.escape(TRICKY, quote=True) in shown


def test_one_stylesheet_for_apps_and_reports():
    """The apps and the reports show the same stylesheet, and no module writes its own."""
    css = (RENDER / "static" / "cptrack.css").read_text()
    assert ".cpt table.grid" in css and ".rpt table.t" in css
    assert style.CSS == widgets.STYLE == report_html.CSS
    own = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "cptrack").rglob("*.py")
        if "<style>" in p.read_text() and p.name != "templating.py"
    ]
    assert [] == own
