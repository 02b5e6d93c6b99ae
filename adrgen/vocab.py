"""The catalog's vocabularies: plain enums, importable without pydantic."""

from __future__ import annotations

from enum import StrEnum


class RankedEnum(StrEnum):
    """Values listed from first to last: `rank` is the place of one among them."""

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)


class Stance(RankedEnum):
    adopt = "adopt"
    trial = "trial"
    assess = "assess"
    hold = "hold"


class Scope(StrEnum):
    in_process = "in-process"
    same_host = "same-host"
    cross_host = "cross-host"


class Isolation(StrEnum):
    none = "none"  # one address space: a crash takes every peer down
    shared = "shared"  # separate processes that share writable memory
    process = "process"  # separate processes that share nothing but messages


class Volume(RankedEnum):
    low = "low"
    moderate = "moderate"
    high = "high"


class Relationship(StrEnum):
    parent_child = "parent-child"
    pipeline = "pipeline"
    client_daemon = "client-daemon"
    plugin_host = "plugin-host"
    sidecar = "sidecar"
    os_service = "os-service"
    peers = "peers"


class Outcome(StrEnum):
    ipc = "ipc"
    service_contract = "service-contract"


class FactName(StrEnum):
    same_host = "same_host"
    same_runtime = "same_runtime"
    process_isolation = "process_isolation"
    relationship = "relationship"
    data_volume = "data_volume"
    rpc_semantics = "rpc_semantics"
    cross_team = "cross_team"
    notify_only = "notify_only"


# the facts in the order the answers file, the models and every trace list them
FACT_NAMES: tuple[str, ...] = tuple(name.value for name in FactName)
