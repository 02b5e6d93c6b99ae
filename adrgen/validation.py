"""Validating input files: the strict model base every input model uses, and pydantic's
errors turned into `file:line: field: problem` lines."""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic_core import ValidationError

from adrgen.errors import did_you_mean, excerpt, location
from adrgen.files.safe_yaml import LineMap


class Strict(BaseModel):
    """A model of something a person wrote: unknown keys are refused."""

    # validators are built on first use, so a command builds only those it needs
    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False, defer_build=True)


# a key from the file is named in a message only when it looks like a name: the lines of a
# file given by mistake (`user:$6$salt$hash:...`) are not printed back as "unknown keys"
_NAME_LIKE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,59}")
NOT_A_NAME = "(a key that is not a name)"


def _field(loc: Sequence[Any]) -> str:
    # pydantic adds the union member's type name ("list[...]", "str") to the location; drop it
    parts = [p for p in loc if not (isinstance(p, str) and ("[" in p or p in _TYPE_NAMES))]
    shown = [str(p) if isinstance(p, int) or _NAME_LIKE.fullmatch(p) else NOT_A_NAME for p in parts]
    return ".".join(shown)


_TYPE_NAMES = {
    "str",
    "int",
    "bool",
    "float",
    "dict",
    "list",
    "none",
    "function-after",
    "constrained-str",
}


def _keys_at(model: Any, data_path: Sequence[Any]) -> list[str]:
    """The keys a mapping at `data_path` may hold, by walking `model`'s fields; [] if unknown."""
    current: Any = model
    for part in data_path:
        current = _inner(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) in (list, dict, tuple):
            current = typing.get_args(current)[-1]
        else:
            return []
    current = _inner(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner(annotation: Any) -> Any:
    """The model or container inside Optional, Annotated and union annotations."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            containers = [
                a
                for a in options
                if (isinstance(a, type) and issubclass(a, BaseModel))
                or typing.get_origin(a) in (list, dict, tuple)
            ]
            annotation = (containers or options)[0]
        else:
            return annotation


def _expected(error: dict[str, Any]) -> list[str]:
    expected = error.get("ctx", {}).get("expected", "")
    return [part.strip().strip("'") for part in expected.replace(" or ", ", ").split(",")]


def _problem(error: dict[str, Any], keys: list[str] | None = None) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind in ("enum", "literal_error"):
        expected = _expected(error)
        hint = did_you_mean(value, expected) if isinstance(value, str) else ""
        return f"{excerpt(value)} is not one of {', '.join(expected)}{hint}"
    if kind == "extra_forbidden":
        return "unknown key" + did_you_mean(error["loc"][-1], keys or [])
    if kind == "missing":
        return "required key is missing"
    if kind == "string_pattern_mismatch":
        return f"{excerpt(value)} is not a valid identifier (lower-case letters, digits and dashes)"
    if kind in ("bool_type", "bool_parsing"):
        return f"{excerpt(value)} is not true or false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{excerpt(value)} is not a whole number"
    if kind in ("string_type",):
        return f"expected text, got {type(value).__name__} {excerpt(value)}"
    if kind in ("string_too_long", "too_long") and isinstance(value, str):
        limit = error.get("ctx", {}).get("max_length")
        return f"{len(value)} characters, over the limit of {limit}"
    if kind in ("list_type",):
        return f"expected a list, got {type(value).__name__}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping, got {type(value).__name__}"
    return error["msg"][:1].lower() + error["msg"][1:]


def describe_errors(
    exc: ValidationError,
    source: object,
    lines: LineMap | None,
    prefix: Sequence[Any] = (),
    model: type[BaseModel] | None = None,
) -> list[str]:
    """One line per problem; union alternatives that fail the same field are reported once.
    With the `model` that was validated, an unknown key is matched against the known ones."""
    out: list[str] = []
    seen: set[str] = set()
    for error in exc.errors():
        loc = tuple(error["loc"])
        data_path = tuple(
            p for p in loc if not (isinstance(p, str) and ("[" in p or p in _TYPE_NAMES))
        )
        field = _field(loc)
        if field in seen:
            continue
        seen.add(field)
        line = lines.line_of((*prefix, *data_path)) if lines else None
        label = f"{field}: " if field else ""
        keys = _keys_at(model, data_path[:-1]) if model is not None else None
        out.append(f"{location(source, line)}: {label}{_problem(error, keys)}")
    return out
