"""The answers file's model: the public contract of `adrgen new --answers` and `recommend`.

    title: CLI talks to the local build daemon
    context: free text, the problem in the team's words
    deciders: [ana, bo]
    facts: {same_host: true, relationship: client-daemon, ...}
    choice: null          # a mechanism id instead of the recommendation
    justification: null  # required when choice differs from the recommendation
    allow_conflicts: false  # set aside answers the catalog says conflict, and say so

The facts are declared once, in `adrgen.vocabulary.FACT_TYPES`; `Facts` is made from them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, StringConstraints, create_model

from adrgen.files.cleaning import clean_text, one_line
from adrgen.validation import Strict
from adrgen.vocabulary import (
    FACT_NAMES,
    FACT_TYPES,
    FIELD_NAME_PATTERN,
    ID_PATTERN,
    STATUSES,
    TEMPLATE_NAME_PATTERN,
)

OneLine = Annotated[str, BeforeValidator(one_line)]
Text = Annotated[str, BeforeValidator(clean_text)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


class FactValues(Strict):
    """Methods of `Facts`; its fields come from the vocabulary."""

    def values(self) -> dict[str, Any]:
        """Every fact by name, in the vocabulary's order (None where unanswered)."""
        return {name: getattr(self, name) for name in FACT_NAMES}

    def json_values(self) -> dict[str, Any]:
        """`values()` with enum members as their plain values."""
        return {name: getattr(value, "value", value) for name, value in self.values().items()}


Facts = create_model(
    "Facts",
    __base__=FactValues,
    __doc__="What the team knows about its design: the answers file's `facts`.",
    **{name: (kind | None, None) for name, kind in FACT_TYPES.items()},
)


class Answers(Strict):
    """The answers file, as validated."""

    title: Annotated[OneLine, StringConstraints(min_length=1, max_length=300)]
    context: Text = ""
    deciders: list[Annotated[OneLine, StringConstraints(min_length=1, max_length=200)]] = []
    facts: Facts = Facts()
    choice: Id | None = None
    justification: Text | None = None
    # answers the catalog declares in conflict are set aside (and the advice says which)
    # rather than refused; `--allow-conflicts` sets it
    allow_conflicts: bool = False
    status: Literal[STATUSES] | None = None  # type: ignore[valid-type]
    template: Annotated[str, StringConstraints(pattern=TEMPLATE_NAME_PATTERN)] | None = None
    fields: dict[Annotated[str, StringConstraints(pattern=FIELD_NAME_PATTERN)], Any] = {}

    def json_data(self) -> dict[str, Any]:
        """The answers as validated, JSON-ready, as a record's front matter keeps them."""
        return self.model_dump(mode="json", exclude_none=False)
