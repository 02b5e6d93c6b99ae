from __future__ import annotations

import os
from pathlib import Path

from adrgen.files.cache import entry_path
from adrgen.records import cache as record_cache
from adrgen.records.parse import scan_records


def write(path: Path, title: str, status: str = "Accepted") -> None:
    path.write_text(f"# 1. {title}\n\nDate: 2020-01-01\n\n## Status\n\n{status}\n")


def test_unchanged_files_come_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "0001-a.md", "First")
    first = scan_records(tmp_path)
    assert record_cache.load(tmp_path)["0001-a.md"]["record"]["title"] == "First"
    calls = []
    monkeypatch.setattr("adrgen.records.parse.parse_record", lambda path: calls.append(path))
    again = scan_records(tmp_path)
    assert calls == []
    assert again == first


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "0001-a.md"
    write(path, "First")
    scan_records(tmp_path)
    stat = path.stat()
    write(path, "Other", status="Deprecated")  # same size, same second
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    record = scan_records(tmp_path)[0]
    assert (record.title, record.status) == ("Other", "deprecated")


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / "0001-a.md", "First")
    scan_records(tmp_path)
    cache = entry_path(record_cache._entry_name(tmp_path))
    cache.write_text('{"format": 2, "entries": {"0001-a.md": {"stat": "x", "record": 7}}}')
    assert scan_records(tmp_path)[0].title == "First"
    cache.write_text("not json")
    assert scan_records(tmp_path)[0].title == "First"


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ADRGEN_NO_CACHE", "1")
    write(tmp_path / "0001-a.md", "First")
    scan_records(tmp_path)
    assert record_cache.load(tmp_path) == {}
