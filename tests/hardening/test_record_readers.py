"""Records that stall the readers, a record cache that lies, and twin files.

- Every regular expression in adrgen/records/ sees record text, so each must run in time
  linear in its input: each is fed adversarial input of 100 KB in a process of its own,
  which must finish well within a generous budget (a pattern that backtracks takes minutes
  or hours on input this size, a linear one milliseconds).
- The record cache is a file anyone with the user's rights can edit: a forged entry is
  ignored and the record read again, and never decides which file a command writes.
- Two files whose names differ only in suffix (`0016-twin.md`, `0016-twin.markdown`) share
  one page on the site: lint reports them, and the records module says which is published.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from adrgen.catalog.loading import load_catalog
from adrgen.records import cache as record_cache
from adrgen.site.pages import build_site
from adrgen.site.record_pages import load_sources

from .harness import Team, adrgen_process, as_run, assert_unchanged, snapshot

REPO = Path(__file__).resolve().parents[2]
RECORDS_PACKAGE = REPO / "adrgen" / "records"
SIZE = 100_000
# seconds for one pattern on one 100 KB input; a linear scan takes milliseconds, the
# patterns this replaced took from minutes to hours
PER_INPUT_BUDGET = 2.0

# shapes that made record readers backtrack, each grown to SIZE characters
HOSTILE_SHAPES = {
    "h1-spaces": ("# a", " ", "x"),
    "open-comments": ("", "<!--", ""),
    "open-brackets": ("", "[", ""),
    "open-links": ("", "[a](", ""),
    "link-halves": ("", "](", ""),
    "backticks": ("]", "`", ""),
    "list-markers": ("", "- ", "x"),
    "table-pipes": ("", "| ", "x"),
    "emphasis": ("**Status:** ", "*", "x"),
    "adr-refs": ("", "ADR-", "x"),
    "digits": ("", "0", "x"),
    "dashes": ("0001", "-", "!"),
    "dots": ("a", ".", "!"),
    "underscores": ("a", "_", ":"),
    "spaces-then-colon": ("Status", " ", "x"),
    "blank-lines": ("- ", "\n", "x"),
    "tabs": ("##", "\t", "x"),
    "words": ("superseded by ", "a ", "!"),
    "name-parts": ("./", "a.", "x"),
    "hashes": ("#", "#", " x"),
    "emoji": ("", "\u231b\ufe0f", "x"),
}

_PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, re, signal, sys, time
    import adrgen.records as package

    size, shapes, budget = json.loads(sys.stdin.read())
    patterns = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"adrgen.records.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                patterns[f"{info.name}.{name}"] = value

    def inputs(pattern):
        literal = sorted({c for c in pattern.pattern if c.isprintable() and c not in "\\\\"})
        alphabet = sorted(set(literal) | {" ", "\\t", "\\n", "a", "0", "\\ufe0f"})
        for char in alphabet:
            yield f"repeat {char!r}", char * size
        # pairs of the pattern's punctuation with letters, digits and spaces between
        paired = [c for c in alphabet if not c.isalnum()] + ["a", "0"]
        for first in paired:
            for second in paired:
                if first != second:
                    yield f"repeat {first + second!r}", (first + second) * (size // 2)
        for shape, (head, body, tail) in shapes.items():
            yield shape, head + body * ((size - len(head) - len(tail)) // len(body)) + tail

    class OverBudget(Exception):
        pass

    def stop(signum, frame):
        raise OverBudget

    # the regex engine checks for signals as it runs, so a pattern that backtracks is
    # stopped at the budget instead of running for hours
    signal.signal(signal.SIGALRM, stop)
    slowest = {}
    for name, pattern in patterns.items():
        worst = (0.0, "")
        for label, text in inputs(pattern):
            start = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, budget * 2)
            try:
                for _ in pattern.finditer(text):
                    pass
            except OverBudget:
                pass
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            took = time.perf_counter() - start
            worst = max(worst, (took, label))
            if took > budget:
                break
        slowest[name] = worst
    print(json.dumps(slowest))
    """
)


