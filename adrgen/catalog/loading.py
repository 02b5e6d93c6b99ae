"""Load a catalog folder into a validated `Catalog`, reporting every problem as file:line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adrgen import resources
from adrgen.errors import AdrgenError, ValidationProblems, did_you_mean, location
from adrgen.files.safe_yaml import LineMap, load_file

if TYPE_CHECKING:
    from pydantic import BaseModel

    from adrgen.catalog.models import Catalog

META_FILE = "catalog.yaml"
MECHANISMS_DIR = "mechanisms"
# file name -> (top-level key, name of the model of each item in adrgen.catalog.models)
LIST_FILES: dict[str, tuple[str, str]] = {
    "situations.yaml": ("situations", "Situation"),
    "checklist.yaml": ("checklist", "ChecklistItem"),
    "failure-modes.yaml": ("failure_modes", "FailureMode"),
    "rules.yaml": ("rules", "Rule"),
    "questions.yaml": ("questions", "FactQuestion"),
    "conflicts.yaml": ("conflicts", "Conflict"),
}
# files a catalog written before them may leave out
OPTIONAL_FILES = {"conflicts.yaml"}


@dataclass
class _Where:
    """Where an entry came from, so cross-reference problems can name file and line."""

    path: Path
    lines: LineMap
    prefix: tuple[Any, ...]

    def at(self, *sub: Any) -> str:
        return location(self.path, self.lines.line_of((*self.prefix, *sub)))


class _Collector:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def load(self, path: Path) -> tuple[Any, LineMap] | None:
        try:
            data, lines = load_file(path)
        except AdrgenError as exc:
            self.problems.append(exc.message)
            return None
        if data is None:
            self.problems.append(f"{location(path, 1)}: file is empty")
            return None
        return data, lines

    def validate(self, model: type[BaseModel], data: Any, where: _Where) -> Any:
        from pydantic import ValidationError

        from adrgen.validation import describe_errors

        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.problems.extend(
                describe_errors(exc, where.path, where.lines, where.prefix, model=model)
            )
            return None


def _catalog_folder(directory: Path | None) -> Path:
    directory = Path(directory) if directory else resources.catalog_dir()
    if not directory.is_dir():
        raise AdrgenError(f"{directory}: catalog folder not found")
    return directory


def _validated_and_cached(directory: Path) -> Catalog:
    from adrgen.catalog import cache as catalog_cache

    catalog = validate_catalog(directory)
    catalog_cache.save(directory, catalog)
    return catalog


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load and validate a catalog folder (the shipped one by default).

    A folder whose files are unchanged since they were last validated comes from the
    catalog cache (see adrgen.catalog.cache).
    """
    from adrgen.catalog import cache as catalog_cache

    directory = _catalog_folder(directory)
    cached = catalog_cache.load(directory)
    return cached if cached is not None else _validated_and_cached(directory)


def validate_catalog(directory: Path) -> Catalog:
    """Read every catalog file and validate it; every problem is reported, file:line."""
    from adrgen.catalog import models

    collector = _Collector()
    where: dict[tuple[str, str], _Where] = {}

    meta = None
    meta_path = directory / META_FILE
    loaded = collector.load(meta_path)
    if loaded:
        meta = collector.validate(models.CatalogMeta, loaded[0], _Where(meta_path, loaded[1], ()))
        if meta:
            where[("meta", "")] = _Where(meta_path, loaded[1], ())

    mechanisms: list[models.Mechanism] = []
    mech_dir = directory / MECHANISMS_DIR
    mech_files = sorted(mech_dir.glob("*.yaml")) if mech_dir.is_dir() else []
    if not mech_files:
        collector.problems.append(f"{mech_dir}: no mechanism files (*.yaml)")
    for path in mech_files:
        loaded = collector.load(path)
        if not loaded:
            continue
        spot = _Where(path, loaded[1], ())
        mechanism = collector.validate(models.Mechanism, loaded[0], spot)
        if mechanism:
            if path.stem != mechanism.id:
                collector.problems.append(
                    f"{spot.at('id')}: id: {mechanism.id!r} does not match the file name {path.name}"
                )
            mechanisms.append(mechanism)
            where.setdefault(("mechanism", mechanism.id), spot)

    lists: dict[str, list[Any]] = {}
    for filename, (key, model_name) in LIST_FILES.items():
        lists[key] = []
        path = directory / filename
        if filename in OPTIONAL_FILES and not path.exists():
            continue
        loaded = collector.load(path)
        if not loaded:
            continue
        data, lines = loaded
        if not isinstance(data, dict) or set(data) != {key}:
            collector.problems.append(
                f"{location(path, lines.line_of(()))}: expected one top-level key `{key}:`"
            )
            continue
        items = data[key]
        if not isinstance(items, list):
            collector.problems.append(
                f"{location(path, lines.line_of((key,)))}: {key}: expected a list"
            )
            continue
        for index, item in enumerate(items):
            spot = _Where(path, lines, (key, index))
            entry = collector.validate(getattr(models, model_name), item, spot)
            if entry is not None:
                lists[key].append(entry)
                where.setdefault((key, getattr(entry, "id", getattr(entry, "fact", ""))), spot)

    if collector.problems:
        raise ValidationProblems(collector.problems)
    catalog = models.Catalog(meta=meta, mechanisms=mechanisms, **lists)
    problems = catalog_problems(catalog, where)
    if problems:
        raise ValidationProblems(problems)
    return catalog


