"""Whole-site builds: the project's own site, records from other tools, real record folders,
and the structure that keeps a site of thousands of records fast."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from adrgen.cli import cli
from tests.conftest import CORPORA, REPO
from tests.sitebuild import (
    adrgen_record,
    build_in_process,
    generated_records,
    log_html,
    mkdocs_subprocess,
    write_config,
)

pytestmark = pytest.mark.slow

_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def log_rows(site_dir: Path) -> list[list[str]]:
    """The decision log's table rows as plain text cells, every page of it."""
    rows = []
    for row in _ROW.findall(log_html(site_dir)):
        cells = [html.unescape(_TAG.sub("", c)).strip() for c in _CELL.findall(row)]
        if cells:
            rows.append(cells)
    return rows


# --- the project's own site --------------------------------------------------------------


def test_project_site_builds_strict_with_plain_mkdocs(tmp_path) -> None:
    result = mkdocs_subprocess(REPO / "site" / "mkdocs.yml", tmp_path / "out", "--strict")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    assert "end of life" not in result.stderr  # the theme's notice is kept out
    assert (tmp_path / "out" / "catalog" / "mechanisms" / "unix-sockets" / "index.html").is_file()
    assert (tmp_path / "out" / "decisions" / "index.html").is_file()
    assert not (REPO / "site" / "docs" / "catalog").exists()  # nothing written into docs/


