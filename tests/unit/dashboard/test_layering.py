"""The dashboard's layers, read from the source (AST): what may import what.

- nothing in dashboard/ imports ingest/ (the dashboard reads Redis, never the feeds' code);
- a feature folder (walls, governor, meeting, ...) imports shared folders and the dashboard's own
  modules only, never another feature folder: what two features share lives in a shared folder;
- core/, ingest/ and dashboard/ have no import cycle between their modules (imports inside
  functions count too: an import put off to break a cycle still is one).
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import ROOT

FEATURES = {"walls", "governor", "meeting", "applications", "analyst", "public", "operator", "cameras",
            "incidents", "it"}
SHARED = {"auth", "live", "text", "figures", "tiles", "safety", "maps"}
PACKAGES = ("core", "dashboard", "ingest")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def sources() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def imports(path: Path, name: str) -> set[str]:
    """Every module `path` imports, anywhere in it, as dotted names (relative imports resolved)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def known(modules: dict[str, Path], imported: str) -> str | None:
    """The project module an import names (a name imported from a module: that module)."""
    while imported and imported not in modules:
        imported = imported.rpartition(".")[0]
    return imported or None


def graph() -> dict[str, set[str]]:
    modules = sources()
    return {name: {m for i in imports(path, name) if (m := known(modules, i)) and m != name}
            for name, path in modules.items()}


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "dashboard" and parts[1] in FEATURES else None


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules around it; None when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_dashboard_imports_no_ingest_code():
    wrong = sorted(f"{m} imports {i}" for m, targets in graph().items() if m.startswith("dashboard")
                   for i in targets if i.split(".")[0] == "ingest")
    assert not wrong, "\n".join(wrong)


def test_a_feature_folder_imports_no_other_feature_folder():
    wrong = sorted(f"{m} imports {i}" for m, targets in graph().items() if (own := feature_of(m))
                   for i in targets if (other := feature_of(i)) and other != own)
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle_in_core_ingest_or_dashboard():
    found = cycle(graph())
    assert found is None, "import cycle: " + " -> ".join(found)


def test_the_checks_see_what_they_are_meant_to():
    """The rules above find a feature's import of another, a cycle, and an ingest import."""
    assert feature_of("dashboard.governor.page") == "governor" and feature_of("dashboard.live.hub") is None
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None
    edges = graph()
    assert "dashboard.live.hub" in edges["dashboard.app"]  # imports are found
    assert any(i.startswith("core.") for i in edges["dashboard.live.hub"])
