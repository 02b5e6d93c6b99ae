"""A fresh, commented `.adrgen.yaml`: the team's configuration explained where it is edited."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from adrgen.config import CONFIG_NAME, DEFAULT_RECORDS, DEFAULT_TEMPLATE
from adrgen.config.team import TeamConfig
from adrgen.config.workspace import find_config
from adrgen.errors import AdrgenError, ValidationProblems
from adrgen.files.atomic import write_text_atomic
from adrgen.files.cleaning import clean_text
from adrgen.files.safe_yaml import dump, parse_text
from adrgen.validation import describe_errors

DEFAULT_TEAM_TEMPLATES = ".adrgen/templates"

# Each key of TeamConfig, explained; the values are filled in by `config_text`.
_TEXT = """\
# adrgen team configuration, written by `adrgen init`.
#
# adrgen finds this file by looking in the working directory and then in each folder above
# it (as git finds .git); `--config FILE` on any command uses another file instead.
# Relative paths below are relative to the folder this file is in.

# team: the team's name, noted in its decision records and on the site.
{team}

# records: the folder where `adrgen new` writes decision records and where `adrgen list`
# and `adrgen lint` read them.
{records}

# template: the record template `adrgen new` uses unless told otherwise. Built in:
# madr (MADR 4, the default), nygard, y-statement. `adrgen templates list` shows every
# template, built-in and the team's.
{template}

# templates: the team's own template folder (NAME.md.j2 files). adrgen looks here before
# the built-in templates, so a file named madr.md.j2 here replaces the built-in madr.
# `adrgen templates export madr` copies a built-in template here as a starting point.
# Templates are code, so this folder must be inside this one; `--templates DIR` on the
# command line uses a folder from elsewhere.
{templates}

# catalog: an IPC catalog folder to use instead of the one shipped with adrgen (the
# organisation's own copy, say). Leave it out to use the shipped catalog.
# catalog: ../ipc-catalog

# overlay: a YAML file of this team's differences from the catalog: stances it
# re-decides (with its reason), team notes, and mechanisms, situations and rules it adds.
# Records note which overlay applied. For example, a file .adrgen/overlay.yaml holding
#     name: payments-team
#     mechanisms:
#       shared-memory:
#         stance: hold
#         stance_note: Our auditors need every byte to cross a boundary we can log.
#         team_notes: [Ask the platform group before proposing it again.]
# overlay: .adrgen/overlay.yaml

# lint: which `adrgen lint` checks run. select lists codes (ADR005), code prefixes
# (ADR0), check names (heading-number) or ALL, and replaces the default checks; ignore
# takes checks away. `--select` on the command line replaces select, `--ignore` adds to
# ignore. `adrgen lint --help` lists the checks.
# lint:
#   ignore: [missing-number, duplicate-title]

# fields: extra fields for the team's records: the interview asks them, and they are kept
# in each record's front matter. Each has a name (lower_case), a prompt, and optionally
# help, type (text, bool, int or choice), choices (for type choice), required and default.
fields: []
# fields:
#   - name: cost_centre
#     prompt: Which cost centre pays for running this?
#     help: The finance code, as in the team's budget sheet.
#     type: choice
#     choices: [platform, payments, shared]
#     required: true
"""


def _entry(key: str, value: str | None, example: str) -> str:
    """`key: value`, quoted when YAML needs it; a commented example when there is no value."""
    if value is None:
        return f"# {key}: {example}"
    return dump({key: value}).rstrip("\n")


def config_text(team: str | None = None, records: str | None = None) -> str:
    """The commented configuration, checked to load back to what it says."""
    if team is not None:
        team = clean_text(team, single_line=True)
        if not team:
            raise AdrgenError("--team: the team's name cannot be empty")
    if records is not None:
        records = clean_text(records, single_line=True)
        if not records:
            raise AdrgenError("--records: the record folder cannot be empty")
    text = _TEXT.format(
        team=_entry("team", team, "payments"),
        records=_entry("records", records or DEFAULT_RECORDS, ""),
        template=_entry("template", DEFAULT_TEMPLATE, ""),
        templates=_entry("templates", DEFAULT_TEAM_TEMPLATES, ""),
    )
    data, lines = parse_text(text, CONFIG_NAME)
    try:
        TeamConfig.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblems(describe_errors(exc, CONFIG_NAME, lines)) from None
    return text


def write_config(
    folder: Path, *, team: str | None = None, records: str | None = None, force: bool = False
) -> Path:
    """Write `.adrgen.yaml` into `folder`; an existing one is kept unless `force`."""
    path = folder / CONFIG_NAME
    if path.exists() and not force:
        raise AdrgenError(
            f"{path}: already exists; nothing was written (use --force to replace it)"
        )
    if path.exists() and not path.is_file():
        raise AdrgenError(f"{path}: exists and is not a file")
    write_text_atomic(path, config_text(team, records), overwrite=force)
    return path


def enclosing_config(folder: Path) -> Path | None:
    """A `.adrgen.yaml` above `folder` that a new one there would take the place of."""
    parent = folder.resolve().parent
    if parent == folder.resolve():
        return None
    return find_config(parent)
