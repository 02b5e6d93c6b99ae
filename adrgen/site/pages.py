"""The site's pages as plain markdown: (catalog, records, options) -> {page path: markdown}.

Nothing here knows mkdocs: `adrgen.site.plugin` adds these pages to a mkdocs build, and
`write_pages` puts the same pages in a folder for another generator.

Layout (paths are markdown files; a site with directory URLs serves `x/y.md` as `x/y/`):

    catalog/index.md                 the catalog home: mechanisms by stance, guidance
    catalog/mechanisms/<id>.md       one mechanism, with the decisions that chose it
    catalog/situations.md            accept vs avoid
    catalog/checklist.md             the decision checklist
    catalog/failure-modes.md         failure modes
    decisions/index.md               the decision log, newest first (first page)
    decisions/log/<n>.md             further pages of the log, `page_size` records each
    decisions/graph.md               the decision graph (a bounded slice, see below)
    decisions/tags.md                the tags, each with its number of decisions
    decisions/tags/<n>.md            further pages of the tags
    decisions/by-tag/<tag>/...       the decisions with one tag, paged like the log
    decisions/by-mechanism/<id>/...  all decisions that chose a mechanism, paged like the log
    decisions/<folder>/<file>.md     one page per record; files it links to beside it

Pages are built to scale to thousands of records: the navigation names the catalog
sections and the first log page only; record pages are reached from the log, the mechanism
pages, tags and search. No page lists more than `page_size` records: the log and the
listings by tag and by mechanism are split into pages, a mechanism's own page shows its
`mechanism_recent` newest decisions, and the graph shows at most `graph_limit` recent
records. Listing pages are left out of the search index: a search finds the records
themselves.

Page text comes from jinja2 templates in `templates/site/` (a team's `site/` folder beside
its record templates is looked up first), run in a sandbox. Every `{{ value }}` is escaped
to inert text unless a template marks it as catalog prose with `| md`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from adrgen import resources
from adrgen.catalog.models import Catalog, Mechanism
from adrgen.errors import AdrgenError
from adrgen.site.record_pages import (
    DECISIONS,
    RecordPage,
    RecordSource,
    build_record_pages,
    prepare_bodies,
    relative_link,
)
from adrgen.templating.escape import code, css_class, entities, mermaid_label, prose, yaml_scalar
from adrgen.templating.escape import inline as text
from adrgen.templating.sandbox import (
    RecordEnvironment,
    RenderLimits,
    TemplateFolders,
    describe_failure,
    run_limited,
)
from adrgen.vocabulary import Stance

CATALOG = "catalog"
SITE_TEMPLATES = "site"
STYLESHEET = "assets/adrgen/adrgen.css"


@dataclass
class SiteOptions:
    catalog_title: str = "IPC catalog"
    decisions_title: str = "Decisions"
    page_size: int = 100  # records on one page of the decision log
    graph_limit: int = 40  # most recent records drawn in the decision graph
    mechanism_recent: int = 20  # newest decisions shown on a mechanism's own page
    templates_dir: Path | None = None  # a team's templates folder; its site/ is looked up first


@dataclass
class Paths:
    """Where the fixed pages are; templates link to them through `paths`."""

    catalog: str = f"{CATALOG}/index.md"
    situations: str = f"{CATALOG}/situations.md"
    checklist: str = f"{CATALOG}/checklist.md"
    failure_modes: str = f"{CATALOG}/failure-modes.md"
    log: str = f"{DECISIONS}/index.md"
    graph: str = f"{DECISIONS}/graph.md"
    tags: str = f"{DECISIONS}/tags.md"

    @staticmethod
    def mechanism(m: Mechanism) -> str:
        return f"{CATALOG}/mechanisms/{m.id}.md"

    @staticmethod
    def log_page(number: int) -> str:
        return f"{DECISIONS}/index.md" if number == 1 else f"{DECISIONS}/log/{number}.md"

    @staticmethod
    def tags_page(number: int) -> str:
        return f"{DECISIONS}/tags.md" if number == 1 else f"{DECISIONS}/tags/{number}.md"

    @staticmethod
    def listing_pages(kind: str, slug: str) -> Callable[[int], str]:
        """Where the pages of one listing go: `kind` is by-mechanism or by-tag."""

        def page(number: int) -> str:
            name = "index" if number == 1 else str(number)
            return f"{DECISIONS}/{kind}/{slug}/{name}.md"

        return page


@dataclass
class Site:
    """Everything a generator needs to publish the catalog and the records."""

    pages: dict[str, str] = field(default_factory=dict)  # page path -> markdown
    files: dict[str, Path] = field(default_factory=dict)  # site path -> file to copy
    stylesheet: str = ""  # the CSS of the badges; published at STYLESHEET
    nav: list[Any] = field(default_factory=list)  # mkdocs-style nav: [{title: path | [...]}]
    in_nav: set[str] = field(default_factory=set)  # pages the nav names
    raw_html_pages: set[str] = field(default_factory=set)  # pages that need their raw HTML
    record_pages: set[str] = field(default_factory=set)  # one page per record
    notices: list[str] = field(default_factory=list)  # one line per record problem


def site_pages(
    catalog: Catalog, sources: list[RecordSource], options: SiteOptions | None = None
) -> dict[str, str]:
    """{page path: markdown} for the catalog and every record."""
    return build_site(catalog, sources, options).pages


def write_pages(site: Site, out_dir: Path) -> None:
    """Write the pages and the files they link to into a folder (for another generator)."""
    import shutil

    for path, markdown in site.pages.items():
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    for path, source in site.files.items():
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    (out_dir / STYLESHEET).parent.mkdir(parents=True, exist_ok=True)
    (out_dir / STYLESHEET).write_text(site.stylesheet, encoding="utf-8")


def build_site(
    catalog: Catalog,
    sources: list[RecordSource],
    options: SiteOptions | None = None,
    kept: dict[tuple, str] | None = None,
) -> Site:
    """The site's pages. `kept` carries record pages from one build to the next (a server
    rebuilding after an edit): a page whose inputs are unchanged is not rendered again."""
    options = options or SiteOptions()
    if options.page_size < 1 or options.graph_limit < 1 or options.mechanism_recent < 1:
        raise AdrgenError("site: page_size, graph_limit and mechanism_recent must be at least 1")
    records = build_record_pages(catalog, sources)
    site = Site()
    site.files = prepare_bodies(records)
    records.sort(key=RecordPage.sort_key, reverse=True)
    for record in records:
        site.notices.extend(record.problems)
    pages = _SitePages(site, catalog, sources, records, options)
    pages.catalog_pages()
    pages.log_and_graph()
    pages.tag_pages()
    pages.record_pages(kept)
    pages.navigation()
    site.stylesheet = pages.renderer.stylesheet()
    return site


class _SitePages:
    """Adds each kind of page to the site; one method a kind."""

    def __init__(
        self,
        site: Site,
        catalog: Catalog,
        sources: list[RecordSource],
        records: list[RecordPage],
        options: SiteOptions,
    ):
        self.site, self.catalog, self.sources, self.records = site, catalog, sources, records
        self.options = options
        self.renderer = _Renderer(catalog, options)
        self.paths = Paths()
        self.by_mechanism: dict[str, list[RecordPage]] = {}
        for record in records:
            if record.mechanism_entry is not None:
                self.by_mechanism.setdefault(record.mechanism_entry.id, []).append(record)
        self.mechanisms = sorted(
            catalog.mechanisms, key=lambda m: (m.stance.rank, m.ceremony, m.id)
        )
        self.tag_slugs = _tag_slugs(records)
        self.tag_paths = {
            tag: Paths.listing_pages("by-tag", slug)(1) for tag, slug in self.tag_slugs.items()
        }

    def add(
        self,
        path: str,
        template: str,
        title: str,
        *,
        tags: list[str] | None = None,
        searched: bool = True,
        **context: Any,
    ) -> None:
        markdown = self.renderer.render(template, path, title=title, paths=self.paths, **context)
        self.site.pages[path] = _front_matter(title, tags, searched) + markdown

    def add_pages(
        self, page_path: Callable[[int], str], template: str, title: str, rows: list, **context
    ) -> None:
        """A list split into pages of `page_size`, with a pager; not searched."""
        size = self.options.page_size
        count = max(1, -(-len(rows) // size))
        for number in range(1, count + 1):
            self.add(
                page_path(number),
                template,
                title if number == 1 else f"{title}, page {number}",
                searched=False,
                rows=rows[(number - 1) * size : number * size],
                page_number=number,
                page_count=count,
                page_size=size,
                total=len(rows),
                pager=_pager(page_path, number, count),
                **context,
            )

    def catalog_pages(self) -> None:
        catalog, paths = self.catalog, self.paths
        meanings = {s.id: s.meaning for s in catalog.meta.stances}
        rings = [
            {
                "stance": stance,
                "meaning": meanings.get(stance, ""),
                "mechanisms": [m for m in self.mechanisms if m.stance is stance],
            }
            for stance in Stance
        ]
        self.add(
            paths.catalog,
            "catalog.md.j2",
            catalog.meta.title,
            meta=catalog.meta,
            rings=rings,
            record_counts={k: len(v) for k, v in self.by_mechanism.items()},
        )
        for m in self.mechanisms:
            chosen = self.by_mechanism.get(m.id, [])
            listing = Paths.listing_pages("by-mechanism", m.id)
            self.add(
                Paths.mechanism(m),
                "mechanism.md.j2",
                m.name,
                m=m,
                stance_meaning=meanings.get(m.stance, ""),
                accepting=[s for s in catalog.situations if m.id in s.accepts],
                avoiding=[s for s in catalog.situations if m.id in s.avoids],
                failure_modes=[f for f in catalog.failure_modes if m.id in f.warns_about],
                tooling=[t for t in catalog.meta.tooling_examples if m.id in t.mechanisms],
                records=chosen[: self.options.mechanism_recent],
                total=len(chosen),
                listing=listing(1),
            )
            if len(chosen) > self.options.mechanism_recent:
                back = relative_link(Paths.mechanism(m), posixpath.dirname(listing(1)))
                self.add_pages(
                    listing,
                    "listing.md.j2",
                    f"Decisions that chose {entities(m.name)}",
                    chosen,
                    about=Markup(f"chose [{text(m.name)}]({back})"),
                )
        self.add(paths.situations, "situations.md.j2", "Situations", situations=catalog.situations)
        self.add(
            paths.checklist, "checklist.md.j2", "Decision checklist", checklist=catalog.checklist
        )
        self.add(
            paths.failure_modes,
            "failure-modes.md.j2",
            "Failure modes",
            failure_modes=catalog.failure_modes,
        )

    def log_and_graph(self) -> None:
        self.add_pages(
            Paths.log_page,
            "log.md.j2",
            "Decision log",
            self.records,
            sources=self.sources,
            show_source=len(self.sources) > 1,
        )
        limit = self.options.graph_limit
        shown, extra, mermaid = _graph(self.records, limit)
        self.add(
            self.paths.graph,
            "graph.md.j2",
            "Decision graph",
            shown=shown,
            extra=extra,
            total=len(self.records),
            limit=limit,
            mermaid=Markup(mermaid),
        )

    def tag_pages(self) -> None:
        by_tag: dict[str, list[RecordPage]] = {}
        for record in self.records:
            for tag in dict.fromkeys(record.tags):
                by_tag.setdefault(tag, []).append(record)
        tags = [
            {"name": tag, "count": len(by_tag[tag]), "path": self.tag_paths[tag]}
            for tag in sorted(by_tag, key=lambda t: (t.lower(), t))
        ]
        self.add_pages(Paths.tags_page, "tags.md.j2", "Decisions by tag", tags)
        # a team's tags page may hold the listing marker of material's tags plugin, a comment
        self.site.raw_html_pages.add(self.paths.tags)
        for tag, tagged in by_tag.items():
            back = relative_link(self.paths.tags, posixpath.dirname(self.tag_paths[tag]))
            self.add_pages(
                Paths.listing_pages("by-tag", self.tag_slugs[tag]),
                "listing.md.j2",
                f"Decisions tagged {entities(tag)}",
                tagged,
                about=Markup(f"are tagged {code(tag)} ([all tags]({back}))"),
            )

    def record_pages(self, kept: dict[tuple, str] | None) -> None:
        """One page a record; with `kept`, a page whose inputs are unchanged is reused."""
        if kept is not None:
            stamp = (_catalog_stamp(self.catalog), self.renderer.stamp(), repr(self.options))
            counts = {source.name: len(source.records) for source in self.sources}
        reused: dict[tuple, str] = {}
        for record in self.records:
            tag_paths = [self.tag_paths[tag] for tag in record.tags]
            markdown = key = None
            if kept is not None:
                key = (stamp, counts[record.source.name], *tag_paths, *_record_inputs(record))
                markdown = kept.get(key)
            if markdown is None:
                self.add(
                    record.path,
                    "record.md.j2",
                    record.title,
                    tags=record.tags,
                    r=record,
                    body=Markup(record.body),
                    tag_pages=[
                        {"name": tag, "path": path}
                        for tag, path in zip(record.tags, tag_paths, strict=True)
                    ],
                )
            else:
                self.site.pages[record.path] = markdown
            if key is not None:
                reused[key] = self.site.pages[record.path]
            self.site.record_pages.add(record.path)
        if kept is not None:  # only this build's pages are kept for the next
            kept.clear()
            kept.update(reused)

    def navigation(self) -> None:
        paths, options = self.paths, self.options
        self.site.nav = [
            {
                entities(options.catalog_title): [
                    {"Overview": paths.catalog},
                    {
                        "Mechanisms": [
                            {entities(m.name): Paths.mechanism(m)} for m in self.mechanisms
                        ]
                    },
                    {"Situations": paths.situations},
                    {"Decision checklist": paths.checklist},
                    {"Failure modes": paths.failure_modes},
                ]
            },
            {
                entities(options.decisions_title): [
                    {"Decision log": paths.log},
                    {"Graph": paths.graph},
                    {"Tags": paths.tags},
                ]
            },
        ]
        self.site.in_nav = {
            paths.catalog,
            paths.situations,
            paths.checklist,
            paths.failure_modes,
            paths.log,
            paths.graph,
            paths.tags,
            *(Paths.mechanism(m) for m in self.mechanisms),
        }


# --- rendering ------------------------------------------------------------------------


def _catalog_stamp(catalog: Catalog) -> str:
    import hashlib

    return hashlib.sha256(catalog.model_dump_json().encode()).hexdigest()


def _record_inputs(record: RecordPage) -> tuple:
    """What a record's page is made from, beside the catalog and the templates."""
    return (
        record.path,
        record.source.name,
        repr(record.info),
        record.body,
        repr(record.relation_groups),
        tuple(record.notes),
        record.mechanism_path,
    )


