"""What other ADR tools and hand-written folders write, read one way for list, lint and site.

- **Statuses**: `✅ Accepted`, `⌛️ Superseded [0019](…)`, `Pending`, `**Approved**`: emoji,
  variation selectors, emphasis and case go; synonyms become adrgen's words (pending ->
  proposed, approved -> accepted); words with a meaning of their own (on hold, reverted,
  partly superseded, draft, ...) are kept, each with the lifecycle status it behaves as.
- **Relations**: `Superseded by [X](x.md)`, `accepted; supersedes ADR-0045`,
  `Replaces: [ADR-0002](./0002-x.md)`, `- Supersedes …` in a Links section, `Related to …`:
  the kind from the phrase, the targets from links, `ADR-0057`, file names and bare numbers.
- **References**: a target as written (`ADR-0057`, `0057`, `./0020-x.md`, a slug) resolved to
  the record it names in a folder (`RecordIndex`).
- **Headings and fields**: `# 3. Title`, `# ADR-021: Title`; `Status: x`, `- Date: x`,
  `**Status:** x`, `_Status: x_`.

Everything here reads text from files, so every scan is linear: string methods, and the few
regular expressions use possessive quantifiers that cannot backtrack.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol
from urllib.parse import unquote

from adrgen.records.names import NOT_RECORDS, number_of
from adrgen.vocabulary import Status

# --- statuses ---------------------------------------------------------------------------

# other words for adrgen's own statuses (lower case, emoji and emphasis gone)
_SYNONYMS = {
    "pending": Status.proposed,
    "proposal": Status.proposed,
    "approved": Status.accepted,
    "agreed": Status.accepted,
    "adopted": Status.accepted,
    "decided": Status.accepted,
    "declined": Status.rejected,
    "superceded": Status.superseded,
    "superseeded": Status.superseded,
    "replaced": Status.superseded,
}
# words with a meaning of their own: kept as they are, each with the lifecycle status it
# behaves as (which moves are allowed, whether it is still in force, its badge's colour)
_OWN_WORDS = {
    "draft": Status.proposed,
    "in review": Status.proposed,
    "on hold": Status.proposed,
    "implemented": Status.accepted,
    "active": Status.accepted,
    "partly superseded": Status.accepted,  # still in force, in part
    "reverted": Status.deprecated,
    "retired": Status.deprecated,
    "obsolete": Status.deprecated,
    "withdrawn": Status.rejected,
    "abandoned": Status.rejected,
}
_SPELLINGS = {
    "under review": "in review",
    "on-hold": "on hold",
    "partially superseded": "partly superseded",
}
# what is written -> the word adrgen reports
_STATUS_SYNONYMS: dict[str, str] = {
    **{status.value: status.value for status in Status},
    **{word: status.value for word, status in _SYNONYMS.items()},
    **{word: word for word in _OWN_WORDS},
    **_SPELLINGS,
}
# each word adrgen reports, as the lifecycle status it behaves as
STATUS_CLASSES: dict[str, Status] = {**{status.value: status for status in Status}, **_OWN_WORDS}
_LONGEST_FIRST = sorted(_STATUS_SYNONYMS, key=len, reverse=True)
MAX_STATUS_WORD = 40  # an unknown status is its first clause, cut to this many characters

# ASCII case folding that keeps every index where it was (str.lower may not: "İ")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def _plain(text: str) -> str:
    """Links as their text; emoji, variation selectors, emphasis and markup as spaces."""
    text = links_as_text(text)
    kept = [" " if unicodedata.category(ch)[0] in "SCM" or ch in "*_`|>" else ch for ch in text]
    return " ".join("".join(kept).split())


def _starts_with_word(text: str, word: str) -> bool:
    return text.startswith(word) and (len(text) == len(word) or not text[len(word)].isalpha())


def status_word(written: str | None) -> str | None:
    """The status a written status value states: `✅ Accepted` -> `accepted`,
    `Superseded by [X](x.md)` -> `superseded`, `Pending` -> `proposed`; a word adrgen does
    not know is its first clause in lower case (`guidance`); nothing written is None."""
    if not written:
        return None
    plain = fold(_plain(written))
    start = 0
    while start < len(plain) and not plain[start].isalpha():
        start += 1
    plain = plain[start:]
    for written_word in _LONGEST_FIRST:
        if _starts_with_word(plain, written_word):
            return _STATUS_SYNONYMS[written_word]
    cut = len(plain)
    for stop in (";", ",", ".", ":", "(", " - ", " — ", " – ", "\n"):
        found = plain.find(stop)
        if found != -1:
            cut = min(cut, found)
    word = plain[:cut].strip()[:MAX_STATUS_WORD].strip().lower()
    return word or None


def status_class(word: str | None) -> Status | None:
    """The lifecycle status a reported word behaves as; None for words adrgen does not know."""
    return STATUS_CLASSES.get(word) if word else None


def is_known_status(word: str) -> bool:
    return word in STATUS_CLASSES


# --- links in markdown --------------------------------------------------------------------

# an inline link or image: [text](dest "title"); each part stops at its own delimiter and
# every quantifier is possessive, so a failed attempt never backtracks
_INLINE_LINK = re.compile(
    r"\[([^\[\]\n]*+)\]\(\s*+<?+([^()<>\s]*+)>?+(?:\s++(?:\"[^\"\n]*+\"|'[^'\n]*+'))?+\s*+\)"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{0,30}+:")


def inline_links(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, text, destination) of each inline link or image in a line."""
    if "](" not in text:
        return []
    return [(m.start(), m.end(), m.group(1), m.group(2)) for m in _INLINE_LINK.finditer(text)]


