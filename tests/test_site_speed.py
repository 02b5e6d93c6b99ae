"""What keeps the site build fast with thousands of records, checked on small sites.

The timings themselves are measured by `make bench`; these tests check that each shortcut
publishes exactly what the slow way publishes.
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
            # the whole page, header and settings included, but for white space
            assert page.read_text().split() == twin.read_text().split(), page
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
    import os

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


# --- record pages converted ahead, on every core ---------------------------------------


@pytest.fixture
def conversions(monkeypatch) -> list[int]:
    """How many pages each build converted ahead; two workers, as on the CI machine."""
    from adrgen.site.speedups import convert_ahead as mkdocs_ahead

    counts: list[int] = []
    original = mkdocs_ahead.convert_ahead

    def counting(*args, **kwargs):
        counts.append(original(*args, **kwargs))
        return counts[-1]

    monkeypatch.setattr(mkdocs_ahead, "convert_ahead", counting)
    monkeypatch.setattr(mkdocs_ahead, "worker_count", lambda: 2)
    return counts


def _html_files(site_dir: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site_dir)): path.read_text(encoding="utf-8")
        for path in sorted(site_dir.rglob("*"))
        if path.suffix in (".html", ".json")
    }


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The record pages whose theme page a build took from a worker; two workers."""
    from adrgen.site.speedups import render_ahead as mkdocs_render_ahead

    taken: list[str] = []
    original = mkdocs_render_ahead.RenderAhead.output

    def counting(self, page):
        taken.append(page.file.src_uri)
        return original(self, page)

    monkeypatch.setattr(mkdocs_render_ahead.RenderAhead, "output", counting)
    monkeypatch.setattr(mkdocs_render_ahead, "worker_count", lambda: 2)
    return taken


def test_pages_made_ahead_are_the_pages_made_in_turn(
    tmp_path, conversions, renders, monkeypatch
) -> None:
    from adrgen.site.speedups import convert_ahead as mkdocs_ahead
    from adrgen.site.speedups import render_ahead as mkdocs_render_ahead

    records = tmp_path / "records"
    generated_records(records, 80)
    # links between records, to an anchor, and code that must stay as written
    adrgen_record(
        records,
        99,
        "Links everywhere",
        body_extra="\nSee [the first](0001-generated-decision-1-about-component-1.md#context"
        "-and-problem-statement) and `[not](a-link.md)`.\n\n```\n[x](y.md)\n```\n",
    )
    ahead = build_in_process(write_config(tmp_path, [records], site_dir=tmp_path / "ahead"))
    assert conversions == [81 + 5]  # and the pages of its five tags
    assert len(renders) == 81
    assert all(uri.startswith("decisions/records/0") for uri in renders)

    monkeypatch.setattr(mkdocs_ahead, "MIN_PAGES", 10_000)
    monkeypatch.setattr(mkdocs_render_ahead, "MIN_PAGES", 10_000)
    in_turn = build_in_process(write_config(tmp_path, [records], site_dir=tmp_path / "in-turn"))
    assert conversions == [86, 0]
    assert len(renders) == 81

    ahead_pages, in_turn_pages = _html_files(ahead), _html_files(in_turn)
    assert ahead_pages.keys() == in_turn_pages.keys()
    assert len(ahead_pages) > 90
    assert "search/search_index.json" in ahead_pages
    for name, html in ahead_pages.items():
        assert html == in_turn_pages[name], name


def test_warnings_of_pages_converted_ahead_fail_a_strict_build(tmp_path, conversions) -> None:
    from adrgen.errors import AdrgenError

    records = tmp_path / "records"
    generated_records(records, 70)
    adrgen_record(records, 99, "Absolute link", body_extra="\nSee [the wiki](/wiki/ipc).\n")
    config = write_config(tmp_path, [records])
    config.write_text(config.read_text() + "validation:\n  links:\n    absolute_links: warn\n")
    with pytest.raises(AdrgenError) as failure:
        build_in_process(config, strict=True)
    assert conversions == [71 + 5]
    assert failure.value.exit_code == 1


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


def test_a_process_running_threads_converts_in_turn(tmp_path, conversions, renders) -> None:
    """A server runs threads; forking it is not safe, so its pages are converted in turn."""
    import threading

    records = tmp_path / "records"
    generated_records(records, 70)
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        site_dir = build_in_process(write_config(tmp_path, [records]))
    finally:
        release.set()
        waiting.join()
    assert conversions == [0]
    assert renders == []
    assert len(_record_pages(site_dir, "records")) == 70


# --- record pages rendered ahead: only where the build's own order cannot matter --------

