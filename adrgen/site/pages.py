"""The site's pages as plain markdown: (catalog, records, options) -> {page path: markdown}.

Nothing here knows mkdocs: `adrgen.site.plugin` adds these pages to a mkdocs build, and
`write_pages` puts the same pages in a folder for another generator.

Layout (paths are markdown files; a site with directory URLs serves `x/y.md` as `x/y/`):

    index.md                         the dashboard: counts, newest decisions, what needs
                                     attention (decisions/dashboard.md when the site has
                                     its own home page)
    catalog/index.md                 the catalog home: the radar, mechanisms by stance, guidance
    catalog/mechanisms/<id>.md       one mechanism, with the decisions that chose it
    catalog/situations.md            accept vs avoid
    catalog/checklist.md             the decision checklist
    catalog/failure-modes.md         failure modes
    decisions/index.md               the decision log, newest first (first page)
    decisions/log/<n>.md             further pages of the log, `page_size` records each
    decisions/graph.md               the decision graph (a bounded slice, see below)
    decisions/attention.md           every decision that needs attention, paged like the log
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
records. Listing pages (the dashboard and graph among them) are left out of the search
index: a search finds the records themselves.

Page text comes from jinja2 templates in `templates/site/` (a team's `site/` folder beside
its record templates is looked up first), run in a sandbox. Every `{{ value }}` is escaped
to inert text unless a template marks it as catalog prose with `| md`.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from adrgen import resources
from adrgen.catalog.models import Catalog, Mechanism
from adrgen.errors import AdrgenError
from adrgen.site import dashboard
from adrgen.site.radar import FENCE as RADAR_FENCE
from adrgen.site.radar import Blip, radar_source
from adrgen.site.record_pages import (
    DECISIONS,
    RELATION_LABELS,
    RecordPage,
    RecordSource,
    build_record_pages,
    prepare_bodies,
    relative_link,
)
from adrgen.site.record_text import catalog_targets, page_body
from adrgen.site.wizard import add_wizard
from adrgen.templating.escape import code, css_class, entities, mermaid_label, prose, yaml_scalar
from adrgen.templating.escape import inline as text
from adrgen.templating.sandbox import (
    RecordEnvironment,
    RenderLimits,
    TemplateFolders,
    describe_failure,
    run_limited,
)
from adrgen.vocabulary import Stance, Status

CATALOG = "catalog"
SITE_TEMPLATES = "site"
STYLESHEET = "assets/adrgen/adrgen.css"
SCRIPT = "assets/adrgen/adrgen.js"  # filters the rows of a decision table, in the browser
# mermaid, served from the site: the theme fetches it from unpkg.com when a page has a diagram
# and no script named mermaid is on the page, which a site read offline cannot do
MERMAID_SCRIPT = "assets/adrgen/mermaid.tiny.js"


def mermaid_script() -> Path:
    """The mermaid adrgen ships (MIT; its licence beside it), published at MERMAID_SCRIPT."""
    return resources.templates_dir() / "site" / "mermaid" / "mermaid.tiny.js"


RECENT = 10  # the newest decisions on the dashboard


@dataclass
class SiteOptions:
    catalog_title: str = "IPC catalog"
    decisions_title: str = "Decisions"
    page_size: int = 100  # records on one page of the decision log
    graph_limit: int = 40  # most recent records drawn in the decision graph
    mechanism_recent: int = 20  # newest decisions of each status on a mechanism's own page
    templates_dir: Path | None = None  # a team's templates folder; its site/ is looked up first
    proposed_max_age: int = 30  # days a proposal may wait before the dashboard names it
    home_at_root: bool = True  # the dashboard is the site's home page (index.md)
    directory_urls: bool = True  # as mkdocs' use_directory_urls: for links in diagrams and scripts
    today: Date | None = None  # the day proposals are aged from (default: today)
    attachment_types: tuple[str, ...] = ()  # published beside records though they can run script
    # the catalog's radar, drawn by the plugin's fence (an export has no plugin: the table
    # under it says the same in words)
    radar: bool = True
    wizard: bool = True  # the page "Which IPC mechanism?" (adrgen.site.wizard)
    wizard_limit: int = 50_000  # answer paths past which the wizard is left out


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
    attention: str = f"{DECISIONS}/attention.md"
    dashboard: str = "index.md"  # or DASHBOARD_PAGE, when the site has its own home page

    @staticmethod
    def mechanism(m: Mechanism) -> str:
        return f"{CATALOG}/mechanisms/{m.id}.md"

    @staticmethod
    def log_page(number: int) -> str:
        return f"{DECISIONS}/index.md" if number == 1 else f"{DECISIONS}/log/{number}.md"

    @staticmethod
    def attention_page(number: int) -> str:
        return f"{DECISIONS}/attention.md" if number == 1 else f"{DECISIONS}/attention/{number}.md"

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


DASHBOARD_PAGE = f"{DECISIONS}/dashboard.md"


@dataclass
class Site:
    """Everything a generator needs to publish the catalog and the records."""

    pages: dict[str, str] = field(default_factory=dict)  # page path -> markdown
    files: dict[str, Path] = field(default_factory=dict)  # site path -> file to copy
    texts: dict[str, str] = field(default_factory=dict)  # site path -> a generated file's text
    stylesheet: str = ""  # the CSS of the badges; published at STYLESHEET
    script: str = ""  # the script that filters decision tables; published at SCRIPT
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
    (out_dir / SCRIPT).write_text(site.script, encoding="utf-8")
    for path, content in site.texts.items():
        (out_dir / path).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / path).write_text(content, encoding="utf-8")


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
    if options.proposed_max_age < 0:
        raise AdrgenError("site: proposed_max_age must be 0 or more days")
    records = build_record_pages(catalog, sources)
    site = Site()
    site.files = prepare_bodies(records, options.attachment_types)
    targets = catalog_targets(catalog)
    for record in records:
        here = posixpath.dirname(record.path)
        related = {
            relative_link(target.path, here)
            for group in record.relation_groups
            for target in group.targets
            if target.path
        }
        record.body = page_body(
            record.body, targets, lambda t, h=here: relative_link(t, h), related
        )
    records.sort(key=RecordPage.sort_key, reverse=True)
    for record in records:
        site.notices.extend(record.problems)
    pages = _SitePages(site, catalog, sources, records, options)
    pages.catalog_pages()
    pages.log_and_graph()
    pages.tag_pages()
    pages.dashboard()
    pages.record_pages(kept)
    pages.navigation()
    if options.wizard:
        add_wizard(site, catalog, options, pages.add)
    site.stylesheet = pages.renderer.asset("adrgen.css")
    site.script = pages.renderer.asset("adrgen.js")
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
        self.paths = Paths(dashboard="index.md" if options.home_at_root else DASHBOARD_PAGE)
        self.by_mechanism: dict[str, list[RecordPage]] = {}
        # combined designs: the records whose control channel beside their data path it is
        self.by_control: dict[str, list[RecordPage]] = {}
        for record in records:
            if record.mechanism_entry is not None:
                self.by_mechanism.setdefault(record.mechanism_entry.id, []).append(record)
            if record.control_entry is not None:
                self.by_control.setdefault(record.control_entry.id, []).append(record)
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
        wide: bool = False,
        **context: Any,
    ) -> None:
        """With `wide`, the page takes the table of contents' room (for wide tables)."""
        context.setdefault("show_source", len(self.sources) > 1)
        markdown = self.renderer.render(
            template, path, title=title, paths=self.paths, tag_paths=self.tag_paths, **context
        )
        self.site.pages[path] = _front_matter(title, tags, searched, wide) + markdown

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
                wide=True,
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
        accepted = {
            m_id: sum(1 for r in chosen if r.status == "accepted")
            for m_id, chosen in self.by_mechanism.items()
        }
        # the radar's blips are numbered in the order of the table below it
        ordered = [m for ring in rings for m in ring["mechanisms"]]
        blips = [
            Blip(
                number=index,
                name=m.name,
                stance=m.stance.value,
                scope=m.scope.value,
                accepted=accepted.get(m.id, 0),
                href=self.page_url(Paths.mechanism(m), paths.catalog),
            )
            for index, m in enumerate(ordered, start=1)
        ]
        self.add(
            paths.catalog,
            "catalog.md.j2",
            catalog.meta.title,
            meta=catalog.meta,
            rings=rings,
            numbered=[(index, m) for index, m in enumerate(ordered, start=1)],
            radar=(
                Markup(f"``` {RADAR_FENCE}\n{radar_source(blips)}\n```")
                if self.options.radar
                else None
            ),
            record_counts={k: len(v) for k, v in self.by_mechanism.items()},
            accepted_counts=accepted,
        )
        cap = min(self.options.mechanism_recent, self.options.page_size)
        for m in self.mechanisms:
            chosen = self.by_mechanism.get(m.id, [])
            control = self.by_control.get(m.id, [])
            listing = Paths.listing_pages("by-mechanism", m.id)
            groups = _by_status(chosen)
            room = _allot([len(rows) for _, _, rows in groups], cap)
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
                groups=[
                    {"label": label, "settled": settled, "rows": rows[:n], "total": len(rows)}
                    for (label, settled, rows), n in zip(groups, room, strict=True)
                ],
                total=len(chosen),
                truncated=len(chosen) > cap,
                listing=listing(1),
                # standing decisions first, as in the groups above; the log lists the rest
                control_rows=[r for _, _, rows in _by_status(control) for r in rows][:cap],
                control_total=len(control),
            )
            if len(chosen) > cap:
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

    def page_url(self, target: str, here: str) -> str:
        """A link as the built site addresses pages, for links mkdocs does not rewrite."""
        return page_url(target, here, self.options.directory_urls)

    def log_and_graph(self) -> None:
        self.add_pages(
            Paths.log_page,
            "log.md.j2",
            "Decision log",
            self.records,
            sources=self.sources,
        )
        limit = self.options.graph_limit
        here = self.paths.graph
        shown, extra, mermaid = _graph(
            self.records, limit, lambda target: self.page_url(target, here)
        )
        self.add(
            here,
            "graph.md.j2",
            "Decision graph",
            searched=False,  # a listing; its diagram's source is no text to search for
            wide=True,
            shown=shown,
            extra=extra,
            total=len(self.records),
            limit=limit,
            statuses=[status for status, _ in dashboard.status_counts(shown)],
            mermaid=Markup(mermaid),
        )

    def dashboard(self) -> None:
        """The home page: counts, the newest decisions, and what needs attention."""
        options = self.options
        attention = dashboard.needs_attention(
            self.records,
            self.sources,
            self.catalog,
            options.proposed_max_age,
            options.today or Date.today(),
        )
        mechanisms = [
            {
                "m": m,
                "accepted": sum(
                    1 for r in self.by_mechanism.get(m.id, []) if r.status == "accepted"
                ),
                "total": len(self.by_mechanism.get(m.id, [])),
            }
            for m in self.mechanisms
        ]
        self.add(
            self.paths.dashboard,
            "dashboard.md.j2",
            "Dashboard",
            searched=False,
            wide=True,
            total=len(self.records),
            sources=self.sources,
            statuses=dashboard.status_counts(self.records),
            recent=self.records[:RECENT],
            attention=attention[:RECENT],
            attention_total=len(attention),
            mechanisms=mechanisms,
            proposed_max_age=options.proposed_max_age,
        )
        self.add_pages(
            Paths.attention_page,
            "attention.md.j2",
            "Needs attention",
            attention,
            proposed_max_age=options.proposed_max_age,
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
                    control=record.info.control,
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
        decisions: list[Any] = [
            {"Decision log": paths.log},
            {"Needs attention": paths.attention},
            {"Graph": paths.graph},
            {"Tags": paths.tags},
        ]
        home: list[Any] = []
        if options.home_at_root:
            home = [{"Dashboard": paths.dashboard}]
        else:
            decisions.insert(0, {"Dashboard": paths.dashboard})
        self.site.nav = [
            *home,
            {entities(options.decisions_title): decisions},
            {
                entities(options.catalog_title): [
                    {"Radar": paths.catalog},
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
        ]
        self.site.in_nav = {
            paths.dashboard,
            paths.attention,
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
        record.source.title,  # the team it is shown by
        repr(record.info),
        record.body,
        repr(record.relation_groups),
        tuple(record.notes),
        record.mechanism_path,
    )


def _front_matter(
    title: str, tags: list[str] | None = None, searched: bool = True, wide: bool = False
) -> str:
    """The page's own front matter. The theme prints the title and tags without escaping
    them, so they are written as HTML entities; the record's own front matter is not kept.
    A wide page hides the table of contents (material's `hide`), giving its tables the room."""
    lines = ["---", f"title: {yaml_scalar(entities(title))}"]
    if tags:
        lines.append(f"tags: [{', '.join(yaml_scalar(entities(tag)) for tag in tags)}]")
    if not searched:
        lines.append("search: {exclude: true}")
    if wide:
        lines.append("hide: [toc]")
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

    def asset(self, name: str) -> str:
        """The stylesheet or script: the team's own if it has one, else adrgen's."""
        from adrgen.files.reading import read_text

        for folder in (self.team_dir, self.builtin):
            if folder is not None and os.path.lexists(folder / name):
                return read_text(folder / name)  # a FIFO or device is refused
        return ""


def _status_badge(record: RecordPage | str | None) -> Markup:
    """A record's status (or a status) as a coloured badge."""
    if isinstance(record, str) or record is None:
        status = behaves = record
    else:
        # a word of its own (on hold, reverted) also takes the colour of the status it
        # behaves as
        status, behaves = record.status, record.info.lifecycle or record.status
    if not status:
        return Markup("")
    classes = dict.fromkeys([status, behaves])
    shown = " ".join(f".adrgen-status-{css_class(word)}" for word in classes)
    return Markup(f"**{text(status)}**{{ .adrgen-status {shown} }}")


def _address(path: str, directory_urls: bool) -> str:
    """Where mkdocs publishes a markdown page: `a/b.md` at `a/b/` (or `a/b.html`)."""
    path, hash_mark, anchor = path.partition("#")
    if path.endswith(".md"):
        stem = path[:-3]
        if not directory_urls:
            path = stem + ".html"
        elif stem == "index" or stem.endswith("/index"):
            path = stem[: -len("index")]
        else:
            path = stem + "/"
    return path + hash_mark + anchor


def page_url(target: str, here: str, directory_urls: bool = True) -> str:
    """A link from the page `here` to `target` (site paths of markdown files) as the built
    site addresses them: for links in diagrams, which mkdocs does not rewrite."""
    address = _address(target, directory_urls)
    path, hash_mark, anchor = address.partition("#")
    folder = posixpath.dirname(_address(here, directory_urls) + "x")  # `a/b/` or `a/b.html`: a
    way = posixpath.relpath(path or ".", folder or ".")
    if path == "" or path.endswith("/"):
        way = "./" if way == "." else way + "/"
    return way + hash_mark + anchor


def _allot(sizes: list[int], room: int) -> list[int]:
    """How many of each group's items fit in `room`: shared out evenly, in order, and what
    a small group leaves goes to the others (accepted, first, gets any remainder)."""
    given = [0] * len(sizes)
    waiting = [i for i, size in enumerate(sizes) if size]
    while room > 0 and waiting:
        share = max(1, room // len(waiting))
        for i in list(waiting):
            take = min(share, sizes[i] - given[i], room)
            given[i] += take
            room -= take
            if given[i] == sizes[i]:
                waiting.remove(i)
            if room == 0:
                break
    return given


def _by_status(records: list[RecordPage]) -> list[tuple[str, bool, list[RecordPage]]]:
    """A mechanism's decisions grouped: (heading, settled against it?, records newest first);
    accepted first, then proposed, then every other status, each under its own heading."""
    groups: dict[str, list[RecordPage]] = {}
    for record in records:
        groups.setdefault(record.status or "", []).append(record)
    order = [s for s in dashboard.STATUS_ORDER if s in groups]
    order += sorted(s for s in groups if s not in dashboard.STATUS_ORDER and s)
    order += [""] if "" in groups else []
    return [
        (
            status.capitalize() if status else "No status",
            status not in ("accepted", "proposed"),
            groups[status],
        )
        for status in order
    ]


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


# status colours in the graph, as the badges have them: white text on each meets WCAG AA
GRAPH_STATUS_COLOURS = {
    Status.accepted: "#2e7d32",
    Status.proposed: "#1565c0",
    Status.rejected: "#c62828",
    Status.superseded: "#6d4c41",
    Status.deprecated: "#6a1b9a",
}
GRAPH_OTHER_COLOUR = "#616161"
GRAPH_MECHANISM_COLOUR = "#37474f"


def _graph_class(status: str | None) -> str:
    return "st_" + css_class(status or "unknown").replace("-", "_")


def _graph(
    records: list[RecordPage], limit: int, link: Callable[[str], str]
) -> tuple[list[RecordPage], int, str]:
    """Mermaid for the `limit` most recent records, the records they link to, and mechanisms.

    The slice is bounded because mermaid lays the graph out in the reader's browser: past a
    hundred or so nodes it is slow and unreadable. Each node is coloured by status and links
    to its page (`link` gives the address from the graph's page).
    """
    from urllib.parse import quote

    shown = records[:limit]
    by_path = {r.path: r for r in records}
    nodes: dict[str, str] = {}
    # drawn at its own size (on a phone it scrolls sideways rather than shrink out of reach)
    lines = ["---", "config:", "  flowchart:", "    useMaxWidth: false", "---", "flowchart LR"]
    ordered: list[RecordPage] = []

    def click(node_id: str, target: str, tip: str) -> None:
        address = quote(link(target), safe="/#.-_~")
        lines.append(f'  click {node_id} href "{address}" "{mermaid_label(tip)}"')

    def node(record: RecordPage) -> str:
        if record.path not in nodes:
            nodes[record.path] = node_id = f"r{len(nodes)}"
            ordered.append(record)
            lines.append(f'  {node_id}["{mermaid_label(record.label)}"]')
            lines.append(f"  class {node_id} {_graph_class(record.status)}")
            click(node_id, record.path, f"{record.label} ({record.status or 'no status'})")
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
                if (
                    group.label == RELATION_LABELS["relates"]
                    and (edge[1], edge[0], edge[2]) in edges
                ):
                    continue
                edges.add(edge)
    for source, target, kind in sorted(edges):
        arrow = "-.->" if kind == RELATION_LABELS["relates"] else "-->"
        lines.append(f"  {source} {arrow}|{kind.lower()}| {target}")
    mechanisms: dict[str, str] = {}

    def mechanism_node(m: Mechanism) -> str:
        """One node a mechanism, whether records chose it for their data or their control."""
        if m.id not in mechanisms:
            mechanisms[m.id] = node_id = f"m{len(mechanisms)}"
            lines.append(f'  {node_id}(["{mermaid_label(m.name)}"])')
            lines.append(f"  class {node_id} mechanism")
            click(node_id, Paths.mechanism(m), f"{m.name}: {m.stance.value}")
        return mechanisms[m.id]

    for record in ordered:
        if record.mechanism_entry is not None:
            lines.append(f"  {nodes[record.path]} --- {mechanism_node(record.mechanism_entry)}")
    for record in ordered:
        if record.control_entry is not None:
            control = mechanism_node(record.control_entry)
            lines.append(f"  {nodes[record.path]} -.-|control| {control}")
    statuses = {record.status for record in ordered}
    for status in sorted(statuses, key=lambda s: s or ""):
        colour = GRAPH_STATUS_COLOURS.get(status or "", GRAPH_OTHER_COLOUR)
        lines.append(f"  classDef {_graph_class(status)} fill:{colour},stroke:{colour},color:#fff")
    lines.append(
        f"  classDef mechanism fill:{GRAPH_MECHANISM_COLOUR},stroke:{GRAPH_MECHANISM_COLOUR},color:#fff"
    )
    extra = len(ordered) - len(shown)
    return ordered, extra, "\n".join(lines)
