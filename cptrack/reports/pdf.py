"""A report page printed to PDF by Debian's Chromium: A4, a header naming the report, the
authority and the period on every page, a footer with the generation time and page numbers.

The header's facts are those the report notebook states in its hidden ``rpt-meta`` element
(``page_meta``), which also gives the HTML page its title (``cptrack.reports.exporters``).
``Printer`` keeps one Chromium for several PDFs; ``html_to_pdf`` prints one.
"""

from __future__ import annotations

import concurrent.futures
import html as html_lib
import os
import re
import tempfile
from pathlib import Path

from cptrack.render.templating import macro
from cptrack.reports.registry import ReportError

CHROMIUM = os.environ.get("CPTRACK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
META = re.compile(r'<div class="rpt-meta"([^>]*)>', re.S)
ATTR = re.compile(r'data-(\w+)="([^"]*)"')


def page_meta(body: str) -> dict[str, str]:
    """The header facts a report notebook states in its hidden ``rpt-meta`` element."""
    match = META.search(body)
    if not match:
        return {}
    return {k: html_lib.unescape(v) for k, v in ATTR.findall(match.group(1))}


def _header_footer(meta: dict[str, str]) -> tuple[str, str]:
    style = "font-family: Liberation Sans, Arial, sans-serif; font-size: 7.5px; color: #505a5f; width: 100%; margin: 0 12mm; display: flex; justify-content: space-between;"
    left = " · ".join(x for x in (meta.get("title"), meta.get("subject")) if x)
    right = " · ".join(x for x in (meta.get("authority"), meta.get("period")) if x)
    header = macro("reports/print_header.html", "header")(style, left, right)
    footer = macro("reports/print_header.html", "footer")(
        style, meta.get("generated", ""), meta.get("pseudonymised") == "yes"
    )
    return str(header), str(footer)


class Printer:
    """One Chromium for several PDFs (``--all-chairs``); use as a context manager.

    Playwright's synchronous API refuses to run inside an asyncio loop (a Jupyter kernel), so
    everything runs in one worker thread of its own.
    """

    def __init__(self) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self._browser = None
        self._pw = None

    def __enter__(self) -> Printer:
        self._pool.submit(self._start).result()
        return self

    def __exit__(self, *exc) -> None:
        self._pool.submit(self._stop).result()
        self._pool.shutdown()

    def _start(self) -> None:
        from playwright.sync_api import sync_playwright

        if not Path(CHROMIUM).exists():
            raise ReportError(
                f"PDF needs Chromium at {CHROMIUM} (make system-packages installs it)"
            )
        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def _stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()

    def pdf(self, page_html: str) -> bytes:
        return self._pool.submit(self._pdf, page_html).result()

    def _pdf(self, page_html: str) -> bytes:
        header, footer = _header_footer(page_meta(page_html))
        page = self._browser.new_page()
        try:
            with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8") as f:
                f.write(page_html)
                f.flush()
                page.goto(Path(f.name).as_uri(), wait_until="load")
                page.emulate_media(media="print")
                return page.pdf(
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template=header,
                    footer_template=footer,
                    margin={"top": "16mm", "bottom": "14mm", "left": "12mm", "right": "12mm"},
                    prefer_css_page_size=True,
                )
        finally:
            page.close()


def html_to_pdf(page_html: str) -> bytes:
    with Printer() as printer:
        return printer.pdf(page_html)
