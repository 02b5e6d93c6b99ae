"""What a record template is given: the answers, the recommendation and the catalog as plain data.

`record_context` builds it. It holds plain data only (dicts, lists, str, int, bool, None):
nothing a template could call to reach the file system. Every string in it is ready-to-print
markdown (escaped by `adrgen.templating.escape`; the team's prose keeps its inline markdown),
except under `answers`, which holds the answers exactly as validated: print those through
`md_inline` (one line) or `md_block` (several).

What the record argues comes from adrgen.authoring.argument:

    drivers          each answer the decision rests on, as a statement ({fact, says, brief, question, answer})
    reasons          the reasons that decided the recommendation ({text, cites})
    chosen           the chosen option ({id, name, stance, stance_note, on_hold, summary, fit, pros, cons, ...})
    recommended      the engine's recommendation (the same as `chosen` unless `override`)
    options          the options weighed: chosen, recommended (on an override), the runner-up
    ruled_out        the rest, grouped by why ({names, why}: `why` reads after "each")
    contradictions   on an override: each answer the choice does not meet ({fact, says, text})
    control          the control channel beside the chosen data path, or None ({id, name, stance, reasons})
    warnings         answers that conflict ({facts, text, set_aside})
    consequences     what the team now owns ({id, topic, text})
    failure_modes    what review checks for ({id, text, explanation, watch_for})
    unmet            needs no mechanism in the catalog meets

Also: number, title, date, status, template, outcome, outcome_text, context, deciders,
justification, override, on_hold, catalog, fields; and, for templates written before the
argument, facts, checklist, situations and recommendation.

The templates themselves are found and run by adrgen.templating.render.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from adrgen.answers.model import Facts
from adrgen.authoring.argument import Argument, build_argument
from adrgen.catalog.models import any_matches
from adrgen.engine import Recommendation
from adrgen.templating import escape as mdescape
from adrgen.templating.render import plain

if TYPE_CHECKING:
    from adrgen.answers.model import Answers
    from adrgen.catalog.models import Catalog

# identifiers and vocabulary words: templates compare them, so they are not escaped
IDENTIFIER_KEYS = frozenset(
    {
        "id",
        "fact",
        "value",
        "role",
        "stance",
        "scope",
        "outcome",
        "verdict",
        "chosen_is",
        "cites",
        "mechanism",
        "recommended",
        "status",
        "template",
        "date",
    }
)
OUTCOME_TEXT = {
    "ipc": "inter-process communication on one host",
    "service-contract": "not IPC: an explicit service contract across hosts or teams",
}


# --- the template context ---------------------------------------------------------------


def _yes_no(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def asked_facts(answers: Answers, rec: Recommendation, catalog: Catalog) -> set[str]:
    """The facts the team stated, or that the interview asks given the answers."""
    given = _given_facts(answers)
    completed = Facts.model_validate(rec.facts)
    return {
        q.fact.value
        for q in catalog.questions
        if q.fact.value in given or any_matches(q.asked_when, completed)
    }


def _given_facts(answers: Answers) -> set[str]:
    """The facts the answers state (the rest the engine filled in or left unknown)."""
    return {name for name, value in answers.facts.values().items() if value is not None}


def _facts(answers: Answers, rec: Recommendation, catalog: Catalog) -> list[dict]:
    """Each fact given or asked, worded as the interview asks it.

    A default the engine filled in for a question that was never asked (the data volume of
    peers on different hosts) is not a fact the team stated, so it is left out.
    """
    given = _given_facts(answers)
    completed = Facts.model_validate(rec.facts)
    rows = []
    for question in catalog.questions:
        value = rec.facts.get(question.fact.value)
        if value is None:
            continue
        if question.fact.value not in given and not any_matches(question.asked_when, completed):
            continue
        rows.append(
            {
                "fact": question.fact.value,
                "name": question.fact.value.replace("_", " "),  # "same host"
                "question": question.prompt,
                "value": value,
                "short": _yes_no(value),  # "yes", "client-daemon"
                "answer": question.answer(value),  # as the question asks: yes, no or a label
            }
        )
    return rows


def _checklist(answers: Answers, rec: Recommendation, catalog: Catalog) -> list[dict]:
    """The checklist as answered; a question the interview would not ask is "not asked"."""
    given = _given_facts(answers)
    completed = Facts.model_validate(rec.facts)
    rows = []
    for row in rec.checklist:
        item = catalog.checklist_item(row["id"])
        row = dict(row)
        if (
            item is not None
            and item.kind == "question"
            and item.fact is not None
            and item.fact.value not in given
            and not any_matches(item.asked_when, completed)
        ):
            row["answer"] = "not asked"
        rows.append(row)
    return rows


def _situations(rec: Recommendation, catalog: Catalog) -> list[dict]:
    rows = []
    for situation_id in rec.situations:
        situation = catalog.situation(situation_id)
        if situation is None:
            continue
        if rec.mechanism in situation.first_choice:
            verdict = "first choice"
        elif rec.mechanism in situation.accepts:
            verdict = "accepted"
        elif rec.mechanism in situation.avoids:
            verdict = "avoided"
        else:
            verdict = None
        rows.append(
            {
                "id": situation.id,
                "situation": situation.situation,
                "stance": situation.stance,
                "verdict": situation.verdict,
                "guidance": situation.guidance,
                "chosen_is": verdict,
            }
        )
    return rows


def _failure_modes(rec: Recommendation, catalog: Catalog) -> list[dict]:
    rows = []
    for mode_id in rec.failure_modes:
        mode = catalog.failure_mode(mode_id)
        if mode is not None:
            rows.append(
                {
                    "id": mode.id,
                    "text": mode.text,
                    "explanation": mode.explanation,
                    "watch_for": list(mode.watch_for),
                }
            )
    return rows


def _considered(argument: Argument, catalog: Catalog) -> list[dict[str, Any]]:
    rows = []
    for option in argument.options:
        mechanism = catalog.mechanism(option.id)
        rows.append(
            {
                **asdict(option),
                "typical_use": mechanism.typical_use,
                "garden_note": mechanism.garden_note,
                "scope": mechanism.scope.value,
                "outcome": mechanism.outcome.value,
                "examples": list(mechanism.examples),
                "team_notes": list(mechanism.team_notes),
            }
        )
    return rows


def _control(rec: Recommendation, catalog: Catalog) -> dict[str, Any] | None:
    control = getattr(rec, "control", None)
    if control is None:
        return None
    mechanism = catalog.mechanism(control.mechanism)
    return {
        "id": control.mechanism,
        "name": control.name,
        "stance": control.stance,
        "summary": mechanism.summary if mechanism else "",
        "reasons": [{"text": r.text, "cites": list(r.cites)} for r in control.reasons],
    }


def record_context(
    answers: Answers,
    recommendation: Recommendation,
    catalog: Catalog,
    number: int,
    date: str,
    *,
    status: str = "proposed",
    template: str = "madr",
    fields: dict[str, Any] | None = None,
    field_prompts: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Everything a record template may print, as plain, already escaped data."""
    rec = recommendation
    argument = build_argument(answers, rec, catalog, asked_facts(answers, rec, catalog))
    considered = _considered(argument, catalog)
    chosen = considered[0]
    recommended = next((o for o in considered if o["id"] == rec.recommended), chosen)
    fields = fields or {}
    prompts = field_prompts or {}
    meta = catalog.meta
    escaped = mdescape.escape_all(
        {
            "status": status,
            "date": date,
            "template": template,
            "outcome": rec.outcome,
            "outcome_text": OUTCOME_TEXT.get(rec.outcome, rec.outcome),
            "chosen": chosen,
            "recommended": recommended,
            "options": considered,
            "ruled_out": [asdict(r) for r in argument.ruled_out],
            "drivers": [asdict(d) for d in argument.drivers],
            "reasons": [{"text": r.text, "cites": list(r.cites)} for r in argument.reasons],
            "contradictions": [asdict(c) for c in argument.contradictions],
            "control": _control(rec, catalog),
            "warnings": [asdict(w) for w in getattr(rec, "warnings", [])],
            "consequences": [asdict(o) for o in argument.obligations],
            "facts": _facts(answers, rec, catalog),
            "checklist": _checklist(answers, rec, catalog),
            "situations": _situations(rec, catalog),
            "failure_modes": _failure_modes(rec, catalog),
            "unmet": list(rec.unmet),
            "recommendation": {k: v for k, v in rec.to_dict().items() if k != "trace"},
            "catalog": {
                "name": meta.name,
                "version": meta.version,
                "title": meta.title,
                "overlay": meta.overlay,
            },
            "fields": [],
        },
        IDENTIFIER_KEYS,
    )
    # a field's value is the user's text: escaped here, since `value` is an identifier key
    escaped["fields"] = [
        {
            "name": name,
            "prompt": mdescape.inline(prompts.get(name, name)),
            "value": mdescape.inline(_yes_no(value)),
        }
        for name, value in fields.items()
        if value is not None
    ]
    context = {
        **escaped,
        "number": number,
        "title": mdescape.inline(answers.title),
        "context": mdescape.prose_block(answers.context),
        "deciders": [mdescape.inline(name) for name in answers.deciders],
        "justification": mdescape.prose_block(rec.justification) if rec.justification else None,
        "override": rec.override,
        "on_hold": chosen["on_hold"],
        # the answers as validated, not escaped: print them through md_inline / md_block
        "answers": answers.json_data(),
    }
    return plain(context)
