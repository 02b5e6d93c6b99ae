from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import click
import pytest

from adrgen.cli import cli, main

REPO = Path(__file__).resolve().parent.parent


def _walk(command: click.Command, path: list[str]):
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from _walk(sub, [*path, name])


def test_every_command_has_help_with_an_example(runner) -> None:
    seen = 0
    for path, command in _walk(cli, []):
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert (command.help or "").strip(), f"adrgen {' '.join(path)} has no help text"
        if path and not isinstance(command, click.Group):
            assert "Example" in result.output, f"adrgen {' '.join(path)} --help has no example"
        seen += 1
    assert seen >= 6


def test_unknown_command_is_a_usage_error(runner) -> None:
    result = runner.invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command" in result.output


def test_python_dash_m_and_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "adrgen", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "adrgen" in out.stdout


# runs `adrgen ARGS...` in a fresh interpreter, then names the modules it loaded among
# argv[1] (comma-separated: packages, or modules by their full name)
_LOADED = (
    "import sys\n"
    "from adrgen.cli import main\n"
    "try:\n"
    "    main(sys.argv[2:])\n"
    "except SystemExit:\n"
    "    pass\n"
    "wanted = set(sys.argv[1].split(','))\n"
    "loaded = sorted(m for m in sys.modules if m in wanted or m.split('.')[0] in wanted)\n"
    "print('LOADED', loaded, file=sys.stderr)\n"
)


def _loaded(wanted: str, args: list[str], env: dict[str, str] | None = None) -> str:
    out = subprocess.run(
        [sys.executable, "-c", _LOADED, wanted, *args], capture_output=True, text=True, env=env
    )
    return out.stderr


def test_commands_do_not_import_questionary_or_mkdocs(tmp_path) -> None:
    answers = REPO / "examples" / "answers" / "cli-build-daemon.yaml"
    records = tmp_path / "decisions"
    commands = [
        ["--help"],
        ["catalog", "validate"],
        ["catalog", "list"],
        ["recommend", "--answers", str(answers)],
        ["new", "--answers", str(answers), "--no-input", "--dir", str(records)],
        ["list", "--dir", str(records)],
        ["lint", "--dir", str(records)],
    ]
    for args in commands:
        stderr = _loaded("questionary,mkdocs,material", args)
        assert "LOADED []" in stderr, (args, stderr)
    assert len(list(records.glob("0001-*.md"))) == 1  # the commands really ran


def test_main_called_with_arguments_leaves_the_garbage_collector_alone() -> None:
    """Only the program itself (main() without arguments) skips the final collections."""
    frozen = gc.get_freeze_count()
    with pytest.raises(SystemExit):
        main(["--version"])
    assert gc.get_freeze_count() == frozen


# --- one vocabulary for formats, and near misses named --------------------------------------


def _format_choices(command: click.Command) -> list[str] | None:
    option = next((p for p in command.params if p.name == "output_format"), None)
    return None if option is None else list(option.type.choices)


def test_every_format_option_takes_text_and_json_and_table_only_for_tables(runner) -> None:
    tables = {("list",), ("catalog", "list"), ("templates", "list")}
    seen = set()
    for path, command in _walk(cli, []):
        choices = _format_choices(command)
        if choices is None:
            continue
        seen.add(tuple(path))
        expected = {"table", "text", "json"} if tuple(path) in tables else {"text", "json"}
        # a format only one command has comes after the shared words (lint's github annotations)
        assert set(choices[: len(expected)]) == expected, path
        assert set(choices[len(expected) :]) <= {"github"}, path
    assert tables <= seen and ("recommend",) in seen and ("catalog", "show") in seen


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["status", "1", "accpted"], "'accpted' is not one of"),
        (["status", "1", "accpted"], "did you mean 'accepted'?"),
        (["new", "--status", "acceptd", "--no-input"], "did you mean 'accepted'?"),
        (["list", "--format", "jsn"], "did you mean 'json'?"),
        (["catalog", "schema", "--kind", "mechanisms"], "did you mean 'mechanism'?"),
        (["link", "1", "2", "--kind", "amend"], "did you mean 'amends'?"),
    ],
)
def test_a_misspelt_choice_is_named(runner, args, words) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert words in result.output


def test_a_misspelt_mechanism_id_is_named(runner) -> None:
    result = runner.invoke(cli, ["catalog", "show", "unix-socket"])
    assert result.exit_code == 2
    assert "catalog: no entry 'unix-socket'; did you mean 'unix-sockets'?" in result.output


def test_a_misspelt_template_is_named(runner, tmp_path) -> None:
    answers = REPO / "examples" / "answers" / "cli-build-daemon.yaml"
    result = runner.invoke(
        cli,
        [
            "new",
            "--answers",
            str(answers),
            "--no-input",
            "--dir",
            str(tmp_path),
            "--template",
            "madrr",
        ],
    )
    assert result.exit_code == 2
    assert "template 'madrr' not found; did you mean 'madr'?" in result.output
