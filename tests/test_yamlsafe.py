from __future__ import annotations

from pathlib import Path

import pytest

from adrgen.errors import AdrgenError
from adrgen.files.safe_yaml import dump, load_file, parse_text


def test_values_keep_their_lines() -> None:
    data, lines = parse_text("a: 1\nb:\n  - x: 2\n  - y\n", "f.yaml")
    assert data == {"a": 1, "b": [{"x": 2}, "y"]}
    assert lines.line_of(("b", 0, "x")) == 3
    assert lines.line_of(("b", 1)) == 4
    assert lines.line_of(("b", 7, "missing")) == 2  # nearest known ancestor


@pytest.mark.parametrize(
    "text, expected",
    [
        ("v: NO", "NO"),
        ("v: yes", "yes"),
        ("v: on", "on"),
        ("v: 12:30", "12:30"),
        ("v: 0777", "0777"),
        ("v: 1e5", "1e5"),
        ("v: 2026-11-25", "2026-11-25"),
        ("v: 0x1F", "0x1F"),
        ("v: true", True),
        ("v: false", False),
        ("v: ~", None),
        ("v: 42", 42),
        ("v: -3", -3),
        ("v: 2.5", 2.5),
        ("v: '42'", "42"),
    ],
)
def test_plain_scalars_read_as_written(text: str, expected: object) -> None:
    assert parse_text(text)[0]["v"] == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: !!python/object/apply:os.system ['true']", "tag"),
        ("a: !custom x", "tag"),
        ("a: &x [1, 2]\nb: *x", "aliases"),
        ("a: 1\na: 2", "duplicate key 'a'"),
        ("a: " + "[" * 10_000 + "]" * 10_000, "nesting"),
        ("a: " + "[" * 100 + "]" * 100, "nesting deeper than 64"),
        ("a: [1, 2", "invalid YAML"),
        ("a: 1\n---\nb: 2", "only one YAML document"),
        ("? [1, 2]\n: x", "plain value"),
    ],
)
def test_unsafe_or_broken_yaml_is_refused_with_a_line(text: str, message: str) -> None:
    with pytest.raises(AdrgenError) as caught:
        parse_text(text, "bad.yaml")
    assert caught.value.message.startswith("bad.yaml:")
    assert message in caught.value.message


def test_billion_laughs_is_refused_quickly() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for index in range(1, 9):
        prev = chr(ord("a") + index - 1)
        name = chr(ord("a") + index)
        bomb += f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    with pytest.raises(AdrgenError, match="aliases"):
        parse_text(bomb, "bomb.yaml")


def test_file_limits(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 2_000_000)
    with pytest.raises(AdrgenError, match="over the"):
        load_file(big)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(AdrgenError, match=r"bin.yaml:1: not valid UTF-8"):
        load_file(binary)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes("\ufeffa: 1\n".encode())
    assert load_file(bom)[0] == {"a": 1}
    with pytest.raises(AdrgenError, match="is a directory"):
        load_file(tmp_path)


@pytest.mark.parametrize(
    "value",
    [
        "no",
        "12:30",
        "0777",
        "0o17",
        "1e5",
        "true",
        "null",
        "",
        " lead",
        "a: b",
        "- x",
        "#c",
        "x\ny",
        "é✓",
        "1.5",
    ],
)
def test_dump_round_trips_strings(value: str) -> None:
    assert parse_text(dump({"v": value}))[0] == {"v": value}
