"""The record's argument: why this mechanism for these answers, in the team's terms.

From the answers, the engine's recommendation and the catalog, `build_argument` works out
what a design reviewer reads:

- drivers: each answer the decision rests on, as a statement;
- reasons: the rules that decided the outcome, each naming the answers it rests on (and the
  team's own words where its context speaks of them) and the options it favours or rules
  out. A rule decided the outcome when the engine, asked again without it, recommends
  something else; the rule that frames the outcome (IPC on one host, or a service contract)
  always counts. Rules that changed nothing stay in `adrgen recommend --explain`;
- options: the chosen one, the recommendation when the team chose otherwise, and the
  runner-up, each with why it fits or falls short of these answers and the catalog's pros
  and cons that matter for them; the rest in one line, each with why it was ruled out;
- for an override: each answer the chosen mechanism does not meet, and what the
  recommendation would have given instead;
- consequences: what the team now owns (the catalog's obligations for the chosen
  mechanism's attributes and these answers).

Every comparison between two mechanisms (stance, ceremony) is computed here from the
catalog; the words for the catalog's attributes are in the tables below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from adrgen.answers.model import Facts
from adrgen.catalog.models import any_matches
from adrgen.engine import Recommendation, recommend
from adrgen.errors import AdrgenError
from adrgen.vocabulary import Isolation, Scope, Stance

if TYPE_CHECKING:
    from adrgen.answers.model import Answers
    from adrgen.catalog.models import (
        Capability,
        Catalog,
        FactQuestion,
        Mechanism,
        MechanismPattern,
        Rule,
    )

# the catalog's capabilities by id: their words are what a record says of them
Capabilities = dict[str, "Capability"]

MAX_REASONS = 4
ROLE_LABELS = {
    "chosen": "Chosen",
    "recommended": "The catalog's recommendation",
    "runner-up": "The nearest alternative",
}
# a quote from the team's context is a clause, not a paragraph
MAX_QUOTE_WORDS = 16


# --- the words for the catalog's attributes -------------------------------------------------

_SCOPE_IS = {
    Scope.in_process: "it works inside one runtime",
    Scope.same_host: "it connects processes on one host",
    Scope.cross_host: "it is a service boundary across hosts",
}
# said of a mechanism a scope requirement rules out
_SCOPE_ONLY = {
    Scope.in_process: "it only works inside one runtime",
    Scope.same_host: "it only connects processes on one host",
    Scope.cross_host: "it is a service boundary across hosts, not IPC",
}
_ISOLATION_IS = {
    Isolation.process: "it shares nothing but messages",
    Isolation.shared: "it shares memory between processes",
    Isolation.none: "it runs every peer in one address space",
}


def _scope_need(scopes: set[Scope]) -> str:
    if scopes == {Scope.cross_host}:
        return "the boundary must be an explicit service contract, not IPC"
    if scopes == {Scope.in_process, Scope.same_host}:
        return "the mechanism must stay on one host (local IPC)"
    if scopes == {Scope.same_host, Scope.cross_host}:
        return "the mechanism must connect separate processes"
    if scopes == {Scope.in_process}:
        return "the peers must share one runtime"
    return "the mechanism must work " + " or ".join(
        _SCOPE_IS[s].removeprefix("it works ").removeprefix("it ") for s in sorted(scopes)
    )


def _isolation_words(isolations: set[Isolation]) -> str:
    if isolations == {Isolation.process}:
        return "share nothing but messages"
    if isolations == {Isolation.shared, Isolation.none}:
        return "share memory instead of copying every byte through the kernel"
    return " or ".join(
        _ISOLATION_IS[i].removeprefix("it ").replace("shares", "share") for i in isolations
    )


def _wanted(
    pattern: MechanismPattern,
    facts: Any,
    briefs: dict[str, str],
    capabilities: Capabilities | None = None,
) -> list[tuple[str, str]]:
    """(attribute, what the pattern asks, as words after 'mechanisms that ...') per attribute."""
    wanted: list[tuple[str, str]] = []
    if pattern.scope is not None:
        wanted.append(("scope", ""))
    if pattern.isolation is not None:
        wanted.append(("isolation", _isolation_words(set(pattern.isolation))))
    if pattern.rpc_semantics is not None:
        wanted.append(
            (
                "rpc_semantics",
                "give typed, versioned request/response contracts"
                if pattern.rpc_semantics
                else "need no RPC stack",
            )
        )
    if pattern.carries_payload is not None:
        wanted.append(
            (
                "carries_payload",
                "carry a payload" if pattern.carries_payload else "carry only the notification",
            )
        )
    if pattern.handles_data_volume is not None and facts.data_volume is not None:
        volume = briefs.get("data_volume") or f"{facts.data_volume.value} volume"
        wanted.append(("handles_data_volume", f"are built for {volume}"))
    if pattern.fits_relationship is not None and facts.relationship is not None:
        relationship = briefs.get("relationship") or facts.relationship.value
        wanted.append(("fits_relationship", f"are made for {relationship}"))
    for capability in pattern.has or []:
        known = (capabilities or {}).get(capability)
        wanted.append(("has", known.wanted if known else f"offer {capability}"))
    return wanted


def requirement_words(
    pattern: MechanismPattern,
    facts: Any,
    briefs: dict[str, str],
    capabilities: Capabilities | None = None,
) -> str:
    """What a `require` pattern demands, as a clause: 'the mechanism must carry a payload'."""
    parts = []
    for attribute, words in _wanted(pattern, facts, briefs, capabilities):
        if attribute == "scope":
            parts.append(_scope_need(set(pattern.scope)))
        else:
            parts.append("the mechanism must " + _singular(words))
    return "; ".join(parts)


def preference_words(
    pattern: MechanismPattern,
    facts: Any,
    briefs: dict[str, str],
    capabilities: Capabilities | None = None,
) -> str:
    """What a `prefer` pattern favours: 'mechanisms that share nothing but messages come first'."""
    parts = []
    for attribute, words in _wanted(pattern, facts, briefs, capabilities):
        if attribute == "scope":
            scopes = set(pattern.scope)
            if scopes == {Scope.in_process}:
                parts.append("a language-native channel comes first")
            else:
                parts.append(
                    "mechanisms that " + _scope_need(scopes).split(" must ", 1)[-1] + " come first"
                )
        else:
            parts.append(f"mechanisms that {words} come first")
    return "; ".join(parts)


def _singular(words: str) -> str:
    """'are built for x' -> 'be built for x'; 'share nothing' -> 'share nothing' (after 'must')."""
    return re.sub(r"^are ", "be ", words)


def what_it_is(
    mechanism: Mechanism,
    pattern: MechanismPattern,
    facts: Any,
    briefs: dict[str, str],
    capabilities: Capabilities | None = None,
) -> list[str]:
    """True statements about `mechanism` on each attribute `pattern` looks at: 'it ...'."""
    said: list[str] = []
    if pattern.scope is not None:
        if mechanism.scope in pattern.scope:
            said.append(_SCOPE_IS[mechanism.scope])
        elif mechanism.scope is Scope.same_host and Scope.in_process in pattern.scope:
            said.append("it puts a wire between separate processes")  # where one runtime would do
        else:
            said.append(_SCOPE_ONLY[mechanism.scope])
    if pattern.isolation is not None:
        copies = mechanism.isolation is Isolation.process
        if copies and Isolation.process not in pattern.isolation:
            said.append("it copies every byte through the kernel")
        else:
            said.append(_ISOLATION_IS[mechanism.isolation])
    if pattern.rpc_semantics is not None:
        if mechanism.rpc_semantics:
            said.append(
                "it gives typed, versioned request/response contracts"
                if pattern.rpc_semantics
                else "it brings a full RPC stack"
            )
        else:
            said.append(
                "it gives no typed request/response contracts"
                if pattern.rpc_semantics
                else "it needs no RPC stack"
            )
    if pattern.carries_payload is not None:
        said.append(
            "it carries a payload" if mechanism.carries_payload else "it carries no payload"
        )
    if pattern.handles_data_volume is not None and facts.data_volume is not None:
        volume = briefs.get("data_volume") or f"{facts.data_volume.value} volume"
        if mechanism.max_data_volume.rank >= facts.data_volume.rank:
            said.append(f"it is built for {volume}")
        else:
            said.append(f"it is built for {mechanism.max_data_volume.value} volume at most")
    if pattern.fits_relationship is not None and facts.relationship is not None:
        relationship = briefs.get("relationship") or facts.relationship.value
        fits = mechanism.fits(facts)
        said.append(f"it is {'' if fits else 'not '}made for {relationship}")
    for capability in pattern.has or []:
        known = (capabilities or {}).get(capability)
        offers = mechanism.offers(capability, facts)
        if known is not None:
            said.append(known.offers if offers else known.lacks)
        else:
            said.append(f"it {'offers' if offers else 'lacks'} {capability}")
    return said


# --- comparisons, computed from the catalog -----------------------------------------------


def compare_ceremony(a: Mechanism, b: Mechanism) -> str:
    """How `a`'s ceremony compares with `b`'s, with the catalog's figures."""
    if a.ceremony == b.ceremony:
        how = "the same ceremony as"
    elif a.ceremony > b.ceremony:
        how = "more ceremony than"
    else:
        how = "less ceremony than"
    return f"{how} {b.name} ({a.ceremony} against {b.ceremony} on the catalog's 1 to 5 scale)"


