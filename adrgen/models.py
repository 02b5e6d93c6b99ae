"""Pydantic models of the catalog and of the answers file.

The catalog models are strict: unknown keys are refused, vocabularies are enums, and
references between entries are checked by `Catalog.reference_problems`.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


class Strict(BaseModel):
    # validators are built on first use, so a command builds only those it needs
    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False, defer_build=True)


# --- vocabularies -------------------------------------------------------------------------


class Stance(StrEnum):
    adopt = "adopt"
    trial = "trial"
    assess = "assess"
    hold = "hold"

    @property
    def rank(self) -> int:
        return list(Stance).index(self)


class Scope(StrEnum):
    in_process = "in-process"
    same_host = "same-host"
    cross_host = "cross-host"


class Isolation(StrEnum):
    none = "none"  # one address space: a crash takes every peer down
    shared = "shared"  # separate processes that share writable memory
    process = "process"  # separate processes that share nothing but messages


class Volume(StrEnum):
    low = "low"
    moderate = "moderate"
    high = "high"

    @property
    def rank(self) -> int:
        return list(Volume).index(self)


class Relationship(StrEnum):
    parent_child = "parent-child"
    pipeline = "pipeline"
    client_daemon = "client-daemon"
    plugin_host = "plugin-host"
    sidecar = "sidecar"
    os_service = "os-service"
    peers = "peers"


class Outcome(StrEnum):
    ipc = "ipc"
    service_contract = "service-contract"


class FactName(StrEnum):
    same_host = "same_host"
    same_runtime = "same_runtime"
    process_isolation = "process_isolation"
    relationship = "relationship"
    data_volume = "data_volume"
    rpc_semantics = "rpc_semantics"
    cross_team = "cross_team"
    notify_only = "notify_only"


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


class FactsPattern(Strict):
    """A condition over facts: every named fact must equal the value (or one of the values)."""

    same_host: bool | None = None
    same_runtime: bool | None = None
    process_isolation: bool | None = None
    relationship: list[Relationship] | Relationship | None = None
    data_volume: list[Volume] | Volume | None = None
    rpc_semantics: bool | None = None
    cross_team: bool | None = None
    notify_only: bool | None = None

    def conditions(self) -> dict[str, Any]:
        # plain attribute reads: works on patterns rebuilt from the catalog cache unvalidated
        return {
            k: getattr(self, k) for k in type(self).model_fields if getattr(self, k) is not None
        }

    def matches(self, facts: Facts) -> bool:
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


# --- catalog entries ----------------------------------------------------------------------


def any_matches(patterns: list[FactsPattern] | None, facts: Facts) -> bool:
    """An any-of condition: true when one pattern matches (and when there is no condition)."""
    return patterns is None or any(pattern.matches(facts) for pattern in patterns)


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
    pros: list[str] = Field(min_length=1)
    cons: list[str] = Field(min_length=1)
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

    def applies(self, facts: Facts) -> bool:
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

    def matches(self, mechanism: Mechanism, facts: Facts) -> bool:
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


# --- answers ------------------------------------------------------------------------------

_BIDI_AND_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x85")
# C0 and C1 controls but tab and newline, and lone surrogates
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")


def clean_text(value: Any, *, single_line: bool = False) -> Any:
    """Normalise user text: no control characters, bidi overrides or exotic line breaks."""
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value)
    value = _LINE_BREAKS.sub("\n", value)
    value = _BIDI_AND_INVISIBLE.sub("", value)
    value = _CONTROLS.sub("", value)
    if single_line:
        value = " ".join(value.split())
    return value.strip() if single_line else value.strip("\n")


def _one_line(value: Any) -> Any:
    return clean_text(value, single_line=True)


OneLine = Annotated[str, BeforeValidator(_one_line)]
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
