"""No import cycle anywhere in cptrack, down to single modules.

The contracts in pyproject.toml (``lint-imports``, run by ``make lint``) keep the layers one
way and the modules inside every package acyclic. A package's ``__init__`` and its own
modules are not siblings to import-linter, so a loop such as ``reports/__init__`` →
``reports.runner`` → ``reports/__init__`` passes them; this test walks the whole module graph
(imports inside functions count) and fails on a loop of any length. The layers
docs/layers.md lists are the contract's.
"""

from __future__ import annotations

import grimp


def import_loops(graph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, without
    recursion): each is a set of modules that import one another round a loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    loops = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, imported = work[-1]
            step = next(imported, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph.find_modules_directly_imported_by(step)))))
                elif step in on_stack:
                    low[module] = min(low[module], index[step])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    loops.append(sorted(group))
    return loops


def test_the_loop_finder_finds_a_loop_and_only_a_loop():
    graph = grimp.ImportGraph()
    for module in ("p", "p.a", "p.b", "p.c", "p.d"):
        graph.add_module(module)
    graph.add_import(importer="p", imported="p.a")
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p")  # p → a → b → p
    graph.add_import(importer="p.c", imported="p.d")  # one way: no loop
    assert import_loops(graph) == [["p", "p.a", "p.b"]]


def test_no_module_of_cptrack_imports_itself_round_a_loop():
    graph = grimp.build_graph("cptrack")
    described = []
    for group in import_loops(graph):
        first, second = group[0], group[1]  # in a loop, each reaches each
        there = graph.find_shortest_chain(first, second)
        back = graph.find_shortest_chain(second, first)
        described.append(" → ".join(there + back[1:]))
    assert described == [], "import loops:\n" + "\n".join(described)


def test_docs_list_the_layers_of_the_contract_in_its_order():
    """docs/layers.md lists the layers as pyproject.toml's whole-package contract has them."""
    import re
    import tomllib

    from conftest import ROOT

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    whole = next(c for c in contracts if c.get("containers") == ["cptrack"])
    doc = (ROOT / "docs" / "layers.md").read_text(encoding="utf-8")
    listed = doc.split("<!-- layers:", 1)[1].split("<!-- /layers -->", 1)[0]
    assert re.findall(r"^\d+\. `([^`]+)`$", listed, flags=re.M) == whole["layers"]
