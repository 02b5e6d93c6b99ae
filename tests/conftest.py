from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from adrgen import resources

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "adr-corpora"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalog, for tests that break it on purpose."""
    target = tmp_path / "catalog"
    shutil.copytree(resources.catalog_dir(), target)
    return target
