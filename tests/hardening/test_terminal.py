"""Terminals and pipes: cases 17 and 18 of the hardening issue.

The interview runs in a real pseudo-terminal (pexpect): Ctrl-C at any prompt exits 130,
Ctrl-D ends the input (exit 2), a wrong answer is asked again, and none of it writes a file.
Without a terminal, `adrgen new` says how to run without one. When the reader of a pipe goes
away, adrgen stops quietly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from cli_helpers import (
    CTRL_C,
    CTRL_D,
    DAEMON_DECISION,
    DAEMON_FACTS,
    DAEMON_FINAL,
    DAEMON_OPENING,
    ENTER,
    UP,
    converse,
    finish,
    spawn_in_terminal,
)

from tests.sitebuild import generated_records

from .harness import Team, adrgen_process, assert_unchanged, snapshot

KEYS = {"ctrl-c": CTRL_C, "ctrl-d": CTRL_D}
INTERRUPTED = (130, "interrupted: nothing was written")
INPUT_ENDED = (2, "input ended: nothing was written")

OPENING, FACTS, DECISION, FINAL = DAEMON_OPENING, DAEMON_FACTS, DAEMON_DECISION, DAEMON_FINAL

# where to stop, by the kind of prompt: the dialog before it, and what the prompt shows
PROMPTS = {
    "text": ([], "Title of the decision:"),
    "confirm": (OPENING, "1. Are both peers guaranteed"),
    "select": (OPENING + FACTS[:1], "How are the peers related?"),
    "last-confirm": (OPENING + FACTS + DECISION, FINAL),
}


def spawn(team: Team, *args: str):
    return spawn_in_terminal(["-m", "adrgen", "new", *args], team.root)


def not_shown(child, text: str, seconds: float = 0.6) -> bool:
    """True when `text` does not appear within `seconds`: the prompt did not move on."""
    try:
        child.expect_exact(text, timeout=seconds)
    except pexpect.TIMEOUT:
        return True
    return False


# --- 17. no terminal, Ctrl-C, Ctrl-D, wrong answers --------------------------------------------


@pytest.mark.parametrize("with_answers", [False, True], ids=["no-answers", "answers-file"])
@pytest.mark.parametrize("stdin", ["devnull", "pipe"])
def test_17_no_terminal_without_no_input_is_a_clear_message(
    stdin: str, with_answers: bool, team: Team
) -> None:
    before = snapshot(team.root)
    args = ["new", *(["--answers", team.answers] if with_answers else [])]
    if stdin == "devnull":
        done = adrgen_process(*args, cwd=team.root, stdin=subprocess.DEVNULL)
    else:
        done = adrgen_process(*args, cwd=team.root, input="y\ny\ny\n")
    assert done.returncode == 2, done
    assert done.stdout == "" and "Traceback" not in done.stderr
    [line] = done.stderr.strip().split("\n")
    assert line.startswith(
        "no terminal to ask questions on: run `adrgen new --answers FILE --no-input`"
    )
    assert_unchanged(before, team.root)


@pytest.mark.parametrize("key", sorted(KEYS))
@pytest.mark.parametrize("prompt", sorted(PROMPTS))
def test_17_ctrl_c_and_ctrl_d_at_each_kind_of_prompt(prompt: str, key: str, team: Team) -> None:
    dialog, shown = PROMPTS[prompt]
    before = snapshot(team.root)
    child = spawn(team)
    converse(child, dialog)
    child.expect_exact(shown)
    child.send(KEYS[key])
    printed = finish(child)
    code, message = INTERRUPTED if key == "ctrl-c" else INPUT_ENDED
    assert child.exitstatus == code, printed
    assert message in printed and "Traceback" not in printed
    assert_unchanged(before, team.root)


def test_17_invalid_answers_typed_at_a_prompt_are_asked_again(team: Team) -> None:
    team.config.write_text(
        "records: decisions\ntemplates: tpl\nfields:\n"
        "  - {name: cost, prompt: 'Cost in days?', type: int}\n"
        "  - {name: tier, prompt: 'Service tier?', type: choice, choices: [gold, silver]}\n"
    )
    before = snapshot(team.root)
    child = spawn(team)
    # text: an empty title is refused, and the same prompt stays open
    child.expect_exact("Title of the decision:")
    child.send(ENTER)
    child.expect_exact("a title is required")
    child.send(OPENING[0][1])  # into the same prompt, still open
    converse(child, OPENING[1:])
    # confirm: Enter alone and other letters do not answer a question that has no default
    child.expect_exact(FACTS[0][0])
    child.send(ENTER + "x" + "7" + ENTER)
    assert not_shown(child, FACTS[1][0])
    child.send("y")
    # select: letters and digits are not choices; the cursor stays on the list
    child.expect_exact(FACTS[1][0])
    child.send("z9q")
    assert not_shown(child, FACTS[2][0], 0.3)
    child.send(FACTS[1][1])
    converse(child, FACTS[2:])
    # a whole number field: words are refused with the reason
    child.expect_exact("Cost in days?")
    child.send("three" + ENTER)
    child.expect_exact("'three' is not a whole number")
    child.send("\b" * 5 + "3" + ENTER)
    child.expect_exact("Service tier?")
    child.send("bronze" + ENTER)  # not a choice: the list keeps its own
    converse(child, DECISION)
    # answering no at the very end, then changing nothing, writes nothing either
    child.expect_exact(FINAL)
    summary = child.before
    assert "gold" in summary and "bronze" not in summary  # the list kept its own choices
    child.send("n")
    child.expect_exact("Change which answer?")
    child.send(UP + ENTER)  # from the first choice round to the last: write nothing
    printed = finish(child)
    assert child.exitstatus == 2, printed
    assert "cancelled: nothing was written" in printed and "Traceback" not in printed
    assert_unchanged(before, team.root)


# --- 18. a reader that goes away ------------------------------------------------------------


@pytest.fixture(scope="module")
def many_records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough records that `adrgen list` prints more than a pipe holds (64 KiB)."""
    folder = tmp_path_factory.mktemp("pipes") / "decisions"
    generated_records(folder, 1500)
    return folder


@pytest.mark.parametrize(
    ("command", "reader"),
    [
        ("list --dir {folder}", "head -1"),
        ("list --dir {folder} --format json", "head -c 10"),
        ("catalog show --format json", "head -c 10"),
        ("catalog show --format json", "true"),  # gone before a byte is written
        ("catalog show", "head -1"),
        ("lint --dir {folder}", "head -2"),
        ("new --answers {answers} --no-input --dry-run", "head -3"),
    ],
)
def test_18_broken_pipe_is_quiet(
    command: str, reader: str, many_records: Path, team: Team, tmp_path: Path
) -> None:
    status = tmp_path / "status"
    adrgen = f"{sys.executable} -m adrgen " + command.format(
        folder=many_records, answers=team.answers
    )
    shell = f"({adrgen}; echo $? > {status}) | {reader}"
    done = subprocess.run(
        ["sh", "-c", shell],
        cwd=team.root,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.stderr == "", done.stderr  # no traceback, no "Exception ignored", nothing
    code = int(status.read_text())
    # 0, or 1 where the command stopped at the closed pipe (lint: 1 means problems found);
    # never Python's 120 for a failed flush at exit, nor a crash
    assert code in (0, 1), code
    if reader.startswith("head -1"):
        assert len(done.stdout.splitlines()) == 1
    if reader == "head -c 10":
        assert len(done.stdout) == 10