def links_as_text(text: str) -> str:
    """`Superseded by [X](x.md)` -> `Superseded by X`."""
    if "](" not in text:
        return text
    return _INLINE_LINK.sub(lambda m: m.group(1), text)


def reference_definition(line: str) -> str | None:
    """The destination of a reference definition, `[ADR-001]: ./001-x.md "title"`."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped.startswith("["):
        return None
    close = stripped.find("]:")
    if close <= 1 or "]" in stripped[1:close] or "[" in stripped[1:close]:
        return None
    rest = stripped[close + 2 :].split()
    if not rest:
        return None
    return rest[0].removeprefix("<").removesuffix(">") or None


def is_local(destination: str) -> bool:
    """A link to a file beside the record (not a web address, an absolute path or an anchor)."""
    return bool(destination) and not (
        _SCHEME.match(destination) or destination.startswith(("/", "#", "\\"))
    )


def strip_comments(text: str) -> str:
    """HTML comments removed (`<!-- optional -->`); an unclosed one runs to the end."""
    if "<!--" not in text:
        return text
    out: list[str] = []
    position = 0
    while True:
        start = text.find("<!--", position)
        if start == -1:
            out.append(text[position:])
            return "".join(out)
        out.append(text[position:start])
        end = text.find("-->", start + 4)
        if end == -1:
            return "".join(out)  # no comment closes after this one either
        position = end + 3


def clean(text: str) -> str:
    """Comments gone and whitespace collapsed: how titles and statuses are shown."""
    return " ".join(strip_comments(text).split())


# --- headings and fields ------------------------------------------------------------------


def heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading (`## Status`, `# 3. Title #`), or None."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped.startswith("#"):
        return None
    level = len(stripped) - len(stripped.lstrip("#"))
    rest = stripped[level:]
    if level > 6 or (rest and rest[0] not in " \t"):
        return None
    text = rest.strip()
    # a closing run of #s counts only after a space (`# Use C#` keeps its #)
    without = text.rstrip("#")
    if without != text and (not without or without[-1] in " \t"):
        text = without.rstrip()
    return level, text


def _leading_number(text: str) -> tuple[str, str]:
    digits = text[: len(text) - len(text.lstrip("0123456789"))]
    return digits[:7], text[len(digits) :]


def title_parts(text: str) -> tuple[int | None, str]:
    """The number a title heading states and the title as shown:
    `3. Networking Outline` -> (3, `Networking Outline`); `ADR-021: CV identity` and
    `0001 — Record format` keep their words but state 21 and 1."""
    digits, rest = _leading_number(text)
    if digits and len(digits) <= 6:
        if rest.startswith(".") and rest[1:2] in (" ", "\t"):
            return int(digits), rest[1:].strip()
        if digits.startswith("0") and rest.lstrip()[:1] in ("-", "—", "–", ":"):
            return int(digits), text
    if fold(text[:3]) == "adr":
        after = text[3:].lstrip("-_ #")
        digits, rest = _leading_number(after)
        if digits and len(digits) <= 6 and not rest[:1].isalnum():
            return int(digits), text
    return None, text


_FIELD_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz ()-'/")
MAX_FIELD_KEY = 40


def field(line: str) -> tuple[str, str] | None:
    """(key, value) of a metadata line: `Status: x`, `- Date: x`, `**Status:** x`,
    `**Date**: x`, `_Status: x_`, `* Deciders: x`; the key in lower case."""
    text = line.strip()
    if text[:2] in ("- ", "* ", "+ "):
        text = text[2:].lstrip()
    colon = text.find(":", 0, MAX_FIELD_KEY + 6)
    if colon <= 0:
        return None
    key = fold(text[:colon].strip(" *_"))
    if not key or not key[0].isalpha() or not set(key) <= _FIELD_KEY_CHARS:
        return None
    value = text[colon + 1 :].strip().strip("*_").strip()
    if text[:1] in "*_" and value.endswith(("*", "_")):
        value = value.rstrip("*_").strip()
    return " ".join(key.split()), value


def table_fields(header: str, row: str) -> dict[str, str]:
    """`| Status | Date |` over `| Proposed | 2025-01-16 |` -> {status: Proposed, date: ...}."""
    names = [fold(cell.strip(" *_")) for cell in header.strip().strip("|").split("|")]
    values = [cell.strip() for cell in row.strip().strip("|").split("|")]
    return {name: value for name, value in zip(names, values, strict=False) if name and value}


def is_table_rule(line: str) -> bool:
    """The `|---|:--|` line under a table's header."""
    text = line.strip()
    return text.startswith("|") and "-" in text and not set(text) - set("|-: \t")


