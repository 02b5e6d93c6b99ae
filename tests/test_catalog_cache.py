from __future__ import annotations

import hashlib
import json
import typing
from enum import Enum
from pathlib import Path

import pytest
from pydantic import BaseModel

from adrgen import catalog_cache
from adrgen.answers import load_answers_data, validate_answers, validate_plain_answers
from adrgen.catalog import load_catalog, load_plain_catalog, validate_catalog
from adrgen.engine import recommend
from adrgen.errors import ValidationProblems
from adrgen.models import Catalog, Stance
from adrgen.plain import CATALOG_CLASSES, Plain, PlainCatalog
from adrgen.render import record_context
from adrgen.resources import user_cache_dir

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples" / "answers").glob("*.yaml"))


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
    assert catalog_cache.load_plain(catalog_copy) is None
    assert isinstance(load_plain_catalog(catalog_copy), Catalog)


# --- the plain catalog (no pydantic) that `recommend` and `new` read -------------------


def _as_data(value: object) -> object:
    """A catalog of either kind as nested dicts and lists, to compare the two kinds."""
    if isinstance(value, BaseModel):
        return {name: _as_data(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, Plain):
        return {name: _as_data(item) for name, item in vars(value).items()}
    if isinstance(value, list):
        return [_as_data(item) for item in value]
    if isinstance(value, Enum):
        return (type(value).__name__, value.value)
    return value


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own: other tests cache the same catalog."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ADRGEN_CACHE_DIR", str(folder))
    return folder


def _entry(directory: Path) -> Path:
    return user_cache_dir() / f"catalog-{catalog_cache.catalog_key(directory)}.json"


def test_a_plain_catalog_from_the_cache_holds_what_was_validated(
    catalog_copy: Path, own_cache: Path
) -> None:
    validated = validate_catalog(catalog_copy)
    assert catalog_cache.load_plain(catalog_copy) is None  # nothing cached yet
    assert load_plain_catalog(catalog_copy) == validated  # validated, then cached
    plain = catalog_cache.load_plain(catalog_copy)
    assert isinstance(plain, PlainCatalog)
    assert _as_data(plain) == _as_data(validated)
    assert plain.mechanism("remote-rpc").stance is Stance.hold
    assert plain.mechanism("remote-rpc").outcome is validated.mechanism("remote-rpc").outcome
    assert [r.when.describe() for r in plain.rules] == [r.when.describe() for r in validated.rules]
    assert isinstance(load_plain_catalog(catalog_copy), PlainCatalog)


def test_every_catalog_model_has_a_plain_class() -> None:
    def models_in(model: type[BaseModel]) -> set[str]:
        found = {model.__name__}
        for info in model.model_fields.values():
            for arg in (info.annotation, *typing.get_args(info.annotation)):
                for inner in (arg, *typing.get_args(arg)):
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        found |= models_in(inner)
        return found

    assert models_in(Catalog) == set(CATALOG_CLASSES)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_advice_and_records_are_the_same_from_either_kind(catalog_copy: Path, path: Path) -> None:
    validated = load_catalog(catalog_copy)
    plain = catalog_cache.load_plain(catalog_copy)
    assert isinstance(plain, PlainCatalog)
    data, lines = load_answers_data(path)
    model_answers = validate_answers(data, path, lines)
    plain_answers = validate_plain_answers(data, path, lines)
    advice = recommend(model_answers, validated)
    assert recommend(plain_answers, plain) == advice
    assert record_context(plain_answers, advice, plain, 7, "2026-11-25") == record_context(
        model_answers, advice, validated, 7, "2026-11-25"
    )


def test_an_edited_cache_entry_is_ignored_and_the_catalog_validated_again(
    catalog_copy: Path, own_cache: Path
) -> None:
    validated = load_catalog(catalog_copy)
    entry = _entry(catalog_copy)
    text = entry.read_text(encoding="utf-8")
    on_hold = '{"__enum__": "Stance", "value": "hold"}'
    assert on_hold in text
    entry.write_text(text.replace(on_hold, on_hold.replace("hold", "adopt")), encoding="utf-8")
    assert catalog_cache.load_plain(catalog_copy) is None
    assert catalog_cache.load(catalog_copy) is None
    again = load_plain_catalog(catalog_copy)
    assert again == validated  # validated afresh: the pydantic models
    assert again.mechanism("remote-rpc").stance is Stance.hold
    assert entry.read_text(encoding="utf-8") == text  # and cached afresh
    assert isinstance(load_plain_catalog(catalog_copy), PlainCatalog)


@pytest.mark.parametrize(
    "payload",
    [
        {"__model__": "Catalog", "meta": {"__model__": "Evil"}},
        {"__model__": "Catalog", "meta": {"__enum__": "Stance", "value": "maybe"}},
        {"__model__": "Catalog", "meta": {"__enum__": "Unknown", "value": "x"}},
        {"__model__": "Catalog", "meta": {"no": "tag"}},
        {"__model__": "Mechanism"},
        ["not", "a", "catalog"],
    ],
)
def test_an_intact_entry_that_is_not_a_catalog_is_ignored(
    catalog_copy: Path, own_cache: Path, payload: object
) -> None:
    validated = load_catalog(catalog_copy)
    text = json.dumps(payload)
    digest = hashlib.sha256(text.encode()).hexdigest()
    _entry(catalog_copy).write_text(f"{digest}\n{text}", encoding="utf-8")
    assert catalog_cache.load_plain(catalog_copy) is None
    assert catalog_cache.load(catalog_copy) is None
    assert load_plain_catalog(catalog_copy) == validated


def test_a_changed_model_misses_the_cache(catalog_copy: Path, monkeypatch) -> None:
    key = catalog_cache.catalog_key(catalog_copy)
    monkeypatch.setattr(catalog_cache, "SHAPE_SOURCES", ("models.py",))
    assert catalog_cache.catalog_key(catalog_copy) != key
