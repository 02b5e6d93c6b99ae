"""Where the shipped catalog and templates are: inside the wheel, or beside the source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "_data" / name  # a wheel carries them here (see pyproject.toml)
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name  # an editable install or a checkout


def catalog_dir() -> Path:
    return _shipped("catalog")


def templates_dir() -> Path:
    return _shipped("templates")
