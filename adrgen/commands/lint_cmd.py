"""`adrgen lint`: check the record folder and report what needs attention."""

from __future__ import annotations

from pathlib import Path

import click

from adrgen.commands.common import (
    catalog_option,
    config_option,
    dir_option,
    format_option,
    print_json,
    workspace,
)
from adrgen.errors import ExitCode
from adrgen.terminal import echo


@click.command()
@dir_option
@click.option(
    "--against",
    "against_ref",
    metavar="REF",
    help="Also report numbers that this branch's new records share with records on a git ref (e.g. origin/main).",
)
@catalog_option
@config_option
@format_option("text", "json")
def lint(
    records_dir: Path | None,
    against_ref: str | None,
    catalog_dir: Path | None,
    overlay_path: Path | None,
    config_path: Path | None,
    output_format: str,
) -> None:
    """Check the record folder: duplicate or missing numbers, broken links, bad statuses,
    superseded records with no successor, invalid front matter, mechanisms that left the
    catalog, and drift (saved answers that now lead elsewhere, or a stance moved to hold).

    Exit status: 0 clean, 1 problems found, 2 bad input.

    \b
    Examples:
      adrgen lint
      adrgen lint --against origin/main --format json
    """
    from adrgen.records.lint import clashes_with_ref, lint_records, problems_as_json

    ws = workspace(config_path, catalog_dir, records_dir, overlay_path)
    records, problems = lint_records(ws.records_dir, ws.catalog)
    if against_ref:
        problems += clashes_with_ref(ws.records_dir, against_ref)
    if output_format == "json":
        print_json(problems_as_json(records, problems))
    else:
        for problem in problems:
            echo(problem.line(), one_line=True)
        if problems:
            echo(f"{len(problems)} problem(s) in {len(records)} records under {ws.records_dir}")
        else:
            echo(f"{len(records)} records under {ws.records_dir}: no problems")
    if problems:
        raise click.exceptions.Exit(int(ExitCode.PROBLEMS_FOUND))
