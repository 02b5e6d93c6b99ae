"""Read decision records, whichever tool wrote them.

Understands adrgen's own records (YAML front matter), MADR 2/3/4 (with or without front
matter, `- Status:` bullets), Nygard / adr-tools (`# N. Title`, `Date:`, `## Status`) and
log4brains (date-prefixed file names). A record that cannot be fully understood is still
returned, with its problems listed, so listing, linting and publishing never stop at it.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from adrgen.errors import AdrgenError
from adrgen.files.reading import read_text
from adrgen.files.safe_yaml import parse_text
from adrgen.records.names import (  # noqa: F401 (also importable from here, as before)
    NOT_RECORDS,
    RECORD_SUFFIXES,
    highest_number,
    is_record_name,
    number_of,
)

MAX_RECORD_BYTES = 1024 * 1024

_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_H2 = re.compile(r"^##\s+(.+?)\s*#*\s*$")
_NUMBERED_TITLE = re.compile(r"^(\d+)\.\s+(.*)$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->")
_BULLET_FIELD = re.compile(r"^\s*[-*]\s+([A-Za-z][A-Za-z -]*?)\s*:\s*(.*)$")
_LINE_FIELD = re.compile(r"^(Date|Status)\s*:\s*(.+)$", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# lines of a status section that link records, as adr-tools writes them
_RELATION = re.compile(
    r"^(supersedes|superseded by|amends|amended by|relates to|related to|clarifies|clarified by)\b",
    re.IGNORECASE,
)
_RELATION_KIND = {
    "supersedes": "supersedes",
    "superseded by": "superseded-by",
    "amends": "amends",
    "amended by": "amended-by",
    "relates to": "relates",
    "related to": "relates",
    "clarifies": "relates",
    "clarified by": "relates",
}


@dataclass
class Link:
    kind: str  # supersedes | superseded-by | amends | amended-by | relates
    target: str  # a record's number, id (file stem) or file name, as written


@dataclass
class RecordInfo:
    path: Path
    id: str  # the file name without its suffix: unique within a folder
    number: int | None
    title: str
    status: str | None = None  # lower case, links removed: "accepted", "superseded", ...
    status_text: str | None = None  # as written
    date: str | None = None
    deciders: list[str] = field(default_factory=list)
    mechanism: str | None = None
    outcome: str | None = None
    tags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    front_matter: dict[str, Any] = field(default_factory=dict)
    format: str = "markdown"  # adrgen | madr | madr2 | nygard | markdown
    problems: list[str] = field(default_factory=list)
    heading_number: int | None = None  # the N of an adr-tools `# N. Title`
    body_links: list[str] = field(default_factory=list)  # relative links to other .md files

    @property
    def file_name(self) -> str:
        return self.path.name

    def targets(self, kind: str) -> list[str]:
        return [link.target for link in self.links if link.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.path.name,
            "number": self.number,
            "title": self.title,
            "status": self.status,
            "date": self.date,
            "deciders": self.deciders,
            "mechanism": self.mechanism,
            "outcome": self.outcome,
            "tags": self.tags,
            "links": [{"kind": link.kind, "target": link.target} for link in self.links],
            "format": self.format,
            "problems": self.problems,
        }


def record_paths(directory: Path) -> list[Path]:
    """Record files in a folder (not recursive), by name; what is not a regular file is skipped."""
    if not directory.is_dir():
        raise AdrgenError(f"{directory}: record folder not found")
    found = []
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.name.startswith(".") or not is_record_name(entry.name):
                continue
            found.append(Path(entry.path))
    return sorted(found, key=lambda p: (number_of(p.name) is None, number_of(p.name) or 0, p.name))


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, number of lines before the body)."""
    if not text.startswith("---"):
        return None, text, 0
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 1
    return None, text, 0


def next_fence(line: str, fence: str | None) -> tuple[str | None, bool]:
    """The code fence open after `line`, and whether `line` opens or closes one.

    A fence opened with backticks closes only with backticks (and tildes with tildes), so
    a record's code examples never end early.
    """
    match = _FENCE.match(line)
    if not match:
        return fence, False
    marker = match.group(1)
    if fence is None:
        return marker[0] * 3, True
    if marker.startswith(fence):
        return None, True
    return fence, False  # a different marker inside a fence is code


