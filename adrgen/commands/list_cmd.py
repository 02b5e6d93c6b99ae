"""`adrgen list`: the records in the record folder, whichever tool wrote them."""

from __future__ import annotations

from pathlib import Path

import click

from adrgen.commands.common import (
    config_option,
    design_words,
    dir_option,
    format_option,
    print_json,
    workspace,
)
from adrgen.records.parse import RecordInfo, records_if_any
from adrgen.terminal import echo

PROBLEM_MARK = "!"


def record_label(record: RecordInfo) -> str:
    """`0007`, or the file's id for records named by date or slug; `!` marks a problem."""
    label = f"{record.number:04d}" if record.number is not None else record.id
    return f"{label}{PROBLEM_MARK}" if record.problems else label


@click.command(name="list")
@dir_option
@config_option
@format_option(tabular=True)
def list_records(records_dir: Path | None, config_path: Path | None, output_format: str) -> None:
    """List the decision records: number, title, status, date and mechanism (with the
    control channel beside it, for a combined design).

    Records written by other tools (MADR, adr-tools, log4brains, by hand) are listed too,
    their statuses read as adrgen's words (`✅ Accepted` and `Approved` are accepted); JSON
    keeps the status as written in `status_text`. A record adrgen cannot fully read is
    marked with `!`, and its problems go to stderr.

    \b
    Examples:
      adrgen list --dir docs/decisions
      adrgen list --format json | jq '.[] | select(.status == "accepted") | .title'
    """
    ws = workspace(config_path, records_dir=records_dir)
    folder = ws.records_dir
    records = records_if_any(folder)
    for record in records:
        for problem in record.problems:
            echo(f"warning: {problem}", err=True, one_line=True)
    if output_format == "json":
        print_json([record.to_dict() for record in records])
        return
    if not records:
        echo(f"{folder}: no records yet", err=True, one_line=True)
        return
    from adrgen.commands.common import print_table

    print_table(
        ["number", "title", "status", "date", "mechanism"],
        [
            [
                record_label(r),
                r.title,
                r.status or "",
                r.date or "",
                design_words(r.mechanism, r.control),
            ]
            for r in records
        ],
    )
