"""`adrgen templates list|export` and the lookup behind them: team folder first, then built-in."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_helpers import adrgen

from adrgen import resources
from adrgen.config import CONFIG_NAME
from adrgen.config.workspace import resolve_workspace
from adrgen.errors import AdrgenError
from adrgen.templating.lookup import find_template, list_templates

BUILT_IN = ["madr", "nygard", "y-statement"]


@pytest.fixture
def built_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Stand-in built-in templates, so these tests do not depend on the shipped wording."""
    folder = tmp_path.resolve() / "built-in"
    (folder / "site").mkdir(parents=True)
    for name in BUILT_IN:
        (folder / f"{name}.md.j2").write_text(f"# built-in {name}\n{{{{ title }}}}\n")
    (folder / "site" / "mechanism.md.j2").write_text("a site page, not a record template\n")
    (folder / "README.md").write_text("not a template\n")
    monkeypatch.setattr(resources, "templates_dir", lambda: folder)
    return folder


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_in: Path) -> Path:
    """A team repository whose config names a template folder holding its own `madr`."""
    root = tmp_path.resolve() / "repo"
    (root / "tpl").mkdir(parents=True)
    (root / CONFIG_NAME).write_text("templates: tpl\ntemplate: payments\n")
    (root / "tpl" / "madr.md.j2").write_text("# the team's madr\n")
    (root / "tpl" / "payments.md.j2").write_text("# the team's own\n")
    monkeypatch.chdir(root)
    return root


def listed(*args: str) -> list[dict]:
    run = adrgen("templates", "list", "--format", "json", *args)
    assert run.exit_code == 0, run.stderr
    return json.loads(run.stdout)


def test_list_orders_by_name_with_the_team_first(team: Path, built_in: Path) -> None:
    rows = [(t["name"], t["source"], t["wins"], t["path"]) for t in listed()]

    assert rows == [
        ("madr", "team", True, str(team / "tpl" / "madr.md.j2")),
        ("madr", "built-in", False, str(built_in / "madr.md.j2")),
        ("nygard", "built-in", True, str(built_in / "nygard.md.j2")),
        ("payments", "team", True, str(team / "tpl" / "payments.md.j2")),
        ("y-statement", "built-in", True, str(built_in / "y-statement.md.j2")),
    ]


def test_list_marks_the_configured_default(team: Path) -> None:
    defaults = [t["name"] for t in listed() if t["default"]]

    assert defaults == ["payments"]


def test_list_table_says_what_is_shadowed(team: Path) -> None:
    run = adrgen("templates", "list")

    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["name", "source", "wins", "path"]
    assert lines[2].split()[:3] == ["madr", "team", "yes"]
    assert "no (shadowed by the team's)" in lines[3]
    assert lines[5].startswith("payments (default)")


def test_list_without_a_team_folder_shows_the_built_ins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_in: Path
) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / CONFIG_NAME).write_text("team: plain\n")
    monkeypatch.chdir(tmp_path / "plain")

    assert [(t["name"], t["source"]) for t in listed()] == [(n, "built-in") for n in BUILT_IN]


def test_find_template_tries_the_team_folder_first(team: Path, built_in: Path) -> None:
    ws = resolve_workspace()

    assert find_template(ws, "madr") == team / "tpl" / "madr.md.j2"
    assert find_template(ws, "nygard") == built_in / "nygard.md.j2"
    assert find_template(ws, "payments") == team / "tpl" / "payments.md.j2"
    assert [t.name for t in list_templates(ws) if t.wins] == [
        "madr",
        "nygard",
        "payments",
        "y-statement",
    ]


def test_unknown_template_lists_the_known_ones(team: Path) -> None:
    with pytest.raises(AdrgenError) as caught:
        find_template(resolve_workspace(), "madr3")

    assert (
        caught.value.message == "template 'madr3' not found; did you mean 'madr'? "
        "(known: madr, nygard, payments, y-statement)"
    )


