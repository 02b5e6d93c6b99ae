"""Writes, crashes and concurrency: cases 13-16 of the hardening issue.

A record is written whole or not at all, never over anything, by any number of writers at
once; a process killed half-way leaves every file fully old or fully new; a disk that is
full or a folder that is read-only is a clear error with nothing half-written.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from factsets import CLI_TO_DAEMON

from adrgen.files.safe_yaml import dump
from adrgen.records.parse import parse_record

from .harness import (
    Team,
    adrgen_process,
    as_run,
    assert_clear_error,
    assert_unchanged,
    record_names,
    snapshot,
)

SLUG = "cli-talks-to-the-build-daemon"
LAST_LINE = "Catalog: ipc-garden"  # a complete record ends with the catalog it came from


def complete(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    record = parse_record(path)
    return LAST_LINE in text.rstrip().split("\n")[-1] and not record.problems


# --- 13. many writers at once -----------------------------------------------------------------

WRITERS = 20
ROUNDS = 5


def test_13_concurrent_writers_get_distinct_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "decisions"
    answers = tmp_path / "answers"
    answers.mkdir()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for round_ in range(ROUNDS):
        running = []
        for index in range(WRITERS):
            writer = f"round-{round_}-writer-{index}"
            # half the writers share a title, so the same file name is raced for too
            title = "Same title" if index % 2 else f"Decision {writer}"
            path = answers / f"{writer}.yaml"
            path.write_text(dump({"title": title, "deciders": [writer], "facts": CLI_TO_DAEMON}))
            command = [sys.executable, "-m", "adrgen", "new", "--answers", path, "--no-input"]
            running.append(
                subprocess.Popen(
                    [*command, "--dir", folder],
                    cwd=tmp_path,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        for process in running:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, (out, err)

    names = record_names(folder)
    assert len(names) == WRITERS * ROUNDS, names  # no temporary file left behind
    numbers = sorted(int(name.split("-")[0]) for name in names)
    assert numbers == list(range(1, WRITERS * ROUNDS + 1))
    writers = set()
    for name in names:
        record = parse_record(folder / name)
        assert complete(folder / name), name
        assert record.number == int(name.split("-")[0]) == record.front_matter["number"]
        writers.add(record.deciders[0])
    assert len(writers) == WRITERS * ROUNDS  # every writer's record, none lost or doubled


# --- 14. nothing is overwritten or followed ---------------------------------------------------


def test_14_existing_file_or_symlink_at_the_target_is_never_overwritten_or_followed(
    team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adrgen.records import write as records_write

    outside = tmp_path / "outside.md"
    outside.write_text("a file outside the record folder\n")
    folder = team.records
    (folder / f"0002-{SLUG}.md").write_text("another tool's record, same name\n")
    (folder / f"0003-{SLUG}.md").symlink_to(outside)
    (folder / f"0004-{SLUG}.md").symlink_to(tmp_path / "dangling.md")
    (folder / f"0005-{SLUG}.md").mkdir()
    before = snapshot(tmp_path)
    # a tool that ignores the folder lock took every name between our look and our write
    monkeypatch.setattr(records_write, "highest_number", lambda directory: 1)
    run = team.new("--date", "2026-07-08")
    assert run.code == 0, run
    written = folder / f"0006-{SLUG}.md"
    assert complete(written)
    after = snapshot(tmp_path)
    assert set(after) - set(before) == {f"team/decisions/0006-{SLUG}.md"}
    assert {k: after[k] for k in before} == before  # everything else byte for byte
    assert not (tmp_path / "dangling.md").exists()


def test_14_other_writes_never_follow_a_symlink(team: Team, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("outside\n")
    exported = team.templates / "madr.md.j2"
    exported.symlink_to(outside)
    (team.root / "elsewhere").mkdir()
    (team.root / "elsewhere" / ".adrgen.yaml").symlink_to(tmp_path / "dangling.yaml")
    before = snapshot(tmp_path)
    run = team.adrgen("templates", "export", "madr")
    assert_clear_error(run, exported, says="already exists", line=None)
    from .harness import adrgen

    run = adrgen("init", cwd=team.root / "elsewhere")
    assert run.code == 2 and "Traceback" not in run.stderr, run
    assert_unchanged(before, tmp_path)
    assert not (tmp_path / "dangling.yaml").exists()


# --- 15. crashes, a full disk, a read-only folder -------------------------------------------

# run `adrgen ARGS` with one step of the writer made to wait, so the test can kill it there
PAUSED_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from adrgen.records import write as records_write
    step, ready, *args = sys.argv[1:]

    def pausing(original):
        def paused(*a, **k):
            os.write(int(ready), b"ready")  # the test waits on this, then signals us
            time.sleep(600)
            return original(*a, **k)
        return paused

    if step == "before-link":  # the temporary file is complete, the record has no name yet
        records_write._link_into_place = pausing(records_write._link_into_place)
    else:  # the record has its name; the folder is not synced yet
        records_write._fsync_directory = pausing(records_write._fsync_directory)
    from adrgen.cli import main
    main(args)
    """
)


