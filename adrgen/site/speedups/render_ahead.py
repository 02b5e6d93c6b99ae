"""Record pages put through the theme's page template ahead of mkdocs, on every core.

Once every plugin has seen the template environment (`env`), mkdocs builds the pages one
after another: each page's context and plugin events, the theme's page template, then the
file. With thousands of records, the template and the theme's search indexing are most of
that. `RenderAhead` forks worker processes that do both for the record pages (those out of
the navigation) as mkdocs' `_build_page` would, in the order mkdocs builds them, while the
build goes on in the main process.

The build still builds every page itself and runs every plugin's events for it. Two
results are taken from the workers, each only when the page's content is exactly what the
worker worked from: the template's output (`adrgen-record.html` then extends
`adrgen-rendered.html`, which prints it) and the search plugin's entries for the page.
What a worker logged is logged again when its page's turn comes, so `--strict` counts it.
A worker that does not answer leaves its pages to be rendered in turn.

A plugin's `page_context` event runs in the worker as well, on the worker's copy of the
plugin. That is only right for an event that depends on nothing but the page, so pages
are rendered ahead only when every plugin with that event is one known to be such."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mkdocs.structure.pages import Page

from adrgen.site.speedups.convert_ahead import (
    CHUNK_TIMEOUT,
    CollectMessages,
    all_from,
    can_fork,
    forked_pool,
    worker_count,
)

log = logging.getLogger("mkdocs.plugins.adrgen")

RENDERED_TEMPLATE = "adrgen-rendered.html"

# plugins whose `page_context` event looks at nothing but the page (and, for search,
# collects it in the index the main process builds again by itself)
PAGE_CONTEXT_PURE = frozenset(
    {
        "adrgen.site.plugin",
        "material.plugins.search.plugin",
        "material.plugins.tags.plugin",
    }
)

MIN_PAGES = 64
PAGES_PER_CHUNK = 8


@dataclass
class Rendered:
    content_before: str | None  # the page's content before the `page_context` events
    content: str | None  # the page's content as the template saw it, if the events changed it
    output: str
    search_entries: list[list[dict]]  # what each search plugin indexed
    messages: list[tuple[str, int, str]]


def plugins_allow_it(config: Any) -> bool:
    """Whether every plugin's `page_context` event may run in a worker as well."""
    return all_from(PAGE_CONTEXT_PURE, config.plugins.events.get("page_context", []))


def search_indexes(config: Any) -> list[Any]:
    """The search indexes of the theme's search plugins, in the order they run."""
    from material.plugins.search.plugin import SearchPlugin

    return [
        plugin.search_index
        for plugin in config.plugins.values()
        if isinstance(plugin, SearchPlugin) and getattr(plugin, "search_index", None) is not None
    ]


class RenderAhead:
    """Worker processes rendering pages through the theme, handed out in build order.

    Their search entries are handed out too: the theme's search plugin, when a page's
    turn comes, takes the entries the worker made from the same content instead of
    reading the page's HTML again.
    """

    def __init__(self, pool: Any, results: Iterator, src_uris: set[str], indexes: list[Any]):
        self._pool = pool
        self._results = results
        self._waiting = set(src_uris)  # not yet fetched from the workers
        self._ready: dict[str, Rendered | None] = {}
        self._taken: dict[str, Rendered] = {}
        self._indexes = indexes
        for position, index in enumerate(indexes):
            index.add_entry_from_context = self._indexer(position, index)

    @classmethod
    def start(
        cls, pages: list[Page], config: Any, nav: Any, env: Any, files: Any
    ) -> RenderAhead | None:
        workers = worker_count()
        if len(pages) < MIN_PAGES or workers < 2 or not can_fork() or not plugins_allow_it(config):
            return None
        chunks = [
            [page.file.src_uri for page in pages[start : start + PAGES_PER_CHUNK]]
            for start in range(0, len(pages), PAGES_PER_CHUNK)
        ]
        global _BUILD
        _BUILD = (config, nav, env, files, files.documentation_pages())
        pool = forked_pool(workers)
        _BUILD = None
        if pool is None:
            return None
        src_uris = {uri for chunk in chunks for uri in chunk}
        return cls(pool, pool.imap(_render_chunk, chunks), src_uris, search_indexes(config))

    def template_for(self, page: Any) -> str | None:
        """`adrgen-rendered.html` when a worker's output for this page can be used."""
        src_uri = page.file.src_uri
        rendered = self._fetch(src_uri)
        self._ready.pop(src_uri, None)
        if rendered is None:
            return None
        seen = rendered.content_before if rendered.content is None else rendered.content
        if seen != page.content:
            return None
        self._taken[src_uri] = rendered
        return RENDERED_TEMPLATE

    def output(self, page: Any) -> str:
        rendered = self._taken.pop(page.file.src_uri)
        for name, level, message in rendered.messages:
            logging.getLogger(name).log(level, message)
        return rendered.output

    def _indexer(self, position: int, index: Any) -> Any:
        index_page = index.add_entry_from_context  # the plugin's own

        def add_entry_from_context(page: Any) -> None:
            rendered = self._fetch(page.file.src_uri)
            if rendered is None or rendered.content_before != page.content:
                index_page(page)
            else:
                index.entries.extend(rendered.search_entries[position])

        return add_entry_from_context

    def _fetch(self, src_uri: str) -> Rendered | None:
        if src_uri in self._waiting:
            while src_uri not in self._ready:
                try:
                    chunk = self._results.next(timeout=CHUNK_TIMEOUT)
                except Exception as exc:  # a worker that died: the rest render in turn
                    log.debug(f"rendering pages ahead stopped, rendering in turn: {exc}")
                    self.close()
                    return None
                self._ready.update(chunk)
                self._waiting.difference_update(uri for uri, _ in chunk)
        return self._ready.get(src_uri)

    def close(self) -> None:
        self._waiting.clear()
        self._ready.clear()
        for index in self._indexes:
            index.__dict__.pop("add_entry_from_context", None)
        self._indexes = []
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


# --- in the worker ----------------------------------------------------------------------

# config, nav, env, files and the pages among them: inherited by fork
_BUILD: tuple[Any, Any, Any, Any, list] | None = None


def _render_chunk(src_uris: list[str]) -> list[tuple[str, Rendered | None]]:
    assert _BUILD is not None
    config, nav, env, files, doc_files = _BUILD
    collect = CollectMessages.install()
    indexes = search_indexes(config)
    results = []
    for src_uri in src_uris:
        page = files.get_file_from_path(src_uri).page
        collect.messages = []
        try:
            rendered = _render(page, config, nav, env, doc_files, indexes, collect)
        except Exception:  # the build renders it again and reports the error itself
            rendered = None
        results.append((src_uri, rendered))
    return results


def _render(
    page: Page,
    config: Any,
    nav: Any,
    env: Any,
    doc_files: Any,
    indexes: list[Any],
    collect: CollectMessages,
) -> Rendered:
    """What mkdocs' `_build_page` does up to the template's output."""
    from mkdocs.commands.build import get_context

    content_before = page.content
    indexed = [len(index.entries) for index in indexes]
    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = template.render(context)
    finally:
        page.active = False
        config._current_page = None
    entries = []
    for index, before in zip(indexes, indexed, strict=True):
        entries.append(index.entries[before:])
        del index.entries[before:]
    return Rendered(
        content_before=content_before,
        content=None if page.content == content_before else page.content,
        output=output,
        search_entries=entries,
        messages=list(collect.messages),
    )
