"""A team's catalog overlay: its own stances, notes, mechanisms, situations and rules.

The organisation's catalog stays the shared source of truth; a team states where it differs
in one small YAML file (named by `overlay:` in `.adrgen.yaml`), and every command sees the
merged catalog. An overlay only adds or re-decides: it can change a mechanism's stance (with
its reason), add team notes, and add mechanisms, situations and rules. It cannot delete
entries, so a record written under an overlay still cites entries the organisation knows.

    name: payments-team
    mechanisms:
      shared-memory:
        stance: hold
        stance_note: Our auditors need every byte to cross a boundary we can log.
        team_notes: [Talk to the platform group before proposing it again.]
    add_mechanisms: [ ...full mechanism entries, as in catalog/mechanisms/*.yaml... ]
    add_situations: [ ...entries as in catalog/situations.yaml... ]
    add_rules: [ ...entries as in catalog/rules.yaml... ]
    add_conflicts: [ ...entries as in catalog/conflicts.yaml... ]

Added rules and mechanisms are checked like the catalog's own: a condition that rests on a
fact the interview can skip is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from adrgen.catalog.loading import _Where, interview_problems, reference_problems
from adrgen.catalog.models import Catalog, Conflict, Id, Mechanism, Rule, Situation
from adrgen.errors import AdrgenError, ValidationProblems, did_you_mean, location
from adrgen.files.safe_yaml import LineMap, load_file
from adrgen.validation import Strict, describe_errors
from adrgen.vocabulary import Stance

MAX_OVERLAY_BYTES = 256 * 1024


class MechanismChange(Strict):
    """What a team re-decides about a mechanism the catalog already has."""

    stance: Stance | None = None
    stance_note: str | None = Field(None, description="the team's reason; required with stance")
    team_notes: list[str] = Field([], description="appended to the mechanism's team notes")


class Overlay(Strict):
    name: Id = Field(description="the overlay's name, noted in the catalog and in records")
    description: str = ""
    mechanisms: dict[Id, MechanismChange] = {}
    add_mechanisms: list[Mechanism] = []
    add_situations: list[Situation] = []
    add_rules: list[Rule] = []
    add_conflicts: list[Conflict] = []


def load_overlay(path: Path) -> tuple[Overlay, LineMap]:
    """Read and validate an overlay file on its own, before it meets a catalog."""
    data, lines = load_file(path, max_bytes=MAX_OVERLAY_BYTES)
    if data is None:
        raise AdrgenError(f"{path}: the overlay file is empty (it needs at least `name:`)")
    try:
        overlay = Overlay.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblems(describe_errors(exc, path, lines, model=Overlay)) from None
    return overlay, lines


def apply_overlay(catalog: Catalog, path: Path) -> Catalog:
    """The catalog with the overlay at `path` merged in, validated like the shipped catalog.

    The given catalog is not changed. Problems are reported as `file:line: field: problem`,
    all at once, and raise ValidationProblems.
    """
    overlay, lines = load_overlay(path)
    problems = _conflicts(catalog, overlay, path, lines)
    if problems:
        raise ValidationProblems(problems)

    merged = catalog.model_copy(deep=True)
    for mechanism_id, change in overlay.mechanisms.items():
        _apply_change(merged.mechanism(mechanism_id), change, overlay.name)
    merged.mechanisms.extend(m.model_copy(deep=True) for m in overlay.add_mechanisms)
    merged.situations.extend(s.model_copy(deep=True) for s in overlay.add_situations)
    merged.rules.extend(r.model_copy(deep=True) for r in overlay.add_rules)
    merged.conflicts.extend(c.model_copy(deep=True) for c in overlay.add_conflicts)
    previous = merged.meta.overlay
    merged.meta.overlay = f"{previous}, {overlay.name}" if previous else overlay.name

    # the overlay's own entries are the only ones that can break a reference, so only they
    # need a place to point at
    where: dict[tuple[str, str], Any] = {}
    for index, m in enumerate(overlay.add_mechanisms):
        where[("mechanism", m.id)] = _Where(path, lines, ("add_mechanisms", index))
    for index, s in enumerate(overlay.add_situations):
        where[("situations", s.id)] = _Where(path, lines, ("add_situations", index))
    for index, r in enumerate(overlay.add_rules):
        where[("rules", r.id)] = _Where(path, lines, ("add_rules", index))
    for index, c in enumerate(overlay.add_conflicts):
        where[("conflicts", c.id)] = _Where(path, lines, ("add_conflicts", index))
    problems = reference_problems(merged, where)
    added = (
        {r.id for r in overlay.add_rules}
        | {m.id for m in overlay.add_mechanisms}
        | {c.id for c in overlay.add_conflicts}
    )
    if not problems and added:
        problems = interview_problems(merged, where, only=added)
    if problems:
        raise ValidationProblems(problems)
    return merged


def _apply_change(mechanism: Mechanism, change: MechanismChange, overlay_name: str) -> None:
    if change.stance is not None:
        if change.stance is not mechanism.stance:
            # keep the organisation's reasoning visible next to the team's: nothing is lost
            mechanism.team_notes.append(
                f"{overlay_name} moved this from {mechanism.stance.value} to "
                f"{change.stance.value}; the catalog's note: {mechanism.stance_note}"
            )
            mechanism.stance = change.stance
        mechanism.stance_note = change.stance_note
    mechanism.team_notes.extend(change.team_notes)


def _conflicts(catalog: Catalog, overlay: Overlay, path: Path, lines: LineMap) -> list[str]:
    """Problems the models cannot see: ids that must (or must not) exist, reasons left out."""
    problems: list[str] = []

    def at(*field_path: Any) -> str:
        return location(path, lines.line_of(field_path))

    known = ", ".join(sorted(m.id for m in catalog.mechanisms))
    for mechanism_id, change in overlay.mechanisms.items():
        label = f"mechanisms.{mechanism_id}"
        if catalog.mechanism(mechanism_id) is None:
            added = any(m.id == mechanism_id for m in overlay.add_mechanisms)
            hint = "; put a new mechanism's whole entry under add_mechanisms" if added else ""
            problems.append(
                f"{at('mechanisms', mechanism_id)}: {label}: unknown mechanism "
                f"{mechanism_id!r}{did_you_mean(mechanism_id, [m.id for m in catalog.mechanisms])}"
                f" (known: {known}){hint}"
            )
            continue
        if change.stance is not None and not (change.stance_note or "").strip():
            problems.append(
                f"{at('mechanisms', mechanism_id, 'stance')}: {label}.stance_note: "
                "a stance change needs the team's reason"
            )
        if change.stance is None and change.stance_note is not None:
            problems.append(
                f"{at('mechanisms', mechanism_id, 'stance_note')}: {label}.stance_note: "
                "explains a stance change, so give `stance` too (or use team_notes)"
            )

    additions: list[tuple[str, str, list[str], set[str]]] = [
        (
            "add_mechanisms",
            "mechanism",
            [m.id for m in overlay.add_mechanisms],
            {m.id for m in catalog.mechanisms},
        ),
        (
            "add_situations",
            "situation",
            [s.id for s in overlay.add_situations],
            {s.id for s in catalog.situations},
        ),
        ("add_rules", "rule", [r.id for r in overlay.add_rules], {r.id for r in catalog.rules}),
        (
            "add_conflicts",
            "conflict",
            [c.id for c in overlay.add_conflicts],
            {c.id for c in catalog.conflicts},
        ),
    ]
    for key, kind, ids, existing in additions:
        seen: set[str] = set()
        for index, entry_id in enumerate(ids):
            spot = f"{at(key, index, 'id')}: {key}.{index}.id"
            if entry_id in existing:
                how = f"; change it under `mechanisms: {entry_id}:`" if kind == "mechanism" else ""
                problems.append(f"{spot}: {kind} {entry_id!r} is already in the catalog{how}")
            elif entry_id in seen:
                problems.append(f"{spot}: {kind} {entry_id!r} is added twice")
            seen.add(entry_id)
    return problems