# how long a paused writer may take to reach its step, or to end once signalled: only a
# writer that hangs comes near it, so the test fails instead of waiting for ever
STUCK = 300


def _as_from_a_terminal() -> None:
    """Ctrl-C's default action, whatever the test runner inherited: a shell that starts a job
    in the background (`make test &`, CI runners) ignores SIGINT for it, and the writer would
    inherit that and sleep through the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _paused(script: str, step: str, args: list[object], cwd: Path) -> subprocess.Popen:
    """The writer, started and waited for until it reports that it reached `step`."""
    ready_read, ready_write = os.pipe()
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", script, step, str(ready_write), *[str(a) for a in args]],
            cwd=cwd,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "ADRGEN_NO_CACHE": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            pass_fds=(ready_write,),
            preexec_fn=_as_from_a_terminal,
        )
    finally:
        os.close(ready_write)  # the writer holds the only write end: its exit ends the wait
    with os.fdopen(ready_read, "rb") as ready:
        reached, _, _ = select.select([ready], [], [], STUCK)
        said = ready.read(5) if reached else b""
    if said != b"ready":
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"the writer never reached the step: {said!r}\n{out}\n{err}")
    return process


@pytest.mark.parametrize(
    ("step", "signal_", "record_exists"),
    [
        ("before-link", signal.SIGKILL, False),
        ("after-link", signal.SIGKILL, True),
        ("before-link", signal.SIGINT, False),
    ],
    ids=["killed-before-its-name", "killed-after-its-name", "ctrl-c-before-its-name"],
)
def test_15_killed_mid_write_leaves_the_whole_record_or_nothing(
    step: str, signal_: int, record_exists: bool, team: Team
) -> None:
    before = record_names(team.records)
    args = ["new", "--answers", team.answers, "--no-input", "--date", "2026-07-08"]
    process = _paused(PAUSED_WRITER, step, args, team.root)
    process.send_signal(signal_)
    out, err = process.communicate(timeout=STUCK)
    target = team.records / f"0002-{SLUG}.md"
    if signal_ == signal.SIGINT:
        assert process.returncode == 130, (out, err)
        assert "interrupted: nothing was written" in err and "Traceback" not in err
    else:
        assert process.returncode == -signal.SIGKILL
    left = [n for n in record_names(team.records) if n not in before]
    if record_exists:
        assert left == [target.name] and complete(target)
    else:
        # at most the hidden temporary file of the dead writer: never a record, half or whole
        assert not target.exists()
        assert all(n.startswith(".") and ".tmp-" in n for n in left), left
    # the next writer clears what the dead one left, and takes the next free number
    run = team.new("--date", "2026-07-08")
    assert run.code == 0, run
    expected = before + [target.name] + ([f"0003-{SLUG}.md"] if record_exists else [])
    assert record_names(team.records) == sorted(expected)
    assert all(complete(team.records / n) for n in record_names(team.records))


def _limited_file_size(limit: int):
    def preexec() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def test_15_a_full_disk_writes_nothing(team: Team) -> None:
    before = snapshot(team.root)
    args = ["new", "--answers", team.answers, "--no-input", "--date", "2026-07-08"]
    done = adrgen_process(*args, cwd=team.root, preexec_fn=_limited_file_size(2048))
    target = team.records / f"0002-{SLUG}.md"
    assert_clear_error(as_run(done), target, says="cannot write: File too large", line=None)
    assert_unchanged(before, team.root)


def _without_root_override() -> None:
    """As root, permissions do not stop writes; drop the capabilities that let them pass."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_15_a_read_only_folder_writes_nothing(team: Team) -> None:
    before = snapshot(team.root)
    team.records.chmod(0o555)
    try:
        args = ["new", "--answers", team.answers, "--no-input", "--date", "2026-07-08"]
        done = adrgen_process(*args, cwd=team.root, preexec_fn=_without_root_override)
        if "prctl" in done.stderr:
            pytest.skip("cannot drop root's capabilities here")
        target = team.records / f"0002-{SLUG}.md"
        assert_clear_error(as_run(done), target, says="cannot write: Permission denied", line=None)
    finally:
        team.records.chmod(0o755)
    assert_unchanged(before, team.root)


