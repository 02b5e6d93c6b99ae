"""What keeps the site build fast with thousands of records, checked on small sites.

The timings themselves are measured by `make bench` (and `tests/benchmarks/pairs.py`); these
tests check that each shortcut publishes exactly what the plain way publishes, and that a
record page's navigation is right in a site of several folders.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sitebuild import adrgen_record, build_in_process, generated_records, write_config

from adrgen.catalog.loading import load_catalog
from adrgen.site import pages as sitepages
from adrgen.site.pages import SiteOptions, build_site
from adrgen.site.record_pages import load_sources
from adrgen.vocabulary import Stance

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PRIMARY_NAV = re.compile(
    r'<div class="md-sidebar md-sidebar--primary".*?(?=<div class="md-sidebar md-sidebar--secondary)',
    re.S,
)


def _primary_nav(page: Path) -> str:
    match = PRIMARY_NAV.search(page.read_text(encoding="utf-8"))
    assert match, f"{page}: no navigation sidebar"
    return " ".join(match.group(0).split())


def _record_pages(site_dir: Path, folder: str) -> list[Path]:
    return sorted((site_dir / "decisions" / folder).glob("0*/index.html"))


@pytest.fixture(scope="module")
def two_folder_site(tmp_path_factory) -> tuple[Path, list[Path]]:
    work = tmp_path_factory.mktemp("shared-nav")
    team_a = work / "team-a"
    team_b = work / "team-b"
    generated_records(team_a, 6)
    generated_records(team_b, 4, start=20)
    return work, [team_a, team_b]


def test_navigation_links_resolve_from_every_record_page(two_folder_site) -> None:
    work, folders = two_folder_site
    site_dir = build_in_process(write_config(work, folders, site_dir=work / "links"))
    for folder in ("team-a", "team-b"):
        for page in _record_pages(site_dir, folder):
            hrefs = re.findall(r'href="([^"#]+)"', _primary_nav(page))
            assert hrefs
            for href in hrefs:
                target = (page.parent / href).resolve()
                assert (target / "index.html").is_file() or target.is_file(), (page, href)


def test_a_record_page_the_site_nav_names_gets_its_own_navigation(two_folder_site) -> None:
    work, folders = two_folder_site
    config = write_config(work, folders, site_dir=work / "named")
    named = sorted(folders[0].glob("0*.md"))[2]
    nav_entry = f"  - Pinned: decisions/team-a/{named.name}\n"
    config.write_text(config.read_text().replace("plugins:\n", nav_entry + "plugins:\n", 1))
    site_dir = build_in_process(config)
    pages = _record_pages(site_dir, "team-a")
    active = [page for page in pages if "md-nav__link--active" in _primary_nav(page)]
    assert [page.parent.name for page in active] == [named.stem]
    assert len({_primary_nav(page) for page in pages if page not in active}) == 1


# --- record pages kept between the builds of a server ---------------------------------


@pytest.fixture
def record_renders(monkeypatch) -> list[str]:
    """The paths of the record pages rendered from their template, in order."""
    rendered: list[str] = []
    original = sitepages._Renderer.render

    def counting(self, name, path, **context):
        if name == "record.md.j2":
            rendered.append(path)
        return original(self, name, path, **context)

    monkeypatch.setattr(sitepages._Renderer, "render", counting)
    return rendered


def test_unchanged_record_pages_are_not_rendered_again(tmp_path, record_renders) -> None:
    catalog = load_catalog()
    records = tmp_path / "records"
    records.mkdir()
    for number in range(1, 6):
        adrgen_record(records, number, f"Decision {number}")
    kept: dict = {}
    first = build_site(catalog, load_sources([records]), None, kept)
    assert len(record_renders) == 5

    record_renders.clear()
    again = build_site(catalog, load_sources([records]), None, kept)
    assert record_renders == []
    assert again.pages == first.pages

    edited = next(records.glob("0003-*.md"))
    edited.write_text(edited.read_text().replace("The peers run on one host.", "Edited."))
    record_renders.clear()
    after_edit = build_site(catalog, load_sources([records]), None, kept)
    assert record_renders == [p for p in first.record_pages if "/0003-" in p]
    assert "Edited." in after_edit.pages[record_renders[0]]
    assert len(kept) == 5, "only the latest build's pages are kept"


def test_kept_record_pages_follow_the_catalog_and_the_templates(tmp_path, record_renders) -> None:
    catalog = load_catalog()
    records = tmp_path / "records"
    records.mkdir()
    for number in range(1, 4):
        adrgen_record(records, number, f"Decision {number}", mechanism="shared-memory")
    team = tmp_path / "templates"
    (team / "site").mkdir(parents=True)
    options = SiteOptions(templates_dir=team)
    kept: dict = {}
    build_site(catalog, load_sources([records]), options, kept)

    # the record pages show the chosen mechanism's stance
    moved = catalog.model_copy(deep=True)
    entry = next(m for m in moved.mechanisms if m.id == "shared-memory")
    entry.stance = Stance.hold if entry.stance is not Stance.hold else Stance.adopt
    record_renders.clear()
    site = build_site(moved, load_sources([records]), options, kept)
    assert len(record_renders) == 3
    assert all(f"({entry.stance.value})" in site.pages[path] for path in record_renders)

    # a team's record template, added while the server runs
    (team / "site" / "record.md.j2").write_text("# {{ r.title }}\n\nTeam page.\n")
    record_renders.clear()
    site = build_site(moved, load_sources([records]), options, kept)
    assert len(record_renders) == 3
    assert all("Team page." in site.pages[path] for path in record_renders)


# --- the theme's compiled templates ----------------------------------------------------


def test_theme_templates_are_compiled_once_and_pages_stay_the_same(tmp_path) -> None:

    records = tmp_path / "records"
    generated_records(records, 3)
    first = build_in_process(write_config(tmp_path, [records], site_dir=tmp_path / "one"))
    cache = Path(os.environ["ADRGEN_CACHE_DIR"])
    compiled = list(cache.glob("theme-templates-*/*.cache"))
    assert len(compiled) > 10, "the theme's templates are kept compiled"
    stamps = {path: path.stat().st_mtime_ns for path in compiled}

    second = build_in_process(write_config(tmp_path, [records], site_dir=tmp_path / "two"))
    assert {path: path.stat().st_mtime_ns for path in compiled} == stamps, "reused, not redone"
    for page in ("index.html", "decisions/index.html", "catalog/mechanisms/pipes/index.html"):
        assert (first / page).read_text() == (second / page).read_text()
    record = next(first.glob("decisions/records/0001-*/index.html"))
    assert record.read_text() == (second / record.relative_to(first)).read_text()


# --- adrgen's own site templates, outside the sandbox ----------------------------------


def test_own_templates_outside_the_sandbox_make_the_same_pages(tmp_path) -> None:
    """A team folder holding copies of adrgen's templates runs them in the sandbox."""
    import shutil

    from adrgen import resources

    catalog = load_catalog()
    records = tmp_path / "records"
    generated_records(records, 30)
    adrgen_record(records, 40, "<b>Odd</b> `title` [x](y)", tags=("a|b", "<i>"))
    team = tmp_path / "team"
    shutil.copytree(resources.templates_dir() / "site", team / "site")
    own = build_site(catalog, load_sources([records]), SiteOptions(page_size=7))
    sandboxed = build_site(
        catalog, load_sources([records]), SiteOptions(page_size=7, templates_dir=team)
    )
    assert len(own.pages) > 40
    assert own.pages == sandboxed.pages
