from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from adrgen.catalog.loading import load_catalog
from adrgen.cli import cli
from adrgen.errors import ValidationProblems

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): ")


def test_shipped_catalog_is_valid(runner) -> None:
    result = runner.invoke(cli, ["catalog", "validate"])
    assert result.exit_code == 0, result.output
    assert "8 mechanisms, 4 situations, 4 checklist items, 3 failure modes" in result.output


def test_a_catalog_written_before_conflicts_yaml_is_valid(catalog_copy: Path) -> None:
    (catalog_copy / "conflicts.yaml").unlink()
    assert load_catalog(catalog_copy).conflicts == []


def test_shipped_catalog_has_the_design_ids() -> None:
    catalog = load_catalog()
    assert {m.id for m in catalog.mechanisms} == {
        "pipes",
        "shared-memory",
        "unix-sockets",
        "channels",
        "local-grpc",
        "signals",
        "service-contract",
        "remote-rpc",
    }
    assert catalog.mechanism("remote-rpc").stance.value == "hold"
    assert catalog.mechanism("service-contract").outcome.value == "service-contract"
    assert catalog.mechanism("pipes").outcome.value == "ipc"


def _break(catalog_copy: Path, relative: str, old: str | None, new: str) -> Path:
    path = catalog_copy / relative
    if old is None:
        path.write_text(new) if not path.is_dir() else None
    else:
        text = path.read_text()
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1))
    return path


