"""A team's `.adrgen.yaml` travels with its folder: it cannot lead adrgen outside that folder,
and error messages never print back the content of a file it named by mistake.

`records: ../victim` must not make `new` write elsewhere, `overlay: /etc/shadow` must not
print the password file as "unknown key" lines; the same paths given on the command line are
the user's own choice. Messages quote at most a short, escaped excerpt of what a file holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from adrgen import resources
from adrgen.errors import EXCERPT_LENGTH

from .harness import Team, assert_clear_error, assert_unchanged, snapshot

# a password file in shadow(5)'s format: every line would be a YAML key
SHADOW_LINES = [
    "root:$6$Zq8xN1mT$secret0hashA1b2C3d4E5f6G7h8I9j0:19000:0:99999:7:::",
    "daemon:*:19000:0:99999:7:::",
    "alice:$y$j9T$saltysalt$another0secret0hash0Zz9:19000:0:99999:7:::",
]
SECRETS = ["secret0hash", "another0secret", "saltysalt", "alice", "Zq8xN1mT"]


@pytest.fixture
def shadow(tmp_path: Path) -> Path:
    path = tmp_path / "etc" / "shadow"
    path.parent.mkdir()
    path.write_text("\n".join(SHADOW_LINES) + "\n")
    return path


def _outside(tmp_path: Path) -> Path:
    folder = tmp_path / "victim"
    folder.mkdir(exist_ok=True)
    return folder


def _config_value(form: str, target: Path, team: Team) -> str:
    """`target` as a config names it: absolute, through `..`, or through a symlink inside."""
    if form == "absolute":
        return str(target)
    if form == "dot-dot":
        return f"../{target.relative_to(team.root.parent).as_posix()}"
    link = team.root / "link"
    link.symlink_to(target.parent if target.is_file() else target)
    return f"link/{target.name}" if target.is_file() else "link"


@pytest.mark.parametrize("form", ["absolute", "dot-dot", "symlink"])
@pytest.mark.parametrize("key", ["records", "overlay", "catalog", "templates"])
def test_config_paths_stay_inside_the_team_folder(
    key: str, form: str, team: Team, tmp_path: Path, shadow: Path
) -> None:
    targets = {
        "records": _outside(tmp_path),
        "overlay": shadow,
        "catalog": _outside(tmp_path),
        "templates": _outside(tmp_path),
    }
    value = _config_value(form, targets[key], team)
    team.config.write_text(f"team: hardening\n{key}: {value}\n")
    before = snapshot(tmp_path)
    run = team.new("--date", "2026-02-03")
    message = assert_clear_error(
        run, team.config, says=f"{key}: .* leads outside the team folder", line=2
    )
    assert "--" in message.split("pass ")[-1]  # says which option names it from elsewhere
    assert_unchanged(before, tmp_path)
    for secret in SECRETS:
        assert secret not in run.stderr


def test_records_outside_given_on_the_command_line_are_the_users_choice(
    team: Team, tmp_path: Path
) -> None:
    victim = _outside(tmp_path)
    run = team.new("--dir", victim, "--date", "2026-02-03")
    assert run.code == 0, run
    assert [p.name[:5] for p in victim.iterdir()] == ["0001-"]


def test_a_catalog_and_overlay_outside_given_on_the_command_line_are_used(
    team: Team, tmp_path: Path
) -> None:
    catalog = tmp_path / "org-catalog"
    shutil.copytree(resources.catalog_dir(), catalog)
    overlay = tmp_path / "org-overlay.yaml"
    overlay.write_text("name: org-wide\n")
    run = team.adrgen("catalog", "validate", "--catalog", catalog, "--overlay", overlay)
    assert run.code == 0, run
    assert "overlay" in run.stdout and str(overlay) in run.stdout


def test_a_secret_file_named_as_overlay_is_not_printed_back(team: Team, shadow: Path) -> None:
    run = team.adrgen("recommend", "--answers", team.answers, "--overlay", shadow)
    assert run.code == 2, run
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith(f"{shadow}:1: ")
    for secret in SECRETS:
        assert secret not in run.stderr, run.stderr
    assert "unknown key" in run.stderr  # it still says what is wrong, and where


@pytest.mark.parametrize(
    ("config", "says"),
    [
        ("template: {long}\n", "is not a template name"),
        ("fields:\n  - name: {long}\n    prompt: x\n", "is not a field name"),
        ("team: [{long}]\n", "expected text"),
        ("? {long}\n: 1\n? {long}\n: 2\n", "duplicate key"),
    ],
)
def test_messages_quote_a_short_escaped_excerpt(config: str, says: str, team: Team) -> None:
    long = "\x1b]0;x\x07" + "y" * 5000
    team.config.write_text(config.format(long=f'"{long.encode("unicode_escape").decode()}"'))
    run = team.new()
    line = assert_clear_error(run, team.config, says=says)
    assert "y" * (EXCERPT_LENGTH + 1) not in line and "…" in line
    assert "\x1b" not in line and "\\x1b" in line
