"""The shape of the code: no import cycle in api/, no module past 300 lines, and one registry
that every collection's parts agree with."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve, reverse

from api import registry, views

API = Path(settings.BASE_DIR) / "api"
MODULES = sorted(path for path in API.rglob("*.py") if "migrations" not in path.parts)
MAX_LINES = 300


def module_name(path: Path) -> str:
    parts = path.relative_to(API.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {module_name(path): path for path in MODULES}


def imports(path: Path) -> set[str]:
    """The api modules that `path` imports, anywhere in it (inside functions too), relative
    imports resolved; `from package import module` imports the module, not the package."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in NAMES else base)
    return {_known(target) for target in found if _known(target)} - {name}


def _known(target: str) -> str | None:
    """The api module `target` names, or the module of a name in it."""
    while target and target not in NAMES:
        target = target.rpartition(".")[0]
    return target or None


def test_the_import_walk_sees_relative_and_late_imports():
    assert {"api.models", "api.registry"} <= imports(API / "history.py")
    assert "api.views.base" in imports(API / "views" / "collections.py")
    assert "api.views" in imports(API / "urls.py")


def test_no_module_in_api_imports_itself_through_others():
    graph = {name: imports(path) for name, path in NAMES.items()}
    cycles = []

    def visit(name: str, trail: list[str], done: set[str]) -> None:
        for target in sorted(graph[name]):
            if target in trail:
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in done:
                visit(target, [*trail, target], done)
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        if name not in done:
            visit(name, [name], done)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(API)))
def test_no_module_in_api_passes_300_lines(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES


def test_the_registry_imports_models_only():
    assert imports(API / "registry.py") <= {"api.models"}


@pytest.mark.parametrize("collection", registry.COLLECTIONS, ids=lambda c: c.prefix)
def test_every_collection_is_routed_to_its_viewset_with_its_identifier(collection):
    viewset = getattr(views, collection.viewset_name)
    path = reverse(f"v1:{collection.basename}-list")
    assert path == f"/api/v1/{collection.prefix}/" and resolve(path).func.cls is viewset
    assert viewset.queryset.model is collection.model
    assert viewset.lookup_field == ("pk" if collection.key == "id" else collection.key)
    for part in collection.parts:
        assert part.model._meta.get_field(part.parent).related_model is collection.model
