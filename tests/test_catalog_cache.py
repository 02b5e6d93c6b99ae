from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from adrgen.catalog import cache as catalog_cache
from adrgen.catalog.loading import load_catalog, validate_catalog
from adrgen.errors import ValidationProblems
from adrgen.resources import user_cache_dir
from adrgen.vocabulary import Stance


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own: other tests cache the same catalog."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ADRGEN_CACHE_DIR", str(folder))
    return folder


def _entry(directory: Path) -> Path:
    return user_cache_dir() / f"catalog-{catalog_cache.catalog_key(directory)}.json"


def _write_entry(directory: Path, payload: object) -> None:
    text = json.dumps(payload)
    digest = hashlib.sha256(text.encode()).hexdigest()
    _entry(directory).write_text(f"{digest}\n{text}", encoding="utf-8")


def test_a_cached_catalog_equals_the_validated_one(catalog_copy: Path, own_cache: Path) -> None:
    validated = validate_catalog(catalog_copy)
    assert catalog_cache.load(catalog_copy) is None  # nothing cached yet
    load_catalog(catalog_copy)  # fills the cache
    cached = catalog_cache.load(catalog_copy)
    assert cached == validated
    assert cached.mechanism("remote-rpc").stance is Stance.hold
    assert load_catalog(catalog_copy) == validated


def test_an_edit_after_caching_is_validated_again(catalog_copy: Path, own_cache: Path) -> None:
    load_catalog(catalog_copy)
    path = catalog_copy / "mechanisms" / "pipes.yaml"
    path.write_text(path.read_text().replace("stance: adopt", "stance: maybe"))
    with pytest.raises(ValidationProblems, match="stance: 'maybe'"):
        load_catalog(catalog_copy)


def test_a_damaged_cache_entry_is_ignored(catalog_copy: Path, own_cache: Path) -> None:
    validated = load_catalog(catalog_copy)
    entry = _entry(catalog_copy)
    entry.write_text('{"meta": 3}')
    assert load_catalog(catalog_copy) == validated
    entry.write_text("not json")
    assert load_catalog(catalog_copy) == validated


def test_no_cache_when_turned_off(catalog_copy: Path, monkeypatch) -> None:
    monkeypatch.setenv("ADRGEN_NO_CACHE", "1")
    load_catalog(catalog_copy)
    assert catalog_cache.load(catalog_copy) is None


def test_an_edited_cache_entry_is_ignored_and_the_catalog_validated_again(
    catalog_copy: Path, own_cache: Path
) -> None:
    validated = load_catalog(catalog_copy)
    entry = _entry(catalog_copy)
    text = entry.read_text(encoding="utf-8")
    assert '"stance": "hold"' in text
    entry.write_text(text.replace('"stance": "hold"', '"stance": "adopt"'), encoding="utf-8")
    assert catalog_cache.load(catalog_copy) is None  # the checksum no longer matches
    again = load_catalog(catalog_copy)
    assert again == validated
    assert again.mechanism("remote-rpc").stance is Stance.hold
    assert entry.read_text(encoding="utf-8") == text  # and cached afresh


def test_a_forged_entry_is_validated_like_any_input(catalog_copy: Path, own_cache: Path) -> None:
    """Whoever can write the cache folder can also write a matching checksum."""
    validated = load_catalog(catalog_copy)
    data = validated.model_dump(mode="json")
    data["mechanisms"][0]["stance"] = "maybe"
    _write_entry(catalog_copy, data)
    assert catalog_cache.load(catalog_copy) is None
    assert load_catalog(catalog_copy) == validated


def test_a_forged_entry_with_broken_references_is_ignored(
    catalog_copy: Path, own_cache: Path
) -> None:
    validated = load_catalog(catalog_copy)
    data = validated.model_dump(mode="json")
    data["situations"][0]["accepts"] = ["no-such-mechanism"]
    _write_entry(catalog_copy, data)
    assert catalog_cache.load(catalog_copy) is None
    assert load_catalog(catalog_copy) == validated


@pytest.mark.parametrize(
    "payload",
    [
        {"meta": {"name": "x"}},
        {"mechanisms": "not a list"},
        ["not", "a", "catalog"],
        "text",
        None,
    ],
)
def test_an_intact_entry_that_is_not_a_catalog_is_ignored(
    catalog_copy: Path, own_cache: Path, payload: object
) -> None:
    validated = load_catalog(catalog_copy)
    _write_entry(catalog_copy, payload)
    assert catalog_cache.load(catalog_copy) is None
    assert load_catalog(catalog_copy) == validated


def test_a_changed_model_misses_the_cache(catalog_copy: Path, monkeypatch, tmp_path) -> None:
    key = catalog_cache.catalog_key(catalog_copy)
    changed = tmp_path / "models.py"
    changed.write_text("# another shape\n")
    monkeypatch.setattr(catalog_cache, "SHAPE_SOURCES", (changed,))
    assert catalog_cache.catalog_key(catalog_copy) != key
