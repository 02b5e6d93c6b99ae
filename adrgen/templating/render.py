"""Render a record template in the sandbox: where templates are found, the environment
they run in, and one `file:line: problem` line for anything a template does wrong.

Templates are looked up in the team's template folder, then the built-in one; a team
template can `{% extends "madr.md.j2" %}` and override one `{% block %}`, and
`builtin/madr.md.j2` always means the shipped template (so a team `madr.md.j2` can extend
the one it replaces).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache

from adrgen import resources
from adrgen.errors import AdrgenError
from adrgen.files.reading import read_bytes
from adrgen.templating import escape as mdescape
from adrgen.templating.sandbox import (
    RecordEnvironment,
    RenderLimits,
    TemplateFolders,
    describe_failure,
    run_limited,
    within_limits,
)

TEMPLATE_SUFFIX = ".md.j2"


def plain(value: Any, where: str = "context") -> Any:
    """`value` if it is plain data all the way down; TypeError names the first thing that is not."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: key {key!r} is not text")
            out[key] = plain(item, f"{where}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [plain(item, f"{where}[{index}]") for index, item in enumerate(value)]
    raise TypeError(f"{where}: {type(value).__name__} is not plain data")


def template_folders(templates_dir: Path | None) -> list[Path]:
    """Where templates are looked up, in order: the team's folder, then the built-in one."""
    folders = [templates_dir] if templates_dir is not None else []
    return [*folders, resources.templates_dir()]


def template_file(name: str) -> str:
    """`madr` -> `madr.md.j2`; a name that already ends in `.j2` is a file name."""
    return name if name.endswith(".j2") else f"{name}{TEMPLATE_SUFFIX}"


def _display(path: str) -> str:
    """A template's path as the user best recognises it: relative to here when inside."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return path


def clause(text: object) -> str:
    """A sentence made to follow "because": `Keeps x.` -> `keeps x`; `SO_PEERCRED ...` stays."""
    value = str(text).strip().rstrip(".")
    first = value.split(" ", 1)[0]
    plain_word = len(first) > 1 and first[0].isupper() and first[1:].replace("-", "").islower()
    if first == "A" or plain_word:
        value = first[0].lower() + value[1:]
    return value


def and_join(items: Sequence[object]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    words = [str(item) for item in items]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def blockquote(text: object) -> str:
    """Markdown lines as a block quote: every line (blank ones too) starts with `>`."""
    return "\n".join(f"> {line}".rstrip() for line in str(text).split("\n"))


def _bytecode_cache(environment: RecordEnvironment) -> BytecodeCache | None:
    """Compiled templates kept like .pyc files: compiling the MADR template costs more than
    the rest of `adrgen new`. The sandbox's own code changes the generated code."""
    from adrgen.templating import sandbox
    from adrgen.templating.cache import compiled_templates_cache

    try:
        marker = hashlib.sha256(read_bytes(Path(sandbox.__file__))).hexdigest()[:16]
    except AdrgenError:
        return None
    return compiled_templates_cache(environment, "templates", (), marker)


def make_environment(folders: Sequence[Path], limits: RenderLimits) -> RecordEnvironment:
    loader = TemplateFolders(folders, resources.templates_dir())
    environment = RecordEnvironment(loader, limits)
    environment.bytecode_cache = _bytecode_cache(environment)
    environment.filters["md_inline"] = mdescape.inline
    environment.filters["md_block"] = mdescape.block
    environment.filters["clause"] = clause
    environment.filters["blockquote"] = blockquote
    environment.filters["and_join"] = and_join
    return environment


def render_template(
    name: str,
    context: dict[str, Any],
    folders: Sequence[Path],
    limits: RenderLimits | None = None,
) -> str:
    """The template's output for `context`, or one AdrgenError line: `file:line: problem`."""
    limits = limits or RenderLimits()
    environment = make_environment(folders, limits)
    loader: TemplateFolders = environment.loader  # type: ignore[assignment]
    file_name = template_file(name)
    fallback = f"template {name!r}"
    context = plain(context)
    try:
        fallback = _display(str(loader.locate(file_name)))
        with within_limits(limits):  # one clock for compiling and rendering
            template = environment.get_template(file_name)
            return run_limited(template, context, limits)
    except Exception as exc:  # anything a template does wrong is the template's error
        raise AdrgenError(
            describe_failure(exc, loader.served, fallback, limits, display=_display)
        ) from None
