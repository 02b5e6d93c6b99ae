"""Special files where adrgen expects a file: never a hang, never a read without end.

A FIFO waits for ever for a writer, `/dev/zero` never ends. Put in the place of each kind of
file adrgen reads (overlay, answers, team config, catalog file, team template, site template,
stylesheet, record, record attachment, cache entries), each is one line naming the file (or
a skipped record, or a cache miss) and the command ends. Every run is a process of its own
with a timeout: a regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from adrgen import resources

from .harness import Team, adrgen_process, as_run, assert_clear_error

NOT_A_FILE = "not a regular file"
# a link out of the team or template folder is refused before it is opened
REFUSED = f"{NOT_A_FILE}|leads outside the team folder|outside the template folders"
# far above what any of these commands takes, even on a busy machine
HANG = 120


def _run(team: Team, *args: object, env: dict[str, str] | None = None):
    try:
        return as_run(adrgen_process(*args, cwd=team.root, timeout=HANG, env=env or {}))
    except subprocess.TimeoutExpired:
        pytest.fail(f"adrgen {' '.join(map(str, args))} hung on a special file")


def _fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    os.mkfifo(path)
    return path


def _zero(path: Path) -> Path:
    """A symbolic link to /dev/zero, which never ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to("/dev/zero")
    return path


def _overlay(team: Team, make: Callable[[Path], Path]) -> tuple[Path, list[object]]:
    with team.config.open("a") as config:
        config.write("overlay: overlay.yaml\n")
    return make(team.root / "overlay.yaml"), ["new", "--answers", team.answers, "--no-input"]


def _answers(team: Team, make: Callable[[Path], Path]) -> tuple[Path, list[object]]:
    path = make(team.root / "answers-special.yaml")
    return path, ["new", "--answers", path, "--no-input"]


def _config(team: Team, make: Callable[[Path], Path]) -> tuple[Path, list[object]]:
    path = make(team.root / "special.yaml")
    return path, ["list", "--config", path]


def _catalog_file(team: Team, make: Callable[[Path], Path]) -> tuple[Path, list[object]]:
    catalog = team.root / "catalog"
    shutil.copytree(resources.catalog_dir(), catalog)
    path = make(catalog / "rules.yaml")
    return path, ["recommend", "--answers", team.answers, "--catalog", catalog]


def _template(team: Team, make: Callable[[Path], Path]) -> tuple[Path, list[object]]:
    path = make(team.templates / "madr.md.j2")
    return path, ["new", "--answers", team.answers, "--no-input"]


PLACES = {
    "overlay": _overlay,
    "answers": _answers,
    "config": _config,
    "catalog-file": _catalog_file,
    "template": _template,
}


@pytest.mark.parametrize("special", ["fifo", "dev-zero"])
@pytest.mark.parametrize("place", sorted(PLACES))
def test_a_special_file_is_one_line_never_a_hang(place: str, special: str, team: Team) -> None:
    path, args = PLACES[place](team, _fifo if special == "fifo" else _zero)
    run = _run(team, *args)
    assert run.code == 2 and run.stdout == "" and "Traceback" not in run.stderr, run
    [line] = run.stderr.strip().splitlines()
    assert re.search(REFUSED, line), line
    named = [str(path), path.name, ".adrgen.yaml"]  # the file, or the config line naming it
    assert any(name in line for name in named), line


def test_an_overlay_given_as_a_link_to_dev_zero_is_refused(team: Team) -> None:
    link = _zero(team.root / "overlay.yaml")
    run = _run(team, "recommend", "--answers", team.answers, "--overlay", link)
    assert_clear_error(run, link, says=NOT_A_FILE, line=None)


def test_answers_from_dev_zero_is_refused(team: Team) -> None:
    run = _run(team, "recommend", "--answers", "/dev/zero")
    assert_clear_error(run, "/dev/zero", says=NOT_A_FILE, line=None)


@pytest.mark.parametrize("special", ["fifo", "dev-zero"])
def test_a_special_record_is_skipped_and_the_others_listed(special: str, team: Team) -> None:
    (_fifo if special == "fifo" else _zero)(team.records / "0002-special.md")
    listed = _run(team, "list")
    assert listed.code == 0, listed
    assert "0001" in listed.stdout and "0002!" in listed.stdout
    skipped = NOT_A_FILE if special == "fifo" else "is a symbolic link; not followed"
    assert skipped in listed.stderr
    linted = _run(team, "lint")
    assert linted.code == 1 and skipped in linted.stdout, linted


def _site_config(team: Team) -> Path:
    from tests.sitebuild import write_config

    return write_config(team.root, [team.records], site_dir=team.root / "public")


def test_the_site_goes_on_past_a_special_record_and_attachment(team: Team) -> None:
    _fifo(team.records / "0002-special.md")
    _fifo(team.records / "diagram.png")
    [first] = team.records.glob("0001-*.md")
    with first.open("a") as record:
        record.write("\n![the diagram](diagram.png) and [raw](zero.txt)\n")
    _zero(team.records / "zero.txt")
    run = _run(team, "site", "build", "--config", _site_config(team))
    assert run.code == 0, run
    page = team.root / "public" / "decisions" / "decisions" / first.stem / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "diagram.png: not a file, not published" in html.replace("links to ", "")
    assert not (team.root / "public" / "decisions" / "decisions" / "diagram.png").exists()


@pytest.mark.parametrize("name", ["record.md.j2", "adrgen.css"])
def test_a_special_site_template_or_stylesheet_is_one_line(name: str, team: Team) -> None:
    path = _fifo(team.templates / "site" / name)
    run = _run(team, "site", "build", "--mkdocs-file", _site_config(team))
    assert run.code == 2 and "Traceback" not in run.stderr, run
    [line] = [line for line in run.stderr.splitlines() if not line.startswith("INFO")]
    assert str(path) in line and NOT_A_FILE in line, line


def test_special_files_in_the_cache_are_misses(team: Team, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {"ADRGEN_CACHE_DIR": str(cache)}
    new = ["new", "--answers", team.answers, "--no-input", "--dry-run", "--date", "2026-01-02"]
    # the record, catalog and compiled-template caches, filled
    first = [_run(team, "lint", env=env), _run(team, *new, env=env)]
    assert [run.code for run in first] == [0, 0], first
    entries = [p for p in cache.rglob("*") if p.is_file()]
    kinds = {p.relative_to(cache).parts[0].split("-")[0] for p in entries}
    assert kinds == {"templates", "records", "catalog"}, entries
    for entry in entries:
        _fifo(entry)
    again = [_run(team, "lint", env=env), _run(team, *new, env=env)]
    assert [(r.code, r.stdout) for r in again] == [(r.code, r.stdout) for r in first], again
