"""Files adrgen reads, written by many people: cases 10-12 of the hardening issue.

The same hostile YAML goes into each kind of file adrgen reads (an answers file, the team's
`.adrgen.yaml`, an overlay, a catalog file, a record's front matter). A file is refused with
one line naming it and its line, or read exactly as its author wrote it; a broken record is
reported and the command goes on to the others.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from factsets import CLI_TO_DAEMON

from adrgen import resources
from adrgen.answers.loading import MAX_ANSWERS_BYTES
from adrgen.catalog.overlay import MAX_OVERLAY_BYTES
from adrgen.files.safe_yaml import MAX_BYTES, dump, parse_text
from adrgen.records.parse import MAX_RECORD_BYTES

from .harness import Team, adrgen, assert_clear_error, assert_unchanged, snapshot

BOM = "\ufeff".encode()


# --- the kinds of file, and how each is put in front of adrgen ------------------------------


@dataclass
class Kind:
    name: str
    limit: int  # bytes
    base: Callable[[Team], bytes]  # a valid file that a fragment is appended to
    install: Callable[[Team, bytes], Path]  # writes the file; its path
    args: Callable[[Team], list[object]]  # the command that reads it


def _answers_args(team: Team) -> list[object]:
    return ["new", "--answers", team.answers, "--no-input"]


def _catalog_file(team: Team) -> Path:
    return team.root / "catalog" / "mechanisms" / "pipes.yaml"


def _install_answers(team: Team, data: bytes) -> Path:
    team.answers.write_bytes(data)
    return team.answers


def _install_config(team: Team, data: bytes) -> Path:
    team.config.write_bytes(data)
    return team.config


def _install_overlay(team: Team, data: bytes) -> Path:
    path = team.root / "overlay.yaml"
    path.write_bytes(data)
    with team.config.open("a") as config:
        config.write("overlay: overlay.yaml\n")
    return path


def _install_catalog(team: Team, data: bytes) -> Path:
    if not (team.root / "catalog").exists():
        shutil.copytree(resources.catalog_dir(), team.root / "catalog")
    _catalog_file(team).write_bytes(data)
    return _catalog_file(team)


KINDS = {
    "answers": Kind(
        "answers",
        MAX_ANSWERS_BYTES,
        lambda team: dump(
            {"title": "CLI talks to the build daemon", "facts": CLI_TO_DAEMON}
        ).encode(),
        _install_answers,
        _answers_args,
    ),
    "config": Kind(
        "config",
        MAX_BYTES,
        lambda team: b"team: hardening\nrecords: decisions\ntemplates: tpl\n",
        _install_config,
        _answers_args,
    ),
    "overlay": Kind(
        "overlay",
        MAX_OVERLAY_BYTES,
        lambda team: b"name: payments-team\n",
        _install_overlay,
        _answers_args,
    ),
    "catalog": Kind(
        "catalog",
        MAX_BYTES,
        lambda team: (resources.catalog_dir() / "mechanisms" / "pipes.yaml").read_bytes(),
        _install_catalog,
        lambda team: [*_answers_args(team), "--catalog", team.root / "catalog"],
    ),
}

DEEP = "nesting deeper than 64 levels|exceeded maximum nesting depth"
BILLION_LAUGHS = "\n".join(
    [
        'lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)),
    ]
)
# fragment appended to a valid file -> what the one-line message says, and the line it names
# as an offset into the fragment (None: the message names no line)
BAD_YAML: dict[str, tuple[Callable[[Kind], bytes], str, int | None]] = {
    "python-tag": (
        lambda kind: b'x: !!python/object/apply:os.system ["touch PWNED"]\n',
        "YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed",
        0,
    ),
    "python-name-tag": (
        lambda kind: b"x: !!python/name:os.system\n",
        "YAML tag .* is not allowed",
        0,
    ),
    # the first alias, on the bomb's second line, is refused: nothing is expanded
    "alias-bomb": (lambda kind: BILLION_LAUGHS.encode() + b"\n", r"YAML aliases \(\*a0\)", 1),
    # 10,000 levels stop in libyaml's parser, before any Python recursion
    "deep-nesting": (
        lambda kind: b"x: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
        DEEP,
        0,
    ),
    "deep-flow-mappings": (lambda kind: b"x: " + b"{k: " * 10_000 + b"}" * 10_000 + b"\n", DEEP, 0),
    # a hundred levels of block mappings stop at adrgen's own limit, on the 65th level's line
    "deep-block-mappings": (
        lambda kind: b"".join(b" " * i + b"k:\n" for i in range(100)),
        "nesting deeper than 64 levels",
        64,
    ),
    "over-size": (
        lambda kind: b"# " + b"x" * kind.limit + b"\n",
        "bytes is over the .*-byte limit",
        None,
    ),
    "duplicate-key": (lambda kind: b"", "duplicate key", 0),  # the fragment is made below
    "not-utf-8": (lambda kind: b"# caf\xe9 cr\xe8me\n", r"not valid UTF-8", 0),
}
# a key each kind of file already has, given a second time
_DUPLICATE = {
    "answers": b"title: again\n",
    "config": b"records: again\n",
    "overlay": b"name: again\n",
    "catalog": b"name: again\n",
}


@pytest.mark.parametrize("problem", sorted(BAD_YAML))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_10_hostile_yaml_refused_with_file_and_line(kind: str, problem: str, team: Team) -> None:
    spec = KINDS[kind]
    make, says, offset = BAD_YAML[problem]
    base = spec.base(team)
    fragment = _DUPLICATE[kind] if problem == "duplicate-key" else make(spec)
    path = spec.install(team, base + fragment)
    before = snapshot(team.root.parent)
    start = time.monotonic()
    run = adrgen(*spec.args(team), cwd=team.root)
    assert time.monotonic() - start < 5  # refused, not expanded or recursed into
    line = None if offset is None else base.count(b"\n") + 1 + offset
    assert_clear_error(run, path, says=says, line=line)
    assert_unchanged(before, team.root.parent)
    assert not (team.root / "PWNED").exists()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_10_a_byte_order_mark_is_read(kind: str, team: Team) -> None:
    spec = KINDS[kind]
    spec.install(team, BOM + spec.base(team))
    run = adrgen(*spec.args(team), "--date", "2026-05-06", cwd=team.root)
    assert run.code == 0, run
    assert len(list(team.records.glob("0002-*.md"))) == 1


def test_10_yaml_1_1_surprises_are_read_as_written(team: Team) -> None:
    # an answers file: `NO` is not false, `12:30` is not 750, `0777` is not 511
    # ...and where a fact is a yes/no question, `yes` and `no` mean what they say
    facts = json.dumps({**CLI_TO_DAEMON, "same_host": "YES", "same_runtime": "NO"})
    facts = facts.replace('"YES"', "yes").replace('"NO"', "no")
    team.answers.write_text(
        "title: NO\ncontext: 0777\ndeciders: [NO, 12:30, 0777, on, 1e5, 2001-12-14, ~x]\n"
        f"facts: {facts}\n"
    )
    # a team config: the record folder is called 0777, the team NO
    team.config.write_text("team: NO\nrecords: 0777\ntemplates: tpl\noverlay: overlay.yaml\n")
    # an overlay named `no`, with team notes that look like other types
    (team.root / "overlay.yaml").write_text(
        "name: no\nmechanisms:\n  pipes:\n    team_notes: [NO, 12:30, 0777, yes]\n"
    )
    # a catalog file whose texts look like a boolean, a time and an octal number
    _install_catalog(team, KINDS["catalog"].base(team))
    pipes = _catalog_file(team)
    text = pipes.read_text().replace("name: Pipes / FIFOs", "name: NO")
    text = text.replace("typical_use: Simple parent-child or shell pipelines", "typical_use: 12:30")
    pipes.write_text(
        text.replace("garden_note: Lowest ceremony; narrow contracts", "garden_note: 0777")
    )

    catalog = ["--catalog", team.root / "catalog"]
    run = team.new("--date", "2026-05-06", *catalog)
    assert run.code == 0, run
    [path] = list((team.root / "0777").iterdir())
    listed = team.adrgen("list", "--format", "json")
    assert listed.code == 0, listed
    [record] = json.loads(listed.stdout)
    assert record["title"] == "NO"
    assert record["deciders"] == ["NO", "12:30", "0777", "on", "1e5", "2001-12-14", "~x"]
    assert record["mechanism"] == "unix-sockets"
    shown = team.adrgen("catalog", "show", "pipes", "--format", "json", *catalog)
    pipes_entry = json.loads(shown.stdout)
    assert (pipes_entry["name"], pipes_entry["typical_use"], pipes_entry["garden_note"]) == (
        "NO",
        "12:30",
        "0777",
    )
    assert pipes_entry["team_notes"][-4:] == ["NO", "12:30", "0777", "yes"]
    front = path.read_text(encoding="utf-8").split("\n---\n")[0]
    assert "overlay: 'no'" in front or 'overlay: "no"' in front  # quoted: stays a string
    meta, _ = parse_text(front.removeprefix("---\n"))
    assert meta["facts"]["same_host"] is True
    assert meta["facts"]["same_runtime"] is False
    assert 'title: "NO"' in front or "title: 'NO'" in front


# --- record front matter: reported, and the command goes on ------------------------------------

FRONT_MATTER = {
    "python-tag": (b'evil: !!python/object/apply:os.system ["touch PWNED"]\n', "YAML tag"),
    "alias-bomb": (BILLION_LAUGHS.encode() + b"\n", "YAML aliases"),
    "deep-nesting": (b"x: " + b"[" * 10_000 + b"]" * 10_000 + b"\n", DEEP),
    "duplicate-key": (b"title: again\n", "duplicate key 'title'"),
    "not-utf-8": (b"deciders: [Ren\xe9]\n", "not valid UTF-8"),
    "over-size": (b"# " + b"x" * MAX_RECORD_BYTES + b"\n", "over the .*-byte limit"),
}


@pytest.mark.parametrize("problem", sorted(FRONT_MATTER))
def test_10_hostile_front_matter_is_reported_and_listing_goes_on(problem: str, team: Team) -> None:
    fragment, says = FRONT_MATTER[problem]
    broken = team.records / "0002-broken.md"
    broken.write_bytes(b"---\ntitle: Broken\nstatus: accepted\n" + fragment + b"---\n\n# Broken\n")
    before = snapshot(team.root)
    start = time.monotonic()
    run = team.adrgen("list", "--format", "json")
    assert time.monotonic() - start < 5
    assert run.code == 0, run
    assert "Traceback" not in run.stderr
    records = {r["file"]: r for r in json.loads(run.stdout)}
    assert records["0001-cli-talks-to-the-build-daemon.md"]["problems"] == []
    [problem_line] = records["0002-broken.md"]["problems"]
    assert str(broken) in problem_line and re.search(says, problem_line)
    lint = team.adrgen("lint")
    assert lint.code == 1, lint  # problems found, not a crash
    assert f"{broken}: [unreadable]" in lint.stdout
    assert_unchanged(before, team.root)
    assert not (team.root / "PWNED").exists()


def test_10_a_byte_order_mark_before_front_matter_is_read(team: Team) -> None:
    (team.records / "0002-from-windows.md").write_bytes(
        BOM + b"---\ntitle: Saved by Notepad\nmechanism: pipes\ndeciders: [ana]\n---\n\n# Notepad\n"
    )
    run = team.adrgen("list", "--format", "json")
    record = next(r for r in json.loads(run.stdout) if r["file"] == "0002-from-windows.md")
    assert (record["title"], record["mechanism"], record["deciders"], record["problems"]) == (
        "Saved by Notepad",
        "pipes",
        ["ana"],
        [],
    )


def test_10_yaml_1_1_surprises_in_front_matter_are_read_as_written(team: Team) -> None:
    (team.records / "0002-other-tool.md").write_text(
        "---\ntitle: NO\nstatus: accepted\ndate: 2024-01-02\ndeciders: [NO, 12:30, 0777]\n"
        "tags: [on, off, 1e3]\n---\n\n# NO\n"
    )
    run = team.adrgen("list", "--format", "json")
    record = next(r for r in json.loads(run.stdout) if r["file"] == "0002-other-tool.md")
    assert (record["title"], record["deciders"], record["tags"]) == (
        "NO",
        ["NO", "12:30", "0777"],
        ["on", "off", "1e3"],
    )
    assert record["problems"] == [] and record["date"] == "2024-01-02"


# --- 11. answers files ------------------------------------------------------------------------

_FACTS = json.dumps(CLI_TO_DAEMON)
ANSWERS = {
    "unknown-key": (f"title: T\nfacts: {_FACTS}\nowner: me\n", 3, "owner: unknown key"),
    "unknown-fact": ("title: T\nfacts: {speed: 3}\n", 2, "facts.speed: unknown key"),
    "deciders-not-a-list": (f"title: T\ndeciders: ana\nfacts: {_FACTS}\n", 2, "deciders: expected a list"),
    "title-not-text": (f"title: [a, b]\nfacts: {_FACTS}\n", 1, "title: expected text"),
    "fact-not-a-boolean": ("title: T\nfacts: {same_host: maybe}\n", 2, "facts.same_host: 'maybe' is not true or false"),
    "unknown-volume": ("title: T\nfacts: {same_host: true, data_volume: huge}\n", 2, "facts.data_volume: 'huge' is not one of"),
    "unknown-mechanism": (f"title: T\nfacts: {_FACTS}\nchoice: carrier-pigeon\n", 3, "choice: unknown mechanism 'carrier-pigeon'"),
    "mechanism-id-not-an-id": (f"title: T\nfacts: {_FACTS}\nchoice: ../pipes\n", 3, "choice: '../pipes' is not a valid identifier"),
    "on-hold-without-justification": (
        "title: T\nfacts: {same_host: false}\nchoice: remote-rpc\n",
        3,
        "choice: 'remote-rpc' differs from the recommendation 'service-contract'; add a justification",
    ),
    "on-hold-with-blank-justification": (
        "title: T\nfacts: {same_host: false}\nchoice: remote-rpc\njustification: '   '\n",
        3,
        "add a justification",
    ),
    "override-without-justification": (f"title: T\nfacts: {_FACTS}\nchoice: pipes\n", 3, "add a justification"),
    "missing-facts": ("title: T\nfacts: {same_host: true}\n", 2, "facts: missing relationship"),
    "no-title": (f"facts: {_FACTS}\n", 1, "title: a record needs a title"),
    "title-cleans-to-nothing": (f'title: "\\u202e \\0 \\u200b"\nfacts: {_FACTS}\n', 1, "title: "),
    "unknown-status": (f"title: T\nstatus: done\nfacts: {_FACTS}\n", 2, "status: 'done' is not one of"),
    "template-path": (f"title: T\ntemplate: ../../etc/passwd\nfacts: {_FACTS}\n", 2, "template: "),
    "a-list-not-a-mapping": ("- title: T\n", 1, "expected a mapping of answers"),
    "broken-json": ('{"title": "T", "facts": {}\n', 2, "invalid YAML"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(ANSWERS))
def test_11_bad_answers_are_a_clear_error(case: str, team: Team) -> None:
    text, line, says = ANSWERS[case]
    answers = team.root / "bad-answers.yaml"
    answers.write_text(text, encoding="utf-8")
    before = snapshot(team.root.parent)
    run = team.new(answers=answers)
    assert_clear_error(run, answers, says=re.escape(says), line=line)
    assert_unchanged(before, team.root.parent)
    # `recommend` reads answers files the same way
    run = team.adrgen("recommend", "--answers", answers)
    assert run.code == 2 and run.stderr.startswith(f"{answers}:"), run
    assert len(run.stderr.strip().split("\n")) == 1, run


def test_11_an_empty_answers_file_is_a_clear_error(team: Team) -> None:
    answers = team.root / "empty.yaml"
    answers.write_text("# nothing here\n")
    before = snapshot(team.root.parent)
    run = team.new(answers=answers)
    assert_clear_error(run, answers, says="the answers file is empty", line=None)
    assert_unchanged(before, team.root.parent)


# --- 12. broken records in the record folder -------------------------------------------------


@pytest.fixture
def broken_folder(team: Team, tmp_path: Path) -> Team:
    """The team's record folder with every kind of broken record beside two good ones."""
    folder = team.records
    (tmp_path / "secret.md").write_text(
        "---\ntitle: SECRET-OUTSIDE\n---\n# SECRET-OUTSIDE\n\nSECRET-OUTSIDE, in the body too.\n"
    )
    (folder / "0002-no-front-matter.md").write_text("just some words, no heading\n")
    (folder / "0003-bad-front-matter.md").write_text("---\ntitle: [unclosed\n---\n# Bad\n")
    (folder / "0004-binary.md").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    )
    (folder / "0005-link.md").symlink_to(tmp_path / "secret.md")
    (folder / "0006-folder.md").mkdir()
    (folder / "0006-folder.md" / "inside.md").write_text("# not a record\n")
    (folder / "0007-latin-1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    (folder / "0008-dangling.md").symlink_to(tmp_path / "nowhere.md")
    (folder / "0009-front-matter-list.md").write_text("---\n- a\n- b\n---\n# A list\n")
    (folder / "0010-huge.md").write_bytes(b"# Huge\n" + b"x" * MAX_RECORD_BYTES)
    run = team.new("--date", "2026-06-07")
    assert run.code == 0 and "0011-" in run.stdout, run
    return team


BROKEN = {
    "0002-no-front-matter.md": "no title",
    "0003-bad-front-matter.md": "invalid YAML",
    "0004-binary.md": "binary file",
    "0005-link.md": "symbolic link; not followed",
    "0006-folder.md": "not a regular file",
    "0007-latin-1.md": "not valid UTF-8",
    "0008-dangling.md": "symbolic link; not followed",
    "0009-front-matter-list.md": "front matter is not a mapping",
    "0010-huge.md": "over the .*-byte limit",
}


def test_12_broken_records_are_reported_and_list_and_lint_go_on(broken_folder: Team) -> None:
    team = broken_folder
    before = snapshot(team.root.parent)
    listed = team.adrgen("list")
    assert listed.code == 0, listed
    assert "Traceback" not in listed.stderr
    for name, says in BROKEN.items():
        assert f"{name.split('-')[0]}!" in listed.stdout, name  # marked, still listed
        assert re.search(f"warning: .*{re.escape(name)}(:\\d+)?: .*{says}", listed.stderr), name
    assert "0001  " in listed.stdout and "0011  " in listed.stdout
    assert "SECRET" not in listed.stdout + listed.stderr

    as_json = json.loads(team.adrgen("list", "--format", "json").stdout)
    assert [r["number"] for r in as_json] == list(range(1, 12))
    # 0001 and 0011 come from the same answers, so they share a title: not this test's point
    lint = team.adrgen("lint", "--ignore", "duplicate-title")
    assert lint.code == 1, lint
    for name, says in BROKEN.items():
        assert re.search(f"{re.escape(name)}: \\[unreadable\\] .*{says}", lint.stdout), name
    problems = lint.stdout.splitlines()
    assert not [p for p in problems if "0001-" in p or "0011-" in p]  # the good ones are fine
    assert "SECRET" not in lint.stdout
    assert_unchanged(before, team.root.parent)


def test_12_the_site_reports_broken_records_and_goes_on(
    broken_folder: Team, tmp_path: Path
) -> None:
    from tests.sitebuild import build_in_process, write_config

    team = broken_folder
    before = snapshot(team.root)
    site = build_in_process(write_config(tmp_path, [team.records], site_dir=tmp_path / "public"))
    pages = {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")
    }
    for name in [
        *BROKEN,
        "0001-cli-talks-to-the-build-daemon.md",
        "0011-cli-talks-to-the-build-daemon.md",
    ]:
        assert f"decisions/decisions/{name.removesuffix('.md')}/index.html" in pages, name
    warned = pages["decisions/decisions/0004-binary/index.html"]
    assert "This record could not be fully read" in warned and "binary file" in warned
    assert not [path for path, html in pages.items() if "SECRET" in html]
    assert not list(site.rglob("inside*"))  # nothing from inside the folder named like a record
    assert_unchanged(before, team.root)


def test_12_numbering_never_reuses_a_number(team: Team) -> None:
    folder = team.records
    (folder / "0009-x.md").mkdir()  # a directory named like a record
    (folder / "0010-y.md").write_bytes(b"\x00broken")  # a record nobody can read
    run = team.new("--date", "2026-06-07")
    assert run.code == 0, run
    assert (folder / "0011-cli-talks-to-the-build-daemon.md").is_file()
    (folder / "0012-z.md").symlink_to(folder / "gone.md")  # a dangling link
    run = team.new("--date", "2026-06-07")
    assert (folder / "0013-cli-talks-to-the-build-daemon.md").is_file(), run
    assert not (folder / "gone.md").exists()
