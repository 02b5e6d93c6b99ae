"""adrgen's vocabularies, each defined once: the catalog's enums, record statuses and the
patterns of names that come from users (ids, template names, field names)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


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


# every fact an answers file can state and the kind of its value, in the order the answers
# file, the models and every trace list them: the one place a new fact is declared
FACT_TYPES: dict[str, type] = {
    "same_host": bool,
    "same_runtime": bool,
    "process_isolation": bool,
    "relationship": Relationship,
    "data_volume": Volume,
    "rpc_semantics": bool,
    "cross_team": bool,
    "notify_only": bool,
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
# the lifecycle: where each status may go next
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "proposed": ("accepted", "rejected", "superseded"),
    "accepted": ("deprecated", "superseded"),
    "rejected": ("proposed",),
    "deprecated": ("superseded",),
    "superseded": (),
}

# names that come from users and files; each pattern is the whole name
# a catalog entry's id: `unix-sockets`, `one-machine`
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
# a template's file name without `.md.j2`: never a path
TEMPLATE_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$"
# a team's extra record field
FIELD_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,40}$"


# the lint checks: a team's `.adrgen.yaml` selects and ignores them, `adrgen lint` runs them
@dataclass(frozen=True)
class LintCheck:
    """One lint check: selected and ignored by code, code prefix or name."""

    code: str
    name: str
    severity: Literal["error", "warning"]
    summary: str
    default: bool = True  # run unless the team selects otherwise


LINT_CHECKS = (
    LintCheck("ADR001", "duplicate-number", "error", "two records share a number"),
    LintCheck("ADR002", "missing-number", "warning", "a gap in the numbering"),
    LintCheck("ADR003", "number-clash", "error", "a new record's number is taken on a git ref"),
    LintCheck(
        "ADR004", "twin-files", "error", "two files whose names differ only in suffix or case"
    ),
    LintCheck("ADR005", "heading-number", "warning", "the heading's number is not the file's"),
    LintCheck("ADR006", "duplicate-title", "warning", "two records share a title"),
    LintCheck("ADR010", "unreadable", "error", "a record that cannot be fully read"),
    LintCheck("ADR011", "broken-relation", "error", "a relation to a record that is not there"),
    LintCheck("ADR012", "broken-link", "error", "a link to a markdown file that is not there"),
    LintCheck(
        "ADR013",
        "missing-file",
        "warning",
        "a link to an image or attachment beside the records that is not there",
        default=False,
    ),
    LintCheck("ADR014", "one-sided-supersede", "warning", "a supersede stated on one side only"),
    LintCheck("ADR020", "unknown-status", "warning", "a status word adrgen does not know"),
    LintCheck("ADR021", "no-status", "warning", "records without a status"),
    LintCheck("ADR022", "no-successor", "warning", "superseded, with no record named as successor"),
    LintCheck("ADR030", "front-matter", "error", "adrgen front matter that does not validate"),
    LintCheck("ADR031", "unknown-mechanism", "error", "a mechanism the catalog no longer has"),
    LintCheck("ADR032", "drift", "warning", "saved answers that now lead elsewhere, or to hold"),
    LintCheck(
        "ADR033",
        "unjustified-override",
        "error",
        "another mechanism than the recommendation, without a sentence saying why",
    ),
)
LINT_BY_NAME = {check.name: check for check in LINT_CHECKS}
LINT_BY_CODE = {check.code: check for check in LINT_CHECKS}


def lint_selects(selector: str, check: LintCheck) -> bool:
    """Whether a selector (`ALL`, a code, a code prefix or a name) takes in a check."""
    return selector == "ALL" or selector == check.name or check.code.startswith(selector)


def lint_selector(value: str) -> str | None:
    """A selector as adrgen compares it (codes in capitals), or None when it names no check."""
    selector = value.strip()
    upper = selector.upper()
    if upper == "ALL" or (
        upper.startswith("ADR") and any(c.startswith(upper) for c in LINT_BY_CODE)
    ):
        return upper
    return selector if selector in LINT_BY_NAME else None


def unknown_lint_selector(value: str) -> str:
    """What to say of a selector that names no check."""
    return (
        f"{value!r} is not a lint check; the checks are "
        f"{', '.join(f'{c.code} {c.name}' for c in LINT_CHECKS)}"
    )
