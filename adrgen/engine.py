"""Facts -> recommendation. Every rule comes from the catalog; no mechanism is named here.

The steps, each recorded in the trace:
1. answers the catalog declares in conflict are refused, or (allowed) the answer the
   catalog names is set aside;
2. the answers are taken as the interview holds them: a fact it would not ask is unknown,
   an asked fact left out takes the question's default (adrgen.catalog.asking);
3. fire each rule whose `when` matches: `require` excludes mechanisms, `prefer` scores them;
4. exclude mechanisms on hold (they can only be chosen with a justification);
5. a mechanism whose companions (`pairs_with`) the answers call for gets its control
   channel: the companions are weighed by the same rules, for the control messages' answers
   (`control_facts`), and a need the channel meets is met by the design;
6. if nothing meets every need, give up relaxable requirements, fewest first;
7. rank what is left: score, then ceremony (simplest first), then stance.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from adrgen.answers.model import Facts
from adrgen.catalog.asking import walk
from adrgen.catalog.models import any_matches
from adrgen.errors import AnswerProblem, ConflictingAnswers, did_you_mean
from adrgen.vocabulary import Stance

if TYPE_CHECKING:
    from adrgen.answers.model import Answers
    from adrgen.catalog.models import Catalog, Companion, Mechanism, Rule


@dataclass
class Reason:
    text: str
    cites: list[str]


@dataclass
class Alternative:
    mechanism: str
    name: str
    stance: str
    # "ranked": meets every need, ranked lower; "falls-short": would fit but misses a need that
    # can be given up (data volume, typed contracts); "excluded": ruled out by the facts or on hold
    status: str
    why: list[Reason]
    score: int = 0


@dataclass
class TraceStep:
    rule: str
    fired: bool
    condition: str
    effect: str
    excluded: list[str] = field(default_factory=list)
    preferred: list[str] = field(default_factory=list)


@dataclass
class ControlChannel:
    """The second mechanism a combined design needs beside its data path, and why."""

    mechanism: str
    name: str
    stance: str
    reasons: list[Reason]


@dataclass
class ConflictWarning:
    """Answers the catalog declares cannot both hold."""

    facts: list[str]  # the facts in conflict
    text: str  # the catalog's sentence: why, and which answer yields
    set_aside: str | None = None  # the fact whose answer was set aside (when allowed), else None
    instead: Any = None  # the value taken in its place
    conflict: str = ""  # the catalog's id for the conflict


@dataclass
class Recommendation:
    mechanism: str
    name: str
    outcome: str
    stance: str
    reasons: list[Reason]
    alternatives: list[Alternative]
    situations: list[str]
    failure_modes: list[str]
    checklist: list[dict[str, Any]]
    facts: dict[str, Any]
    trace: list[TraceStep]
    recommended: str  # what the engine recommended; differs from `mechanism` on an override
    override: bool = False
    justification: str | None = None
    unmet: list[str] = field(default_factory=list)
    control: ControlChannel | None = None
    warnings: list[ConflictWarning] = field(default_factory=list)
    # answers given that the interview would not ask, so they changed nothing
    not_asked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- the answers as the interview holds them ------------------------------------------------


def find_conflicts(facts: Facts, catalog: Catalog) -> list[ConflictWarning]:
    """The catalog's conflicts among the answers given (defaults are nobody's answer)."""
    given = SimpleNamespace(**facts.values())
    return [
        ConflictWarning(conflict.facts, conflict.text, conflict=conflict.id)
        for conflict in catalog.conflicts
        if conflict.when.matches(given)
    ]


def _settle_conflicts(
    facts: Facts, catalog: Catalog, allow: bool
) -> tuple[Facts, list[ConflictWarning]]:
    """The facts with each conflicting answer the catalog names set aside, or a refusal."""
    found = find_conflicts(facts, catalog)
    if not found:
        return facts, []
    by_id = {conflict.id: conflict for conflict in catalog.conflicts}
    if not allow:
        raise ConflictingAnswers(
            [(w.facts, w.text, by_id[w.conflict].set_aside.value) for w in found]
        )
    warnings: list[ConflictWarning] = []
    for _ in range(len(catalog.conflicts)):
        if not found:
            break
        conflict = by_id[found[0].conflict]
        name = conflict.set_aside.value
        facts = Facts.model_validate({**facts.values(), name: conflict.instead})
        warnings.append(
            ConflictWarning(conflict.facts, conflict.text, name, conflict.instead, conflict.id)
        )
        found = find_conflicts(facts, catalog)
    return facts, warnings


# --- weighing mechanisms against the rules --------------------------------------------------


@dataclass
class _Weighing:
    """Where each candidate stands after the rules: what the engine's ranking starts from."""

    candidates: dict[str, Mechanism]
    scores: dict[str, int]
    excluded: dict[str, list[Reason]]
    misses: dict[str, list[Rule]]  # relaxable requirements each candidate does not meet
    fired: list[Rule]
    trace: list[TraceStep]

    def eligible(self) -> list[str]:
        return [m for m in self.candidates if m not in self.excluded]

    def rank_key(self, mid: str) -> tuple[int, int, int, str]:
        mechanism = self.candidates[mid]
        return (-self.scores[mid], mechanism.ceremony, mechanism.stance.rank, mid)


