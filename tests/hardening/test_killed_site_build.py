"""A site build killed at any point leaves the last complete site or the new one, and the
next build makes a complete site.

Real `adrgen site build` processes are killed (SIGTERM, whose default is to end the
process at once, and SIGKILL) when the build reaches a point: its new folder made, pages
being written, the search index written, the new folder taking the site's place. The site
folder must then hold, byte for byte, either the last build or the new one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardening.harness import snapshot
from tests.sitebuild import adrgen_record, generated_records, write_config

pytestmark = pytest.mark.slow

RECORDS = 300
NEW_RECORDS = range(RECORDS + 1, RECORDS + 21)
# the last site held many more files: removing it is what takes time when the new site
# takes its place, so a kill can land there
OLD_EXTRA_FILES = 4000
# each build's files are the same bytes given the same input: the sitemap's time is fixed
ENV = {"SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}
EVENT_TIMEOUT = 300  # seconds: a loaded machine is slow, but the event comes


# a hook that holds the build between the search plugin writing its index and adrgen putting
# the new folder in the site's place (a moment too short to catch by looking), once the
# variable names the file that says it is there
PAUSE_VARIABLE = "ADRGEN_TEST_PAUSED_AFTER_SEARCH"
PAUSE_HOOK = f"""\
import os
import signal

from mkdocs.plugins import event_priority


@event_priority(-5000)  # after search (0), before adrgen's site swap (-10000)
def on_post_build(config):
    paused = os.environ.get({PAUSE_VARIABLE!r})
    if paused:
        open(paused, "w").close()
        signal.pause()  # until the test's signal ends the build
"""


def _build(config: Path, cwd: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "adrgen", "site", "build", "--mkdocs-file", str(config)],
        cwd=cwd,
        env={**os.environ, **ENV, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its workers (if any) are ended with it after each test
    )


def _finish(build: subprocess.Popen) -> None:
    out, err = build.communicate(timeout=EVENT_TIMEOUT)
    assert build.returncode == 0, out + err


def _leftovers(site_dir: Path) -> list[str]:
    return [name for name in os.listdir(site_dir.parent) if name.startswith(".public.")]


class Sites:
    """The last complete build (records 1-300, and many more files) and the new one (with
    records 301-320 and an edited title), and a way to put the last one back."""

    def __init__(self, work: Path):
        self.work = work
        self.records = work / "records"
        generated_records(self.records, RECORDS)
        self.config = write_config(work, [self.records], site_dir=work / "public")
        (work / "pause_hook.py").write_text(PAUSE_HOOK)
        self.config.write_text(self.config.read_text() + "hooks:\n  - pause_hook.py\n")
        self.paused = work / "paused-after-search"
        self.site_dir = work / "public"
        self.old_copy = work / "old-copy"
        build = _build(self.config, work)
        _finish(build)
        extra = self.site_dir / "decisions" / "removed-since"
        extra.mkdir()
        for number in range(OLD_EXTRA_FILES):
            (extra / f"{number}.html").write_text(f"<p>page {number} of the last build</p>")
        shutil.copytree(self.site_dir, self.old_copy, symlinks=True)
        self.old = snapshot(self.site_dir)
        for number in NEW_RECORDS:
            adrgen_record(self.records, number, f"Decision made after the last build {number}")
        first = sorted(self.records.glob("0001-*.md"))[0]
        first.write_text(first.read_text().replace("Generated decision 1 ", "Renamed decision 1 "))
        _finish(_build(self.config, work))
        self.new = snapshot(self.site_dir)
        assert self.new != self.old
        self.put_back_the_last_build()

    def put_back_the_last_build(self) -> None:
        shutil.rmtree(self.site_dir)
        shutil.copytree(self.old_copy, self.site_dir, symlinks=True)
        assert snapshot(self.site_dir) == self.old


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Sites:
    return Sites(tmp_path_factory.mktemp("killed-build"))


def _staged(sites: Sites, stage: str) -> list[Path]:
    return list(sites.work.glob(f".public.adrgen-{stage}-*"))


# the points a build is killed at: each a check that the build has reached it
POINTS: dict[str, Callable[[Sites], bool]] = {
    "its-new-folder-made": lambda sites: bool(_staged(sites, "build")),
    "writing-pages": lambda sites: any(
        (folder / "decisions" / "records").is_dir()
        and any((folder / "decisions" / "records").glob(f"{NEW_RECORDS[-1]:04d}-*"))
        for folder in _staged(sites, "build")
    ),
    "search-index-written": lambda sites: (
        sites.paused.exists()
        and any(
            (folder / "search" / "search_index.json").exists() for folder in _staged(sites, "build")
        )
    ),
    "taking-the-sites-place": lambda sites: bool(_staged(sites, "swap")),
}


# the points the build is held at by the hook, so that the kill cannot miss them
HELD_AT = {"search-index-written"}


def _kill_at(sites: Sites, point: str, signum: int) -> bool:
    """Start the new build and kill it as soon as it reaches the point; whether it was
    killed there (False: it finished first)."""
    reached = POINTS[point]
    sites.paused.unlink(missing_ok=True)
    held = {PAUSE_VARIABLE: str(sites.paused)} if point in HELD_AT else {}
    build = _build(sites.config, sites.work, **held)
    deadline = time.monotonic() + EVENT_TIMEOUT
    try:
        while not reached(sites):
            if build.poll() is not None:
                return False
            assert time.monotonic() < deadline, "the build never reached the point"
            time.sleep(0.002)  # a look every few milliseconds, not a core's worth of looking
        os.kill(build.pid, signum)
        build.wait(timeout=EVENT_TIMEOUT)
        return build.returncode == -signum
    finally:
        if build.poll() is None:
            build.kill()
        build.communicate()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGKILL)  # forked workers, if any are left


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("point", list(POINTS))
def test_killed_site_build_leaves_the_last_site_or_the_new_one(sites, point, signum) -> None:
    sites.put_back_the_last_build()
    # a narrow point may pass between two looks on a loaded machine: try again
    for _ in range(5):
        if _kill_at(sites, point, signum):
            break
        sites.put_back_the_last_build()
    else:
        pytest.fail(f"five builds finished before they could be killed at {point}")

    after = snapshot(sites.site_dir)
    assert after in (sites.old, sites.new), _difference(after, sites.old, sites.new)

    # the next build cleans up what the killed one left and makes the whole new site
    _finish(_build(sites.config, sites.work))
    assert snapshot(sites.site_dir) == sites.new
    assert _leftovers(sites.site_dir) == []


def _difference(after: dict, old: dict, new: dict) -> str:
    def against(reference: dict) -> str:
        missing = sorted(set(reference) - set(after))
        added = sorted(set(after) - set(reference))
        changed = sorted(k for k in set(after) & set(reference) if after[k] != reference[k])
        return (
            f"{len(missing)} missing (e.g. {missing[:3]}), {len(added)} added "
            f"(e.g. {added[:3]}), {len(changed)} changed (e.g. {changed[:3]})"
        )

    return f"neither build: against the last, {against(old)}; against the new, {against(new)}"
