"""Team configuration (`.adrgen.yaml`), found by walking up from the working directory."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from adrgen import resources
from adrgen.errors import AdrgenError, ValidationProblems
from adrgen.models import Catalog, Strict
from adrgen.validation import describe_errors
from adrgen.yamlsafe import load_file

CONFIG_NAME = ".adrgen.yaml"
DEFAULT_RECORDS = "docs/decisions"
DEFAULT_TEMPLATE = "madr"


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
    records: str = DEFAULT_RECORDS
    template: str = Field(DEFAULT_TEMPLATE, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$")
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
    data, lines = load_file(path)
    if data is None:
        return TeamConfig()
    try:
        return TeamConfig.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblems(describe_errors(exc, path, lines)) from None


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
    cwd: Path | None = None,
) -> Workspace:
    """Combine command-line options (which win) with the team's `.adrgen.yaml`."""
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
        templates_dir=relative(team.templates),
        overlay_path=overlay or relative(team.overlay),
        template=template or team.template,
        cwd=cwd,
    )
