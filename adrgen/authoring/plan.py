"""The library side of `adrgen new`: answers in, a decision record on disk out.

`plan_record` checks everything that can be checked before a file is touched (the team's
extra fields, the template name, the date, the engine's verdict on the facts); then
`write_new_record` numbers and writes the record under the folder lock, or `record_text`
shows what would be written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adrgen.authoring.context import asked_facts, record_context
from adrgen.engine import Recommendation, recommend
from adrgen.errors import AdrgenError, AnswerProblem, ValidationProblems
from adrgen.files.cleaning import clean_text
from adrgen.files.safe_yaml import LineMap
from adrgen.records.names import highest_number
from adrgen.records.write import compose_record, write_record
from adrgen.templating.render import render_template, template_folders
from adrgen.templating.sandbox import RenderLimits

if TYPE_CHECKING:
    from adrgen.answers.model import Answers
    from adrgen.catalog.models import Catalog
    from adrgen.config.team import ExtraField
    from adrgen.config.workspace import Workspace

DEFAULT_STATUS = "proposed"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class RecordPlan:
    """Everything a record is made from, checked; only its number is still to come."""

    answers: Answers
    recommendation: Recommendation
    catalog: Catalog
    template: str
    status: str
    date: str
    fields: dict[str, Any]
    field_prompts: dict[str, str]
    template_folders: list[Path]
    limits: RenderLimits


def check_date(value: str) -> str:
    """`YYYY-MM-DD`, a real calendar date, or an AdrgenError."""
    if not _ISO_DATE.match(value or ""):
        raise AdrgenError(f"--date: {value!r} is not a date written YYYY-MM-DD")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise AdrgenError(f"--date: {value!r} is not a calendar date") from None
    return value


def _field_value(extra: ExtraField, value: Any) -> tuple[Any, str | None]:
    """(the value as stored, or a problem) for one team field."""
    if extra.type == "bool":
        return (
            (value, None) if isinstance(value, bool) else (None, f"{value!r} is not true or false")
        )
    if extra.type == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return (value, None) if ok else (None, f"{value!r} is not a whole number")
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return None, f"expected text, got {type(value).__name__}"
    text = clean_text(str(value)).strip()
    if extra.type == "choice" and text not in extra.choices:
        return None, f"{text!r} is not one of {', '.join(extra.choices)}"
    return text, None


def team_field_values(
    definitions: list[ExtraField], given: dict[str, Any], source: object
) -> dict[str, Any]:
    """The team's extra fields for a record, in the config's order; every problem at once."""
    problems: list[str] = []
    known = {extra.name: extra for extra in definitions}
    for name in given:
        if name not in known:
            names = ", ".join(known) or "none"
            problems.append(
                f"{source}: fields.{name}: unknown field (the team config defines: {names})"
            )
    values: dict[str, Any] = {}
    for extra in definitions:
        value = given.get(extra.name)
        if value is None or value == "":
            value = extra.default
        if value is None or value == "":
            if extra.required:
                problems.append(
                    f"{source}: fields.{extra.name}: required by the team config ({extra.prompt})"
                )
            values[extra.name] = None
            continue
        stored, problem = _field_value(extra, value)
        if problem:
            problems.append(f"{source}: fields.{extra.name}: {problem}")
        values[extra.name] = stored
    if problems:
        raise ValidationProblems(problems)
    return values


def _check_template(ws: Workspace, name: str) -> None:
    from adrgen.templating.lookup import find_template

    find_template(ws, name)


def plan_record(
    ws: Workspace,
    answers: Answers,
    *,
    source: object = "answers",
    template: str | None = None,
    status: str | None = None,
    date: str | None = None,
    limits: RenderLimits | None = None,
    lines: LineMap | None = None,
) -> RecordPlan:
    """Check the answers against the catalog, the team config and the options.

    `lines` (the answers file's line map) lets a problem only the catalog can see, such as
    a chosen mechanism it does not know, point at its line in `source`.
    """
    if not answers.title.strip():
        raise AdrgenError(f"{source}: title: a record needs a title")
    fields = team_field_values(ws.team_fields, answers.fields, source)
    catalog = ws.catalog
    try:
        recommendation = recommend(answers, catalog)
    except AnswerProblem as exc:
        raise exc.at(source, lines) from None
    name = template or answers.template or ws.template
    _check_template(ws, name)
    return RecordPlan(
        answers=answers,
        recommendation=recommendation,
        catalog=catalog,
        template=name,
        status=status or answers.status or DEFAULT_STATUS,
        date=check_date(date) if date else dt.date.today().isoformat(),
        fields=fields,
        field_prompts={extra.name: extra.prompt for extra in ws.team_fields},
        template_folders=template_folders(ws.templates_dir),
        limits=limits or RenderLimits(),
    )


def front_matter(plan: RecordPlan, number: int) -> dict[str, Any]:
    """The record's YAML front matter: what other tools and `adrgen lint` read back.

    Only what a reader or a tool needs beside the body: the record's identity and status,
    the mechanism (and control channel) with what the engine recommended, the catalog, and
    the facts the decision rests on, from which lint asks the engine again (drift). An
    override is a record whose mechanism differs from the recommendation; its justification
    is in the body, once.
    """
    rec, meta = plan.recommendation, plan.catalog.meta
    control = getattr(rec, "control", None)
    asked = asked_facts(plan.answers, rec, plan.catalog)
    data: dict[str, Any] = {
        "number": number,
        "title": plan.answers.title,
        "status": plan.status,
        "date": plan.date,
        "deciders": list(plan.answers.deciders),
        "mechanism": rec.mechanism,
        "outcome": rec.outcome,
        "recommended": rec.recommended,
        "catalog": {"name": meta.name, "version": meta.version},
        "tags": [],
        "facts": {name: value for name, value in rec.facts.items() if name in asked},
    }
    if control is not None:
        data["control"] = control.mechanism
    if meta.overlay:
        data["catalog"]["overlay"] = meta.overlay
    fields = {name: value for name, value in plan.fields.items() if value is not None}
    if fields:
        data["fields"] = fields
    return data


def record_text(plan: RecordPlan, number: int) -> str:
    """The whole record file for `number`: front matter, then the rendered template."""
    context = record_context(
        plan.answers,
        plan.recommendation,
        plan.catalog,
        number,
        plan.date,
        status=plan.status,
        template=plan.template,
        fields=plan.fields,
        field_prompts=plan.field_prompts,
    )
    body = render_template(plan.template, context, plan.template_folders, plan.limits)
    return compose_record(front_matter(plan, number), body)


def next_number(directory: Path) -> int:
    """The number the next record would get now (a dry run does not hold the lock)."""
    return highest_number(directory) + 1


def write_new_record(plan: RecordPlan, directory: Path) -> tuple[Path, int]:
    """Number, render and write the record; (its path, its number).

    The record is rendered before the folder is touched, so a broken template leaves no
    trace (not even a new empty folder). Under the lock it gets its final number, which is
    almost always the number it was rendered with; only another number renders it again.
    """
    expected = next_number(directory)
    texts = {expected: record_text(plan, expected)}
    numbers: list[int] = []

    def render(number: int) -> str:
        numbers.append(number)
        if number not in texts:
            texts[number] = record_text(plan, number)
        return texts[number]

    path = write_record(directory, plan.answers.title, render)
    return path, numbers[-1]
