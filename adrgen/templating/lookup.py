"""Which record template a name means: the team's folder first, then the built-in ones.

A template's name is its file name without `.md.j2` (`madr` is `madr.md.j2`). Names come
from users and config files, so they are never paths: a name cannot reach outside the
template folders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from adrgen import resources
from adrgen.config.workspace import Workspace
from adrgen.errors import AdrgenError, did_you_mean
from adrgen.vocabulary import TEMPLATE_NAME_PATTERN

SUFFIX = ".md.j2"
_NAME = re.compile(TEMPLATE_NAME_PATTERN)

Source = Literal["team", "built-in"]


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    source: Source
    path: Path
    wins: bool  # the lookup picks this one for `name` (a team template shadows a built-in)


def check_name(name: str) -> str:
    """`name` if it is a template name, else an AdrgenError saying why."""
    if "/" in name or "\\" in name or ".." in name or not _NAME.match(name):
        raise AdrgenError(
            f"template {name!r}: a template name is a file name without {SUFFIX} "
            "(letters, digits, '.', '_' and '-'), not a path"
        )
    return name


def builtin_dir() -> Path:
    return resources.templates_dir()


def _templates_in(folder: Path | None) -> dict[str, Path]:
    if folder is None or not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        name = path.name.removesuffix(SUFFIX)
        if path.is_file() and _NAME.match(name) and ".." not in name:
            found[name] = path
    return found


def list_templates(ws: Workspace) -> list[TemplateInfo]:
    """Every template by name; under one name the team's comes first, as the lookup tries it."""
    team = _templates_in(ws.templates_dir)
    builtin = _templates_in(builtin_dir())
    infos = []
    for name in sorted(team.keys() | builtin.keys()):
        if name in team:
            infos.append(TemplateInfo(name, "team", team[name], wins=True))
        if name in builtin:
            infos.append(TemplateInfo(name, "built-in", builtin[name], wins=name not in team))
    return infos


def builtin_names() -> list[str]:
    return sorted(_templates_in(builtin_dir()))


def known_names(ws: Workspace) -> list[str]:
    return sorted({info.name for info in list_templates(ws)})


def find_template(ws: Workspace, name: str) -> Path:
    """The file the template `name` means for this workspace: team folder, then built-in."""
    check_name(name)
    for folder in (ws.templates_dir, builtin_dir()):
        if folder is None:
            continue
        candidate = folder / f"{name}{SUFFIX}"
        if candidate.is_file():
            _check_inside(candidate, folder)
            return candidate
    names = known_names(ws)
    known = ", ".join(names) or "none"
    raise AdrgenError(f"template {name!r} not found{did_you_mean(name, names)} (known: {known})")


def _check_inside(candidate: Path, folder: Path) -> None:
    # a symlink in the team folder must not point a template name at an arbitrary file
    if not candidate.resolve().is_relative_to(folder.resolve()):
        raise AdrgenError(f"{candidate}: template points outside {folder}; refusing to use it")
