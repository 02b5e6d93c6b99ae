"""The package's shape: parts that name their job, the import rules between them, and each
shared rule (statuses, name patterns, the answers model, the facts) defined once."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "adrgen"
MODULES = {
    ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): path
    for path in PACKAGE.rglob("*.py")
}


def _imports(path: Path, *, eager_only: bool) -> set[str]:
    """The modules `path` imports: at import time only, or anywhere (lazy imports too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST, eager: bool) -> None:
        for child in ast.iter_child_nodes(node):
            lazy = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            typing_only = (
                isinstance(child, ast.If)
                and isinstance(child.test, ast.Name)
                and child.test.id == "TYPE_CHECKING"
            )
            if typing_only:
                continue
            if isinstance(child, ast.Import) and (eager or not eager_only):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and (eager or not eager_only):
                found.add(child.module)
                found.update(f"{child.module}.{alias.name}" for alias in child.names)
            visit(child, eager and not lazy)

    visit(tree, True)
    return found


def _adrgen_imports(name: str, *, eager_only: bool = True) -> set[str]:
    return {m for m in _imports(MODULES[name], eager_only=eager_only) if m in MODULES} - {name}


def test_at_most_twelve_top_level_modules() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top


def test_every_subpackage_names_its_job() -> None:
    packages = sorted(
        p.parent.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("__init__.py")
    )
    assert packages == [
        ".",
        "answers",
        "authoring",
        "catalog",
        "commands",
        "config",
        "files",
        "records",
        "site",
        "templating",
    ]
    for init in PACKAGE.rglob("__init__.py"):
        assert ast.get_docstring(ast.parse(init.read_text())), f"{init} says what it holds"


def test_no_module_imports_itself_back_at_import_time() -> None:
    graph = {name: _adrgen_imports(name) for name in MODULES}
    # a package imports its submodules' parents; a cycle is a path back to the start
    state: dict[str, int] = {}

    def walk(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                raise AssertionError(" -> ".join([*path, name, target]))
            if state.get(target) is None:
                walk(target, [*path, name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name, [])


@pytest.mark.parametrize(
    ("library", "allowed"),
    [
        ("mkdocs", r"adrgen\.site(\.|$)"),
        ("material", r"adrgen\.site(\.|$)"),
        ("questionary", r"adrgen\.authoring\.interview$"),
        ("prompt_toolkit", r"adrgen\.authoring\.interview$"),
    ],
)
def test_only_its_part_imports_a_library(library: str, allowed: str) -> None:
    for name, path in MODULES.items():
        used = [m for m in _imports(path, eager_only=False) if m.split(".")[0] == library]
        if used:
            assert re.match(allowed, name), f"{name} imports {used}"


# the parts a part may import at import time (lazily, commands and the site may reach further)
LAYERS = {
    "adrgen.errors": set(),
    "adrgen.vocabulary": set(),
    "adrgen.files": {"adrgen.errors", "adrgen.files", "adrgen.resources"},
    "adrgen.validation": {"adrgen.errors", "adrgen.files"},
    "adrgen.answers": {
        "adrgen.answers",
        "adrgen.errors",
        "adrgen.files",
        "adrgen.validation",
        "adrgen.vocabulary",
    },
    "adrgen.catalog": {
        "adrgen.catalog",
        "adrgen.errors",
        "adrgen.files",
        "adrgen.resources",
        "adrgen.validation",
        "adrgen.vocabulary",
        "adrgen",
    },
    "adrgen.templating": {
        "adrgen.templating",
        "adrgen.errors",
        "adrgen.files",
        "adrgen.resources",
        "adrgen",
    },
}


@pytest.mark.parametrize("part", sorted(LAYERS))
def test_lower_parts_import_only_what_is_below_them(part: str) -> None:
    for name in MODULES:
        if name != part and not name.startswith(part + "."):
            continue
        for target in _adrgen_imports(name):
            owner = next(
                (
                    p
                    for p in sorted(LAYERS[part], key=len, reverse=True)
                    if target == p or target.startswith(p + ".")
                ),
                None,
            )
            assert owner is not None, f"{name} imports {target}"


def _string_literals(path: Path) -> list[str]:
    return [
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _collections(path: Path) -> list[list[str]]:
    """The strings of each tuple, list, set or subscript (`Literal[...]`) written in `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else None
        if isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        if items is not None:
            found.append([i.value for i in items if isinstance(i, ast.Constant)])
    return found


def test_each_shared_rule_is_written_once() -> None:
    from adrgen import vocabulary

    patterns = {
        vocabulary.ID_PATTERN,
        vocabulary.TEMPLATE_NAME_PATTERN,
        vocabulary.FIELD_NAME_PATTERN,
    }
    for name, path in MODULES.items():
        if name == "adrgen.vocabulary":
            continue
        literals = _string_literals(path)
        assert not patterns & set(literals), f"{name} writes a name pattern again"
        for collection in _collections(path):
            statuses = set(collection) & set(vocabulary.STATUSES)
            assert len(statuses) < 3, f"{name} lists the statuses again: {sorted(statuses)}"


def test_the_rules_are_the_ones_every_part_uses() -> None:
    from adrgen.answers.model import Answers, Facts
    from adrgen.catalog.models import FactsPattern
    from adrgen.config.team import ExtraField, TeamConfig
    from adrgen.records.lint import RecordFrontMatter
    from adrgen.vocabulary import FACT_NAMES, STATUSES, TEMPLATE_NAME_PATTERN

    def allowed(model: type, field: str) -> set[str]:
        schema = model.model_json_schema()
        prop = schema["properties"][field]
        options = prop.get("anyOf", [prop])
        return {v for option in options for v in option.get("enum", [])}

    assert allowed(Answers, "status") == set(STATUSES)
    assert allowed(RecordFrontMatter, "status") == set(STATUSES)
    assert (
        TeamConfig.model_json_schema()["properties"]["template"]["pattern"] == TEMPLATE_NAME_PATTERN
    )
    assert "pattern" in ExtraField.model_json_schema()["properties"]["name"]
    assert tuple(Facts.model_fields) == FACT_NAMES == tuple(FactsPattern.model_fields)
