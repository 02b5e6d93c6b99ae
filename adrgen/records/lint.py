"""Health checks over a record folder: numbering, names, titles, relations, statuses, and for
adrgen's own records their front matter and drift.

Each problem has a code (`ADR001`), a name (`duplicate-number`), a severity, the file and
line it is about and a one-line fix. Checks of another tool's conventions follow what the
folder does: a folder whose records state no status is told so once, not once per record;
a status word adrgen does not know is reported once for the folder. Checks that only make
sense for adrgen's records (front matter, drift) run only on records that carry their facts.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote

from pydantic import ValidationError, model_validator

from adrgen.answers.model import Answers, Facts
from adrgen.catalog.models import Catalog
from adrgen.errors import AdrgenError, ValidationProblems, did_you_mean
from adrgen.records import conventions
from adrgen.records.parse import RecordInfo, number_of, scan_records, split_front_matter
from adrgen.validation import Strict, describe_errors
from adrgen.vocabulary import LINT_BY_NAME, STATUSES, Outcome, Stance, Status

ACTIVE = {Status.proposed, Status.accepted}


@dataclass
class Problem:
    file: str
    check: str  # the check's name
    message: str
    line: int | None = None
    fix: str = ""
    # what identifies the problem whatever lines move around it (see lint_filters)
    key: str = ""

    @property
    def code(self) -> str:
        return LINT_BY_NAME[self.check].code

    @property
    def severity(self) -> str:
        return LINT_BY_NAME[self.check].severity

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def line_text(self) -> str:
        """One line for a terminal: where, which check, what, and the fix last (so that a
        fix which is a command can be cut from the end of the line)."""
        return (
            f"{self.location}: [{self.check}] {self.message} ({self.code} {self.severity}); "
            f"fix: {self.fix}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "code": self.code,
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix,
        }


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


def saved_answers(record: RecordInfo) -> tuple[Answers, RecordFrontMatter]:
    """The answers a record adrgen wrote rests on (its title and saved facts), read back
    from its front matter, and the front matter; AdrgenError for any other record."""
    if not is_adrgen_record(record):
        raise AdrgenError(
            f"{record.path}: holds no saved facts (adrgen did not write it), so there is "
            "nothing to recommend from"
        )
    try:
        meta = RecordFrontMatter.model_validate(record.front_matter)
    except ValidationError as exc:
        problems = describe_errors(exc, record.path, _front_matter_lines(record))
        raise ValidationProblems(problems) from None
    return Answers(title=meta.title, facts=meta.saved_facts), meta


def _markdown_link(record: RecordInfo) -> str:
    """`[12. Title](0012-title.md)`, as a record would link to this one."""
    number = f"{record.number}. " if record.number is not None else ""
    return f"[{number}{record.title}]({quote(record.path.name)})"


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


class Linter:
    def __init__(self, directory: Path, catalog: Catalog | None):
        self.directory = directory
        self.catalog = catalog
        self.problems: list[Problem] = []
        self._advice_cache: dict[str, tuple[str, str | None] | Exception] = {}

    @functools.cached_property
    def _folder(self) -> Path:
        return self.directory.resolve()

    @functools.cached_property
    def _names(self) -> set[str]:
        try:
            return set(os.listdir(self.directory))
        except OSError:
            return set()

    def _beside(self, target: str) -> bool:
        """A link to a file right beside the record that is there: known from one listing
        of the folder, without resolving a path for each link."""
        name = unquote(target.split("?", 1)[0]).removeprefix("./")
        return "/" not in name and (name in self._names or name.split("#", 1)[0] in self._names)

    def report(
        self,
        record: RecordInfo | None,
        check: str,
        message: str,
        *,
        line: int | None = None,
        fix: str,
        key: str,
    ) -> None:
        """A problem about `record`, or about the folder when `record` is None."""
        where = str(self.directory) if record is None else str(record.path)
        scope = "." if record is None else record.path.name
        self.problems.append(Problem(where, check, message, line, fix, f"{scope}: {key}"))

    def run(self, records: list[RecordInfo]) -> list[Problem]:
        readable = [r for r in records if not r.problems]
        for record in records:
            for problem in record.problems:
                self._unreadable(record, problem)
        published = [r for r in records if r.twin_of is None]
        self._twins(records)
        self._numbering(published)
        self._headings(readable)
        self._titles([r for r in readable if r.twin_of is None])
        for record in records:
            self._links(record)
        self._supersedes(published)
        self._statuses([r for r in readable if r.twin_of is None])
        for record in records:
            if is_adrgen_record(record):
                self._front_matter(record)
        order = {record.path.name: index for index, record in enumerate(records)}
        self.problems.sort(
            key=lambda p: (
                p.file != str(self.directory),
                order.get(Path(p.file).name, -1),
                p.line or 0,
                p.code,
            )
        )
        return self.problems

    # --- files and numbers ----------------------------------------------------------

    def _unreadable(self, record: RecordInfo, problem: str) -> None:
        # the key leaves out the folder and line numbers, which move with the file
        key = problem.replace(str(record.path), record.path.name)
        head, _, rest = key.partition(": ")
        key = f"{head.split(':', 1)[0]}: {rest}" if rest else key
        self.report(
            record,
            "unreadable",
            problem,
            fix="make it a regular UTF-8 markdown file whose front matter, if any, is valid YAML",
            key=key,
        )

    def _twins(self, records: list[RecordInfo]) -> None:
        for record in records:
            if record.twin_of is not None:
                self.report(
                    record,
                    "twin-files",
                    f"has the same name as {record.twin_of}; the site publishes "
                    f"{record.twin_of} only",
                    fix=f"keep one of them: merge {record.path.name} into {record.twin_of} "
                    "and remove it",
                    key=record.twin_of,
                )

    def _numbering(self, records: list[RecordInfo]) -> None:
        by_number: dict[int, list[RecordInfo]] = defaultdict(list)
        for record in records:
            if record.number is not None:
                by_number[record.number].append(record)
        for number, same in sorted(by_number.items()):
            if len(same) > 1:
                names = ", ".join(r.path.name for r in same)
                newest = max(same, key=_modified)
                self.report(
                    newest,
                    "duplicate-number",
                    f"number {number} is used by {names}",
                    fix=f"renumber one: adrgen renumber {newest.path.name}",
                    key=f"{number}: {names}",
                )
        numbered = sorted(by_number)
        if len(numbered) < 2:
            return
        present = set(numbered)
        missing = [n for n in range(numbered[0], numbered[-1] + 1) if n not in present]
        for first, last in _runs(missing):
            shown = f"{first:04d}" if first == last else f"{first:04d} to {last:04d}"
            self.report(
                None,
                "missing-number",
                f"no record numbered {shown}",
                fix="restore the record if it was lost; if the number was retired on purpose, "
                "add it to the baseline (--baseline) or ignore ADR002",
                key=shown,
            )

    def _headings(self, records: list[RecordInfo]) -> None:
        for record in records:
            if (
                record.heading_number is not None
                and record.number is not None
                and record.heading_number != record.number
            ):
                self.report(
                    record,
                    "heading-number",
                    f"the heading says {record.heading_number}, the file name {record.number}",
                    line=record.title_line,
                    fix=f"make the heading `# {record.number}. {record.title}`, "
                    "or give the file its heading's number",
                    key=str(record.heading_number),
                )

    def _titles(self, records: list[RecordInfo]) -> None:
        by_title: dict[str, list[RecordInfo]] = defaultdict(list)
        for record in records:
            by_title[" ".join(record.title.casefold().split())].append(record)
        for title, same in by_title.items():
            for record in same[1:]:
                if _replaces(record, same[0]) or _replaces(same[0], record):
                    continue  # a decision revised under its old title
                self.report(
                    record,
                    "duplicate-title",
                    f"{same[0].path.name} has the same title, {record.title!r}",
                    line=record.title_line,
                    fix="give one of them a title that tells the two decisions apart",
                    key=title,
                )

    # --- links ----------------------------------------------------------------------

    def _links(self, record: RecordInfo) -> None:
        for link in record.links:
            if link.resolved is None:
                self.report(
                    record,
                    "broken-relation",
                    f"{link.kind} {link.target}: no such record in this folder",
                    line=link.line,
                    fix="name an existing record (its file name, ADR-NNNN or its number), "
                    "or remove the relation",
                    key=f"{link.kind} {link.target}",
                )
        seen: set[str] = set()
        for link in record.body_links:
            if link.target in seen or conventions.is_folder_file(link.target):
                continue
            seen.add(link.target)
            if self._beside(link.target):
                continue
            found = _local_file(self._folder, link.target)
            if found is None or found.exists():
                continue  # outside the folder (not ours to check), or there
            is_markdown = found.suffix.lower() in (".md", ".markdown")
            check = "broken-link" if is_markdown else "missing-file"
            self.report(
                record,
                check,
                f"links to {link.target}, which is not in the folder",
                line=link.line,
                fix="correct the link or remove it"
                if is_markdown
                else "add the file beside the records, or remove the link",
                key=link.target,
            )

    def _supersedes(self, records: list[RecordInfo]) -> None:
        """A supersede should be stated on both sides (MADR, adr-tools and log4brains write
        both): the old record names its successor and the new one what it replaces."""
        by_name = {r.path.name: r for r in records}
        said_old = {
            (r.path.name, link.resolved)
            for r in records
            for link in r.links
            if link.kind == conventions.SUPERSEDED_BY and link.resolved in by_name
        }
        said_new = {
            (link.resolved, r.path.name)
            for r in records
            for link in r.links
            if link.kind == conventions.SUPERSEDES and link.resolved in by_name
        }
        for old, new in sorted(said_old - said_new):
            if old == new:
                continue
            self.report(
                by_name[new],
                "one-sided-supersede",
                f"{old} says it is superseded by this record, but this record does not say "
                "it supersedes it",
                line=by_name[new].status_line,
                fix=f'add "Supersedes {_markdown_link(by_name[old])}" to {new}',
                key=f"supersedes {old}",
            )
        for old, new in sorted(said_new - said_old):
            if old == new:
                continue
            self.report(
                by_name[old],
                "one-sided-supersede",
                f"{new} says it supersedes this record, but this record does not name it",
                line=by_name[old].status_line,
                fix=f'add "Superseded by {_markdown_link(by_name[new])}" to the status of {old}',
                key=f"superseded by {new}",
            )
        succeeded = {old for old, _ in said_new}
        for record in records:
            if (
                record.status == Status.superseded
                and not record.targets(conventions.SUPERSEDED_BY)
                and record.path.name not in succeeded
            ):
                self.report(
                    record,
                    "no-successor",
                    "superseded, but no record is named as its successor",
                    line=record.status_line,
                    fix="name the record that replaces it in its status: "
                    "Superseded by [N. Title](NNNN-title.md)",
                    key="superseded",
                )

    # --- statuses -------------------------------------------------------------------

    def _statuses(self, records: list[RecordInfo]) -> None:
        unknown: dict[str, list[RecordInfo]] = defaultdict(list)
        for record in records:
            if record.status is not None and not conventions.is_known_status(record.status):
                unknown[record.status].append(record)
        for word, using in unknown.items():
            others = f" (and {len(using) - 1} more)" if len(using) > 1 else ""
            self.report(
                using[0],
                "unknown-status",
                f"status {using[0].status_text!r} ({word!r}) is not a status adrgen knows"
                f"{did_you_mean(word, STATUSES)}{others}",
                line=using[0].status_line,
                fix=f"use one of {', '.join(STATUSES)}, or a word adrgen reads "
                "(see the conventions page)",
                key=word,
            )
        without = [r for r in records if r.status is None]
        if not without:
            return
        if 2 * len(without) > len(records):
            # the folder's convention is to state no status: say so once
            self.report(
                None,
                "no-status",
                f"{len(without)} of {len(records)} records state no status",
                fix="add a `Status:` line, a `## Status` section or `status:` front matter "
                "to each record, or ignore ADR021",
                key="folder",
            )
            return
        for record in without:
            self.report(
                record,
                "no-status",
                "states no status, unlike the other records in the folder",
                fix="add a status the way the folder's other records do",
                key="none",
            )

    # --- adrgen's own records -------------------------------------------------------

    def _override(self, record: RecordInfo, meta: RecordFrontMatter) -> None:
        """A record that departs from the recommendation must say why, in a sentence."""
        if meta.recommended is None or meta.recommended == meta.mechanism:
            return
        said = _justification(record)
        if len(_WORD.findall(said)) >= MIN_JUSTIFICATION_WORDS:
            return
        self.report(
            record,
            "unjustified-override",
            f"it chose {meta.mechanism} over the recommended {meta.recommended}, but "
            + ("says nothing of why" if not said.strip() else f"says only {said.strip()!r}"),
            fix="write the team's reason, at least a sentence, as the block quote under the "
            "decision (`> We chose ... because ...`)",
            key=meta.mechanism,
        )

    def _front_matter(self, record: RecordInfo) -> None:
        try:
            meta = RecordFrontMatter.model_validate(record.front_matter)
        except ValidationError as exc:
            for text in describe_errors(exc, record.path, _front_matter_lines(record)):
                where, _, problem = text.partition(": ")
                line = where.rsplit(":", 1)[1] if where != str(record.path) else ""
                self.report(
                    record,
                    "front-matter",
                    problem,
                    line=int(line) if line.isdigit() else None,
                    fix="correct the front matter: it is what adrgen wrote, with the "
                    "facts the decision rests on",
                    key=problem,
                )
            return
        if self.catalog is None:
            return
        mechanism = self.catalog.mechanism(meta.mechanism)
        if mechanism is None:
            self.report(
                record,
                "unknown-mechanism",
                f"mechanism {meta.mechanism!r} is no longer in the catalog"
                f"{did_you_mean(meta.mechanism, [m.id for m in self.catalog.mechanisms])}",
                fix="choose a mechanism from `adrgen catalog list`, or add it to the catalog",
                key=meta.mechanism,
            )
            return
        self._override(record, meta)
        if meta.status not in ACTIVE:
            return
        review = (
            f"review the decision; if it changes, `adrgen supersede {record.path.name} --by NEW`"
        )
        if mechanism.stance is Stance.hold and not meta.overridden:
            self.report(
                record,
                "drift",
                f"{meta.mechanism} is now on hold in the catalog",
                fix=review,
                key="hold",
            )
        advice = self._advice(meta.saved_facts)
        expected = meta.recommended or meta.mechanism
        if isinstance(advice, Exception):
            self.report(
                record,
                "drift",
                f"its saved answers no longer lead to a recommendation: {advice}",
                fix=review,
                key="no advice",
            )
        elif advice[0] != expected:
            self.report(
                record,
                "drift",
                f"its saved answers now lead to {advice[0]}, not {expected}",
                fix=review,
                key=f"{expected} -> {advice[0]}",
            )
        elif not meta.overridden and advice[1] != meta.control:
            now = f"a control channel ({advice[1]})" if advice[1] else "no control channel"
            self.report(
                record,
                "drift",
                f"its saved answers now call for {now} beside {advice[0]}, "
                f"not {meta.control or 'none'}",
                fix=review,
                key=f"control {meta.control} -> {advice[1]}",
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


def is_adrgen_record(record: RecordInfo) -> bool:
    """A record adrgen wrote: it carries the facts (or, before them, the answers) that
    front-matter and drift checks need; other tools' records never get those checks."""
    meta = record.front_matter
    return record.format == "adrgen" or "facts" in meta or "answers" in meta


