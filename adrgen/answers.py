"""Read an answers file (YAML or JSON) into validated answers.

`validate_answers` gives the pydantic model `models.Answers`; `validate_plain_answers` runs
the same checks with the same messages through pydantic-core alone (see answers_core), for
the commands that only read the answers and should start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic_core import ValidationError

from adrgen.errors import AdrgenError, ValidationProblems
from adrgen.validation import describe_errors
from adrgen.yamlsafe import LineMap, load_file

if TYPE_CHECKING:
    from adrgen.answers_core import PlainAnswers
    from adrgen.models import Answers

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
    from adrgen.models import Answers

    try:
        return Answers.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblems(describe_errors(exc, source, lines)) from None


def validate_plain_answers(
    data: dict[str, Any], source: object, lines: LineMap | None = None
) -> PlainAnswers:
    """What `validate_answers` checks and reports, as plain answers (no pydantic models)."""
    from adrgen.answers_core import validate_answers_data

    try:
        return validate_answers_data(data)
    except ValidationError as exc:
        raise ValidationProblems(describe_errors(exc, source, lines)) from None


def load_answers(path: Path) -> Answers:
    data, lines = load_answers_data(path)
    return validate_answers(data, path, lines)
