"""Decision records prepared for the site: where each page goes, its body, its links.

Several teams' record folders can be published together, so every folder gets a short
name and its records live under `decisions/<name>/`, keeping their file names: links that
records make to each other (`0015-dns-infrastructure.md`) then resolve as written. What a
record links to beside it (images, attachments) is published at the same relative place;
a link to a file that is missing, or outside the record folder, becomes plain text and a
note on the page, so one broken link never breaks the build.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from adrgen.catalog.models import Catalog, Mechanism
from adrgen.errors import AdrgenError
from adrgen.files.reading import read_bytes, read_text
from adrgen.records.parse import (
    MAX_RECORD_BYTES,
    RecordInfo,
    is_record_name,
    next_fence,
    scan_records,
    split_front_matter,
)
from adrgen.site.record_budget import over_budget, plain_text
from adrgen.templating.escape import css_class
from adrgen.templating.escape import inline as text

DECISIONS = "decisions"
# files published beside records as they are: none of these types can run script on the site
SAFE_ATTACHMENTS = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico", ".pdf", ".txt", ".csv",
     ".log", ".json"}
)  # fmt: skip
MAX_INLINE_IMAGE_BYTES = 512 * 1024
# names of generated pages under decisions/ that a folder name must not shadow
RESERVED_NAMES = {
    "index", "graph", "tags", "log", "assets", "by-mechanism", "by-tag", "dashboard", "attention"
}  # fmt: skip

_H1 = re.compile(r"^#\s+\S")
# not after a backslash: `\[x](y)` is text that only looks like a link, and stays as written
_INLINE_LINK = re.compile(
    r"(?<!\\)(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\((?P<lt><?)(?P<dest>[^()\s<>]+(?:\([^()\s]*\)[^()\s<>]*)*)>?(?P<title>\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_REFERENCE_DEF = re.compile(r"^(?P<lead>\s{0,3}\[[^\]]+\]:\s*)<?(?P<dest>[^\s>]+)>?(?P<rest>.*)$")
_BACKTICKS = re.compile(r"`+")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_LINK_TEXT = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_DIGITS = re.compile(r"^\D*(\d+)$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NEEDS_BRACKETS = re.compile(r"[\s()<>]")

INVERSE = {
    "supersedes": "superseded-by",
    "superseded-by": "supersedes",
    "amends": "amended-by",
    "amended-by": "amends",
    "relates": "relates",
}
RELATION_LABELS = {
    "supersedes": "Supersedes",
    "superseded-by": "Superseded by",
    "amends": "Amends",
    "amended-by": "Amended by",
    "relates": "Relates to",
}


@dataclass
class RecordSource:
    """One record folder and the name its pages are published under."""

    name: str
    directory: Path
    records: list[RecordInfo] = field(default_factory=list)
    team: str | None = None  # the name the folder is shown by, when one is configured

    @property
    def title(self) -> str:
        return self.team or self.name


@dataclass
class Target:
    """A record another record links to: a page when it is published, else just its text."""

    title: str
    path: str | None = None


@dataclass
class RelationGroup:
    label: str
    targets: list[Target]


@dataclass
class RecordPage:
    """A record as the site shows it."""

    info: RecordInfo
    source: RecordSource
    path: str  # the page's path in the site, e.g. decisions/team-a/0012-foo.md
    mechanism_entry: Mechanism | None = None
    mechanism_path: str | None = None
    control_entry: Mechanism | None = None  # a combined design's control channel
    body: str = ""
    relation_groups: list[RelationGroup] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the page could not publish
    # the links this record itself writes that lead to a published record: (kind, its path)
    written: set[tuple[str, str]] = field(default_factory=set)

    # --- what templates read ---------------------------------------------------------
    @property
    def title(self) -> str:
        return self.info.title

    @property
    def number(self) -> int | None:
        return self.info.number

    @property
    def number_text(self) -> str:
        return "" if self.info.number is None else f"{self.info.number:04d}"

    @property
    def label(self) -> str:
        return f"{self.number_text} {self.title}".strip()

    @property
    def status(self) -> str | None:
        return self.info.status

    @property
    def status_text(self) -> str | None:
        return self.info.status_text

    @property
    def status_note(self) -> str | None:
        """The status as written, when it says more than its first word (`on hold until Q3`);
        links in it (`Superseded by [X](x.md)`) are shown as relations instead."""
        written = _LINK_TEXT.sub(r"\1", self.info.status_text or "").strip(" .")
        if not written or written.lower().startswith(self.info.status or ""):
            return None
        return written

    @property
    def status_class(self) -> str:
        return css_class(self.info.status or "unknown")

    @property
    def date(self) -> str | None:
        return self.info.date

    @property
    def deciders(self) -> list[str]:
        return self.info.deciders

    @property
    def mechanism(self) -> str | None:
        return self.info.mechanism

    @property
    def tags(self) -> list[str]:
        return self.info.tags

    @property
    def format(self) -> str:
        return self.info.format

    @property
    def file_name(self) -> str:
        return self.info.path.name

    @property
    def problems(self) -> list[str]:
        return self.info.problems

    def mechanism_link(self, url: Any) -> Markup:
        """The chosen mechanism, linked to its catalog page when the catalog knows it."""
        if self.mechanism_entry is not None and self.mechanism_path is not None:
            shown = f"[{text(self.mechanism_entry.name)}]({url(self.mechanism_path)})"
        else:
            shown = text(self.info.mechanism or "")
        if self.control_entry is not None:
            control = f"catalog/mechanisms/{self.control_entry.id}.md"
            shown += f" + [{text(self.control_entry.name)}]({url(control)})"
        return Markup(shown)

    def sort_key(self) -> tuple:
        """Newest first: by date, then number; records without a date after dated ones."""
        return (self.info.date or "", self.info.number or -1, self.source.name, self.info.id)


# --- links ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _folder_to_folder(target_folder: str, here: str) -> str:
    return posixpath.relpath(target_folder or ".", here or ".")


def relative_link(target: str, here: str) -> str:
    """`target` (a file's site path) as a link from a page in the folder `here`: what
    posixpath.relpath says, worked out once per pair of folders (relpath asks the operating
    system for the current folder each time, thousands of times a build)."""
    folder, _, name = target.rpartition("/")
    way = _folder_to_folder(folder, here)
    return name if way == "." else f"{way}/{name}"


# --- folders --------------------------------------------------------------------------


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-") or "records"


def source_names(directories: list[Path], names: list[str | None] | None = None) -> list[str]:
    """A short, unique, URL-safe name for each folder: its own name, and its parents' names
    for folders whose names would clash (`team-a/adr` and `team-b/adr`: `team-a-adr`, ...)."""
    names = names or [None] * len(directories)
    parts = [list(reversed(d.resolve().parts[1:])) or ["records"] for d in directories]
    depth = [1] * len(directories)

    def candidate(index: int) -> str:
        if names[index]:
            return _slug(names[index])
        name = _slug("-".join(reversed(parts[index][: depth[index]])))
        return f"{name}-records" if name in RESERVED_NAMES else name

    while True:
        chosen = [candidate(i) for i in range(len(directories))]
        clashing = [i for i, name in enumerate(chosen) if chosen.count(name) > 1]
        growable = [i for i in clashing if not names[i] and depth[i] < len(parts[i])]
        if not growable:
            break
        for i in growable:
            depth[i] += 1
    for index, name in enumerate(chosen):
        if chosen.count(name) > 1:
            raise AdrgenError(
                f"records: {directories[index]}: the name {name!r} is used by another folder"
            )
    return chosen


def load_sources(
    directories: list[Path], names: list[str | None] | None = None
) -> list[RecordSource]:
    """Read every record folder; a folder that does not exist is the user's mistake."""
    sources = []
    for directory, name in zip(directories, source_names(directories, names), strict=True):
        if not directory.is_dir():
            raise AdrgenError(f"{directory}: record folder not found")
        records = scan_records(directory)
        published = {r.path.name: r for r in records if r.twin_of is None}
        for twin in records:  # twins share a page: the one the records module picks has it
            if twin.twin_of is not None:
                published[twin.twin_of].problems.append(
                    f"{twin.path}: has the same name as {twin.twin_of}, which is published "
                    "instead; keep one of them"
                )
        sources.append(
            RecordSource(name=name, directory=directory, records=list(published.values()))
        )
    return sources


# --- pages ----------------------------------------------------------------------------


def record_page_path(source: RecordSource, info: RecordInfo) -> str:
    # always .md: a `.markdown` record is published as a page all the same
    return f"{DECISIONS}/{source.name}/{info.path.stem}.md"


def build_record_pages(catalog: Catalog, sources: list[RecordSource]) -> list[RecordPage]:
    """Every record as a page, with resolved links both ways and its body ready to publish."""
    pages = [
        RecordPage(info=info, source=source, path=record_page_path(source, info))
        for source in sources
        for info in source.records
    ]
    index = _RecordIndex(pages)
    for page in pages:
        mechanism = catalog.mechanism(page.info.mechanism) if page.info.mechanism else None
        page.mechanism_entry = mechanism
        if mechanism is not None:
            page.mechanism_path = f"catalog/mechanisms/{mechanism.id}.md"
        if page.info.control:
            page.control_entry = catalog.mechanism(page.info.control)
    _resolve_relations(pages, index)
    return pages


def prepare_bodies(
    pages: list[RecordPage], attachment_types: Iterable[str] = ()
) -> dict[str, Path]:
    """Read each record's text into its page; the files its links need, by site path.

    `attachment_types` are suffixes (`.svg`, `.html`) the site publishes beside records
    although they can run script on it (see `SAFE_ATTACHMENTS`).
    """
    publishing = _Publishing(
        by_file={page.info.path.resolve(): page for page in pages},
        extra_types=frozenset(f".{t.lower().lstrip('.')}" for t in attachment_types),
    )
    for page in pages:
        page.body = _publishable_body(page, publishing)
    return publishing.assets


@dataclass
class _Publishing:
    """What preparing the bodies shares: the records by file, and the files to publish."""

    by_file: dict[Path, RecordPage]
    extra_types: frozenset[str]
    assets: dict[str, Path] = field(default_factory=dict)


class _RecordIndex:
    """Finds a record by what another record wrote: file name, id, number, or path."""

    def __init__(self, pages: list[RecordPage]):
        self.by_source: dict[str, dict[str, RecordPage]] = {}
        for page in pages:
            keys = self.by_source.setdefault(page.source.name, {})
            info = page.info
            for key in (info.path.name, info.id, info.path.name.lower(), info.id.lower()):
                keys.setdefault(key, page)
            if info.number is not None:
                keys.setdefault(f"#{info.number}", page)
        self.source_order = list(self.by_source)

    def find(self, target: str, near: RecordSource) -> RecordPage | None:
        text = target.strip().split("#")[0]
        name = posixpath.basename(text.replace("\\", "/"))
        keys = [name, name.lower(), name.rsplit(".", 1)[0], name.rsplit(".", 1)[0].lower()]
        digits = _DIGITS.match(name)
        if digits:
            keys.append(f"#{int(digits.group(1))}")
        order = [near.name] + [s for s in self.source_order if s != near.name]
        for source in order:
            table = self.by_source.get(source, {})
            for key in keys:
                if key in table:
                    return table[key]
        return None


def _resolve_relations(pages: list[RecordPage], index: _RecordIndex) -> None:
    """Links written on either side show on both: `supersedes` here is `superseded by` there."""
    found: dict[str, dict[str, list[Target]]] = {page.path: {} for page in pages}

    def add(page: RecordPage, kind: str, target: Target) -> None:
        targets = found[page.path].setdefault(kind, [])
        # one entry per linked page, however many times and from which side it was written
        if target.path is not None and any(t.path == target.path for t in targets):
            return
        if all(t.title != target.title or t.path for t in targets):
            targets.append(target)

    for page in pages:
        for link in page.info.links:
            kind = link.kind if link.kind in INVERSE else "relates"
            # the records module resolved it in the record's own folder; else look further
            if link.resolved:
                other = index.by_source[page.source.name].get(link.resolved)
            else:
                other = index.find(link.target, page.source)
            if other is None or other is page:
                add(page, kind, Target(title=link.target))
                continue
            add(page, kind, Target(title=other.label, path=other.path))
            add(other, INVERSE[kind], Target(title=page.label, path=page.path))
            page.written.add((kind, other.path))
    for page in pages:
        page.relation_groups = [
            RelationGroup(RELATION_LABELS[kind], found[page.path][kind])
            for kind in RELATION_LABELS
            if found[page.path].get(kind)
        ]


# --- bodies ---------------------------------------------------------------------------


def _publishable_body(page: RecordPage, publishing: _Publishing) -> str:
    # a symlink in the record folder may point anywhere on the build machine: like
    # `scan_records`, publish only what is a regular file in the folder itself
    if page.info.path.is_symlink() or not page.info.path.is_file():
        return ""  # the reason is already among the record's problems
    try:
        text = read_text(page.info.path, max_bytes=MAX_RECORD_BYTES)
    except AdrgenError:
        return ""  # the reason is already among the record's problems
    _, body, _ = split_front_matter(text)
    too_much = over_budget(body)
    if too_much is not None:
        page.notes.append(f"{page.info.path.name}: shown as plain text: {too_much}")
        return plain_text(body, too_much)
    lines = _without_first_heading(body.split("\n"))
    out: list[str] = []
    fence: str | None = None
    for line in _without_comments(lines):
        fence, is_marker = next_fence(line, fence)
        out.append(line if is_marker or fence else _rewrite_links(line, page, publishing))
    return "\n".join(out).strip("\n") + "\n"


def _without_first_heading(lines: list[str]) -> list[str]:
    """The record's own H1 goes: the page shows the title above its summary box."""
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        if _H1.match(line):
            return lines[:index] + lines[index + 1 :]
        return lines
    return lines


def _without_comments(lines: list[str]) -> list[str]:
    """HTML comments (template hints such as `<!-- optional -->`) are dropped outside code,
    since raw HTML is shown as text on the site and a comment would show."""
    out: list[str] = []
    chunk: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if chunk:
            out.extend(_without_comment_text("\n".join(chunk)).split("\n"))
            chunk.clear()

    for line in lines:
        fence, is_marker = next_fence(line, fence)
        if is_marker or fence:
            flush()
            out.append(line)
        else:
            chunk.append(line)
    flush()
    return out


def _without_comment_text(text: str) -> str:
    """`text` without its `<!-- ... -->` comments; one that never closes stays."""
    kept: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        kept.append(text[position:start])
        position = end + 3
    kept.append(text[position:])
    return "".join(kept)


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Where the line's code spans are: a run of backticks up to the next run of the same
    length (a run with no partner is text). Each run's partner is found in one pass."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    partner: list[int | None] = [None] * len(runs)
    last_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        partner[index] = last_of_length.get(length)
        last_of_length[length] = index
    spans = []
    index = 0
    while index < len(runs):
        closing = partner[index]
        if closing is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closing][1]))
        index = closing + 1
    return spans


