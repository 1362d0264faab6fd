"""The Practice Observation Form laid out like the paper form: a lettered box per part, Part A
in two columns, Part B headed by the framework's name."""

from __future__ import annotations

import ipywidgets as widgets

from cptrack.apps.observation import html
from cptrack.apps.widgets import Field


def part(letter: str, title: str, *children: widgets.Widget) -> widgets.VBox:
    """A lettered part of the form: its heading over its children."""
    head = widgets.HTML(html.piece("part_head", letter, title))
    body = widgets.VBox(list(children))
    body.add_class("cpt-part-body")
    box = widgets.VBox([head, body])
    box.add_class("cpt-part")
    box.add_class(f"cpt-part-{letter.lower()}")
    return box


def framework_part(framework_name: str, framework_box: widgets.Widget) -> widgets.VBox:
    """Part B: the criteria of the framework ``framework_name``, rebuilt in ``framework_box``."""
    box = widgets.VBox(
        [
            widgets.HTML(
                html.piece(
                    "part_head",
                    "B",
                    f"Observation against the standards ({framework_name})",
                )
            ),
            framework_box,
        ]
    )
    box.add_class("cpt-part")
    box.add_class("cpt-part-b")
    return box


def about_grid(
    chair: Field, conference: Field, details: widgets.Widget, observer: Field, date: Field
) -> widgets.GridBox:
    """Part A in two columns: who and which conference; by whom and when."""
    left = widgets.VBox([chair.box, conference.box, details])
    right = widgets.VBox([observer.box, date.box])
    return widgets.GridBox(
        [left, right],
        layout=widgets.Layout(grid_template_columns="56% 42%", grid_gap="0 2%"),
    )
