"""Parts the meeting forms share: repeating rows, yes/no answers, sections, routing errors.

* ``RowList``: a list of rows (outcomes, actions, attendance, reports), each row a line of
  inputs under a header, with Remove and Add buttons. A refused save marks the bad cells
  and writes the row's messages under the row (``actions.2.owner`` goes to row 2's owner).
* ``yes_no`` and ``choice``: selection inputs that start empty, so "not answered" is not
  mistaken for "no".
* ``section``: a heading with a line of help (and the standard it comes from).
* ``show_errors``: a ``RecordError``'s messages to the fields, the row lists and, for the
  rest, the banner; ``clear_errors`` undoes it.
* ``tag``: a coloured tag that always carries its words (colour is never the only signal);
  the look is the one stylesheet's (``cptrack/render/static/cptrack.css``).

Their HTML comes from the templates (``templates/forms.html``): everything shown that came
from a user or the database is escaped there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from cptrack.apps.widgets import Banner, Field, form_piece
from cptrack.domain.models import AGENCY_LABELS
from cptrack.render.templating import macro, piece, trusted

AGENCY_CHOICES = {a.value: w for a, w in AGENCY_LABELS.items()}


class Unavailable:
    """What a page shows instead of its app when it cannot open (no database, a bad
    profile): the reason, in words, never a traceback."""

    def __init__(self, message: str):
        self.message = message
        self.widget = widgets.HTML(form_piece("unavailable", message))


def unavailable(message: str) -> Unavailable:
    return Unavailable(message)


def buttons(*items: widgets.Widget) -> widgets.HBox:
    """Buttons in a row, each as wide as its words (a column would stretch them)."""
    return widgets.HBox(list(items), layout=widgets.Layout(gap="10px"))


def side_by_side(*fields: Field, width: str = "300px") -> widgets.HBox:
    """Short fields (dates, a choice) next to each other, each in a column of ``width``."""
    for f in fields:
        f.box.layout.width = width
    return widgets.HBox([f.box for f in fields], layout=widgets.Layout(gap="20px"))


APP_WIDTH = "1180px"


def box(html: str) -> str:
    """HTML for a widget on a page whose stylesheet is already shown (``style()``)."""
    return form_piece("box", trusted(html))


def header(title: str, *bits: str) -> widgets.HTML:
    """An app's title, and the line under it (authority, standards, the day...)."""
    return widgets.HTML(form_piece("header", title, [b for b in bits if b]))


def card_box(card_id: str, title: str, facts: list[tuple[str, Any]]):
    """Who or what a page is about, in one box: a heading and labelled facts."""
    return macro("forms.html", "card")(card_id, title, facts)


def note(words: str, note_id: str = "") -> str:
    """A line of explanation, in the apps' frame."""
    return form_piece("note", words, note_id)


def tag_line(line_id: str, kind: str, words: str) -> str:
    """A coloured tag in a line of its own (the quorum, a count)."""
    return form_piece("tag_line", line_id, kind, words)


def tag(kind: str, words: str) -> str:
    """A coloured tag that always carries its words: red, amber, green or grey."""
    return str(piece("tag", kind, words))


def section(title: str, help: str = "", cite: str = "") -> widgets.HTML:
    """A heading for a part of a form, with a line of help and its source."""
    return widgets.HTML(form_piece("section", title, help, cite))


def yes_no(yes: str = "Yes", no: str = "No") -> widgets.ToggleButtons:
    """A yes/no answer that starts unanswered (value None)."""
    return widgets.ToggleButtons(
        options=[(yes, True), (no, False)], value=None, style={"button_width": "90px"}
    )


