"""The lint checks: code, name, severity and what each finds, defined once.

Kept apart from the checks themselves so that reading a team's `.adrgen.yaml`, which may
select and ignore checks, needs none of what linting imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    severity: Literal["error", "warning"]
    summary: str
    default: bool = True  # run unless the team selects otherwise


CHECKS = (
    Check("ADR001", "duplicate-number", "error", "two records share a number"),
    Check("ADR002", "missing-number", "warning", "a gap in the numbering"),
    Check("ADR003", "number-clash", "error", "a new record's number is taken on a git ref"),
    Check("ADR004", "twin-files", "error", "two files whose names differ only in suffix or case"),
    Check("ADR005", "heading-number", "warning", "the heading's number is not the file's"),
    Check("ADR006", "duplicate-title", "warning", "two records share a title"),
    Check("ADR010", "unreadable", "error", "a record that cannot be fully read"),
    Check("ADR011", "broken-relation", "error", "a relation to a record that is not there"),
    Check("ADR012", "broken-link", "error", "a link to a markdown file that is not there"),
    Check(
        "ADR013",
        "missing-file",
        "warning",
        "a link to an image or attachment beside the records that is not there",
        default=False,
    ),
    Check("ADR014", "one-sided-supersede", "warning", "a supersede stated on one side only"),
    Check("ADR020", "unknown-status", "warning", "a status word adrgen does not know"),
    Check("ADR021", "no-status", "warning", "records without a status"),
    Check("ADR022", "no-successor", "warning", "superseded, with no record named as successor"),
    Check("ADR030", "front-matter", "error", "adrgen front matter that does not validate"),
    Check("ADR031", "unknown-mechanism", "error", "a mechanism the catalog no longer has"),
    Check("ADR032", "drift", "warning", "saved answers that now lead elsewhere, or to hold"),
)
BY_NAME = {check.name: check for check in CHECKS}
BY_CODE = {check.code: check for check in CHECKS}


def matches(selector: str, check: Check) -> bool:
    """Whether a selector (`ALL`, a code, a code prefix or a name) takes in a check."""
    return selector == "ALL" or selector == check.name or check.code.startswith(selector)


def known_selector(value: str) -> str | None:
    """A selector as adrgen compares it (codes in capitals), or None when it names no check."""
    selector = value.strip()
    upper = selector.upper()
    if upper == "ALL" or (upper.startswith("ADR") and any(c.startswith(upper) for c in BY_CODE)):
        return upper
    return selector if selector in BY_NAME else None


def unknown_selector(value: str) -> str:
    """What to say of a selector that names no check."""
    return (
        f"{value!r} is not a lint check; the checks are "
        f"{', '.join(f'{c.code} {c.name}' for c in CHECKS)}"
    )
