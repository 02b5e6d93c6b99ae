"""The decision wizard: the interview's questions and the engine's advice, as a table that the
page "Which IPC mechanism?" walks in the reader's browser.

At build time `interview_tree` walks every path the interview of `adrgen new` can take through
the catalog's questions: the same order, the same skip conditions (`asked_when`, read with the
catalog's own `any_matches`), and, where the catalog declares two answers in conflict, the
point where the interview stops to ask one of them again. `build_table` runs adrgen's own
engine at the end of each complete path, with the catalog as the site has it (a team's overlay
merged in), and keeps what the page shows, each reason, alternative and warning stored once
and referenced by number:

    tree     a question: [question index, child for each answer in the page's order];
             the advice at the end of a path: the index of its result;
             answers in conflict: {"conflict": [warning indexes]}
    results  {"mechanism", "outcome", "reasons", "alternatives", "control", "warnings",
              "unmet"}, or {"problem": text} where no mechanism fits
    reasons  [text, [catalog citations]]

The page's script (templates/site/wizard.js) only walks the tree and prints what it finds:
no engine and no skip condition live in it. The table is written as one script that assigns
it to a global (`DATA`): a page opened from the file system may load a script from beside it,
but not read a JSON file.

The engine's time grows with the number of paths, so a built table is kept in adrgen's cache,
keyed by the catalog as merged and by adrgen's own source; an entry is checked like any input
before it is used. Past `limit` paths the table is not built and the page is left out.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from adrgen import __version__, resources
from adrgen.answers.model import Answers, Facts
from adrgen.authoring.context import OUTCOME_TEXT
from adrgen.authoring.interview import fact_spec
from adrgen.catalog.models import Catalog, any_matches
from adrgen.engine import ConflictWarning, Reason, Recommendation, find_conflicts, recommend
from adrgen.errors import AdrgenError
from adrgen.files.cache import read_entry, write_entry
from adrgen.files.reading import read_bytes
from adrgen.site.record_text import catalog_targets
from adrgen.vocabulary import FACT_NAMES

PAGE = "catalog/wizard.md"
TITLE = "Which IPC mechanism?"
SCRIPT = "assets/adrgen/wizard.js"
STYLE = "assets/adrgen/wizard.css"
DATA = "assets/adrgen/wizard-data.js"
DATA_GLOBAL = "adrgenWizardData"
DEFAULT_LIMIT = 50_000
# the layout of the table; a new layout must not read old cache entries
FORMAT = "wizard-1"
ALTERNATIVE_STATUSES = ("ranked", "falls-short", "excluded")
_PACKAGE = Path(__file__).resolve().parents[1]


class TooManyPaths(Exception):
    """The interview has more paths than the wizard may tabulate."""


# --- the questions as the interview asks them ---------------------------------------------


@dataclass
class AskedQuestion:
    """One question as the interview words it, and the answers it takes, in the page's order."""

    fact: str
    prompt: str
    hints: list[str]
    checklist: str | None  # the checklist item it asks, as a citation
    choices: list[tuple[str, Any, str | None]]  # (label, the fact's value, as a statement)


def asked_questions(catalog: Catalog) -> list[AskedQuestion]:
    """The catalog's questions with the interview's own wording (`fact_spec`)."""
    asked = []
    for question in catalog.questions:
        spec = fact_spec(question, catalog)
        if spec.kind == "select":
            choices = [(label, value) for label, value in spec.choices]
        else:
            # a yes/no question may ask for the fact the other way round (`yes_means`)
            choices = [("Yes", spec.yes_means), ("No", not spec.yes_means)]
        asked.append(
            AskedQuestion(
                fact=question.fact.value,
                prompt=spec.message,
                hints=[line.strip() for line in spec.hint.splitlines() if line.strip()],
                checklist=f"checklist:{question.checklist}" if question.checklist else None,
                choices=[
                    (label, getattr(value, "value", value), question.wording(value)[0])
                    for label, value in choices
                ],
            )
        )
    return asked


# --- every path the interview can take ----------------------------------------------------


def _conflicts(given: dict[str, Any], catalog: Catalog) -> list[ConflictWarning]:
    """The catalog's conflicts among the answers given so far."""
    if not catalog.conflicts:
        return []
    return find_conflicts(Facts.model_validate(given), catalog)


@dataclass
class InterviewTree:
    """Every path the interview can take: the tree, and the answers at the end of each
    complete path (in the tree's order: leaf n of the tree is ends[n])."""

    tree: Any
    ends: list[dict[str, Any]]
    conflicts: list[
        tuple[dict[str, Any], list[ConflictWarning]]
    ]  # (answers so far, the catalog's conflicts)

    @property
    def paths(self) -> int:
        return len(self.ends) + len(self.conflicts)