def _weigh(catalog: Catalog, candidates: dict[str, Mechanism], facts: Facts) -> _Weighing:
    weighing = _Weighing(
        candidates,
        dict.fromkeys(candidates, 0),
        {},
        {m: [] for m in candidates},
        [],
        [],
    )
    for rule in catalog.rules:
        if not rule.when.matches(facts):
            weighing.trace.append(TraceStep(rule.id, False, rule.when.describe(), "did not fire"))
            continue
        weighing.fired.append(rule)
        step = TraceStep(rule.id, True, rule.when.describe(), rule.because)
        for mid, mechanism in candidates.items():
            if rule.require and not rule.require.matches(mechanism, facts):
                if rule.relaxable:
                    weighing.misses[mid].append(rule)
                else:
                    weighing.excluded.setdefault(mid, []).append(Reason(rule.because, rule.cites))
                step.excluded.append(mid)
            if rule.prefer and rule.prefer.matches(mechanism, facts):
                weighing.scores[mid] += rule.weight
                step.preferred.append(mid)
        weighing.trace.append(step)

    held = [m for m, mech in candidates.items() if mech.stance is Stance.hold]
    for mid in held:
        if mid not in weighing.excluded:
            weighing.excluded[mid] = [
                Reason(
                    f"{candidates[mid].name} is on hold: never recommended; choosing it needs "
                    "a justification.",
                    [f"mechanism:{mid}"],
                )
            ]
    weighing.trace.append(
        TraceStep(
            "stance-hold",
            True,
            "stance=hold",
            "mechanisms on hold are never recommended",
            excluded=held,
        )
    )
    # a preference for a mechanism already out of the running explains nothing
    for step in weighing.trace:
        step.preferred = [m for m in step.preferred if m not in weighing.excluded]
    return weighing


def _pool(weighing: _Weighing, misses: dict[str, list[Rule]]) -> tuple[list[str], bool]:
    """(the candidates left to rank, best first; whether they meet every need)."""
    eligible = weighing.eligible()
    fully_met = [m for m in eligible if not misses[m]]
    if fully_met:
        return sorted(fully_met, key=weighing.rank_key), True
    if not eligible:
        return [], False
    fewest = min(len(misses[m]) for m in eligible)
    pool = [m for m in eligible if len(misses[m]) == fewest]
    return sorted(pool, key=weighing.rank_key), False


# --- control channels -----------------------------------------------------------------------


@dataclass
class _Control:
    companion: Companion
    mechanism: Mechanism
    candidates: list[str]
    weighing: _Weighing
    unmet: list[Rule]


def _control_facts(mechanism: Mechanism, facts: Facts, catalog: Catalog) -> Facts:
    if mechanism.control_facts is None:
        return facts
    given = facts.values()
    given.update(
        {
            name: value
            for name, value in mechanism.control_facts.values().items()
            if value is not None
        }
    )
    return Facts.model_validate(walk(given, catalog.questions)[0])


