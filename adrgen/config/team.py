"""A team's `.adrgen.yaml`, read and validated (pydantic: only when a team has one)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from adrgen.config import DEFAULT_RECORDS, DEFAULT_TEMPLATE
from adrgen.errors import ValidationProblems, excerpt, location
from adrgen.files.safe_yaml import LineMap, load_file
from adrgen.validation import Strict, describe_errors
from adrgen.vocabulary import (
    FIELD_NAME_PATTERN,
    TEMPLATE_NAME_PATTERN,
    lint_selector,
    unknown_lint_selector,
)


class ExtraField(Strict):
    """A record field a team adds: asked in the interview, kept in the front matter."""

    name: str = Field(pattern=FIELD_NAME_PATTERN)
    prompt: str
    help: str = ""
    type: Literal["text", "bool", "int", "choice"] = "text"
    choices: list[str] = []
    required: bool = False
    default: str | int | bool | None = None


class LintSettings(Strict):
    """Which lint checks the team runs: codes (`ADR005`), prefixes (`ADR0`), names or `ALL`."""

    select: list[str] | None = None
    ignore: list[str] = []


class TeamConfig(Strict):
    team: str | None = None
    records: str = Field(DEFAULT_RECORDS, min_length=1)
    template: str = Field(DEFAULT_TEMPLATE, pattern=TEMPLATE_NAME_PATTERN)
    templates: str | None = None
    catalog: str | None = None
    overlay: str | None = None
    fields: list[ExtraField] = []
    lint: LintSettings = LintSettings()


# the config's paths, and the option that names one from elsewhere: a config file travels
# with the folder it sits in (a repository, a shared drive), so what it names stays inside
# that folder; records written, overlays and catalogs read, templates run all follow it
PATHS = {
    "records": "--dir DIR",
    "templates": "--templates DIR",
    "catalog": "--catalog DIR",
    "overlay": "--overlay FILE",
}


def load_config(path: Path) -> TeamConfig:
    """Read and validate a team config; every problem is one `file:line: key: problem` line."""
    data, lines = load_file(path)
    if data is None:
        return TeamConfig()  # an empty (or all-comment) file means every default
    try:
        config = TeamConfig.model_validate(data)
    except ValidationError as exc:
        problems = [_say_which_name(p) for p in describe_errors(exc, path, lines)]
        raise ValidationProblems(problems) from None
    problems = _field_problems(config, path, lines)
    if problems:
        raise ValidationProblems(problems)
    return config


_GENERIC_NAME_PROBLEM = "is not a valid identifier (lower-case letters, digits and dashes)"
_NAME_PROBLEMS = {
    "template": "is not a template name (a file name without .md.j2: letters, digits, '.', '_', '-')",
    "name": "is not a field name (lower-case letters, digits and '_', starting with a letter)",
}

_NAMED_FIELD = re.compile(r":\d+: (?:fields\.\d+\.)?(template|name): ")


def _say_which_name(problem: str) -> str:
    """The catalog's wording for a bad id, made right for template and field names."""
    named = _NAMED_FIELD.search(problem)
    if not problem.endswith(_GENERIC_NAME_PROBLEM) or not named:
        return problem
    better = _NAME_PROBLEMS[named.group(1)]
    return problem.removesuffix(_GENERIC_NAME_PROBLEM) + better


def _field_problems(config: TeamConfig, path: Path, lines: LineMap) -> list[str]:
    """What the models cannot check alone: unique field names, choices that can be chosen."""
    problems: list[str] = []
    if ".." in config.template:
        problems.append(
            f"{location(path, lines.line_of(('template',)))}: template: "
            f"{excerpt(config.template)} {_NAME_PROBLEMS['template']}"
        )
    for key, option in PATHS.items():
        value = getattr(config, key)
        if value is not None and not _inside(path.parent, value):
            problems.append(
                f"{location(path, lines.line_of((key,)))}: {key}: {excerpt(value)} leads "
                f"outside the team folder {path.parent}; a config file may only name paths "
                f"inside it (to use one from elsewhere, pass {option})"
            )
    problems += _lint_problems(config, path, lines)
    seen: set[str] = set()
    for index, extra in enumerate(config.fields):

        def at(key: str, index: int = index) -> str:
            return f"{location(path, lines.line_of(('fields', index, key)))}: fields.{index}.{key}"

        if extra.name in seen:
            problems.append(f"{at('name')}: {excerpt(extra.name)} is defined twice")
        seen.add(extra.name)
        if extra.type == "choice" and not extra.choices:
            problems.append(f"{at('choices')}: a choice field needs at least one choice")
        if extra.type != "choice" and extra.choices:
            problems.append(f"{at('choices')}: only a field of type choice has choices")
        if (
            extra.type == "choice"
            and extra.default is not None
            and extra.default not in extra.choices
        ):
            problems.append(f"{at('default')}: {excerpt(extra.default)} is not one of the choices")
    return problems


def _lint_problems(config: TeamConfig, path: Path, lines: LineMap) -> list[str]:
    """Every lint selector names a check (a typo would silently select nothing)."""
    problems = []
    for key in ("select", "ignore"):
        for index, value in enumerate(getattr(config.lint, key) or []):
            if lint_selector(value) is None:
                where = location(path, lines.line_of(("lint", key, index)))
                problems.append(f"{where}: lint.{key}.{index}: {unknown_lint_selector(value)}")
    return problems


def _inside(folder: Path, value: str) -> bool:
    """Whether `value`, relative to `folder`, stays inside it once `..` and symlinks resolve."""
    try:
        return (folder / value).resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False
