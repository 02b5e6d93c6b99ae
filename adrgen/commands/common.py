"""Options shared by several commands; the printers are in adrgen.terminal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from adrgen.config.workspace import Workspace, resolve_workspace
from adrgen.terminal import print_json, print_table  # noqa: F401 (printers)

F = Callable[..., Any]


def config_option(f: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Team config file (default: the nearest .adrgen.yaml above the working directory).",
    )(f)


def catalog_option(f: F) -> F:
    """`--catalog DIR` and `--overlay FILE`: the catalog a command sees."""
    f = click.option(
        "--overlay",
        "overlay_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Catalog overlay to apply instead of the configured one; unlike the config's, "
        "it may be outside the team folder.",
    )(f)
    return click.option(
        "--catalog",
        "catalog_dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="Catalog folder to use instead of the configured or shipped one; unlike the "
        "config's, it may be outside the team folder.",
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
    overlay_path: Path | None = None,
    **extra: Any,
) -> Workspace:
    return resolve_workspace(
        config=config_path,
        catalog=catalog_dir,
        records_dir=records_dir,
        overlay=overlay_path,
        **extra,
    )
