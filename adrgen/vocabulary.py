"""adrgen's vocabularies, each defined once: the catalog's enums, record statuses and the
patterns of names that come from users (ids, template names, field names)."""

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


class Direction(StrEnum):
    one_way = "one-way"  # one side streams or sends; nothing comes back but flow control
    request_response = "request-response"  # one side asks, the other answers
    shared = "shared"  # both read and write the same data in place


class Launch(StrEnum):
    spawned = "spawned"  # one process starts the other and hands it the channel
    independent = "independent"  # each starts on its own; they find each other at run time


class NotifyFlow(StrEnum):
    command = "command"  # a supervisor, parent or operator tells the process to stop or reload
    report = "report"  # the process reports to its supervisor or parent: ready, stopping


class Outcome(StrEnum):
    ipc = "ipc"
    service_contract = "service-contract"


# every fact an answers file can state and the kind of its value, in the order the answers
# file, the models and every trace list them: the one place a new fact is declared. A fact
# added later keeps older answers files valid: the catalog's question for it says when it is
# asked and what an answers file that leaves it out stands for (its `default`).
FACT_TYPES: dict[str, type] = {
    "same_host": bool,
    "same_runtime": bool,
    "process_isolation": bool,
    "relationship": Relationship,
    "data_volume": Volume,
    "rpc_semantics": bool,
    "cross_team": bool,
    "notify_only": bool,
    "notify_flow": NotifyFlow,
    "notify_text": bool,
    "direction": Direction,
    "launch": Launch,
    "many_clients": bool,
    "passes_descriptors": bool,
}
FACT_NAMES: tuple[str, ...] = tuple(FACT_TYPES)
FactName = StrEnum("FactName", {name: name for name in FACT_NAMES})


class Status(StrEnum):
    """A decision record's lifecycle status, as adrgen writes it."""

    proposed = "proposed"
    accepted = "accepted"
    rejected = "rejected"
    deprecated = "deprecated"
    superseded = "superseded"


STATUSES: tuple[str, ...] = tuple(status.value for status in Status)

# names that come from users and files; each pattern is the whole name
# a catalog entry's id: `unix-sockets`, `one-machine`
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
# a template's file name without `.md.j2`: never a path
TEMPLATE_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$"
# a team's extra record field
FIELD_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,40}$"
