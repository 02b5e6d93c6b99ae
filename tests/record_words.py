"""What a record shows a reader: the words of a section, as a forge or the site renders it.

The team's prose (the context, a justification) lives in the record's body once, with its
inline markdown kept, so a round trip is judged by what a reader sees: the same words in
the same order, whatever was escaped or formatted on the way. A link shows its address
after its text, as the source has it.
"""

from __future__ import annotations

import html
import re

import markdown

_WORD = re.compile(r"[^\W_]+")
_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def words(text: str) -> list[str]:
    """The words of plain text: letters and digits, without punctuation or markup."""
    return _WORD.findall(text)


def prose_words(text: str) -> list[str]:
    """The words a reader should see of the team's prose (a bullet is structure, and no
    word either)."""
    return words(text)


def shown_words(source: str) -> list[str]:
    """The words a reader sees in rendered markdown, link addresses after their text."""
    page = markdown.markdown(source, extensions=["tables", "attr_list", "fenced_code"])
    page = _LINK.sub(lambda m: f"{m.group(2)} {html.unescape(m.group(1))}", page)
    return words(html.unescape(_TAG.sub(" ", page)))


def section(body: str, heading: str, following: str | None = None) -> str:
    """The text under `heading` up to the next heading of its level (or `following`)."""
    after = body.split(f"\n{heading}\n", 1)[1]
    level = heading.split(" ", 1)[0]
    ends = [f"\n{following}\n"] if following else [f"\n{level} ", f"\n{level[:-1]} "]
    cut = min((after.index(end) for end in ends if end in after), default=len(after))
    return after[:cut]


def has_run(haystack: list[str], needle: list[str]) -> bool:
    """Whether `needle` stands in `haystack` as one unbroken run."""
    return any(
        haystack[i : i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1)
    )
