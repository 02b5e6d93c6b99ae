"""The mkdocs plugin: publishes the IPC catalog and decision records in any mkdocs site.

    plugins:
      - search
      - tags
      - adrgen:
          catalog: ../catalog            # default: the team's (.adrgen.yaml) or the shipped one
          records: [../docs/decisions]   # one or more folders; {name: folder} names one
          overlay: ../.adrgen/overlay.yaml
          templates: ../templates        # a team's templates; its site/ folder is tried first

Paths are relative to mkdocs.yml. This module is the plugin's only mkdocs code, with
`adrgen.site.build` that runs mkdocs for `adrgen site`; both use mkdocs' public plugin API
alone: the pages themselves come from `adrgen.site.pages`, a plain function, and are added
here as generated files, so nothing is written into the docs folder.

A build (`mkdocs build`, `gh-deploy`, `adrgen site build`; not `serve`, not `--dirty`)
writes into a new folder beside the site folder, which takes the site folder's place when
every plugin has written its files: a build that fails or is killed leaves the last site.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url, nest_paths

from adrgen.errors import AdrgenError
from adrgen.files.staged_folder import CannotStage, StagedFolder
from adrgen.site import wizard
from adrgen.site.html_whitespace import collapse_indentation
from adrgen.site.inert_markdown import MERMAID, PAGE_EXTENSIONS
from adrgen.site.pages import (
    MERMAID_SCRIPT,
    SCRIPT,
    STYLESHEET,
    Site,
    SiteOptions,
    build_site,
    mermaid_script,
)
from adrgen.site.radar import FENCE as RADAR_FENCE
from adrgen.site.radar import radar_fence
from adrgen.site.safe_markdown import SafeMarkdown, check_extensions

log = get_plugin_logger(__name__)

RECORDS_OVERRIDE = "ADRGEN_SITE_RECORDS"
HOME_PAGE = "index.md"


class AdrgenConfig(base.Config):
    catalog = c.Optional(c.Type(str))
    records = c.ListOfItems(c.Type((str, dict)), default=[])
    overlay = c.Optional(c.Type(str))
    templates = c.Optional(c.Type(str))
    catalog_nav_title = c.Type(str, default="IPC catalog")
    decisions_nav_title = c.Type(str, default="Decisions")
    page_size = c.Type(int, default=100)
    graph_limit = c.Type(int, default=40)
    mechanism_recent = c.Type(int, default=20)
    proposed_max_age = c.Type(int, default=30)  # days before the dashboard names a proposal
    # what a team accepts although it can run script on its site (see adrgen.site.safe_markdown
    # and adrgen.site.record_pages): markdown extensions for record pages, attachment types
    trusted_extensions = c.ListOfItems(c.Type(str), default=[])
    attachment_types = c.ListOfItems(c.Type(str), default=[])
    wizard = c.Type(bool, default=True)  # the page "Which IPC mechanism?"
    wizard_limit = c.Type(int, default=50_000)  # answer paths past which it is left out


class AdrgenPlugin(BasePlugin[AdrgenConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.safe = SafeMarkdown()
        self.safe_pages: set[str] = set()
        self.record_pages: set[str] = set()
        self.generated_pages: set[str] = set()
        self.watched: list[Path] = []
        # record pages kept between the builds of one `serve`: unchanged ones are not redone
        self.kept_pages: dict[tuple, str] = {}

    # --- configuration ----------------------------------------------------------------
    # `mkdocs serve --dirty`: pages are staged as files, rewritten only when their text
    # changes, so mkdocs rebuilds just the pages an edit touched
    staging: Path | None = None
    staged: dict[str, str]  # what each staged file holds

    full_build: bool = False  # `build` or `gh-deploy`, not --dirty
    ships_mermaid = False  # the site has no mermaid of its own: adrgen publishes one

    # a full build writes the site into a new folder beside the site folder, which takes the
    # site folder's place when every plugin has written its files (adrgen.files.staged_folder)
    staged_site: _StagedSite | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # a dirty build skips the pages whose output is newer than their source
        self.full_build = command in ("build", "gh-deploy") and not dirty
        if command == "serve" and dirty and self.staging is None:
            import tempfile

            self.staging = Path(tempfile.mkdtemp(prefix="adrgen-pages-"))
            self.staged = {}

    def on_shutdown(self) -> None:
        self._abandon_staged_site()
        if self.staging is not None:
            import shutil

            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def _page_file(self, config: Any, path: str, markdown: str, inclusion: Any) -> File:
        if self.staging is None:
            return File.generated(config, path, content=markdown, inclusion=inclusion)
        staged = self.staging / path
        if self.staged.get(path) != markdown or not staged.is_file():
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_text(markdown, encoding="utf-8")
            self.staged[path] = markdown
        return File.generated(config, path, abs_src_path=str(staged), inclusion=inclusion)

    # --- the site folder, replaced whole -----------------------------------------------
    @event_priority(100)  # first: every plugin then sees the folder this build writes to
    def _stage_site(self, config: Any) -> Any:
        self._abandon_staged_site()
        if not self.full_build:  # a server's builds and dirty ones keep mkdocs' own ways
            return config
        try:
            staged = StagedFolder.begin(Path(config.site_dir))
        except CannotStage as exc:
            log.info(
                f"{exc}: the site is written in place, as mkdocs writes it "
                "(a build stopped midway leaves part of a site)"
            )
            return config
        self.staged_site = _StagedSite(staged, config)
        return config

    def _abandon_staged_site(self) -> None:
        """A build that failed or stopped: the site folder stays as the last build left it."""
        if self.staged_site is not None:
            staged, self.staged_site = self.staged_site, None
            staged.abandon()

    def read_inputs(self, base_dir: Path) -> None:
        """Find the catalog, overlay, templates and record folders the options name
        (relative to `base_dir`) and load the catalog; AdrgenError on bad input."""
        self._resolve(base_dir)
        self.catalog = self._load_catalog()

    def _configure(self, config: Any) -> Any:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        try:
            self.read_inputs(base_dir)
            check_extensions(config.markdown_extensions, self.config.trusted_extensions)
        except AdrgenError as exc:
            raise PluginError(f"adrgen: {exc.message}") from None
        _ensure_extensions(config)
        # last, so that it can take out the raw-HTML handlers other extensions registered
        config.markdown_extensions.append(self.safe)
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if SCRIPT not in config.extra_javascript:
            config.extra_javascript.append(SCRIPT)
        if self.config.wizard:
            config.extra_css.append(wizard.STYLE)
            config.extra_javascript.append(wizard.SCRIPT)
        # a site that brings its own mermaid keeps it
        self.ships_mermaid = not any(
            PurePosixPath(str(script)).name.startswith("mermaid")
            for script in config.extra_javascript
        )
        return config

    def _resolve(self, base_dir: Path) -> None:
        from adrgen.config.workspace import resolve_workspace

        def path(value: str | None) -> Path | None:
            return (base_dir / value).resolve() if value else None

        team = resolve_workspace(cwd=base_dir)  # a team's .adrgen.yaml fills in the defaults
        self.catalog_dir = path(self.config.catalog) or team.catalog_dir
        self.overlay_path = path(self.config.overlay) or team.overlay_path
        self.templates_dir = path(self.config.templates)
        if self.templates_dir is None and team.templates_dir and team.templates_dir.is_dir():
            # the team's folder is looked in when it is there (`adrgen init` names one)
            self.templates_dir = team.templates_dir
        self.record_dirs: list[Path] = []
        self.record_names: list[str | None] = []
        # `adrgen site build --records DIR` publishes other folders than the config names
        override = os.environ.get(RECORDS_OVERRIDE)
        items = override.split(os.pathsep) if override else self.config.records
        for item in items or [str(team.records_dir)]:
            if isinstance(item, dict):
                if len(item) != 1:
                    raise AdrgenError(
                        f"records: an entry is a folder, or one `name: folder` pair, not {item!r}"
                    )
                ((name, folder),) = item.items()
                self.record_names.append(str(name))
                self.record_dirs.append(path(str(folder)))
            else:
                self.record_names.append(None)
                self.record_dirs.append(path(item))
        for folder in self.record_dirs:
            if not folder.is_dir():
                raise AdrgenError(f"records: {folder}: record folder not found")
        from adrgen.config.workspace import team_name_of

        # a folder is shown by its `name:` here, else by the team its .adrgen.yaml names
        self.record_teams = [
            name or team_name_of(folder)
            for name, folder in zip(self.record_names, self.record_dirs, strict=True)
        ]
        if self.templates_dir is not None and not self.templates_dir.is_dir():
            raise AdrgenError(f"templates: {self.templates_dir}: folder not found")
        self.watched = [self.catalog_dir, *self.record_dirs]
        if self.overlay_path is not None:
            self.watched.append(self.overlay_path)

    def _load_catalog(self):
        from adrgen.catalog.loading import load_catalog

        catalog = load_catalog(self.catalog_dir)
        if self.overlay_path is not None:
            from adrgen.catalog.overlay import apply_overlay

            catalog = apply_overlay(catalog, self.overlay_path)
        return catalog

    # --- pages ------------------------------------------------------------------------
    def make_site(
        self,
        kept: dict[tuple, str] | None = None,
        *,
        home_at_root: bool = True,
        directory_urls: bool = True,
        radar: bool = True,
        wizard: bool = True,
    ) -> Site:
        """The pages of the catalog and the records the options name (AdrgenError on bad
        input); `read_inputs` first. `home_at_root`: the dashboard is the site's home.
        `radar`, `wizard`: pages that need the plugin (its fence, its scripts)."""
        from adrgen.site.record_pages import load_sources

        options = SiteOptions(
            catalog_title=self.config.catalog_nav_title,
            decisions_title=self.config.decisions_nav_title,
            page_size=self.config.page_size,
            graph_limit=self.config.graph_limit,
            mechanism_recent=self.config.mechanism_recent,
            templates_dir=self.templates_dir,
            proposed_max_age=self.config.proposed_max_age,
            home_at_root=home_at_root,
            directory_urls=directory_urls,
            radar=radar,
            attachment_types=tuple(self.config.attachment_types),
            wizard=wizard and self.config.wizard,
            wizard_limit=self.config.wizard_limit,
        )
        sources = load_sources(self.record_dirs, self.record_names)
        for source, team in zip(sources, self.record_teams, strict=True):
            source.team = team
        return build_site(self.catalog, sources, options, kept)

    def on_files(self, files: Files, config: Any) -> Files:
        try:
            site = self.make_site(
                self.kept_pages,
                # a site's own index.md stays its home page; the dashboard then has its own
                home_at_root=files.get_file_from_path(HOME_PAGE) is None,
                directory_urls=config.use_directory_urls,
            )
        except AdrgenError as exc:
            raise PluginError(f"adrgen: {exc.message}") from None
        for notice in site.notices:
            # INFO, not WARNING: a record another tool wrote must not fail a --strict build
            log.info(notice)

        own_pages = [
            f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_in_nav)
        ]
        for path, markdown in site.pages.items():
            if files.get_file_from_path(path) is not None:
                log.info(f"{path}: the docs folder has this page; it is used instead")
                continue
            inclusion = (
                InclusionLevel.INCLUDED if path in site.in_nav else InclusionLevel.NOT_IN_NAV
            )
            files.append(self._page_file(config, path, markdown, inclusion))
        for path, source in site.files.items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, abs_src_path=str(source)))
        for path, text in site.texts.items():
            files.append(File.generated(config, path, content=text))
        if files.get_file_from_path(STYLESHEET) is None:
            files.append(File.generated(config, STYLESHEET, content=site.stylesheet))
        if files.get_file_from_path(SCRIPT) is None:
            files.append(File.generated(config, SCRIPT, content=site.script))
        if self.ships_mermaid and files.get_file_from_path(MERMAID_SCRIPT) is None:
            files.append(File.generated(config, MERMAID_SCRIPT, abs_src_path=str(mermaid_script())))
        self.generated_pages = set(site.pages)
        self.safe_pages = self.generated_pages - site.raw_html_pages
        self.record_pages = site.record_pages
        _extend_nav(config, site, own_pages)
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Files) -> str:
        # the page's markdown converter is made right after this event: it picks the policy up
        generated = page.file.generated_by is not None
        self.safe.active = generated and page.file.src_uri in self.safe_pages
        self.safe.record_page = generated and page.file.src_uri in self.record_pages
        return markdown

    def on_env(self, env: Any, config: Any, files: Files) -> Any:
        if env.bytecode_cache is None:
            # mkdocs compiles the theme's templates on every build: half of a rebuild
            # when one record changed
            from adrgen.templating.cache import compiled_templates_cache

            env.bytecode_cache = compiled_templates_cache(
                env, "theme-templates", ("mkdocs", "mkdocs-material")
            )
        return env

    on_config = CombinedEvent(_stage_site, _configure)

    @event_priority(-10_000)  # last: other plugins read the page as the theme wrote it
    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        if self.ships_mermaid:
            output = with_mermaid_if_drawn(output, page.url)
        return collapse_indentation(output)

    @event_priority(-10_000)  # after every other plugin, even those that ask to be last
    def on_post_build(self, config: Any) -> None:
        if self.staged_site is not None:
            staged, self.staged_site = self.staged_site, None
            staged.finish()

    def on_build_error(self, error: Exception) -> None:
        self._abandon_staged_site()

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        for path in self.watched:
            server.watch(str(path))
        return server


def _ensure_extensions(config: Any) -> None:
    """Turn on what the generated pages need, keeping any settings the site already has."""
    from pymdownx.superfences import fence_code_format

    for name in PAGE_EXTENSIONS:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = superfences.setdefault("custom_fences", [])
    if not any(f.get("name") == MERMAID["name"] for f in fences):
        fences.append({**MERMAID, "format": fence_code_format})
    if not any(f.get("name") == RADAR_FENCE for f in fences):
        fences.append({"name": RADAR_FENCE, "class": RADAR_FENCE, "format": radar_fence})


def _extend_nav(config: Any, site: Site, own_pages: list[str]) -> None:
    """The catalog and decision sections join the site's nav, unless it already places them."""
    if config.nav is None:
        # mkdocs would list the docs folder's pages; keep that and add the sections after it
        config.nav = [*nest_paths(own_pages), *site.nav]
        return
    named = _nav_paths(config.nav)
    # a nav that names the home page (the dashboard, when the docs have none) has not
    # placed the sections: they follow it, without a second entry for the home page
    if not any(path in site.in_nav and path != HOME_PAGE for path in named):
        sections = [item for item in site.nav if HOME_PAGE not in item.values()]
        config.nav = [*config.nav, *(sections if HOME_PAGE in named else site.nav)]


