"""Pydantic models of the IPC catalog.

The models are strict: unknown keys are refused, vocabularies are enums (adrgen.vocabulary),
and references between entries are checked by `catalog.loading.reference_problems`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    RootModel,
    StringConstraints,
    create_model,
    model_validator,
)

from adrgen.answers.model import Facts
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
            values = wanted if isinstance(wanted, list) else [wanted]
            parts.append(f"{name}={'|'.join(answer_word(v) for v in values)}")
        return ", ".join(parts) or "always"


def answer_word(value: Any) -> str:
    """A fact's value as people say it: yes or no, or the vocabulary's word."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(getattr(value, "value", value))


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


def _one_or_more(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


class FactsCondition(RootModel):
    """A rule's condition: one pattern, or a list of patterns any one of which will do."""

    root: Annotated[
        list[FactsPattern],
        BeforeValidator(_one_or_more, json_schema_input_type=FactsPattern | list[FactsPattern]),
        Field(min_length=1),
    ]

    @property
    def patterns(self) -> list[Any]:
        return self.root

    def matches(self, facts: Any) -> bool:
        return any(pattern.matches(facts) for pattern in self.root)

    def conditions(self) -> dict[str, Any]:
        """Every fact the condition names, with the values any alternative accepts."""
        merged: dict[str, list[Any]] = {}
        for pattern in self.root:
            for name, wanted in pattern.conditions().items():
                values = merged.setdefault(name, [])
                for value in wanted if isinstance(wanted, list) else [wanted]:
                    if value not in values:
                        values.append(value)
        return {name: values[0] if len(values) == 1 else values for name, values in merged.items()}

    def describe(self) -> str:
        return " or ".join(pattern.describe() for pattern in self.root)


# --- catalog entries ----------------------------------------------------------------------


class Point(Strict):
    """A pro or a con of a mechanism, and the answers for which it matters (always, without)."""

    text: str
    matters_when: list[FactsPattern] | None = Field(None, description="any of")
    settles: Id | None = Field(
        None, description="an obligation this takes off the team (catalog.yaml obligations)"
    )

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


class CapabilityUse(Strict):
    """A capability a mechanism offers, always or only for some answers."""

    id: Id
    when: list[FactsPattern] | None = Field(None, description="any of; always without")
    note: str | None = Field(None, description="why, for these answers; cite the source")


def _capability(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


# a capability offered always is written as its id alone
CapabilityUses = list[
    Annotated[
        CapabilityUse, BeforeValidator(_capability, json_schema_input_type=str | CapabilityUse)
    ]
]


class Companion(Strict):
    """A second mechanism a design built on this one needs beside it, and when."""

    mechanism: Id
    when: list[FactsPattern] = Field(min_length=1, description="any of")
    because: str = Field(description="what the companion carries that this mechanism does not")
    cites: list[Citation] = []


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
    fits_only_when: dict[Relationship, list[FactsPattern]] = Field(
        {}, description="a relationship listed here fits only for these answers (any of)"
    )
    capabilities: CapabilityUses = Field(
        [], description="what it offers beyond the attributes above (catalog.yaml: capabilities)"
    )
    pairs_with: list[Companion] = Field(
        [], description="mechanisms a design built on this one needs beside it (a control channel)"
    )
    control_facts: Facts | None = Field(
        None,
        description="the answers a companion is chosen for, in place of this mechanism's "
        "(control messages are small)",
    )
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

    def offers(self, capability: str, facts: Any) -> bool:
        """Whether it offers `capability` for these answers."""
        return any(
            use.id == capability and any_matches(use.when, facts) for use in self.capabilities
        )

    def fits(self, facts: Any) -> bool:
        """Whether it is made for the relationship the answers name."""
        relationship = facts.relationship
        if relationship is None or relationship not in self.relationships:
            return False
        return any_matches(self.fits_only_when.get(relationship), facts)

    def companions(self, facts: Any) -> list[Companion]:
        """The companions these answers call for."""
        return [c for c in self.pairs_with if any_matches(c.when, facts)]


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
    relevant_when: FactsPattern | None = Field(
        None, description="also warns about a chosen mechanism it warns_about for these answers"
    )
    applies_when: list[FactsPattern] | None = Field(
        None, description="any of: the warning only applies for these answers"
    )


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
    has: list[Id] | None = Field(None, description="capabilities it must offer for these answers")

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
        if (
            self.fits_relationship is not None
            and facts.relationship is not None
            and mechanism.fits(facts) != self.fits_relationship
        ):
            return False
        if self.has is not None:
            return all(mechanism.offers(capability, facts) for capability in self.has)
        return True


Citation = Annotated[
    str,
    StringConstraints(
        pattern=r"^(mechanism|situation|checklist|failure-mode|guidance|tooling):[a-z0-9-]+$"
    ),
]


class Rule(Strict):
    id: Id
    because: str = Field(description="the reason given when the rule fires")
    shortfall: str | None = Field(
        None, description="said of a mechanism that a `prefer` rule ranks lower"
    )
    when: FactsCondition = Field(description="one pattern, or a list of them (any of)")
    require: MechanismPattern | None = None
    prefer: MechanismPattern | None = None
    weight: int = Field(1, ge=1, le=100)
    relaxable: bool = Field(
        False,
        description="may be met by a companion (pairs_with), or given up when no mechanism "
        "meets every rule",
    )
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
    yes_means: bool = Field(
        True, description="yes/no facts: the value a yes to `prompt` stands for"
    )
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

    def answer(self, value: Any) -> str:
        """The answer to `prompt` that gives `value`: yes or no as the prompt asks, or the
        choice's label."""
        if isinstance(value, bool):
            return "yes" if value == self.yes_means else "no"
        wanted = getattr(value, "value", value)
        choice = next((c for c in self.choices if c.value == wanted), None)
        return choice.label if choice else answer_word(value)

    def wording(self, value: Any) -> tuple[str | None, str | None]:
        """(statement, brief) for an answer, as the catalog words it; None where it does not."""
        if isinstance(value, bool):
            return (self.says_yes, self.brief_yes) if value else (self.says_no, self.brief_no)
        wanted = getattr(value, "value", value)
        choice = next((c for c in self.choices if c.value == wanted), None)
        return (choice.says, choice.brief) if choice else (None, None)


class Conflict(Strict):
    """Answers that cannot both hold, the sentence that says why, and the answer that yields."""

    id: Id
    when: FactsPattern = Field(description="the conflicting answers")
    text: str = Field(description="why they conflict and why `set_aside` yields, in one sentence")
    set_aside: FactName = Field(description="the answer set aside under --allow-conflicts")
    instead: bool | str | None = Field(
        description="the value taken in its place (null: unanswered, as if never given)"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Conflict:
        names = list(self.when.conditions())
        if len(names) < 2:
            raise ValueError("when: a conflict is between two answers or more")
        if self.set_aside.value not in names:
            raise ValueError(
                f"set_aside: {self.set_aside.value!r} is not one of {', '.join(names)}"
            )
        if self.instead is not None:
            Facts.model_validate({self.set_aside.value: self.instead})
        return self

    @property
    def facts(self) -> list[str]:
        return list(self.when.conditions())


class Capability(Strict):
    """Something a mechanism can do that rules ask for, with the words a record uses for it."""

    id: Id
    offers: str = Field(description="said of a mechanism that offers it: 'it ...'")
    lacks: str = Field(description="said of one that does not: 'it ...'")
    wanted: str = Field(description="what a rule asks for: 'mechanisms that ...'")


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
    when: list[FactsPattern] | None = Field(
        None, description="any of: the answers for which a recommendation cites it"
    )


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
    capabilities: list[Capability] = Field(
        [], description="what mechanisms can do beyond their attributes, for rules to ask for"
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
    conflicts: list[Conflict] = []

    def mechanism(self, mechanism_id: str) -> Mechanism | None:
        return next((m for m in self.mechanisms if m.id == mechanism_id), None)

    def situation(self, situation_id: str) -> Situation | None:
        return next((s for s in self.situations if s.id == situation_id), None)

    def failure_mode(self, failure_mode_id: str) -> FailureMode | None:
        return next((f for f in self.failure_modes if f.id == failure_mode_id), None)

    def checklist_item(self, item_id: str) -> ChecklistItem | None:
        return next((c for c in self.checklist if c.id == item_id), None)

    def question(self, fact: str) -> FactQuestion | None:
        return next((q for q in self.questions if q.fact.value == fact), None)

    def capability(self, capability_id: str) -> Capability | None:
        return next((c for c in self.meta.capabilities if c.id == capability_id), None)