def compare_stance(a: Mechanism, b: Mechanism) -> str:
    """How `a`'s stance compares with `b`'s: 'assess, where X is adopt'."""
    if a.stance is b.stance:
        return f"{a.stance.value}, as {b.name} is"
    earlier = "ahead of" if a.stance.rank < b.stance.rank else "behind"
    return f"{a.stance.value}, {earlier} {b.name}'s {b.stance.value}"


# --- what the record says -----------------------------------------------------------------


@dataclass
class Driver:
    fact: str
    says: str  # the answer as a statement
    brief: str  # the answer in a few words
    question: str
    answer: str  # the interview's words for the answer


@dataclass
class Reason:
    text: str
    cites: list[str]
    rule: str | None = None


@dataclass
class Option:
    id: str
    name: str
    role: str  # chosen | recommended | runner-up
    role_label: str  # the role in words: "Chosen", "The catalog's recommendation", ...
    stance: str
    on_hold: bool
    stance_note: str
    summary: str
    fit: str  # why it fits or falls short of these answers
    strengths: str  # what it offers for these answers, as predicates: "shares ... and needs ..."
    pros: list[str]
    cons: list[str]


@dataclass
class RuledOut:
    """Options ruled out for one reason: `label` reads "A, B and C (each why)"."""

    names: list[str]
    why: str
    label: str = ""


