"""Render a decision record's body from a template, in the sandbox, from plain data.

The template context is built by `record_context` from the answers, the recommendation and
the catalog. It holds plain data only (dicts, lists, str, int, bool, None): nothing a
template could call to reach the file system. Every string in it is ready-to-print
markdown (escaped by `adrgen.templating.escape`), except under `answers`, which holds the answers
exactly as validated: print those through `md_inline` (one line) or `md_block` (several).

Templates are looked up in the team's template folder, then the built-in one; a team
template can `{% extends "madr.md.j2" %}` and override one `{% block %}`, and
`builtin/madr.md.j2` always means the shipped template (so a team `madr.md.j2` can extend
the one it replaces).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import BytecodeCache

from adrgen import resources
from adrgen.answers.model import Facts
from adrgen.catalog.models import any_matches
from adrgen.engine import Recommendation
from adrgen.errors import AdrgenError
from adrgen.templating import escape as mdescape
from adrgen.templating.sandbox import (
    RecordEnvironment,
    RenderLimits,
    TemplateFolders,
    describe_failure,
    run_limited,
)
from adrgen.vocabulary import Stance

if TYPE_CHECKING:
    from adrgen.answers.model import Answers
    from adrgen.catalog.models import Catalog, Mechanism

TEMPLATE_SUFFIX = ".md.j2"
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


def plain(value: Any, where: str = "context") -> Any:
    """`value` if it is plain data all the way down; TypeError names the first thing that is not."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: key {key!r} is not text")
            out[key] = plain(item, f"{where}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [plain(item, f"{where}[{index}]") for index, item in enumerate(value)]
    raise TypeError(f"{where}: {type(value).__name__} is not plain data")


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


# --- finding and rendering templates ------------------------------------------------------


def template_folders(templates_dir: Path | None) -> list[Path]:
    """Where templates are looked up, in order: the team's folder, then the built-in one."""
    folders = [templates_dir] if templates_dir is not None else []
    return [*folders, resources.templates_dir()]


def template_file(name: str) -> str:
    """`madr` -> `madr.md.j2`; a name that already ends in `.j2` is a file name."""
    return name if name.endswith(".j2") else f"{name}{TEMPLATE_SUFFIX}"


def _display(path: str) -> str:
    """A template's path as the user best recognises it: relative to here when inside."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return path


def clause(text: object) -> str:
    """A sentence made to follow "because": `Keeps x.` -> `keeps x`; `SO_PEERCRED ...` stays."""
    value = str(text).strip().rstrip(".")
    first = value.split(" ", 1)[0]
    plain_word = len(first) > 1 and first[0].isupper() and first[1:].replace("-", "").islower()
    if first == "A" or plain_word:
        value = first[0].lower() + value[1:]
    return value


def _bytecode_cache(environment: RecordEnvironment) -> BytecodeCache | None:
    """Compiled templates kept like .pyc files: compiling the MADR template costs more than
    the rest of `adrgen new`. The sandbox's own code changes the generated code."""
    from adrgen.templating import sandbox
    from adrgen.templating.cache import compiled_templates_cache

    try:
        marker = hashlib.sha256(Path(sandbox.__file__).read_bytes()).hexdigest()[:16]
    except OSError:
        return None
    return compiled_templates_cache(environment, "templates", (), marker)


def make_environment(folders: Sequence[Path], limits: RenderLimits) -> RecordEnvironment:
    loader = TemplateFolders(folders, resources.templates_dir())
    environment = RecordEnvironment(loader, limits)
    environment.bytecode_cache = _bytecode_cache(environment)
    environment.filters["md_inline"] = mdescape.inline
    environment.filters["md_block"] = mdescape.block
    environment.filters["clause"] = clause
    return environment


def render_template(
    name: str,
    context: dict[str, Any],
    folders: Sequence[Path],
    limits: RenderLimits | None = None,
) -> str:
    """The template's output for `context`, or one AdrgenError line: `file:line: problem`."""
    limits = limits or RenderLimits()
    environment = make_environment(folders, limits)
    loader: TemplateFolders = environment.loader  # type: ignore[assignment]
    file_name = template_file(name)
    fallback = f"template {name!r}"
    context = plain(context)
    try:
        fallback = _display(str(loader.locate(file_name)))
        template = environment.get_template(file_name)
        return run_limited(template, context, limits)
    except Exception as exc:  # anything a template does wrong is the template's error
        raise AdrgenError(
            describe_failure(exc, loader.served, fallback, limits, display=_display)
        ) from None
