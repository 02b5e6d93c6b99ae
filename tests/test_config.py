"""Team configuration: finding `.adrgen.yaml`, `--config`, and file:line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from adrgen.cli import cli
from adrgen.config import CONFIG_NAME
from adrgen.config.team import TeamConfig, load_config
from adrgen.config.workspace import find_config, resolve_workspace
from adrgen.errors import AdrgenError, ValidationProblems

HOLD_SHARED_MEMORY = """\
name: hold-shm
mechanisms:
  shared-memory: {stance: hold, stance_note: Audited boundaries only.}
"""


def adrgen(*args: str) -> Result:
    """Run the CLI in-process; anything but a clean exit or a user error fails the test."""
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def stance_of(mechanism_id: str, *args: str) -> str:
    run = adrgen("catalog", "list", "--format", "json", *args)
    assert run.exit_code == 0, run.stderr
    return {m["id"]: m["stance"] for m in json.loads(run.stdout)}[mechanism_id]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A team repository whose config puts shared memory on hold, with a nested work folder."""
    root = tmp_path.resolve()
    (root / "team").mkdir()
    (root / "team" / "overlay.yaml").write_text(HOLD_SHARED_MEMORY)
    (root / CONFIG_NAME).write_text(
        "team: payments\nrecords: team/adr\ntemplates: team/templates\noverlay: team/overlay.yaml\n"
    )
    (root / "services" / "ledger").mkdir(parents=True)
    return root


def test_config_is_found_from_a_subfolder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "services" / "ledger")

    ws = resolve_workspace()

    assert ws.config_path == repo / CONFIG_NAME
    assert ws.config.team == "payments"
    # relative paths in the config are relative to the config's folder, not the working one
    assert ws.records_dir == repo / "team" / "adr"
    assert ws.templates_dir == repo / "team" / "templates"
    assert ws.overlay_path == repo / "team" / "overlay.yaml"
    assert stance_of("shared-memory") == "hold"


def test_nearest_config_wins(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "services" / CONFIG_NAME).write_text("team: services\n")
    monkeypatch.chdir(repo / "services" / "ledger")

    assert find_config() == repo / "services" / CONFIG_NAME
    assert stance_of("shared-memory") == "trial"


def test_no_config_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    if find_config() is not None:  # a config above the temporary folder would change the answer
        pytest.skip(f"{find_config()} is above the temporary folder")

    ws = resolve_workspace()

    assert ws.config_path is None
    assert ws.records_dir == tmp_path / "docs" / "decisions"
    assert (ws.template, ws.templates_dir, ws.overlay_path) == ("madr", None, None)


def test_config_option_overrides_discovery(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = repo / "elsewhere.yaml"
    other.write_text("team: platform\n")
    monkeypatch.chdir(repo / "services" / "ledger")

    assert stance_of("shared-memory") == "hold"
    assert stance_of("shared-memory", "--config", str(other)) == "trial"
    assert resolve_workspace(config=other).config.team == "platform"


def test_missing_config_option_file_is_a_user_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    run = adrgen("catalog", "list", "--config", "nope.yaml")

    assert run.exit_code == 2
    assert run.stderr == "nope.yaml: no such config file\n"


def test_command_line_options_win_over_the_config(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)

    ws = resolve_workspace(records_dir=Path("mine"), template="nygard")

    assert (ws.records_dir, ws.template) == (Path("mine"), "nygard")


def test_empty_config_means_defaults(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_NAME
    path.write_text("# nothing set yet\n")

    assert load_config(path) == TeamConfig()


BAD_CONFIGS = {
    "unknown key": ("team: payments\nrecord: docs/adr\n", ["2: record: unknown key"]),
    "wrong type": ("team: [a, b]\n", ["1: team: expected text, got list ['a', 'b']"]),
    "template that is a path": (
        "template: ../../etc/passwd\n",
        [
            "1: template: '../../etc/passwd' is not a template name "
            "(a file name without .md.j2: letters, digits, '.', '_', '-')"
        ],
    ),
    "template name with two dots": (
        "template: madr..v2\n",
        [
            "1: template: 'madr..v2' is not a template name "
            "(a file name without .md.j2: letters, digits, '.', '_', '-')"
        ],
    ),
    "empty records folder": (
        'records: ""\n',
        ["1: records: string should have at least 1 character"],
    ),
    "bad field type": (
        "fields:\n  - name: cost_centre\n    prompt: Which?\n    type: date\n",
        ["4: fields.0.type: 'date' is not one of text, bool, int, choice"],
    ),
    "bad field name": (
        "fields:\n  - name: Cost-Centre\n    prompt: Which?\n",
        [
            "2: fields.0.name: 'Cost-Centre' is not a field name "
            "(lower-case letters, digits and '_', starting with a letter)"
        ],
    ),
    "field without a prompt": (
        "fields:\n  - name: cost_centre\n",
        ["2: fields.0.prompt: required key is missing"],
    ),
    "choice field without choices": (
        "fields:\n  - name: tier\n    prompt: Which tier?\n    type: choice\n",
        ["2: fields.0.choices: a choice field needs at least one choice"],
    ),
    "default that is not a choice": (
        "fields:\n  - name: tier\n    prompt: Which?\n    type: choice\n    choices: [a, b]\n    default: c\n",
        ["6: fields.0.default: 'c' is not one of the choices"],
    ),
    "field defined twice": (
        "fields:\n  - {name: tier, prompt: a}\n  - {name: tier, prompt: b}\n",
        ["3: fields.1.name: 'tier' is defined twice"],
    ),
    "not a mapping": ("- team\n", ["1: expected a mapping, got list"]),
    "invalid YAML": ("team: [payments\n", None),
}


@pytest.mark.parametrize("case", list(BAD_CONFIGS))
def test_bad_config_gives_file_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    text, expected = BAD_CONFIGS[case]
    (tmp_path / CONFIG_NAME).write_text(text)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    path = tmp_path.resolve() / CONFIG_NAME

    run = adrgen("catalog", "list")

    assert run.exit_code == 2
    assert run.stdout == ""
    if expected is None:
        assert run.stderr.startswith(f"{path}:2: invalid YAML")
        assert len(run.stderr.splitlines()) == 1
    else:
        assert run.stderr.splitlines() == [f"{path}:{line}" for line in expected]


def test_load_config_raises_one_problem_a_line(tmp_path: Path) -> None:
    path = tmp_path / CONFIG_NAME
    path.write_text("team: payments\nrecord: x\ncolour: blue\n")

    with pytest.raises(ValidationProblems) as caught:
        load_config(path)

    assert caught.value.problems == [
        f"{path}:2: record: unknown key",
        f"{path}:3: colour: unknown key",
    ]
    assert isinstance(caught.value, AdrgenError)
