"""Options shared by several commands, and output helpers."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from adrgen.config.workspace import Workspace, resolve_workspace

F = Callable[..., Any]


def config_option(f: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Team config file (default: the nearest .adrgen.yaml above the working directory).",
    )(f)


def catalog_option(f: F) -> F:
    return click.option(
        "--catalog",
        "catalog_dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="Catalog folder to use instead of the configured or shipped one.",
    )(f)


def dir_option(f: F) -> F:
    return click.option(
        "--dir",
        "records_dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="Record folder (default: the team's, or docs/decisions).",
    )(f)


def templates_option(f: F) -> F:
    return click.option(
        "--templates",
        "templates_dir",
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        help="Team templates folder to use instead of the configured one; unlike the "
        "config's, it may be outside the team folder.",
    )(f)


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    def decorate(f: F) -> F:
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(choices),
            default=default or choices[0],
            show_default=True,
            help="Output format; json is the stable, scriptable one.",
        )(f)

    return decorate


def workspace(
    config_path: Path | None = None,
    catalog_dir: Path | None = None,
    records_dir: Path | None = None,
    **extra: Any,
) -> Workspace:
    return resolve_workspace(
        config=config_path, catalog=catalog_dir, records_dir=records_dir, **extra
    )


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain aligned table; the last column is never padded so long text does not wrap oddly."""
    cells = [[str(c) for c in headers]] + [
        ["" if c is None else str(c) for c in row] for row in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        line = "  ".join(c.ljust(widths[i]) if i < len(row) - 1 else c for i, c in enumerate(row))
        click.echo(line.rstrip())
        if index == 0:
            click.echo("  ".join("-" * w for w in widths))
