from __future__ import annotations

from pathlib import Path

import pytest

from adrgen import catalog_cache
from adrgen.catalog import load_catalog, validate_catalog
from adrgen.errors import ValidationProblems
from adrgen.models import Stance
from adrgen.resources import user_cache_dir


def test_a_cached_catalog_equals_the_validated_one(catalog_copy: Path) -> None:
    validated = validate_catalog(catalog_copy)
    load_catalog(catalog_copy)  # fills the cache
    cached = catalog_cache.load(catalog_copy)
    assert cached is not None
    assert cached == validated
    assert cached.mechanism("remote-rpc").stance is Stance.hold
    assert load_catalog(catalog_copy) == validated


def test_an_edit_after_caching_is_validated_again(catalog_copy: Path) -> None:
    load_catalog(catalog_copy)
    path = catalog_copy / "mechanisms" / "pipes.yaml"
    path.write_text(path.read_text().replace("stance: adopt", "stance: maybe"))
    with pytest.raises(ValidationProblems, match="stance: 'maybe'"):
        load_catalog(catalog_copy)


def test_a_damaged_cache_entry_is_ignored(catalog_copy: Path) -> None:
    validated = load_catalog(catalog_copy)
    key = catalog_cache.catalog_key(catalog_copy)
    entry = user_cache_dir() / f"catalog-{key}.json"
    entry.write_text('{"meta": 3}')
    assert load_catalog(catalog_copy) == validated
    entry.write_text("not json")
    assert load_catalog(catalog_copy) == validated


def test_no_cache_when_turned_off(catalog_copy: Path, monkeypatch) -> None:
    monkeypatch.setenv("ADRGEN_NO_CACHE", "1")
    load_catalog(catalog_copy)
    assert catalog_cache.load(catalog_copy) is None
