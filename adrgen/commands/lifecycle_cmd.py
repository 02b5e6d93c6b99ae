"""`adrgen status`, `supersede`, `link`, `renumber`: move records through their lifecycle."""

from __future__ import annotations

from pathlib import Path

import click

from adrgen.commands.common import Choice, config_option, dir_option, workspace
from adrgen.records import lifecycle
from adrgen.terminal import echo
from adrgen.vocabulary import STATUSES


@click.command()
@click.argument("record")
@click.argument("new_status", metavar="STATUS", type=Choice(STATUSES))
@dir_option
@config_option
def status(
    record: str, new_status: str, records_dir: Path | None, config_path: Path | None
) -> None:
    """Change RECORD's status (by number, file name or id); invalid moves are refused.

    \b
    Allowed: proposed -> accepted | rejected | superseded; accepted -> deprecated | superseded;
    rejected -> proposed; deprecated -> superseded.

    \b
    Example:
      adrgen status 12 accepted
    """
    ws = workspace(config_path, records_dir=records_dir)
    changed = lifecycle.set_status(ws.records_dir, record, new_status)
    echo(f"{changed.path}: {lifecycle.lifecycle_status(changed)} -> {new_status}", one_line=True)


@click.command()
@click.argument("old")
@click.option("--by", "new", required=True, help="The record that replaces OLD.")
@dir_option
@config_option
def supersede(old: str, new: str, records_dir: Path | None, config_path: Path | None) -> None:
    """Mark OLD as superseded by another record; both files say so.

    \b
    Example:
      adrgen supersede 3 --by 12
    """
    ws = workspace(config_path, records_dir=records_dir)
    old_record, new_record = lifecycle.supersede(ws.records_dir, old, new)
    echo(f"{old_record.path.name} is superseded by {new_record.path.name}", one_line=True)


@click.command()
@click.argument("source")
@click.argument("target")
@click.option(
    "--kind",
    type=Choice(sorted(lifecycle.LINK_KINDS)),
    default="relates",
    show_default=True,
    help="amends: SOURCE changes part of TARGET; relates: they bear on each other.",
)
@dir_option
@config_option
def link(
    source: str, target: str, kind: str, records_dir: Path | None, config_path: Path | None
) -> None:
    """Link two records; both files get the link, in front matter and as a visible line.

    \b
    Example:
      adrgen link 14 9 --kind amends
    """
    ws = workspace(config_path, records_dir=records_dir)
    a, b = lifecycle.link(ws.records_dir, source, target, kind)
    echo(f"{a.path.name} {kind} {b.path.name}", one_line=True)


@click.command()
@click.argument("record")
@dir_option
@config_option
def renumber(record: str, records_dir: Path | None, config_path: Path | None) -> None:
    """Give RECORD (a file name) the next free number, e.g. after two branches both added 0012.

    References to it in other records follow the new name.

    \b
    Example:
      adrgen renumber 0012-use-shared-memory.md
    """
    ws = workspace(config_path, records_dir=records_dir)
    old, new = lifecycle.renumber(ws.records_dir, record)
    echo(f"{old.name} -> {new.name}", one_line=True)
