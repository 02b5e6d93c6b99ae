"""Answers written to break a record: markup, markdown structure and script in every field."""

from __future__ import annotations

HOSTILE = {
    "title": "<script>alert('title')</script> # not a heading [x](javascript:alert(1)) ---",
    "context": (
        "The peers share one host.\n"
        "# A heading of the user's\n"
        "---\n"
        "title: injected into the front matter\n"
        "---\n"
        "```\n"
        "an unclosed fence <img src=x onerror=alert('context')>\n"
        "<div onclick=alert(2)>a raw HTML block</div>\n"
        "\n"
        '[click](javascript:alert(3)) and <a href="javascript:alert(4)">raw link</a>\n'
        "~~~\n"
        '!!! danger "an admonition"\n'
        "<!-- a comment that never closes"
    ),
    "deciders": ["<b onmouseover=alert(5)>mallory</b>", "# ana", "---", "[bo](javascript:x)"],
    "choice": "pipes",
    "justification": (
        "## Not a heading\n<iframe src=javascript:alert(6)></iframe>\n---\n```\nstill text"
    ),
}
WORDS = ["alert", "title", "heading", "injected", "unclosed fence", "onerror", "raw HTML block",
         "click", "raw link", "admonition", "mallory", "Not a heading", "iframe", "still text"]  # fmt: skip