@dataclass
class Contradiction:
    fact: str
    says: str  # the team's answer, as a statement
    text: str  # what the chosen mechanism does instead, and what the recommendation gives


@dataclass
class Obligation:
    id: str
    topic: str
    text: str


@dataclass
class Argument:
    drivers: list[Driver]
    reasons: list[Reason]
    options: list[Option]
    ruled_out: list[RuledOut]
    contradictions: list[Contradiction]
    obligations: list[Obligation]
    quotes: dict[str, str] = field(default_factory=dict)


class _Words:
    """The catalog's wording of each answer, and the team's own words about it."""

    def __init__(self, catalog: Catalog, facts: Facts, context: str):
        self.questions: dict[str, FactQuestion] = {q.fact.value: q for q in catalog.questions}
        self.facts = facts
        self.briefs: dict[str, str] = {}
        self.says: dict[str, str] = {}
        for name, value in facts.values().items():
            question = self.questions.get(name)
            if question is None or value is None:
                continue
            says, brief = question.wording(value)
            self.says[name] = says or f"{question.prompt} {_answer_word(value)}."
            self.briefs[name] = brief or f"{name.replace('_', ' ')}: {_answer_word(value)}"
        self._clauses: dict[str, list[str]] = {}
        for clause in _clauses(context):
            best = self._fact_of(clause)
            if best is not None:
                self._clauses.setdefault(best, []).append(clause)

    def statement(self, names: list[str]) -> str:
        """The answers for these facts as one sentence (without its full stop)."""
        parts = [self.says[name].rstrip(".") for name in names if name in self.says]
        if not parts:
            return ""
        return "; ".join([parts[0]] + [_lower_first(p) for p in parts[1:]])

    def _fact_of(self, clause: str) -> str | None:
        """The answered fact a clause speaks of most (by the catalog's context words)."""
        lowered = clause.lower()
        hits = {
            name: sum(1 for word in question.context_words if word.lower() in lowered)
            for name, question in self.questions.items()
            if name in self.says
        }
        ranked = sorted(hits.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] == 0:
            return None
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return None  # it speaks of two facts as much: quoting it for one would mislead
        return ranked[0][0]

    def quote(self, names: list[str]) -> str | None:
        """A clause of the team's context that speaks of one of these facts, quoted once."""
        for name in names:
            clauses = self._clauses.get(name)
            if clauses:
                return clauses.pop(0)
        return None


