"""The answers file checked by pydantic-core alone, for the commands that start often.

`adrgen recommend` and `adrgen new --no-input` should start about as fast as Python can
import their libraries. Importing pydantic's model machinery and building the validator of
`models.Answers` cost more than the rest of either command, while pydantic-core, which does
pydantic's validating, is cheap to import. So the answers' rules are also written here as a
core schema, built from the same validators pydantic builds for `models.Answers`: the same
error types and messages, so `describe_errors` reports the same `file:line: field: problem`
lines. tests/test_answers_core.py checks both agree, problem for problem, on generated input.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic_core import PydanticKnownError, SchemaSerializer, SchemaValidator
from pydantic_core import core_schema as cs

from adrgen.cleantext import clean_text, one_line
from adrgen.plain import Plain
from adrgen.vocab import FACT_NAMES, Relationship, Volume

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
TEMPLATE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$"
FIELD_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,40}$"
STATUSES = ["proposed", "accepted", "rejected", "deprecated", "superseded"]


class PlainFacts(Plain):
    """The facts of an answers file (or completed by the engine), as validated."""


class PlainAnswers(Plain):
    """An answers file as validated: the attributes of `models.Answers`."""

    def json_data(self) -> dict[str, Any]:
        """The answers as validated, JSON-ready, as a record's front matter keeps them."""
        data = dict(vars(self))
        data["facts"] = fact_values(self.facts)
        return _answers_serializer().to_python(data, mode="json")


def fact_values(facts: Any) -> dict[str, Any]:
    """Every fact by name, from validated facts of either kind (plain or pydantic)."""
    return {name: getattr(facts, name) for name in FACT_NAMES}


# --- the schema: what pydantic builds for models.Facts and models.Answers ---------------


def _too_short_below(min_length: int) -> Any:
    def check(value: Any) -> Any:
        if len(value) < min_length:
            raise PydanticKnownError(
                "too_short",
                {"field_type": "Value", "min_length": min_length, "actual_length": len(value)},
            )
        return value

    return check


def _too_long_above(max_length: int) -> Any:
    def check(value: Any) -> Any:
        if len(value) > max_length:
            raise PydanticKnownError(
                "too_long",
                {"field_type": "Value", "max_length": max_length, "actual_length": len(value)},
            )
        return value

    return check


def _one_line_text(min_length: int, max_length: int) -> cs.CoreSchema:
    """`Annotated[OneLine, StringConstraints(min_length, max_length)]`: cleaned, then measured."""
    text = cs.no_info_before_validator_function(one_line, cs.str_schema())
    text = cs.no_info_after_validator_function(_too_short_below(min_length), text)
    return cs.no_info_after_validator_function(_too_long_above(max_length), text)


def _text() -> cs.CoreSchema:
    return cs.no_info_before_validator_function(clean_text, cs.str_schema())


def _enum(cls: Any) -> cs.CoreSchema:
    return cs.enum_schema(cls, list(cls.__members__.values()), sub_type="str")


def _optional(schema: cs.CoreSchema) -> cs.TypedDictField:
    return cs.typed_dict_field(cs.with_default_schema(cs.nullable_schema(schema), default=None))


def _with_default(schema: cs.CoreSchema, default: Any) -> cs.TypedDictField:
    return cs.typed_dict_field(cs.with_default_schema(schema, default=default))


def _facts_mapping(value: Any) -> Any:
    # a model field refuses what is not a mapping with this error, naming the model
    if not isinstance(value, dict):
        raise PydanticKnownError("model_type", {"class_name": "Facts"})
    return value


def _facts_schema() -> cs.CoreSchema:
    kinds = {"relationship": _enum(Relationship), "data_volume": _enum(Volume)}
    return cs.typed_dict_schema(
        {name: _optional(kinds.get(name, cs.bool_schema())) for name in FACT_NAMES},
        cls_name="Facts",
        extra_behavior="forbid",
    )


def _answers_schema() -> cs.CoreSchema:
    return cs.typed_dict_schema(
        {
            "title": cs.typed_dict_field(_one_line_text(1, 300)),
            "context": _with_default(_text(), ""),
            "deciders": _with_default(cs.list_schema(_one_line_text(1, 200)), []),
            "facts": _with_default(
                cs.no_info_before_validator_function(_facts_mapping, _facts_schema()),
                dict.fromkeys(FACT_NAMES),
            ),
            "choice": _optional(cs.str_schema(pattern=ID_PATTERN)),
            "justification": _optional(_text()),
            "status": _optional(cs.literal_schema(STATUSES)),
            "template": _optional(cs.str_schema(pattern=TEMPLATE_PATTERN)),
            "fields": _with_default(
                cs.dict_schema(cs.str_schema(pattern=FIELD_NAME_PATTERN), cs.any_schema()), {}
            ),
        },
        cls_name="Answers",
        extra_behavior="forbid",
    )


@cache
def _facts_validator() -> SchemaValidator:
    return SchemaValidator(_facts_schema())


@cache
def _answers_validator() -> SchemaValidator:
    return SchemaValidator(_answers_schema())


@cache
def _answers_serializer() -> SchemaSerializer:
    return SchemaSerializer(_answers_schema())


def validate_facts(values: Any) -> PlainFacts:
    """Facts from a mapping, converted and checked as `models.Facts` would (ValidationError)."""
    return PlainFacts(**_facts_validator().validate_python(values))


def validate_answers_data(data: Any) -> PlainAnswers:
    """Answers from an answers file's mapping, checked as `models.Answers` would be.

    Raises pydantic's ValidationError (pydantic-core's own class) with the same errors.
    """
    values = _answers_validator().validate_python(data)
    values["facts"] = PlainFacts(**values["facts"])
    return PlainAnswers(**values)
