from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
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


def checks_of(data: dict) -> set[tuple[str, str]]:
    return {(Path(p["file"]).name, p["check"]) for p in data["problems"]}


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
    checks = checks_of(data)
    assert ("0002-twin-b.md", "duplicate-number") in checks or (
        "0002-twin-a.md",
        "duplicate-number",
    ) in checks
    assert ("decisions", "missing-number") in checks
    assert ("0004-broken-link.md", "broken-relation") in checks
    assert ("0005-bad-status.md", "front-matter") in checks
    assert ("0006-orphan-superseded.md", "no-successor") in checks
    assert ("0007-gone-mechanism.md", "unknown-mechanism") in checks
    assert ("0008-drifted.md", "drift") in checks
    assert ("0009-on-hold.md", "drift") in checks
    assert ("0010-no-front-matter-end.md", "unreadable") in checks
    duplicate = next(p for p in data["problems"] if p["check"] == "duplicate-number")
    assert duplicate["fix"].startswith("renumber one: adrgen renumber 0002-twin-")
    assert ("0001-first.md", "drift") not in checks
    bad_status = next(p for p in data["problems"] if p["check"] == "front-matter")
    assert bad_status["line"] == 4 and "'maybe' is not one of" in bad_status["message"]


def test_every_problem_has_a_code_a_severity_and_a_fix(folder: Path, runner) -> None:
    adrgen_record(folder, 1, "first")
    adrgen_record(folder, 3, "third", links=[{"kind": "relates", "target": "0099-x.md"}])
    result, data = lint(runner, folder)
    assert [(p["code"], p["check"], p["severity"]) for p in data["problems"]] == [
        ("ADR002", "missing-number", "warning"),
        ("ADR011", "broken-relation", "error"),
    ]
    relation = data["problems"][1]
    assert relation["line"] == 19  # the front-matter line of the link's target
    assert relation["fix"]

    text = runner.invoke(cli, ["lint", "--dir", str(folder)]).output.splitlines()
    assert text[0] == (
        f"{folder}: [missing-number] no record numbered 0002 (ADR002 warning); fix: restore the "
        "record if it was lost; if the number was retired on purpose, add it to the baseline "
        "(--baseline) or ignore ADR002"
    )
    assert text[1].startswith(
        f"{folder / '0003-third.md'}:19: [broken-relation] relates 0099-x.md: no such record "
        "in this folder (ADR011 error); fix: name an existing record"
    )
    assert text[2].startswith("2 problem(s) (1 error(s), 1 warning(s)) in 2 records")