class Choice(widgets.Dropdown):
    """A drop-down whose first option may stand for "nothing chosen" (value ``""``): setting
    None selects it, so its words show instead of a blank box."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "value" and value is None and "" in (self._options_values or ()):
            value = ""
        super().__setattr__(name, value)


def choice(options: dict, *, none: str | None = "Choose…", width: str = "320px") -> Choice:
    """A drop-down of code → words that starts on ``none`` (value ``""``, read as nothing
    chosen), or on the first option when ``none`` is None."""
    opts = ([(none, "")] if none is not None else []) + [(w, k) for k, w in options.items()]
    return Choice(options=opts, value=opts[0][1], layout=widgets.Layout(width=width))


def text(width: str = "100%", placeholder: str = "") -> widgets.Text:
    return widgets.Text(layout=widgets.Layout(width=width), placeholder=placeholder)


def area(rows: int = 3, width: str = "100%", placeholder: str = "") -> widgets.Textarea:
    box = widgets.Textarea(layout=widgets.Layout(width=width), rows=rows, placeholder=placeholder)
    box.add_class("cpt-wide")
    return box


def date(value: dt.date | None = None, width: str = "170px") -> widgets.DatePicker:
    return widgets.DatePicker(value=value, layout=widgets.Layout(width=width))


def field(name: str, label: str, widget, help: str | None = None, required: bool = False) -> Field:
    return Field(name, label, widget, help=help, required=required)


# ---------------------------------------------------------------------------
# Repeating rows


@dataclass(frozen=True)
class Column:
    """One input of a row: its field name, header and how to make the input."""

    name: str
    label: str
    make: Callable[[], widgets.Widget]
    width: str = "160px"


def _read(widget: widgets.Widget) -> Any:
    value = getattr(widget, "value", None)
    if isinstance(widget, Choice) and value == "":
        return None
    return value.strip() if isinstance(value, str) else value


def _write(widget: widgets.Widget, value: Any) -> None:
    if isinstance(widget, widgets.Text | widgets.Textarea) and value is None:
        value = ""
    if isinstance(widget, widgets.Dropdown | widgets.ToggleButtons):
        allowed = list(widget._options_values)
        if value not in allowed:
            value = allowed[0] if "" in allowed else None
    widget.value = value


class Row:
    """One row of a ``RowList``: its inputs, its Remove button and its error line."""

    def __init__(self, rowlist: RowList, item: Any):
        self.item = item
        self.inputs: dict[str, widgets.Widget] = {}
        cells = []
        for col in rowlist.columns:
            w = col.make()
            w.layout.width = col.width
            self.inputs[col.name] = w
            cells.append(w)
        self.remove = widgets.Button(
            description="Remove",
            layout=widgets.Layout(width="90px"),
            tooltip="Take this row off the form (saved when you save)",
        )
        self.remove.on_click(lambda _b: rowlist.remove_row(self))
        self.error = widgets.HTML("")
        line = widgets.HBox([*cells, self.remove], layout=widgets.Layout(align_items="flex-start"))
        self.box = widgets.VBox([line, self.error])
        self.box.add_class("cpt-row")
        self.box.add_class(f"cpt-row-{rowlist.name}")
        for name, value in rowlist.from_item(item).items():
            if name in self.inputs:
                _write(self.inputs[name], value)

    def values(self) -> dict[str, Any]:
        return {name: _read(w) for name, w in self.inputs.items()}

    def set_errors(self, by_input: dict[str, list[str]]) -> None:
        for name, w in self.inputs.items():
            if name in by_input:
                w.add_class("cpt-cell-error")
            else:
                w.remove_class("cpt-cell-error")
        # The bad cells are outlined; the messages say what to do, in column order.
        order = list(self.inputs)
        keys = sorted(by_input, key=lambda n: order.index(n) if n in order else len(order))
        lines = [m for n in keys for m in by_input[n]]
        self.error.value = form_piece("errors", lines)


class RowList:
    """A list of rows of the same inputs, with a header, Add and Remove.

    ``from_item(item)`` gives the inputs' values for an item (a dataclass from a model);
    ``to_item(values, item)`` builds the item back from the inputs (``item`` is the row's
    original, or None for a new row), so ids and versions survive an edit.
    """

    def __init__(
        self,
        name: str,
        columns: Iterable[Column],
        *,
        from_item: Callable[[Any], dict[str, Any]],
        to_item: Callable[[dict[str, Any], Any], Any],
        add_label: str = "Add a row",
        new_item: Callable[[], Any] | None = None,
        on_change: Callable[[], None] | None = None,
    ):
        self.name = name
        self.columns = list(columns)
        self.from_item = from_item
        self.to_item = to_item
        self.new_item = new_item or (lambda: None)
        self.on_change = on_change
        self.labels = {c.name: c.label for c in self.columns}
        self.rows: list[Row] = []
        head = [
            widgets.HTML(form_piece("rowhead", c.label), layout=widgets.Layout(width=c.width))
            for c in self.columns
        ]
        self.header = widgets.HBox(head)
        self.body = widgets.VBox([])
        self.error = widgets.HTML("")
        self.error.add_class("cpt-listerror")
        self.add = widgets.Button(description=add_label, layout=widgets.Layout(width="auto"))
        self.add.on_click(lambda _b: self.add_row(self.new_item()))
        self.empty = widgets.HTML(form_piece("help", "None yet."))
        self.widget = widgets.VBox(
            [self.header, self.empty, self.body, self.error, widgets.HBox([self.add])]
        )
        self.widget.add_class("cpt-rowlist")
        self.widget.add_class(f"cpt-list-{name}")

    def set(self, items: Iterable[Any]) -> None:
        self.rows = []
        for item in items:
            self._append(item)
        self._refresh()

    def _append(self, item: Any) -> Row:
        row = Row(self, item)
        for w in row.inputs.values():
            w.observe(self._changed, names="value")
        self.rows.append(row)
        return row

    def _changed(self, _change=None) -> None:
        if self.on_change is not None:
            self.on_change()

    def add_row(self, item: Any = None) -> Row:
        row = self._append(item if item is not None else self.new_item())
        self._refresh()
        self._changed()
        return row

    def remove_row(self, row: Row) -> None:
        self.rows = [r for r in self.rows if r is not row]
        self._refresh()
        self._changed()

    def _refresh(self) -> None:
        self.body.children = [r.box for r in self.rows]
        self.empty.layout.display = "none" if self.rows else None
        self.header.layout.display = None if self.rows else "none"

    def items(self) -> list[Any]:
        return [self.to_item(r.values(), r.item) for r in self.rows]

    def show_errors(self, by_field: dict[str, list[str]]) -> None:
        """Messages named ``<list>`` go under the list; ``<list>.<n>.<input>`` to row n."""
        own = by_field.get(self.name, [])
        self.error.value = form_piece("errors", own)
        for i, row in enumerate(self.rows, 1):
            prefix = f"{self.name}.{i}."
            mine = {k[len(prefix) :]: v for k, v in by_field.items() if k.startswith(prefix)}
            row.set_errors(mine)

    def clear_errors(self) -> None:
        self.show_errors({})


def action_list(row_type, name: str = "actions") -> RowList:
    """Actions with what, who, agency and by when (a midway or conference ActionRow)."""
    return RowList(
        name,
        [
            Column("description", "What is to be done", lambda: area(2), "380px"),
            Column("owner", "Who", lambda: text(), "190px"),
            Column("agency", "Agency", lambda: choice(AGENCY_CHOICES, none="—"), "200px"),
            Column("due_date", "By when", date, "170px"),
        ],
        from_item=lambda a: {
            "description": a.description,
            "owner": a.owner,
            "agency": a.agency,
            "due_date": a.due_date,
        },
        to_item=lambda v, a: row_type(
            v["description"],
            v["owner"],
            v["agency"],
            v["due_date"],
            getattr(a, "record_id", None),
            getattr(a, "version", None),
            **({"original": a.original} if hasattr(a, "original") else {}),
        ),
        add_label="Add an action",
        new_item=row_type,
    )


# ---------------------------------------------------------------------------
# Errors


def show_errors(
    by_field: dict[str, list[str]],
    fields: dict[str, Field],
    lists: dict[str, RowList],
    banner: Banner,
    summary: str | None = None,
    extra: Iterable[Callable[[dict[str, list[str]]], set[str]]] = (),
) -> None:
    """Each message next to its input (a field, or a row of a list); the rest in the
    banner with a count. ``extra`` handlers take the messages and return the names they
    showed (an embedded form, for example)."""
    shown: set[str] = set()
    for name, f in fields.items():
        f.set_error(by_field.get(name))
        if name in by_field:
            shown.add(name)
    for name, rl in lists.items():
        rl.show_errors(by_field)
        shown |= {k for k in by_field if k == name or k.startswith(name + ".")}
    for handler in extra:
        shown |= handler(by_field)
    loose = [
        m if not k else f"{k}: {m}" for k, ms in by_field.items() if k not in shown for m in ms
    ]
    n = sum(len(m) for m in by_field.values())
    banner.bad(
        summary
        or f"Not saved: {n} thing{'s' if n != 1 else ''} to put right "
        "(each is marked in red by its question).",
        loose,
    )


def clear_errors(fields: dict[str, Field], lists: dict[str, RowList]) -> None:
    for f in fields.values():
        f.set_error(None)
    for rl in lists.values():
        rl.clear_errors()