def test_adrgen_site_build_writes_where_asked(runner, tmp_path) -> None:
    result = runner.invoke(
        cli,
        ["site", "build", "--config", str(REPO / "site" / "mkdocs.yml"), "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert f"open {tmp_path / 'index.html'}" in result.output
    assert (tmp_path / "decisions" / "graph" / "index.html").is_file()


def test_records_option_publishes_other_folders(runner, tmp_path) -> None:
    records = tmp_path / "team-b"
    records.mkdir()
    adrgen_record(records, 7, "Team b pipes its logs", mechanism="pipes")
    out = tmp_path / "public"
    args = ["site", "build", "--config", str(REPO / "site" / "mkdocs.yml"), "--out", str(out)]
    result = runner.invoke(cli, [*args, "--records", str(records)])
    assert result.exit_code == 0, result.output
    log = log_html(out)
    assert "Team b pipes its logs" in log
    assert "CLI talks to the local build daemon" not in log  # the config's folder is replaced
    assert "ADRGEN_SITE_RECORDS" not in os.environ  # and only for that build


def test_missing_record_folder_is_one_line_and_exit_2(tmp_path) -> None:
    config = write_config(tmp_path, [tmp_path / "no-such-folder"])
    out = subprocess.run(
        [sys.executable, "-m", "adrgen", "site", "build", "--config", str(config)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert out.stderr.strip().splitlines()[-1].endswith("no-such-folder: record folder not found")
    assert "Traceback" not in out.stderr


def test_missing_config_is_a_user_error(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    from adrgen.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["site", "build"])
    assert exit_info.value.code == 2


# --- records from generators and from other tools ----------------------------------------

ADR_TOOLS_RECORD = """# 301. Use a FIFO between the scanner and the uploader

Date: 2023-05-04

## Status

Superseded by [302. Upload through the daemon socket](0302-upload-through-the-daemon-socket.md)

## Context

The scanner and the uploader are started by the same supervisor.

## Decision

A named pipe connects them.

## Consequences

Nothing else can read the stream.
"""

ADR_TOOLS_SUPERSEDER = """# 302. Upload through the daemon socket

Date: 2023-09-14

## Status

Accepted

Supersedes [301. Use a FIFO between the scanner and the uploader](0301-use-a-fifo-between-the-scanner-and-the-uploader.md)

## Context

Several scanners now share one uploader.

## Decision

The uploader listens on a Unix domain socket.

## Consequences

The socket's permissions decide who may upload.
"""

MADR2_RECORD = """# Metrics agent reads counters from shared memory

* Status: proposed
* Deciders: Farah Khan, Lee
* Date: 2023-11-30

Technical Story: the agent samples 40 000 counters a second.

## Context and Problem Statement

Sampling over a socket costs more than the work it measures.

## Considered Options

* Shared memory
* Unix domain socket

## Decision Outcome

Chosen option: "Shared memory", because only it keeps up.
"""


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory):
    """200 generated records plus hand-written adr-tools and MADR 2 records, built once."""
    tmp = tmp_path_factory.mktemp("mixed")
    folder = tmp / "decisions"
    generated_records(folder, 200)
    (folder / "0301-use-a-fifo-between-the-scanner-and-the-uploader.md").write_text(
        ADR_TOOLS_RECORD
    )
    (folder / "0302-upload-through-the-daemon-socket.md").write_text(ADR_TOOLS_SUPERSEDER)
    (folder / "0303-metrics-agent-reads-counters-from-shared-memory.md").write_text(MADR2_RECORD)
    started = time.perf_counter()
    site_dir = build_in_process(write_config(tmp, [folder], site_dir=tmp / "public"))
    seconds = time.perf_counter() - started
    print(f"\nsite of 203 records built in {seconds:.2f} s")
    return site_dir, seconds


def test_generated_and_hand_written_records_all_appear_in_the_log(mixed_site) -> None:
    site_dir, _ = mixed_site
    rows = log_rows(site_dir)
    assert len(rows) == 203
    titles = {row[1] for row in rows}
    for number in range(1, 201):
        assert f"Generated decision {number} about component {number % 17}" in titles
    by_title = {row[1]: row for row in rows}
    fifo = by_title["Use a FIFO between the scanner and the uploader"]
    assert fifo[0] == "0301" and fifo[2] == "superseded" and fifo[3] == "2023-05-04"
    socket = by_title["Upload through the daemon socket"]
    assert socket[0] == "0302" and socket[2] == "accepted"
    madr2 = by_title["Metrics agent reads counters from shared memory"]
    assert madr2[:4] == [
        "0303",
        "Metrics agent reads counters from shared memory",
        "proposed",
        "2023-11-30",
    ]
    assert madr2[6] == "Farah Khan, Lee"  # after the tags


def test_log_is_newest_first_and_paginated(mixed_site) -> None:
    site_dir, _ = mixed_site
    first_page = log_rows(site_dir)[:100]
    dates = [row[3] for row in first_page]
    assert dates == sorted(dates, reverse=True)
    assert (site_dir / "decisions" / "log" / "3" / "index.html").is_file()
    assert not (site_dir / "decisions" / "log" / "4").exists()


def test_supersede_links_show_on_both_records(mixed_site) -> None:
    site_dir, _ = mixed_site
    older = (
        (
            site_dir
            / "decisions"
            / "decisions"
            / "0301-use-a-fifo-between-the-scanner-and-the-uploader"
        )
        .joinpath("index.html")
        .read_text()
    )
    newer = (
        (site_dir / "decisions" / "decisions" / "0302-upload-through-the-daemon-socket")
        .joinpath("index.html")
        .read_text()
    )
    assert re.search(r"Superseded by: <a href=\"../0302-upload-through-the-daemon-socket/\"", older)
    assert re.search(r"Supersedes: <a href=\"../0301-use-a-fifo", newer)


def test_mechanism_pages_list_the_records_that_chose_them(mixed_site) -> None:
    site_dir, _ = mixed_site
    # generated records choose the mechanisms in turn: 1, 9, 17, ... chose pipes
    chose_pipes = {f"Generated decision {n} about component {n % 17}" for n in range(1, 201, 8)}
    page = (site_dir / "catalog" / "mechanisms" / "pipes" / "index.html").read_text()
    shown = set(re.findall(r">(Generated decision \d+ about component \d+)<", page))
    assert len(shown) == 20 and shown < chose_pipes, "20 on the mechanism's page, by status"
    assert f"all {len(chose_pipes)}</a>" in page
    listing = site_dir / "decisions" / "by-mechanism" / "pipes" / "index.html"
    assert 'href="../../../decisions/by-mechanism/pipes/"' in page
    listed = set(re.findall(r">(Generated decision \d+ about component \d+)<", listing.read_text()))
    assert listed == chose_pipes


def test_200_record_build_time_is_recorded(mixed_site) -> None:
    _, seconds = mixed_site
    assert seconds < 60  # a guard against a quadratic slip; the benchmark measures properly


# --- real record folders, read in place ----------------------------------------------------

_H1 = re.compile(r"^#\s+(?:\d+\.\s+)?(.+?)\s*$", re.MULTILINE)


def _expected(path: Path) -> dict[str, str | None]:
    """Title, number or date, and status of a record, read from the file independently."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        front, _, body = text[3:].partition("\n---")
    else:
        front, body = "", text
    title = _H1.search(body).group(1)
    number = re.match(r"^(\d{4})-", path.name)
    date = re.search(r"^(?:\* |- )?Date:\s*(\d{4}-\d{2}-\d{2})", body, re.MULTILINE)
    status = (
        re.search(r"^status:\s*(.+)$", front, re.MULTILINE)
        or re.search(r"^## Status\s*\n\s*\n?(.+)$", body, re.MULTILINE)
        or re.search(r"^(?:\* |- )Status:\s*(.+)$", body, re.MULTILINE)
    )
    status_word = None
    if status:
        status_word = re.split(r"\s+by\b|[\[,(]", status.group(1).strip().lower())[0].strip(" .")
        # the badge shows adrgen's word for a synonym (the record page keeps the text too)
        status_word = {"pending": "proposed", "approved": "accepted"}.get(status_word, status_word)
    return {
        "title": " ".join(title.split()),
        "number": number.group(1) if number else None,
        "date": date.group(1) if date else None,
        "status": status_word,
    }


@pytest.fixture(scope="module")
def corpora_site(tmp_path_factory):
    folders = sorted(p for p in CORPORA.iterdir() if p.is_dir()) if CORPORA.is_dir() else []
    if not folders:
        pytest.skip(f"{CORPORA} is not here")
    tmp = tmp_path_factory.mktemp("corpora")
    site_dir = build_in_process(write_config(tmp, folders, site_dir=tmp / "public"), strict=True)
    return folders, site_dir


def test_real_record_folders_are_published_in_place(corpora_site) -> None:
    folders, site_dir = corpora_site
    rows = log_rows(site_dir)
    records = [
        p
        for folder in folders
        for p in sorted(folder.glob("*.md"))
        if p.stem.lower() not in ("readme", "index", "template")
    ]
    assert len(rows) == len(records) == 75
    unmatched = list(rows)
    for path in records:
        want = _expected(path)
        candidates = [r for r in unmatched if r[1] == want["title"]]
        if want["number"]:
            candidates = [r for r in candidates if r[0] == want["number"]]
        if want["date"]:
            candidates = [r for r in candidates if r[3] == want["date"]]
        assert candidates, f"{path.name}: {want} not in the log"
        row = candidates[0]
        assert row[2] == (want["status"] or ""), f"{path.name}: status {row[2]!r}, want {want}"
        assert row[0] or row[3], f"{path.name}: neither a number nor a date"
        unmatched.remove(row)
    assert unmatched == []


def test_real_records_pages_exist_and_broken_images_are_noted(corpora_site) -> None:
    _, site_dir = corpora_site
    page = site_dir / "decisions" / "adr-madr" / "0008-add-status-field" / "index.html"
    text = page.read_text()
    assert "0008-example-badge.png: no such file, not published" in text
    # the fenced example's own front matter and H1 stay in the code block
    assert "status: accepted" in text and "<h1" in text
    govuk = (
        site_dir
        / "decisions"
        / "alphagov-govuk-aws"
        / "0004-dns-definitions-for-hosts-and-services"
    )
    assert (
        'Superseded by: <a href="../0015-dns-infrastructure/"' in (govuk / "index.html").read_text()
    )


# --- scale ------------------------------------------------------------------------------------


def test_300_record_site_pages_do_not_each_list_every_record(tmp_path) -> None:
    folder = tmp_path / "decisions"
    generated_records(folder, 300)
    config = write_config(
        tmp_path,
        [folder],
        site_dir=tmp_path / "public",
        plugin_extra="      page_size: 25\n      graph_limit: 10",
    )
    site_dir = build_in_process(config)
    record_link = re.compile(r'href="(?:[^"]*/)?(\d{4})-[^"/]*/?"')

    def linked_records(page: Path) -> set[str]:
        return set(record_link.findall(page.read_text(encoding="utf-8")))

    pages = list(site_dir.rglob("index.html"))
    assert len(pages) > 300
    record_pages = list((site_dir / "decisions" / "decisions").glob("*/index.html"))
    assert len(record_pages) == 300
    for page in record_pages:
        assert len(linked_records(page)) < 10, page
    listed = {}
    for page in pages:  # the log, the mechanisms and the tags: pages of 25 at most
        listed[page] = linked_records(page)
        assert len(listed[page]) <= 25, page
    assert len(log_rows(site_dir)) == 300
    by_tag = [p for p in pages if "by-tag" in p.parts]
    by_mechanism = [p for p in pages if "by-mechanism" in p.parts]
    assert len(by_tag) == 5 * 3, "five tags of 60 records, 25 to a page"
    assert len(by_mechanism) == 4 * 2 + 4 * 2, "eight mechanisms of 37 or 38 records"
    assert len(set().union(*(listed[p] for p in by_tag))) == 300
    assert len(set().union(*(listed[p] for p in by_mechanism))) == 300


def test_plugin_in_a_site_without_nav_and_with_named_folders(tmp_path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Team site\n")
    (docs / "runbook.md").write_text("# Runbook\n")
    for team in ("payments", "search"):
        generated_records(tmp_path / team / "adr", 3)
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: team\ndocs_dir: docs\nsite_dir: {tmp_path / 'out'}\n"
        "theme: {name: material, font: false}\n"
        "plugins:\n  - search\n  - tags\n  - adrgen:\n"
        f"      catalog: {REPO / 'catalog'}\n"
        "      records:\n        - Payments team: payments/adr\n        - search/adr\n"
        "      decisions_nav_title: Our decisions\n"
    )
    site_dir = build_in_process(tmp_path / "mkdocs.yml", strict=True)
    home = (site_dir / "index.html").read_text()
    for title in ("Runbook", "IPC catalog", "Our decisions", "Decision log", "Unix domain sockets"):
        assert f"{title}\n" in home or f">{title}<" in home, title
    assert (
        site_dir / "decisions" / "payments-team" / "0001-generated-decision-1-about-component-1"
    ).is_dir()
    assert (site_dir / "decisions" / "adr").is_dir()
    rows = log_rows(site_dir)
    # a folder is shown by the name the options give it
    assert len(rows) == 6 and {row[7] for row in rows} == {"Payments team", "adr"}


def test_dirty_serving_rebuilds_only_what_an_edit_changed(tmp_path) -> None:
    import os

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    records = tmp_path / "records"
    records.mkdir()
    for number in range(1, 31):
        adrgen_record(records, number, f"Decision number {number}")
    config = load_config(str(write_config(tmp_path, [records])))
    plugin = config.plugins["adrgen"]
    plugin.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        site = tmp_path / "public" / "decisions" / "records"
        pages = {p.parent.name: p for p in site.glob("*/index.html")}
        assert len(pages) == 30
        old = {name: os.stat(p).st_mtime_ns for name, p in pages.items()}
        time.sleep(0.05)
        edited = next(records.glob("0007-*.md"))
        edited.write_text(
            edited.read_text().replace("The peers run on one host.", "Edited context.")
        )
        build(config, dirty=True)
        changed = {name for name, p in pages.items() if os.stat(p).st_mtime_ns != old[name]}
        assert changed == {edited.stem}
        assert "Edited context." in pages[edited.stem].read_text()
    finally:
        plugin.on_shutdown()
    assert plugin.staging is None