def test_github_annotations(folder: Path, runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    adrgen_record(folder, 1, "first")
    adrgen_record(folder, 3, "third", links=[{"kind": "relates", "target": "0099-x.md"}])
    result = runner.invoke(cli, ["lint", "--dir", "decisions", "--format", "github"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "::warning file=decisions,title=ADR002 missing-number::no record numbered 0002%0A"
        "fix: restore the record if it was lost; if the number was retired on purpose, add it "
        "to the baseline (--baseline) or ignore ADR002",
        "::error file=decisions/0003-third.md,line=19,title=ADR011 broken-relation::relates "
        "0099-x.md: no such record in this folder%0Afix: name an existing record (its file "
        "name, ADR-NNNN or its number), or remove the relation",
    ]


def test_select_and_ignore_on_the_command_line(folder: Path, runner) -> None:
    adrgen_record(folder, 1, "first")
    adrgen_record(folder, 3, "third", links=[{"kind": "relates", "target": "0099-x.md"}])
    codes = lambda *extra: [p["code"] for p in lint(runner, folder, *extra)[1]["problems"]]  # noqa: E731
    assert codes("--select", "ADR011") == ["ADR011"]
    assert codes("--select", "broken-relation,missing-number") == ["ADR002", "ADR011"]
    assert codes("--ignore", "ADR0") == []
    assert codes("--select", "ALL", "--ignore", "adr011") == ["ADR002"]
    result = runner.invoke(cli, ["lint", "--dir", str(folder), "--select", "ADR999"])
    assert result.exit_code == 2 and "--select: 'ADR999' is not a lint check" in result.output


def test_select_and_ignore_in_the_team_config(folder: Path, runner, tmp_path: Path) -> None:
    adrgen_record(folder, 1, "first")
    adrgen_record(folder, 3, "third", links=[{"kind": "relates", "target": "0099-x.md"}])
    config = tmp_path / ".adrgen.yaml"
    config.write_text("records: decisions\nlint:\n  ignore: [missing-number]\n")
    found = lambda *extra: lint(runner, folder, "--config", str(config), *extra)[1]["problems"]  # noqa: E731
    assert [p["code"] for p in found()] == ["ADR011"]
    assert [p["code"] for p in found("--ignore", "ADR011")] == []
    config.write_text("records: decisions\nlint:\n  select: [ADR002]\n")
    assert [p["code"] for p in found()] == ["ADR002"]
    assert [p["code"] for p in found("--select", "ADR011")] == ["ADR011"]  # replaces select
    config.write_text("records: decisions\nlint:\n  ignore: [no-such-check]\n")
    result = runner.invoke(cli, ["lint", "--config", str(config)])
    assert result.exit_code == 2
    assert f"{config}:3: lint.ignore.0: 'no-such-check' is not a lint check" in result.output


def test_a_baseline_keeps_known_problems_quiet_whatever_lines_move(
    folder: Path, runner, tmp_path: Path
) -> None:
    baseline = tmp_path / "baseline.json"
    adrgen_record(folder, 1, "first")
    third = adrgen_record(folder, 3, "third", links=[{"kind": "relates", "target": "0099-x.md"}])
    first = runner.invoke(cli, ["lint", "--dir", str(folder), "--baseline", str(baseline)])
    assert first.exit_code == 0 and "saved 2 problem(s)" in first.output
    result, data = lint(runner, folder, "--baseline", str(baseline))
    assert (result.exit_code, data["problems"], data["baseline"]) == (
        0,
        [],
        {"known": 2, "fixed": 0},
    )

    # lines added above the problem move it, but it is the same problem
    third.write_text(third.read_text().replace("---\n", "---\nextra: [1, 2]\nmore: x\n", 1))
    assert lint(runner, folder, "--baseline", str(baseline))[0].exit_code == 0

    # a new problem is reported, the known ones are not
    (folder / "0004-new.md").write_text("# 4. New\n\n## Status\n\nSuperseded by ADR-0077\n")
    result, data = lint(runner, folder, "--baseline", str(baseline))
    assert result.exit_code == 1
    assert [(p["check"], Path(p["file"]).name) for p in data["problems"]] == [
        ("broken-relation", "0004-new.md")
    ]

    # fixing a known problem is noticed; --update-baseline forgets it
    (folder / "0004-new.md").unlink()
    (folder / "0002-second.md").write_text("# 2. Second\n\n## Status\n\nAccepted\n")
    result = runner.invoke(cli, ["lint", "--dir", str(folder), "--baseline", str(baseline)])
    assert result.exit_code == 0 and "1 baseline problem(s) fixed" in result.output
    update = ["lint", "--dir", str(folder), "--baseline", str(baseline), "--update-baseline"]
    assert runner.invoke(cli, update).exit_code == 0
    assert len(json.loads(baseline.read_text())["problems"]) == 1


def test_a_broken_baseline_is_bad_input(folder: Path, runner, tmp_path: Path) -> None:
    adrgen_record(folder, 1, "first")
    baseline = tmp_path / "baseline.json"
    for text, says in [
        ("not json", "not a lint baseline (not JSON"),
        ('{"kind": "other"}', "not a lint baseline"),
        ('{"kind": "adrgen-lint-baseline", "version": 9, "problems": []}', "version 9"),
        (
            '{"kind": "adrgen-lint-baseline", "version": 1, "problems": [{"code": 1}]}',
            "needs a code",
        ),
    ]:
        baseline.write_text(text)
        result = runner.invoke(cli, ["lint", "--dir", str(folder), "--baseline", str(baseline)])
        assert result.exit_code == 2 and says in result.output, result.output
    result = runner.invoke(cli, ["lint", "--dir", str(folder), "--update-baseline"])
    assert result.exit_code == 2 and "--baseline FILE" in result.output


def test_checks_of_other_conventions_follow_the_folder(folder: Path, runner) -> None:
    """No statuses at all is the folder's way: said once. One record without a status in a
    folder that states them is that record's problem. An unknown word is said once."""
    for number in range(1, 5):
        (folder / f"{number:04d}-r.md").write_text(f"# {number}. Record {number}\n\nText.\n")
    _, data = lint(runner, folder)
    assert [(Path(p["file"]).name, p["check"], p["message"]) for p in data["problems"]] == [
        ("decisions", "no-status", "4 of 4 records state no status")
    ]
    for number in range(1, 4):
        (folder / f"{number:04d}-r.md").write_text(
            f"# {number}. Record {number}\n\n## Status\n\n💡 Guidance\n"
        )
    _, data = lint(runner, folder)
    assert checks_of(data) == {("0001-r.md", "unknown-status"), ("0004-r.md", "no-status")}
    unknown = data["problems"][0]
    assert "(and 2 more)" in unknown["message"] and unknown["line"] == 5


def test_adrgen_checks_only_for_records_that_carry_answers(folder: Path, runner) -> None:
    (folder / "0001-madr.md").write_text(
        "---\nstatus: accepted\ndate: 2024-01-01\ndecision-makers: ana\n---\n# Use MADR\n"
    )
    (folder / "0002-nav.md").write_text("---\nparent: Decisions\nstatus: Approved\n---\n# Nav\n")
    result, data = lint(runner, folder)
    assert (result.exit_code, data["problems"]) == (0, [])


def test_supersedes_on_one_side_and_successors(folder: Path, runner) -> None:
    write = lambda name, text: (folder / name).write_text(text)  # noqa: E731
    write("0001-old.md", "# 1. Old\n\n## Status\n\nSuperseded by [2. New](0002-new.md)\n")
    write("0002-new.md", "# 2. New\n\n## Status\n\nAccepted\n")
    write("0003-older.md", "# 3. Older\n\n## Status\n\nAccepted\n")
    write("0004-newer.md", "# 4. Newer\n\n## Status\n\nAccepted; supersedes ADR-0003\n")
    write("0005-gone.md", "# 5. Gone\n\n## Status\n\n⌛️ Superseded\n")
    write("0006-a.md", "# 6. A\n\n## Status\n\nSuperseded by ./0007-b.md\n")
    write("0007-b.md", "# 7. B\n\n## Status\n\nAccepted\n\nSupersedes [6. A](./0006-a.md)\n")
    _, data = lint(runner, folder)
    found = [(Path(p["file"]).name, p["check"], p["line"]) for p in data["problems"]]
    assert found == [
        ("0002-new.md", "one-sided-supersede", 5),
        ("0003-older.md", "one-sided-supersede", 5),
        ("0005-gone.md", "no-successor", 5),
    ]
    fix = data["problems"][0]["fix"]
    assert fix == 'add "Supersedes [1. Old](0001-old.md)" to 0002-new.md'


def test_headings_titles_and_links(folder: Path, runner) -> None:
    write = lambda name, text: (folder / name).write_text(text)  # noqa: E731
    status = "\n\n## Status\n\nAccepted\n"
    write("0001-a.md", "# 1. Networking" + status + "\nSee [the index](README.md), "
          "[the template](./template.md) and [b](./0002-b.md#context).\n")  # fmt: skip
    write("0002-b.md", "# 3. Networking" + status)
    write("0003-c.md", "# 3. Security" + status + "\nSee [nothing](0042-gone.md) and "
          "[a picture](c.png) and [code](../../src/main.go).\n")  # fmt: skip
    write("0004-d.md", "# 4. Security" + status + "\nSupersedes [3. Security](0003-c.md)\n")
    write("0005-revised.md", "# 5. Revised" + status)
    _, data = lint(runner, folder)
    found = [(Path(p["file"]).name, p["check"], p["line"]) for p in data["problems"]]
    assert found == [
        ("0002-b.md", "heading-number", 1),
        ("0002-b.md", "duplicate-title", 1),
        ("0003-c.md", "one-sided-supersede", 5),
        ("0003-c.md", "broken-link", 7),
    ]
    # 0004 repeats 0003's title, but it says it replaces it: a decision revised, no mistake
    _, data = lint(runner, folder, "--select", "missing-file")
    assert [p["message"] for p in data["problems"]] == [
        "links to c.png, which is not in the folder"
    ]


def test_twin_files_are_reported_and_the_md_one_is_published(folder: Path, runner) -> None:
    (folder / "0016-twin.md").write_text("# 16. Twin\n\n## Status\n\nAccepted\n")
    (folder / "0016-twin.markdown").write_text("# 16. Twin again\n\n## Status\n\nAccepted\n")
    result, data = lint(runner, folder)
    assert result.exit_code == 1
    assert [(Path(p["file"]).name, p["code"]) for p in data["problems"]] == [
        ("0016-twin.markdown", "ADR004")
    ]
    assert "the site publishes 0016-twin.md only" in data["problems"][0]["message"]


def test_an_empty_or_missing_folder_has_no_records_yet(tmp_path: Path, runner) -> None:
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        if folder.name == "empty":
            folder.mkdir()
        result = runner.invoke(cli, ["lint", "--dir", str(folder)])
        assert (result.exit_code, result.output) == (0, f"{folder}: no records yet\n")
        result, data = lint(runner, folder)
        assert (result.exit_code, data) == (0, {"records": 0, "problems": []})
    (tmp_path / "a-file").write_text("x")
    result = runner.invoke(cli, ["lint", "--dir", str(tmp_path / "a-file")])
    assert result.exit_code == 2 and "is a file" in result.output


def test_other_folders_need_no_catalog(folder: Path, runner, tmp_path: Path) -> None:
    (folder / "0001-a.md").write_text("# 1. A\n\n## Status\n\nAccepted\n")
    broken = tmp_path / "catalog"
    broken.mkdir()
    assert lint(runner, folder, "--catalog", str(broken))[0].exit_code == 0
    adrgen_record(folder, 2, "ours")
    assert lint(runner, folder, "--catalog", str(broken))[0].exit_code == 2


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
    assert clash[0]["fix"] == "renumber this one: adrgen renumber 0012-ours.md"

    git(repo, "merge", "-q", "main", "-m", "merge")
    result, data = lint(runner, folder)
    assert any(p["check"] == "duplicate-number" for p in data["problems"])
    assert runner.invoke(cli, ["renumber", "0012-ours.md", "--dir", str(folder)]).exit_code == 0
    assert lint(runner, folder)[0].exit_code == 0


def test_against_outside_git(folder: Path, runner) -> None:
    adrgen_record(folder, 1, "x")
    result = runner.invoke(cli, ["lint", "--dir", str(folder), "--against", "main"])
    assert result.exit_code == 2 and "not inside a git repository" in result.output


def _override_record(tmp_path: Path, justification: str) -> Path:
    from adrgen.files.safe_yaml import dump

    answers = tmp_path / "override.yaml"
    answers.write_text(
        dump(
            {
                "title": "The CLI calls the daemon over gRPC",
                "facts": {
                    "same_host": True,
                    "relationship": "client-daemon",
                    "cross_team": False,
                    "same_runtime": False,
                    "process_isolation": True,
                    "notify_only": False,
                    "data_volume": "low",
                    "rpc_semantics": False,
                },
                "choice": "local-grpc",
                "justification": justification,
            }
        )
    )
    folder = tmp_path / "decisions"
    result = CliRunner().invoke(
        cli, ["new", "--answers", str(answers), "--no-input", "--dir", str(folder)]
    )
    assert result.exit_code == 0, result.output
    return folder


@pytest.mark.parametrize(
    ("justification", "flagged"),
    [
        ("We already generate gRPC clients for every other daemon we run.", False),
        ("Because.", True),
        ("team wants it", True),
    ],
)
def test_an_override_needs_a_sentence_saying_why(
    tmp_path: Path, justification: str, flagged: bool
) -> None:
    folder = _override_record(tmp_path, justification)
    result = CliRunner().invoke(cli, ["lint", "--dir", str(folder), "--format", "json"])
    codes = [p["code"] for p in json.loads(result.output)["problems"]]
    assert ("ADR033" in codes) == flagged, result.output


def test_an_override_whose_reason_was_removed_is_reported(tmp_path: Path) -> None:
    folder = _override_record(tmp_path, "We already generate gRPC clients for every other daemon.")
    [path] = folder.glob("*.md")
    text = path.read_text()
    quoted = [line for line in text.split("\n") if line.startswith("> ")]
    assert quoted, text
    path.write_text("\n".join(line for line in text.split("\n") if not line.startswith("> ")))
    result = CliRunner().invoke(cli, ["lint", "--dir", str(folder)])
    assert (
        result.exit_code == 1
        and "ADR033" in result.output
        and "says nothing of why" in result.output
    )


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
        "not none"
    )
    assert "not unix-sockets" in drift["0003-another-channel.md"]


def test_a_misspelt_status_or_mechanism_gets_a_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "0001-a.md").write_text("# 1. A\n\n## Status\n\nAccpted\n")
    folder = _override_record(tmp_path, "We already generate gRPC clients for all of them.")
    [record] = folder.glob("*.md")
    record.write_text(record.read_text().replace("mechanism: local-grpc", "mechanism: local-grcp"))
    typo = CliRunner().invoke(cli, ["lint", "--dir", str(tmp_path / "plain")])
    assert "is not a status adrgen knows; did you mean 'accepted'?" in typo.output
    moved = CliRunner().invoke(cli, ["lint", "--dir", str(folder)])
    assert "'local-grcp' is no longer in the catalog; did you mean 'local-grpc'?" in moved.output
