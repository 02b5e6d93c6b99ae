"""A record's body as its page shows it, beyond what adrgen.site.record_pages publishes:

- relations are shown once, in the page's Relations block: the lines that say them in the
  body's status section or above its first section (`Superseded by [3. X](0003-x.md)`, as
  adr-tools and `adrgen supersede` write them) are left out when the block links every
  record they link, and a status section left empty goes with them;
- the catalog entries a record cites (`situation:single-host-isolation`) link to the
  catalog's page for them;
- diagrams (mermaid fences) are kept out of the search index: their source is not text a
  reader searches for.

Code (fences and code spans) is never changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from adrgen.catalog.models import Catalog
from adrgen.records.parse import next_fence
from adrgen.site.inert_markdown import link_destinations
from adrgen.templating.escape import code_spans

# the words that open a relation line, as the record readers know them
RELATION_WORDS = (
    "supersedes", "superseded by", "amends", "amended by",
    "relates to", "related to", "clarifies", "clarified by",
)  # fmt: skip
_RELATION_LINE = re.compile(
    r"^\s{0,3}(?:[-*+]\s+)?(?:" + "|".join(RELATION_WORDS) + r")\b[^\n]*\]\(", re.IGNORECASE
)
_H2 = re.compile(r"^##\s")
_STATUS_H2 = re.compile(r"^##\s+status\s*#*\s*$", re.IGNORECASE)
_CITATION = re.compile(
    r"(?<![\w/:.-])(mechanism|situation|checklist|failure-mode|guidance|tooling):([a-z0-9][a-z0-9-]*)\b"
)
_MERMAID_OPEN = re.compile(r"^(\s{0,3})(`{3,}|~{3,})\s*mermaid\s*$")


def catalog_targets(catalog: Catalog) -> dict[str, str]:
    """`kind:id` -> the site path (and anchor) of what the catalog says about it."""
    targets = {f"mechanism:{m.id}": f"catalog/mechanisms/{m.id}.md" for m in catalog.mechanisms}
    targets.update(
        {f"situation:{s.id}": f"catalog/situations.md#{s.id}" for s in catalog.situations}
    )
    targets.update({f"checklist:{c.id}": f"catalog/checklist.md#{c.id}" for c in catalog.checklist})
    targets.update(
        {f"failure-mode:{f.id}": f"catalog/failure-modes.md#{f.id}" for f in catalog.failure_modes}
    )
    targets.update({f"guidance:{g.id}": f"catalog/index.md#{g.id}" for g in catalog.meta.guidance})
    targets.update(
        {
            f"tooling:{t.id}": f"catalog/index.md#tooling-{t.id}"
            for t in catalog.meta.tooling_examples
        }
    )
    return targets


def page_body(
    body: str, targets: dict[str, str], link: Callable[[str], str], related: set[str]
) -> str:
    """The body with relations left to the Relations block, citations linked, diagrams out
    of search. `link` turns a site path into a link from the record's page; `related` holds
    the links (as the body has them) that the Relations block shows."""
    lines = body.split("\n")
    out: list[str] = []
    fence: str | None = None
    preamble = True  # above the first `##` section
    status_at: int | None = None  # where the status section's heading is in `out`
    for line in lines:
        fence, is_marker = next_fence(line, fence)
        if is_marker:
            opening = fence is not None
            mermaid = _MERMAID_OPEN.match(line) if opening else None
            if mermaid:
                line = f'{mermaid.group(1)}{mermaid.group(2)} {{ .mermaid data-search-exclude="" }}'
            out.append(line)
            continue
        if fence:
            out.append(line)
            continue
        if _H2.match(line):
            preamble = False
            _drop_empty_section(out, status_at)
            status_at = len(out) if _STATUS_H2.match(line) else None
            out.append(line)
            continue
        if (preamble or status_at is not None) and _shown_in_block(line, related):
            continue
        if ":" in line and "](" not in line:
            line = _link_citations(line, targets, link)
        out.append(line)
    _drop_empty_section(out, status_at)
    return "\n".join(out)


def _shown_in_block(line: str, related: set[str]) -> bool:
    """A relation line whose every link the Relations block has."""
    if not _RELATION_LINE.match(line):
        return False
    destinations = link_destinations(line)
    return bool(destinations) and all(d.split("#")[0] in related for d in destinations)


def _drop_empty_section(out: list[str], heading_at: int | None) -> None:
    """A status section whose relation lines went, with nothing else in it, goes too."""
    if heading_at is None or any(line.strip() for line in out[heading_at + 1 :]):
        return
    del out[heading_at:]


def _link_citations(line: str, targets: dict[str, str], link: Callable[[str], str]) -> str:
    if _CITATION.search(line) is None:  # most lines cite nothing
        return line

    def replace(match: re.Match[str]) -> str:
        target = targets.get(match.group(0))
        return f"[{match.group(0)}]({link(target)})" if target else match.group(0)

    return "".join(
        piece if is_code else _CITATION.sub(replace, piece) for is_code, piece in code_spans(line)
    )
