"""A cache of the validated catalog, keyed by the hash of every catalog file.

Reading a catalog folder means parsing a dozen YAML files with their line maps, which costs
more than the rest of a command like `adrgen recommend`. A folder whose files are byte for
byte the same as when it was last validated is read from the cache instead: the key covers
every catalog file, adrgen's version and the source of its models, so a change to any of
them misses the cache.

An entry is checked like any input (the catalog models validate it again and its references
are resolved, which is cheap next to parsing YAML); one that fails is ignored and the folder
read afresh.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from adrgen import __version__
from adrgen.errors import AdrgenError
from adrgen.files.cache import read_entry, write_entry
from adrgen.files.reading import read_bytes

if TYPE_CHECKING:
    from adrgen.catalog.models import Catalog

# the layout of an entry; a new layout must not read old entries
FORMAT = "json-3"
# the catalog's shape is defined here: a change to it must miss the cache too
SHAPE_SOURCES = (
    Path(__file__).with_name("models.py"),
    Path(__file__).parents[1] / "vocabulary.py",
)


def catalog_key(directory: Path) -> str | None:
    """A hash of adrgen's version, its models' source and every catalog file's name and bytes."""
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}\0".encode())
    try:
        for source in SHAPE_SOURCES:
            digest.update(read_bytes(source) + b"\0")
        files = sorted(p for p in directory.rglob("*.yaml") if p.is_file())
        for path in files:
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0")
            digest.update(read_bytes(path) + b"\0")
    except (OSError, AdrgenError):
        return None  # validating the folder will say what is wrong with it
    return digest.hexdigest()[:32]


def _entry_name(directory: Path) -> str | None:
    key = catalog_key(directory)
    return None if key is None else f"catalog-{key}.json"


def save(directory: Path, catalog: Catalog) -> None:
    name = _entry_name(directory)
    if name is not None:
        write_entry(name, catalog.model_dump(mode="json"))


def load(directory: Path) -> Catalog | None:
    """The cached catalog, validated, or None."""
    from pydantic import ValidationError

    from adrgen.catalog.models import Catalog

    name = _entry_name(directory)
    data = read_entry(name) if name is not None else None
    if not isinstance(data, dict):
        return None
    from adrgen.catalog.loading import reference_problems

    try:
        catalog = Catalog.model_validate(data)
    except ValidationError:
        return None
    return None if reference_problems(catalog) else catalog