def interview_tree(catalog: Catalog, limit: int = DEFAULT_LIMIT) -> InterviewTree:
    """Walk the questions as the interview does; TooManyPaths past `limit` paths.

    After each answer the interview looks for answers the catalog declares in conflict and,
    if there are any, stops to ask one of them again: such a path ends there. Otherwise the
    next question is the first one after the last asked whose `asked_when` holds for the
    answers so far.
    """
    questions = asked_questions(catalog)
    ends: list[dict[str, Any]] = []
    conflicts: list[tuple[dict[str, Any], list[ConflictWarning]]] = []

    def count() -> None:
        if len(ends) + len(conflicts) > limit:
            raise TooManyPaths(limit)

    def branch(start: int, given: dict[str, Any]) -> Any:
        found = _conflicts(given, catalog)
        if found:
            conflicts.append((dict(given), found))
            count()
            return {"conflict": len(conflicts) - 1}
        so_far = SimpleNamespace(**{**dict.fromkeys(FACT_NAMES), **given})
        index = start
        while index < len(questions) and not any_matches(
            catalog.questions[index].asked_when, so_far
        ):
            index += 1
        if index == len(questions):
            ends.append(dict(given))
            count()
            return len(ends) - 1
        question = questions[index]
        children = []
        for _, value, _ in question.choices:
            given[question.fact] = value
            children.append(branch(index + 1, given))
        del given[question.fact]
        return [index, *children]

    tree = branch(0, {})
    return InterviewTree(tree, ends, conflicts)


# --- the engine's advice at the end of each path ------------------------------------------


class _Table:
    """Results, reasons and warnings, each stored once."""

    def __init__(self, catalog: Catalog):
        self.mechanisms = {m.id: index for index, m in enumerate(catalog.mechanisms)}
        self.reasons: list[list[Any]] = []
        self.warnings: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self._reason_at: dict[str, int] = {}
        self._warning_at: dict[str, int] = {}
        self._result_at: dict[str, int] = {}

    def reason(self, reason: Reason) -> int:
        entry = [reason.text, list(reason.cites)]
        return _stored(entry, self.reasons, self._reason_at)

    def warning(self, warning: ConflictWarning) -> int:
        entry = {
            "facts": list(warning.facts),
            "text": " ".join(warning.text.split()),
            "set_aside": warning.set_aside,
        }
        return _stored(entry, self.warnings, self._warning_at)

    def result(self, rec: Recommendation) -> int:
        control = rec.control
        entry = {
            "mechanism": self.mechanisms[rec.mechanism],
            "outcome": rec.outcome,
            "reasons": [self.reason(r) for r in rec.reasons],
            "alternatives": [
                [self.mechanisms[alt.mechanism], alt.status, [self.reason(r) for r in alt.why]]
                for alt in rec.alternatives
            ],
            "control": None
            if control is None
            else {
                "mechanism": self.mechanisms[control.mechanism],
                "reasons": [self.reason(r) for r in control.reasons],
            },
            "warnings": [self.warning(w) for w in rec.warnings],
            "unmet": list(rec.unmet),
        }
        return _stored(entry, self.results, self._result_at)

    def problem(self, message: str) -> int:
        return _stored({"problem": message}, self.results, self._result_at)


def _stored(entry: Any, table: list[Any], index: dict[str, int]) -> int:
    key = json.dumps(entry, sort_keys=True)
    if key not in index:
        index[key] = len(table)
        table.append(entry)
    return index[key]