def _clean(text: str) -> str:
    return " ".join(_COMMENT.sub("", text).split())


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _status_word(text: str) -> str:
    """`Superseded by [X](x.md)` -> `superseded`; `on hold` stays `on hold`."""
    plain = _LINK.sub(lambda m: m.group(1), text)
    plain = _clean(plain).strip(" .").lower()
    plain = re.split(r"\s+by\b|[,;(]", plain)[0].strip()
    return plain


def _scan_body(body: str) -> dict[str, Any]:
    """Title, heading number, bullet fields and the status section, outside code fences."""
    found: dict[str, Any] = {"fields": {}, "status_lines": [], "md_links": []}
    fence: str | None = None
    section: str | None = None
    seen_h2 = False
    for raw in body.split("\n"):
        line = raw.rstrip()
        fence, is_marker = next_fence(line, fence)
        if is_marker or fence:
            continue
        if "](" in line:
            found["md_links"] += [t for _, t in _LINK.findall(line) if _is_local_md(t)]
        h1 = _H1.match(line)
        if h1 and not line.startswith("##"):
            if "title" not in found:
                found["title"] = _clean(h1.group(1))
            section = None
            continue
        h2 = _H2.match(line)
        if h2:
            seen_h2 = True
            section = _clean(h2.group(1)).lower()
            continue
        if section == "status":
            if line.strip():
                found["status_lines"].append(line.strip())
            continue
        if not seen_h2:
            bullet = _BULLET_FIELD.match(line)
            if bullet:
                found["fields"].setdefault(bullet.group(1).strip().lower(), bullet.group(2).strip())
                continue
            plain = _LINE_FIELD.match(line.strip())
            if plain:
                found["fields"].setdefault(plain.group(1).lower(), plain.group(2).strip())
    return found


def _is_local_md(target: str) -> bool:
    path = target.split("#", 1)[0]
    return path.lower().endswith(".md") and ":" not in path and not path.startswith("/")


def _links_from(text: str) -> list[Link]:
    links = []
    relation = _RELATION.match(text)
    if relation:
        kind = _RELATION_KIND[relation.group(1).lower()]
        links += [Link(kind, target) for _, target in _LINK.findall(text)]
    return links


def _links_from_front_matter(meta: dict[str, Any]) -> list[Link]:
    links = [Link("supersedes", str(t)) for t in _as_list(meta.get("supersedes"))]
    links += [Link("superseded-by", str(t)) for t in _as_list(meta.get("superseded_by"))]
    for entry in meta.get("links") or []:
        if isinstance(entry, dict) and entry.get("target") is not None:
            links.append(Link(str(entry.get("kind") or "relates"), str(entry["target"])))
    return links


