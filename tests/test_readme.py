"""The README's walkthrough works exactly as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from adrgen.records.parse import scan_records

REPO = Path(__file__).resolve().parent.parent


def walkthrough() -> str:
    text = (REPO / "README.md").read_text()
    match = re.search(r"<!-- walkthrough -->\n```sh\n(.*?)```\n<!-- /walkthrough -->", text, re.S)
    assert match, "the README has no walkthrough block"
    return match.group(1)


def test_team_walkthrough_runs_as_written(tmp_path: Path) -> None:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", walkthrough()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    platform = scan_records(tmp_path / "platform" / "docs" / "decisions")
    payments = scan_records(tmp_path / "payments" / "docs" / "decisions")
    # the same answers: the catalog's advice for one team, the next best for the other
    assert [r.mechanism for r in platform] == ["shared-memory"]
    assert len(payments) == 1 and payments[0].mechanism not in (None, "shared-memory")
    assert payments[0].front_matter["catalog"]["overlay"] == "payments-team"
    assert "overlay" not in platform[0].front_matter["catalog"]
    payments_text = payments[0].path.read_text()
    assert "Reviewed by the payments architecture guild." in payments_text
    assert "Reviewed by the payments architecture guild." not in platform[0].path.read_text()
    assert "## Context and Problem Statement" in payments_text  # the rest of MADR is inherited
    assert "no problems" in result.stdout


def test_the_readme_shows_the_record_as_adrgen_writes_it() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    name = "0001-cli-talks-to-the-local-build-daemon.md"
    excerpt = readme.split(f"From `examples/decisions/{name}`:\n\n```markdown\n", 1)[1]
    excerpt = excerpt.split("\n```\n", 1)[0]
    record = (REPO / "examples" / "decisions" / name).read_text(encoding="utf-8")
    for part in excerpt.split("\n\n### "):
        part = part if part.startswith("## ") else "### " + part
        assert part in record