def _front_matter(title: str, tags: list[str] | None = None, searched: bool = True) -> str:
    """The page's own front matter. The theme prints the title and tags without escaping
    them, so they are written as HTML entities; the record's own front matter is not kept."""
    lines = ["---", f"title: {yaml_scalar(entities(title))}"]
    if tags:
        lines.append(f"tags: [{', '.join(yaml_scalar(entities(tag)) for tag in tags)}]")
    if not searched:
        lines.append("search: {exclude: true}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _tag_slugs(records: list[RecordPage]) -> dict[str, str]:
    """Each tag's name in addresses; tags that make the same slug are numbered."""
    from adrgen.records.slugs import record_slug

    slugs: dict[str, str] = {}
    taken: set[str] = set()
    every_tag = {tag for record in records for tag in record.tags}
    for tag in sorted(every_tag, key=lambda t: (t.lower(), t)):
        slug = base = record_slug(tag, max_length=60)
        suffix = 1
        while slug in taken:
            suffix += 1
            slug = f"{base}-{suffix}"
        taken.add(slug)
        slugs[tag] = slug
    return slugs


def _finalize(value: Any) -> Any:
    """Every `{{ value }}` is inert text unless it is already markup."""
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return str(value)
    if isinstance(value, bool | int | float):
        return str(value)
    return text(value)


class SiteTemplateEnvironment(RecordEnvironment):
    """The record templates' sandbox (limits, bounded operators), and no way to a file.

    Site templates get the record and catalog objects; a path among their attributes could
    read or write files, so paths are out of a template's reach altogether.
    """

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, PurePath) or isinstance(value, PurePath):
            return False
        return super().is_safe_attribute(obj, attr, value)


