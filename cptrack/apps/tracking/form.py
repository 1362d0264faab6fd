"""The case-tracking record form: a new check on a child, or an amendment of an earlier one,
bound to the widget-free draft in ``cptrack.casework.tracking``."""

from __future__ import annotations

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.apps.tracking import html
from cptrack.apps.widgets import Banner, form_piece, guarded, primary
from cptrack.casework.tracking import record as tracking_record
from cptrack.casework.tracking.record import Saved, TrackingDraft
from cptrack.casework.tracking.words import CHECK_WORDS, DECISION_WORDS
from cptrack.domain.models import RecordError, today
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store


class RecordForm:
    """The case-tracking record: a new one, or an amendment of an earlier one."""

    def __init__(self, on_saved):
        self.on_saved = on_saved
        self.banner = Banner()
        self.draft: TrackingDraft | None = None
        f = self.fields = {
            "date": parts.field("date", "Date of the check", parts.date(), required=True),
            "observations": parts.field(
                "observations",
                "Observations",
                parts.area(4),
                required=True,
                help="What the records and the professionals show: core groups, visits, "
                "actions, reports.",
            ),
            "concerns": parts.field(
                "concerns", "Concerns", parts.area(3), help="Needed for advice or an escalation."
            ),
            "decision": parts.field(
                "decision",
                "Decision",
                widgets.RadioButtons(
                    options=[(w, k) for k, w in DECISION_WORDS.items()],
                    value=None,
                    layout=widgets.Layout(width="auto"),
                ),
                required=True,
            ),
            "next_check_date": parts.field(
                "next_check_date",
                "Next check",
                parts.date(),
                required=True,
                help="Proposed four working weeks on.",
            ),
        }
        self.checks = {
            k: widgets.Checkbox(description=w, indent=False, layout=widgets.Layout(width="auto"))
            for k, w in CHECK_WORDS.items()
        }
        checks_box = widgets.HBox(list(self.checks.values()), layout=widgets.Layout(gap="18px"))
        checks_box.add_class("cpt-checks")
        self.title = widgets.HTML("")
        self.save_button = primary(
            widgets.Button(description="Save the check", layout=widgets.Layout(width="auto"))
        )
        self.save_button.on_click(guarded(self.banner, "save")(lambda _b: self.save()))
        self.store: Store | None = None
        self.widget = widgets.VBox(
            [
                self.title,
                f["date"].box,
                widgets.HTML(form_piece("label", "What did you check?")),
                checks_box,
                f["observations"].box,
                f["concerns"].box,
                f["decision"].box,
                parts.side_by_side(f["next_check_date"]),
                self.banner,
                parts.buttons(self.save_button),
            ]
        )
        self.widget.add_class("cpt-tracking-form")

    def set(self, draft: TrackingDraft) -> None:
        self.draft = draft
        for name, value in draft.values().items():
            if name in self.checks:
                self.checks[name].value = bool(value)
            else:
                self.fields[name].value = value
        self.clear()
        self.title.value = html.form_title(draft.date, draft.version if draft.amending else None)
        self.save_button.description = (
            "Save changes to this record" if draft.amending else "Save the check"
        )

    def clear(self) -> None:
        parts.clear_errors(self.fields, {})
        self.banner.clear()

    def read(self) -> TrackingDraft:
        values = {name: f.value for name, f in self.fields.items()}
        values.update({k: c.value for k, c in self.checks.items()})
        return self.draft.with_values(**values)

    def save(self) -> Saved | None:
        draft = self.read()
        self.clear()
        try:
            saved = tracking_record.save(self.store, draft, today())
        except RecordError as exc:
            parts.show_errors(exc.by_field(), self.fields, {}, self.banner)
            return None
        except StaleVersionError as exc:
            self.banner.bad(str(exc))
            return None
        self.on_saved(saved)
        self.banner.ok(saved.message)
        return saved
