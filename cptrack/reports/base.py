"""The shape every report has: a context, a header, and named sections of static HTML.

A report notebook only composes: its ``parameters`` cell holds the parameters, one cell opens
the report (``open_report(name, **parameters)``), and each further cell shows one section
(``report.show("plans")``). The HTML comes from here, so the same report reads the same in
a notebook, a file and a test.
"""

from __future__ import annotations

from typing import Any, ClassVar

from cptrack.render.templating import render, trusted
from cptrack.reports import html
from cptrack.reports.context import ReportContext
from cptrack.reports.registry import ReportError


class Report:
    name: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    sections: ClassVar[tuple[tuple[str, str], ...]]  # (key, heading)
    excel: ClassVar[bool] = False

    def __init__(self, ctx: ReportContext):
        self.ctx = ctx
        self.prepare()

    def prepare(self) -> None:
        """Check the parameters and pick defaults (raise RecordError naming the field)."""

    @property
    def subject(self) -> str:
        """What the report is about, for the header: a child, a chair, the service."""
        return ""

    @property
    def period(self) -> str:
        return self.ctx.period

    def header_html(self) -> str:
        """The header (in its ``.rpt`` frame): title, subject, authority, period, and the
        page's facts for the PDF's header and footer."""
        c = self.ctx
        bits = [b for b in (self.subject, c.authority, self.period) if b]
        shared = ""
        if c.pseudonymise:
            shared = (
                " · pseudonymised for sharing: children and people by pseudonym, no dates "
                "of birth or addresses; free text "
                + (
                    "scrubbed of names, dates, postcodes, phone numbers and emails"
                    if c.include_free_text
                    else "left out"
                )
            )
        meta = {
            "title": self.title,
            "subject": self.subject,
            "authority": c.authority,
            "period": self.period,
            "generated": c.generated,
            "pseudonymised": "yes" if c.pseudonymise else "no",
        }
        return str(
            render(
                "reports/header.html",
                meta=meta,
                title=self.title,
                bits=bits,
                generated=c.generated,
                profile=c.profile.name,
                shared=shared,
            )
        )

    def child_columns(
        self, ref: str = "ref", name: str = "child", heading: str = "Child"
    ) -> list[tuple[str, str, str]]:
        """The columns naming a child in a table: the id and the name, or when pseudonymising
        the pseudonym alone (its code, ``K7QD2M``)."""
        if self.ctx.pseudonymise:
            return [(ref, heading, "id")]
        return [(ref, heading, "id"), (name, "Name", "text")]

    def section(self, key: str) -> str:
        method = getattr(self, f"section_{key}", None)
        if method is None:
            raise KeyError(
                f"{self.name} has no section {key!r}; sections: "
                f"{', '.join(k for k, _ in self.sections)}"
            )
        return method()

    def section_html(self, key: str) -> str:
        heading = dict(self.sections).get(key, "")
        body = trusted(self.section(key))  # the section's own HTML, escaped as it was made
        page = self.ctx.scrub_html(str(render("reports/section.html", heading=heading, body=body)))
        return page + self.removed_html()

    def removed_html(self) -> str:
        """A hidden note of what pseudonymisation has taken out so far (the runner reads the
        last one on the page, to say it)."""
        if not self.ctx.pseudonymise:
            return ""
        counts = ";".join(f"{k}={n}" for k, n in self.ctx.scrubber.counts.items() if n)
        return str(render("reports/removed.html", counts=counts))

    def document(self) -> str:
        """The whole report as one HTML fragment (header and every section)."""
        parts = [html.CSS, self.header_html()]
        parts += [self.section_html(k) for k, _ in self.sections]
        return "".join(parts)

    # -- for notebooks --------------------------------------------------------

    def header(self) -> Any:
        from IPython.display import HTML

        return HTML(html.CSS + self.header_html())

    def show(self, key: str) -> Any:
        from IPython.display import HTML

        return HTML(self.section_html(key))

    def excel_sheets(self) -> dict:
        """The report's sheets for Excel; a report with ``excel = True`` gives its own. The
        rest refuse, as ``excel.workbook_bytes`` does before it gets here."""
        raise ReportError(f"{self.name} has no Excel export")
