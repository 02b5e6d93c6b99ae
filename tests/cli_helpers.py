"""Ways to run adrgen from tests: in-process through click, or in a real pseudo-terminal."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from adrgen.cli import cli

# keys as a terminal sends them
ENTER = "\r"
DOWN = "\x1b[B"
UP = "\x1b[A"
CTRL_C = "\x03"
CTRL_D = "\x04"

# (text a prompt shows, keys typed in answer): the interview for a CLI and its build daemon
DAEMON_OPENING = [
    ("Title of the decision:", "CLI talks to the local build daemon" + ENTER),
    ("Context: the problem", "The CLI asks the daemon to start builds" + ENTER),
    ("Deciders:", "ana, bo" + ENTER),
]
DAEMON_FACTS = [
    ("1. Are both peers guaranteed to run on one machine", "y"),
    ("2. How are the peers related?", DOWN * 2 + ENTER),
    ("3. Are the peers owned by different teams?", "n"),
    ("4. Does all the logic share one process or runtime", "n"),
    ("5. Must the peers stay isolated processes", "y"),
    ("6. Do the peers only exchange lifecycle notifications", ENTER),
    ("7. How much data passes between them?", ENTER),
    ("8. How does data pass between them?", ENTER),
    ("9. If you need sockets, is a documented local API enough", ENTER),
    ("10. Must the peers hand each other open file descriptors", ENTER),
]
DAEMON_DECISION = [("Use Unix domain sockets (unix-sockets), the recommendation?", ENTER)]
DAEMON_FINAL = "Write the decision record?"
DAEMON_DIALOG = [*DAEMON_OPENING, *DAEMON_FACTS, *DAEMON_DECISION, (DAEMON_FINAL, ENTER)]


def adrgen(*args: str) -> Result:
    """Run the CLI in-process; anything but a clean exit or a user error fails the test."""
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def spawn_in_terminal(args: list[str], cwd: Path, timeout: float = 20):
    """`python ARGS` in a pseudo-terminal, as a person would run it."""
    import pexpect

    # prompt_toolkit waits for a cursor-position reply that pexpect never sends
    env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm-256color"}
    return pexpect.spawn(
        sys.executable,
        args,
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        dimensions=(50, 220),  # wide enough that no question wraps
        timeout=timeout,
    )


def converse(child, dialog: list[tuple[str, str]]) -> None:
    """Wait for each text, then type the keys that answer it."""
    for shown, keys in dialog:
        child.expect_exact(shown)
        child.send(keys)


def finish(child) -> str:
    """Everything printed after the last prompt, once the process has exited."""
    import pexpect

    child.expect(pexpect.EOF)
    child.close()
    return child.before
