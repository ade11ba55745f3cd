"""No import circles between the project's modules.

Every module of the project's packages (migrations and tests left out) is read
with `ast`, not imported: every `import` and `from ... import` counts, at the
top of the file or inside a function, relative or absolute. `from content
import models` is an import of the module `content.models`; `from content.models
import Page` of `content.models`; `from content import RENDERING` (a name, not a
module) of the package `content` itself. A circle means no module of it can be understood, or
loaded, without the others; a function-level import only hides it from Python.
"""

import ast
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEFT_OUT = {"migrations", "tests", "scripts", "static", "staticfiles", "templates", "locale"}


def project_modules():
    """Module name -> file, for every package at the top of the repository."""
    modules = {}
    for package in sorted(p.parent for p in ROOT.glob("*/__init__.py")):
        if package.name in LEFT_OUT or package.name.startswith("."):
            continue
        for path in package.rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if LEFT_OUT & set(parts):
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def imported_modules(name, path, modules):
    """The project modules that the module `name` (at `path`) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()

    def most_specific(dotted):
        # "a.b.c" may name a module, or a name inside the module "a.b" (or "a").
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted

    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            # `from content import models` imports the module content.models.
            targets = [f"{source}.{alias.name}" for alias in node.names] or [source]
        else:
            continue
        for target in targets:
            module = most_specific(target)
            if module and module != name:
                found.add(module)
    return found


def import_graph():
    modules = project_modules()
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def shortest_path(graph, start, goal):
    """The shortest chain of imports from start to goal, or None."""
    came_from = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            chain = []
            while node is not None:
                chain.append(node)
                node = came_from[node]
            return chain[::-1]
        for nxt in sorted(graph.get(node, ())):
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return None


def import_cycles(graph):
    """Each circle once: for every import a -> b, the shortest way from b back to a closes a circle."""
    cycles = set()
    for a in sorted(graph):
        for b in sorted(graph[a]):
            back = shortest_path(graph, b, a)
            if back:
                cycle = [a, *back[:-1]]
                turn = cycle.index(min(cycle))  # the same circle read from its smallest name
                cycles.add(tuple(cycle[turn:] + cycle[:turn]))
    return sorted(cycles, key=lambda cycle: (len(cycle), cycle))


def test_the_graph_is_read_from_the_project():
    graph = import_graph()
    assert "content.models" in graph
    assert "content.models" in graph["content.admin"]
    assert not any(".migrations" in name or name.startswith("tests") for name in graph)


def test_every_kind_of_import_is_read(tmp_path):
    (tmp_path / "views.py").write_text(
        "from . import models\n"
        "from .forms import PageForm\n"
        "import shop.urls\n"
        "def later():\n"
        "    from shop import admin\n"
        "    from django.db import models  # not the project's\n"
    )
    modules = dict.fromkeys(("shop", "shop.models", "shop.forms", "shop.urls", "shop.admin"), tmp_path / "x.py")
    imported = imported_modules("shop.views", tmp_path / "views.py", {**modules, "shop.views": tmp_path / "views.py"})
    assert imported == {"shop.models", "shop.forms", "shop.urls", "shop.admin"}


def test_a_circle_is_found_and_named():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [("a", "b", "c")]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles_between_project_modules():
    cycles = import_cycles(import_graph())
    assert not cycles, "import circles between project modules:\n" + "\n".join(
        "  " + " -> ".join([*cycle, cycle[0]]) for cycle in cycles
    )
