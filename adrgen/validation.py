"""Validating input files: the strict model base every input model uses, and pydantic's
errors turned into `file:line: field: problem` lines."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic_core import ValidationError

from adrgen.errors import excerpt, location
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


def _problem(error: dict[str, Any]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        expected = expected.replace("'", "").replace(" or ", ", ")
        return f"{excerpt(value)} is not one of {expected}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "").replace("'", "").replace(" or ", ", ")
        return f"{excerpt(value)} is not one of {expected}"
    if kind == "extra_forbidden":
        return "unknown key"
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
    exc: ValidationError, source: object, lines: LineMap | None, prefix: Sequence[Any] = ()
) -> list[str]:
    """One line per problem; union alternatives that fail the same field are reported once."""
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
        out.append(f"{location(source, line)}: {label}{_problem(error)}")
    return out
