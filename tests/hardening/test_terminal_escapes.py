"""Terminal escape injection: text from files never reaches a terminal as control sequences.

A record's file name and title, and what lint reports about it, carry an OSC title change
(`ESC]0;...BEL`), a clipboard write (`ESC]52;c;...`), an OSC 8 hyperlink, a screen clear
(`ESC[2J`), C1 controls and a right-to-left override (U+202E). `list` and `lint` print them
as escapes, through a real pseudo-terminal and through a pipe alike, in tables, errors and
JSON; JSON still reads back as the very characters the file holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from adrgen.terminal import shown

TITLE_CHANGE = "\x1b]0;owned\x07"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
HYPERLINK = "\x1b]8;;https:\x1b\\click\x1b]8;;\x1b\\"
CLEAR = "\x1b[2J\x1b[H"
C1_CSI = "\x9b31m"
RIGHT_TO_LEFT = "\u202etxt.exe"
HOSTILE = TITLE_CHANGE + CLIPBOARD + HYPERLINK + CLEAR + C1_CSI + RIGHT_TO_LEFT
# what may never reach the terminal: ESC, BEL, the C1 CSI (as UTF-8) and the bidi override
RAW = [b"\x1b", b"\x07", "\x9b".encode(), "\u202e".encode()]
# a file name cannot hold `/`: the hyperlink's address has none
FILE_NAME = f"0001-{TITLE_CHANGE}{HYPERLINK}{RIGHT_TO_LEFT}.md"
SUPERSEDED = f"0002-plain{CLEAR}.md"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    records = tmp_path / "decisions"
    records.mkdir()
    title = json.dumps(f"Title {HOSTILE}")  # JSON is YAML: the file holds the raw characters
    (records / FILE_NAME).write_text(
        f"---\ntitle: {title}\nstatus: accepted\nsupersedes: [{json.dumps(CLEAR)}]\n---\n\n# x\n",
        encoding="utf-8",
    )
    (records / SUPERSEDED).write_text("---\ntitle: Plain\nstatus: [\n---\n", encoding="utf-8")
    return records


def _through_a_terminal(args: list[str], cwd: Path) -> bytes:
    child = pexpect.spawn(
        sys.executable, ["-m", "adrgen", *args], cwd=str(cwd), env=dict(os.environ), timeout=120
    )
    child.expect(pexpect.EOF)
    child.close()
    return child.before


def _through_a_pipe(args: list[str], cwd: Path) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "adrgen", *args], cwd=cwd, capture_output=True, timeout=120
    )
    return done.stdout + done.stderr


COMMANDS = {
    "list": ["list", "--dir", "decisions"],
    "list-json": ["list", "--dir", "decisions", "--format", "json"],
    "lint": ["lint", "--dir", "decisions"],
    "lint-json": ["lint", "--dir", "decisions", "--format", "json"],
    "error": ["list", "--config", f"{HOSTILE}.yaml"],
}


@pytest.mark.parametrize("way", ["terminal", "pipe"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_escape_sequences_from_files_never_reach_the_terminal(
    command: str, way: str, folder: Path
) -> None:
    run = _through_a_terminal if way == "terminal" else _through_a_pipe
    output = run(COMMANDS[command], folder.parent)
    for raw in RAW:
        assert raw not in output, (raw, output)
    text = output.decode("utf-8")
    if command == "error":
        [line] = text.strip().splitlines()
        assert line.endswith(": no such config file")
        assert shown(HOSTILE) in line
    elif command.endswith("json"):
        assert "\\u001b[2J" in text
        if way == "pipe" and command == "list-json":
            listed = subprocess.run(
                [sys.executable, "-m", "adrgen", *COMMANDS[command]],
                cwd=folder.parent,
                capture_output=True,
                timeout=120,
            )
            data = json.loads(listed.stdout)
            assert [r["file"] for r in data] == [FILE_NAME, SUPERSEDED]  # the same characters
            assert data[0]["title"] == f"Title {HOSTILE}"
    else:
        assert "\\x1b]0;owned\\x07" in text and "\\u202etxt.exe" in text


def test_the_table_keeps_one_row_a_record_whatever_the_title(tmp_path: Path) -> None:
    records = tmp_path / "decisions"
    records.mkdir()
    (records / "0001-one\nrow\rstill.md").write_text("no title here\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "adrgen", "list", "--dir", "decisions"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    rows = done.stdout.splitlines()
    assert len(rows) == 3, done.stdout  # the header, its rule, one record
    assert "one\\nrow\\rstill" in rows[2] and "\r" not in done.stdout
    for warning in done.stderr.splitlines():  # one line a problem, the name shown escaped
        assert warning.startswith("warning: ") and "one\\nrow\\rstill" in warning


@pytest.mark.parametrize(
    ("text", "one_line", "expected"),
    [
        ("a\x1b[31mb", False, "a\\x1b[31mb"),
        ("tab\tand\nbreak", False, "tab\tand\nbreak"),
        ("tab\tand\nbreak", True, "tab\\tand\\nbreak"),
        ("\u2066isolate\u2069 \u200f", False, "\\u2066isolate\\u2069 \\u200f"),
        ("undecodable \udcff byte", False, "undecodable \\udcff byte"),
        ("café, 日本, 👍", True, "café, 日本, 👍"),
    ],
)
def test_shown_escapes_controls_and_bidi_only(text: str, one_line: bool, expected: str) -> None:
    assert shown(text, one_line=one_line) == expected