class _Renderer:
    """Renders the site's templates: a team's in the sandbox, adrgen's own without it.

    The sandbox guards against what a template does; the values are made inert by
    `_finalize` in both. adrgen's own templates are part of adrgen, and outside the sandbox
    they render about twice as fast, which counts with thousands of record pages.
    """

    def __init__(self, catalog: Catalog, options: SiteOptions):
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        from adrgen.templating.cache import compiled_templates_cache

        self.builtin = resources.templates_dir() / SITE_TEMPLATES
        self.team_dir = options.templates_dir / SITE_TEMPLATES if options.templates_dir else None
        folders = [self.team_dir] if self.team_dir is not None else []
        self.limits = RenderLimits()
        self.loader = TemplateFolders([*folders, self.builtin], self.builtin)
        self.catalog = catalog
        self.env = SiteTemplateEnvironment(self.loader, self.limits)
        self.own_env = Environment(
            loader=FileSystemLoader(str(self.builtin)),
            undefined=StrictUndefined,
            autoescape=False,  # markdown, not HTML: `_finalize` escapes every value
            keep_trailing_newline=True,
            auto_reload=False,
        )
        for env in (self.env, self.own_env):
            env.finalize = _finalize  # read when templates compile: every value is escaped
            env.trim_blocks = env.lstrip_blocks = True
            env.filters["md"] = prose
            env.filters["code"] = code
            env.filters["anchor"] = lambda v: Markup(css_class(v))
            env.filters["text"] = lambda v: Markup(text(v))
            env.globals.update(
                mechanism=catalog.mechanism,
                mechanism_path=Paths.mechanism,
                status_badge=_status_badge,
            )
        self.own_env.bytecode_cache = compiled_templates_cache(self.own_env, "site-templates")
        self._templates: dict[str, tuple[Any, bool]] = {}

    def _template(self, name: str) -> tuple[Any, bool]:
        """The compiled template, and whether it is adrgen's own."""
        found = self._templates.get(name)
        if found is None:
            own = self.loader.locate(name).parent == self.builtin
            env = self.own_env if own else self.env
            found = self._templates[name] = (env.get_template(name), own)
        return found

    def render(self, name: str, path: str, **context: Any) -> str:
        here = posixpath.dirname(path)

        def url(target: str) -> Markup:
            """A relative link from this page to another generated page or file."""
            return Markup(quote(relative_link(target, here)))  # `#` in a name is no anchor

        def mechanism_link(mechanism_id: str) -> Markup:
            m = self.catalog.mechanism(mechanism_id)
            if m is None:
                return Markup(text(mechanism_id))
            return Markup(f"[{text(m.name)}]({url(Paths.mechanism(m))})")

        fallback = f"site template {name!r}"
        try:
            template, own = self._template(name)
            context = {"url": url, "mechanism_link": mechanism_link, **context}
            if own:
                return template.render(context)
            return run_limited(template, context, self.limits)
        except Exception as exc:  # anything a team's template does wrong is its own error
            raise AdrgenError(
                describe_failure(exc, self.loader.served, fallback, self.limits)
            ) from None

    def stamp(self) -> tuple:
        """The template files as they are now: an edited template renders pages afresh."""
        files = []
        for folder in (self.team_dir, self.builtin):
            if folder is not None and folder.is_dir():
                for path in sorted(folder.iterdir()):
                    stat = path.stat()
                    files.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(files)

    def stylesheet(self) -> str:
        for folder in (self.team_dir, self.builtin):
            if folder is not None and (folder / "adrgen.css").is_file():
                return (folder / "adrgen.css").read_text(encoding="utf-8")
        return ""