def _replaces(new: RecordInfo, old: RecordInfo) -> bool:
    """Whether either record states that `new` supersedes `old`."""
    return any(
        link.kind == conventions.SUPERSEDES and link.resolved == old.path.name for link in new.links
    ) or any(
        link.kind == conventions.SUPERSEDED_BY and link.resolved == new.path.name
        for link in old.links
    )


def _modified(record: RecordInfo) -> float:
    try:
        return record.path.stat().st_mtime
    except OSError:
        return 0


def _local_file(folder: Path, target: str) -> Path | None:
    """The file a relative link names, when it stays inside the record folder: as written
    first (a `#` may be part of a file name), then without its `#fragment`."""
    written = unquote(target.split("?", 1)[0])
    resolved = None
    for candidate in dict.fromkeys((written, written.split("#", 1)[0])):
        if not candidate:
            continue
        try:
            resolved = (folder / candidate).resolve()
        except (OSError, ValueError, RuntimeError):
            return None
        if not resolved.is_relative_to(folder):
            return None
        if resolved.exists():
            return resolved
    return resolved


# fewer words than this are not a sentence that says why
MIN_JUSTIFICATION_WORDS = 5
_WORD = re.compile(r"[^\W_]++")


def _justification(record: RecordInfo) -> str:
    """An override's justification: the first block quote of the body, as adrgen's
    templates write it (or the saved answers' of a record written before them)."""
    from adrgen.files.reading import read_text
    from adrgen.records.parse import MAX_RECORD_BYTES, next_fence

    answers = record.front_matter.get("answers")
    if isinstance(answers, dict) and isinstance(answers.get("justification"), str):
        return answers["justification"]
    try:
        _, body, _ = split_front_matter(read_text(record.path, max_bytes=MAX_RECORD_BYTES))
    except AdrgenError:
        return ""
    quoted: list[str] = []
    fence = None
    for line in body.split("\n"):
        fence, is_marker = next_fence(line, fence)
        if fence or is_marker:
            continue
        if line.startswith(">"):
            quoted.append(line[1:].strip())
        elif quoted:
            break
    return " ".join(quoted)


def _front_matter_lines(record: RecordInfo) -> Any:
    """Where each front-matter key is, read again only for a record that needs it."""
    from adrgen.files.reading import read_text
    from adrgen.files.safe_yaml import parse_text
    from adrgen.records.parse import MAX_RECORD_BYTES

    try:
        front, _, _ = split_front_matter(read_text(record.path, max_bytes=MAX_RECORD_BYTES))
        return parse_text(front, record.path, line_offset=1)[1] if front is not None else None
    except AdrgenError:
        return None


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
                    f"number {number} is also used on {ref} by {', '.join(theirs[number])}",
                    fix=f"renumber this one: adrgen renumber {path.name}",
                    key=f"{path.name}: {number}",
                )
            )
    return problems
