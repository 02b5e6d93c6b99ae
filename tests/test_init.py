"""`adrgen init`: a commented `.adrgen.yaml` that loads, and never clobbers one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import adrgen

from adrgen.config import CONFIG_NAME
from adrgen.config.init_team import DEFAULT_TEAM_TEMPLATES
from adrgen.config.team import TeamConfig, load_config
from adrgen.config.workspace import resolve_workspace

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_writes_a_config_that_loads(here: Path) -> None:
    run = adrgen("init", "--team", "payments", "--records", "docs/adr")

    assert run.exit_code == 0, run.stderr
    path = here / CONFIG_NAME
    assert run.stdout.splitlines()[0] == f"wrote {path}"
    config = load_config(path)
    assert (config.team, config.records, config.template) == ("payments", "docs/adr", "madr")
    assert config.templates == DEFAULT_TEAM_TEMPLATES
    assert (config.catalog, config.overlay, config.fields) == (None, None, [])
    ws = resolve_workspace()
    assert ws.records_dir == here / "docs" / "adr"


def test_defaults_without_options(here: Path) -> None:
    assert adrgen("init").exit_code == 0

    config = load_config(here / CONFIG_NAME)

    assert config.team is None
    assert config.records == "docs/decisions"


def test_every_setting_is_explained(here: Path) -> None:
    adrgen("init")
    text = (here / CONFIG_NAME).read_text()

    explained = set(re.findall(r"^# ([a-z_]+): ", text, flags=re.MULTILINE))

    assert set(TeamConfig.model_fields) <= explained


def test_commented_example_field_loads_when_uncommented(here: Path) -> None:
    adrgen("init", "--team", "payments")
    path = here / CONFIG_NAME
    text = path.read_text()
    example = text[text.index("# fields:\n") :]
    uncommented = "\n".join(line.removeprefix("# ") for line in example.splitlines())
    path.write_text(text.replace("fields: []\n" + example, uncommented + "\n"))

    (extra,) = load_config(path).fields

    assert (extra.name, extra.type, extra.required) == ("cost_centre", "choice", True)
    assert extra.choices == ["platform", "payments", "shared"]


@pytest.mark.parametrize("team", ["payments: core", "yes", "123", "# not a comment", "'quoted'"])
def test_team_names_that_need_quoting_survive(here: Path, team: str) -> None:
    assert adrgen("init", "--team", team).exit_code == 0

    assert load_config(here / CONFIG_NAME).team == team


def test_init_refuses_to_overwrite(here: Path) -> None:
    path = here / CONFIG_NAME
    path.write_text("team: ours\n")

    run = adrgen("init", "--team", "theirs")

    assert run.exit_code == 2
    assert (
        run.stderr == f"{path}: already exists; nothing was written (use --force to replace it)\n"
    )
    assert path.read_text() == "team: ours\n"
    assert sorted(os.listdir(here)) == [CONFIG_NAME]  # no temporary file left behind


def test_force_replaces(here: Path) -> None:
    (here / CONFIG_NAME).write_text("team: ours\n")

    run = adrgen("init", "--team", "theirs", "--force")

    assert run.exit_code == 0, run.stderr
    assert load_config(here / CONFIG_NAME).team == "theirs"
    assert sorted(os.listdir(here)) == [CONFIG_NAME, "docs", "mkdocs.yml"]


def test_empty_team_name_is_refused(here: Path) -> None:
    run = adrgen("init", "--team", "  ")

    assert run.exit_code == 2
    assert run.stderr == "--team: the team's name cannot be empty\n"
    assert not (here / CONFIG_NAME).exists()


def test_init_notes_the_config_it_shadows(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (here / CONFIG_NAME).write_text("team: org\n")
    (here / "team").mkdir()
    monkeypatch.chdir(here / "team")

    run = adrgen("init")

    assert run.exit_code == 0, run.stderr
    assert (
        run.stdout.splitlines()[1]
        == f"note: commands run here now use it instead of {here.resolve() / CONFIG_NAME}"
    )


def test_python_dash_m_init(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "adrgen", "init", "--team", "payments"]

    first = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    second = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )

    assert first.returncode == 0, first.stderr
    assert load_config(tmp_path / CONFIG_NAME).team == "payments"
    assert second.returncode == 2
    assert second.stderr.strip().endswith(
        "already exists; nothing was written (use --force to replace it)"
    )
    assert "Traceback" not in second.stderr
    assert len(second.stderr.splitlines()) == 1
