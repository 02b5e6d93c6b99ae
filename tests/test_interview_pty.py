"""The interview in a real pseudo-terminal: raw keys, rendering, Ctrl-C and exit statuses.

The fast tests in test_interview.py feed prompt_toolkit a pipe; these run the prompts the way
a person meets them, once through a small driver script and once through `adrgen new`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_helpers import (
    CTRL_C,
    CTRL_D,
    DAEMON_DIALOG,
    DOWN,
    ENTER,
    converse,
    finish,
    spawn_in_terminal,
)
from factsets import DAEMON_ASKED

DRIVER = Path(__file__).with_name("interview_driver.py")


def spawn(args: list[str], cwd: Path):
    return spawn_in_terminal(args, cwd, timeout=15)


# --- the interview itself, through the driver script --------------------------------------


def test_a_full_interview_in_a_terminal(tmp_path):
    out = tmp_path / "answers.json"
    child = spawn([str(DRIVER), str(out)], tmp_path)
    child.expect_exact("Title of the decision:")
    child.send(ENTER)  # an empty title is refused with the prompt's message
    child.expect_exact("a title is required")
    child.send(DAEMON_DIALOG[0][1])  # the same prompt, still open
    converse(child, DAEMON_DIALOG[1:13])
    child.expect_exact("Recommendation: Unix domain sockets (unix-sockets)")
    child.expect_exact("[checklist:one-machine, guidance:same-machine-stance]")
    converse(child, DAEMON_DIALOG[13:])
    printed = finish(child)

    assert child.exitstatus == 0, printed
    answers = json.loads(printed.split("--- answers ---")[1].split("--- end ---")[0])
    assert answers == json.loads(out.read_text(encoding="utf-8"))
    assert answers["title"] == "CLI talks to the local build daemon"
    assert answers["deciders"] == ["ana", "bo"]
    assert {k: v for k, v in answers["facts"].items() if v is not None} == DAEMON_ASKED
    assert answers["choice"] is None


def test_no_at_the_write_prompt_changes_one_answer_in_a_terminal(tmp_path):
    out = tmp_path / "answers.json"
    child = spawn([str(DRIVER), str(out)], tmp_path)
    converse(child, DAEMON_DIALOG[:-1])
    child.expect_exact("Write the decision record?")
    child.send("n")
    child.expect_exact("Change which answer?")
    child.expect_exact("Nothing: write no record and stop")
    child.send(DOWN * 9 + ENTER)  # past title, context, deciders and six questions: the volume
    child.expect_exact("7. How much data passes between them?")
    child.send(DOWN * 2 + ENTER)  # high
    child.expect_exact("Recommendation: Shared memory (shared-memory)")
    child.expect_exact("Control channel: Unix domain sockets (unix-sockets)")
    child.expect_exact(
        "Use Shared memory (shared-memory) with Unix domain sockets (unix-sockets) for control"
    )
    child.send(ENTER)
    child.expect_exact("7. How much data passes between them? high: bulk data")
    child.expect_exact("Write the decision record?")
    child.send(ENTER)
    printed = finish(child)

    assert child.exitstatus == 0, printed
    answers = json.loads(out.read_text(encoding="utf-8"))
    assert answers["facts"]["data_volume"] == "high"
    assert answers["title"] == "CLI talks to the local build daemon"


def test_ctrl_c_at_a_prompt_exits_130_and_writes_nothing(tmp_path):
    out = tmp_path / "answers.json"
    child = spawn([str(DRIVER), str(out)], tmp_path)
    converse(child, DAEMON_DIALOG[:3])
    child.expect_exact("1. Are both peers guaranteed")
    child.send(CTRL_C)
    printed = finish(child)

    assert child.exitstatus == 130, printed
    assert "interrupted: nothing was written" in printed
    assert not out.exists()


def test_ctrl_d_at_a_list_ends_the_interview_and_writes_nothing(tmp_path):
    out = tmp_path / "answers.json"
    child = spawn([str(DRIVER), str(out)], tmp_path)
    converse(child, DAEMON_DIALOG[:4])
    child.expect_exact("How are the peers related?")
    child.send(CTRL_D)
    printed = finish(child)

    assert child.exitstatus == 2, printed
    assert "input ended: nothing was written" in printed
    assert not out.exists()


# --- `adrgen new` -------------------------------------------------------------------------


@pytest.fixture
def new_command():
    pytest.importorskip("adrgen.commands.new_cmd")
    return ["-m", "adrgen", "new"]


def test_adrgen_new_writes_the_record(tmp_path, new_command):
    records = tmp_path / "decisions"
    child = spawn([*new_command, "--dir", str(records)], tmp_path)
    converse(child, DAEMON_DIALOG)
    printed = finish(child)

    assert child.exitstatus == 0, printed
    written = sorted(p.name for p in records.iterdir())
    assert len(written) == 1 and re.fullmatch(r"\d{4}-[a-z0-9-]+\.md", written[0]), written
    record = (records / written[0]).read_text(encoding="utf-8")
    assert "CLI talks to the local build daemon" in record
    assert "unix-sockets" in record


def test_adrgen_new_interrupted_exits_130_and_writes_no_record(tmp_path, new_command):
    records = tmp_path / "decisions"
    child = spawn([*new_command, "--dir", str(records)], tmp_path)
    converse(child, DAEMON_DIALOG[:4])
    child.expect_exact("How are the peers related?")
    child.send(CTRL_C)
    printed = finish(child)

    assert child.exitstatus == 130, printed
    assert "interrupted: nothing was written" in printed
    assert not records.exists() or not any(records.iterdir())
