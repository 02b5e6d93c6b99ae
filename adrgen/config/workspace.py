"""The workspace: the team's `.adrgen.yaml` (found by walking up from the working
directory, as git finds `.git`) combined with the command line.

Finding the config needs no pydantic; reading and validating a team's file does, so that
lives in adrgen.config.team and is imported only when there is a file to read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from adrgen import resources
from adrgen.config import CONFIG_NAME, DEFAULT_RECORDS, DEFAULT_TEMPLATE
from adrgen.errors import AdrgenError

if TYPE_CHECKING:
    from adrgen.catalog.models import Catalog
    from adrgen.config.team import ExtraField, TeamConfig


def find_config(start: Path | None = None) -> Path | None:
    """The nearest `.adrgen.yaml` in `start` or a folder above it, like git finds `.git`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def team_name_of(records_dir: Path) -> str | None:
    """The `team` of the `.adrgen.yaml` whose record folder `records_dir` is, if any."""
    config_path = find_config(records_dir)
    if config_path is None:
        return None
    from adrgen.config.team import load_config

    try:
        config = load_config(config_path)
    except AdrgenError:
        return None  # a broken config is for the commands that use it to report
    if (config_path.parent / config.records).resolve() != records_dir.resolve():
        return None
    return config.team


@dataclass
class Workspace:
    """Everything a command needs to know about where things are, options over config."""

    config_path: Path | None
    config: TeamConfig | None  # None when there is no config file: every default applies
    records_dir: Path
    catalog_dir: Path
    templates_dir: Path | None
    overlay_path: Path | None
    template: str
    cwd: Path = field(default_factory=Path.cwd)

    @property
    def team_fields(self) -> list[ExtraField]:
        """The record fields the team adds (none without a config file)."""
        return self.config.fields if self.config is not None else []

    @cached_property
    def catalog(self) -> Catalog:
        """The catalog as validated pydantic models, with the team's overlay merged in."""
        from adrgen.catalog.loading import load_catalog

        catalog = load_catalog(self.catalog_dir)
        if self.overlay_path is not None:
            from adrgen.catalog.overlay import apply_overlay

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
    config's own `templates:` must stay inside the team folder (see
    `team_config._field_problems`).
    """
    cwd = cwd or Path.cwd()
    if config is not None and not os.path.lexists(config):
        raise AdrgenError(f"{config}: no such config file")
    config_path = config or find_config(cwd)
    team = None
    if config_path is not None:
        from adrgen.config.team import load_config

        team = load_config(config_path)
    base = config_path.parent if config_path else cwd

    def configured(name: str) -> str | None:
        """The config file's setting, or None without a file."""
        return getattr(team, name) if team is not None else None

    def relative(value: str | None) -> Path | None:
        return (base / value) if value else None

    return Workspace(
        config_path=config_path,
        config=team,
        records_dir=records_dir or base / (configured("records") or DEFAULT_RECORDS),
        catalog_dir=catalog or relative(configured("catalog")) or resources.catalog_dir(),
        templates_dir=templates or relative(configured("templates")),
        overlay_path=overlay or relative(configured("overlay")),
        template=template or configured("template") or DEFAULT_TEMPLATE,
        cwd=cwd,
    )
