"""Which lint problems are reported: the checks a team selects or ignores, minus those its
baseline already knows.

Selecting works as in ruff: a selector is a code (`ADR005`), a code prefix (`ADR0`,
`ADR01`), a check's name (`heading-number`) or `ALL`. Without `select`, the default checks
run; `ignore` takes checks away from whatever was selected.

A baseline is today's problems, saved so that a team can adopt lint on a large folder and
from then on hear only of new problems. A problem is matched by its code and a key that
names what is wrong (the record's file name and, say, the relation's target) but never a
line number, so editing an unrelated line does not bring a known problem back. Matching
counts: a second, new problem of the same kind in the same record is still reported.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from adrgen.errors import AdrgenError
from adrgen.files.atomic import write_text_atomic
from adrgen.files.reading import read_text
from adrgen.records.lint import Problem
from adrgen.vocabulary import (
    LINT_BY_NAME,
    LINT_CHECKS,
    LintCheck,
    lint_selector,
    lint_selects,
    unknown_lint_selector,
)

BASELINE_KIND = "adrgen-lint-baseline"
BASELINE_VERSION = 1
MAX_BASELINE_BYTES = 16 * 1024 * 1024


def check_selectors(values: Iterable[str], where: str) -> list[str]:
    """The selectors as adrgen compares them, or a one-line AdrgenError naming `where`."""
    selectors = []
    for value in values:
        if not value.strip():
            continue
        selector = lint_selector(value)
        if selector is None:
            raise AdrgenError(f"{where}: {unknown_lint_selector(value.strip())}")
        selectors.append(selector)
    return selectors


def split_selectors(text: str | None) -> list[str]:
    """`ADR001,heading-number` as given on the command line."""
    return [part for part in (text or "").split(",") if part.strip()]


@dataclass
class Selection:
    select: list[str] | None = None  # None: the default checks
    ignore: list[str] = field(default_factory=list)

    def wants(self, check: LintCheck) -> bool:
        if self.select is None:
            chosen = check.default
        else:
            chosen = any(lint_selects(s, check) for s in self.select)
        return chosen and not any(lint_selects(s, check) for s in self.ignore)

    def checks(self) -> list[LintCheck]:
        return [check for check in LINT_CHECKS if self.wants(check)]

    def apply(self, problems: list[Problem]) -> list[Problem]:
        return [p for p in problems if self.wants(LINT_BY_NAME[p.check])]


def selection_from(
    select_text: str | None,
    ignore_text: str | None,
    configured_select: list[str] | None,
    configured_ignore: list[str],
) -> Selection:
    """The checks to run: `--select` replaces the team's `lint.select`, `--ignore` adds to
    its `lint.ignore`."""
    if select_text is not None:
        select: list[str] | None = check_selectors(split_selectors(select_text), "--select")
    elif configured_select is not None:
        select = check_selectors(configured_select, "lint.select")
    else:
        select = None
    ignore = [
        *check_selectors(configured_ignore, "lint.ignore"),
        *check_selectors(split_selectors(ignore_text), "--ignore"),
    ]
    return Selection(select, ignore)


def _entry(problem: Problem) -> tuple[str, str]:
    return problem.code, problem.key


def read_baseline(path: Path) -> Counter[tuple[str, str]]:
    """The problems a baseline file knows, or a one-line AdrgenError."""
    text = read_text(path, max_bytes=MAX_BASELINE_BYTES)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise AdrgenError(f"{path}: not a lint baseline (not JSON: {exc.msg})") from None
    if (
        not isinstance(data, dict)
        or data.get("kind") != BASELINE_KIND
        or not isinstance(data.get("problems"), list)
    ):
        raise AdrgenError(f"{path}: not a lint baseline (write one with --baseline FILE)")
    if data.get("version") != BASELINE_VERSION:
        raise AdrgenError(
            f"{path}: a lint baseline of version {data.get('version')!r}, this adrgen reads "
            f"version {BASELINE_VERSION}; write it again with --update-baseline"
        )
    known: Counter[tuple[str, str]] = Counter()
    for index, entry in enumerate(data["problems"]):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("code"), str)
            and isinstance(entry.get("key"), str)
        ):
            raise AdrgenError(f"{path}: problems[{index}] needs a code and a key (both text)")
        known[(entry["code"], entry["key"])] += 1
    return known


def write_baseline(path: Path, problems: list[Problem]) -> None:
    """Save today's problems; the message is there for the reader, only code and key match."""
    entries = sorted(
        ({"code": p.code, "check": p.check, "key": p.key, "message": p.message} for p in problems),
        key=lambda e: (e["code"], e["key"]),
    )
    data = {"kind": BASELINE_KIND, "version": BASELINE_VERSION, "problems": entries}
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", overwrite=True)


@dataclass
class BaselineResult:
    new: list[Problem]
    known: int  # problems the baseline already knew
    fixed: int  # baseline entries no longer found


def against_baseline(problems: list[Problem], known: Counter[tuple[str, str]]) -> BaselineResult:
    left = Counter(known)
    new = []
    for problem in problems:
        entry = _entry(problem)
        if left[entry] > 0:
            left[entry] -= 1
        else:
            new.append(problem)
    return BaselineResult(new, len(problems) - len(new), sum(left.values()))
