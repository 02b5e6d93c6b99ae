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
    cache.write_text(
        f'{{"format": {record_cache.FORMAT}, "entries": {{"0001-a.md": {{"stat": "x", "record": 7}}}}}}'
    )
    assert scan_records(tmp_path)[0].title == "First"
    cache.write_text("not json")
    assert scan_records(tmp_path)[0].title == "First"


def test_the_cache_can_be_turned_off(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ADRGEN_NO_CACHE", "1")
    write(tmp_path / "0001-a.md", "First")
    scan_records(tmp_path)
    assert record_cache.load(tmp_path) == {}


def test_an_entry_unlike_what_parsing_gives_is_parsed_again(tmp_path: Path) -> None:
    """The stat matches, so the entry would be used: each field of the wrong type, an extra
    field or a missing one makes adrgen read the file instead."""
    path = tmp_path / "0001-a.md"
    write(path, "First")
    scan_records(tmp_path)
    good = record_cache.load(tmp_path)["0001-a.md"]
    changes = {
        "title": 7,
        "number": "abc",
        "status": ["accepted"],
        "problems": None,
        "links": [{"kind": "supersedes", "target": 5, "line": 1}],
        "body_links": [{"kind": "link", "target": "x.md"}],
        "front_matter": [],
        "heading_number": True,
        "unexpected": "field",
    }
    for name, value in changes.items():
        entry = {"stat": good["stat"], "record": {**good["record"], name: value}}
        record_cache.save(tmp_path, {"0001-a.md": entry})
        assert record_cache.record_from_entry(path, entry["record"]) is None, name
        [record] = scan_records(tmp_path)
        assert (record.title, record.number, record.problems) == ("First", 1, []), name
    entry = {"stat": good["stat"], "record": {**good["record"], "title": "Forged"}}
    record_cache.save(tmp_path, {"0001-a.md": entry})
    assert scan_records(tmp_path)[0].title == "Forged"  # well formed: a cache is trusted that far