def _answer_word(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(getattr(value, "value", value))


def _lower_first(text: str) -> str:
    """'Both peers ...' -> 'both peers ...'; 'SO_PEERCRED ...' and 'IPC ...' stay."""
    first = text.split(" ", 1)[0]
    if first == "A" or (len(first) > 1 and first[0].isupper() and first[1:].islower()):
        return first[0].lower() + text[1:]
    return text


# where a clause of the team's context ends: a sentence's end, or a comma before a conjunction
_CLAUSE_END = re.compile(r"[.;:!?](?:\s|$)|,\s(?:but|so|and|because|while|which|though)\s")


def _clauses(context: str) -> list[str]:
    """The context's clauses short enough to quote, whole (no bracket left open)."""
    out = []
    for part in _CLAUSE_END.split(" ".join((context or "").split())):
        words = part.strip(" ,").split()
        text = " ".join(words)
        if 3 <= len(words) <= MAX_QUOTE_WORDS and text.count("(") == text.count(")"):
            out.append(text)
    return out


def _names(mechanisms: list[Mechanism]) -> str:
    return _names_of([m.name for m in mechanisms])


def _names_of(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass
class _Standing:
    """Where every mechanism stands after the engine's rules, read from its trace."""

    scores: dict[str, int]
    excluded_by: dict[str, list[str]]  # mechanism -> the non-relaxable rules it fails
    misses: dict[str, list[str]]  # mechanism -> the relaxable rules it fails
    fired: list[Rule]
    on_hold: set[str]

    def out(self, mid: str) -> bool:
        """Excluded by the answers, or on hold."""
        return bool(self.excluded_by[mid]) or mid in self.on_hold

    def in_the_running(self, mid: str) -> bool:
        """Among those the engine ranked: not out, and meeting every need if any does."""
        if self.out(mid):
            return False
        someone_meets_all = any(not self.out(m) and not self.misses[m] for m in self.scores)
        return not (someone_meets_all and self.misses[mid])

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.fired if r.id == rule_id)


def _standing(rec: Recommendation, catalog: Catalog) -> _Standing:
    rules = {rule.id: rule for rule in catalog.rules}
    ids = [m.id for m in catalog.mechanisms]
    scores = dict.fromkeys(ids, 0)
    excluded_by: dict[str, list[str]] = {m: [] for m in ids}
    misses: dict[str, list[str]] = {m: [] for m in ids}
    fired = []
    for step in rec.trace:
        rule = rules.get(step.rule)
        if rule is None or not step.fired:
            continue
        fired.append(rule)
        for mid in step.preferred:
            scores[mid] = scores.get(mid, 0) + rule.weight
        for mid in step.excluded:
            (misses if rule.relaxable else excluded_by).setdefault(mid, []).append(rule.id)
    on_hold = {m.id for m in catalog.mechanisms if m.stance is Stance.hold}
    return _Standing(scores, excluded_by, misses, fired, on_hold)


def _decisive(answers: Answers, catalog: Catalog, recommended: str, fired: list[Rule]) -> list[str]:
    """The fired rules without which the engine would recommend something else."""
    bare = answers.model_copy(update={"choice": None, "justification": None})
    decisive = []
    for rule in fired:
        others = [r for r in catalog.rules if r.id != rule.id]
        try:
            without = recommend(bare, catalog.model_copy(update={"rules": others}))
        except AdrgenError:
            decisive.append(rule.id)  # without it nothing fits: it is what makes the choice
            continue
        if without.recommended != recommended:
            decisive.append(rule.id)
    return decisive


class _Reasoner:
    """Sentences about the answers, the rules and the mechanisms, for one recommendation."""

    def __init__(self, rec: Recommendation, catalog: Catalog, facts: Facts, words: _Words):
        self.rec = rec
        self.catalog = catalog
        self.facts = facts
        self.words = words
        self.mechanisms = {m.id: m for m in catalog.mechanisms}
        self.capabilities = {c.id: c for c in catalog.meta.capabilities}
        self.standing = _standing(rec, catalog)

    def is_(self, mechanism: Mechanism, pattern: MechanismPattern) -> list[str]:
        return what_it_is(mechanism, pattern, self.facts, self.words.briefs, self.capabilities)

    def reason(self, rule: Rule, favoured: Mechanism, asked: set[str]) -> Reason | None:
        """Why `rule` favours `favoured`, in the answers' words; None if it sets nothing apart."""
        names = [name for name in rule.when.conditions() if name in asked]
        said = self.words.statement(names)
        if not said:
            return None
        facts, standing = self.facts, self.standing
        if rule.require is not None:
            if not rule.require.matches(favoured, facts):
                return None
            failing = [m for m in self.catalog.mechanisms if not rule.require.matches(m, facts)]
            # name what only this rule rules out; what others rule out too is said there
            only = [
                m
                for m in failing
                if standing.excluded_by[m.id] == [rule.id]
                or (rule.relaxable and not standing.out(m.id))
            ]
            out = only or failing
            if not out:
                return None
            effect = requirement_words(rule.require, facts, self.words.briefs, self.capabilities)
            text = f"{said}: {effect}, which rules out {_names(out)}."
        else:
            if not rule.prefer.matches(favoured, facts):
                return None
            losers = [
                m
                for m in self.catalog.mechanisms
                if m.id != favoured.id
                and standing.in_the_running(m.id)
                and not rule.prefer.matches(m, facts)
            ]
            if not losers:
                return None
            effect = preference_words(rule.prefer, facts, self.words.briefs, self.capabilities)
            text = f"{said}: {effect}, which puts {favoured.name} ahead of {_names(losers)}."
        quote = self.words.quote(names)
        if quote:
            text = text.replace(f"{said}:", f'{said} (in your words: "{quote}"):', 1)
        return Reason(text, list(rule.cites), rule.id)

    def strengths(self, mechanism: Mechanism) -> list[str]:
        """What `mechanism` offers on the points the fired rules look at: first what sets it
        apart from the others still in the running, then what rules others out."""
        rivals = [
            m
            for m in self.catalog.mechanisms
            if m.id != mechanism.id and not self.standing.out(m.id)
        ]
        apart, others = [], []
        for rule in self.standing.fired:
            pattern = rule.prefer or rule.require
            if pattern is None or not pattern.matches(mechanism, self.facts):
                continue
            if any(not pattern.matches(m, self.facts) for m in rivals):
                apart += self.is_(mechanism, pattern)
            elif any(not pattern.matches(m, self.facts) for m in self.catalog.mechanisms):
                others += self.is_(mechanism, pattern)
        said = list(dict.fromkeys(apart + others))
        return said[:3] or [_SCOPE_IS[mechanism.scope]]

    def shortfalls(self, mechanism: Mechanism, winner: Mechanism) -> list[str]:
        """Where `mechanism` falls short of these answers and `winner` does not."""
        said = []
        for rule in self.standing.fired:
            pattern = rule.prefer or rule.require
            if pattern is None or pattern.matches(mechanism, self.facts):
                continue
            if pattern.matches(winner, self.facts):
                said += self.is_(mechanism, pattern)
        return list(dict.fromkeys(said))


def build_argument(
    answers: Answers, rec: Recommendation, catalog: Catalog, asked: set[str]
) -> Argument:
    """The argument the record makes; `asked` names the facts the team stated or was asked."""
    facts = Facts.model_validate(rec.facts)
    words = _Words(catalog, facts, answers.context)
    reasoner = _Reasoner(rec, catalog, facts, words)
    standing = reasoner.standing
    mechanisms = reasoner.mechanisms
    chosen = mechanisms[rec.mechanism]
    recommended = mechanisms[rec.recommended]
    decisive = set(_decisive(answers, catalog, rec.recommended, standing.fired))

    # the reasons for the recommendation: the outcome's frame, then what decided it
    reasons: list[Reason] = []
    framing = next(
        (r for r in standing.fired if r.require is not None and r.require.scope is not None), None
    )
    for rule in standing.fired:
        if rule is framing or rule.id in decisive:
            reason = reasoner.reason(rule, recommended, asked)
            if reason is not None:
                reasons.append(reason)
    runner_id = _runner_up(rec, {rec.mechanism, rec.recommended})
    if len(reasons) < 2 and runner_id is not None:
        runner = mechanisms[runner_id]
        for rule in standing.fired:
            pattern = rule.prefer or rule.require
            if any(r.rule == rule.id for r in reasons) or pattern is None:
                continue
            if pattern.matches(recommended, facts) and not pattern.matches(runner, facts):
                reason = reasoner.reason(rule, recommended, asked)
                if reason is not None:
                    reasons.append(reason)
                    break
    reasons = reasons[:MAX_REASONS]

    options = [
        _option(chosen, "chosen", _fit_of_chosen(chosen, recommended, reasoner), facts, reasoner)
    ]
    if rec.override:
        fit = _sentence(_join(reasoner.strengths(recommended)))
        options.append(_option(recommended, "recommended", fit, facts, reasoner))
    if runner_id is not None:
        runner = mechanisms[runner_id]
        options.append(
            _option(
                runner,
                "runner-up",
                _fit_of_runner_up(runner, recommended, reasoner),
                facts,
                reasoner,
            )
        )
    control_id = getattr(getattr(rec, "control", None), "mechanism", None)
    for option in options:
        if option.id == control_id and option.role != "chosen":
            option.role_label += " for the data, and the control channel beside it"
    shown = {o.id for o in options}
    grouped: dict[str, list[str]] = {}
    for mechanism in catalog.mechanisms:
        if mechanism.id not in shown:
            why = _why_ruled_out(mechanism, recommended, reasoner)
            grouped.setdefault(why, []).append(mechanism.name)
    ruled_out = [
        RuledOut(names, why, f"{_names_of(names)} ({'each ' if len(names) > 1 else ''}{why})")
        for why, names in grouped.items()
    ]

    contradictions = _contradictions(chosen, recommended, reasoner) if rec.override else []
    # what the team owns: for the data path, and for the control channel beside it
    owners = [chosen]
    control = getattr(rec, "control", None)
    if control is not None and control.mechanism in mechanisms:
        owners.append(mechanisms[control.mechanism])
    obligations = list(
        {
            o.id: Obligation(o.id, o.topic, o.text)
            for owner in owners
            for o in catalog.meta.obligations
            if o.mechanism.matches(owner, facts)
            and any_matches(o.when, facts)
            and o.id not in _settled(owner, facts)
        }.values()
    )
    drivers = [
        Driver(
            name,
            words.says[name],
            words.briefs[name],
            words.questions[name].prompt,
            _choice_label(words.questions[name], facts.values()[name]),
        )
        for name in words.questions
        if name in asked and name in words.says
    ]
    return Argument(drivers, reasons, options, ruled_out, contradictions, obligations)


def _settled(mechanism: Mechanism, facts: Facts) -> set[str]:
    """The obligations the mechanism's pros that matter here take off the team (a pipe's
    kernel buffer is its back-pressure)."""
    return {p.settles for p in mechanism.pros if p.settles and p.matters(facts)}


def _choice_label(question: FactQuestion, value: Any) -> str:
    """The answer as the interview asked it (yes or no to its question, or the choice)."""
    return question.answer(value)


def _runner_up(rec: Recommendation, skip: set[str]) -> str | None:
    for status in ("ranked", "falls-short"):
        for alt in rec.alternatives:
            if alt.status == status and alt.mechanism not in skip:
                return alt.mechanism
    return None


def _option(mechanism: Mechanism, role: str, fit: str, facts: Facts, reasoner: _Reasoner) -> Option:
    return Option(
        id=mechanism.id,
        name=mechanism.name,
        role=role,
        role_label=ROLE_LABELS[role],
        stance=mechanism.stance.value,
        on_hold=mechanism.stance is Stance.hold,
        stance_note=mechanism.stance_note,
        summary=mechanism.summary,
        fit=fit,
        strengths=_join(reasoner.strengths(mechanism)).removeprefix("it "),
        pros=[p.text for p in mechanism.pros if p.matters(facts)],
        cons=[c.text for c in mechanism.cons if c.matters(facts)],
    )


def _join(parts: list[str], most: int | None = None) -> str:
    """'it a', 'it b', 'it c' -> 'it a, b and c' (at most `most` of them)."""
    parts = list(dict.fromkeys(p for p in parts if p))[:most]
    parts = parts[:1] + [p.removeprefix("it ") for p in parts[1:]]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _sentence(clause: str) -> str:
    """'it a and b' -> 'It a and b.'"""
    return clause[:1].upper() + clause[1:] + "."


def _fit_of_chosen(chosen: Mechanism, recommended: Mechanism, reasoner: _Reasoner) -> str:
    strengths = _join(reasoner.strengths(chosen))
    gaps = reasoner.shortfalls(chosen, recommended) if chosen.id != recommended.id else []
    if not gaps:
        return _sentence(strengths)
    return _sentence(f"{strengths}, but {_join(gaps)}")


def _fit_of_runner_up(runner: Mechanism, winner: Mechanism, reasoner: _Reasoner) -> str:
    strengths = _join(reasoner.strengths(runner))
    shortfalls = reasoner.shortfalls(runner, winner)
    if shortfalls:
        return _sentence(f"{strengths}, but {_join(shortfalls)}")
    scores = reasoner.standing.scores
    if scores[runner.id] == scores[winner.id]:
        if runner.ceremony != winner.ceremony:
            return _sentence(
                f"it meets the same needs with {compare_ceremony(runner, winner)}, "
                "and the simplest fit wins"
            )
        return _sentence(
            "it meets the same needs with the same ceremony; "
            f"its stance is {compare_stance(runner, winner)}"
        )
    return _sentence(f"{strengths}, but it meets fewer of these needs than {winner.name}")


def _why_ruled_out(mechanism: Mechanism, winner: Mechanism, reasoner: _Reasoner) -> str:
    standing = reasoner.standing
    for rule_id in standing.excluded_by[mechanism.id]:
        said = reasoner.is_(mechanism, standing.rule(rule_id).require)
        if said:
            return _join(said, 2).removeprefix("it ")
    if mechanism.id in standing.on_hold:
        return "on hold in the catalog"
    shortfalls = reasoner.shortfalls(mechanism, winner)
    if shortfalls:
        return _join(shortfalls, 2).removeprefix("it ")
    if mechanism.ceremony != winner.ceremony:
        return compare_ceremony(mechanism, winner).split(" (")[0] + ", for the same needs"
    return f"its stance is {compare_stance(mechanism, winner)}"


def _contradictions(
    chosen: Mechanism, recommended: Mechanism, reasoner: _Reasoner
) -> list[Contradiction]:
    """Each answer the chosen mechanism does not meet, with what the recommendation gives."""
    out: list[Contradiction] = []
    seen: set[str] = set()
    facts, words = reasoner.facts, reasoner.words
    for rule in reasoner.standing.fired:
        pattern = rule.require or rule.prefer
        if (
            pattern is None
            or pattern.matches(chosen, facts)
            or not pattern.matches(recommended, facts)
        ):
            continue
        names = [name for name in rule.when.conditions() if name in words.says]
        key = ",".join(names)
        if not names or key in seen:
            continue
        seen.add(key)
        instead = _join(reasoner.is_(chosen, pattern)).removeprefix("it ")
        gives = _join(reasoner.is_(recommended, pattern)).removeprefix("it ")
        out.append(
            Contradiction(
                fact=names[0],
                says=words.statement(names) + ".",
                text=f"You said {_lower_first(words.statement(names))}: the choice, "
                f"{chosen.name}, {instead}; the recommendation, {recommended.name}, {gives}.",
            )
        )
    return out