_DATE = re.compile(r"(?<![0-9])(\d{4}+)-(\d{1,2}+)-(\d{1,2}+)(?![0-9])")


def date_in(value: object) -> str | None:
    """The first ISO date in a value (`2019-05-13, updated 2023-02-05` -> `2019-05-13`);
    other spellings (`12/02/2016`) are ambiguous, so they give no date at all."""
    if value is None:
        return None
    match = _DATE.search(str(value)[:200])
    if not match:
        return None
    year, month, day = match.groups()
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    return f"{year}-{int(month):02d}-{int(day):02d}"


# --- relations ----------------------------------------------------------------------------

SUPERSEDES, SUPERSEDED_BY, AMENDS, AMENDED_BY, RELATES = (
    "supersedes",
    "superseded-by",
    "amends",
    "amended-by",
    "relates",
)
RELATION_KINDS = (SUPERSEDES, SUPERSEDED_BY, AMENDS, AMENDED_BY, RELATES)
INVERSE = {
    SUPERSEDES: SUPERSEDED_BY,
    SUPERSEDED_BY: SUPERSEDES,
    AMENDS: AMENDED_BY,
    AMENDED_BY: AMENDS,
    RELATES: RELATES,
}
# a phrase, in lower case, and the kind of relation it states
_RELATION_PHRASES = {
    "superseded by": SUPERSEDED_BY,
    "superceded by": SUPERSEDED_BY,
    "superseeded by": SUPERSEDED_BY,
    "partly superseded by": SUPERSEDED_BY,
    "partially superseded by": SUPERSEDED_BY,
    "replaced by": SUPERSEDED_BY,
    "supersedes": SUPERSEDES,
    "supercedes": SUPERSEDES,
    "superseeds": SUPERSEDES,
    "partly supersedes": SUPERSEDES,
    "partially supersedes": SUPERSEDES,
    "replaces": SUPERSEDES,
    "amended by": AMENDED_BY,
    "amends": AMENDS,
    "related to": RELATES,
    "relates to": RELATES,
    "related": RELATES,
    "clarified by": RELATES,
    "clarifies": RELATES,
}
_PHRASES_LONGEST_FIRST = sorted(_RELATION_PHRASES, key=len, reverse=True)
# front-matter keys other tools use for relations (adrgen's own `links:` list is read apart)
FRONT_MATTER_RELATIONS = {
    "supersedes": SUPERSEDES,
    "replaces": SUPERSEDES,
    "superseded_by": SUPERSEDED_BY,
    "superseded-by": SUPERSEDED_BY,
    "supersededby": SUPERSEDED_BY,
    "replaced_by": SUPERSEDED_BY,
    "amends": AMENDS,
    "amended_by": AMENDED_BY,
    "amended-by": AMENDED_BY,
    "related": RELATES,
    "relates": RELATES,
    "related_to": RELATES,
}
# sections whose lines may declare relations, beside the status section and the lines
# above the first section
RELATION_SECTIONS = {
    "status",
    "links",
    "link",
    "related",
    "related decisions",
    "related adrs",
    "related records",
    "relations",
    "references",
    "see also",
    "more information",
}

