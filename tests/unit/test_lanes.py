"""Each test sits in the lightest lane that can run it (README, "Tests"), and tests share helpers
through tests/support/ only: a test that moved into a lane it does not fit, or that reaches into
another folder's conftest or test module, fails here with the file and line."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
# What a lane may not use, by the modules a test imports and the fixtures its tests ask for.
SERVERS = {"redis_server", "redis_url", "r", "served", "sessions", "site", "app_url", "ingest", "demo", "systems",
           "receiver", "smtp"}
BROWSER = {"browser"}
SYSTEM = {"system", "clips", "camera_servers", "gateway_factory", "two_cameras", "kinds"}
FORBIDDEN = {
    "unit": ({"subprocess", "socket", "uvicorn", "playwright", "tests.support.system"}, SERVERS | BROWSER | SYSTEM),
    "integration": ({"playwright", "tests.support.system"}, BROWSER | SYSTEM),
    "browser": ({"tests.support.system"}, SYSTEM),
}


def modules(tree: ast.Module) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append((node.lineno, "." * node.level + (node.module or "")))
    return out


def fixtures_asked(tree: ast.Module) -> list[tuple[int, str]]:
    return [(node.lineno, arg.arg) for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
            for arg in node.args.args]


def test_no_test_reaches_into_another_folders_conftest_or_test_module():
    wrong = []
    for path in sorted(TESTS.rglob("*.py")):
        if "bench" in path.parts:
            continue
        for line, name in modules(ast.parse(path.read_text())):
            last = name.rsplit(".", 1)[-1]
            if name.startswith("tests.") and (last == "conftest" or last.startswith("test_")) or name.startswith("."):
                wrong.append(f"{path.relative_to(TESTS)}:{line} imports {name}")
    assert not wrong, "shared helpers and fixtures belong in tests/support/:\n" + "\n".join(wrong)


def test_each_lane_holds_only_tests_that_fit_it():
    wrong = []
    for lane, (imports, fixtures) in FORBIDDEN.items():
        for path in sorted((TESTS / lane).rglob("test_*.py")):
            tree = ast.parse(path.read_text())
            where = path.relative_to(TESTS)
            wrong += [f"{where}:{line} imports {name}" for line, name in modules(tree)
                      if any(name == m or name.startswith(m + ".") for m in imports)]
            wrong += [f"{where}:{line} asks for the fixture {name}" for line, name in fixtures_asked(tree)
                      if name in fixtures]
    assert not wrong, "move these to the lane they need (README, \"Tests\"):\n" + "\n".join(wrong)


def test_lanes_are_folders_not_markers():
    """A lane is its folder: no marker says "whole system" or "browser" beside it."""
    marked = [f"{path.relative_to(TESTS)}:{node.lineno}" for path in sorted(TESTS.rglob("test_*.py"))
              for node in ast.walk(ast.parse(path.read_text()))
              if isinstance(node, ast.Attribute) and node.attr == "e2e"
              and isinstance(node.value, ast.Attribute) and node.value.attr == "mark"]
    assert not marked, marked
