"""What keeps the site build fast with thousands of records, checked on small sites.

The timings themselves are measured by `make bench`; these tests check that each shortcut
publishes exactly what the slow way publishes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitebuild import build_in_process, generated_records, write_config

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


def test_record_pages_share_the_navigation_the_theme_renders(two_folder_site) -> None:
    work, folders = two_folder_site
    shared = build_in_process(write_config(work, folders, site_dir=work / "shared"))
    # a site whose own templates put back the theme's page: every navigation rendered afresh
    custom = work / "theme-page"
    custom.mkdir()
    (custom / "adrgen-record.html").write_text('{% extends "main.html" %}\n')
    config = write_config(work, folders, site_dir=work / "fresh")
    config.write_text(
        config.read_text().replace("  font: false\n", f'  font: false\n  custom_dir: "{custom}"\n')
    )
    fresh = build_in_process(config)

    for folder in ("team-a", "team-b"):
        pages = _record_pages(shared, folder)
        assert len(pages) == (6 if folder == "team-a" else 4)
        navs = {_primary_nav(page) for page in pages}
        assert len(navs) == 1, "record pages of one folder show one navigation"
        for page in pages:
            twin = fresh / page.relative_to(shared)
            assert _primary_nav(page) == _primary_nav(twin)
        assert "Decision log" in navs.pop()


def test_shared_navigation_links_resolve_from_every_record_page(two_folder_site) -> None:
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
