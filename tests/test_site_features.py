"""The decision site a team opens: dashboard, radar, log, graph, record and mechanism pages,
and the one-command start (`adrgen init`, `adrgen site build` with no flags)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from cli_helpers import adrgen

from adrgen.catalog.loading import load_catalog
from adrgen.catalog.overlay import apply_overlay
from adrgen.records.lint import lint_records
from adrgen.site.pages import SiteOptions, build_site, page_url
from adrgen.site.radar import Blip, radar_fence, radar_source
from adrgen.site.record_pages import load_sources
from tests.sitebuild import adrgen_record, generated_records

REPO = Path(__file__).resolve().parent.parent
ANSWERS = REPO / "examples" / "answers" / "cli-build-daemon.yaml"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _site(catalog, *folders: Path, teams=(), **options):
    sources = load_sources(list(folders))
    for source, team in zip(sources, teams, strict=False):
        source.team = team
    return build_site(catalog, sources, SiteOptions(**options))


def _folder(path: Path) -> str:
    return path.name.lower().replace("_", "-")


def _new_record(folder: Path, answers: Path = ANSWERS) -> None:
    run = adrgen("new", "--answers", str(answers), "--no-input", "--dir", str(folder))
    assert run.exit_code == 0, run.stderr


# --- the dashboard --------------------------------------------------------------------------


def test_dashboard_is_the_home_page_with_counts_and_newest(catalog, tmp_path) -> None:
    generated_records(tmp_path, 14)
    pages = _site(catalog, tmp_path).pages
    home = pages["index.md"]
    assert "search: {exclude: true}" in home
    assert "14 decisions" in home
    # the generated records cycle through five statuses: 3 accepted of 14
    assert "3 **accepted**{ .adrgen-status .adrgen-status-accepted }" in home
    newest = home.split("## Newest decisions", 1)[1].split("## By mechanism", 1)[0]
    dates = re.findall(r"^\| \d{4} \|.*?\| (\d{4}-\d\d-\d\d) \|", newest, flags=re.MULTILINE)
    assert len(dates) == 10
    assert dates == sorted(dates, reverse=True)  # newest first
    assert "decisions/dashboard.md" not in pages


def test_dashboard_moves_aside_for_the_sites_own_home(catalog, tmp_path) -> None:
    generated_records(tmp_path, 3)
    site = _site(catalog, tmp_path, home_at_root=False)
    assert "index.md" not in site.pages
    assert "decisions/dashboard.md" in site.pages
    decisions = next(item for item in site.nav if "Decisions" in item)["Decisions"]
    assert decisions[0] == {"Dashboard": "decisions/dashboard.md"}


def test_drift_on_the_dashboard_is_what_lint_reports(catalog, tmp_path) -> None:
    folder = tmp_path / "decisions"
    folder.mkdir()
    _new_record(folder)  # unix-sockets, recommended for these answers
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(
        "name: cautious\nmechanisms:\n  unix-sockets:\n    stance: hold\n"
        "    stance_note: Audited channels only.\n"
    )
    cautious = apply_overlay(catalog, overlay)
    _, problems = lint_records(folder, cautious)
    drift = [p.message for p in problems if p.check == "drift"]
    assert drift  # the same answers now lead elsewhere, and the stance moved to hold
    home = _site(cautious, folder).pages["index.md"]
    attention = home.split("## Needs attention", 1)[1].split("##", 1)[0]
    for message in drift:
        assert message.replace("-", "\\-") in attention or message in attention
    # with the shipped catalog nothing drifts
    calm = _site(catalog, folder).pages["index.md"]
    assert "Nothing needs attention" in calm


def test_old_proposals_by_the_configured_age(catalog, tmp_path) -> None:
    adrgen_record(tmp_path, 1, "Waiting a while", status="proposed", date="2026-01-01")
    adrgen_record(tmp_path, 2, "Fresh idea", status="proposed", date="2026-03-20")
    adrgen_record(tmp_path, 3, "Settled long ago", status="accepted", date="2020-01-01")
    home = _site(catalog, tmp_path, today=date(2026, 4, 1), proposed_max_age=30).pages["index.md"]
    assert "0001 Waiting a while" in home and "proposed 90 days ago (2026-01-01)" in home
    assert "Fresh idea" not in home.split("## Newest decisions")[0]
    assert "Settled long ago" not in home.split("## Newest decisions")[0]
    lenient = _site(catalog, tmp_path, today=date(2026, 4, 1), proposed_max_age=100)
    assert "Nothing needs attention" in lenient.pages["index.md"]


def test_supersedes_written_on_one_side_only(catalog, tmp_path) -> None:
    adrgen_record(tmp_path, 1, "Old way", status="superseded")
    adrgen_record(tmp_path, 2, "New way", supersedes="0001")
    both = tmp_path / "both"
    both.mkdir()
    adrgen_record(both, 1, "Old way", status="superseded")
    adrgen_record(both, 2, "New way", supersedes="0001")
    old = both / "0001-old-way.md"
    old.write_text(
        old.read_text().replace(
            'status: "superseded"', 'status: "superseded"\nsuperseded_by: "0002"'
        )
    )
    one_sided = _site(catalog, tmp_path).pages["index.md"]
    assert (
        "[0002 New way](decisions/" in one_sided
        and "supersedes 0001 Old way, which does not say it is superseded by this one" in one_sided
    )
    assert "Nothing needs attention" in _site(catalog, both).pages["index.md"]


def test_attention_list_is_bounded_and_paged(catalog, tmp_path) -> None:
    for number in range(1, 31):
        adrgen_record(tmp_path, number, f"Proposal {number}", status="proposed", date="2020-01-01")
    site = _site(catalog, tmp_path, page_size=12, today=date(2026, 1, 1))
    home = site.pages["index.md"]
    assert home.count("and not decided yet") == 10
    assert "[All 30 decisions that need attention](decisions/attention.md)" in home
    pages = [
        site.pages[p]
        for p in ("decisions/attention.md", "decisions/attention/2.md", "decisions/attention/3.md")
    ]
    assert [page.count("and not decided yet") for page in pages] == [12, 12, 6]


# --- the radar --------------------------------------------------------------------------------


def test_radar_has_a_linked_blip_per_mechanism(catalog, tmp_path) -> None:
    adrgen_record(tmp_path, 1, "Socket", mechanism="unix-sockets")
    adrgen_record(tmp_path, 2, "Socket again", mechanism="unix-sockets")
    adrgen_record(tmp_path, 3, "Rejected socket", mechanism="unix-sockets", status="rejected")
    page = _site(catalog, tmp_path).pages["catalog/index.md"]
    source = page.split("``` adrgen-radar\n", 1)[1].split("\n```", 1)[0]
    blips = json.loads(source)
    assert sorted(b["name"] for b in blips) == sorted(m.name for m in catalog.mechanisms)
    sockets = next(b for b in blips if b["name"] == "Unix domain sockets")
    assert sockets["accepted"] == 2  # the rejected one does not count
    assert sockets["href"] == "mechanisms/unix-sockets/"
    html = radar_fence(source, "adrgen-radar", "adrgen-radar", {}, None)
    wide, compact = html.split("</svg>")[:2]
    for drawing in (wide, compact):
        links = re.findall(r'<a class="adrgen-radar-blip[^"]*" href="([^"]+)"', drawing)
        assert sorted(links) == sorted(f"mechanisms/{m.id}/" for m in catalog.mechanisms)
    assert "Unix domain sockets (2)" in wide  # named beside its blip
    # the table below says the same for screen readers
    assert f"| {sockets['number']} | [Unix domain sockets](mechanisms/unix-sockets.md)" in page


def test_a_radar_fence_in_a_record_cannot_inject_markup() -> None:
    hostile = [
        {
            "number": 1,
            "name": '<script>alert(1)</script>"',
            "stance": "adopt",
            "scope": "same-host",
            "accepted": 3,
            "href": "javascript:alert(1)",
        },
        {
            "number": 2,
            "name": "Elsewhere",
            "stance": "hold",
            "scope": "cross-host",
            "accepted": 1,
            "href": "https://example.org/",
        },
        {
            "number": 3,
            "name": "Bad stance",
            "stance": "<b>",
            "scope": "same-host",
            "accepted": 1,
            "href": "x/",
        },
        "not a blip",
    ]
    html = radar_fence(json.dumps(hostile), "adrgen-radar", "", {}, None)
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html and "example.org" not in html
    assert "Bad stance" not in html
    assert html.count('<a class="adrgen-radar-blip') == 4  # two blips, drawn twice
    assert radar_fence("not json", "", "", {}, None).startswith("<p")


def test_radar_source_never_closes_its_fence() -> None:
    blip = Blip(number=1, name="``` evil", stance="adopt", scope="same-host", accepted=0, href="a/")
    assert "`" not in radar_source([blip])
    assert json.loads(radar_source([blip]))[0]["name"] == "``` evil"


# --- the log, listings, tags ----------------------------------------------------------------


def test_log_names_each_folder_by_its_team_and_marks_columns(catalog, tmp_path) -> None:
    a, b = tmp_path / "a" / "adr", tmp_path / "b" / "adr"
    generated_records(a, 2)
    generated_records(b, 2)
    log = _site(catalog, a, b, teams=["Payments", None]).pages["decisions/index.md"]
    assert 'Folder { data-adrgen-column="folder" }' in log
    assert '# { data-adrgen-column="number" data-adrgen-filters="on" }' in log
    rows = [line for line in log.splitlines() if line.startswith("| 000")]
    assert sum(row.endswith("| Payments |") for row in rows) == 2
    assert sum(row.endswith("| b-adr |") for row in rows) == 2
    assert "hide: [toc]" in log  # the table takes the page's full width


def test_team_name_of_a_record_folder(tmp_path) -> None:
    from adrgen.config.workspace import team_name_of

    (tmp_path / ".adrgen.yaml").write_text("team: Payments\nrecords: adr\n")
    (tmp_path / "adr").mkdir()
    (tmp_path / "other").mkdir()
    assert team_name_of(tmp_path / "adr") == "Payments"
    assert team_name_of(tmp_path / "other") is None  # not that team's record folder


def test_no_page_lists_more_than_a_page_of_records(catalog, tmp_path) -> None:
    generated_records(tmp_path, 130)
    site = _site(catalog, tmp_path, page_size=20, mechanism_recent=5, graph_limit=15)
    record_link = re.compile(r"\]\(((?:\.\./)*[^)\s]*?/\d{4}-[^)\s]*\.md)\)")
    for path, markdown in site.pages.items():
        if path in site.record_pages:
            continue
        linked = set(record_link.findall(markdown))
        assert len(linked) <= 2 * 20, path  # the graph may add the records its slice links to
        if path != "decisions/graph.md":
            assert len(linked) <= 20, path


def test_empty_tags_page_says_how_to_add_tags(catalog, tmp_path) -> None:
    adrgen_record(tmp_path, 1, "Untagged")
    tags = _site(catalog, tmp_path).pages["decisions/tags.md"]
    assert "`tags: [billing, latency]`" in tags


# --- the graph --------------------------------------------------------------------------------


def test_graph_nodes_are_coloured_by_status_and_linked(catalog, tmp_path) -> None:
    adrgen_record(tmp_path, 1, "Old way", status="superseded", mechanism="pipes")
    adrgen_record(tmp_path, 2, "New way", supersedes="0001", mechanism="unix-sockets")
    page = _site(catalog, tmp_path).pages["decisions/graph.md"]
    folder = _folder(tmp_path)
    assert "search: {exclude: true}" in page
    assert '``` { .mermaid data-search-exclude="" }' in page
    assert "  class r0 st_accepted" in page and "  class r1 st_superseded" in page
    assert "classDef st_accepted fill:#2e7d32,stroke:#2e7d32,color:#fff" in page
    assert f'click r0 href "../{folder}/0002-new-way/"' in page
    assert 'click m0 href "../../catalog/mechanisms/unix-sockets/"' in page
    assert page.count("  click ") == 4  # two records, two mechanisms
    flat = _site(catalog, tmp_path, directory_urls=False).pages["decisions/graph.md"]
    assert f'click r0 href "{folder}/0002-new-way.html"' in flat


def test_graph_stops_at_its_limit_and_points_to_the_log(catalog, tmp_path) -> None:
    generated_records(tmp_path, 30)
    page = _site(catalog, tmp_path, graph_limit=5).pages["decisions/graph.md"]
    assert "The graph stops at 5 recent decisions out of 30" in page
    assert "[decision log](index.md)" in page


def test_page_url_follows_how_mkdocs_addresses_pages() -> None:
    assert page_url("catalog/mechanisms/pipes.md", "catalog/index.md") == "mechanisms/pipes/"
    assert page_url("decisions/a/0001-x.md", "decisions/graph.md") == "../a/0001-x/"
    assert page_url("index.md", "decisions/graph.md") == "../../"
    assert page_url("catalog/index.md", "index.md") == "catalog/"
    assert page_url("catalog/situations.md#one", "index.md") == "catalog/situations/#one"
    assert page_url("decisions/a/0001-x.md", "decisions/graph.md", False) == "a/0001-x.html"
    assert page_url("index.md", "decisions/graph.md", False) == "../index.html"


# --- record and mechanism pages -------------------------------------------------------------


def test_superseded_record_has_a_banner_naming_its_successor(catalog, tmp_path) -> None:
    adrgen_record(tmp_path, 1, "Old way", status="superseded")
    adrgen_record(tmp_path, 2, "New way", supersedes="0001")
    adrgen_record(tmp_path, 3, "Retired", status="deprecated")
    pages = _site(catalog, tmp_path).pages
    folder = _folder(tmp_path)
    old = pages[f"decisions/{folder}/0001-old-way.md"]
    banner = old.split("!!! abstract", 1)[0]
    assert '!!! warning "This decision is superseded"' in banner
    assert "It was superseded by [0002 New way](0002-new-way.md)" in banner
    retired = pages[f"decisions/{folder}/0003-retired.md"]
    assert '!!! warning "This decision is deprecated"' in retired
    assert "It names no decision that replaces it." in retired
    assert "!!! warning" not in pages[f"decisions/{folder}/0002-new-way.md"]


def test_relations_are_shown_once_and_citations_are_linked(catalog, tmp_path) -> None:
    (tmp_path / "0001-old.md").write_text("# Old\n\n## Status\n\nAccepted\n")
    (tmp_path / "0003-gone.md").write_text(
        "# Gone\n\n## Status\n\nSuperseded by [2. New](0002-new.md)\n\n## Context\n\nOnce.\n"
    )
    (tmp_path / "0002-new.md").write_text(
        "---\nsupersedes: ['0001']\n---\n# New\n\nSupersedes [1. Old](0001-old.md)\n\n"
        "Supersedes [9. Unknown](0009-unknown.md)\n\n## Status\n\nAccepted\n\n"
        "Amends [1. Old](0001-old.md)\n\n## Decision\n\nBecause of situation:single-host-isolation "
        "and checklist:one-machine; `situation:single-host-isolation` in code stays, and "
        "situation:no-such-thing is left as written.\n\nSupersedes [this](0001-old.md) is prose "
        "in a section, kept.\n\n```mermaid\ngraph LR\n  a --> b\n```\n"
    )
    page = _site(catalog, tmp_path).pages[f"decisions/{_folder(tmp_path)}/0002-new.md"]
    body = page.split('!!! info "Relations"', 1)[1]
    assert "- Supersedes: [0001 Old](0001-old.md)" in body
    assert "- Amends: [0001 Old](0001-old.md)" in body
    after = body.split("\n\n", 3)[-1]
    assert "Supersedes [1. Old]" not in after and "Amends [1. Old]" not in after
    assert "## Status\n\nAccepted\n" in after
    # a line whose record is not published stays: the Relations block cannot show it
    assert "Supersedes 9. Unknown (not published" in after
    gone = _site(catalog, tmp_path).pages[f"decisions/{_folder(tmp_path)}/0003-gone.md"]
    gone_body = gone.split('!!! info "Relations"', 1)[1]
    assert "- Superseded by: [0002 New](0002-new.md)" in gone_body
    assert "## Status" not in gone_body  # only the relation was in it
    assert "## Context\n\nOnce." in gone_body
    assert "Supersedes [this](0001-old.md) is prose" in after
    assert (
        "[situation:single-host-isolation](../../catalog/situations.md#single-host-isolation)"
        in after
    )
    assert "[checklist:one-machine](../../catalog/checklist.md#one-machine)" in after
    assert "`situation:single-host-isolation`" in after
    assert "situation:no-such-thing is left" in after
    assert '``` { .mermaid data-search-exclude="" }' in after


def test_a_records_control_channel_is_shown_when_it_has_one(catalog, tmp_path) -> None:
    path = adrgen_record(tmp_path, 1, "Frames", mechanism="shared-memory")
    path.write_text(
        path.read_text().replace(
            'mechanism: "shared-memory"',
            'mechanism: "shared-memory"\ncontrol: {mechanism: unix-sockets}',
        )
    )
    adrgen_record(tmp_path, 2, "Plain", mechanism="pipes")
    pages = _site(catalog, tmp_path).pages
    folder = _folder(tmp_path)
    assert (
        "- Control channel: [Unix domain sockets](../../catalog/mechanisms/unix-sockets.md)"
        in pages[f"decisions/{folder}/0001-frames.md"]
    )
    assert "Control channel" not in pages[f"decisions/{folder}/0002-plain.md"]


def _with_control(path: Path, control: str) -> None:
    text = path.read_text()
    mechanism = re.search(r"^mechanism: .*$", text, re.MULTILINE).group()
    path.write_text(text.replace(mechanism, f"{mechanism}\ncontrol: {{mechanism: {control}}}"))


def test_combined_designs_show_their_control_channel_on_its_page_and_in_the_graph(
    catalog, tmp_path
) -> None:
    _with_control(adrgen_record(tmp_path, 1, "Frames", mechanism="shared-memory"), "unix-sockets")
    _with_control(
        adrgen_record(tmp_path, 2, "Old frames", mechanism="shared-memory", status="superseded"),
        "unix-sockets",
    )
    adrgen_record(tmp_path, 3, "Plain socket", mechanism="unix-sockets")
    pages = _site(catalog, tmp_path).pages
    sockets = pages["catalog/mechanisms/unix-sockets.md"]
    chose, control = sockets.split("## Decisions that use it as the control channel", 1)
    assert "1 decision chose Unix domain sockets" in chose and "Plain socket" in chose
    assert "Frames" not in chose
    assert "2 decisions chose another mechanism for the data and Unix domain sockets" in control
    rows = re.findall(r"^\| 000(\d) \|", control, re.MULTILINE)
    assert rows == ["1", "2"]  # the standing decision first
    assert "[Shared memory](shared-memory.md) + [Unix domain sockets](unix-sockets.md)" in control
    # a mechanism no design uses for control says nothing about it
    assert "control channel" not in pages["catalog/mechanisms/pipes.md"]
    graph = pages["decisions/graph.md"]
    sockets_node = re.search(r'^  (m\d)\(\["Unix domain sockets"\]\)$', graph, re.MULTILINE)
    assert sockets_node is not None
    node = sockets_node.group(1)
    assert graph.count(f"-.-|control| {node}") == 2
    assert graph.count(f"--- {node}") == 1  # the record that chose it for its data
    assert graph.count('(["Unix domain sockets"])') == 1  # one node, whatever the role


def test_a_control_channel_list_is_bounded_and_points_to_the_log(catalog, tmp_path) -> None:
    for number in range(1, 6):
        _with_control(
            adrgen_record(tmp_path, number, f"Frames {number}", mechanism="shared-memory"),
            "signals",
        )
    page = _site(catalog, tmp_path, mechanism_recent=3).pages["catalog/mechanisms/signals.md"]
    control = page.split("## Decisions that use it as the control channel", 1)[1]
    assert len(re.findall(r"^\| 000\d \|", control, re.MULTILINE)) == 3
    assert (
        "the 3 shown first are below, and the [decision log](../../decisions/index.md)" in control
    )


def test_mechanism_page_groups_decisions_by_status(catalog, tmp_path) -> None:
    adrgen_record(tmp_path, 1, "Kept", mechanism="pipes", date="2020-01-01")
    adrgen_record(
        tmp_path, 2, "Turned down", mechanism="pipes", status="rejected", date="2024-01-01"
    )
    adrgen_record(
        tmp_path, 3, "Replaced", mechanism="pipes", status="superseded", date="2023-01-01"
    )
    adrgen_record(tmp_path, 4, "Maybe", mechanism="pipes", status="proposed", date="2022-01-01")
    page = _site(catalog, tmp_path).pages["catalog/mechanisms/pipes.md"]
    headings = re.findall(
        r"^### (.+)$", page.split("## Decisions that chose it", 1)[1], re.MULTILINE
    )
    assert headings == ["Accepted (1)", "Proposed (1)", "Superseded (1)", "Rejected (1)"]
    assert "These decisions no longer stand for Pipes / FIFOs: they are rejected." in page
    assert "| Attribute | Value |" in page  # no empty header row


def test_mechanism_page_caps_each_group_and_links_all(catalog, tmp_path) -> None:
    for number in range(1, 8):
        adrgen_record(tmp_path, number, f"Pipe {number}", mechanism="pipes")
    for number in range(8, 12):
        adrgen_record(tmp_path, number, f"Pipe {number}", mechanism="pipes", status="rejected")
    adrgen_record(tmp_path, 12, "Pipe 12", mechanism="pipes", status="proposed")
    page = _site(catalog, tmp_path, mechanism_recent=6).pages["catalog/mechanisms/pipes.md"]
    assert "### Accepted (7)" in page and "### Rejected (4)" in page
    shown = re.findall(r"^\| 00\d\d \|.*?\| \*\*(\w+)\*\*", page, re.MULTILINE)
    # six in all, shared by the statuses: the proposal, then accepted and rejected evenly
    assert sorted(shown) == ["accepted"] * 3 + ["proposed"] + ["rejected"] * 2
    assert "[all 12](../../decisions/by-mechanism/pipes/index.md)" in page
    assert page.count("[all 12 decisions](../../decisions/by-mechanism/pipes/index.md)") == 2


# --- getting started ------------------------------------------------------------------------


def test_init_then_new_then_site_build_shows_the_dashboard(tmp_path) -> None:
    """From an empty folder, exactly as a new team would run it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

    def run(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "adrgen", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done

    run("init", "--team", "payments")
    run("new", "--answers", str(ANSWERS), "--no-input")
    built = run("site", "build")
    assert "site written to" in built.stdout
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Decisions at a glance" in home
    assert "1 decision" in home and "Needs attention" in home
    assert "CLI talks to the local build daemon" in home
    # the record folder inside docs/ is published by the plugin only, never as a raw page
    assert not (
        tmp_path / "site" / "decisions" / "0001-cli-talks-to-the-local-build-daemon"
    ).exists()
    # the graph draws offline: mermaid comes with the site, not from the theme's CDN
    graph = next((tmp_path / "site").rglob("graph/index.html")).read_text(encoding="utf-8")
    assert "assets/adrgen/mermaid.tiny.js" in graph
    assert (tmp_path / "site" / "assets" / "adrgen" / "mermaid.tiny.js").stat().st_size > 1_000_000


def test_init_keeps_an_existing_mkdocs_file_and_says_how_to_extend_it(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: ours\n")
    run = adrgen("init", "--team", "payments")
    assert run.exit_code == 0, run.stderr
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: ours\n"
    assert (
        f"kept {tmp_path / 'mkdocs.yml'}: add the adrgen plugin to it (plugins: [search, adrgen])"
        in run.stdout
    )
    assert (tmp_path / "docs" / "decisions").is_dir()


def test_list_and_lint_on_a_new_team_say_no_records_yet(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert adrgen("init").exit_code == 0
    listed = adrgen("list")
    linted = adrgen("lint")
    assert (listed.exit_code, linted.exit_code) == (0, 0)
    assert "no records yet" in listed.stderr
    assert linted.stdout.strip().endswith("no records yet")


def test_site_takes_the_mkdocs_file_and_still_knows_config(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "nowhere.yml"
    new = adrgen("site", "build", "--mkdocs-file", str(missing))
    old = adrgen("site", "build", "--config", str(missing))
    assert new.exit_code == old.exit_code == 2
    assert new.stderr == f"{missing}: no such mkdocs config file\n"
    assert old.stderr.splitlines() == [
        "note: `adrgen site --config` is now --mkdocs-file (--config names .adrgen.yaml elsewhere)",
        f"{missing}: no such mkdocs config file",
    ]
    nothing = adrgen("site", "build")
    assert "pass --mkdocs-file FILE, or run `adrgen init`" in nothing.stderr
