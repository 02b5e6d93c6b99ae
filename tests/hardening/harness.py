"""What the hardening tests share: running adrgen, and checking the "clear error" promise.

A clear error is one line on stderr naming the file (and line, where there is one) and the
problem, exit status 2, no traceback, and nothing written: every file and folder under the
test's folder has the same bytes, mode or link target as before (`snapshot`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from factsets import CLI_TO_DAEMON

from adrgen.cli import cli
from adrgen.files.safe_yaml import dump

ANY_LINE = "any line"
CONFIG = ".adrgen.yaml"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def adrgen(*args: object, cwd: Path, input: str | None = None) -> Run:
    """`adrgen ARGS` in this process (click's CliRunner), from `cwd`."""
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(cli, [str(a) for a in args], input=input)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # an exception click did not turn into an exit: show it as the user would see it
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return Run(result.exit_code, result.stdout, stderr)


def adrgen_process(
    *args: object, cwd: Path, timeout: float = 60, **popen: object
) -> subprocess.CompletedProcess:
    """`python -m adrgen ARGS` in a process of its own (for signals, pipes, limits)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **popen.pop("env", {})}
    return subprocess.run(
        [sys.executable, "-m", "adrgen", *[str(a) for a in args]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **popen,
    )


def as_run(done: subprocess.CompletedProcess) -> Run:
    return Run(done.returncode, done.stdout, done.stderr)


# --- the clear-error promise ---------------------------------------------------------------


def assert_clear_error(run: Run, file: Path | str, says: str, line: int | str | None = ANY_LINE):
    """Exit 2, no traceback, nothing on stdout, one stderr line `file[:line]: ...says...`.

    `line` is the line number the message must give, None when it must give none, or
    ANY_LINE when either is right.
    """
    assert run.code == 2, run
    assert "Traceback" not in run.stdout + run.stderr, run
    assert run.stdout == "", run
    lines = run.stderr.strip("\n").split("\n")
    assert len(lines) == 1, run
    if line == ANY_LINE:
        where = r"(:\d+)?"
    elif line is None:
        where = ""
    else:
        where = f":{line}"
    pattern = f"^{re.escape(str(file))}{where}: .*{says}"
    assert re.search(pattern, lines[0]), f"{lines[0]!r} does not match {pattern!r}"
    return lines[0]


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under `root`: files by bytes and mode, links by target, folders by mode."""
    state: dict[str, tuple] = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder) / name
            info = path.lstat()
            key = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                state[key] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                state[key] = ("folder", stat.S_IMODE(info.st_mode))
            else:
                state[key] = ("file", path.read_bytes(), stat.S_IMODE(info.st_mode))
    return state


def assert_unchanged(before: dict[str, tuple], root: Path) -> None:
    after = snapshot(root)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    assert not (added or removed or changed), f"added {added}, removed {removed}, changed {changed}"


def record_names(folder: Path) -> list[str]:
    """Every name in a folder, hidden ones too: temporary files must not be left behind."""
    return sorted(os.listdir(folder)) if folder.is_dir() else []


# --- a team to break things in --------------------------------------------------------------


@dataclass
class Team:
    """A team folder: `.adrgen.yaml` (records in decisions/, templates in tpl/), an answers
    file, and one record already written, so that "nothing changed" has something to keep."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / CONFIG

    @property
    def records(self) -> Path:
        return self.root / "decisions"

    @property
    def templates(self) -> Path:
        return self.root / "tpl"

    @property
    def answers(self) -> Path:
        return self.root / "answers.yaml"

    def write_answers(self, name: str = "answers.yaml", **changes: object) -> Path:
        data = {"title": "CLI talks to the build daemon", "facts": CLI_TO_DAEMON, **changes}
        path = self.root / name
        path.write_text(dump(data), encoding="utf-8")
        return path

    def adrgen(self, *args: object, input: str | None = None) -> Run:
        return adrgen(*args, cwd=self.root, input=input)

    def new(self, *args: object, answers: Path | None = None) -> Run:
        return self.adrgen("new", "--answers", answers or self.answers, "--no-input", *args)


def make_team(root: Path) -> Team:
    root.mkdir(parents=True, exist_ok=True)
    team = Team(root)
    team.config.write_text("team: hardening\nrecords: decisions\ntemplates: tpl\n")
    team.templates.mkdir()
    team.write_answers()
    first = team.new("--date", "2026-01-02")
    assert first.code == 0, first
    return team