# a hook whose page event counts the pages built so far and marks each page with its count
# (in its description or its content): it must see the pages in the build's own order
COUNTING_HOOK = """
from mkdocs.plugins import event_priority

built = 0

@event_priority(100)  # before the search plugin's
def on_page_context(context, page, config, nav):
    global built
    built += 1
    {mark}
    return context
"""
MARK_DESCRIPTION = "page.meta['description'] = f'built {built}'"
MARK_CONTENT = "page.content += f'<p>built {built}</p>'"
BUILT = re.compile(r'built (\d+)["<]')


def _site_with_counting_hook(tmp_path: Path, name: str, mark: str) -> Path:
    records = tmp_path / "records"
    if not records.exists():
        generated_records(records, 70)
    # a hook module of its own: mkdocs keeps a loaded hook's module for the process
    hook = f"counting_hook_{name.replace('-', '_')}.py"
    (tmp_path / hook).write_text(COUNTING_HOOK.format(mark=mark))
    config = write_config(tmp_path, [records], site_dir=tmp_path / name)
    config.write_text(config.read_text() + f"hooks:\n  - {hook}\n")
    return config


def _built_counts(site_dir: Path) -> list[int]:
    return sorted(
        int(count)
        for page in site_dir.rglob("*.html")
        for count in BUILT.findall(page.read_text(encoding="utf-8"))
    )


def test_a_plugin_that_keeps_count_of_pages_sees_them_all_in_turn(tmp_path, renders) -> None:
    """An unknown plugin's page event might depend on the pages before: no workers."""
    site_dir = build_in_process(_site_with_counting_hook(tmp_path, "public", MARK_DESCRIPTION))
    assert renders == []
    counts = _built_counts(site_dir)
    assert len(_record_pages(site_dir, "records")) == 70
    assert counts == list(range(1, len(counts) + 1))  # each page counted once, in turn
    assert len(counts) > 70


def test_a_page_whose_content_changed_after_the_workers_is_rendered_in_turn(
    tmp_path, renders, monkeypatch
) -> None:
    """Were the counting hook let through, neither its workers' pages nor their search
    entries would be taken: the content differs from what the workers saw."""
    from adrgen.site.speedups import render_ahead as mkdocs_render_ahead

    in_turn = build_in_process(_site_with_counting_hook(tmp_path, "in-turn", MARK_CONTENT))
    monkeypatch.setattr(mkdocs_render_ahead, "plugins_allow_it", lambda config: True)
    let_through = build_in_process(_site_with_counting_hook(tmp_path, "let-through", MARK_CONTENT))
    assert renders == []
    assert len(_built_counts(let_through)) > 70
    ahead_pages, in_turn_pages = _html_files(let_through), _html_files(in_turn)
    assert ahead_pages.keys() == in_turn_pages.keys()
    for name, html in ahead_pages.items():
        assert html == in_turn_pages[name], name


def test_a_sites_own_record_template_renders_its_pages_in_turn(tmp_path, renders) -> None:
    records = tmp_path / "records"
    generated_records(records, 70)
    custom = tmp_path / "theme"
    custom.mkdir()
    (custom / "adrgen-record.html").write_text(
        '{% extends "main.html" %}{% block footer %}<p>our own</p>{% endblock %}\n'
    )
    config = write_config(tmp_path, [records])
    config.write_text(
        config.read_text().replace("  font: false\n", f'  font: false\n  custom_dir: "{custom}"\n')
    )
    site_dir = build_in_process(config)
    assert renders == []
    pages = _record_pages(site_dir, "records")
    assert len(pages) == 70
    assert all("<p>our own</p>" in page.read_text(encoding="utf-8") for page in pages)


def _dying_worker(chunk: list[str]) -> list:
    os._exit(1)


def test_workers_that_die_leave_their_pages_to_the_build(
    tmp_path, conversions, renders, monkeypatch
) -> None:
    from adrgen.site.speedups import convert_ahead as mkdocs_ahead
    from adrgen.site.speedups import render_ahead as mkdocs_render_ahead

    monkeypatch.setattr(mkdocs_ahead, "_convert_chunk", _dying_worker)
    monkeypatch.setattr(mkdocs_ahead, "CHUNK_TIMEOUT", 1)
    monkeypatch.setattr(mkdocs_render_ahead, "_render_chunk", _dying_worker)
    monkeypatch.setattr(mkdocs_render_ahead, "CHUNK_TIMEOUT", 1)
    records = tmp_path / "records"
    generated_records(records, 70)
    site_dir = build_in_process(write_config(tmp_path, [records]))
    assert conversions == [0]
    assert renders == []
    pages = _record_pages(site_dir, "records")
    assert len(pages) == 70
    assert all("Generated decision" in page.read_text(encoding="utf-8") for page in pages)
