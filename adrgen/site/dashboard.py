"""What the home dashboard shows: counts, and the decisions that need someone's attention.

"Needs attention" names, for each record, one reason in one line:

- drift: a proposed or accepted adrgen record whose mechanism is now on hold, or whose
  saved answers now lead to another mechanism. This is `adrgen lint`'s drift check
  (adrgen.records.lint), run on those records only, so the site and lint always agree;
- a proposal older than `proposed_max_age` days;
- a supersede link written on one side only (the other record does not say so).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date as Date
from typing import TYPE_CHECKING

from adrgen.site.record_pages import INVERSE, RecordPage, RecordSource
from adrgen.vocabulary import Stance, Status

if TYPE_CHECKING:
    from adrgen.catalog.models import Catalog

# what lint checks again only for these records: adrgen's own that still hold
ACTIVE = (Status.proposed, Status.accepted)
# the order statuses are counted and grouped in: what stands first
STATUS_ORDER = (
    Status.accepted, Status.proposed, Status.deprecated, Status.superseded, Status.rejected
)  # fmt: skip
ONE_SIDED_KINDS = ("supersedes", "superseded-by")


@dataclass
class Attention:
    record: RecordPage
    kind: str  # on-hold | drift | old-proposal | one-sided
    why: str  # one line


def status_counts(records: list[RecordPage]) -> list[tuple[str, int]]:
    """(status, count), the usual statuses first, then others by count; no status last."""
    counts = Counter(record.status or "" for record in records)
    known = [(status, counts[status]) for status in STATUS_ORDER if counts[status]]
    others = sorted(
        ((s, n) for s, n in counts.items() if s not in STATUS_ORDER and s), key=lambda x: -x[1]
    )
    unknown = [("", counts[""])] if counts[""] else []
    return known + others + unknown


def needs_attention(
    records: list[RecordPage],
    sources: list[RecordSource],
    catalog: Catalog,
    proposed_max_age: int,
    today: Date,
) -> list[Attention]:
    """Every record that needs attention, most pressing first, then newest first."""
    found = _drift(records, sources, catalog)
    found += _old_proposals(records, proposed_max_age, today)
    found += _one_sided(records)
    order = {"on-hold": 0, "drift": 1, "one-sided": 2, "old-proposal": 3}
    position = {id(record): index for index, record in enumerate(records)}
    found.sort(key=lambda item: (order[item.kind], position[id(item.record)]))
    return found


def _drift(
    records: list[RecordPage], sources: list[RecordSource], catalog: Catalog
) -> list[Attention]:
    from adrgen.records.lint import Linter, is_adrgen_record

    found = []
    for source in sources:
        # lint's own check, on the records it would find drift in: active adrgen records
        pages = {
            str(record.info.path): record
            for record in records
            if record.source is source
            and record.info.lifecycle in ACTIVE
            and is_adrgen_record(record.info)
        }
        if not pages:
            continue
        linter = Linter(source.directory, catalog)
        for problem in linter.run([page.info for page in pages.values()]):
            record = pages.get(problem.file)
            if problem.check != "drift" or record is None:
                continue
            entry = record.mechanism_entry
            kind = "on-hold" if entry is not None and entry.stance is Stance.hold else "drift"
            found.append(Attention(record, kind, problem.message))
    return found


def _old_proposals(records: list[RecordPage], max_age: int, today: Date) -> list[Attention]:
    found = []
    for record in records:
        if record.info.lifecycle != Status.proposed or not record.date:
            continue
        try:
            age = (today - Date.fromisoformat(record.date)).days
        except ValueError:
            continue
        if age > max_age:
            found.append(
                Attention(
                    record,
                    "old-proposal",
                    f"proposed {age} days ago ({record.date}) and not decided yet",
                )
            )
    return found


def _one_sided(records: list[RecordPage]) -> list[Attention]:
    by_path = {record.path: record for record in records}
    found = []
    for record in records:
        for kind, path in sorted(record.written):
            other = by_path.get(path)
            if kind not in ONE_SIDED_KINDS or other is None:
                continue
            if (INVERSE[kind], record.path) in other.written:
                continue
            said = "supersedes" if kind == "supersedes" else "is superseded by"
            answer = "superseded by" if kind == "supersedes" else "supersedes"
            found.append(
                Attention(
                    record,
                    "one-sided",
                    f"{said} {other.label}, which does not say it is {answer} this one",
                )
            )
    return found