def build_table(catalog: Catalog, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """The wizard's table: the interview's tree with the engine's advice at each end."""
    walked = interview_tree(catalog, limit)
    table = _Table(catalog)
    leaves = []
    for facts in walked.ends:
        answers = Answers.model_validate({"title": TITLE, "facts": facts})
        try:
            leaves.append(table.result(recommend(answers, catalog)))
        except AdrgenError as exc:  # no mechanism fits: the page says what recommend says
            leaves.append(table.problem(exc.message))
    conflicts = [[table.warning(w) for w in found] for _, found in walked.conflicts]
    return {
        "tree": _resolved(walked.tree, leaves, conflicts),
        "results": table.results,
        "reasons": table.reasons,
        "warnings": table.warnings,
        "paths": walked.paths,
    }


def _resolved(node: Any, leaves: list[int], conflicts: list[list[int]]) -> Any:
    """The tree with each end's place among the ends replaced by its result."""
    if isinstance(node, int):
        return leaves[node]
    if isinstance(node, dict):
        return {"conflict": conflicts[node["conflict"]]}
    return [node[0], *(_resolved(child, leaves, conflicts) for child in node[1:])]


# --- the cache ----------------------------------------------------------------------------


def _source_digest() -> bytes:
    """adrgen's own source: a change to the engine or the interview must miss the cache."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        digest.update(read_bytes(path) + b"\0")
    return digest.digest()


def _cache_name(catalog: Catalog) -> str | None:
    try:
        source = _source_digest()
    except (OSError, AdrgenError):  # no readable source: build the table, keep no entry
        return None
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}\0".encode())
    digest.update(source)
    digest.update(catalog.model_dump_json().encode())
    return f"wizard-{digest.hexdigest()[:32]}.json"


def cached_table(catalog: Catalog, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """`build_table`, from adrgen's cache when an intact entry for this catalog is there."""
    name = _cache_name(catalog)
    table = read_entry(name) if name is not None else None
    if table is not None and table_problem(table, catalog) is None:
        if table["paths"] > limit:
            raise TooManyPaths(limit)
        return table
    table = build_table(catalog, limit)
    if name is not None:
        write_entry(name, table)
    return table


def table_problem(table: Any, catalog: Catalog) -> str | None:
    """What makes `table` unfit for this catalog's page, or None: a cache entry is input."""
    try:
        _check_table(table, catalog)
    except (TypeError, ValueError, KeyError, IndexError) as exc:
        return str(exc) or type(exc).__name__
    return None


def _check_table(table: Any, catalog: Catalog) -> None:
    def need(condition: bool, what: str) -> None:
        if not condition:
            raise ValueError(what)

    def indexes(values: Any, size: int, what: str) -> None:
        need(isinstance(values, list), what)
        for value in values:
            need(type(value) is int and 0 <= value < size, what)

    def text(value: Any) -> bool:
        return isinstance(value, str)

    need(isinstance(table, dict), "not a mapping")
    reasons, warnings, results = table["reasons"], table["warnings"], table["results"]
    need(type(table["paths"]) is int and table["paths"] >= 0, "paths")
    need(isinstance(reasons, list), "reasons")
    for reason in reasons:
        need(isinstance(reason, list) and len(reason) == 2 and text(reason[0]), "a reason")
        need(isinstance(reason[1], list) and all(text(c) for c in reason[1]), "a citation")
    need(isinstance(warnings, list), "warnings")
    for warning in warnings:
        need(isinstance(warning, dict) and text(warning["text"]), "a warning")
        need(isinstance(warning["facts"], list) and all(map(text, warning["facts"])), "facts")
        need(warning["set_aside"] is None or text(warning["set_aside"]), "set aside")
    need(isinstance(results, list), "results")
    mechanisms = len(catalog.mechanisms)
    for result in results:
        need(isinstance(result, dict), "a result")
        if "problem" in result:
            need(text(result["problem"]), "a problem")
            continue
        need(type(result["mechanism"]) is int and 0 <= result["mechanism"] < mechanisms, "id")
        need(text(result["outcome"]), "an outcome")
        indexes(result["reasons"], len(reasons), "reasons of a result")
        indexes(result["warnings"], len(warnings), "warnings of a result")
        need(isinstance(result["unmet"], list) and all(map(text, result["unmet"])), "unmet")
        need(isinstance(result["alternatives"], list), "alternatives")
        for alternative in result["alternatives"]:
            need(isinstance(alternative, list) and len(alternative) == 3, "an alternative")
            indexes([alternative[0]], mechanisms, "an alternative's mechanism")
            need(alternative[1] in ALTERNATIVE_STATUSES, "an alternative's status")
            indexes(alternative[2], len(reasons), "an alternative's reasons")
        control = result["control"]
        if control is not None:
            need(isinstance(control, dict), "a control channel")
            indexes([control["mechanism"]], mechanisms, "a control channel's mechanism")
            indexes(control["reasons"], len(reasons), "a control channel's reasons")
    questions = asked_questions(catalog)
    ends = 0
    # the tree is walked without recursion: an entry might nest deeper than Python allows
    pending = [(table["tree"], 0)]
    while pending:
        node, depth = pending.pop()
        need(depth <= len(questions), "the tree is deeper than the questions")
        if type(node) is int:
            need(0 <= node < len(results), "a result's index")
            ends += 1
        elif isinstance(node, dict):
            indexes(node["conflict"], len(warnings), "a conflict")
            need(len(node["conflict"]) > 0, "a conflict without a warning")
            ends += 1
        else:
            need(isinstance(node, list) and len(node) >= 2, "a question node")
            index = node[0]
            need(type(index) is int and 0 <= index < len(questions), "a question's index")
            need(len(node) - 1 == len(questions[index].choices), "a question's answers")
            pending.extend((child, depth + 1) for child in node[1:])
    need(ends == table["paths"], "the number of paths")


# --- the page's data ----------------------------------------------------------------------


def site_url(target: str, here: str, directory_urls: bool) -> str:
    """A link from the page `here` to `target` (site paths of markdown files, `#anchor`
    allowed) as the built site addresses them: the page's script writes these links, and
    mkdocs does not rewrite them."""

    def address(path: str) -> str:
        if not path.endswith(".md"):
            return path
        stem = path[: -len(".md")]
        if not directory_urls:
            return f"{stem}.html"
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return f"{stem}/"

    path, hash_mark, anchor = target.partition("#")
    path = address(path)
    folder = posixpath.dirname(address(here) + "x")
    way = posixpath.relpath(path or ".", folder or ".")
    if path == "" or path.endswith("/"):
        way = "./" if way == "." else way + "/"
    return way + hash_mark + anchor


def _citations(table: dict[str, Any], questions: list[AskedQuestion]) -> Iterator[str]:
    for _, cites in table["reasons"]:
        yield from cites
    for question in questions:
        if question.checklist:
            yield question.checklist


def page_data(
    catalog: Catalog, table: dict[str, Any], link: Callable[[str], str]
) -> dict[str, Any]:
    """What the page's script reads: the table, the questions, the mechanisms and the links
    to the catalog's pages (`link` turns a site path into an address from the wizard page)."""
    questions = asked_questions(catalog)
    targets = catalog_targets(catalog)
    meta = catalog.meta
    return {
        "format": FORMAT,
        "catalog": {"name": meta.name, "version": meta.version, "overlay": meta.overlay},
        "questions": [
            {
                "fact": q.fact,
                "prompt": q.prompt,
                "hints": q.hints,
                "checklist": q.checklist,
                "choices": [list(choice) for choice in q.choices],
            }
            for q in questions
        ],
        "mechanisms": [
            {
                "id": m.id,
                "name": m.name,
                "stance": m.stance.value,
                "stance_note": m.stance_note,
                "cite": f"mechanism:{m.id}",
            }
            for m in catalog.mechanisms
        ],
        "stances": {s.id.value: s.meaning for s in meta.stances},
        "outcomes": OUTCOME_TEXT,
        "links": {
            cite: link(targets[cite])
            for cite in sorted(
                {*_citations(table, questions), *(f"mechanism:{m.id}" for m in catalog.mechanisms)}
            )
            if cite in targets
        },
        **table,
    }


def data_script(data: dict[str, Any]) -> str:
    """The data as a script: one assignment of the JSON to a global."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return f"window.{DATA_GLOBAL}={text};\n"


@dataclass
class Wizard:
    """The wizard's page data, or why it was left out."""

    script: str = ""  # the data file's text
    version: str = ""  # a digest of it: the page asks for this version of the data
    paths: int = 0
    notice: str = ""


def build_wizard(
    catalog: Catalog, limit: int = DEFAULT_LIMIT, directory_urls: bool = True
) -> Wizard:
    """The wizard's data file for this catalog, or a notice when the interview has more
    than `limit` paths."""
    try:
        table = cached_table(catalog, limit)
    except TooManyPaths:
        return Wizard(
            notice=f"wizard: the interview has more than {limit:,} answer paths "
            f"(wizard_limit); the page {TITLE!r} is left out"
        )
    data = page_data(catalog, table, lambda target: site_url(target, PAGE, directory_urls))
    script = data_script(data)
    version = hashlib.sha256(script.encode()).hexdigest()[:16]
    return Wizard(script=script, version=version, paths=table["paths"])


def static_files() -> dict[str, Path]:
    """The page's script and stylesheet: site path -> file."""
    folder = resources.templates_dir() / "site"
    return {SCRIPT: folder / "wizard.js", STYLE: folder / "wizard.css"}


def add_wizard(site: Any, catalog: Catalog, options: Any, add_page: Callable[..., None]) -> None:
    """The wizard in `site` (adrgen.site.pages.Site): its page, first in the catalog's section
    of the navigation, its data, script and stylesheet. When the interview has more paths
    than `options.wizard_limit`, a notice says so and the page is left out (the script and
    stylesheet stay: the site's configuration names them)."""
    from adrgen.templating.escape import entities

    if options.wizard_limit < 0:
        raise AdrgenError("site: wizard_limit must be 0 or more answer paths")
    site.files.update(static_files())
    built = build_wizard(catalog, options.wizard_limit, options.directory_urls)
    if built.notice:
        site.notices.append(built.notice)
        return
    site.texts[DATA] = built.script
    add_page(
        PAGE, "wizard.md.j2", TITLE, version=built.version, count=built.paths, meta=catalog.meta
    )
    section = entities(options.catalog_title)
    for item in site.nav:
        if isinstance(item, dict) and isinstance(item.get(section), list):
            item[section].insert(0, {TITLE: PAGE})
            break
    else:
        site.nav.append({TITLE: PAGE})
    site.in_nav.add(PAGE)
