"""`adrgen new`: interview (or read an answers file), recommend, write the decision record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from adrgen.commands.common import (
    Choice,
    allow_conflicts_option,
    answers_option,
    catalog_option,
    config_option,
    dir_option,
    format_option,
    print_json,
    templates_option,
    workspace,
)
from adrgen.errors import AdrgenError
from adrgen.terminal import echo
from adrgen.vocabulary import STATUSES

NO_TERMINAL = (
    "no terminal to ask questions on: run `adrgen new --answers FILE --no-input` "
    "(see `adrgen new --help`)"
)


@click.command()
@answers_option(
    "Answers file (YAML or JSON): pre-fills the interview, or is everything with --no-input."
)
@click.option(
    "--no-input",
    is_flag=True,
    help="Never prompt: take everything from --answers and fail clearly if something is missing.",
)
@dir_option
@templates_option
@click.option(
    "--template",
    "template_name",
    metavar="NAME",
    help="Record template: madr (MADR 4), nygard, y-statement, or a team template "
    "[default: the team's, else madr].",
)
@click.option(
    "--date",
    "record_date",
    metavar="YYYY-MM-DD",
    help="The record's date [default: today]; fixed dates make reproducible examples.",
)
@click.option(
    "--status",
    type=Choice(STATUSES),
    help="The record's status [default: the answers file's, else proposed].",
)
@click.option("--dry-run", is_flag=True, help="Print the record instead of writing it.")
@allow_conflicts_option
@catalog_option
@config_option
@format_option()
def new(
    answers_path: Path | None,
    no_input: bool,
    records_dir: Path | None,
    templates_dir: Path | None,
    template_name: str | None,
    record_date: str | None,
    status: str | None,
    dry_run: bool,
    allow_conflicts: bool,
    catalog_dir: Path | None,
    overlay_path: Path | None,
    config_path: Path | None,
    output_format: str,
) -> None:
    """Interview, recommend a mechanism, and write a new decision record `NNNN-slug.md`.

    The record's number continues from the highest in the record folder (records from
    other tools count too); the answers are kept in its front matter.

    \b
    Examples:
      adrgen new                                          # interview in a terminal
      adrgen new --answers answers.yaml --no-input        # the same in CI, no prompts
      adrgen new --answers answers.yaml --no-input --template nygard --dry-run
    """
    from adrgen.authoring.plan import next_number, plan_record, record_text, write_new_record

    ws = workspace(config_path, catalog_dir, records_dir, overlay_path, templates=templates_dir)
    answers, source, lines = _answers(ws, answers_path, no_input)
    if allow_conflicts:
        answers = answers.model_copy(update={"allow_conflicts": True})
    plan = plan_record(
        ws,
        answers,
        source=source,
        template=template_name,
        status=status,
        date=record_date,
        lines=lines,
    )
    if dry_run:
        echo(record_text(plan, next_number(ws.records_dir)), nl=False)
        return
    path, number = write_new_record(plan, ws.records_dir)
    rec = plan.recommendation
    if output_format == "json":
        print_json(
            {
                "path": str(path),
                "file": path.name,
                "number": number,
                "title": answers.title,
                "status": plan.status,
                "date": plan.date,
                "template": plan.template,
                "mechanism": rec.mechanism,
                "recommended": rec.recommended,
                "outcome": rec.outcome,
                "override": rec.override,
                "control": rec.control.mechanism if rec.control else None,
                "warnings": [
                    {"facts": w.facts, "text": w.text, "set_aside": w.set_aside}
                    for w in rec.warnings
                ],
            }
        )
        return
    control = f" with {rec.control.name} for control" if rec.control else ""
    echo(f"{path}: record {number} written ({rec.name}{control}, {plan.status})", one_line=True)
    for warning in rec.warnings:
        echo(f"  set aside {warning.set_aside}: {' '.join(warning.text.split())}", one_line=True)


def _answers(ws: Any, answers_path: Path | None, no_input: bool) -> tuple[Any, object, Any]:
    """(the validated answers, where they came from, the answers file's line map or None),
    from the file alone (--no-input) or from the interview."""
    from adrgen.answers.loading import load_answers_data, validate_answers

    prefill, lines = load_answers_data(answers_path) if answers_path else (None, None)
    if no_input:
        if prefill is None:
            raise AdrgenError(
                "--no-input needs --answers FILE: there is nothing else to take the answers from"
            )
        if not str(prefill.get("title") or "").strip():
            raise AdrgenError(f"{answers_path}:1: title: a record needs a title")
        return validate_answers(prefill, answers_path, lines), answers_path, lines
    # only the interview imports questionary; --no-input never gets here
    from adrgen.authoring.interview import run_interview, stdin_is_interactive

    if not stdin_is_interactive():
        raise AdrgenError(NO_TERMINAL)
    return run_interview(ws, prefill), answers_path or "interview", None
