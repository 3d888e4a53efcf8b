"""The library's borders: the top-level API is exactly the listed entry points, every name resolves, no module
imports another package's private module, and modules do not import each other in a cycle at module level.

The rules are read from the source with ``ast`` (no import is run):
- a module ``a.b._x`` (or anything inside a private package ``a.b._x``) is imported only by modules inside the
  package ``a.b``; ``buurtkaart._records`` and the other private modules at the root are for the whole library.
  ``app.py`` counts as part of ``app_pages`` (it is the pages' entry point). Tests are exempt.
- the graph of module-level imports (not those inside functions or under ``if TYPE_CHECKING``) has no cycle.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import buurtkaart

ROOT = Path(__file__).resolve().parents[1]

PUBLIC_API = [
    "Application",
    "BuurtkaartError",
    "GroupAnswer",
    "InputError",
    "NotFound",
    "PermissionDenied",
    "FindIndex",
    "SchemaError",
    "Workspace",
    "WorkspaceError",
    "assign_people",
    "assign_points",
    "authenticate",
    "contact_list",
    "coverage_gaps",
    "coverage_report",
    "edit_context",
    "export_layer",
    "find_group",
    "import_file",
    "make_demo_workspace",
    "mark_added",
    "mark_sticker",
    "plan_infoborden",
    "preview_edit",
    "read_addresses",
    "read_streets",
    "save_groups",
    "screen",
    "screening_queue",
    "setup_workspace",
    "sticker_list",
    "street_answer",
    "submit_application",
]


def _module_files() -> dict[str, Path]:
    """Dotted module name → file, for the library, ``app.py`` and ``app_pages``."""
    files = {"app": ROOT / "app.py"}
    for folder in ("buurtkaart", "app_pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            files[".".join(parts)] = path
    return files


MODULES = _module_files()


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _is_type_checking(test: ast.expr) -> bool:
    return "TYPE_CHECKING" in ast.unparse(test)


def _targets(node: ast.Import | ast.ImportFrom, package: str, modules: dict[str, Path]) -> Iterator[str]:
    """The modules an import statement names: ``from a.b import c`` is ``a.b.c`` when that is a module."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        parts = package.split(".")[: len(package.split(".")) - node.level + 1]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    for alias in node.names:
        full = f"{base}.{alias.name}"
        yield full if full in modules else base


def imports(name: str, path: Path, *, module_level: bool, modules: dict[str, Path] = MODULES
            ) -> Iterator[tuple[str, int]]:
    """``(imported module, line)`` for each import of a module: all of them, or only those run at import time."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _package_of(name, path)
    if not module_level:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield from ((target, node.lineno) for target in _targets(node, package, modules))
        return

    def walk(body: list[ast.stmt]) -> Iterator[tuple[str, int]]:
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield from ((target, node.lineno) for target in _targets(node, package, modules))
            elif isinstance(node, ast.ClassDef):
                yield from walk(node.body)
            elif isinstance(node, ast.If):
                if not _is_type_checking(node.test):
                    yield from walk(node.body)
                yield from walk(node.orelse)
            elif isinstance(node, ast.Try):
                for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                    yield from walk(block)
            elif isinstance(node, ast.With):
                yield from walk(node.body)

    yield from walk(tree.body)


def private_imports(modules: dict[str, Path], *, root: Path = ROOT) -> list[str]:
    """Every import of a private module from outside the package that holds it."""
    found = []
    for name, path in modules.items():
        importer = "app_pages.app" if name == "app" else name
        for target, line in imports(name, path, module_level=False, modules=modules):
            parts = target.split(".")
            for i, part in enumerate(parts):
                if part.startswith("_") and not part.startswith("__") and ".".join(parts[: i + 1]) in modules:
                    owner = ".".join(parts[:i])
                    if importer != owner and not importer.startswith(owner + "."):
                        found.append(f"{path.relative_to(root)}:{line} imports {'.'.join(parts[: i + 1])}")
                    break
    return found


def import_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle of the graph as ``[a, b, ..., a]``, or None (depth-first search)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def module_graph(modules: dict[str, Path]) -> dict[str, list[str]]:
    return {name: sorted({t for t, _ in imports(name, path, module_level=True, modules=modules)
                          if t in modules and t != name})
            for name, path in modules.items()}


# ------------------------------------------------------------------------------------------------------- the API
def test_the_public_api_is_exactly_the_listed_entry_points():
    assert sorted(buurtkaart.__all__) == sorted(PUBLIC_API)
    assert len(buurtkaart.__all__) == len(set(buurtkaart.__all__))
    assert set(buurtkaart._EXPORTS) == set(buurtkaart.__all__)


@pytest.mark.parametrize("name", sorted(PUBLIC_API))
def test_every_public_name_resolves_to_its_module(name):
    module = importlib.import_module(buurtkaart._EXPORTS[name])
    assert getattr(buurtkaart, name) is getattr(module, name)


def test_internals_are_not_on_the_top_level_but_submodules_still_are():
    for internal in ("t", "conform", "resolve_path", "street_key", "LAYERS"):
        with pytest.raises(AttributeError):
            getattr(buurtkaart, internal)
    assert buurtkaart.texts.t("core.fictional_banner")  # a submodule by attribute, loaded on first use


def test_entry_points_have_parameters_and_returns_sections():
    import inspect

    for name in buurtkaart.__all__:
        value = getattr(buurtkaart, name)
        if inspect.isfunction(value):
            doc = inspect.getdoc(value) or ""
            assert "Parameters\n----------" in doc, name
            assert "Returns\n-------" in doc, name


# --------------------------------------------------------------------------------------------- borders, cycles
def test_no_module_imports_the_private_module_of_another_package():
    assert private_imports(MODULES) == []


def test_no_import_cycle_between_modules_at_module_level():
    cycle = import_cycle(module_graph(MODULES))
    assert cycle is None, " → ".join(cycle or [])


def _tiny_library(tmp_path: Path, sources: dict[str, str]) -> dict[str, Path]:
    modules = {}
    for name, text in sources.items():
        is_package = name.endswith(".__init__")
        module = name.removesuffix(".__init__")
        path = tmp_path.joinpath(*name.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        modules[module] = path
        assert is_package == (path.name == "__init__.py")
    return modules


def test_the_scans_find_a_private_import_and_a_cycle(tmp_path):
    modules = _tiny_library(tmp_path, {
        "lib.__init__": "",
        "lib.a.__init__": "from lib.a._inner import x\n",
        "lib.a._inner": "x = 1\n",
        "lib.b.__init__": "",
        "lib.b.one": "from lib.a import _inner\nimport lib.b.two\n",
        "lib.b.two": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import lib.c\nimport lib.b.one\n",
        "lib.c": "def f():\n    import lib.b.one\n",
        "lib._root": "",
        "lib.d": "from lib import _root\n",
    })
    found = private_imports(modules, root=tmp_path)
    assert len(found) == 1 and found[0].endswith("imports lib.a._inner") and "one.py:1" in found[0]
    graph = module_graph(modules)
    assert "lib.c" not in graph["lib.b.two"]  # only under TYPE_CHECKING
    assert graph["lib.c"] == []  # only inside a function
    assert import_cycle(graph) == ["lib.b.one", "lib.b.two", "lib.b.one"]
    assert import_cycle({"x": ["y"], "y": []}) is None
