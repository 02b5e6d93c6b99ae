"""Which facts the interview asks, for given answers, and what a condition may rest on.

The interview asks the catalog's questions in order and skips a question whose `asked_when`
does not match the answers so far. A skipped question's fact stays unknown, whatever an
answers file says about it: `as_asked` gives the answers as the interview would hold them,
and the engine reasons over nothing else, so a fact the interview would not ask cannot change
the outcome.

A condition over facts (a rule's `when`, a companion's, a capability's) must also say where
it applies: a condition that names a fact the interview can skip where the condition's other
parts hold reads as if it applied there, and it does not. `skippable` finds such facts, by
walking every path the interview can take through the facts the condition depends on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from adrgen.answers.model import Facts
from adrgen.catalog.models import any_matches
from adrgen.vocabulary import FACT_NAMES, FACT_TYPES

if TYPE_CHECKING:
    from adrgen.catalog.models import FactQuestion


def values_of(fact: str) -> list[Any]:
    """Every value a fact can take."""
    kind = FACT_TYPES[fact]
    return [True, False] if kind is bool else list(kind)


def as_asked(given: dict[str, Any], questions: Iterable[FactQuestion]) -> dict[str, Any]:
    """The answers as the interview holds them: a skipped question's fact is None, an asked
    one left unanswered takes the question's default; facts no question asks stay as given."""
    return walk(given, questions)[0]


def walk(
    given: dict[str, Any], questions: Iterable[FactQuestion]
) -> tuple[dict[str, Any], list[str]]:
    """(`as_asked`, the facts the interview asks, in order)."""
    questions = list(questions)
    covered = {q.fact.value for q in questions}
    values = {name: (None if name in covered else given.get(name)) for name in FACT_NAMES}
    so_far = SimpleNamespace(**values)
    asked = []
    for question in questions:
        name = question.fact.value
        if any_matches(question.asked_when, so_far):
            asked.append(name)
            value = given.get(name)
            value = question.default if value is None else value
        else:
            value = None
        values[name] = value
        setattr(so_far, name, value)
    return values, asked


def asked_facts(facts: Facts, questions: list[FactQuestion]) -> Facts:
    """`as_asked` for validated facts."""
    return Facts.model_validate(as_asked(facts.values(), questions))


def skipped(given: dict[str, Any], questions: list[FactQuestion]) -> list[str]:
    """Facts the answers state that the interview would not ask (so they change nothing)."""
    held = as_asked(given, questions)
    return [
        name
        for name in FACT_NAMES
        if given.get(name) is not None
        and held[name] is None
        and any(q.fact.value == name for q in questions)
    ]


# --- every path the interview can take ----------------------------------------------------


def depends_on(facts: Iterable[str], questions: list[FactQuestion]) -> list[str]:
    """The facts whose asking these facts' asking depends on, themselves included, in
    question order."""
    by_fact = {q.fact.value: q for q in questions}
    needed: set[str] = set()
    todo = list(facts)
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        question = by_fact.get(name)
        for pattern in (question.asked_when or []) if question else []:
            todo.extend(pattern.conditions())
    order = [q.fact.value for q in questions]
    return sorted(needed, key=lambda name: order.index(name) if name in order else len(order))


def interview_paths(facts: Iterable[str], questions: list[FactQuestion]) -> list[dict[str, Any]]:
    """Every set of answers the interview can hold for these facts (and those their asking
    depends on), each once; a fact it skips on a path is None there."""
    names = depends_on(facts, questions)
    relevant = [q for q in questions if q.fact.value in names]
    paths: list[dict[str, Any]] = []

    def branch(index: int, so_far: dict[str, Any]) -> None:
        if index == len(relevant):
            paths.append(dict(so_far))
            return
        question = relevant[index]
        name = question.fact.value
        if any_matches(question.asked_when, SimpleNamespace(**so_far)):
            for value in values_of(name):
                so_far[name] = value
                branch(index + 1, so_far)
        else:
            so_far[name] = None
            branch(index + 1, so_far)
        del so_far[name]

    branch(0, dict.fromkeys(FACT_NAMES))
    return [{name: path[name] for name in names} for path in paths]


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


@dataclass
class Skippable:
    """A fact a condition names that the interview skips where the rest of the condition holds."""

    fact: str
    example: dict[str, Any]  # answers on such a path, for the message

    def describe(self) -> str:
        shown = ", ".join(
            f"{name}={_word(value)}" for name, value in self.example.items() if value is not None
        )
        return f"the interview does not ask {self.fact} when {shown or 'nothing is answered'}"


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(_plain(value))


class PathCache:
    """Interview paths by the facts they cover: conditions over the same facts share them."""

    def __init__(self, questions: list[FactQuestion]):
        self.questions = questions
        self._paths: dict[tuple[str, ...], list[dict[str, Any]]] = {}

    def paths(self, facts: Iterable[str]) -> list[dict[str, Any]]:
        key = tuple(depends_on(facts, self.questions))
        if key not in self._paths:
            self._paths[key] = interview_paths(key, self.questions)
        return self._paths[key]


def skippable(pattern: Any, paths: PathCache) -> Iterator[Skippable]:
    """Each fact `pattern` names that the interview can skip on a path where the pattern's
    other conditions hold (shown with the fewest answers that lead there)."""
    conditions = pattern.conditions()
    asked = {q.fact.value for q in paths.questions}
    named = [name for name in conditions if name in asked]
    if not named:
        return
    all_paths = paths.paths(named)
    for name in named:
        others = {other: wanted for other, wanted in conditions.items() if other != name}
        found = [p for p in all_paths if p[name] is None and _holds(others, p)]
        if found:
            path = min(found, key=lambda p: sum(value is not None for value in p.values()))
            yield Skippable(name, {k: v for k, v in path.items() if k != name})


def skipped_beside(pattern: Any, paths: PathCache) -> str | None:
    """The fact of `pattern` the interview never asks on paths where its other conditions
    hold (and that such paths exist for), or None."""
    conditions = pattern.conditions()
    asked = {q.fact.value for q in paths.questions}
    named = [name for name in conditions if name in asked]
    all_paths = paths.paths(named)
    for name in named:
        others = {other: wanted for other, wanted in conditions.items() if other != name}
        where = [p for p in all_paths if _holds(others, p)]
        if where and all(p[name] is None for p in where):
            return name
    return None


def _holds(conditions: dict[str, Any], path: dict[str, Any]) -> bool:
    for name, wanted in conditions.items():
        have = path.get(name)
        if have is None:
            return False
        if have not in (wanted if isinstance(wanted, list) else [wanted]):
            return False
    return True


def order_problems(questions: list[FactQuestion]) -> list[tuple[int, str]]:
    """(question index, message) for an `asked_when` that names its own or a later fact: the
    interview only knows the answers asked before a question."""
    problems = []
    earlier: set[str] = set()
    for index, question in enumerate(questions):
        for pattern in question.asked_when or []:
            for name in pattern.conditions():
                if name not in earlier:
                    problems.append(
                        (
                            index,
                            f"asked_when: names {name}, which is not asked before "
                            f"{question.fact.value}",
                        )
                    )
        earlier.add(question.fact.value)
    return problems
