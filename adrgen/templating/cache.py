"""Compiled jinja2 templates kept in the user's cache folder, as Python keeps .pyc files.

Compiling a template costs more than rendering it once, and every adrgen command and site
build starts afresh. Jinja checks each template's source against its cached code before
using it; the folder's name covers what else changes the generated code: the versions of
jinja and of the packages the templates come from, the environment's class and settings.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

from adrgen import resources
from adrgen.errors import AdrgenError
from adrgen.files.reading import read_bytes

# a compiled template is a few times its source at most; the largest source is 256 KiB
MAX_ENTRY_BYTES = 16 * 1024 * 1024


class CappedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """jinja's cache of compiled templates, reading each entry like any other file: a
    regular file only, capped (an entry that is a FIFO or a device is a miss)."""

    def load_bytecode(self, bucket: Bucket) -> None:
        path = Path(self.directory) / (self.pattern % (bucket.key,))
        try:
            data = read_bytes(path, max_bytes=MAX_ENTRY_BYTES)
        except AdrgenError:
            return  # missing or not a file: compiled afresh
        bucket.load_bytecode(io.BytesIO(data))


def _versions(packages: tuple[str, ...]) -> list[str]:
    if not packages:
        return []
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in packages:
        try:
            found.append(version(package))
        except PackageNotFoundError:
            found.append("")
    return found


def compiled_templates_cache(
    env: Any, label: str, packages: tuple[str, ...] = (), *marks: str
) -> Any:
    """A bytecode cache for `env`, or None when caches are off or the folder cannot be made.

    `packages` name where the templates come from; `marks` stand for anything else that
    changes the generated code (the sandbox's own code, say).
    """
    base = resources.user_cache_dir()
    if base is None:
        return None
    settings = (
        jinja2.__version__,
        *_versions(packages),
        *marks,
        f"{type(env).__module__}.{type(env).__qualname__}",
        getattr(env, "code_generator_class", None).__qualname__,
        sorted(env.extensions),
        env.autoescape if isinstance(env.autoescape, bool) else "callable",
        env.finalize is None,
        env.trim_blocks,
        env.lstrip_blocks,
        env.keep_trailing_newline,
        env.newline_sequence,
        env.block_start_string,
        env.variable_start_string,
        env.comment_start_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.optimized,
    )
    marker = hashlib.sha256(repr(settings).encode()).hexdigest()[:16]
    folder = base / f"{label}-{marker}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return CappedBytecodeCache(str(folder))
