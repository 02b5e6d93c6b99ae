"""Run the interview in whatever terminal this process has, for test_interview_pty.

Usage: python interview_driver.py OUT.json

On success the answers are printed as JSON between markers and written to OUT.json; on
Ctrl-C or a user error nothing is written and the exit status is the one `adrgen` uses.
"""

from __future__ import annotations

import sys
from pathlib import Path

from adrgen.authoring.interview import run_interview
from adrgen.config.workspace import resolve_workspace
from adrgen.errors import AdrgenError, ExitCode

BEGIN = "--- answers ---"
END = "--- end ---"


def main(out: Path) -> int:
    ws = resolve_workspace(records_dir=out.parent, cwd=Path.cwd())
    try:
        answers = run_interview(ws)
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except AdrgenError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    text = answers.model_dump_json(indent=None)
    print(BEGIN)
    print(text)
    print(END)
    out.write_text(text, encoding="utf-8")
    return ExitCode.OK


if __name__ == "__main__":
    sys.exit(int(main(Path(sys.argv[1]))))
