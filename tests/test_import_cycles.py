"""No two modules of arms import each other, directly or round a longer loop, function-local imports included.

import-linter's contracts see only the layers; a cycle inside an app (dunning services <-> tasks, credit ratings
<-> limits, exposure selectors <-> services, every app's api.py <-> arms.api) was hidden by importing inside a
function. grimp, which import-linter builds on, reads every import statement wherever it stands, so a loop
fails here however it is spelt. Break one by moving the shared piece down, not by importing later.
"""

from __future__ import annotations

import grimp


def import_cycles(graph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def describe(graph, cycle: list[str]) -> str:
    members = set(cycle)
    edges = []
    for importer in cycle:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
            lines = [d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported)]
            edges.append(f"  {importer} -> {imported} (line {', '.join(map(str, lines))})")
    return "\n".join([" <-> ".join(cycle), *edges])


def test_the_finder_finds_a_cycle_hidden_in_a_function():
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b", line_number=1, line_contents="from pkg import b")
    graph.add_import(importer="pkg.b", imported="pkg.c", line_number=1, line_contents="from pkg import c")
    graph.add_import(importer="pkg.c", imported="pkg.a", line_number=9, line_contents="    from pkg import a")
    assert import_cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_no_module_of_arms_is_part_of_an_import_cycle():
    graph = grimp.build_graph("arms", cache_dir=None)
    assert len(graph.modules) > 200
    cycles = import_cycles(graph)
    assert cycles == [], "import cycles:\n" + "\n".join(describe(graph, cycle) for cycle in cycles)
