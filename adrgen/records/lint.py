"""Health checks over a record folder: numbering, links, statuses, front matter and drift."""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError, model_validator

from adrgen.answers.model import Answers, Facts
from adrgen.catalog.models import Catalog
from adrgen.errors import AdrgenError
from adrgen.records.lifecycle import STATUS_ALIASES
from adrgen.records.parse import RecordInfo, number_of, scan_records
from adrgen.validation import Strict, describe_errors
from adrgen.vocabulary import STATUSES, Outcome, Stance

ACTIVE = {"proposed", "accepted"}


@dataclass
class Problem:
    file: str
    check: str
    message: str

    def line(self) -> str:
        return f"{self.file}: [{self.check}] {self.message}"


class _CatalogRef(Strict):
    name: str
    version: str
    overlay: str | None = None


class RecordFrontMatter(Strict):
    """What adrgen writes at the top of its records; other keys a team adds are allowed."""

    model_config = {"extra": "allow"}
    number: int
    title: str
    status: Literal[STATUSES]  # type: ignore[valid-type]
    date: Date
    deciders: list[str] = []
    mechanism: str
    outcome: Outcome
    recommended: str | None = None
    catalog: _CatalogRef | None = None
    supersedes: list[str] = []
    superseded_by: str | None = None
    links: list[dict[str, Any]] = []
    tags: list[str] = []
    control: str | None = None
    # the facts the decision rests on; records written before them keep the whole answers
    facts: Facts | None = None
    answers: Answers | None = None

    @model_validator(mode="after")
    def _facts_or_answers(self) -> RecordFrontMatter:
        if self.facts is None and self.answers is None:
            raise ValueError("neither facts nor answers: the facts the decision rests on")
        return self

    @property
    def saved_facts(self) -> Facts:
        return self.facts if self.facts is not None else self.answers.facts

    @property
    def overridden(self) -> bool:
        """The team chose another mechanism than the recommendation (and said why)."""
        if self.answers is not None:
            return bool(self.answers.choice) and bool((self.answers.justification or "").strip())
        return self.recommended is not None and self.recommended != self.mechanism


def _resolves(
    target: str, by_name: dict[str, RecordInfo], by_number: dict[int, list[RecordInfo]]
) -> bool:
    target = target.split("#", 1)[0].strip()
    if target in by_name or f"{target}.md" in by_name:
        return True
    return target.isdigit() and int(target) in by_number


