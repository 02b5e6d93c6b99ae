"""JSON Schema of each kind of catalog file, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, create_model

from adrgen.catalog.models import (
    Catalog,
    CatalogMeta,
    ChecklistItem,
    Conflict,
    FactQuestion,
    FailureMode,
    Mechanism,
    Rule,
    Situation,
)


def _file_of(key: str, model: type[BaseModel]) -> type[BaseModel]:
    """A model for a file holding one top-level list, e.g. `situations: [...]`."""
    return create_model(f"{model.__name__}File", **{key: (list[model], ...)})


_KINDS: dict[str, type[BaseModel]] = {
    "mechanism": Mechanism,
    "situations": _file_of("situations", Situation),
    "checklist": _file_of("checklist", ChecklistItem),
    "failure-modes": _file_of("failure_modes", FailureMode),
    "rules": _file_of("rules", Rule),
    "questions": _file_of("questions", FactQuestion),
    "conflicts": _file_of("conflicts", Conflict),
    "meta": CatalogMeta,
    "all": Catalog,
}


def schema_for(kind: str) -> dict[str, Any]:
    schema = _KINDS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