def _rewrite_links(line: str, page: RecordPage, publishing: _Publishing) -> str:
    """Point relative links at the published pages and files, outside code spans."""
    if "]" not in line:  # most lines: no link, nothing to look for
        return line
    reference = _REFERENCE_DEF.match(line)
    if reference:
        # a definition may serve an image or a link: it is published as an image would be
        target = _published_target(reference.group("dest"), page, publishing, image=True)
        if target is None:
            return ""
        return f"{reference.group('lead')}{_destination(target)}{reference.group('rest')}"
    parts = []
    last = 0
    for start, end in _code_spans(line):
        parts.append(_rewrite_inline(line[last:start], page, publishing))
        parts.append(line[start:end])
        last = end
    parts.append(_rewrite_inline(line[last:], page, publishing))
    return "".join(parts)


def _rewrite_inline(text: str, page: RecordPage, publishing: _Publishing) -> str:
    def replace(match: re.Match[str]) -> str:
        image = bool(match.group("bang"))
        target = _published_target(match.group("dest"), page, publishing, image=image)
        if target is None:
            shown = match.group("text") or "link"
            return f"{shown} (not published: `{match.group('dest')}`)"
        title = match.group("title") or ""
        return f"{match.group('bang')}[{match.group('text')}]({_destination(target)}{title})"

    return _INLINE_LINK.sub(replace, text)