def parse_record(path: Path, text: str | None = None) -> RecordInfo:
    """Understand one record file; problems are listed on the result, never raised."""
    record = RecordInfo(path=path, id=path.stem, number=number_of(path.name), title=path.stem)
    if text is None:
        try:
            text = read_text(path, max_bytes=MAX_RECORD_BYTES)
        except AdrgenError as exc:
            record.problems.append(exc.message)
            return record
    front_text, body, body_offset = split_front_matter(text)
    meta: dict[str, Any] = {}
    if front_text is not None:
        try:
            data, _ = parse_text(front_text, path, line_offset=1)
        except AdrgenError as exc:
            record.problems.append(f"front matter: {exc.message}")
            data = None
        if isinstance(data, dict):
            meta = data
        elif data is not None:
            record.problems.append(f"{path}:2: front matter is not a mapping")
    record.front_matter = meta

    scanned = _scan_body(body)
    fields = scanned["fields"]
    title = meta.get("title") if isinstance(meta.get("title"), str) else None
    heading = scanned.get("title")
    if heading:
        numbered = _NUMBERED_TITLE.match(heading)
        if numbered:
            record.heading_number = int(numbered.group(1))
            heading = numbered.group(2)
    record.title = _clean(title or heading or "") or path.stem
    if not (title or heading):
        record.problems.append(f"{path}: no title (no `# Title` heading or front-matter title)")

    status_text = meta.get("status")
    if status_text is not None and not isinstance(status_text, str):
        status_text = str(status_text)
    if status_text is None and scanned["status_lines"]:
        status_text = scanned["status_lines"][0]
    if status_text is None and "status" in fields:
        status_text = fields["status"]
    if status_text:
        record.status_text = _clean(status_text)
        record.status = _status_word(status_text) or None

    date = meta.get("date") or fields.get("date")
    if date is not None:
        match = _DATE.search(str(date))
        record.date = match.group(0) if match else None

    record.deciders = _as_list(
        meta.get("deciders") or meta.get("decision-makers") or fields.get("deciders")
    )
    record.mechanism = meta.get("mechanism") if isinstance(meta.get("mechanism"), str) else None
    record.outcome = meta.get("outcome") if isinstance(meta.get("outcome"), str) else None
    record.tags = _as_list(meta.get("tags"))
    if isinstance(meta.get("number"), int) and record.number is None:
        record.number = meta["number"]

    links = _links_from_front_matter(meta)
    for line in [*scanned["status_lines"], *([fields["status"]] if "status" in fields else [])]:
        links += _links_from(line)
    if record.status_text and not scanned["status_lines"]:
        links += _links_from(record.status_text)
    unique: list[Link] = []
    for link in links:
        if all((link.kind, link.target) != (u.kind, u.target) for u in unique):
            unique.append(link)
    record.links = unique
    record.body_links = scanned["md_links"]

    if "mechanism" in meta and ("facts" in meta or "answers" in meta):
        record.format = "adrgen"
    elif scanned["status_lines"] and record.heading_number is not None:
        record.format = "nygard"
    elif "status" in fields:
        record.format = "madr2"
    elif "## context and problem statement" in body.lower():
        record.format = "madr"
    elif scanned["status_lines"]:
        record.format = "nygard"
    return record


def _unreadable(path: Path, problem: str) -> RecordInfo:
    record = RecordInfo(path=path, id=path.stem, number=number_of(path.name), title=path.stem)
    record.problems.append(problem)
    return record


def record_to_cache(record: RecordInfo) -> dict[str, Any]:
    data = asdict(record)
    data["path"] = record.path.name
    return data


def record_from_cache(directory: Path, data: dict[str, Any]) -> RecordInfo:
    fields = dict(data)
    fields["path"] = directory / data["path"]
    fields["links"] = [Link(**link) for link in data["links"]]
    return RecordInfo(**fields)


def scan_records(directory: Path) -> list[RecordInfo]:
    """Every record in a folder, each parsed on its own: a broken file becomes a problem.

    Files unchanged since the last scan come from the record cache instead of being parsed.
    """
    from adrgen.records import cache as record_cache

    cached = record_cache.load(directory)
    fresh: dict[str, Any] = {}
    records = []
    for path in record_paths(directory):
        try:
            mode = path.lstat()
        except OSError as exc:
            records.append(_unreadable(path, f"{path}: cannot read: {exc.strerror}"))
            continue
        if stat.S_ISLNK(mode.st_mode):
            records.append(_unreadable(path, f"{path}: is a symbolic link; not followed"))
            continue
        if not stat.S_ISREG(mode.st_mode):
            records.append(_unreadable(path, f"{path}: not a regular file"))
            continue
        key = record_cache.stat_key(mode)
        entry = cached.get(path.name)
        if entry and entry.get("stat") == key:
            try:
                records.append(record_from_cache(directory, entry["record"]))
                fresh[path.name] = entry
                continue
            except (KeyError, TypeError):
                pass  # a damaged entry: parse the file again
        record = parse_record(path)
        records.append(record)
        fresh[path.name] = {"stat": key, "record": record_to_cache(record)}
    if fresh != cached:
        record_cache.save(directory, fresh)
    return records
