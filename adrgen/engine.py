"""Facts -> recommendation. Every rule comes from the catalog; no mechanism is named here.

The steps, each recorded in the trace:
1. fill facts the interview would have skipped with the catalog's defaults;
2. fire each rule whose `when` matches: `require` excludes mechanisms, `prefer` scores them;
3. exclude mechanisms on hold (they can only be chosen with a justification);
4. if nothing is left, give up relaxable requirements, fewest first;
5. rank what is left: score, then ceremony (simplest first), then stance.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from adrgen.answers.model import Facts
from adrgen.catalog.models import any_matches
from adrgen.errors import AnswerProblem
from adrgen.vocabulary import Stance

if TYPE_CHECKING:
    from adrgen.answers.model import Answers
    from adrgen.catalog.models import Catalog, Mechanism, Rule


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def complete_facts(facts: Facts, catalog: Catalog) -> Facts:
    """Facts with the catalog's default for each fact left unanswered."""
    values = facts.values()
    for question in catalog.questions:
        if values[question.fact.value] is None and question.default is not None:
            values[question.fact.value] = question.default
    return Facts.model_validate(values)


def missing_facts(facts: Facts, catalog: Catalog) -> list[str]:
    """Facts the interview would ask given the answers so far, and that have no value."""
    missing = []
    values = facts.values()
    for question in catalog.questions:
        if values[question.fact.value] is not None:
            continue
        if any_matches(question.asked_when, facts) and question.default is None:
            missing.append(question.fact.value)
    return missing


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


def recommend(answers: Answers, catalog: Catalog) -> Recommendation:
    facts = complete_facts(answers.facts, catalog)
    missing = missing_facts(facts, catalog)
    if missing:
        raise AnswerProblem(
            ("facts",), f"missing {', '.join(missing)} (needed to recommend a mechanism)"
        )

    candidates = {m.id: m for m in catalog.mechanisms}
    excluded: dict[str, list[Reason]] = {}
    relaxable_misses: dict[str, list[Rule]] = {m: [] for m in candidates}
    scores = {m: 0 for m in candidates}
    fired: list[Rule] = []
    trace: list[TraceStep] = []

    for rule in catalog.rules:
        if not rule.when.matches(facts):
            trace.append(TraceStep(rule.id, False, rule.when.describe(), "did not fire"))
            continue
        fired.append(rule)
        step = TraceStep(rule.id, True, rule.when.describe(), rule.because)
        for mid, mechanism in candidates.items():
            if rule.require and not rule.require.matches(mechanism, facts):
                if rule.relaxable:
                    relaxable_misses[mid].append(rule)
                else:
                    excluded.setdefault(mid, []).append(Reason(rule.because, rule.cites))
                step.excluded.append(mid)
            if rule.prefer and rule.prefer.matches(mechanism, facts):
                scores[mid] += rule.weight
                step.preferred.append(mid)
        trace.append(step)

    for mid, mechanism in candidates.items():
        if mechanism.stance is Stance.hold and mid not in excluded:
            excluded[mid] = [
                Reason(
                    f"{mechanism.name} is on hold: never recommended; choosing it needs a justification.",
                    [f"mechanism:{mid}"],
                )
            ]
    trace.append(
        TraceStep(
            "stance-hold",
            True,
            "stance=hold",
            "mechanisms on hold are never recommended",
            excluded=[m for m, mech in candidates.items() if mech.stance is Stance.hold],
        )
    )

    eligible = [m for m in candidates if m not in excluded]
    fully_met = [m for m in eligible if not relaxable_misses[m]]
    unmet: list[str] = []
    if fully_met:
        pool = fully_met
    elif eligible:
        fewest = min(len(relaxable_misses[m]) for m in eligible)
        pool = [m for m in eligible if len(relaxable_misses[m]) == fewest]
    else:
        raise AnswerProblem(
            ("facts",),
            "no mechanism in the catalog fits these facts (every one is excluded or on hold)",
        )

    def rank_key(mid: str) -> tuple[int, int, int, str]:
        mechanism = candidates[mid]
        return (-scores[mid], mechanism.ceremony, mechanism.stance.rank, mid)

    pool.sort(key=rank_key)
    best_id = pool[0]
    if not fully_met:
        unmet = [rule.because for rule in relaxable_misses[best_id]]
        trace.append(
            TraceStep(
                "relaxed",
                True,
                "no mechanism met every requirement",
                "gave up: " + ", ".join(r.id for r in relaxable_misses[best_id]),
            )
        )

    chosen_id = best_id
    override = False
    if answers.choice and answers.choice != best_id:
        if answers.choice not in candidates:
            known = ", ".join(sorted(candidates))
            raise AnswerProblem(
                ("choice",), f"unknown mechanism {answers.choice!r} (known: {known})"
            )
        if not (answers.justification or "").strip():
            raise AnswerProblem(
                ("choice",),
                f"{answers.choice!r} differs from the recommendation {best_id!r}; "
                "add a justification",
            )
        chosen_id, override = answers.choice, True

    chosen = candidates[chosen_id]
    situations = [s for s in catalog.situations if s.applies(facts)]
    reasons = _reasons(chosen, best_id, fired, facts, situations, override, answers, candidates)
    alternatives = _alternatives(
        candidates, chosen_id, excluded, relaxable_misses, scores, pool, fired, facts
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
    )


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
        if chosen.id not in mode.warns_about:
            continue
        if mode.id in chosen.failure_modes or (
            mode.relevant_when and mode.relevant_when.matches(facts)
        ):
            modes.append(mode.id)
    return modes
