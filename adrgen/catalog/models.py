"""Pydantic models of the IPC catalog.

The models are strict: unknown keys are refused, vocabularies are enums (adrgen.vocabulary),
and references between entries are checked by `catalog.loading.reference_problems`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints, create_model

from adrgen.validation import Strict
from adrgen.vocabulary import (
    FACT_NAMES,
    FACT_TYPES,
    ID_PATTERN,
    FactName,
    Isolation,
    Outcome,
    Relationship,
    Scope,
    Stance,
    Volume,
)

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


class FactsPatternMethods(Strict):
    """A condition over facts: every named fact must equal the value (or one of the values)."""

    def conditions(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FACT_NAMES if getattr(self, name) is not None}

    def matches(self, facts: Any) -> bool:
        for name, wanted in self.conditions().items():
            have = getattr(facts, name)
            if have is None:
                return False
            if isinstance(wanted, list):
                if have not in wanted:
                    return False
            elif have != wanted:
                return False
        return True

    def describe(self) -> str:
        parts = []
        for name, wanted in self.conditions().items():
            value = "|".join(str(v) for v in wanted) if isinstance(wanted, list) else wanted
            parts.append(f"{name}={str(value).lower() if isinstance(value, bool) else value}")
        return ", ".join(parts) or "always"


# each fact of the vocabulary, as one value or a list of the values any of which will do
FactsPattern = create_model(
    "FactsPattern",
    __base__=FactsPatternMethods,
    __doc__=FactsPatternMethods.__doc__,
    **{name: (list[kind] | kind | None, None) for name, kind in FACT_TYPES.items()},
)


def any_matches(patterns: list[Any] | None, facts: Any) -> bool:
    """An any-of condition: true when one pattern matches (and when there is no condition)."""
    return patterns is None or any(pattern.matches(facts) for pattern in patterns)


# --- catalog entries ----------------------------------------------------------------------


class Point(Strict):
    """A pro or a con of a mechanism, and the answers for which it matters (always, without)."""

    text: str
    matters_when: list[FactsPattern] | None = Field(None, description="any of")

    def matters(self, facts: Any) -> bool:
        return any_matches(self.matters_when, facts)

    def __str__(self) -> str:
        return self.text


def _point(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


# a point is written as plain text when it always matters
Points = list[Annotated[Point, BeforeValidator(_point, json_schema_input_type=str | Point)]]


class Obligation(Strict):
    """What a team owns once it chooses a mechanism with these attributes, for these answers."""

    id: Id
    topic: str = Field(description="a few words: framing and versioning, synchronisation, ...")
    text: str
    mechanism: MechanismPattern = Field(description="the attributes of the chosen mechanism")
    when: list[FactsPattern] | None = Field(None, description="any of; always without")


class Mechanism(Strict):
    id: Id
    name: str
    typical_use: str
    garden_note: str
    stance: Stance
    stance_note: str
    summary: str
    scope: Scope
    isolation: Isolation
    ceremony: int = Field(ge=1, le=5, description="1 = lowest ceremony")
    max_data_volume: Volume
    rpc_semantics: bool
    carries_payload: bool
    relationships: list[Relationship]
    pros: Points = Field(min_length=1)
    cons: Points = Field(min_length=1)
    failure_modes: list[Id] = []
    examples: list[str] = []
    seed_text: list[str] = Field(
        default=[], description="sentences of the seed note this entry holds"
    )
    team_notes: list[str] = []

    @property
    def outcome(self) -> Outcome:
        return Outcome.service_contract if self.scope is Scope.cross_host else Outcome.ipc


class Situation(Strict):
    id: Id
    situation: str = Field(description="the seed's 'Situation' column, verbatim")
    stance: str = Field(description="the seed's 'Stance' column, verbatim")
    verdict: Literal["accept", "avoid"]
    guidance: str
    when: list[FactsPattern] = Field(min_length=1, description="applies when any one matches")
    accepts: list[Id] = []
    first_choice: list[Id] = []
    avoids: list[Id] = []
    outcome: Outcome = Outcome.ipc

    def applies(self, facts: Any) -> bool:
        return any_matches(self.when, facts)


class ChecklistItem(Strict):
    id: Id
    number: int = Field(ge=1)
    question: str = Field(description="the seed's wording, verbatim")
    kind: Literal["question", "directive"] = "question"
    fact: FactName | None = None
    yes_means: bool | None = Field(None, description="the fact's value when the answer is yes")
    asked_when: list[FactsPattern] | None = Field(None, description="any of")
    applies_when: list[FactsPattern] | None = Field(None, description="any of")
    consequence: str


class FailureMode(Strict):
    id: Id
    text: str = Field(description="the seed's wording, verbatim")
    explanation: str
    warns_about: list[Id] = Field(min_length=1)
    watch_for: list[str] = []
    relevant_when: FactsPattern | None = None


class MechanismPattern(Strict):
    """What a rule asks of a mechanism; fact-relative tests read the answers."""

    scope: list[Scope] | None = None
    isolation: list[Isolation] | None = None
    rpc_semantics: bool | None = None
    carries_payload: bool | None = None
    handles_data_volume: bool | None = Field(
        None, description="max_data_volume >= facts.data_volume"
    )
    fits_relationship: bool | None = Field(None, description="facts.relationship in relationships")

    def matches(self, mechanism: Any, facts: Any) -> bool:
        if self.scope is not None and mechanism.scope not in self.scope:
            return False
        if self.isolation is not None and mechanism.isolation not in self.isolation:
            return False
        if self.rpc_semantics is not None and mechanism.rpc_semantics != self.rpc_semantics:
            return False
        if self.carries_payload is not None and mechanism.carries_payload != self.carries_payload:
            return False
        if self.handles_data_volume is not None and facts.data_volume is not None:
            handles = mechanism.max_data_volume.rank >= facts.data_volume.rank
            if handles != self.handles_data_volume:
                return False
        if self.fits_relationship is not None and facts.relationship is not None:
            fits = facts.relationship in mechanism.relationships
            if fits != self.fits_relationship:
                return False
        return True


Citation = Annotated[
    str,
    StringConstraints(
        pattern=r"^(mechanism|situation|checklist|failure-mode|guidance):[a-z0-9-]+$"
    ),
]


class Rule(Strict):
    id: Id
    because: str = Field(description="the reason given when the rule fires")
    shortfall: str | None = Field(
        None, description="said of a mechanism that a `prefer` rule ranks lower"
    )
    when: FactsPattern
    require: MechanismPattern | None = None
    prefer: MechanismPattern | None = None
    weight: int = Field(1, ge=1, le=100)
    relaxable: bool = Field(False, description="may be given up when no mechanism meets every rule")
    cites: list[Citation] = Field(min_length=1)


class Choice(Strict):
    value: str
    label: str
    says: str | None = Field(None, description="the answer as a statement, for the record")
    brief: str | None = Field(None, description="the answer in a few words")


class FactQuestion(Strict):
    fact: FactName
    prompt: str
    help: str
    checklist: Id | None = Field(None, description="the checklist item this question asks")
    choices: list[Choice] = []
    asked_when: list[FactsPattern] | None = Field(None, description="any of")
    default: bool | str | None = Field(None, description="used when the question is skipped")
    says_yes: str | None = Field(None, description="a yes answer as a statement, for the record")
    says_no: str | None = Field(None, description="a no answer as a statement, for the record")
    brief_yes: str | None = Field(None, description="a yes answer in a few words")
    brief_no: str | None = Field(None, description="a no answer in a few words")
    context_words: list[str] = Field(
        [], description="words that show the team's own context speaks of this fact"
    )

    def wording(self, value: Any) -> tuple[str | None, str | None]:
        """(statement, brief) for an answer, as the catalog words it; None where it does not."""
        if isinstance(value, bool):
            return (self.says_yes, self.brief_yes) if value else (self.says_no, self.brief_no)
        wanted = getattr(value, "value", value)
        choice = next((c for c in self.choices if c.value == wanted), None)
        return (choice.says, choice.brief) if choice else (None, None)


class StanceMeaning(Strict):
    id: Stance
    meaning: str


class Guidance(Strict):
    id: Id
    title: str
    text: str


class ToolingExample(Strict):
    id: Id
    name: str
    text: str
    mechanisms: list[Id] = []


class WhenIpcFits(Strict):
    text: str
    relationships: list[Relationship]


class CatalogMeta(Strict):
    name: Id
    version: str
    title: str
    intro: str
    blurb: str
    summary: str
    stances: list[StanceMeaning]
    guidance: list[Guidance]
    when_ipc_fits: WhenIpcFits
    when_to_pause: str
    tooling_examples: list[ToolingExample]
    obligations: list[Obligation] = Field(
        [], description="what a team owns after choosing, by mechanism attributes and answers"
    )
    details_heading: str = "Details"
    overlay: str | None = Field(None, description="set when a team overlay was merged in")


class Catalog(Strict):
    meta: CatalogMeta
    mechanisms: list[Mechanism]
    situations: list[Situation]
    checklist: list[ChecklistItem]
    failure_modes: list[FailureMode]
    rules: list[Rule]
    questions: list[FactQuestion]

    def mechanism(self, mechanism_id: str) -> Mechanism | None:
        return next((m for m in self.mechanisms if m.id == mechanism_id), None)

    def situation(self, situation_id: str) -> Situation | None:
        return next((s for s in self.situations if s.id == situation_id), None)

    def failure_mode(self, failure_mode_id: str) -> FailureMode | None:
        return next((f for f in self.failure_modes if f.id == failure_mode_id), None)

    def checklist_item(self, item_id: str) -> ChecklistItem | None:
        return next((c for c in self.checklist if c.id == item_id), None)
