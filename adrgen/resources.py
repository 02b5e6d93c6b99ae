"""Where the shipped catalog and templates are: inside the wheel, or beside the source tree."""

from __future__ import annotations

import os
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


def user_cache_dir() -> Path | None:
    """Where adrgen keeps its caches, or None when ADRGEN_NO_CACHE turns them off.

    ADRGEN_CACHE_DIR moves it; otherwise it is adrgen/ in the XDG cache folder.
    """
    if os.environ.get("ADRGEN_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(os.environ.get("ADRGEN_CACHE_DIR") or os.path.join(base, "adrgen"))
