"""Options shared by several commands; the printers are in adrgen.terminal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from adrgen.config.workspace import Workspace, resolve_workspace
from adrgen.errors import did_you_mean
from adrgen.terminal import print_json, print_table  # noqa: F401 (printers)

F = Callable[..., Any]


def design_words(mechanism: str | None, control: str | None) -> str:
    """`shared-memory`, or `shared-memory + local-grpc` with a control channel beside it."""
    if mechanism and control:
        return f"{mechanism} + {control}"
    return mechanism or ""


def file_option(name: str, dest: str, help: str, **extra: Any) -> Callable[[F], F]:
    """An option naming a file (a folder is refused), passed on as a Path."""
    return click.option(
        name, dest, type=click.Path(path_type=Path, dir_okay=False), help=help, **extra
    )


config_option = file_option(
    "--config",
    "config_path",
    help="Team config file (default: the nearest .adrgen.yaml above the working directory).",
)


def answers_option(help: str, required: bool = False) -> Callable[[F], F]:
    return file_option("--answers", "answers_path", help=help, required=required)


def catalog_option(f: F) -> F:
    """`--catalog DIR` and `--overlay FILE`: the catalog a command sees."""
    f = file_option(
        "--overlay",
        "overlay_path",
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


def allow_conflicts_option(f: F) -> F:
    return click.option(
        "--allow-conflicts",
        is_flag=True,
        help="Answers the catalog says conflict: set aside the one it names (and say so) "
        "instead of refusing them.",
    )(f)


def templates_option(f: F) -> F:
    return click.option(
        "--templates",
        "templates_dir",
        type=click.Path(path_type=Path, file_okay=False, exists=True),
        help="Team templates folder to use instead of the configured one; unlike the "
        "config's, it may be outside the team folder.",
    )(f)


class Choice(click.Choice):
    """click's Choice, saying which choice a misspelt value was probably meant to be."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        message = super().get_invalid_choice_message(value, ctx)
        hint = did_you_mean(value, self.choices)
        return f"{message.rstrip('.')}{hint}" if hint else message


# the same words in every command: text for people, json for scripts, and table where the
# text is a table (there, text and table are the same)
TEXT_FORMATS = ("text", "json")
TABLE_FORMATS = ("table", "text", "json")


def format_option(*extra: str, tabular: bool = False) -> Callable[[F], F]:
    """`--format text|json`, or `table|text|json` for commands whose text is a table, and any
    format only one command has (lint's `github` annotations) after them."""
    choices = (TABLE_FORMATS if tabular else TEXT_FORMATS) + extra

    def decorate(f: F) -> F:
        return click.option(
            "--format",
            "output_format",
            type=Choice(choices),
            default=choices[0],
            show_default=True,
            help="Output format; json is the stable, scriptable one"
            + (" (text is the table)." if tabular else "."),
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
