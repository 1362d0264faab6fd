"""The import page without widgets: what an uploaded file is, its dry run, its import, and
the report as HTML. The same importers as ``cptrack import`` (``cptrack.interchange.imports``), each
run one transaction; a dry run abandons its transaction.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cptrack.domain import models
from cptrack.interchange.imports import annex_a, cin_census
from cptrack.interchange.imports.report import OUTCOMES, ImportRefused, ImportResult
from cptrack.render.style import esc
from cptrack.storage.store import Store

FORMATS = {
    "cin-census": "CIN census return (XML)",
    "annex-a": "Ofsted Annex A workbook (List 5 and List 7)",
}
SHOWN = 200  # problems and values left alone listed on the page; the rest are counted


@dataclass(frozen=True)
class Upload:
    """A file as the page received it."""

    name: str
    data: bytes

    @property
    def format(self) -> str:
        """``cin-census`` for XML, else ``annex-a`` (a workbook, or one list as CSV)."""
        head = self.data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
        return "cin-census" if head.startswith(b"<") else "annex-a"


def run(
    store: Store, upload: Upload, *, dry_run: bool, reference: dt.date | None = None
) -> ImportResult:
    """Check (``dry_run``) or import the file: all or nothing, as ``cptrack import`` does
    without ``--partial``. ``reference`` is Annex A's reference date (default: the file's
    latest date); a census carries its own. Raises ``ImportFileError`` for a file that is
    not what it claims."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(upload.name).name or "upload")
        path.write_bytes(upload.data)
        try:
            if upload.format == "cin-census":
                return cin_census.import_file(store, path, dry_run=dry_run)
            return annex_a.import_file(store, path, reference, dry_run=dry_run)
        except ImportRefused as refused:
            return refused.result


def render(result: ImportResult) -> str:
    """The report: what would be (or was) added, changed, left alone and refused, the notes
    and the data-quality findings with their DfE codes. Every value is escaped."""
    summary = result.summary().splitlines()
    head = summary[0].split(": ", 1)[-1]
    counts = "".join(
        f"<tr><td>{esc(models.kind(kind).label)}</td>"
        + "".join(f'<td class="num">{c[o]}</td>' for o in OUTCOMES)
        + "</tr>"
        for kind, c in result.counts.items()
    )
    parts = [
        f'<div id="import-report" data-dry-run="{int(result.dry_run)}" '
        f'data-committed="{int(result.committed)}" data-problems="{len(result.problems)}">',
        f"<h3>{esc(result.file)}: {esc(head)}</h3>",
        '<table class="grid" id="import-counts"><thead><tr><th>Records</th>'
        + "".join(f'<th class="num">{esc(o)}</th>' for o in OUTCOMES)
        + f"</tr></thead><tbody>{counts}</tbody></table>",
    ]
    if result.problems:
        parts.append(_table("Refused", "import-problems", ("Where", "Record", "Field", "Why"),
                            [(p.where, p.kind, p.field, p.reason) for p in result.problems]))  # fmt: skip
    if result.left_alone:
        parts.append(
            _table(
                "Left alone: recorded after this file's reference date",
                "import-left-alone",
                ("Where", "Record", "Field", "Kept", "Offered", "Why"),
                [
                    (x.where, x.kind, x.field, x.kept, x.offered, x.reason)
                    for x in result.left_alone
                ],
            )
        )
    if result.notes:
        items = "".join(f"<li>{esc(n)}</li>" for n in result.notes)
        parts.append(f"<h4>Notes</h4><ul id='import-notes'>{items}</ul>")
    parts.append(_findings(result.findings))
    parts.append("</div>")
    return "".join(parts)


def _table(title: str, ident: str, headings: tuple[str, ...], rows: list[tuple]) -> str:
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in row) + "</tr>" for row in rows[:SHOWN]
    )
    more = f"<p class='note'>… and {len(rows) - SHOWN} more.</p>" if len(rows) > SHOWN else ""
    heads = "".join(f"<th>{esc(h)}</th>" for h in headings)
    return (
        f"<h4>{esc(title)} ({len(rows)})</h4><table class='grid' id='{ident}'><thead><tr>"
        f"{heads}</tr></thead><tbody>{body}</tbody></table>{more}"
    )


def _findings(findings: pd.DataFrame | None) -> str:
    if findings is None or findings.empty:
        return "<h4>Data quality</h4><p id='import-findings'>No data-quality findings.</p>"
    grouped = findings.groupby(["code", "kind", "message"], sort=False, dropna=False).size()
    rows = [(code, kind, message, n) for (code, kind, message), n in grouped.items()]
    return _table("Data quality", "import-findings", ("Code", "Kind", "Rule", "Findings"), rows)