BAD_CASES = {
    # name: (file, text to replace or None for whole file, replacement, expected file, line, words)
    "malformed yaml": (
        "mechanisms/pipes.yaml",
        "stance: adopt",
        "stance: [adopt",
        "mechanisms/pipes.yaml",
        None,
        "invalid YAML",
    ),
    "unknown key": (
        "mechanisms/pipes.yaml",
        "stance: adopt",
        "stance: adopt\ncolour: blue",
        "mechanisms/pipes.yaml",
        6,
        "colour: unknown key",
    ),
    "wrong type": (
        "mechanisms/pipes.yaml",
        "ceremony: 1",
        "ceremony: low",
        "mechanisms/pipes.yaml",
        21,
        "ceremony: 'low' is not a whole number",
    ),
    "bad enum": (
        "mechanisms/pipes.yaml",
        "stance: adopt",
        "stance: maybe",
        "mechanisms/pipes.yaml",
        5,
        "stance: 'maybe' is not one of adopt, trial, assess, hold",
    ),
    "duplicate id": (
        "mechanisms/signals.yaml",
        "id: signals",
        "id: pipes",
        "mechanisms/signals.yaml",
        1,
        "does not match the file name",
    ),
    "dangling reference": (
        "failure-modes.yaml",
        "warns_about: [shared-memory, signals]",
        "warns_about: [shared-memory, smoke-signals]",
        "failure-modes.yaml",
        None,
        "unknown mechanism 'smoke-signals'",
    ),
    "empty file": ("situations.yaml", None, "", "situations.yaml", None, "file is empty"),
    "yaml tag": (
        "checklist.yaml",
        "number: 1",
        "number: !!python/object:os.system 1",
        "checklist.yaml",
        4,
        "YAML tag",
    ),
    "alias bomb": (
        "rules.yaml",
        "rules:\n",
        "x: &x [a, a]\ny: [*x, *x]\nrules:\n",
        "rules.yaml",
        None,
        "aliases",
    ),
    "missing required field": (
        "mechanisms/pipes.yaml",
        "typical_use: Simple parent-child or shell pipelines\n",
        "",
        "mechanisms/pipes.yaml",
        None,
        "typical_use: required key is missing",
    ),
    "bad situation condition": (
        "situations.yaml",
        "process_isolation: true}",
        "process_isolation: maybe}",
        "situations.yaml",
        None,
        "process_isolation",
    ),
    "bad citation": (
        "rules.yaml",
        "cites: [checklist:native-channel]",
        "cites: [checklist:no-such-item]",
        "rules.yaml",
        None,
        "unknown checklist 'no-such-item'",
    ),
    # a rule that rests on a fact the interview can skip where the rule applies (the issue's
    # volume-must-fit, which fired for notifications only)
    "rule on a skippable fact": (
        "rules.yaml",
        "when: {data_volume: [moderate, high], notify_only: false}",
        "when: {data_volume: [moderate, high]}",
        "rules.yaml",
        93,
        "when: the interview does not ask data_volume when",
    ),
    "rule on a skippable fact, one alternative": (
        "rules.yaml",
        "      - {same_runtime: false, cross_team: false}",
        "      - {same_runtime: false}",
        "rules.yaml",
        None,
        "does not ask same_runtime when same_host=no",
    ),
    "companion on a skippable fact": (
        "mechanisms/shared-memory.yaml",
        "      - {rpc_semantics: true, direction: request-response}",
        "      - {rpc_semantics: true}",
        "mechanisms/shared-memory.yaml",
        None,
        "pairs_with.1.when: the interview does not ask rpc_semantics",
    ),
    "capability on a skippable fact": (
        "mechanisms/pipes.yaml",
        "when: [{same_host: true, relationship: parent-child}]",
        "when: [{relationship: parent-child}]",
        "mechanisms/pipes.yaml",
        None,
        "capabilities.1.when: the interview does not ask relationship when same_host=no",
    ),
    "question asked on a later answer": (
        "questions.yaml",
        "      - {notify_only: false}\n    default: low",
        "      - {direction: one-way}\n    default: low",
        "questions.yaml",
        None,
        "asked_when: names direction, which is not asked before data_volume",
    ),
    "conflict setting aside the asked answer": (
        "conflicts.yaml",
        "    set_aside: data_volume\n    instead: null",
        "    set_aside: notify_only\n    instead: false",
        "conflicts.yaml",
        None,
        "set_aside: the interview does not ask data_volume given the other answers",
    ),
    "conflict setting aside a fact it does not name": (
        "conflicts.yaml",
        "    set_aside: direction\n    instead: null",
        "    set_aside: launch\n    instead: null",
        "conflicts.yaml",
        None,
        "set_aside: 'launch' is not one of relationship, direction",
    ),
    "unknown capability": (
        "rules.yaml",
        "require: {has: [two-way]}",
        "require: {has: [two-ways]}",
        "rules.yaml",
        None,
        "has: unknown capability 'two-ways'; did you mean 'two-way'?",
    ),
    "unknown companion": (
        "mechanisms/shared-memory.yaml",
        "  - mechanism: local-grpc",
        "  - mechanism: local-grcp",
        "mechanisms/shared-memory.yaml",
        None,
        "pairs_with: unknown mechanism 'local-grcp'; did you mean 'local-grpc'?",
    ),
    "misspelt key": (
        "mechanisms/pipes.yaml",
        "stance: adopt",
        "stance: adopt\nrelationshps: []",
        "mechanisms/pipes.yaml",
        6,
        "relationshps: unknown key; did you mean 'relationships'?",
    ),
    "duplicate key": (
        "mechanisms/pipes.yaml",
        "ceremony: 1",
        "ceremony: 1\nceremony: 2",
        "mechanisms/pipes.yaml",
        22,
        "duplicate key 'ceremony'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_catalog_gives_file_and_line(case: str, catalog_copy: Path, runner) -> None:
    relative, old, new, expected_file, expected_line, words = BAD_CASES[case]
    _break(catalog_copy, relative, old, new)
    result = runner.invoke(cli, ["catalog", "validate", "--catalog", str(catalog_copy)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    matching = [line for line in lines if words in line]
    assert matching, result.output
    match = LINE.match(matching[0])
    assert match, f"no file:line in {matching[0]!r}"
    assert match["file"].endswith(expected_file)
    if expected_line is not None:
        assert int(match["line"]) == expected_line, matching[0]


def test_non_utf8_file(catalog_copy: Path, runner) -> None:
    (catalog_copy / "checklist.yaml").write_bytes(b"checklist:\n  - id: caf\xe9\n")
    result = runner.invoke(cli, ["catalog", "validate", "--catalog", str(catalog_copy)])
    assert result.exit_code == 2
    assert "checklist.yaml:2: not valid UTF-8" in result.output


def test_file_that_is_a_directory(catalog_copy: Path, runner) -> None:
    (catalog_copy / "situations.yaml").unlink()
    (catalog_copy / "situations.yaml").mkdir()
    result = runner.invoke(cli, ["catalog", "validate", "--catalog", str(catalog_copy)])
    assert result.exit_code == 2
    assert "situations.yaml: is a directory" in result.output


def test_true_duplicate_ids_are_reported(catalog_copy: Path) -> None:
    path = catalog_copy / "situations.yaml"
    path.write_text(
        path.read_text().replace("id: single-host-same-runtime", "id: single-host-isolation")
    )
    with pytest.raises(ValidationProblems) as caught:
        load_catalog(catalog_copy)
    assert any(
        "duplicate situations id 'single-host-isolation'" in p for p in caught.value.problems
    )
    assert all(LINE.match(p) for p in caught.value.problems)


def test_every_problem_is_reported_not_just_the_first(catalog_copy: Path) -> None:
    _break(catalog_copy, "mechanisms/pipes.yaml", "stance: adopt", "stance: maybe")
    _break(catalog_copy, "mechanisms/signals.yaml", "ceremony: 2", "ceremony: 9")
    with pytest.raises(ValidationProblems) as caught:
        load_catalog(catalog_copy)
    assert len(caught.value.problems) == 2


def test_missing_catalog_folder(tmp_path: Path, runner) -> None:
    result = runner.invoke(cli, ["catalog", "validate", "--catalog", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "catalog folder not found" in result.output


def test_list_table_and_json(runner) -> None:
    table = runner.invoke(cli, ["catalog", "list"])
    assert table.exit_code == 0
    assert table.output.splitlines()[0].split() == ["id", "stance", "scope", "typical", "use"]
    rows = json.loads(runner.invoke(cli, ["catalog", "list", "--format", "json"]).output)
    assert [r["stance"] for r in rows] == sorted(
        [r["stance"] for r in rows], key=["adopt", "trial", "assess", "hold"].index
    )
    assert {r["id"]: r["scope"] for r in rows}["channels"] == "in-process"


def test_show_whole_catalog_as_json(runner) -> None:
    data = json.loads(runner.invoke(cli, ["catalog", "show", "--format", "json"]).output)
    for key in (
        "mechanisms",
        "situations",
        "checklist",
        "failure_modes",
        "title",
        "blurb",
        "summary",
        "stances",
    ):
        assert key in data
    assert len(data["failure_modes"]) == 3


def test_show_one_entry(runner) -> None:
    result = runner.invoke(cli, ["catalog", "show", "shared-memory"])
    assert "Needs strict synchronization discipline" in result.output
    assert "Picking shared memory or signals" in result.output  # its failure mode
    data = json.loads(
        runner.invoke(cli, ["catalog", "show", "one-machine", "--format", "json"]).output
    )
    assert data["fact"] == "same_host"
    unknown = runner.invoke(cli, ["catalog", "show", "carrier-pigeon"])
    assert unknown.exit_code == 2 and "no entry 'carrier-pigeon'" in unknown.output


def test_schema_validates_the_shipped_files(runner) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from adrgen import resources
    from adrgen.files.safe_yaml import load_file

    schema = json.loads(runner.invoke(cli, ["catalog", "schema", "--kind", "mechanism"]).output)
    for path in (resources.catalog_dir() / "mechanisms").glob("*.yaml"):
        jsonschema.validate(load_file(path)[0], schema)
    conflicts = json.loads(runner.invoke(cli, ["catalog", "schema", "--kind", "conflicts"]).output)
    jsonschema.validate(load_file(resources.catalog_dir() / "conflicts.yaml")[0], conflicts)
    rules = json.loads(runner.invoke(cli, ["catalog", "schema", "--kind", "rules"]).output)
    jsonschema.validate(load_file(resources.catalog_dir() / "rules.yaml")[0], rules)
    bad = dict(load_file(resources.catalog_dir() / "mechanisms" / "pipes.yaml")[0], stance="maybe")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
