"""The import page (``imports.ipynb``): upload a CIN census return or an Annex A workbook,
check it (a dry run: what would be added, changed, left alone and refused, and the
data-quality findings), then import it in one transaction. The work is ``model``'s; the
report's HTML is ``html``'s."""

from __future__ import annotations

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.apps.importing import html
from cptrack.apps.widgets import Banner, guarded, open_store, primary, style, wait_for_request
from cptrack.casework import importing as model
from cptrack.casework.importing import Upload
from cptrack.interchange.imports.report import ImportFileError


class ImportApp:
    """Choose a file, check it, import it."""

    def __init__(self) -> None:
        self.upload = widgets.FileUpload(
            accept=".xml,.xlsx,.csv", multiple=False, description="Choose file"
        )
        self.reference = widgets.DatePicker(
            description="Reference date", style={"description_width": "initial"}
        )
        self.check_button = widgets.Button(description="Check (dry run)", icon="search")
        self.import_button = primary(widgets.Button(description="Import", disabled=True))
        self.progress = widgets.IntProgress(value=0, min=0, max=1, layout={"display": "none"})
        self.banner = Banner()
        self.report = widgets.HTML("")
        self.checked: Upload | None = None
        self.check_button.on_click(guarded(self.banner, "check the file")(self.check))
        self.import_button.on_click(guarded(self.banner, "import the file")(self.do_import))
        self.upload.observe(self._chosen, names="value")
        help_text = widgets.HTML(
            parts.note(
                "A CIN census return (XML) or an Ofsted Annex A workbook (.xlsx, or one list as "
                ".csv). Checking writes nothing. The reference date is the day an Annex A file "
                "speaks for (left blank: its latest date); a census has its own. Values recorded "
                "after that day are left alone."
            )
        )
        self.widget = widgets.VBox(
            [
                style(),
                parts.header("Import"),
                help_text,
                widgets.HBox([self.upload, self.reference]),
                widgets.HBox([self.check_button, self.import_button, self.progress]),
                self.banner,
                self.report,
            ]
        )

    @classmethod
    def from_environment(cls) -> ImportApp:
        # A warm kernel waits for the page's request: who opened it (the audit's user on a
        # team server) comes with the request, as on every page.
        wait_for_request()
        return cls()

    def _file(self) -> Upload | None:
        files = self.upload.value
        if not files:
            return None
        f = files[0]
        return Upload(f["name"], bytes(f["content"]))

    def _chosen(self, _change=None) -> None:
        self.checked = None
        self.import_button.disabled = True
        self.report.value = ""
        upload = self._file()
        if upload is not None:
            kind = model.FORMATS[upload.format]
            self.banner.info(f"{upload.name}, read as: {kind}. Check it before importing.")

    def _run(self, upload: Upload, dry_run: bool):
        self.progress.layout.display = None
        self.progress.bar_style, self.progress.value = "info", 0
        try:
            with open_store() as store:
                return model.run(store, upload, dry_run=dry_run, reference=self.reference.value)
        finally:
            self.progress.value = 1
            self.progress.layout.display = "none"

    def check(self, _button=None) -> None:
        upload = self._file()
        if upload is None:
            self.banner.bad("Choose a file first.")
            return
        self.import_button.disabled = True
        try:
            result = self._run(upload, dry_run=True)
        except ImportFileError as exc:
            self.report.value = ""
            self.banner.bad(f"{upload.name} cannot be imported: {exc}")
            return
        self.report.value = html.report(result)
        if result.problems:
            self.banner.bad(
                f"{len(result.problems)} record(s) would be refused (listed below): put them "
                "right in the file and check it again. Nothing was written."
            )
            return
        self.checked = upload
        self.import_button.disabled = False
        self.banner.info(
            f"Checked: {result.changed} record(s) would be added or changed. Nothing was "
            "written yet; Import writes it all in one go."
        )

    def do_import(self, _button=None) -> None:
        upload = self.checked
        if upload is None or upload != self._file():
            self.banner.bad("Check the file before importing it.")
            return
        result = self._run(upload, dry_run=False)
        self.report.value = html.report(result)
        self.import_button.disabled = True
        self.checked = None
        if result.committed:
            self.banner.ok(f"Imported {upload.name}: {result.changed} record(s) added or changed.")
        else:
            self.banner.bad(
                f"Not imported: {len(result.problems)} record(s) refused (listed below). "
                "Nothing was written."
            )
