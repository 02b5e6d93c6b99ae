"""Read an answers file (YAML or JSON) into validated answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from adrgen.answers.model import Answers
from adrgen.errors import AdrgenError, ValidationProblems
from adrgen.files.safe_yaml import LineMap, load_file
from adrgen.validation import describe_errors

MAX_ANSWERS_BYTES = 256 * 1024


def load_answers_data(path: Path) -> tuple[dict[str, Any], LineMap]:
    """The raw mapping of an answers file (JSON is YAML too), with its line map."""
    data, lines = load_file(path, max_bytes=MAX_ANSWERS_BYTES)
    if data is None:
        raise AdrgenError(f"{path}: the answers file is empty")
    if not isinstance(data, dict):
        raise AdrgenError(f"{path}:1: expected a mapping of answers (title, context, facts, ...)")
    return data, lines


def validate_answers(data: dict[str, Any], source: object, lines: LineMap | None = None) -> Answers:
    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblems(describe_errors(exc, source, lines, model=Answers)) from None


def load_answers(path: Path) -> Answers:
    data, lines = load_answers_data(path)
    return validate_answers(data, path, lines)
