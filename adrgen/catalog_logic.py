"""What catalog entries do (match facts, describe conditions, look entries up), apart from
what they hold.

Both the validated pydantic models (adrgen.models) and the plain objects rebuilt from the
catalog cache (adrgen.plain) take these methods, so the engine works on either. The methods
read attributes only.
"""

from __future__ import annotations

from typing import Any

from adrgen.vocab import FACT_NAMES, Outcome, Scope


class FactsPatternLogic:
    """A condition over facts: every named fact must equal the value (or one of the values)."""

    def conditions(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FACT_NAMES if getattr(self, name) is not None}

    def matches(self, facts: Any) -> bool:
        for name, wanted in self.conditions().items():
            have = getattr(facts, name)
            if have is None:
                return False
            if isinstance(wanted, list):
                if have not in wanted:
                    return False
            elif have != wanted:
                return False
        return True

    def describe(self) -> str:
        parts = []
        for name, wanted in self.conditions().items():
            value = "|".join(str(v) for v in wanted) if isinstance(wanted, list) else wanted
            parts.append(f"{name}={str(value).lower() if isinstance(value, bool) else value}")
        return ", ".join(parts) or "always"


def any_matches(patterns: list[Any] | None, facts: Any) -> bool:
    """An any-of condition: true when one pattern matches (and when there is no condition)."""
    return patterns is None or any(pattern.matches(facts) for pattern in patterns)


class MechanismLogic:
    @property
    def outcome(self) -> Outcome:
        return Outcome.service_contract if self.scope is Scope.cross_host else Outcome.ipc


class SituationLogic:
    def applies(self, facts: Any) -> bool:
        return any_matches(self.when, facts)


class MechanismPatternLogic:
    """What a rule asks of a mechanism; fact-relative tests read the answers."""

    def matches(self, mechanism: Any, facts: Any) -> bool:
        if self.scope is not None and mechanism.scope not in self.scope:
            return False
        if self.isolation is not None and mechanism.isolation not in self.isolation:
            return False
        if self.rpc_semantics is not None and mechanism.rpc_semantics != self.rpc_semantics:
            return False
        if self.carries_payload is not None and mechanism.carries_payload != self.carries_payload:
            return False
        if self.handles_data_volume is not None and facts.data_volume is not None:
            handles = mechanism.max_data_volume.rank >= facts.data_volume.rank
            if handles != self.handles_data_volume:
                return False
        if self.fits_relationship is not None and facts.relationship is not None:
            fits = facts.relationship in mechanism.relationships
            if fits != self.fits_relationship:
                return False
        return True


class CatalogLookups:
    def mechanism(self, mechanism_id: str) -> Any:
        return next((m for m in self.mechanisms if m.id == mechanism_id), None)

    def situation(self, situation_id: str) -> Any:
        return next((s for s in self.situations if s.id == situation_id), None)

    def failure_mode(self, failure_mode_id: str) -> Any:
        return next((f for f in self.failure_modes if f.id == failure_mode_id), None)

    def checklist_item(self, item_id: str) -> Any:
        return next((c for c in self.checklist if c.id == item_id), None)
