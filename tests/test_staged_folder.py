"""A folder made beside its place and put there whole (adrgen.files.staged_folder)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from adrgen.files import staged_folder
from adrgen.files.staged_folder import CannotStage, StagedFolder, recover


def _fill(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _beside(target: Path) -> list[str]:
    """What is left beside the folder: its name only, when nothing was left behind."""
    return sorted(os.listdir(target.parent))


@pytest.fixture
def site(tmp_path) -> Path:
    target = tmp_path / "public"
    _fill(target, {"index.html": "old", "old-only/index.html": "gone soon"})
    target.chmod(0o750)
    return target


def test_the_new_folder_takes_the_place_of_the_old(site) -> None:
    staged = StagedFolder.begin(site)
    assert staged.path.parent == site.parent and staged.path.name.startswith(".public.")
    assert _files(site) == {"index.html": "old", "old-only/index.html": "gone soon"}
    _fill(staged.path, {"index.html": "new", "new-only.html": "fresh"})
    staged.finish()
    assert _files(site) == {"index.html": "new", "new-only.html": "fresh"}
    assert stat.S_IMODE(site.stat().st_mode) == 0o750, "the old folder's permissions"
    assert _beside(site) == ["public"]


def test_a_first_folder_is_made_with_the_usual_permissions(tmp_path) -> None:
    target = tmp_path / "deep" / "public"
    staged = StagedFolder.begin(target)
    _fill(staged.path, {"index.html": "new"})
    staged.finish()
    assert _files(target) == {"index.html": "new"}
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o777 & ~umask
    assert _beside(target) == ["public"]


def test_an_abandoned_folder_leaves_the_old_one_as_it_was(site) -> None:
    staged = StagedFolder.begin(site)
    _fill(staged.path, {"index.html": "half"})
    staged.abandon()
    assert _files(site) == {"index.html": "old", "old-only/index.html": "gone soon"}
    assert _beside(site) == ["public"]


def test_hidden_entries_stay_in_the_folder(site) -> None:
    _fill(site, {".git/HEAD": "ref: main", ".nojekyll": ""})
    staged = StagedFolder.begin(site)
    _fill(staged.path, {"index.html": "new", ".nojekyll": "the build's own"})
    staged.finish()
    assert _files(site) == {
        ".git/HEAD": "ref: main",
        ".nojekyll": "the build's own",
        "index.html": "new",
    }


def _new_build_where_exchange_fails(site: Path, monkeypatch, code: int) -> StagedFolder:
    """A new folder ready to take the place of `site` (which holds a `.git`), on a file
    system where exchanging two folders fails with `code`."""

    def failing(first, second):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(staged_folder, "exchange", failing)
    _fill(site, {".git/HEAD": "ref: main"})
    staged = StagedFolder.begin(site)
    _fill(staged.path, {"index.html": "new"})
    return staged


def test_without_an_exchange_the_old_folder_is_renamed_aside_first(site, monkeypatch) -> None:
    _new_build_where_exchange_fails(site, monkeypatch, errno.EINVAL).finish()
    assert _files(site) == {".git/HEAD": "ref: main", "index.html": "new"}
    assert _beside(site) == ["public"]


def test_a_folder_that_cannot_take_the_place_leaves_the_old_one(site, monkeypatch) -> None:
    staged = _new_build_where_exchange_fails(site, monkeypatch, errno.EPERM)
    with pytest.raises(OSError):
        staged.finish()
    staged.abandon()
    assert _files(site) == {
        ".git/HEAD": "ref: main",
        "index.html": "old",
        "old-only/index.html": "gone soon",
    }
    assert _beside(site) == ["public"]


def test_a_link_to_the_folder_stays_a_link(tmp_path, site) -> None:
    link = tmp_path / "published"
    link.symlink_to(site)
    staged = StagedFolder.begin(link)
    assert staged.path.parent == site.parent
    _fill(staged.path, {"index.html": "new"})
    staged.finish()
    assert link.is_symlink() and _files(link) == {"index.html": "new"}


def test_what_cannot_be_swapped_is_said(tmp_path) -> None:
    a_file = tmp_path / "site.html"
    a_file.write_text("")
    with pytest.raises(CannotStage, match="not a folder"):
        StagedFolder.begin(a_file)
    with pytest.raises(CannotStage, match="root folder"):
        StagedFolder.begin(Path("/"))


# --- what killed writers leave --------------------------------------------------------


def _leftover(target: Path, stage: str, files: dict[str, str]) -> Path:
    folder = target.parent / f".{target.name}.adrgen-{stage}-0123456789ab"
    folder.mkdir()
    _fill(folder, files)
    return folder


def test_leftovers_of_killed_writers_are_removed(site) -> None:
    _leftover(site, "build", {"index.html": "half"})
    _leftover(site, "swap", {"index.html": "new or old"})
    _leftover(site, "old", {"index.html": "old"})
    recover(site)
    assert _files(site) == {"index.html": "old", "old-only/index.html": "gone soon"}
    assert _beside(site) == ["public"]


def test_hidden_entries_moved_before_a_kill_go_back(site) -> None:
    """Killed after moving `.git` into the new folder, before the exchange."""
    _leftover(site, "swap", {"index.html": "new", ".git/HEAD": "ref: main"})
    recover(site)
    assert _files(site)[".git/HEAD"] == "ref: main"
    assert _beside(site) == ["public"]


def test_a_folder_killed_between_two_renames_is_put_back(tmp_path) -> None:
    """Without an exchange: killed after the old folder was set aside."""
    target = tmp_path / "public"
    _leftover(target, "old", {"index.html": "old"})
    _leftover(target, "build", {"index.html": "half"})
    recover(target)
    assert _files(target) == {"index.html": "old"}
    assert _beside(target) == ["public"]
    # killed a step later, when the new one was complete and named for the swap
    _leftover(target, "swap", {"index.html": "new"})
    os.rename(target, tmp_path / f".public.adrgen-old-{'f' * 12}")
    recover(target)
    assert _files(target) == {"index.html": "new"}
    assert _beside(target) == ["public"]


def test_a_live_writers_folder_is_left_alone(site) -> None:
    first = StagedFolder.begin(site)
    _fill(first.path, {"index.html": "first"})
    second = StagedFolder.begin(site)  # its `begin` clears leftovers: not the first's folder
    assert _files(first.path) == {"index.html": "first"}
    _fill(second.path, {"index.html": "second"})
    first.finish()
    second.finish()
    assert _files(site) == {"index.html": "second"}
    assert _beside(site) == ["public"]
