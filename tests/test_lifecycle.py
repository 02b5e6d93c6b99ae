from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from adrgen.cli import cli
from adrgen.records.parse import parse_record, scan_records

ADRGEN_RECORD = """---
number: {n}
title: {title}
status: {status}
date: 2026-11-01
deciders:
  - ana
mechanism: pipes
outcome: ipc
supersedes: []
superseded_by: null
links: []
answers:
  title: {title}
---
# {title}

## Context and Problem Statement

Workers feed each other.
"""

NYGARD_RECORD = """# {n}. {title}

Date: 2016-02-12

## Status

{status}

## Context

Text that must not change.
"""


def make(folder: Path, n: int, title: str, status: str = "accepted", kind: str = "adrgen") -> Path:
    template = ADRGEN_RECORD if kind == "adrgen" else NYGARD_RECORD
    path = folder / f"{n:04d}-{title.lower().replace(' ', '-')}.md"
    path.write_text(template.format(n=n, title=title, status=status))
    return path


def changed_lines(before: str, after: str) -> list[str]:
    """Removed (-) and added (+) lines, in a stable order that does not depend on diff alignment."""
    return sorted(
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    records = tmp_path / "decisions"
    records.mkdir()
    return records


def test_status_changes_only_the_status_line(folder: Path, runner) -> None:
    path = make(folder, 1, "Use pipes", status="proposed")
    before = path.read_text()
    result = runner.invoke(cli, ["status", "1", "accepted", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert changed_lines(before, path.read_text()) == sorted(
        ["-status: proposed", "+status: accepted"]
    )
    assert parse_record(path).status == "accepted"


def test_status_in_an_adr_tools_record(folder: Path, runner) -> None:
    path = make(folder, 2, "Shell scripts", status="Accepted", kind="nygard")
    before = path.read_text()
    assert runner.invoke(cli, ["status", "2", "deprecated", "--dir", str(folder)]).exit_code == 0
    assert changed_lines(before, path.read_text()) == sorted(["-Accepted", "+Deprecated"])


def test_invalid_transition_lists_the_allowed_ones(folder: Path, runner) -> None:
    path = make(folder, 1, "Use pipes", status="accepted")
    before = path.read_bytes()
    result = runner.invoke(cli, ["status", "1", "proposed", "--dir", str(folder)])
    assert result.exit_code == 2
    assert (
        "cannot go from accepted to proposed; allowed from accepted: deprecated, superseded"
        in result.output
    )
    assert path.read_bytes() == before


def test_supersede_updates_both_records_and_nothing_else(folder: Path, runner) -> None:
    old = make(folder, 1, "Use pipes")
    new = make(folder, 2, "Use sockets", status="proposed")
    old_before, new_before = old.read_text(), new.read_text()
    result = runner.invoke(cli, ["supersede", "1", "--by", "2", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert changed_lines(old_before, old.read_text()) == sorted(
        [
            "-status: accepted",
            "-superseded_by: null",
            "+status: superseded",
            "+superseded_by: 0002-use-sockets.md",
            "+",
            "+Superseded by [2. Use sockets](0002-use-sockets.md)",
        ]
    )
    assert changed_lines(new_before, new.read_text()) == sorted(
        [
            "-supersedes: []",
            "+supersedes:",
            "+- 0001-use-pipes.md",
            "+",
            "+Supersedes [1. Use pipes](0001-use-pipes.md)",
        ]
    )
    records = {r.number: r for r in scan_records(folder)}
    assert records[1].status == "superseded"
    assert records[1].targets("superseded-by") == ["0002-use-sockets.md"]
    assert records[2].targets("supersedes") == ["0001-use-pipes.md"]
    again = runner.invoke(cli, ["supersede", "1", "--by", "2", "--dir", str(folder)])
    assert again.exit_code == 2 and "already superseded" in again.output


def test_supersede_between_adr_tools_records(folder: Path, runner) -> None:
    old = make(folder, 1, "Old way", status="Accepted", kind="nygard")
    new = make(folder, 2, "New way", status="Accepted", kind="nygard")
    assert runner.invoke(cli, ["supersede", "1", "--by", "2", "--dir", str(folder)]).exit_code == 0
    parsed = parse_record(old)
    assert parsed.status == "superseded"
    assert parsed.targets("superseded-by") == [new.name]
    assert parse_record(new).targets("supersedes") == [old.name]
    assert "Text that must not change." in old.read_text()


def test_link_amends_both_ways(folder: Path, runner) -> None:
    a = make(folder, 1, "Use pipes")
    b = make(folder, 2, "Frame messages")
    b_before = b.read_text()
    assert (
        runner.invoke(cli, ["link", "2", "1", "--kind", "amends", "--dir", str(folder)]).exit_code
        == 0
    )
    assert parse_record(b).targets("amends") == [a.name]
    assert parse_record(a).targets("amended-by") == [b.name]
    assert changed_lines(b_before, b.read_text()) == sorted(
        [
            "-links: []",
            "+links:",
            "+- kind: amends",
            "+  target: 0001-use-pipes.md",
            "+",
            "+Amends [1. Use pipes](0001-use-pipes.md)",
        ]
    )


def test_unknown_and_ambiguous_records(folder: Path, runner) -> None:
    make(folder, 12, "Ours")
    (folder / "0012-theirs.md").write_text(
        NYGARD_RECORD.format(n=12, title="Theirs", status="Accepted")
    )
    missing = runner.invoke(cli, ["status", "7", "accepted", "--dir", str(folder)])
    assert missing.exit_code == 2 and "no record '7'" in missing.output
    ambiguous = runner.invoke(cli, ["status", "12", "deprecated", "--dir", str(folder)])
    assert ambiguous.exit_code == 2 and "2 records have number 12" in ambiguous.output


def test_renumber_moves_the_record_and_its_references(folder: Path, runner) -> None:
    make(folder, 11, "First")
    ours = make(folder, 12, "Ours")
    theirs = make(folder, 12, "Theirs", kind="nygard")
    assert (
        runner.invoke(cli, ["supersede", "11", "--by", ours.name, "--dir", str(folder)]).exit_code
        == 0
    )
    result = runner.invoke(cli, ["renumber", ours.name, "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    moved = folder / "0013-ours.md"
    assert moved.exists() and not ours.exists() and theirs.exists()
    assert parse_record(moved).number == 13
    assert "number: 13" in moved.read_text()
    first = parse_record(folder / "0011-first.md")
    assert first.targets("superseded-by") == ["0013-ours.md"]


def test_no_temporary_files_are_left(folder: Path, runner) -> None:
    make(folder, 1, "Use pipes", status="proposed")
    make(folder, 2, "Use sockets", status="proposed")
    runner.invoke(cli, ["status", "1", "accepted", "--dir", str(folder)])
    runner.invoke(cli, ["supersede", "1", "--by", "2", "--dir", str(folder)])
    assert sorted(p.name for p in folder.iterdir()) == ["0001-use-pipes.md", "0002-use-sockets.md"]


def test_a_status_heading_inside_a_code_example_is_left_alone() -> None:
    from adrgen.records.edit import set_status

    text = (
        "# 1. Example\n\n```markdown\n~~~\n## Status\n\nAccepted\n```\n\n"
        "## Status\n\nProposed\n\n## Context\n\nx\n"
    )
    edited = set_status(text, "accepted")
    assert "```markdown\n~~~\n## Status\n\nAccepted\n```" in edited  # the example is intact
    assert "## Status\n\nAccepted\n\n## Context" in edited
