from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from factsets import CLI_TO_DAEMON

from adrgen.cli import cli
from adrgen.files.safe_yaml import dump

FACTS = CLI_TO_DAEMON


def adrgen_record(folder: Path, number: int, slug: str, **overrides) -> Path:
    facts = dict(FACTS, **overrides.pop("facts", {}))
    meta = {
        "number": number,
        "title": slug.replace("-", " ").capitalize(),
        "status": "accepted",
        "date": "2026-11-01",
        "deciders": ["ana"],
        "mechanism": "unix-sockets",
        "outcome": "ipc",
        "recommended": "unix-sockets",
        "catalog": {"name": "ipc-garden", "version": "1.0", "overlay": None},
        "tags": [],
        "supersedes": [],
        "superseded_by": None,
        "links": [],
        "answers": {"title": slug, "facts": facts},
    }
    meta.update(overrides)
    path = folder / f"{number:04d}-{slug}.md"
    path.write_text(f"---\n{dump(meta)}---\n# {meta['title']}\n\nBody.\n")
    return path


def lint(runner, folder: Path, *extra: str):
    result = runner.invoke(cli, ["lint", "--dir", str(folder), "--format", "json", *extra])
    data = json.loads(result.output) if result.output.strip().startswith("{") else None
    return result, data


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "decisions"
    path.mkdir()
    return path


def test_clean_folder(folder: Path, runner) -> None:
    adrgen_record(folder, 1, "cli-to-daemon")
    adrgen_record(
        folder,
        2,
        "reload-signal",
        mechanism="signals",
        recommended="signals",
        facts={"notify_only": True},
    )
    result = runner.invoke(cli, ["lint", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert "2 records" in result.output and "no problems" in result.output


def test_each_kind_of_problem_is_found(folder: Path, runner) -> None:
    adrgen_record(folder, 1, "first")
    adrgen_record(folder, 2, "twin-a")
    adrgen_record(folder, 2, "twin-b")
    # 3 is missing
    adrgen_record(
        folder, 4, "broken-link", links=[{"kind": "relates", "target": "0099-nowhere.md"}]
    )
    adrgen_record(folder, 5, "bad-status", status="maybe")
    adrgen_record(folder, 6, "orphan-superseded", status="superseded")
    adrgen_record(
        folder, 7, "gone-mechanism", mechanism="carrier-pigeon", recommended="carrier-pigeon"
    )
    adrgen_record(folder, 8, "drifted", facts={"same_host": False}, mechanism="unix-sockets")
    adrgen_record(folder, 9, "on-hold", mechanism="remote-rpc", recommended="remote-rpc")
    (folder / "0010-no-front-matter-end.md").write_text("---\ntitle: [unclosed\n---\n# T\n")
    result, data = lint(runner, folder)
    assert result.exit_code == 1
    checks = {(Path(p["file"]).name, p["check"]) for p in data["problems"]}
    assert ("decisions", "duplicate-number") in checks
    assert ("decisions", "missing-number") in checks
    assert ("0004-broken-link.md", "broken-link") in checks
    assert ("0005-bad-status.md", "front-matter") in checks
    assert ("0006-orphan-superseded.md", "no-successor") in checks
    assert ("0007-gone-mechanism.md", "unknown-mechanism") in checks
    assert ("0008-drifted.md", "drift") in checks
    assert ("0009-on-hold.md", "drift") in checks
    assert ("0010-no-front-matter-end.md", "unreadable") in checks
    duplicate = next(p for p in data["problems"] if p["check"] == "duplicate-number")
    assert "adrgen renumber" in duplicate["message"]
    assert ("0001-first.md", "drift") not in checks


def test_stance_moved_to_hold_is_drift(folder: Path, runner, catalog_copy: Path) -> None:
    adrgen_record(folder, 1, "cli-to-daemon")
    assert lint(runner, folder, "--catalog", str(catalog_copy))[0].exit_code == 0
    path = catalog_copy / "mechanisms" / "unix-sockets.yaml"
    path.write_text(path.read_text().replace("stance: adopt", "stance: hold"))
    result, data = lint(runner, folder, "--catalog", str(catalog_copy))
    assert result.exit_code == 1
    assert any("now on hold" in p["message"] for p in data["problems"])


def test_corpora_are_read(runner) -> None:
    corpora = Path(__file__).resolve().parents[2] / "shared" / "adr-corpora"
    if not corpora.is_dir():
        pytest.skip("no corpora beside the project")
    govuk = corpora / "alphagov__govuk-aws"
    result, data = lint(runner, govuk)
    assert data["records"] == 38
    assert any(p["check"] == "missing-number" and "0034" in p["message"] for p in data["problems"])
    assert lint(runner, corpora / "npryce__adr-tools")[0].exit_code == 0


def test_missing_folder_is_bad_input(tmp_path: Path, runner) -> None:
    result = runner.invoke(cli, ["lint", "--dir", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "record folder not found" in result.output


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_two_branches_adding_the_same_number(tmp_path: Path, runner) -> None:
    repo = tmp_path / "repo"
    folder = repo / "docs" / "decisions"
    folder.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    adrgen_record(folder, 11, "base")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    git(repo, "checkout", "-q", "-b", "feature")
    adrgen_record(folder, 12, "ours")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "ours")
    git(repo, "checkout", "-q", "main")
    adrgen_record(folder, 12, "theirs")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "theirs")
    git(repo, "checkout", "-q", "feature")

    result, data = lint(runner, folder, "--against", "main")
    assert result.exit_code == 1
    clash = [p for p in data["problems"] if p["check"] == "number-clash"]
    assert len(clash) == 1 and "0012-theirs.md" in clash[0]["message"]
    assert "adrgen renumber 0012-ours.md" in clash[0]["message"]

    git(repo, "merge", "-q", "main", "-m", "merge")
    result, data = lint(runner, folder)
    assert any(p["check"] == "duplicate-number" for p in data["problems"])
    assert runner.invoke(cli, ["renumber", "0012-ours.md", "--dir", str(folder)]).exit_code == 0
    assert lint(runner, folder)[0].exit_code == 0


def test_against_outside_git(folder: Path, runner) -> None:
    adrgen_record(folder, 1, "x")
    result = runner.invoke(cli, ["lint", "--dir", str(folder), "--against", "main"])
    assert result.exit_code == 2 and "not inside a git repository" in result.output


def test_a_control_channel_that_moved_is_drift(folder: Path, runner) -> None:
    # the answers lead to shared memory with a gRPC control channel beside it
    bulk = {"data_volume": "high", "cross_team": True, "rpc_semantics": True}
    shared = {"mechanism": "shared-memory", "recommended": "shared-memory"}
    adrgen_record(folder, 1, "as-advised", facts=bulk, control="local-grpc", **shared)
    adrgen_record(folder, 2, "written-before", facts=bulk, **shared)
    adrgen_record(folder, 3, "another-channel", facts=bulk, control="unix-sockets", **shared)

    result, data = lint(runner, folder)
    drift = {p["file"].rsplit("/", 1)[-1]: p["message"] for p in data["problems"]}
    assert result.exit_code == 1
    assert "0001-as-advised.md" not in drift
    assert drift["0002-written-before.md"] == (
        "its saved answers now call for a control channel (local-grpc) beside shared-memory, "
        "not none; review the decision"
    )
    assert "not unix-sockets" in drift["0003-another-channel.md"]
