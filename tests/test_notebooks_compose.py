"""Notebooks only compose: every app and report notebook imports, wires and displays what
lives in ``cptrack``; none defines a function or a class, and none is committed with outputs."""

from __future__ import annotations

import ast
import json

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))


def _code_cells(path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in cells
        if c["cell_type"] == "code"
    ]


def _definitions(source: str) -> list[str]:
    """The names of the functions and classes a cell defines (magics and shell lines aside)."""
    python = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )
    return [
        node.name
        for node in ast.walk(ast.parse(python))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]


def test_every_app_and_report_notebook_is_checked():
    """The notebooks found include the apps' and the reports' (the glob is not empty)."""
    folders = {p.parent.name for p in NOTEBOOKS}
    assert {"notebooks", "reports"} == folders


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_notebook_defines_no_function_or_class(path):
    """No code cell of the notebook has a def or a class: the code lives in the package."""
    found = [name for source in _code_cells(path) for name in _definitions(source)]
    assert [] == found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_notebook_is_committed_without_outputs(path):
    """No code cell of the notebook carries outputs or an execution count."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    kept = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert [] == kept