@pytest.mark.parametrize(
    "name", ["../madr", "tpl/madr", "tpl\\madr", "..", "a..b", "/etc/passwd", ".hidden", ""]
)
def test_template_names_are_not_paths(team: Path, name: str) -> None:
    with pytest.raises(AdrgenError) as caught:
        find_template(resolve_workspace(), name)

    assert "not a path" in caught.value.message
    run = adrgen("templates", "export", name)
    assert run.exit_code == 2
    assert "not a path" in run.stderr
    assert sorted(os.listdir(team / "tpl")) == ["madr.md.j2", "payments.md.j2"]


def test_template_linked_outside_its_folder_is_refused(team: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for records\n")
    (team / "tpl" / "leak.md.j2").symlink_to(secret)

    with pytest.raises(AdrgenError, match="points outside"):
        find_template(resolve_workspace(), "leak")


def test_export_copies_the_built_in_into_the_team_folder(team: Path, built_in: Path) -> None:
    run = adrgen("templates", "export", "nygard")

    assert run.exit_code == 0, run.stderr
    copy = team / "tpl" / "nygard.md.j2"
    assert run.stdout.splitlines()[0] == f"wrote {copy}"
    assert copy.read_bytes() == (built_in / "nygard.md.j2").read_bytes()
    assert find_template(resolve_workspace(), "nygard") == copy


def test_export_refuses_to_overwrite(team: Path) -> None:
    run = adrgen("templates", "export", "madr")

    assert run.exit_code == 2
    target = team / "tpl" / "madr.md.j2"
    assert (
        run.stderr == f"{target}: already exists; nothing was written (edit it, or move it away)\n"
    )
    assert target.read_text() == "# the team's madr\n"


def test_export_to_another_folder(team: Path, built_in: Path) -> None:
    run = adrgen("templates", "export", "y-statement", "--to", "drafts/templates")

    assert run.exit_code == 0, run.stderr
    copy = team / "drafts" / "templates" / "y-statement.md.j2"
    assert copy.read_text() == (built_in / "y-statement.md.j2").read_text()
    assert not (team / "tpl" / "y-statement.md.j2").exists()
    assert "set `templates:` in .adrgen.yaml" in run.stdout


def test_export_of_an_unknown_name_lists_the_built_ins(team: Path) -> None:
    for name in ("madr4", "payments"):  # a team-only template is not built in either
        run = adrgen("templates", "export", name)

        assert run.exit_code == 2
        assert run.stderr == (
            f"template {name!r}: no built-in template by that name (built-in: madr, nygard, y-statement)\n"
        )


def test_export_needs_somewhere_to_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_in: Path
) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / CONFIG_NAME).write_text("team: plain\n")
    monkeypatch.chdir(tmp_path / "plain")

    run = adrgen("templates", "export", "madr")

    assert run.exit_code == 2
    assert run.stderr.startswith("templates export: no team templates folder;")
    assert sorted(os.listdir(tmp_path / "plain")) == [CONFIG_NAME]


def test_init_then_export_puts_the_copy_where_lookup_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, built_in: Path
) -> None:
    (tmp_path / "fresh").mkdir()
    monkeypatch.chdir(tmp_path / "fresh")
    assert adrgen("init", "--team", "fresh").exit_code == 0

    run = adrgen("templates", "export", "madr")

    assert run.exit_code == 0, run.stderr
    assert [(t["name"], t["source"], t["wins"]) for t in listed()][:2] == [
        ("madr", "team", True),
        ("madr", "built-in", False),
    ]


def test_the_shipped_record_templates_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / CONFIG_NAME).write_text("team: plain\n")
    monkeypatch.chdir(tmp_path / "plain")

    rows = [(t["name"], t["source"], t["wins"], t["default"]) for t in listed()]

    # site page templates live in templates/site/ and are not record templates
    assert rows == [
        ("madr", "built-in", True, True),
        ("nygard", "built-in", True, False),
        ("y-statement", "built-in", True, False),
    ]
