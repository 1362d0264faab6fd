"""The conference's Preparation tab: the profile's checklist answered from the records (the
data's answer in words, the chair's ticks for the rest) and the reports against their
deadlines, over ``cptrack.casework.conference.preparation``."""

from __future__ import annotations

import ipywidgets as widgets

from cptrack.apps import parts
from cptrack.apps.conference import html
from cptrack.apps.widgets import Banner, form_piece, guarded, primary
from cptrack.casework.conference import agenda
from cptrack.casework.conference import preparation as prep
from cptrack.domain.models import RecordError, today
from cptrack.rules import checklist
from cptrack.storage.refusals import StaleVersionError
from cptrack.storage.store import Store


def report_list(chair_role: str) -> parts.RowList:
    return parts.RowList(
        "reports",
        [
            parts.Column("agency", "Agency", lambda: parts.choice(parts.AGENCY_CHOICES), "220px"),
            parts.Column("author", "Author", parts.text, "200px"),
            parts.Column("received_by_chair", f"Reached the {chair_role} on", parts.date, "180px"),
            parts.Column("shared_with_family", "Shared with the family on", parts.date, "200px"),
            parts.Column(
                "confidential", "Confidential", lambda: widgets.Checkbox(indent=False), "110px"
            ),
        ],
        from_item=lambda r: {
            "agency": r.agency,
            "author": r.author,
            "received_by_chair": r.received_by_chair,
            "shared_with_family": r.shared_with_family,
            "confidential": r.confidential,
        },
        to_item=lambda v, r: prep.ReportRow(
            agency=v["agency"] or "",
            author=v["author"],
            received_by_chair=v["received_by_chair"],
            shared_with_family=v["shared_with_family"],
            confidential=bool(v["confidential"]),
            record_id=getattr(r, "record_id", None),
            version=getattr(r, "version", None),
            original=getattr(r, "original", {}),
        ),
        add_label="Add a report",
        new_item=prep.ReportRow,
    )


class PreparationView:
    """The Preparation tab."""

    def __init__(self, store: Store, file: agenda.ConferenceFile):
        self.store = store
        self.file = file
        self.profile = file.profile
        self.banner = Banner()
        self.draft = prep.open_draft(file)
        self.fields = {
            "consultation_date": parts.field(
                "consultation_date", "Pre-conference consultation held on", parts.date()
            ),
            "family_met_date": parts.field(
                "family_met_date", f"The {self.profile.chair_role} met the family on", parts.date()
            ),
            "venue": parts.field(
                "venue", "Venue", parts.choice(prep.VENUES, none="Not decided", width="220px")
            ),
            "split_conference": parts.field(
                "split_conference",
                "Split conference",
                widgets.Checkbox(
                    description="Split (family members attend separately)", indent=False
                ),
            ),
            "notes": parts.field("notes", "Notes", parts.area(3)),
        }
        self.reports = report_list(self.profile.chair_role)
        self.checklist_box = widgets.VBox([])
        self.checklist_box.add_class("cpt-checklist")
        self.item_inputs: dict[str, tuple[widgets.Widget | None, widgets.Text, widgets.HTML]] = {}
        self.deadlines = widgets.HTML("")
        self.save_button = primary(
            widgets.Button(description="Save the preparation", layout=widgets.Layout(width="auto"))
        )
        self.save_button.on_click(guarded(self.banner, "save")(lambda _b: self.save()))
        f = self.fields
        self.widget = widgets.VBox(
            [
                parts.section(
                    "Before the conference",
                    "Dates and arrangements; the checklist below answers from them.",
                ),
                parts.side_by_side(f["consultation_date"], f["family_met_date"], f["venue"]),
                f["split_conference"].box,
                parts.section(
                    "Checklist",
                    f"From {self.profile.name}'s standards. Items marked "
                    "'from the records' are answered for you; tick the others, with a note "
                    "when the answer is not yes.",
                ),
                self.checklist_box,
                parts.section(
                    "Reports",
                    "Each agency's report and when the chair and the family "
                    "had it. The deadlines come from the profile.",
                ),
                self.reports.widget,
                self.deadlines,
                f["notes"].box,
                self.banner,
                parts.buttons(self.save_button),
            ]
        )
        self.show(self.draft)

    def show(self, draft: prep.PreparationDraft) -> None:
        self.draft = draft
        for name, f in self.fields.items():
            f.value = getattr(draft, name)
        self.reports.set(draft.reports)
        self._checklist()
        self._deadlines()

    def _checklist(self) -> None:
        rows = []
        self.item_inputs = {}
        facts = prep.facts(self.file, self.draft)
        for a in prep.answers(self.file, self.draft):
            question = html.question(a, facts)
            if a.automatic:
                answer = widgets.HTML(html.answer(a), layout=widgets.Layout(width="420px"))
                control = None
            else:
                control = widgets.ToggleButtons(
                    options=[(w, k) for k, w in checklist.ANSWERS.items()],
                    value=a.answer or None,
                    style={"button_width": "110px"},
                )
                answer = control
            note = parts.text("300px", placeholder="Note")
            note.value = a.note
            error = widgets.HTML("")
            self.item_inputs[a.item.id] = (control, note, error)
            line = widgets.HBox(
                [widgets.HTML(question, layout=widgets.Layout(width="470px")), answer, note],
                layout=widgets.Layout(gap="10px"),
            )
            box = widgets.VBox([line, error])
            box.add_class("cpt-row")
            box.add_class(f"cpt-item-{a.item.id}")
            rows.append(box)
        self.checklist_box.children = rows

    def _deadlines(self) -> None:
        self.deadlines.value = html.deadlines(
            prep.report_checks(self.file), self.profile.chair_role
        )

    def read(self) -> prep.PreparationDraft:
        values = {name: f.value for name, f in self.fields.items()}
        items = {}
        for item_id, (control, note, _e) in self.item_inputs.items():
            entry = {"note": note.value.strip()}
            if control is not None:
                entry["answer"] = control.value or ""
            if entry.get("answer") or entry["note"]:
                items[item_id] = entry
        values["items"] = items
        values["reports"] = self.reports.items()
        return self.draft.with_values(**values)

    def save(self) -> prep.Saved | None:
        draft = self.read()
        self.banner.clear()
        for _c, _n, error in self.item_inputs.values():
            error.value = ""
        parts.clear_errors(self.fields, {"reports": self.reports})
        try:
            saved = prep.save(self.store, draft, self.profile, today())
        except RecordError as exc:
            by_field = exc.by_field()
            parts.show_errors(
                by_field,
                self.fields,
                {"reports": self.reports},
                self.banner,
                extra=[self._item_errors],
            )
            return None
        except StaleVersionError as exc:
            self.banner.bad(str(exc))
            return None
        self.file = agenda.open_conference(self.store, self.file.id, self.profile, self.file.as_of)
        self.show(prep.open_draft(self.file))
        self.banner.ok(saved.message)
        return saved

    def _item_errors(self, by_field: dict[str, list[str]]) -> set[str]:
        shown = set()
        for item_id, (_c, _n, error) in self.item_inputs.items():
            key = f"items.{item_id}"
            if key in by_field:
                error.value = form_piece("errors", by_field[key])
                shown.add(key)
        return shown
