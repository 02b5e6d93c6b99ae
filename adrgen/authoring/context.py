"""What a record template is given: the answers, the recommendation and the catalog as plain data.

The template context is built by `record_context` from the answers, the recommendation and
the catalog. It holds plain data only (dicts, lists, str, int, bool, None): nothing a
template could call to reach the file system. Every string in it is ready-to-print
markdown (escaped by `adrgen.templating.escape`), except under `answers`, which holds the answers
exactly as validated: print those through `md_inline` (one line) or `md_block` (several).

The templates themselves are found and run by adrgen.templating.render.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from adrgen.answers.model import Facts
from adrgen.catalog.models import any_matches
from adrgen.engine import Recommendation
from adrgen.templating import escape as mdescape
from adrgen.templating.render import plain
from adrgen.vocabulary import Stance

if TYPE_CHECKING:
    from adrgen.answers.model import Answers
    from adrgen.catalog.models import Catalog, Mechanism

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


def _option(mechanism: Mechanism, role: str, why: Sequence[str] = (), score: int = 0) -> dict:
    return {
        "id": mechanism.id,
        "name": mechanism.name,
        "role": role,  # chosen | recommended | alternative | excluded
        "stance": mechanism.stance.value,
        "stance_note": mechanism.stance_note,
        "on_hold": mechanism.stance is Stance.hold,
        "typical_use": mechanism.typical_use,
        "garden_note": mechanism.garden_note,
        "summary": mechanism.summary,
        "scope": mechanism.scope.value,
        "outcome": mechanism.outcome.value,
        "pros": list(mechanism.pros),
        "cons": list(mechanism.cons),
        "examples": list(mechanism.examples),
        "team_notes": list(mechanism.team_notes),
        "why": list(why),
        "score": score,
    }


def _options(rec: Recommendation, catalog: Catalog) -> tuple[list[dict], list[dict]]:
    """(considered options, chosen first; excluded options), each with the catalog's words."""
    chosen = catalog.mechanism(rec.mechanism)
    considered = [_option(chosen, "chosen", [r.text for r in rec.reasons])]
    if rec.recommended != rec.mechanism:
        recommended = catalog.mechanism(rec.recommended)
        why = ["The engine's recommendation for these facts."]
        alt = next((a for a in rec.alternatives if a.mechanism == rec.recommended), None)
        considered.append(_option(recommended, "recommended", why, alt.score if alt else 0))
    excluded = []
    for alt in rec.alternatives:
        mechanism = catalog.mechanism(alt.mechanism)
        if alt.mechanism == rec.recommended or mechanism is None:
            continue
        why = [r.text for r in alt.why]
        if alt.status == "excluded":
            excluded.append(_option(mechanism, "excluded", why, alt.score))
        else:
            considered.append(_option(mechanism, "alternative", why, alt.score))
    return considered, excluded


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
        label = next((c.label for c in question.choices if c.value == value), None)
        rows.append(
            {
                "fact": question.fact.value,
                "name": question.fact.value.replace("_", " "),  # "same host"
                "question": question.prompt,
                "value": value,
                "short": _yes_no(value),  # "yes", "client-daemon"
                "answer": label or _yes_no(value),  # the interview's label for a choice
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
    considered, excluded = _options(rec, catalog)
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
            "excluded": excluded,
            "facts": _facts(answers, rec, catalog),
            "checklist": _checklist(answers, rec, catalog),
            "situations": _situations(rec, catalog),
            "failure_modes": _failure_modes(rec, catalog),
            "reasons": [{"text": r.text, "cites": list(r.cites)} for r in rec.reasons],
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
        "context": mdescape.block(answers.context),
        "deciders": [mdescape.inline(name) for name in answers.deciders],
        "justification": mdescape.block(rec.justification) if rec.justification else None,
        "override": rec.override,
        "on_hold": chosen["on_hold"],
        # the answers as validated, not escaped: print them through md_inline / md_block
        "answers": answers.json_data(),
    }
    return plain(context)
