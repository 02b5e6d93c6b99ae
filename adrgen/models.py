"""Pydantic models of the catalog and of the answers file.

The catalog models are strict: unknown keys are refused, vocabularies are enums, and
references between entries are checked by `catalog.reference_problems`.

What the entries do lives in adrgen.catalog_logic and the vocabularies in adrgen.vocab, so
that a catalog rebuilt from the cache (adrgen.plain) behaves the same without pydantic;
answers_core states the answers' rules for pydantic-core alone, and a test keeps the two
in step.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from adrgen.catalog_logic import (
    CatalogLookups,
    FactsPatternLogic,
    MechanismLogic,
    MechanismPatternLogic,
    SituationLogic,
    any_matches,  # noqa: F401 (still importable from here)
)
from adrgen.cleantext import clean_text, one_line
from adrgen.vocab import FactName, Isolation, Outcome, Relationship, Scope, Stance, Volume

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


class Strict(BaseModel):
    # validators are built on first use, so a command builds only those it needs
    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False, defer_build=True)


# --- facts --------------------------------------------------------------------------------


class Facts(Strict):
    """What the team knows about its design: the answers file's `facts`."""

    same_host: bool | None = None
    same_runtime: bool | None = None
    process_isolation: bool | None = None
    relationship: Relationship | None = None
    data_volume: Volume | None = None
    rpc_semantics: bool | None = None
    cross_team: bool | None = None
    notify_only: bool | None = None


class FactsPattern(FactsPatternLogic, Strict):
    """A condition over facts: every named fact must equal the value (or one of the values)."""

    same_host: bool | None = None
    same_runtime: bool | None = None
    process_isolation: bool | None = None
    relationship: list[Relationship] | Relationship | None = None
    data_volume: list[Volume] | Volume | None = None
    rpc_semantics: bool | None = None
    cross_team: bool | None = None
    notify_only: bool | None = None


# --- catalog entries ----------------------------------------------------------------------


class Mechanism(MechanismLogic, Strict):
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
    pros: list[str] = Field(min_length=1)
    cons: list[str] = Field(min_length=1)
    failure_modes: list[Id] = []
    examples: list[str] = []
    seed_text: list[str] = Field(
        default=[], description="sentences of the seed note this entry holds"
    )
    team_notes: list[str] = []


class Situation(SituationLogic, Strict):
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


class MechanismPattern(MechanismPatternLogic, Strict):
    """What a rule asks of a mechanism; fact-relative tests read the answers."""

    scope: list[Scope] | None = None
    isolation: list[Isolation] | None = None
    rpc_semantics: bool | None = None
    carries_payload: bool | None = None
    handles_data_volume: bool | None = Field(
        None, description="max_data_volume >= facts.data_volume"
    )
    fits_relationship: bool | None = Field(None, description="facts.relationship in relationships")


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


class FactQuestion(Strict):
    fact: FactName
    prompt: str
    help: str
    checklist: Id | None = Field(None, description="the checklist item this question asks")
    choices: list[Choice] = []
    asked_when: list[FactsPattern] | None = Field(None, description="any of")
    default: bool | str | None = Field(None, description="used when the question is skipped")


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
    details_heading: str = "Details"
    overlay: str | None = Field(None, description="set when a team overlay was merged in")


class Catalog(CatalogLookups, Strict):
    meta: CatalogMeta
    mechanisms: list[Mechanism]
    situations: list[Situation]
    checklist: list[ChecklistItem]
    failure_modes: list[FailureMode]
    rules: list[Rule]
    questions: list[FactQuestion]


# --- answers ------------------------------------------------------------------------------

OneLine = Annotated[str, BeforeValidator(one_line)]
Text = Annotated[str, BeforeValidator(clean_text)]


class Answers(Strict):
    """The answers file: the public contract of `adrgen new --answers` and `recommend`."""

    title: Annotated[OneLine, StringConstraints(min_length=1, max_length=300)]
    context: Text = ""
    deciders: list[Annotated[OneLine, StringConstraints(min_length=1, max_length=200)]] = []
    facts: Facts = Facts()
    choice: Id | None = None
    justification: Text | None = None
    status: Literal["proposed", "accepted", "rejected", "deprecated", "superseded"] | None = None
    template: (
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$")] | None
    ) = None
    fields: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,40}$")], Any] = {}

    def json_data(self) -> dict[str, Any]:
        """The answers as validated, JSON-ready, as a record's front matter keeps them."""
        return self.model_dump(mode="json", exclude_none=False)
