"""Data shared by many tests: a CLI talking to a local daemon (the catalog says unix-sockets),
and the sections a MADR 4 record has, in order."""

from __future__ import annotations

CLI_TO_DAEMON = {
    "same_host": True,
    "same_runtime": False,
    "process_isolation": True,
    "relationship": "client-daemon",
    "data_volume": "low",
    "rpc_semantics": False,
    "cross_team": False,
    "notify_only": False,
}


# what the interview also asks of a CLI and its daemon, beyond the original eight facts
DAEMON_ASKED = {**CLI_TO_DAEMON, "direction": "request-response", "passes_descriptors": False}


def facts(**values: object) -> dict:
    """CLI_TO_DAEMON with some facts changed."""
    return {**CLI_TO_DAEMON, **values}


MADR_SECTIONS = [
    "## Context and Problem Statement",
    "## Decision Drivers",
    "## Considered Options",
    "## Decision Outcome",
    "### Consequences",
    "### Confirmation",
    "## Pros and Cons of the Options",
    "## More Information",
]
