"""Record file names, numbering, exclusive and atomic creation, and the front matter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adrgen.errors import AdrgenError
from adrgen.files.safe_yaml import parse_text
from adrgen.records import write as records_write
from adrgen.records.parse import parse_record
from adrgen.records.slugs import (
    MAX_FILE_NAME_BYTES,
    is_reserved_name,
    record_file_name,
    record_slug,
)
from adrgen.records.write import FRONT_MATTER_KEYS, compose_record, write_record

HOSTILE_TITLES = [
    "..",
    "---",
    "🎉🚀✨",
    "a/b\\c",
    "../../etc/passwd",
    "CON",
    "aux.md",
    "Lpt1",
    "é" * 1000,
    "日本語のタイトル" * 50,
    "",
    "   ",
    "\x00\x01",
    "x" * 5000,
    "word " * 400,
]


@pytest.mark.parametrize("title", HOSTILE_TITLES, ids=range(len(HOSTILE_TITLES)))
def test_file_names_are_safe_for_any_title(title: str, tmp_path: Path) -> None:
    name = record_file_name(7, title)
    assert name.startswith("0007-") and name.endswith(".md")
    assert len(name.encode("utf-8")) <= MAX_FILE_NAME_BYTES
    slug = name[len("0007-") : -len(".md")]
    assert slug and set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert not slug.startswith("-") and not slug.endswith("-")
    assert not is_reserved_name(slug)
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_slugs_read_like_the_title() -> None:
    assert (
        record_slug("CLI talks to the local build daemon") == "cli-talks-to-the-local-build-daemon"
    )
    assert record_slug("Ünïcødé — title") == "unicode-title"
    assert record_slug("..") == "decision"
    assert record_slug("CON") == "con-decision"
    assert record_slug("aux") == "aux-decision"
    assert record_slug("aux.md") == "aux-md"  # no longer a device name once the dot is gone


def test_numbers_have_four_digits_then_grow() -> None:
    assert record_file_name(1, "t") == "0001-t.md"
    assert record_file_name(12345, "t") == "12345-t.md"


def test_reserved_names_are_recognised_with_suffixes_and_any_case() -> None:
    assert all(is_reserved_name(n) for n in ("CON", "con", "Aux.md", "nul.txt", "COM1", "lpt9.x"))
    assert not any(is_reserved_name(n) for n in ("console", "com10", "auxiliary", "0001-con.md"))


def _text(number: int) -> str:
    return compose_record({"number": number, "title": "T"}, f"# T {number}\n")


def test_numbering_continues_after_other_tools_records(tmp_path: Path) -> None:
    (tmp_path / "0007-foo.md").write_text("# 7. Foo\n")
    (tmp_path / "0003-bar.markdown").write_text("# Bar\n")
    (tmp_path / "20210101-dated.md").write_text("# Dated\n")  # a date, not a number
    (tmp_path / ".0099-hidden.md.tmp-1").write_text("")  # not a record
    (tmp_path / "README.md").write_text("# Decisions\n")
    path = write_record(tmp_path, "Next one", _text)
    assert path.name == "0008-next-one.md"
    assert path.read_text().startswith("---\nnumber: 8\n")


def test_the_folder_is_created_with_its_parents(tmp_path: Path) -> None:
    path = write_record(tmp_path / "docs" / "decisions", "First", _text)
    assert path == tmp_path / "docs" / "decisions" / "0001-first.md"


def test_a_file_where_the_folder_should_be_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "decisions").write_text("not a folder")
    with pytest.raises(AdrgenError, match="exists and is not a folder"):
        write_record(tmp_path / "decisions", "T", _text)


def test_an_existing_file_or_symlink_is_never_overwritten_or_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "decisions"
    folder.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("outside, untouched")
    (folder / "0001-title.md").write_text("the original record")
    (folder / "0002-title.md").symlink_to(outside)
    (folder / "0003-title.md").symlink_to(tmp_path / "dangling")
    # another tool that ignores the lock took the names between our look and our write
    monkeypatch.setattr(records_write, "highest_number", lambda directory: 0)
    path = write_record(folder, "Title", _text)
    assert path.name == "0004-title.md"
    assert (folder / "0001-title.md").read_text() == "the original record"
    assert outside.read_text() == "outside, untouched"
    assert not (tmp_path / "dangling").exists()
    assert sorted(p.name for p in folder.iterdir()) == [
        "0001-title.md",
        "0002-title.md",
        "0003-title.md",
        "0004-title.md",
    ]


def test_gives_up_when_the_names_keep_being_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(1, 10):
        (tmp_path / f"{number:04d}-t.md").write_text("taken")
    monkeypatch.setattr(records_write, "highest_number", lambda directory: 0)
    with pytest.raises(AdrgenError, match="keeps taking the next record number"):
        write_record(tmp_path, "t", _text)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_failing_render_writes_nothing(tmp_path: Path) -> None:
    def broken(number: int) -> str:
        raise AdrgenError("template.md.j2:3: 'x' is undefined")

    with pytest.raises(AdrgenError, match="undefined"):
        write_record(tmp_path, "T", broken)
    assert list(tmp_path.iterdir()) == []


def test_a_failing_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(records_write.os, "link", no_space)
    monkeypatch.setattr(records_write.os, "rename", no_space)
    with pytest.raises(AdrgenError, match="cannot write: No space left on device"):
        write_record(tmp_path, "T", _text)
    assert list(tmp_path.iterdir()) == []


def test_without_hard_links_the_record_is_still_written_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(records_write.os, "link", no_links)
    path = write_record(tmp_path, "T", _text)
    assert path.read_text() == _text(1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0001-t.md"]


def test_temporary_files_of_dead_writers_are_cleared(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f".0001-t.md.tmp-{dead.stdout.strip()}"
    stale.write_text("half a rec")
    alive = tmp_path / f".0001-u.md.tmp-{os.getppid()}"
    alive.write_text("someone is writing this")
    write_record(tmp_path, "T", _text)
    assert not stale.exists()
    assert alive.exists()


def test_front_matter_keys_are_in_order_and_unknown_ones_refused() -> None:
    meta = {key: None for key in reversed(FRONT_MATTER_KEYS)}
    text = compose_record(meta, "# Body\n")
    keys = [line.split(":")[0] for line in text.split("\n")[1:] if line and line[0].isalpha()]
    assert keys == list(FRONT_MATTER_KEYS)
    with pytest.raises(ValueError, match="unknown front-matter keys"):
        compose_record({"number": 1, "evil": True}, "")


def test_adrgen_records_read_back(tmp_path: Path) -> None:
    meta = {
        "number": 3,
        "title": "x # y --- <script>alert(1)</script>: yes",
        "status": "accepted",
        "date": "2026-11-25",
        "deciders": ["ana", "- bo", "NO"],
        "mechanism": "unix-sockets",
        "outcome": "ipc",
        "recommended": "unix-sockets",
        "template": "madr",
        "catalog": {"name": "ipc-garden", "version": "1.0", "overlay": None},
        "tags": [],
        "supersedes": [],
        "superseded_by": None,
        "links": [],
        "fields": {"ticket": "ARCH-12", "reviewed": True, "cost": 3},
        "answers": {"title": "t", "context": "line 1\n---\n# not a heading\n  indented \n"},
    }
    path = tmp_path / "0003-x.md"
    path.write_text(compose_record(meta, "# x\n\nbody\n"))
    record = parse_record(path)
    assert record.problems == []
    assert record.format == "adrgen"
    assert (record.number, record.title, record.status, record.date) == (
        3,
        meta["title"],
        "accepted",
        "2026-11-25",
    )
    assert record.deciders == ["ana", "- bo", "NO"]
    assert (record.mechanism, record.outcome) == ("unix-sockets", "ipc")
    front = path.read_text().split("\n---\n")[0].removeprefix("---\n")
    assert parse_text(front)[0] == meta


def test_a_writer_killed_mid_write_leaves_no_record_and_no_lasting_debris(tmp_path: Path) -> None:
    # the process dies after the temporary file is complete and before it gets its name
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from adrgen.records import write as records_write\n"
        "records_write._link_into_place = lambda temp, target: os.kill(os.getpid(), signal.SIGKILL)\n"
        "records_write.write_record(Path(sys.argv[1]), 'Killed', lambda n: 'x' * 100000)\n"
    )
    killed = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True)
    assert killed.returncode == -9
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".0001-killed.md.tmp-")  # hidden, not a record
    path = write_record(tmp_path, "Next", _text)
    assert path.name == "0001-next.md"  # the dead writer's number was never taken
    assert [p.name for p in tmp_path.iterdir()] == ["0001-next.md"]