def _choose_control(mechanism: Mechanism, facts: Facts, catalog: Catalog) -> _Control | None:
    """The companion the answers call for beside `mechanism`, weighed by the rules."""
    companions = {c.mechanism: c for c in mechanism.companions(facts)}
    candidates = {mid: catalog.mechanism(mid) for mid in companions if catalog.mechanism(mid)}
    if not candidates:
        return None
    control_facts = _control_facts(mechanism, facts, catalog)
    weighing = _weigh(catalog, candidates, control_facts)
    pool, _ = _pool(weighing, weighing.misses)
    if not pool:
        return None
    best = pool[0]
    return _Control(
        companions[best], candidates[best], list(candidates), weighing, weighing.misses[best]
    )


def _met_by(control: _Control | None, misses: list[Rule], facts: Facts) -> list[Rule]:
    """The needs among `misses` that the control channel meets."""
    if control is None:
        return []
    return [rule for rule in misses if rule.require.matches(control.mechanism, facts)]


def _control_channel(
    primary: Mechanism, control: _Control, covered: list[Rule], catalog: Catalog, facts: Facts
) -> ControlChannel:
    chosen = control.mechanism
    reasons = [
        Reason(control.companion.because, [f"mechanism:{primary.id}", *control.companion.cites])
    ]
    reasons += [Reason(rule.because, list(rule.cites)) for rule in covered]
    others = [control.weighing.candidates[m] for m in control.candidates if m != chosen.id]
    control_facts = _control_facts(primary, facts, catalog)
    for rule in control.weighing.fired:
        pattern = rule.require or rule.prefer
        if pattern is None or not pattern.matches(chosen, control_facts):
            continue
        if any(not pattern.matches(other, control_facts) for other in others):
            reasons.append(Reason(rule.because, list(rule.cites)))
    for rule in control.unmet:
        reasons.append(Reason(f"Not met by {chosen.name} either: {rule.because}", list(rule.cites)))
    reasons += _tooling_reasons(catalog, chosen, facts)
    unique: dict[str, Reason] = {}
    for reason in reasons:
        unique.setdefault(reason.text, reason)
    return ControlChannel(chosen.id, chosen.name, chosen.stance.value, list(unique.values()))


# --- the recommendation ---------------------------------------------------------------------


