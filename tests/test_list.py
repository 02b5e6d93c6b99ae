"""`adrgen list`: every record, whichever tool wrote it; broken ones marked, never fatal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from adrgen.cli import cli
from adrgen.records.parse import is_record_name, number_of

REPO = Path(__file__).resolve().parent.parent
# the real ADR folders, read in place (their licences differ; they are never copied here)
CORPORA = REPO.parent / "shared" / "adr-corpora"
CORPUS_FOLDERS = sorted(p for p in CORPORA.iterdir() if p.is_dir()) if CORPORA.is_dir() else []
needs_corpora = pytest.mark.skipif(not CORPUS_FOLDERS, reason="the shared ADR corpora are absent")


def record_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if is_record_name(p.name))


def invoke(runner: CliRunner, *args: str) -> object:
    return runner.invoke(cli, ["list", *args])


@needs_corpora
def test_there_are_four_corpora() -> None:
    assert len(CORPUS_FOLDERS) == 4


@needs_corpora
@pytest.mark.parametrize("folder", CORPUS_FOLDERS, ids=[p.name for p in CORPUS_FOLDERS])
def test_every_record_of_a_real_corpus_is_listed(folder: Path, runner: CliRunner) -> None:
    result = invoke(runner, "--dir", str(folder))
    assert result.exit_code == 0, result.output
    lines = result.stdout.rstrip("\n").split("\n")
    assert lines[0].split() == ["number", "title", "status", "date", "mechanism"]
    labels = [row.split()[0].rstrip("!") for row in lines[2:]]
    expected = [
        f"{number_of(p.name):04d}" if number_of(p.name) is not None else p.stem
        for p in record_files(folder)
    ]
    assert sorted(labels) == sorted(expected)
    assert "!" not in "".join(row.split()[0] for row in lines[2:]), result.stderr


@needs_corpora
@pytest.mark.parametrize("folder", CORPUS_FOLDERS, ids=[p.name for p in CORPUS_FOLDERS])
def test_json_lists_every_record_with_its_metadata(folder: Path, runner: CliRunner) -> None:
    result = invoke(runner, "--dir", str(folder), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert sorted(entry["file"] for entry in data) == [p.name for p in record_files(folder)]
    assert all(entry["title"] for entry in data)
    assert all(
        set(entry) >= {"id", "number", "title", "status", "date", "mechanism"} for entry in data
    )


@needs_corpora
def test_what_the_corpora_say_is_read_right(runner: CliRunner) -> None:
    def listed(name: str) -> dict[str, dict]:
        result = invoke(runner, "--dir", str(CORPORA / name), "--format", "json")
        return {entry["id"]: entry for entry in json.loads(result.stdout)}

    adr_tools = listed("npryce__adr-tools")
    first = adr_tools["0001-record-architecture-decisions"]
    assert (first["number"], first["title"], first["status"], first["date"]) == (
        1,
        "Record architecture decisions",
        "accepted",
        "2016-02-12",
    )
    log4brains = listed("thomvaill__log4brains")
    entry = log4brains["20200926-use-the-adr-number-as-its-unique-id"]
    assert entry["number"] is None and entry["status"] == "superseded"
    madr = listed("adr__madr")
    assert madr["0008-add-status-field"]["title"] == "Add Status Field"
    govuk = listed("alphagov__govuk-aws")
    assert govuk["0033-ip-ranges"]["number"] == 33


def test_records_with_problems_are_marked_and_reported_on_stderr(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "0001-good.md").write_text(
        "# 1. Good\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n"
    )
    (tmp_path / "0002-bad-front-matter.md").write_text("---\ntitle: [unclosed\n---\n# Bad\n")
    (tmp_path / "0003-binary.md").write_bytes(b"\x00\x01\x02")
    (tmp_path / "0004-a-folder.md").mkdir()
    (tmp_path / "0005-link.md").symlink_to("/etc/hostname")
    (tmp_path / "0006-no-title.md").write_text("just text\n")
    result = invoke(runner, "--dir", str(tmp_path))
    assert result.exit_code == 0
    rows = result.stdout.split("\n")[2:-1]
    assert [row.split()[0] for row in rows] == ["0001", "0002!", "0003!", "0004!", "0005!", "0006!"]
    warnings = result.stderr.rstrip("\n").split("\n")
    assert all(line.startswith("warning: ") for line in warnings)
    assert any("0003-binary.md: binary file" in line for line in warnings)
    assert any("0005-link.md: is a symbolic link; not followed" in line for line in warnings)
    assert any("0004-a-folder.md: not a regular file" in line for line in warnings)


def test_adrgen_records_show_their_mechanism(runner: CliRunner, tmp_path: Path) -> None:
    answers = REPO / "examples" / "answers" / "cli-build-daemon.yaml"
    runner.invoke(cli, ["new", "--answers", str(answers), "--no-input", "--dir", str(tmp_path)])
    (tmp_path / "0007-from-adr-tools.md").write_text(
        "# 7. Other tool\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n"
    )
    result = invoke(runner, "--dir", str(tmp_path))
    rows = result.stdout.split("\n")[2:-1]
    assert rows[0].split()[0] == "0001" and rows[0].endswith("unix-sockets")
    assert rows[1].split()[0] == "0007" and "Other tool" in rows[1]


def test_an_empty_folder_and_a_missing_one(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "--dir", str(tmp_path))
    assert result.exit_code == 0 and result.stdout == "" and "no records yet" in result.stderr
    result = invoke(runner, "--dir", str(tmp_path), "--format", "json")
    assert json.loads(result.stdout) == []
    # a folder not made yet (a team that has just run `adrgen init`) has no records yet
    missing = tmp_path / "missing"
    result = invoke(runner, "--dir", str(missing))
    assert (result.exit_code, result.stdout) == (0, "")
    assert f"{missing}: no records yet" in result.stderr
    assert json.loads(invoke(runner, "--dir", str(missing), "--format", "json").stdout) == []


STATUSES_AS_WRITTEN = {
    "0001-a.md": ("# 1. A\n\n## Status\n\n✅ Accepted\n", "accepted"),
    "0002-b.md": ("# 2. B\n\n## Status\n\n✅\ufe0f accepted\n", "accepted"),
    "0003-c.md": ("# 3. C\n\n- Status: APPROVED\n", "accepted"),
    "0004-d.md": ("---\nstatus: Accepted\n---\n# D\n", "accepted"),
    "adr-005-e.md": ("# ADR-005: E\n\n**Status:** **Accepted** (2024-01-01)\n", "accepted"),
    "0006-f.md": ("# 6. F\n\n## Status\n\n🤔 Pending\n", "proposed"),
    "0007-g.md": ("# 7. G\n\n## Status\n\n⌛️ Superseded [0001](0001-a.md)\n", "superseded"),
    "0008-h.md": ("# 8. H\n\n## Status\n\nOn hold\n", "on hold"),
}


def test_json_status_is_normalised_and_status_text_is_as_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    for name, (text, _) in STATUSES_AS_WRITTEN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    data = json.loads(invoke(runner, "--dir", str(tmp_path), "--format", "json").stdout)
    assert {e["file"]: e["status"] for e in data} == {
        name: status for name, (_, status) in STATUSES_AS_WRITTEN.items()
    }
    written = {e["file"]: e["status_text"] for e in data}
    assert written["0002-b.md"] == "✅\ufe0f accepted" and written["0006-f.md"] == "🤔 Pending"
    # the help's own example: every accepted record, whatever emoji or case it was written with
    accepted = [e["file"] for e in data if e["status"] == "accepted"]
    assert accepted == ["0001-a.md", "0002-b.md", "0003-c.md", "0004-d.md", "adr-005-e.md"]
    assert next(e for e in data if e["file"] == "0007-g.md")["links"] == [
        {"kind": "superseded-by", "target": "0001-a.md", "record": "0001-a.md"}
    ]


def test_jq_finds_every_accepted_record(tmp_path: Path) -> None:
    """`adrgen list --format json | jq '.[] | select(.status == "accepted")'`, as the help says."""
    import shutil

    jq = shutil.which("jq")
    if jq is None:
        pytest.skip("jq is not installed")
    for name, (text, _) in STATUSES_AS_WRITTEN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    shell = (
        f"{sys.executable} -m adrgen list --dir {tmp_path} --format json"
        " | jq -r '.[] | select(.status == \"accepted\") | .file'"
    )
    result = subprocess.run(["sh", "-c", shell], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.split() == [
        "0001-a.md",
        "0002-b.md",
        "0003-c.md",
        "0004-d.md",
        "adr-005-e.md",
    ]


@needs_corpora
def test_a_closed_pipe_is_not_an_error() -> None:
    folder = CORPORA / "alphagov__govuk-aws"
    shell = f"{sys.executable} -m adrgen list --dir {folder} | head -1"
    result = subprocess.run(["sh", "-c", shell], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.startswith("number")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_a_combined_design_lists_its_control_channel(runner, tmp_path: Path) -> None:
    from adrgen.cli import cli

    examples = Path(__file__).resolve().parent.parent / "examples"
    answers = examples / "answers" / "inference-server-tensors.yaml"
    folder = tmp_path / "decisions"
    made = runner.invoke(
        cli, ["new", "--answers", str(answers), "--no-input", "--dir", str(folder)]
    )
    assert made.exit_code == 0, made.output
    table = runner.invoke(cli, ["list", "--dir", str(folder)])
    assert "shared-memory + local-grpc" in table.output
    [row] = json.loads(
        runner.invoke(cli, ["list", "--dir", str(folder), "--format", "json"]).output
    )
    assert (row["mechanism"], row["control"]) == ("shared-memory", "local-grpc")
