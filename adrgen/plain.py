"""Plain objects for data that has already been validated, built without pydantic.

A catalog rebuilt from the catalog cache, and answers checked by `adrgen.answers_core`,
become these objects: attributes by name, and the same methods as the pydantic models
(from adrgen.catalog_logic), so the engine and the record renderer read either kind.
"""

from __future__ import annotations

from typing import Any

from adrgen.catalog_logic import (
    CatalogLookups,
    FactsPatternLogic,
    MechanismLogic,
    MechanismPatternLogic,
    SituationLogic,
)


class Plain:
    """Attributes given by name; equal when of the same class with equal attributes."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the models

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={value!r}" for name, value in vars(self).items())
        return f"{type(self).__name__}({values})"


class PlainCatalog(CatalogLookups, Plain):
    pass


class PlainMechanism(MechanismLogic, Plain):
    pass


class PlainSituation(SituationLogic, Plain):
    pass


class PlainFactsPattern(FactsPatternLogic, Plain):
    pass


class PlainMechanismPattern(MechanismPatternLogic, Plain):
    pass


# the catalog's models by name (as the cache tags them): those with methods get their class
CATALOG_CLASSES: dict[str, type[Plain]] = {
    "Catalog": PlainCatalog,
    "CatalogMeta": Plain,
    "StanceMeaning": Plain,
    "Guidance": Plain,
    "WhenIpcFits": Plain,
    "ToolingExample": Plain,
    "Mechanism": PlainMechanism,
    "Situation": PlainSituation,
    "FactsPattern": PlainFactsPattern,
    "ChecklistItem": Plain,
    "FailureMode": Plain,
    "Rule": Plain,
    "MechanismPattern": PlainMechanismPattern,
    "FactQuestion": Plain,
    "Choice": Plain,
}
