"""Generated pages converted from markdown ahead of mkdocs, on every core of the machine.

mkdocs converts pages one after another, and in a site with thousands of records the record
pages and the listings of records are most of the build. Just before mkdocs reads the
pages, `convert_ahead` forks worker processes that read and convert those pages (the ones
not in the navigation) with mkdocs' own `Page.render`, exactly as the build would. The
build then reads each page as usual and runs every
plugin's events; only the conversion is taken from the worker, and only when the markdown
mkdocs is about to convert is the very text the worker converted. Anything else, and any
page a worker could not convert, is converted as usual.

What a worker logs (a link to a missing page, say) is logged again by the build when the
page's turn comes, so `--strict` counts it. Used by `build` only: the rebuilds of a
server are small, and forking a process that runs server threads is not safe.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
from dataclasses import dataclass
from typing import Any

from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.adrgen")

# below this many pages the workers cost more than they save
MIN_PAGES = 64
CHUNKS_PER_WORKER = 16
# a worker that died leaves its pages unanswered (the pool would wait for ever): after
# this many seconds for one chunk, the build does them itself
CHUNK_TIMEOUT = 300


@dataclass
class Converted:
    """What `Page.render` leaves on a page, in a form that crosses processes."""

    markdown: str
    content: str
    toc: Any
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # by the linked file's src_uri
    messages: list[tuple[str, int, str]]  # (logger, level, message) logged while converting


class ConvertedAheadPage(Page):
    """A page whose conversion a worker may already have done."""

    ahead: Converted | None = None

    def render(self, config: Any, files: Files) -> None:
        ahead, self.ahead = self.ahead, None
        if ahead is None or ahead.markdown != self.markdown:
            super().render(config, files)
            return
        for name, level, message in ahead.messages:
            logging.getLogger(name).log(level, message)
        self.content = ahead.content
        self.toc = ahead.toc
        self._title_from_render = ahead.title
        self.present_anchor_ids = ahead.anchors
        if ahead.links_to_anchors is not None:
            self.links_to_anchors = {}
            for src_uri, links in ahead.links_to_anchors.items():
                linked = files.get_file_from_path(src_uri)
                if linked is not None:
                    self.links_to_anchors[linked] = links


def worker_count() -> int:
    """The cores this process may run on (at most 8)."""
    return min(len(os.sched_getaffinity(0)), 8)


def all_from(modules: frozenset[str], things: Any) -> bool:
    """Whether each of these (plugins, their events) is defined in one of these modules or
    in a module inside one of them."""
    for thing in things:
        module = getattr(thing, "__module__", "") or ""
        if not any(module == name or module.startswith(name + ".") for name in modules):
            return False
    return True


def can_fork() -> bool:
    """Whether this process may fork workers that go on without `exec`."""
    import threading

    # only on Linux (macOS frameworks object to it), and only with one thread
    return sys.platform.startswith("linux") and threading.active_count() == 1


def forked_pool(workers: int) -> Any:
    """A pool of workers forked from this process as it is now, or None if none start."""
    # the workers' garbage collector would walk (and so copy) the whole inherited heap
    # again and again, which grows with the square of the page count: the heap as it is
    # now is left out of their collections (this process collects as usual)
    gc.freeze()
    try:
        return multiprocessing.get_context("fork").Pool(workers)
    except Exception as exc:  # a worker that cannot start: the build works in turn
        log.debug(f"no workers: {exc}")
        return None
    finally:
        gc.unfreeze()


def convert_ahead(pages_files: list[File], config: Any, files: Files) -> int:
    """Convert these files' pages in worker processes; how many were converted."""
    workers = worker_count()
    if len(pages_files) < MIN_PAGES or workers < 2 or not can_fork():
        return 0
    pages = [ConvertedAheadPage(None, file, config) for file in pages_files]
    size = max(1, -(-len(pages) // (workers * CHUNKS_PER_WORKER)))
    chunks = [
        [page.file.src_uri for page in pages[start : start + size]]
        for start in range(0, len(pages), size)
    ]
    global _BUILD
    _BUILD = (config, files)
    pool = forked_pool(workers)
    _BUILD = None
    if pool is None:
        return 0
    try:
        with pool:
            answers = pool.imap(_convert_chunk, chunks)
            results = [answers.next(timeout=CHUNK_TIMEOUT) for _ in chunks]
    except Exception as exc:  # a worker that died: the build converts as usual
        log.debug(f"converting pages ahead failed, converting one by one: {exc}")
        return 0
    by_uri = {page.file.src_uri: page for page in pages}
    done = 0
    for chunk in results:
        for src_uri, converted in chunk:
            if converted is not None:
                by_uri[src_uri].ahead = converted
                done += 1
    return done


# --- in the worker ----------------------------------------------------------------------

_BUILD: tuple[Any, Files] | None = None  # the build's config and files, inherited by fork


class CollectMessages(logging.Handler):
    """A worker says nothing itself: what it logs travels back with each page."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.messages.append((record.name, record.levelno, record.getMessage()))

    @classmethod
    def install(cls) -> CollectMessages:
        collect = cls()
        for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
            logger.handlers = [collect]
        return collect


def _convert_chunk(src_uris: list[str]) -> list[tuple[str, Converted | None]]:
    assert _BUILD is not None
    config, files = _BUILD
    collect = CollectMessages.install()
    results = []
    for src_uri in src_uris:
        file = files.get_file_from_path(src_uri)
        page = file.page if file is not None else None
        converted = None
        if isinstance(page, Page):
            collect.messages = []
            try:
                converted = _convert(page, config, files, collect)
            except Exception:  # the build converts it again and reports the error itself
                converted = None
        results.append((src_uri, converted))
    return results


def _convert(page: Page, config: Any, files: Files, collect: CollectMessages) -> Converted:
    """What mkdocs does to a page up to its conversion (`_populate_page`), then render."""
    config._current_page = page
    page = config.plugins.on_pre_page(page, config=config, files=files)
    page.read_source(config)
    page.markdown = config.plugins.on_page_markdown(
        page.markdown, page=page, config=config, files=files
    )
    Page.render(page, config, files)
    links = page.links_to_anchors
    return Converted(
        markdown=page.markdown,
        content=page.content,
        toc=page.toc,
        title=page._title_from_render,
        anchors=page.present_anchor_ids,
        links_to_anchors=(
            None
            if links is None
            else {linked.src_uri: dict(anchors) for linked, anchors in links.items()}
        ),
        messages=list(collect.messages),
    )