def _nav_paths(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    return []


# a diagram the theme draws: superfences writes `<pre class="mermaid">`, a page of the
# team's own may write `<div class="mermaid">`. Linear: the class value ends at a quote
_DIAGRAM = re.compile(r'class="(?:[^"]*\s)?mermaid[\s"]')


def with_mermaid_if_drawn(output: str, page_url: str) -> str:
    """The page with the shipped mermaid loaded before `</body>` when it holds a diagram: the
    theme's script then finds it and fetches nothing, and pages without one (nearly all)
    do not load 2.6 MB of script."""
    end = output.rfind("</body>")
    if end < 0 or _DIAGRAM.search(output) is None:
        return output
    source = get_relative_url(MERMAID_SCRIPT, page_url)
    return f'{output[:end]}<script src="{source}"></script>\n{output[end:]}'


class _StagedSite:
    """A build written into a new folder beside the site folder (`config.site_dir` names the
    new folder meanwhile), then put in the site folder's place, or abandoned."""

    def __init__(self, staged: StagedFolder, config: Any):
        self.staged, self.config = staged, config
        self.site_dir = config.site_dir
        config.site_dir = str(staged.path)
        self.messages = _PathInMessages(config.site_dir, self.site_dir)

    def _restore(self) -> None:
        # `gh-deploy` publishes config.site_dir once the build is done
        self.config.site_dir = self.site_dir
        self.messages.remove()

    def finish(self) -> None:
        self._restore()
        try:
            self.staged.finish()
        except OSError as exc:
            self.staged.abandon()
            raise PluginError(
                f"adrgen: cannot put the new site in place of {self.site_dir}: "
                f"{exc.strerror or exc}; the last site is left as it was"
            ) from None

    def abandon(self) -> None:
        self._restore()
        self.staged.abandon()


class _PathInMessages(logging.Filter):
    """mkdocs names the folder it builds into: the site folder is named instead of the new
    folder beside it, which takes its place at the end."""

    LOGGER = "mkdocs.commands.build"

    def __init__(self, written: str, shown: str):
        super().__init__()
        self.written, self.shown = written, shown
        logging.getLogger(self.LOGGER).addFilter(self)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and self.written in record.msg:
            record.msg = record.msg.replace(self.written, self.shown)
        return True

    def remove(self) -> None:
        logging.getLogger(self.LOGGER).removeFilter(self)
