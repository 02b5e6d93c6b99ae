"""A cache of the validated catalog, keyed by the hash of every catalog file.

Validating the catalog means building pydantic's validators for every catalog model, which
costs more than the rest of a command like `adrgen recommend`. A catalog whose files are
byte for byte the same as when it was last validated is rebuilt from plain JSON instead,
without validation (the data was valid when written, and any change to a file changes the
key). The cache is JSON, never pickle: nothing in it can run. Problems with it are ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import types
import typing
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from adrgen import __version__
from adrgen.models import Catalog
from adrgen.resources import user_cache_dir


def catalog_key(directory: Path) -> str | None:
    """A hash of adrgen's version and every catalog file's name and bytes."""
    digest = hashlib.sha256(__version__.encode())
    try:
        files = sorted(p for p in directory.rglob("*.yaml") if p.is_file())
        for path in files:
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()[:32]


def _construct(annotation: Any, value: Any) -> Any:
    """Rebuild a value of `annotation` from JSON data, without validation."""
    if value is None:
        return None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if isinstance(value, list):
            listed = [a for a in options if typing.get_origin(a) is list]
            return _construct(listed[0], value) if listed else value
        if isinstance(value, dict):
            models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
            return _construct(models[0], value) if models else value
        scalars = [a for a in options if isinstance(a, type) and issubclass(a, Enum)]
        return _construct(scalars[0], value) if scalars else value
    if origin is list:
        (item,) = typing.get_args(annotation) or (Any,)
        return [_construct(item, v) for v in value]
    if origin is typing.Annotated:
        return _construct(typing.get_args(annotation)[0], value)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = {
            name: _construct(info.annotation, value[name])
            for name, info in annotation.model_fields.items()
            if name in value
        }
        return annotation.model_construct(**fields)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation(value)
    return value


def load(directory: Path) -> Catalog | None:
    cache, key = user_cache_dir(), catalog_key(directory)
    if cache is None or key is None:
        return None
    try:
        data = json.loads((cache / f"catalog-{key}.json").read_text(encoding="utf-8"))
        return _construct(Catalog, data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def save(directory: Path, catalog: Catalog) -> None:
    cache, key = user_cache_dir(), catalog_key(directory)
    if cache is None or key is None:
        return
    with contextlib.suppress(OSError):
        cache.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".catalog-", dir=cache)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(catalog.model_dump(mode="json"), out)
            os.replace(temp, cache / f"catalog-{key}.json")
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