_ADR_REFERENCE = re.compile(r"(?<![A-Za-z0-9])[Aa][Dd][Rr][-_ ]?+#?+ ?+(\d{1,6}+)(?![0-9])")
# `0020-x.md`, `./0020-x.md`: each dot-separated part is taken whole, and the last part
# must be the suffix, so nothing is tried twice
_FILE_NAME = re.compile(
    r"(?<![\w./#-])(?:\./)?+[\w#-]++(?:\.(?!(?:md|markdown)(?![\w#-]))[\w#-]++)*+"
    r"\.(?:md|markdown)(?![\w#-])"
)
_SEGMENT_ENDS = (";", ". ", "\n")
_BARE_SEPARATORS = frozenset(",&/+")
_BARE_WORDS = {"and", "or", "adr", "adrs", "records", "record"}


def _phrases_in(folded: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every relation phrase, as whole words, in lower-cased text."""
    found: list[tuple[int, int, str]] = []
    taken = bytearray(len(folded))  # characters a longer phrase already took
    for phrase in _PHRASES_LONGEST_FIRST:
        start = folded.find(phrase)
        while start != -1:
            end = start + len(phrase)
            whole = (start == 0 or not folded[start - 1].isalpha()) and (
                end == len(folded) or not folded[end].isalpha()
            )
            if whole and not any(taken[start:end]):
                found.append((start, end, _RELATION_PHRASES[phrase]))
                taken[start:end] = b"\x01" * (end - start)
            start = folded.find(phrase, end)
    return sorted(found)


def _targets(segment: str) -> list[str]:
    """The records a stretch of text names: local link destinations, `ADR-0057`, file
    names, and bare numbers when nothing else is there (`superseded by 3, 4`)."""
    targets: list[str] = []
    rest: list[str] = []
    position = 0
    for start, end, text, destination in inline_links(segment):
        rest.append(segment[position:start])
        position = end
        if is_local(destination):
            targets.append(destination)
        else:  # a web address: only an `ADR-N` in its text names a record here
            targets += [f"ADR-{m.group(1)}" for m in _ADR_REFERENCE.finditer(text)]
    rest.append(segment[position:])
    residual = " ".join(rest)
    for match in _ADR_REFERENCE.finditer(residual):
        targets.append(match.group(0).strip())
    residual = _ADR_REFERENCE.sub(" ", residual)
    for match in _FILE_NAME.finditer(residual):
        targets.append(match.group(0))
    residual = _FILE_NAME.sub(" ", residual)
    words = "".join(" " if ch in _BARE_SEPARATORS else ch for ch in residual).split()
    words = [w.strip(".*_()[]") for w in words]
    words = [w for w in words if w and fold(w) not in _BARE_WORDS]
    if words and all(w.lstrip("#").isdigit() and len(w.lstrip("#")) <= 6 for w in words):
        targets += [w.lstrip("#") for w in words]
    return targets


def _segments(text: str, require_start: bool) -> list[tuple[str, str]]:
    """(kind, targets text) for each relation phrase in `text`; with `require_start`, only
    when the text begins with one (after bullets, emphasis and emoji)."""
    # links become placeholders first, so a `. ` in link text ends no segment
    links = inline_links(text)
    if links:
        pieces, position = [], 0
        for index, (start, end, _, _) in enumerate(links):
            pieces.append(text[position:start])
            pieces.append(f"\x00{index}\x00")
            position = end
        pieces.append(text[position:])
        masked = "".join(pieces)
    else:
        masked = text
    folded = fold(masked)
    phrases = _phrases_in(folded)
    if not phrases:
        return []
    if require_start:
        lead = 0
        while lead < len(folded) and not folded[lead].isalpha() and folded[lead] != "\x00":
            lead += 1
        if phrases[0][0] != lead:
            return []
    found = []
    for index, (_, end, kind) in enumerate(phrases):
        stop = phrases[index + 1][0] if index + 1 < len(phrases) else len(masked)
        for marker in _SEGMENT_ENDS:
            at = masked.find(marker, end, stop)
            if at != -1:
                stop = at
        piece = masked[end:stop].lstrip(" :*_")
        # put the links back
        if links and "\x00" in piece:
            parts = piece.split("\x00")
            piece = "".join(
                text[links[int(p)][0] : links[int(p)][1]] if i % 2 and p.isdigit() else p
                for i, p in enumerate(parts)
            )
        found.append((kind, piece))
    return found


def relations_in_line(line: str) -> list[tuple[str, str]]:
    """(kind, target) for a line that declares relations: `Supersedes [X](x.md)`,
    `- Replaces: ADR-0002`, `**Superseded by** 0057`, `Related to ADR-3 and ADR-4`."""
    if not line.strip():
        return []
    return [
        (kind, target)
        for kind, piece in _segments(line, require_start=True)
        for target in _targets(piece)
    ]


def relations_in_status(value: str) -> list[tuple[str, str]]:
    """(kind, target) stated in a status value: `superseded by ADR-0057`,
    `accepted; supersedes ADR-0045`, `⌛️ Superseded [0019](0019-x.md)`."""
    found = [
        (kind, target)
        for kind, piece in _segments(value, require_start=False)
        for target in _targets(piece)
    ]
    if status_word(value) == "superseded" and not any(k == SUPERSEDED_BY for k, _ in found):
        # `Superseded [0019](…)`: the word itself, then what replaced it
        folded = fold(value)
        for written in ("superseded", "superceded", "superseeded", "replaced"):
            at = folded.find(written)
            if at != -1:
                rest = value[at + len(written) :]
                for marker in _SEGMENT_ENDS:
                    cut = rest.find(marker)
                    if cut != -1 and not _inside_link(rest, cut):
                        rest = rest[:cut]
                found += [(SUPERSEDED_BY, target) for target in _targets(rest)]
                break
    return found


def _inside_link(text: str, index: int) -> bool:
    return any(start <= index < end for start, end, _, _ in inline_links(text))


# --- resolving what a relation names --------------------------------------------------------


class Named(Protocol):
    """What resolving needs of a record: its file name, id (stem) and number."""

    @property
    def file_name(self) -> str: ...

    id: str
    number: int | None


def reference_number(target: str) -> int | None:
    """`ADR-0057`, `adr 57`, `#57`, `0057` -> 57; anything else None."""
    text = target.strip()
    match = _ADR_REFERENCE.fullmatch(text)
    if match:
        return int(match.group(1))
    bare = text.lstrip("#")
    if bare.isdigit() and len(bare) <= 6:
        return int(bare)
    return None


def _slug_of(stem: str) -> str:
    """A stem without its number or date: `20201016-use-the-slug` -> `use-the-slug`."""
    lower = stem.lower()
    if lower.startswith("adr"):
        lower = lower[3:].lstrip("-_ ")
    digits, rest = _leading_number(lower)
    if digits:
        while rest[:1] in ("-", "_", " ") and rest[1:2].isdigit():
            _, rest = _leading_number(rest[1:])
        return rest.lstrip("-_ ")
    return lower


class RecordIndex:
    """Finds the record a target names within one folder: by file name, id (stem), a link
    to either (`./0020-x.md`, `0020-x.md#section`, `%23` for `#`), by number (`ADR-0057`,
    `0057`) or by slug without its date (log4brains' `use-the-adr-slug`)."""

    def __init__(self, records: Iterable[Named]):
        self.by_name: dict[str, Named] = {}
        self.by_number: dict[int, Named] = {}
        by_slug: dict[str, list[Named]] = {}
        for record in records:
            for key in (record.file_name, record.id):
                self.by_name.setdefault(key, record)
                self.by_name.setdefault(key.lower(), record)
            if record.number is not None:
                self.by_number.setdefault(record.number, record)
            slug = _slug_of(record.id)
            if slug:
                by_slug.setdefault(slug, []).append(record)
        self.by_slug = {slug: found[0] for slug, found in by_slug.items() if len(found) == 1}

    def _by_name(self, name: str) -> Named | None:
        for key in (name, name.lower()):
            found = self.by_name.get(key)
            if found is not None:
                return found
            stem, dot, suffix = key.rpartition(".")
            if dot and suffix in ("md", "markdown") and stem in self.by_name:
                return self.by_name[stem]
        return None

    def find(self, target: str) -> Named | None:
        text = target.strip().strip("<>")
        if not text:
            return None
        number = reference_number(text)
        if number is not None:
            return self.by_number.get(number)
        candidates = [unquote(text), text]
        for cut in ("?", "#"):
            candidates += [c.split(cut, 1)[0] for c in candidates if cut in c]
        for candidate in dict.fromkeys(candidates):
            path = posixpath.normpath(candidate.replace("\\", "/"))
            if "/" in path:
                continue  # another folder: not a record of this one
            found = self._by_name(path)
            if found is not None:
                return found
        # log4brains names records by slug; only a bare slug is looked up that way, so a
        # link to a missing `0099-x.md` is never taken for another record's `x`
        stem = text.removesuffix(".md")
        if "/" in stem or _slug_of(stem) != stem.lower():
            return None
        return self.by_slug.get(stem.lower())


def is_folder_file(target: str) -> bool:
    """A link to the folder's README, index or template: never a record, even when the
    folder was copied without it."""
    name = unquote(target).split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
    stem = name.rpartition(".")[0] or name
    return stem.lower() in NOT_RECORDS or stem.lower().startswith("adr-template")


def stays_in_folder(target: str) -> bool:
    """A relative link that, as written, names a file directly in the record's own folder."""
    path = posixpath.normpath(unquote(target).split("?", 1)[0].replace("\\", "/"))
    return "/" not in path and path not in (".", "..")


__all__ = [
    "INVERSE",
    "RELATION_KINDS",
    "RecordIndex",
    "STATUS_CLASSES",
    "date_in",
    "field",
    "heading",
    "number_of",
    "relations_in_line",
    "relations_in_status",
    "status_class",
    "status_word",
    "title_parts",
]
