"""Safe YAML for files other people wrote: plain data only, with the line of every value.

PyYAML's own loaders expand aliases (alias bombs), honour tags, recurse on deep nesting and
read YAML 1.1 (`NO` is false, `12:30` is 750). Here the libyaml event stream is folded into
plain Python data by a loop, so:

- tags other than the standard ones, and aliases, are refused;
- nesting deeper than MAX_DEPTH and files larger than a limit are refused;
- duplicate keys are refused;
- plain scalars follow a strict subset of YAML 1.2: only `true`/`false`, `null`/`~`,
  decimal integers without leading zeros and decimals with a dot are typed; anything
  else (`no`, `on`, `12:30`, `0777`, `1e5`, dates) stays the string the user wrote.

Every value's line is kept in a `LineMap` keyed by its path, so validation errors can say
`file:line`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from adrgen.errors import AdrgenError, excerpt, location
from adrgen.files.reading import MAX_BYTES, read_text

# libyaml is bundled with PyYAML wheels; only its event parser is used, never a constructor
_EventSource = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

MAX_DEPTH = 64

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?[0-9]+\.[0-9]+$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}
_ALLOWED_TAGS |= {"!"}  # the non-specific tag of a quoted scalar

Path_ = tuple[Any, ...]


@dataclass
class LineMap:
    """Line (1-based) of each value and key, by path, e.g. ("mechanisms", 0, "stance")."""

    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def resolve_plain(value: str) -> Any:
    """The Python value of an unquoted scalar under the strict rules above."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def _explicit(tag: str, value: str, where: str) -> Any:
    kind = tag.removeprefix(_STD)
    try:
        if kind == "str":
            return value
        if kind == "int":
            return int(value, 0)
        if kind == "float":
            return float(value)
        if kind == "bool":
            return {"true": True, "false": False}[value.lower()]
        if kind == "null":
            return None
    except (ValueError, KeyError):
        pass
    raise AdrgenError(f"{where}: {excerpt(value)} is not a valid !!{kind}")


def parse_text(
    text: str, source: object = "<input>", *, line_offset: int = 0
) -> tuple[Any, LineMap]:
    """Parse one YAML document into plain data and its line map, or raise AdrgenError."""
    lines = LineMap()
    stack: list[tuple[Any, Path_, list[Any]]] = []  # (container, path, [pending key, key line])
    root: Any = None
    have_root = False

    def where(mark: Any) -> str:
        return location(source, mark.line + 1 + line_offset if mark else None)

    def place(value: Any, mark: Any) -> Path_ | None:
        nonlocal root, have_root
        line = mark.line + 1 + line_offset
        if not stack:
            if have_root:
                raise AdrgenError(f"{where(mark)}: only one YAML document is allowed here")
            root, have_root = value, True
            lines.lines[()] = line
            return ()
        container, path, pending = stack[-1]
        if isinstance(container, list):
            child = (*path, len(container))
            container.append(value)
            lines.lines[child] = line
            return child
        if pending[0] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise AdrgenError(f"{where(mark)}: a mapping key must be a plain value")
            if value in container:
                raise AdrgenError(f"{where(mark)}: duplicate key {excerpt(value)}")
            pending[0], pending[1] = value, line
            return None
        key = pending[0]
        child = (*path, key)
        container[key] = value
        lines.lines[child] = pending[1]  # errors about a value point at its key's line
        pending[0] = _NO_KEY
        return child

    loader = _EventSource(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            mark = event.start_mark
            if isinstance(event, yaml.AliasEvent):
                anchor = excerpt(event.anchor, quoted=False)
                raise AdrgenError(f"{where(mark)}: YAML aliases (*{anchor}) are not allowed")
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _ALLOWED_TAGS:
                raise AdrgenError(
                    f"{where(mark)}: YAML tag {excerpt(tag, quoted=False)} is not allowed"
                )
            if isinstance(event, yaml.ScalarEvent):
                if tag and tag != "!":
                    value = _explicit(tag, event.value, where(mark))
                elif event.implicit[0]:
                    value = resolve_plain(event.value)
                else:
                    value = event.value
                place(value, mark)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise AdrgenError(f"{where(mark)}: nesting deeper than {MAX_DEPTH} levels")
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                path = place(container, mark)
                if path is None:
                    raise AdrgenError(f"{where(mark)}: a mapping key must be a plain value")
                stack.append((container, path, [_NO_KEY, None]))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise AdrgenError(f"{where(mark)}: invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise AdrgenError(f"{location(source, None)}: invalid YAML: {exc}") from None
    return root, lines


class _NoKey:
    def __repr__(self) -> str:  # pragma: no cover
        return "<no key>"


_NO_KEY = _NoKey()


def load_file(path: Path, *, max_bytes: int = MAX_BYTES) -> tuple[Any, LineMap]:
    """Read and parse a YAML file: plain data and its line map, or a one-line AdrgenError."""
    return parse_text(read_text(path, max_bytes=max_bytes), path)


class _Dumper(yaml.SafeDumper):
    """Quotes every string that any YAML reader (1.1 or our strict 1.2 subset) might type."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if resolve_plain(value) is not value and not isinstance(resolve_plain(value), str):
        style = '"'
    elif "\n" in value:
        style = "|" if _block_safe(value) else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _block_safe(value: str) -> bool:
    # literal blocks cannot hold trailing spaces on lines or leading blank/indented first lines
    return not any(line != line.rstrip() for line in value.split("\n")) and not value[:1].isspace()


_Dumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """YAML text for plain data that parse_text reads back to the same values."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
