"""The site folder replaced whole by each build (the plugin over adrgen.files.staged_folder);
kills at every point are in tests/hardening/test_killed_site_build.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from adrgen.cli import cli
from adrgen.errors import AdrgenError
from tests.hardening.harness import snapshot
from tests.sitebuild import build_in_process, generated_records, mkdocs_subprocess, write_config

pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path) -> tuple[Path, Path]:
    """A config publishing three records into tmp/public, built once."""
    records = tmp_path / "records"
    generated_records(records, 3)
    config = write_config(tmp_path, [records], site_dir=tmp_path / "public")
    build_in_process(config)
    return config, tmp_path / "public"


def _beside(site_dir: Path) -> list[str]:
    return sorted(name for name in os.listdir(site_dir.parent) if name.startswith("."))


def test_a_rebuild_leaves_only_what_it_built_and_the_hidden_entries(runner, site) -> None:
    config, site_dir = site
    (site_dir / "stray.html").write_text("from an older build")
    (site_dir / ".git").mkdir()
    (site_dir / ".git" / "HEAD").write_text("ref: gh-pages")
    result = runner.invoke(cli, ["site", "build", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert not (site_dir / "stray.html").exists()
    assert (site_dir / ".git" / "HEAD").read_text() == "ref: gh-pages"
    assert (site_dir / "index.html").is_file()
    assert _beside(site_dir) == []
    # mkdocs names the folder it builds into: the site folder, not the new one beside it
    assert f"Building documentation to directory: {site_dir}\n" in result.output
    assert ".adrgen-" not in result.output
    assert f"site written to {site_dir};" in result.output


def test_a_failed_build_leaves_the_last_site_as_it_was(site) -> None:
    config, site_dir = site
    before = snapshot(site_dir)
    edited = sorted((site_dir.parent / "records").glob("0002-*.md"))[0]
    edited.write_text(edited.read_text().replace("Generated decision", "Edited decision"))
    config.write_text(config.read_text().replace("  - tags\n", "  - tags\n  - not-a-plugin\n"))
    with pytest.raises(AdrgenError):
        build_in_process(config)
    hook = site_dir.parent / "failing_hook.py"
    hook.write_text("def on_post_build(config):\n    raise RuntimeError('a plugin failed')\n")
    config.write_text(
        config.read_text().replace("  - not-a-plugin\n", "") + f"hooks:\n  - {hook}\n"
    )
    with pytest.raises(RuntimeError):
        build_in_process(config)
    assert snapshot(site_dir) == before
    assert _beside(site_dir) == []


def test_plain_mkdocs_build_replaces_the_folder_too(site) -> None:
    config, site_dir = site
    (site_dir / "stray.html").write_text("from an older build")
    leftover = site_dir.parent / ".public.adrgen-build-0123456789ab"
    leftover.mkdir()  # what a killed build left
    (leftover / "index.html").write_text("half")
    result = mkdocs_subprocess(config, site_dir)
    assert result.returncode == 0, result.stderr
    assert not (site_dir / "stray.html").exists()
    assert (site_dir / "index.html").is_file()
    assert _beside(site_dir) == []


def test_a_dirty_build_writes_in_place_as_mkdocs_does(site) -> None:
    config, site_dir = site
    (site_dir / "stray.html").write_text("from an older build")
    inode = site_dir.stat().st_ino
    result = mkdocs_subprocess(config, site_dir, "--dirty")
    assert result.returncode == 0, result.stderr
    assert (site_dir / "stray.html").exists(), "--dirty keeps what is there"
    assert site_dir.stat().st_ino == inode
    assert _beside(site_dir) == []


def test_a_site_folder_that_is_a_link_stays_one(tmp_path) -> None:
    records = tmp_path / "records"
    generated_records(records, 2)
    real = tmp_path / "www" / "adr"
    real.mkdir(parents=True)
    (real / "stray.html").write_text("old")
    link = tmp_path / "public"
    link.symlink_to(real)
    built = build_in_process(write_config(tmp_path, [records], site_dir=link))
    assert built == link and link.is_symlink()
    assert (real / "index.html").is_file() and not (real / "stray.html").exists()
    assert sorted(os.listdir(real.parent)) == ["adr"]