def _inline_patterns(path: Path) -> list[str]:
    """Calls such as `re.sub(r"...", ...)` in a module: a pattern written where it is used
    cannot be found and checked here, so every pattern must be a module-level name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.func.attr != "compile"
            and node.args
            and not isinstance(node.args[0], ast.Name)
        ):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_18_04_every_record_pattern_is_a_name_the_linear_time_check_can_find() -> None:
    inline = [
        where for path in sorted(RECORDS_PACKAGE.glob("*.py")) for where in _inline_patterns(path)
    ]
    assert inline == []


def test_18_04_every_regular_expression_over_record_text_runs_in_linear_time() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        input=json.dumps([SIZE, HOSTILE_SHAPES, PER_INPUT_BUDGET]),
        capture_output=True,
        text=True,
        timeout=600,  # every pattern over every input; linear ones take well under a minute
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    slowest = json.loads(done.stdout)
    assert len(slowest) >= 10, slowest  # the reader's patterns were found
    too_slow = {name: worst for name, worst in slowest.items() if worst[0] > PER_INPUT_BUDGET}
    assert too_slow == {}


def test_18_04_hostile_records_are_listed_and_linted_promptly(tmp_path: Path) -> None:
    folder = tmp_path / "decisions"
    folder.mkdir()
    for index, (shape, (head, body, tail)) in enumerate(HOSTILE_SHAPES.items(), start=1):
        text = head + body * ((SIZE - len(head) - len(tail)) // len(body)) + tail
        (folder / f"{index:04d}-{shape}.md").write_text(text, encoding="utf-8")
    (folder / "0100-status-section.md").write_text(
        "# 100. Hostile status\n\n## Status\n\n" + "Superseded by [x](" * 20_000 + "\n",
        encoding="utf-8",
    )
    (folder / "0101-fields.md").write_text(
        "# 101. Fields\n\n" + "Status: superseded by ADR-1 ADR-2 " * 3_000 + "\n", encoding="utf-8"
    )
    count = len(HOSTILE_SHAPES) + 2
    for command in ("list", "lint"):
        # a generous budget: each takes well under a second on these records
        done = adrgen_process(
            command, "--dir", folder, "--format", "json", cwd=tmp_path, timeout=120,
            env={"ADRGEN_NO_CACHE": "1"},
        )  # fmt: skip
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr
        data = json.loads(done.stdout)
        assert (len(data) if command == "list" else data["records"]) == count


# --- the record cache ------------------------------------------------------------------------


def _forge(team: Team, name: str, **fields: object) -> None:
    """Rewrite the cache entry of record `name` as someone with the user's rights could."""
    entries = record_cache.load(team.records)
    assert name in entries, "the cache was written by the listing before"
    entries[name]["record"].update(fields)
    record_cache.save(team.records, entries)


def test_18_10_a_forged_path_in_the_cache_never_decides_what_is_written(team: Team) -> None:
    [record] = sorted(team.records.glob("0001-*.md"))
    record.write_text(record.read_text().replace("status: accepted", "status: proposed"))
    outside = team.root / "outside.md"
    outside.write_text("---\nstatus: rejected\n---\n# Not a record of this folder\n")
    assert team.adrgen("list").code == 0  # the cache now holds the record
    _forge(team, record.name, path="../outside.md")
    before = outside.read_bytes()

    run = team.adrgen("status", "1", "accepted")

    assert run.code == 0, run
    assert outside.read_bytes() == before
    assert "status: accepted" in record.read_text()
    assert str(record) in run.stdout


@pytest.mark.parametrize(
    "forged",
    [
        {"number": "abc"},
        {"links": [{"kind": "supersedes", "target": 5, "line": 1}]},
        {"links": [{"kind": "supersedes", "target": 5}]},
        {"problems": None},
        {"title": None},
        {"tags": "not a list"},
        {"front_matter": ["a", "list"]},
        {"status_line": "7"},
    ],
    ids=lambda forged: ",".join(forged),
)
def test_18_10_a_forged_cache_entry_is_ignored_and_the_record_read_again(
    forged: dict, team: Team
) -> None:
    [record] = sorted(team.records.glob("0001-*.md"))
    fresh = team.adrgen("list", "--format", "json")
    _forge(team, record.name, **forged)
    before = snapshot(team.records)

    for command in (["list"], ["list", "--format", "json"], ["lint"], ["lint", "--format", "json"]):
        run = team.adrgen(*command)
        assert "Traceback" not in run.stdout + run.stderr, (command, run)
        assert run.code in (0, 1), (command, run)
    assert team.adrgen("list", "--format", "json").stdout == fresh.stdout
    assert_unchanged(before, team.records)
    assert team.adrgen("status", "1", "accepted").code == 0


# --- twins -----------------------------------------------------------------------------------


def test_18_11_twin_files_are_linted_and_the_site_publishes_one_with_a_warning(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "decisions"
    folder.mkdir()
    (folder / "0015-first.md").write_text("# 15. First\n\n## Status\n\nAccepted\n")
    (folder / "0016-twin.md").write_text("# 16. Twin\n\n## Status\n\nAccepted\n\nThe md one.\n")
    (folder / "0016-twin.markdown").write_text(
        "# 16. Twin again\n\n## Status\n\nAccepted\n\nThe markdown one.\n"
    )

    lint = as_run(adrgen_process("lint", "--dir", folder, "--format", "json", cwd=tmp_path))
    assert lint.code == 1, lint
    problems = json.loads(lint.stdout)["problems"]
    assert [(Path(p["file"]).name, p["code"], p["check"]) for p in problems] == [
        ("0016-twin.markdown", "ADR004", "twin-files")
    ]
    listed = json.loads(
        adrgen_process("list", "--dir", folder, "--format", "json", cwd=tmp_path).stdout
    )
    assert [r["file"] for r in listed] == ["0015-first.md", "0016-twin.markdown", "0016-twin.md"]

    site = build_site(load_catalog(), load_sources([folder], ["team"]))
    twin_pages = [path for path in site.pages if "0016-twin" in path]
    assert twin_pages == ["decisions/team/0016-twin.md"]
    assert "The md one." in site.pages["decisions/team/0016-twin.md"]
    assert "The markdown one." not in "".join(site.pages.values())
    [warning] = [n for n in site.notices if "0016-twin.markdown" in n]
    assert "0016-twin.md, which is published instead" in warning