class Linter:
    def __init__(self, directory: Path, catalog: Catalog | None):
        self.directory = directory
        self.catalog = catalog
        self.problems: list[Problem] = []
        self._advice_cache: dict[str, tuple[str, str | None] | Exception] = {}

    def report(self, record: RecordInfo | str, check: str, message: str) -> None:
        name = record if isinstance(record, str) else str(record.path)
        self.problems.append(Problem(name, check, message))

    def run(self, records: list[RecordInfo]) -> list[Problem]:
        by_name = {r.path.name: r for r in records}
        by_number: dict[int, list[RecordInfo]] = defaultdict(list)
        for record in records:
            if record.number is not None:
                by_number[record.number].append(record)
            for problem in record.problems:
                self.report(record, "unreadable", problem)
        self._numbering(by_number)
        for record in records:
            self._links(record, by_name, by_number)
            self._status(record)
            if record.format == "adrgen":
                self._front_matter(record)
        return self.problems

    def _numbering(self, by_number: dict[int, list[RecordInfo]]) -> None:
        for number, same in sorted(by_number.items()):
            if len(same) > 1:
                names = ", ".join(r.path.name for r in same)
                newest = max(same, key=lambda r: r.path.stat().st_mtime if r.path.exists() else 0)
                self.report(
                    str(self.directory),
                    "duplicate-number",
                    f"number {number} is used by {names}; renumber one: adrgen renumber {newest.path.name}",
                )
        if by_number:
            numbers = set(by_number)
            first = min(numbers)
            missing = [n for n in range(first, max(numbers) + 1) if n not in numbers]
            if missing:
                shown = ", ".join(f"{n:04d}" for n in missing[:20]) + (
                    " ..." if len(missing) > 20 else ""
                )
                self.report(str(self.directory), "missing-number", f"no record numbered {shown}")

    def _links(self, record: RecordInfo, by_name: dict, by_number: dict) -> None:
        for link in record.links:
            if not _resolves(link.target, by_name, by_number):
                self.report(record, "broken-link", f"{link.kind} {link.target}: no such record")
        for target in dict.fromkeys(record.body_links):
            if "/" in target.split("#", 1)[0]:
                continue  # a link outside the folder is not a record link
            if not _resolves(target, by_name, by_number):
                self.report(record, "broken-link", f"link to {target}: no such record")

    def _status(self, record: RecordInfo) -> None:
        status = record.status
        if status is None:
            return
        if status not in STATUSES and status not in STATUS_ALIASES:
            self.report(
                record,
                "bad-status",
                f"status {record.status_text!r} is not one of {', '.join(STATUSES)}",
            )
        if status == "superseded" and not record.targets("superseded-by"):
            self.report(
                record, "no-successor", "superseded, but names no record that supersedes it"
            )

    def _front_matter(self, record: RecordInfo) -> None:
        try:
            meta = RecordFrontMatter.model_validate(record.front_matter)
        except ValidationError as exc:
            for line in describe_errors(exc, record.path, None):
                self.report(record, "front-matter", line.split(": ", 1)[1])
            return
        if self.catalog is None:
            return
        mechanism = self.catalog.mechanism(meta.mechanism)
        if mechanism is None:
            self.report(
                record,
                "unknown-mechanism",
                f"mechanism {meta.mechanism!r} is no longer in the catalog",
            )
            return
        if meta.status not in ACTIVE:
            return
        if mechanism.stance is Stance.hold and not meta.overridden:
            self.report(record, "drift", f"{meta.mechanism} is now on hold in the catalog")
        advice = self._advice(meta.saved_facts)
        expected = meta.recommended or meta.mechanism
        if isinstance(advice, Exception):
            self.report(
                record, "drift", f"its saved answers no longer lead to a recommendation: {advice}"
            )
        elif advice[0] != expected:
            self.report(
                record,
                "drift",
                f"its saved answers now lead to {advice[0]}, not {expected}; review the decision",
            )
        elif not meta.overridden and advice[1] != meta.control:
            now = f"a control channel ({advice[1]})" if advice[1] else "no control channel"
            was = meta.control or "none"
            self.report(
                record,
                "drift",
                f"its saved answers now call for {now} beside {advice[0]}, "
                f"not {was}; review the decision",
            )

    def _advice(self, facts: Facts) -> tuple[str, str | None] | Exception:
        """The engine's advice for the facts, computed once for all records that share them."""
        from adrgen.engine import recommend

        key = json.dumps(facts.model_dump(mode="json"), sort_keys=True)
        if key not in self._advice_cache:
            bare = Answers(title="drift", facts=facts)
            try:
                advice = recommend(bare, self.catalog)
                control = advice.control.mechanism if advice.control else None
                self._advice_cache[key] = (advice.mechanism, control)
            except AdrgenError as exc:
                self._advice_cache[key] = exc
        return self._advice_cache[key]


def lint_records(
    directory: Path, catalog: Catalog | None
) -> tuple[list[RecordInfo], list[Problem]]:
    records = scan_records(directory)
    return records, Linter(directory, catalog).run(records)


def clashes_with_ref(directory: Path, ref: str) -> list[Problem]:
    """Numbers that records new on this branch share with other records on REF."""
    folder = directory.resolve()
    try:
        top = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        relative = folder.relative_to(Path(top).resolve()).as_posix()
        listing = subprocess.run(
            [
                "git",
                "-C",
                top,
                "ls-tree",
                "--name-only",
                f"{ref}:{relative}" if relative != "." else ref,
            ],
            capture_output=True,
            text=True,
        )
    except (subprocess.CalledProcessError, FileNotFoundError, ValueError):
        raise AdrgenError(f"--against: {folder} is not inside a git repository") from None
    if listing.returncode != 0:
        message = listing.stderr.strip().splitlines()[-1] if listing.stderr.strip() else "unknown"
        if "does not exist" in message or "not a tree" in message:
            return []  # the folder is new on this branch: nothing to clash with
        raise AdrgenError(f"--against: git cannot read {ref}: {message}")
    theirs: dict[int, list[str]] = defaultdict(list)
    names_there = set()
    for name in listing.stdout.split("\n"):
        names_there.add(name)
        number = number_of(name)
        if number is not None:
            theirs[number].append(name)
    problems = []
    for path in sorted(folder.iterdir()):
        number = number_of(path.name)
        if number is None or path.name in names_there or not path.name.endswith(".md"):
            continue
        if theirs.get(number):
            problems.append(
                Problem(
                    str(directory / path.name),
                    "number-clash",
                    f"number {number} is also used on {ref} by {', '.join(theirs[number])}; "
                    f"renumber this one: adrgen renumber {path.name}",
                )
            )
    return problems


def problems_as_json(records: list[RecordInfo], problems: list[Problem]) -> dict[str, Any]:
    return {"records": len(records), "problems": [asdict(p) for p in problems]}