# lifecycle commands replace each file atomically; pause before the Nth replacement
PAUSED_LIFECYCLE = textwrap.dedent(
    """
    import os, sys, time
    step, ready, *args = sys.argv[1:]
    replace, calls = os.replace, []

    def paused(*a, **k):
        calls.append(a)
        if len(calls) == int(step):
            os.write(int(ready), b"ready")
            time.sleep(600)
        return replace(*a, **k)

    os.replace = paused  # the record cache is off, so only record files are replaced
    from adrgen.cli import main
    main(args)
    """
)

LIFECYCLE = {
    "status": (["status", "1", "accepted"], [1]),
    "supersede": (["supersede", "1", "--by", "2"], [1, 2]),
    "link": (["link", "2", "1", "--kind", "amends"], [1, 2]),
}


@pytest.mark.parametrize(
    ("command", "step"),
    [(name, step) for name, (_, steps) in LIFECYCLE.items() for step in steps],
)
def test_15_lifecycle_killed_mid_way_leaves_each_file_old_or_new(
    command: str, step: int, team: Team, tmp_path: Path
) -> None:
    run = team.new("--date", "2026-07-08")
    assert run.code == 0, run
    names = [n for n in record_names(team.records) if not n.startswith(".")]
    old = {n: (team.records / n).read_bytes() for n in names}
    args, _ = LIFECYCLE[command]
    # what the command writes when it is not interrupted, in a copy of the folder
    copy = tmp_path / "copy"
    shutil.copytree(team.root, copy, symlinks=True)
    finished = adrgen_process(*args, cwd=copy, env={"ADRGEN_NO_CACHE": "1"})
    assert finished.returncode == 0, finished
    new = {n: (copy / "decisions" / n).read_bytes() for n in names}
    assert new != old

    process = _paused(PAUSED_LIFECYCLE, str(step), args, team.root)
    process.kill()
    process.communicate(timeout=STUCK)
    for name in names:
        now = (team.records / name).read_bytes()
        assert now in (old[name], new[name]), name
    changed = [n for n in names if (team.records / n).read_bytes() == new[n] != old[n]]
    assert len(changed) == step - 1  # the files replaced before the kill, no more
    # what the dead command left is hidden, and the next command in the folder clears it
    left = [n for n in record_names(team.records) if n not in names]
    assert all(n.startswith(".") for n in left), left
    listed = team.adrgen("list", "--format", "json")
    assert listed.code == 0 and listed.stdout.count('"file"') == len(names), listed
    run = team.adrgen("status", "2", "accepted")
    assert run.code == 0, run
    assert record_names(team.records) == sorted(names)


# --- 16. two branches add the same number -----------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_16_merged_branches_with_the_same_number_are_reported_and_renumbered(team: Team) -> None:
    for _ in range(10):  # records 0002 to 0011 on main
        assert team.new("--date", "2026-08-09").code == 0
    repo = team.root
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "eleven records")

    _git(repo, "checkout", "-q", "-b", "shared-memory")
    ours = team.write_answers("ours.yaml", title="Frames move through shared memory")
    assert team.new("--date", "2026-08-10", answers=ours).code == 0
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "ours")

    _git(repo, "checkout", "-q", "main")
    theirs = team.write_answers("theirs.yaml", title="Metrics go over a unix socket")
    assert team.new("--date", "2026-08-11", answers=theirs).code == 0
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "theirs")

    # before the merge, the branch can see the clash coming
    _git(repo, "checkout", "-q", "shared-memory")
    against = team.adrgen("lint", "--against", "main")
    assert "number 12 is also used on main by 0012-metrics-go-over-a-unix-socket.md" in (
        against.stdout
    ), against
    assert "adrgen renumber 0012-frames-move-through-shared-memory.md" in against.stdout

    _git(repo, "merge", "-q", "main", "-m", "merge main")
    twelve = sorted(p.name for p in team.records.glob("0012-*.md"))
    assert len(twelve) == 2
    lint = team.adrgen("lint")
    assert lint.code == 1, lint
    [duplicate] = [line for line in lint.stdout.splitlines() if "[duplicate-number]" in line]
    assert f"number 12 is used by {', '.join(twelve)}" in duplicate
    advice = duplicate.split("renumber one: ")[1]
    assert advice.startswith("adrgen renumber 0012-")

    run = team.adrgen(*advice.split()[1:])  # exactly what lint said to run
    assert run.code == 0, run
    assert len(list(team.records.glob("0012-*.md"))) == 1
    [moved] = list(team.records.glob("0013-*.md"))
    assert parse_record(moved).front_matter["number"] == 13
    clean = team.adrgen("lint", "--ignore", "duplicate-title")  # eleven records, one title
    assert clean.code == 0, clean
    assert "13 records" in clean.stdout and "no problems" in clean.stdout
