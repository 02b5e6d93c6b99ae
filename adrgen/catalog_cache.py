"""A cache of the validated catalog, keyed by the hash of every catalog file.

Validating a catalog means building pydantic's validators for every catalog model, which
costs more than the rest of a command like `adrgen recommend`. A catalog whose files are
byte for byte the same as when it was last validated is rebuilt from the cache instead,
without validation: the key covers every catalog file, adrgen's version and the source of
its models, so a change to any of them misses the cache.

Each model is written with its name and each enum value with its type, so an entry reads
back as the pydantic models (`load`) or, without importing pydantic at all, as plain
objects (`load_plain`): that is what lets `adrgen recommend` and `adrgen new` start fast.

An entry starts with the SHA-256 of the rest of it. One that does not match (damaged, or
edited by hand), or that does not read back as catalog models, is ignored, and the catalog
is validated again. The cache is JSON, never pickle: nothing in it can run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adrgen import __version__
from adrgen.plain import CATALOG_CLASSES, PlainCatalog
from adrgen.resources import user_cache_dir
from adrgen.vocab import FactName, Isolation, Outcome, Relationship, Scope, Stance, Volume

if TYPE_CHECKING:
    from adrgen.models import Catalog

# the layout of an entry; a new layout must not read old entries
FORMAT = "tagged-2"
# the catalog's shape is defined here: a change to it must miss the cache too
SHAPE_SOURCES = ("models.py", "vocab.py")
MODEL_KEY = "__model__"
ENUM_KEY = "__enum__"
ENUMS: dict[str, type[Enum]] = {
    cls.__name__: cls for cls in (Stance, Scope, Isolation, Volume, Relationship, Outcome, FactName)
}


def catalog_key(directory: Path) -> str | None:
    """A hash of adrgen's version, its models' source and every catalog file's name and bytes."""
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}\0".encode())
    try:
        for name in SHAPE_SOURCES:
            digest.update(Path(__file__).with_name(name).read_bytes() + b"\0")
        files = sorted(p for p in directory.rglob("*.yaml") if p.is_file())
        for path in files:
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:32]


def _entry(directory: Path) -> Path | None:
    cache, key = user_cache_dir(), catalog_key(directory)
    if cache is None or key is None:
        return None
    return cache / f"catalog-{key}.json"


# --- writing ------------------------------------------------------------------------------


def _tagged(value: Any) -> Any:
    """JSON data for a validated catalog, each model and enum value named by its type."""
    from pydantic import BaseModel  # only a validated catalog is saved, so pydantic is loaded

    if isinstance(value, BaseModel):
        fields = {name: _tagged(getattr(value, name)) for name in type(value).model_fields}
        return {MODEL_KEY: type(value).__name__, **fields}
    if isinstance(value, Enum):
        return {ENUM_KEY: type(value).__name__, "value": value.value}
    if isinstance(value, list):
        return [_tagged(item) for item in value]
    return value


def save(directory: Path, catalog: Catalog) -> None:
    entry = _entry(directory)
    if entry is None:
        return
    text = json.dumps(_tagged(catalog), ensure_ascii=False)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with contextlib.suppress(OSError):
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".catalog-", dir=entry.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(f"{digest}\n{text}")
            os.replace(temp, entry)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)


# --- reading ------------------------------------------------------------------------------


def _read(directory: Path) -> Any:
    """The entry's data if it is there and intact, else None."""
    entry = _entry(directory)
    if entry is None:
        return None
    try:
        digest, _, text = entry.read_text(encoding="utf-8").partition("\n")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
            return None
        return json.loads(text)
    except (OSError, ValueError):
        return None


def _revive(value: Any, build: Callable[[str, dict[str, Any]], Any]) -> Any:
    """Models (made by `build`) and enum values back from `_tagged` data."""
    if isinstance(value, list):
        return [_revive(item, build) for item in value]
    if not isinstance(value, dict):
        return value
    if ENUM_KEY in value:
        return ENUMS[value[ENUM_KEY]](value["value"])
    fields = {name: _revive(item, build) for name, item in value.items() if name != MODEL_KEY}
    return build(value[MODEL_KEY], fields)


def _load(directory: Path, build: Callable[[str, dict[str, Any]], Any]) -> Any:
    data = _read(directory)
    if not isinstance(data, dict) or data.get(MODEL_KEY) != "Catalog":
        return None
    try:
        return _revive(data, build)
    except (KeyError, ValueError, TypeError, AttributeError):
        return None


def load(directory: Path) -> Catalog | None:
    """The cached catalog as pydantic models, or None."""
    from adrgen import models

    def build(name: str, fields: dict[str, Any]) -> Any:
        if name not in CATALOG_CLASSES:  # only the catalog's own models
            raise KeyError(name)
        return getattr(models, name).model_construct(**fields)

    return _load(directory, build)


def load_plain(directory: Path) -> PlainCatalog | None:
    """The cached catalog as plain objects (see adrgen.plain), without pydantic; or None."""
    return _load(directory, lambda name, fields: CATALOG_CLASSES[name](**fields))
