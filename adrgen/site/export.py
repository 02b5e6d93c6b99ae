"""The site's pages written to a folder as markdown, for any generator that reads
mkdocs-style docs (mkdocs without adrgen's plugin, or another one).

The folder gets the pages (`catalog/`, `decisions/`), the files records link to, the
stylesheet (`assets/adrgen/adrgen.css`) and `nav.yml`: the navigation, ready to paste under
mkdocs' `nav:`, with what the site needs to publish the pages in its comments. Every page
is made safe in its markdown (adrgen.site.inert_markdown): a site that converts it with
nothing of adrgen's runs no script from a record.

The folder is written whole: a new folder beside it takes its place when everything is
written (adrgen.files.staged_folder), so an export stopped midway leaves the last one.
Only an empty folder, or one an earlier export wrote, is replaced.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from adrgen.errors import AdrgenError
from adrgen.files.safe_yaml import dump
from adrgen.files.staged_folder import CannotStage, StagedFolder
from adrgen.site.inert_markdown import MERMAID, PAGE_EXTENSIONS, inert_page
from adrgen.site.pages import MERMAID_SCRIPT, STYLESHEET, Site, mermaid_script

NAV_FILE = "nav.yml"
# beside the pages; a generator leaves a file whose name starts with a dot alone
MARKER = ".adrgen-export"


def export_site(site: Site, out_dir: Path, nav_prefix: str = "") -> None:
    """Write the site's pages, files, stylesheet and nav snippet into `out_dir`."""
    _check_replaceable(out_dir)
    try:
        staged = StagedFolder.begin(out_dir)
    except CannotStage as exc:
        raise AdrgenError(f"{out_dir}: cannot write the export: {exc}") from None
    try:
        _write(site, staged.path, nav_prefix)
        staged.finish()
    except OSError as exc:
        staged.abandon()
        raise AdrgenError(f"{out_dir}: cannot write the export: {exc.strerror or exc}") from None
    except BaseException:
        staged.abandon()
        raise


def _check_replaceable(out_dir: Path) -> None:
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise AdrgenError(f"{out_dir}: not a folder")
    if not out_dir.exists():
        return
    names = [name for name in os.listdir(out_dir) if not name.startswith(".")]
    if names and not (out_dir / MARKER).is_file():
        raise AdrgenError(
            f"{out_dir}: holds files an export did not write; give a new or empty folder"
        )


def _write(site: Site, folder: Path, nav_prefix: str) -> None:
    for path, markdown in site.pages.items():
        _write_text(folder / path, inert_page(markdown))
    for path, source in site.files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    _write_text(folder / STYLESHEET, site.stylesheet)
    shutil.copyfile(mermaid_script(), folder / MERMAID_SCRIPT)
    _write_text(folder / NAV_FILE, nav_snippet(site, nav_prefix))
    _write_text(folder / MARKER, "written by `adrgen site export`; replaced by the next one\n")


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def nav_snippet(site: Site, prefix: str = "") -> str:
    """The pages' navigation as YAML for mkdocs' `nav:`, with how to publish them."""

    def prefixed(item):
        if isinstance(item, str):
            return prefix + item
        if isinstance(item, list):
            return [prefixed(entry) for entry in item]
        return {title: prefixed(value) for title, value in item.items()}

    extensions = "\n".join(
        f"#   - {name}" for name in PAGE_EXTENSIONS if name != "pymdownx.superfences"
    )
    return f"""\
# The navigation of the pages `adrgen site export` wrote: paste it under `nav:` in
# mkdocs.yml (paths are relative to the docs folder{f", under {prefix}" if prefix else ""}).
#
# The pages need these markdown extensions, and nothing of adrgen's:
#
# markdown_extensions:
{extensions}
#   - pymdownx.superfences:
#       custom_fences:
#         - name: {MERMAID["name"]}
#           class: {MERMAID["class"]}
#           format: !!python/name:pymdownx.superfences.fence_code_format
# extra_css:
#   - {prefix}{STYLESHEET}
# extra_javascript:   # diagrams drawn from the site itself, not fetched from unpkg.com
#   - {prefix}{MERMAID_SCRIPT}
#
# Record pages are reached from the decision log, not the navigation; to keep mkdocs from
# listing thousands of them as "not included in the nav":
#
# not_in_nav: |
#   /{prefix}decisions/**
#
# Record text is made safe in the markdown itself (no raw HTML, no attribute lists, no
# script addresses). Extensions that make HTML from other syntax (md_in_html,
# pymdownx.blocks.html) are not needed, and are best left out.
{dump(prefixed(site.nav))}"""
