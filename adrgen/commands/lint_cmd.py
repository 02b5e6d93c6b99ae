"""`adrgen lint`: check the record folder and report what needs attention."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from adrgen.commands.common import (
    catalog_option,
    config_option,
    dir_option,
    file_option,
    format_option,
    print_json,
    workspace,
)
from adrgen.errors import AdrgenError, ExitCode
from adrgen.terminal import echo
from adrgen.vocabulary import LINT_CHECKS

if TYPE_CHECKING:
    from adrgen.records.lint import Problem

_CHECK_LIST = "\n".join(
    f"  {c.code} {c.name:<20} {c.severity:<8}{c.summary}{'' if c.default else ' (not run by default)'}"
    for c in LINT_CHECKS
)
_HELP = f"""Check the record folder, whichever tools wrote its records: numbering, names, titles,
relations and statuses; for adrgen's own records also their front matter, mechanisms that
left the catalog, and drift (saved answers that now lead elsewhere, or a stance moved to
hold). Each problem has a code, a severity, the file and line, and a fix.

Exit status: 0 clean (or nothing new against the baseline), 1 problems found, 2 bad input.

\b
Checks (select and ignore them by code, code prefix or name, here or under `lint:` in
.adrgen.yaml):
{_CHECK_LIST}

\b
Examples:
  adrgen lint
  adrgen lint --baseline .adrgen/lint-baseline.json   # first run saves today's problems
  adrgen lint --select ADR0 --ignore duplicate-title --format github
  adrgen lint --against origin/main --format json
"""


@click.command(help=_HELP)
@dir_option
@click.option(
    "--against",
    "against_ref",
    metavar="REF",
    help="Also report numbers that this branch's new records share with records on a git ref (e.g. origin/main).",
)
@click.option(
    "--select",
    "select_text",
    metavar="CODES",
    help="Run only these checks (comma-separated codes, prefixes or names; ALL for every "
    "check); replaces the config's select.",
)
@click.option(
    "--ignore",
    "ignore_text",
    metavar="CODES",
    help="Leave these checks out (comma-separated); adds to the config's ignore.",
)
@file_option(
    "--baseline",
    "baseline_path",
    help="A file of known problems: when it does not exist, today's problems are saved "
    "there; when it does, only problems it does not know are reported.",
)
@click.option(
    "--update-baseline",
    is_flag=True,
    help="With --baseline: save today's problems to the file, replacing what it held.",
)
@catalog_option
@config_option
@format_option("github")
def lint(
    records_dir: Path | None,
    against_ref: str | None,
    select_text: str | None,
    ignore_text: str | None,
    baseline_path: Path | None,
    update_baseline: bool,
    catalog_dir: Path | None,
    overlay_path: Path | None,
    config_path: Path | None,
    output_format: str,
) -> None:
    from adrgen.records.lint import Linter, clashes_with_ref, is_adrgen_record
    from adrgen.records.lint_filters import (
        against_baseline,
        read_baseline,
        selection_from,
        write_baseline,
    )
    from adrgen.records.parse import records_if_any

    if update_baseline and baseline_path is None:
        raise AdrgenError("--update-baseline: name the baseline file with --baseline FILE")
    ws = workspace(config_path, catalog_dir, records_dir, overlay_path)
    settings = ws.config.lint if ws.config is not None else None
    selection = selection_from(
        select_text,
        ignore_text,
        settings.select if settings else None,
        settings.ignore if settings else [],
    )

    folder = ws.records_dir
    records = records_if_any(folder)
    if not records:
        _no_records(folder, output_format)
        return
    # the catalog matters only to adrgen's own records (drift); other folders need none
    ours = any(is_adrgen_record(record) for record in records)
    problems = Linter(folder, ws.catalog if ours else None).run(records)
    if against_ref:
        problems += clashes_with_ref(folder, against_ref)
    problems = selection.apply(problems)

    known = fixed = 0
    if baseline_path is not None:
        if update_baseline or not baseline_path.exists():
            write_baseline(baseline_path, problems)
            echo(
                f"{baseline_path}: saved {len(problems)} problem(s) as the baseline; "
                "from now on lint reports only new ones",
                err=output_format != "text",
            )
            if output_format == "json":
                baseline = {"known": len(problems), "fixed": 0}
                print_json({"records": len(records), "problems": [], "baseline": baseline})
            return
        result = against_baseline(problems, read_baseline(baseline_path))
        problems, known, fixed = result.new, result.known, result.fixed

    if output_format == "json":
        data: dict = {"records": len(records), "problems": [p.to_dict() for p in problems]}
        if baseline_path is not None:
            data["baseline"] = {"known": known, "fixed": fixed}
        print_json(data)
    elif output_format == "github":
        for problem in problems:
            echo(_annotation(problem), one_line=True)
    else:
        _print_text(problems, len(records), folder, known, fixed)
    if problems:
        raise click.exceptions.Exit(int(ExitCode.PROBLEMS_FOUND))


def _no_records(folder: Path, output_format: str) -> None:
    """An empty or missing folder is where every team starts: nothing to check, not an error."""
    if output_format == "json":
        print_json({"records": 0, "problems": []})
    else:
        echo(f"{folder}: no records yet", err=output_format == "github")


def _print_text(problems: list[Problem], count: int, folder: Path, known: int, fixed: int) -> None:
    for problem in problems:
        echo(problem.line_text(), one_line=True)
    notes = []
    if known:
        notes.append(f"{known} known in the baseline")
    if fixed:
        notes.append(f"{fixed} baseline problem(s) fixed: --update-baseline forgets them")
    extra = f" ({'; '.join(notes)})" if notes else ""
    if problems:
        errors = sum(p.severity == "error" for p in problems)
        echo(
            f"{len(problems)} problem(s) ({errors} error(s), {len(problems) - errors} "
            f"warning(s)) in {count} records under {folder}{extra}"
        )
    else:
        echo(f"{count} records under {folder}: no problems{extra}")


def _github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command: the problem shows on the file's line in a pull
    request. Paths are relative to the working directory, as a workflow runs at the root."""
    path = problem.file
    try:
        relative = os.path.relpath(path)
        if not relative.startswith(".."):
            path = relative
    except ValueError:
        pass
    level = "error" if problem.severity == "error" else "warning"
    properties = [f"file={_github_escape(path, property_value=True)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
    properties.append(
        f"title={_github_escape(f'{problem.code} {problem.check}', property_value=True)}"
    )
    message = _github_escape(f"{problem.message}\nfix: {problem.fix}")
    return f"::{level} {','.join(properties)}::{message}"