def recommend(
    answers: Answers, catalog: Catalog, *, allow_conflicts: bool | None = None
) -> Recommendation:
    """The catalog's advice for these answers. Conflicting answers are refused unless allowed
    (here or by the answers' `allow_conflicts`), when the catalog's choice is set aside."""
    allow = answers.allow_conflicts if allow_conflicts is None else allow_conflicts
    given, warnings = _settle_conflicts(answers.facts, catalog, allow)
    values, asked = walk(given.values(), catalog.questions)
    missing = [name for name in asked if values[name] is None]
    if missing:
        raise AnswerProblem(
            ("facts",), f"missing {', '.join(missing)} (needed to recommend a mechanism)"
        )
    facts = Facts.model_validate(values)
    not_asked = [
        name
        for name, value in given.values().items()
        if value is not None and values[name] is None and catalog.question(name) is not None
    ]

    trace = [
        TraceStep(
            f"conflict:{w.conflict}",
            True,
            " and ".join(w.facts),
            f"set aside {w.set_aside}: {w.text}",
        )
        for w in warnings
    ]
    if not_asked:
        trace.append(
            TraceStep(
                "not-asked",
                True,
                ", ".join(not_asked),
                "the interview would not ask these for the other answers, so they change nothing",
            )
        )

    candidates = {m.id: m for m in catalog.mechanisms}
    weighing = _weigh(catalog, candidates, facts)
    trace += weighing.trace

    controls = {
        mid: _choose_control(candidates[mid], facts, catalog) for mid in weighing.eligible()
    }
    misses = {
        mid: [
            r
            for r in weighing.misses[mid]
            if r not in _met_by(controls.get(mid), weighing.misses[mid], facts)
        ]
        for mid in candidates
    }
    pool, fully_met = _pool(weighing, misses)
    if not pool:
        raise AnswerProblem(
            ("facts",),
            "no mechanism in the catalog fits these facts (every one is excluded or on hold)",
        )
    best_id = pool[0]
    unmet: list[str] = []
    if not fully_met:
        unmet = [rule.because for rule in misses[best_id]]
        trace.append(
            TraceStep(
                "relaxed",
                True,
                "no mechanism met every requirement",
                "gave up: " + ", ".join(r.id for r in misses[best_id]),
            )
        )

    chosen_id = best_id
    override = False
    if answers.choice and answers.choice != best_id:
        if answers.choice not in candidates:
            known = ", ".join(sorted(candidates))
            raise AnswerProblem(
                ("choice",),
                f"unknown mechanism {answers.choice!r}{did_you_mean(answers.choice, candidates)} "
                f"(known: {known})",
            )
        if not (answers.justification or "").strip():
            raise AnswerProblem(
                ("choice",),
                f"{answers.choice!r} differs from the recommendation {best_id!r}; "
                "add a justification",
            )
        chosen_id, override = answers.choice, True

    chosen = candidates[chosen_id]
    control = controls.get(chosen_id) if chosen_id in controls else None
    if override and chosen_id not in controls:
        control = _choose_control(chosen, facts, catalog)
    channel = None
    if control is not None:
        covered = _met_by(control, weighing.misses[chosen_id], facts)
        channel = _control_channel(chosen, control, covered, catalog, facts)
        trace.append(
            TraceStep(
                "control-channel",
                True,
                " or ".join(p.describe() for p in control.companion.when),
                f"{chosen.id} pairs with {control.mechanism.id} for control messages",
                preferred=[control.mechanism.id],
            )
        )

    situations = [s for s in catalog.situations if s.applies(facts)]
    reasons = _reasons(
        chosen, best_id, weighing.fired, facts, situations, override, answers, candidates
    )
    reasons += _tooling_reasons(catalog, chosen, facts)
    alternatives = _alternatives(
        candidates,
        chosen_id,
        weighing.excluded,
        misses,
        weighing.scores,
        pool,
        weighing.fired,
        facts,
    )
    failure_modes = _failure_modes(catalog, chosen, facts)
    for mode_id in failure_modes:
        reasons.append(
            Reason(f"Watch for: {catalog.failure_mode(mode_id).text}.", [f"failure-mode:{mode_id}"])
        )
    return Recommendation(
        mechanism=chosen.id,
        name=chosen.name,
        outcome=chosen.outcome.value,
        stance=chosen.stance.value,
        reasons=reasons,
        alternatives=alternatives,
        situations=[s.id for s in situations],
        failure_modes=failure_modes,
        checklist=_checklist_answers(catalog, facts),
        facts=facts.json_values(),
        trace=trace,
        recommended=best_id,
        override=override,
        justification=answers.justification if override else None,
        unmet=unmet,
        control=channel,
        warnings=warnings,
        not_asked=not_asked,
    )


def _checklist_answers(catalog: Catalog, facts: Facts) -> list[dict[str, Any]]:
    rows = []
    for item in catalog.checklist:
        row: dict[str, Any] = {"id": item.id, "number": item.number, "question": item.question}
        if item.kind == "directive":
            applies = any_matches(item.applies_when, facts)
            row["answer"] = "applies" if applies else "does not apply"
        else:
            value = getattr(facts, item.fact.value) if item.fact else None
            if value is None:
                row["answer"] = "not asked"
            else:
                row["answer"] = "yes" if value == item.yes_means else "no"
        row["consequence"] = item.consequence
        rows.append(row)
    return rows


def _named(name: str, text: str) -> str:
    """`Name: text`, unless the text already starts by naming it."""
    return text if text.startswith(name) else f"{name}: {text}"


def _tooling_reasons(catalog: Catalog, mechanism: Mechanism, facts: Facts) -> list[Reason]:
    """The garden note's tooling examples that show this mechanism at work for these answers."""
    return [
        Reason(_named(example.name, " ".join(example.text.split())), [f"tooling:{example.id}"])
        for example in catalog.meta.tooling_examples
        if mechanism.id in example.mechanisms
        and example.when is not None
        and any_matches(example.when, facts)
    ]


