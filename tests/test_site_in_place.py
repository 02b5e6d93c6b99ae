"""A site build writes over the last build and ends with the files a clean build leaves."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sitebuild import build_in_process, generated_records, mkdocs_subprocess, write_config

from adrgen.site.pages import STYLESHEET
from adrgen.site.speedups import in_place as site_in_place

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _tree(site_dir: Path) -> dict[str, bytes]:
    """Every file of a site (but the hidden top-level entries mkdocs leaves alone)."""
    return {
        str(path.relative_to(site_dir)): path.read_bytes()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file() and not path.relative_to(site_dir).parts[0].startswith(".")
    }


def _folders(site_dir: Path) -> set[str]:
    return {str(p.relative_to(site_dir)) for p in site_dir.rglob("*") if p.is_dir()}


@pytest.fixture
def site(tmp_path) -> tuple[Path, Path, Path]:
    """A config, its record folder and its site folder, built once."""
    records = tmp_path / "records"
    generated_records(records, 12)
    site_dir = tmp_path / "public"
    config = write_config(tmp_path, [records], site_dir=site_dir)
    build_in_process(config)
    return config, records, site_dir


def _fresh_build(tmp_path: Path, config: Path, site_dir: Path) -> dict[str, bytes]:
    """The same site built into an empty folder."""
    fresh = tmp_path / "fresh"
    fresh_config = tmp_path / "fresh.yml"
    fresh_config.write_text(config.read_text().replace(str(site_dir), str(fresh)))
    build_in_process(fresh_config)
    return _tree(fresh)


def test_a_rebuild_rewrites_files_in_place_and_removes_what_it_did_not_write(
    tmp_path, site
) -> None:
    config, records, site_dir = site
    index_inode = (site_dir / "index.html").stat().st_ino
    removed = sorted(records.glob("0003-*.md"))[0]
    removed_page = site_dir / "decisions" / "records" / removed.stem
    assert (removed_page / "index.html").is_file()
    removed.unlink()
    (site_dir / "stray.txt").write_text("not part of any build")
    (site_dir / "old" / "deep").mkdir(parents=True)
    (site_dir / "old" / "deep" / "page.html").write_text("<p>old</p>")
    (site_dir / ".git").mkdir()
    (site_dir / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")

    build_in_process(config)

    assert (site_dir / "index.html").stat().st_ino == index_inode, "rewritten, not made anew"
    assert not removed_page.exists()
    assert not (site_dir / "stray.txt").exists()
    assert not (site_dir / "old").exists()
    # hidden entries are left alone, as mkdocs' own cleaning leaves them
    assert (site_dir / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    fresh = _fresh_build(tmp_path, config, site_dir)
    assert _tree(site_dir) == fresh
    assert _folders(site_dir) - {".git"} == _folders(tmp_path / "fresh")


def test_a_folder_where_the_new_build_writes_a_file_is_removed_first(tmp_path, site) -> None:
    config, _, site_dir = site
    (site_dir / "sitemap.xml").unlink()
    (site_dir / "sitemap.xml").mkdir()
    (site_dir / "sitemap.xml" / "inside").write_text("x")

    build_in_process(config)

    assert (site_dir / "sitemap.xml").is_file()
    assert _tree(site_dir) == _fresh_build(tmp_path, config, site_dir)


def test_a_folder_where_the_new_build_copies_a_file_is_removed_first(tmp_path, site) -> None:
    """mkdocs would copy a theme file *into* a folder standing at its place."""
    config, _, site_dir = site
    stylesheets = site_dir / "assets" / "stylesheets"
    theme_css = next(stylesheets.glob("main.*.min.css"))
    theme_css.unlink()
    theme_css.mkdir()
    own_css = site_dir / STYLESHEET  # adrgen's own, which mkdocs writes without a helper
    own_css.unlink()
    own_css.mkdir()

    (site_dir / "tags.json").unlink()  # the tags plugin's export, written without a helper
    (site_dir / "tags.json").mkdir()

    build_in_process(config)

    assert theme_css.is_file()
    assert (site_dir / "tags.json").is_file()
    assert own_css.is_file()
    assert _tree(site_dir) == _fresh_build(tmp_path, config, site_dir)


def test_a_file_where_the_new_build_puts_a_folder_is_removed_first(tmp_path, site) -> None:
    config, _, site_dir = site
    shutil.rmtree(site_dir / "decisions")
    (site_dir / "decisions").write_text("a file where the decisions go")
    shutil.rmtree(site_dir / "assets" / "javascripts")
    (site_dir / "assets" / "javascripts").write_text("a file where the theme's scripts go")

    build_in_process(config)

    assert (site_dir / "decisions" / "index.html").is_file()
    assert _tree(site_dir) == _fresh_build(tmp_path, config, site_dir)


def test_plain_mkdocs_build_writes_over_the_last_build_too(tmp_path, site) -> None:
    config, _, site_dir = site
    page = next((site_dir / "decisions" / "records").glob("0004-*/index.html"))
    an_hour_ago = page.stat().st_mtime_ns - 3600 * 10**9
    os.utime(page, ns=(an_hour_ago, an_hour_ago))
    (site_dir / "stray.txt").write_text("x")

    built = mkdocs_subprocess(config, site_dir)

    assert built.returncode == 0, built.stderr
    assert page.stat().st_mtime_ns == an_hour_ago
    assert not (site_dir / "stray.txt").exists()
    assert _tree(site_dir) == _fresh_build(tmp_path, config, site_dir)


def test_a_dirty_build_keeps_mkdocs_own_ways(tmp_path, site) -> None:
    """`--dirty` leaves what the folder holds (mkdocs says so), and adrgen leaves it too."""
    config, _, site_dir = site
    (site_dir / "stray.txt").write_text("x")
    built = mkdocs_subprocess(config, site_dir, "--dirty")
    assert built.returncode == 0, built.stderr
    assert (site_dir / "stray.txt").read_text() == "x"


def test_a_second_link_to_an_old_file_is_not_written_through(tmp_path, site) -> None:
    config, _, site_dir = site
    outside = tmp_path / "kept-copy.html"
    os.link(site_dir / "index.html", outside)
    (site_dir / "index.html").write_bytes(b"<p>changed</p>")  # both names see it
    assert site_in_place.LastBuild.read(str(site_dir)) is None

    build_in_process(config)

    assert outside.read_bytes() == b"<p>changed</p>"
    assert b"<p>changed</p>" not in (site_dir / "index.html").read_bytes()
    assert site_in_place.LastBuild.read(str(site_dir)) is not None  # one link each now


@pytest.mark.parametrize("hook", [False, True], ids=["known-plugins", "with-a-hook"])
def test_a_symbolic_link_in_the_last_build_is_not_written_through(tmp_path, site, hook) -> None:
    """mkdocs' own cleaning would leave a link to a folder and write the theme through it."""
    config, _, site_dir = site
    if hook:
        (tmp_path / "quiet_hook.py").write_text("def on_page_markdown(markdown, **kw):\n    pass\n")
        config.write_text(config.read_text() + "hooks:\n  - quiet_hook.py\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(site_dir / "assets")
    (site_dir / "assets").symlink_to(elsewhere)
    assert site_in_place.LastBuild.read(str(site_dir)) is None

    build_in_process(config)

    assert list(elsewhere.iterdir()) == []
    assert not (site_dir / "assets").is_symlink()
    assert (site_dir / "assets" / "stylesheets").is_dir()


def test_a_site_with_an_unknown_plugin_is_cleaned_as_mkdocs_cleans_it(
    tmp_path, site, monkeypatch
) -> None:
    config, _, site_dir = site
    read = []
    original = site_in_place.LastBuild.read
    monkeypatch.setattr(
        site_in_place.LastBuild, "read", lambda path: read.append(path) or original(path)
    )
    build_in_process(config)
    assert read == [str(site_dir)]

    # a hook might look at what the site folder holds
    (tmp_path / "quiet_hook.py").write_text("def on_page_markdown(markdown, **kwargs):\n    pass\n")
    config.write_text(config.read_text() + "hooks:\n  - quiet_hook.py\n")
    (site_dir / "stray.txt").write_text("x")
    build_in_process(config)
    assert read == [str(site_dir)], "mkdocs cleaned the folder itself"
    assert not (site_dir / "stray.txt").exists()


def test_a_failed_build_leaves_the_last_build_in_place(tmp_path, site) -> None:
    from adrgen.errors import AdrgenError

    config, records, site_dir = site
    before = _tree(site_dir)
    shutil.rmtree(records)  # the build stops at once: the record folder is gone
    with pytest.raises(AdrgenError, match="record folder not found"):
        build_in_process(config)
    assert _tree(site_dir) == before


def test_a_missing_site_folder_is_made(tmp_path) -> None:
    records = tmp_path / "records"
    generated_records(records, 3)
    site_dir = tmp_path / "new" / "public"
    assert site_in_place.LastBuild.read(str(site_dir)) is not None
    build_in_process(write_config(tmp_path, [records], site_dir=site_dir))
    assert (site_dir / "index.html").is_file()


def test_unchanged_files_keep_their_time_and_changed_ones_are_written(tmp_path, site) -> None:
    config, records, site_dir = site
    index = site_dir / "index.html"
    record = sorted(records.glob("0002-*.md"))[0]
    record_page = site_dir / "decisions" / "records" / record.stem / "index.html"
    other_page = next(p for p in (site_dir / "decisions" / "records").glob("0004-*/index.html"))
    an_hour_ago = index.stat().st_mtime_ns - 3600 * 10**9
    for page in (index, record_page, other_page):
        os.utime(page, ns=(an_hour_ago, an_hour_ago))
    record.write_text(record.read_text().replace("Generated decision", "Edited decision"))

    build_in_process(config)

    assert other_page.stat().st_mtime_ns == an_hour_ago, "the same bytes: not written again"
    assert record_page.stat().st_mtime_ns > an_hour_ago
    assert "Edited decision" in record_page.read_text(encoding="utf-8")
    assert _tree(site_dir) == _fresh_build(tmp_path, config, site_dir)


def test_a_failed_build_gives_the_last_build_its_times_back(tmp_path, site) -> None:
    from adrgen.errors import AdrgenError

    config, records, site_dir = site
    times = {path: path.stat().st_mtime_ns for path in site_dir.rglob("*") if path.is_file()}
    shutil.rmtree(records)
    with pytest.raises(AdrgenError):
        build_in_process(config)
    assert {path: path.stat().st_mtime_ns for path in times} == times
