"""`adrgen templates ...`: see which record templates exist and which one wins; copy a
built-in one into the team's folder to customise it."""

from __future__ import annotations

from pathlib import Path

import click

from adrgen.commands.common import (
    config_option,
    format_option,
    print_json,
    print_table,
    templates_option,
    workspace,
)
from adrgen.errors import AdrgenError
from adrgen.files.reading import read_text
from adrgen.templating.sandbox import MAX_TEMPLATE_BYTES
from adrgen.terminal import echo


@click.group()
def templates() -> None:
    """List built-in and team record templates; export a built-in one to customise.

    Team templates (the folder named by `templates:` in .adrgen.yaml) are looked up before
    the built-in ones, so a team template named `madr` replaces the built-in `madr`.

    \b
    Example:
      adrgen templates list
      adrgen templates export madr
    """


@templates.command(name="list")
@templates_option
@config_option
@format_option(tabular=True)
def list_cmd(templates_dir: Path | None, config_path: Path | None, output_format: str) -> None:
    """List every template with its source (team or built-in), its file, and whether it wins.

    \b
    Example:
      adrgen templates list --format json
    """
    from adrgen.templating.lookup import list_templates

    ws = workspace(config_path, templates=templates_dir)
    infos = list_templates(ws)
    if output_format == "json":
        print_json(
            [
                {
                    "name": info.name,
                    "source": info.source,
                    "path": str(info.path),
                    "wins": info.wins,
                    "default": info.wins and info.name == ws.template,
                }
                for info in infos
            ]
        )
        return
    rows = []
    for info in infos:
        status = "yes" if info.wins else "no (shadowed by the team's)"
        name = f"{info.name} (default)" if info.name == ws.template and info.wins else info.name
        rows.append([name, info.source, status, info.path])
    print_table(["name", "source", "wins", "path"], rows)


@templates.command()
@click.argument("name")
@click.option(
    "--to",
    "to_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to copy it to (default: the team's templates folder from .adrgen.yaml).",
)
@config_option
def export(name: str, to_dir: Path | None, config_path: Path | None) -> None:
    """Copy a built-in template into the team's folder as a starting point; never overwrites.

    \b
    Example:
      adrgen templates export madr
      adrgen templates export nygard --to .adrgen/templates
    """
    from adrgen.files.atomic import write_text_atomic
    from adrgen.templating.lookup import SUFFIX, builtin_dir, builtin_names, check_name

    check_name(name)
    ws = workspace(config_path)
    source = builtin_dir() / f"{name}{SUFFIX}"
    if name not in builtin_names():
        known = ", ".join(builtin_names()) or "none"
        raise AdrgenError(
            f"template {name!r}: no built-in template by that name (built-in: {known})"
        )
    destination_dir = to_dir or ws.templates_dir
    if destination_dir is None:
        raise AdrgenError(
            "templates export: no team templates folder; set `templates:` in .adrgen.yaml "
            "(`adrgen init` writes one) or pass --to DIR"
        )
    if destination_dir.exists() and not destination_dir.is_dir():
        raise AdrgenError(f"{destination_dir}: not a folder")
    destination = destination_dir / source.name
    if destination.exists():
        raise AdrgenError(
            f"{destination}: already exists; nothing was written (edit it, or move it away)"
        )
    destination_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(destination, read_text(source, max_bytes=MAX_TEMPLATE_BYTES))
    echo(f"wrote {destination}", one_line=True)
    if ws.templates_dir is not None and destination_dir.resolve() == ws.templates_dir.resolve():
        echo(
            f"the team's {name!r} now replaces the built-in one; edit it to suit the team, or "
            f'keep only `{{% extends "builtin/{source.name}" %}}` and the blocks you change'
        )
    else:
        echo("set `templates:` in .adrgen.yaml to this folder for adrgen to use it")
