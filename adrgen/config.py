"""Team configuration (`.adrgen.yaml`), found by walking up from the working directory."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from adrgen import resources
from adrgen.errors import AdrgenError, ValidationProblems, location
from adrgen.models import Catalog, Strict
from adrgen.validation import describe_errors
from adrgen.yamlsafe import LineMap, load_file

CONFIG_NAME = ".adrgen.yaml"
DEFAULT_RECORDS = "docs/decisions"
DEFAULT_TEMPLATE = "madr"
# a template is named by its file name without .md.j2, never by a path
TEMPLATE_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$"


class ExtraField(Strict):
    """A record field a team adds: asked in the interview, kept in the front matter."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,40}$")
    prompt: str
    help: str = ""
    type: Literal["text", "bool", "int", "choice"] = "text"
    choices: list[str] = []
    required: bool = False
    default: str | int | bool | None = None


class TeamConfig(Strict):
    team: str | None = None
    records: str = Field(DEFAULT_RECORDS, min_length=1)
    template: str = Field(DEFAULT_TEMPLATE, pattern=TEMPLATE_NAME_PATTERN)
    templates: str | None = None
    catalog: str | None = None
    overlay: str | None = None
    fields: list[ExtraField] = []


def find_config(start: Path | None = None) -> Path | None:
    """The nearest `.adrgen.yaml` in `start` or a folder above it, like git finds `.git`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


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
            f"{config.template!r} {_NAME_PROBLEMS['template']}"
        )
    if config.templates is not None and not _inside(path.parent, config.templates):
        problems.append(
            f"{location(path, lines.line_of(('templates',)))}: templates: "
            f"{config.templates!r} leads outside the team folder {path.parent}; templates are "
            "code, so a config file may only name a folder inside it (to use one from "
            "elsewhere, pass --templates DIR)"
        )
    seen: set[str] = set()
    for index, extra in enumerate(config.fields):

        def at(key: str, index: int = index) -> str:
            return f"{location(path, lines.line_of(('fields', index, key)))}: fields.{index}.{key}"

        if extra.name in seen:
            problems.append(f"{at('name')}: {extra.name!r} is defined twice")
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
            problems.append(f"{at('default')}: {extra.default!r} is not one of the choices")
    return problems


def _inside(folder: Path, value: str) -> bool:
    """Whether `value`, relative to `folder`, stays inside it once `..` and symlinks resolve."""
    try:
        return (folder / value).resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


@dataclass
class Workspace:
    """Everything a command needs to know about where things are, options over config."""

    config_path: Path | None
    config: TeamConfig
    records_dir: Path
    catalog_dir: Path
    templates_dir: Path | None
    overlay_path: Path | None
    template: str
    cwd: Path = field(default_factory=Path.cwd)

    @cached_property
    def catalog(self) -> Catalog:
        from adrgen.catalog import load_catalog

        catalog = load_catalog(self.catalog_dir)
        if self.overlay_path is not None:
            from adrgen.overlay import apply_overlay

            catalog = apply_overlay(catalog, self.overlay_path)
        return catalog


def resolve_workspace(
    *,
    config: Path | None = None,
    catalog: Path | None = None,
    records_dir: Path | None = None,
    template: str | None = None,
    overlay: Path | None = None,
    templates: Path | None = None,
    cwd: Path | None = None,
) -> Workspace:
    """Combine command-line options (which win) with the team's `.adrgen.yaml`.

    A templates folder given here is the user's explicit choice and may be anywhere; the
    config's own `templates:` must stay inside the team folder (see `_field_problems`).
    """
    cwd = cwd or Path.cwd()
    if config is not None and not config.is_file():
        raise AdrgenError(f"{config}: no such config file")
    config_path = config or find_config(cwd)
    team = load_config(config_path) if config_path else TeamConfig()
    base = config_path.parent if config_path else cwd

    def relative(value: str | None) -> Path | None:
        return (base / value) if value else None

    return Workspace(
        config_path=config_path,
        config=team,
        records_dir=records_dir or base / team.records,
        catalog_dir=catalog or relative(team.catalog) or resources.catalog_dir(),
        templates_dir=templates or relative(team.templates),
        overlay_path=overlay or relative(team.overlay),
        template=template or team.template,
        cwd=cwd,
    )