def _status_badge(record: RecordPage) -> Markup:
    if not record.status:
        return Markup("")
    # a word of its own (on hold, reverted) also takes the colour of the status it behaves as
    classes = dict.fromkeys([record.status, record.info.lifecycle or record.status])
    shown = " ".join(f".adrgen-status-{css_class(word)}" for word in classes)
    return Markup(f"**{text(record.status)}**{{ .adrgen-status {shown} }}")


def _pager(page_path: Callable[[int], str], number: int, count: int) -> Markup:
    """Links to the first, previous, next and last pages of a list and a few around this one."""
    if count == 1:
        return Markup("")
    here = posixpath.dirname(page_path(number))

    def link(n: int, label: str | None = None) -> str:
        shown = label or str(n)
        if n == number:
            return f"**{shown}**"
        return f"[{shown}]({relative_link(page_path(n), here)})"

    window = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    parts = []
    if number > 1:
        parts.append(link(number - 1, "previous"))
    previous = 0
    for n in window:
        if n - previous > 1:
            parts.append("…")
        parts.append(link(n))
        previous = n
    if number < count:
        parts.append(link(number + 1, "next"))
    return Markup(f"Page {number} of {count}: " + " ".join(parts) + "{ .adrgen-pager }")


def _graph(records: list[RecordPage], limit: int) -> tuple[list[RecordPage], int, str]:
    """Mermaid for the `limit` most recent records, the records they link to, and mechanisms.

    The slice is bounded because mermaid lays the graph out in the reader's browser: past a
    hundred or so nodes it is slow and unreadable.
    """
    shown = records[:limit]
    by_path = {r.path: r for r in records}
    nodes: dict[str, str] = {}
    lines = ["flowchart LR"]
    ordered: list[RecordPage] = []

    def node(record: RecordPage) -> str:
        if record.path not in nodes:
            nodes[record.path] = f"r{len(nodes)}"
            ordered.append(record)
            lines.append(f'  {nodes[record.path]}["{mermaid_label(record.label)}"]')
        return nodes[record.path]

    for record in shown:
        node(record)
    # each link is drawn once, from the record that supersedes or amends
    turned = {"Superseded by": "Supersedes", "Amended by": "Amends"}
    edges: set[tuple[str, str, str]] = set()
    for record in shown:
        for group in record.relation_groups:
            for target in group.targets:
                other = by_path.get(target.path or "")
                if other is None or (len(nodes) >= 2 * limit and other.path not in nodes):
                    continue  # not published, or past the graph's bound
                if group.label in turned:
                    edge = (node(other), node(record), turned[group.label])
                else:
                    edge = (node(record), node(other), group.label)
                if group.label == "Related" and (edge[1], edge[0], edge[2]) in edges:
                    continue
                edges.add(edge)
    for source, target, kind in sorted(edges):
        arrow = "-.->" if kind == "Related" else "-->"
        lines.append(f"  {source} {arrow}|{kind.lower()}| {target}")
    mechanisms: dict[str, str] = {}
    for record in ordered:
        m = record.mechanism_entry
        if m is None:
            continue
        if m.id not in mechanisms:
            mechanisms[m.id] = f"m{len(mechanisms)}"
            lines.append(f'  {mechanisms[m.id]}(["{mermaid_label(m.name)}"])')
            lines.append(f"  class {mechanisms[m.id]} mechanism")
        lines.append(f"  {nodes[record.path]} --- {mechanisms[m.id]}")
    lines.append("  classDef mechanism fill:#e8f5e9,stroke:#2e7d32")
    extra = len(ordered) - len(shown)
    return ordered, extra, "\n".join(lines)
