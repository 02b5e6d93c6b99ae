from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from adrgen import resources

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "adr-corpora"


def write_records(folder: Path, records: dict[str, str]) -> Path:
    """A record folder holding `records` ({file name: text}), made if need be."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in records.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True, scope="session")
def _private_record_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the record cache of test runs out of the user's cache folder."""
    os.environ["ADRGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("record-cache"))


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for a module's browser tests (see tests/sitebrowser.py)."""
    from tests.sitebrowser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalog, for tests that break it on purpose."""
    target = tmp_path / "catalog"
    shutil.copytree(resources.catalog_dir(), target)
    return target