def _destination(target: str) -> str:
    """A link destination as markdown reads it: in angle brackets when it has spaces."""
    return f"<{target}>" if _NEEDS_BRACKETS.search(target) else target


def _published_target(
    dest: str, page: RecordPage, publishing: _Publishing, *, image: bool = False
) -> str | None:
    """Where a link should point on the site, or None when what it names is not published.

    Addresses with a scheme, absolute paths and in-page anchors are left as written. A
    file beside the record is published when its type cannot run script on the site
    (`SAFE_ATTACHMENTS`, and what the site adds); an SVG, which can, goes into the page
    inside its image (`<img>` never runs a picture's script), and is not published.
    """
    if _SCHEME.match(dest) or dest.startswith(("/", "#")):
        return dest
    from urllib.parse import unquote

    path_part, hash_mark, fragment = dest.partition("#")
    path_part, _, query = path_part.partition("?")
    suffix = f"#{fragment}" if hash_mark else ""
    folder = page.source.directory.resolve()
    try:
        resolved = (page.info.path.parent / unquote(path_part)).resolve()
    except (OSError, ValueError):
        resolved = None
    here = posixpath.dirname(page.path)
    if resolved is not None and resolved in publishing.by_file:
        return quote(relative_link(publishing.by_file[resolved].path, here)) + suffix
    why = None
    kind = resolved.suffix.lower() if resolved is not None else ""
    if resolved is None or not resolved.exists():
        why = "no such file"
    elif not resolved.is_relative_to(folder) or resolved.name.startswith("."):
        why = "outside the record folder"
    elif not resolved.is_file():
        why = "not a file"
    elif is_record_name(resolved.name) or kind in (".md", ".markdown"):
        why = "a markdown file that is not a record"
    elif kind not in SAFE_ATTACHMENTS and kind not in publishing.extra_types:
        if kind == ".svg" and image:
            try:
                return _inline_image(resolved)
            except AdrgenError as exc:
                why = exc.message.removeprefix(f"{resolved}: ")
        elif kind == ".svg":
            why = "an SVG is published only as an image on the page (opened as a page of its own it can run script)"
        else:
            why = (
                f"{kind or 'a file without a type'} can run script on the site or is not a "
                "known safe type (the adrgen plugin's attachment_types publishes it)"
            )
    if why:
        page.notes.append(f"{page.info.path.name}: links to {dest}: {why}, not published")
        return None
    site_path = posixpath.join(DECISIONS, page.source.name, resolved.relative_to(folder).as_posix())
    publishing.assets[site_path] = resolved
    return quote(relative_link(site_path, here)) + suffix


def _inline_image(path: Path) -> str:
    """An SVG as the address of its own image: shown on the page, never a page itself."""
    import base64

    data = read_bytes(path, max_bytes=MAX_INLINE_IMAGE_BYTES)
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")
