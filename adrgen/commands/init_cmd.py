"""`adrgen init`: write a commented `.adrgen.yaml` for a team, its record folder and site."""

from __future__ import annotations

from pathlib import Path

import click

from adrgen.terminal import echo


@click.command()
@click.option("--team", help="The team's name, noted in its records and on the site.")
@click.option(
    "--records",
    "records_dir",
    metavar="DIR",
    help="Folder for the team's decision records, relative to this folder (default: docs/decisions).",
)
@click.option("--force", is_flag=True, help="Replace an existing .adrgen.yaml.")
def init(team: str | None, records_dir: str | None, force: bool) -> None:
    """Write a commented .adrgen.yaml in the working directory, every setting explained;
    make the record folder, and a minimal mkdocs.yml unless there is one, so that
    `adrgen site build` and `adrgen site serve` work right after.

    Refuses to replace an existing .adrgen.yaml unless --force is given; an existing
    mkdocs.yml is never replaced (init says how to add the plugin to it).

    \b
    Example:
      adrgen init --team payments --records docs/adr
    """
    from adrgen.config.init_team import enclosing_config, write_config, write_site

    folder = Path.cwd()
    path = write_config(folder, team=team, records=records_dir, force=force)
    echo(f"wrote {path}", one_line=True)
    shadowed = enclosing_config(folder)
    if shadowed is not None:
        echo(f"note: commands run here now use it instead of {shadowed}")
    for line in write_site(folder, team=team, records=records_dir):
        echo(line)