def catalog_problems(
    catalog: Catalog, where: dict[tuple[str, str], _Where] | None = None
) -> list[str]:
    """Everything the models alone cannot check: references, then what the interview asks."""
    return reference_problems(catalog, where) or interview_problems(catalog, where)


def _locator(where: dict[tuple[str, str], _Where]) -> Any:
    def at(kind: str, entry_id: str, *sub: Any) -> str:
        spot = where.get((kind, entry_id))
        return spot.at(*sub) if spot else f"catalog: {kind} {entry_id}"

    return at


def reference_problems(
    catalog: Catalog, where: dict[tuple[str, str], _Where] | None = None
) -> list[str]:
    """Duplicate ids and references that do not resolve, one line each."""
    where = where or {}
    problems: list[str] = []

    at = _locator(where)

    def unique(kind: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for entry_id in ids:
            if entry_id in seen:
                problems.append(f"{at(kind, entry_id, 'id')}: id: duplicate {kind} id {entry_id!r}")
            seen.add(entry_id)

    mechanism_ids = {m.id for m in catalog.mechanisms}
    unique("mechanism", [m.id for m in catalog.mechanisms])
    unique("situations", [s.id for s in catalog.situations])
    unique("checklist", [c.id for c in catalog.checklist])
    unique("failure_modes", [f.id for f in catalog.failure_modes])
    unique("rules", [r.id for r in catalog.rules])
    unique("questions", [q.fact for q in catalog.questions])
    unique("conflicts", [c.id for c in catalog.conflicts])
    unique("meta", [c.id for c in catalog.meta.capabilities])

    failure_ids = {f.id for f in catalog.failure_modes}
    ids_by_kind = {
        "mechanism": mechanism_ids,
        "situation": {s.id for s in catalog.situations},
        "checklist": {c.id for c in catalog.checklist},
        "failure-mode": failure_ids,
        "guidance": {g.id for g in catalog.meta.guidance},
        "tooling": {t.id for t in catalog.meta.tooling_examples},
    }
    capability_ids = {c.id for c in catalog.meta.capabilities}

    def resolve(
        target: set[str], kind: str, owner: tuple[str, str], field: str, refs: list[str]
    ) -> None:
        for index, ref in enumerate(refs):
            if ref not in target:
                problems.append(
                    f"{at(*owner, field, index)}: {field}: unknown {kind} {ref!r}"
                    + did_you_mean(ref, target)
                )

    def cited(owner: tuple[str, str], field: str, cites: list[str]) -> None:
        for index, cite in enumerate(cites):
            kind, _, ref = cite.partition(":")
            if ref not in ids_by_kind[kind]:
                problems.append(f"{at(*owner, field, index)}: {field}: unknown {kind} {ref!r}")

    def capabilities_of(owner: tuple[str, str], field: tuple[Any, ...], pattern: Any) -> None:
        for index, ref in enumerate((pattern.has or []) if pattern is not None else []):
            if ref not in capability_ids:
                problems.append(
                    f"{at(*owner, *field, 'has', index)}: has: unknown capability {ref!r}"
                    + did_you_mean(ref, capability_ids)
                )

    obligation_ids = {o.id for o in catalog.meta.obligations}
    for m in catalog.mechanisms:
        owner = ("mechanism", m.id)
        resolve(failure_ids, "failure mode", owner, "failure_modes", m.failure_modes)
        for index, pro in enumerate(m.pros):
            if pro.settles is not None and pro.settles not in obligation_ids:
                problems.append(
                    f"{at(*owner, 'pros', index, 'settles')}: settles: unknown obligation "
                    f"{pro.settles!r}" + did_you_mean(pro.settles, obligation_ids)
                )
        for index, use in enumerate(m.capabilities):
            if use.id not in capability_ids:
                problems.append(
                    f"{at(*owner, 'capabilities', index)}: capabilities: unknown capability "
                    f"{use.id!r}" + did_you_mean(use.id, capability_ids)
                )
        for index, companion in enumerate(m.pairs_with):
            spot = at(*owner, "pairs_with", index, "mechanism")
            if companion.mechanism == m.id:
                problems.append(f"{spot}: pairs_with: {m.id!r} cannot pair with itself")
            elif companion.mechanism not in mechanism_ids:
                problems.append(
                    f"{spot}: pairs_with: unknown mechanism {companion.mechanism!r}"
                    + did_you_mean(companion.mechanism, mechanism_ids)
                )
            cited(owner, "cites", companion.cites)
    for s in catalog.situations:
        for field in ("accepts", "first_choice", "avoids"):
            resolve(mechanism_ids, "mechanism", ("situations", s.id), field, getattr(s, field))
    for f in catalog.failure_modes:
        resolve(mechanism_ids, "mechanism", ("failure_modes", f.id), "warns_about", f.warns_about)
    for r in catalog.rules:
        cited(("rules", r.id), "cites", r.cites)
        capabilities_of(("rules", r.id), ("require",), r.require)
        capabilities_of(("rules", r.id), ("prefer",), r.prefer)
    for index, obligation in enumerate(catalog.meta.obligations):
        capabilities_of(("meta", ""), ("obligations", index, "mechanism"), obligation.mechanism)
    for q in catalog.questions:
        if q.checklist and q.checklist not in ids_by_kind["checklist"]:
            problems.append(
                f"{at('questions', q.fact, 'checklist')}: checklist: unknown item {q.checklist!r}"
            )
    for index, example in enumerate(catalog.meta.tooling_examples):
        for ref in example.mechanisms:
            if ref not in mechanism_ids:
                spot = at("meta", "", "tooling_examples", index, "mechanisms")
                problems.append(f"{spot}: tooling_examples.mechanisms: unknown mechanism {ref!r}")
    return problems


def interview_problems(
    catalog: Catalog,
    where: dict[tuple[str, str], _Where] | None = None,
    only: set[str] | None = None,
) -> list[str]:
    """Questions asked on answers not yet given, and conditions that decide the outcome yet
    name a fact the interview can skip where the rest of the condition holds (of the rules
    and mechanisms whose ids are in `only`, when given)."""
    from adrgen.catalog.asking import PathCache, order_problems, skippable, skipped_beside

    at = _locator(where or {})
    questions = catalog.questions
    problems = [
        f"{at('questions', questions[index].fact.value, 'asked_when')}: {message}"
        for index, message in order_problems(questions)
    ]
    if problems:
        return problems
    paths = PathCache(questions)

    def check(owner: tuple[str, str], field: tuple[Any, ...], patterns: list[Any]) -> None:
        for index, pattern in enumerate(patterns):
            for found in skippable(pattern, paths):
                label = ".".join(str(part) for part in field)
                problems.append(
                    f"{at(*owner, *field, index, found.fact)}: {label}: {found.describe()}, "
                    "so the condition cannot rest on it there; add a condition that rules "
                    "those answers out (questions.yaml says when each fact is asked)"
                )

    for rule in catalog.rules:
        if only is None or rule.id in only:
            check(("rules", rule.id), ("when",), rule.when.patterns)
    for m in catalog.mechanisms:
        if only is not None and m.id not in only:
            continue
        owner = ("mechanism", m.id)
        for index, use in enumerate(m.capabilities):
            check(owner, ("capabilities", index, "when"), use.when or [])
        for index, companion in enumerate(m.pairs_with):
            check(owner, ("pairs_with", index, "when"), companion.when)
        for relationship, patterns in m.fits_only_when.items():
            check(owner, ("fits_only_when", relationship.value), patterns)
    for conflict in catalog.conflicts:
        if only is not None and conflict.id not in only:
            continue
        yields = skipped_beside(conflict.when, paths)
        if yields is not None and yields != conflict.set_aside.value:
            problems.append(
                f"{at('conflicts', conflict.id, 'set_aside')}: set_aside: the interview does not "
                f"ask {yields} given the other answers, so {yields} is the answer to set aside "
                "(an answer it would not ask must not change the advice)"
            )
    return problems
