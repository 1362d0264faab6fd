"""The import page's report, through ``cptrack/render/templates/importing/report.html``."""

from __future__ import annotations

from markupsafe import Markup

from cptrack.casework.importing import SHOWN
from cptrack.domain import models
from cptrack.interchange.imports.report import OUTCOMES, ImportResult
from cptrack.render.templating import render


def report(result: ImportResult) -> Markup:
    """The report: what would be (or was) added, changed, left alone and refused, the notes
    and the data-quality findings with their DfE codes. Every value is escaped."""
    findings = None
    if result.findings is not None and not result.findings.empty:
        grouped = result.findings.groupby(
            ["code", "kind", "message"], sort=False, dropna=False
        ).size()
        findings = [(code, kind, message, n) for (code, kind, message), n in grouped.items()]
    return render(
        "importing/report.html",
        r=result,
        head=result.summary().splitlines()[0].split(": ", 1)[-1],
        outcomes=OUTCOMES,
        shown=SHOWN,
        counts=[(models.kind(kind).label, c) for kind, c in result.counts.items()],
        problems=[(p.where, p.kind, p.field, p.reason) for p in result.problems],
        left_alone=[
            (x.where, x.kind, x.field, x.kept, x.offered, x.reason) for x in result.left_alone
        ],
        findings=findings,
    )