def _reasons(
    chosen: Mechanism,
    best_id: str,
    fired: list[Rule],
    facts: Facts,
    situations: list[Any],
    override: bool,
    answers: Answers,
    candidates: dict[str, Mechanism],
) -> list[Reason]:
    reasons: list[Reason] = []
    if override:
        reasons.append(
            Reason(
                f"Chosen over the recommended {candidates[best_id].name} with this justification: "
                f"{answers.justification.strip()}",
                [f"mechanism:{chosen.id}", f"mechanism:{best_id}"],
            )
        )
        if chosen.stance is Stance.hold:
            reasons.append(
                Reason(
                    f"{chosen.name} is on hold in the catalog; this record is the written justification.",
                    [f"mechanism:{chosen.id}"],
                )
            )
    for rule in fired:
        applies_to_chosen = (rule.require and rule.require.matches(chosen, facts)) or (
            rule.prefer and rule.prefer.matches(chosen, facts)
        )
        if applies_to_chosen:
            reasons.append(Reason(rule.because, list(rule.cites)))
    for situation in situations:
        if chosen.id in situation.accepts:
            verb = "first choice" if chosen.id in situation.first_choice else "accepted"
            reasons.append(
                Reason(
                    f"{situation.situation}: {situation.stance} ({chosen.name} is {verb}).",
                    [f"situation:{situation.id}"],
                )
            )
        elif chosen.id in situation.avoids:
            reasons.append(
                Reason(
                    f"{situation.situation}: {situation.stance} ({chosen.name} is to be avoided).",
                    [f"situation:{situation.id}"],
                )
            )
    reasons.append(
        Reason(
            f"{chosen.name} ({chosen.stance.value}): {chosen.garden_note}; typical use: {chosen.typical_use}.",
            [f"mechanism:{chosen.id}"],
        )
    )
    return reasons


def _alternatives(
    candidates: dict[str, Mechanism],
    chosen_id: str,
    excluded: dict[str, list[Reason]],
    relaxable_misses: dict[str, list[Rule]],
    scores: dict[str, int],
    pool: list[str],
    fired: list[Rule],
    facts: Facts,
) -> list[Alternative]:
    out: list[Alternative] = []
    chosen = candidates[chosen_id]
    ranked = [m for m in pool if m != chosen_id]
    for mid in ranked:
        mechanism = candidates[mid]
        why = []
        missed = [
            rule
            for rule in fired
            if rule.prefer
            and rule.prefer.matches(chosen, facts)
            and not rule.prefer.matches(mechanism, facts)
        ]
        if scores[mid] < scores[chosen_id] and missed:
            why += [
                Reason(rule.shortfall or f"Ranks lower: {rule.because}", list(rule.cites))
                for rule in missed
            ]
        elif scores[mid] < scores[chosen_id]:
            why.append(Reason(f"Fits fewer of the needs than {chosen.name}.", [f"mechanism:{mid}"]))
        elif mechanism.ceremony > chosen.ceremony:
            why.append(
                Reason(
                    f"Meets the same needs with more ceremony ({mechanism.ceremony} vs {chosen.ceremony}); "
                    "the simplest channel wins.",
                    [f"mechanism:{mid}", "guidance:pick-carefully"],
                )
            )
        else:
            why.append(Reason(f"Ranked after {chosen.name} on stance.", [f"mechanism:{mid}"]))
        out.append(
            Alternative(mid, mechanism.name, mechanism.stance.value, "ranked", why, scores[mid])
        )
    for mid, mechanism in candidates.items():
        if mid == chosen_id or mid in ranked:
            continue
        why = list(excluded.get(mid, []))
        why += [Reason(rule.because, list(rule.cites)) for rule in relaxable_misses[mid]]
        status = "excluded" if mid in excluded else "falls-short"
        out.append(
            Alternative(mid, mechanism.name, mechanism.stance.value, status, why, scores[mid])
        )
    # near misses first: they are the options a reviewer will ask about
    order = {"ranked": 0, "falls-short": 1, "excluded": 2}
    out.sort(key=lambda alt: (order[alt.status], -alt.score if alt.status != "ranked" else 0))
    return out


def _failure_modes(catalog: Catalog, chosen: Mechanism, facts: Facts) -> list[str]:
    modes = []
    for mode in catalog.failure_modes:
        if chosen.id not in mode.warns_about or not any_matches(mode.applies_when, facts):
            continue
        if mode.id in chosen.failure_modes or (
            mode.relevant_when and mode.relevant_when.matches(facts)
        ):
            modes.append(mode.id)
    return modes
