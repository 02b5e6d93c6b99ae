"""The site publishes what the records module reads from other tools' records: statuses as
adrgen's words with the text as written beside them, relations written in bodies drawn in
the graph, and file names any character of which (`#`, spaces) survives in every link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adrgen.catalog.loading import load_catalog
from adrgen.site.pages import build_site
from adrgen.site.record_pages import load_sources
from tests.conftest import write_records
from tests.sitebuild import build_in_process, write_config

RECORDS = {
    "0024-use-#-as-comment-marker.md": "# 24. Use # as comment marker\n\nDate: 2024-02-01\n\n"
    "## Status\n\n✅ Accepted\n",
    "0025-revisit comments.md": "# 25. Revisit comments\n\nDate: 2024-03-01\n\n## Status\n\n"
    "🤔 Pending\n\n## Context\n\nSee [the marker](0024-use-%23-as-comment-marker.md).\n\n"
    "## Links\n\n- Amends [24. Use # as comment marker](0024-use-%23-as-comment-marker.md)\n",
    "adr-026-replace-the-marker.md": "# ADR-026: Replace the marker\n\n"
    "**Status:** Accepted; supersedes ADR-0024\n**Date:** 2024-04-01\n",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_records(tmp_path / "team", RECORDS)


def test_badges_relations_and_encoded_links_in_the_pages(folder: Path) -> None:
    site = build_site(load_catalog(), load_sources([folder], ["team"]))
    pages = site.pages
    marker = pages["decisions/team/0024-use-#-as-comment-marker.md"]
    # the normalised word is the badge; the text as written stands beside it
    assert "**accepted**{ .adrgen-status .adrgen-status-accepted }" in marker
    assert "(✅ Accepted)" in marker
    revisit = pages["decisions/team/0025-revisit comments.md"]
    assert "**proposed**{ .adrgen-status .adrgen-status-proposed } (🤔 Pending)" in revisit
    # links to a name with `#` or a space are encoded, so the `#` is no anchor
    assert "[the marker](0024-use-%23-as-comment-marker.md)" in revisit
    assert "Amends: [0024 Use \\# as comment marker](0024-use-%23-as-comment-marker.md)" in revisit
    log = pages["decisions/index.md"]
    assert "(team/0025-revisit%20comments.md)" in log
    assert "(team/0024-use-%23-as-comment-marker.md)" in log
    # relations written in a Links section and in a status line are both ways and drawn
    assert (
        "Superseded by: [0026 ADR-026: Replace the marker](adr-026-replace-the-marker.md)" in marker
    )
    assert "Amended by: [0025 Revisit comments](0025-revisit%20comments.md)" in marker
    graph = pages["decisions/graph.md"]
    nodes = dict(re.findall(r'(r\d+)\["([^"]+)"\]', graph))
    edges = {
        (nodes[a], kind, nodes[b])
        for a, kind, b in re.findall(r"(r\d+) -->\|(\w+)\| (r\d+)", graph)
    }
    assert edges == {
        (
            "0025 Revisit comments",
            "amends",
            "0024 Use #35; as comment marker",
        ),  # mermaid escapes a #
        (
            "0026 ADR-026: Replace the marker",
            "supersedes",
            "0024 Use #35; as comment marker",
        ),  # mermaid escapes a #
    }


def test_a_strict_mkdocs_build_resolves_every_encoded_link(folder: Path, tmp_path: Path) -> None:
    site_dir = build_in_process(write_config(tmp_path, [folder], site_dir=tmp_path / "public"))
    published = site_dir / "decisions" / "team"
    page = published / "0024-use-#-as-comment-marker" / "index.html"
    assert page.is_file()
    revisit = (published / "0025-revisit comments" / "index.html").read_text(encoding="utf-8")
    assert 'href="../0024-use-%23-as-comment-marker/"' in revisit
    log = (site_dir / "decisions" / "index.html").read_text(encoding="utf-8")
    assert 'href="team/0024-use-%23-as-comment-marker/"' in log
    assert 'href="team/0025-revisit%20comments/"' in log
