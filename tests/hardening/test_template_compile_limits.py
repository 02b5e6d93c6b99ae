"""Templates compile under the same limits as they render.

jinja works out constant expressions while it compiles a template (`get_template`), before
any render starts: `{% set x = [1]|batch(5000000,'x')|list %}` took 17.6 s and 4.1 GB, and
`{{ [1]|slice(20000000)|list|length }}` 44 s and 1.4 GB, in a record template or a team's
site template alike. Each case runs in a process of its own, with a cap on its memory and a
timeout, so that a regression fails the test without taking the machine with it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from adrgen.errors import AdrgenError
from adrgen.templating.render import render_template
from adrgen.templating.sandbox import RenderLimits

FOLDED = {
    "batch": "{% set x = [1]|batch(5000000, 'x')|list %}done\n",
    "slice": "{{ [1]|slice(20000000)|list|length }}\n",
}
# the time limit is 5 seconds in use; 1 here keeps the suite quick
SECONDS = 1
STOPPED = "rendering took longer than 1 seconds|needs more memory than"
# well past the limit on a busy machine, well short of what the unlimited compile took
WITHIN = 10

RUN = textwrap.dedent(
    """
    import functools, resource, sys, time
    from pathlib import Path
    # however this goes, it cannot take the machine's memory
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    from adrgen.errors import AdrgenError
    from adrgen.templating import render, sandbox
    from adrgen.site import pages
    kind, folder = sys.argv[1], Path(sys.argv[2])
    limits = functools.partial(sandbox.RenderLimits, seconds=float(sys.argv[3]))
    render.RenderLimits = pages.RenderLimits = limits
    start = time.monotonic()
    try:
        if kind == "record":
            render.render_template("t", {}, [folder], limits())
        else:
            from adrgen.catalog.loading import load_catalog
            from adrgen.site.record_pages import load_sources
            pages.build_site(
                load_catalog(),
                load_sources([folder / "records"]),
                pages.SiteOptions(templates_dir=folder),
            )
        print("no error")
    except AdrgenError as exc:
        print(exc.message)
    print(f"{time.monotonic() - start:.1f}")
    """
)


def _run(kind: str, folder: Path) -> tuple[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, kind, str(folder), str(SECONDS)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "ADRGEN_NO_CACHE": "1"},
    )
    assert done.returncode == 0, done.stderr
    message, seconds = done.stdout.strip().rsplit("\n", 1)
    return message, float(seconds)


@pytest.mark.parametrize("payload", sorted(FOLDED))
def test_a_record_template_compiles_within_the_limits(payload: str, tmp_path: Path) -> None:
    (tmp_path / "t.md.j2").write_text(FOLDED[payload])
    message, seconds = _run("record", tmp_path)
    assert message.startswith(str(tmp_path / "t.md.j2")), message
    assert seconds < WITHIN, (message, seconds)
    assert any(part in message for part in STOPPED.split("|")), message


@pytest.mark.parametrize("payload", sorted(FOLDED))
def test_a_team_site_template_compiles_within_the_limits(payload: str, tmp_path: Path) -> None:
    from tests.sitebuild import adrgen_record

    (tmp_path / "records").mkdir()
    adrgen_record(tmp_path / "records", 1, "One")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "record.md.j2").write_text(FOLDED[payload])
    message, seconds = _run("site", tmp_path)
    assert "record.md.j2" in message, message  # the template, by its file name
    assert seconds < WITHIN, (message, seconds)
    assert any(part in message for part in STOPPED.split("|")), message


def test_limits_leave_the_process_as_they_found_it(tmp_path: Path) -> None:
    """The alarm, its handler and the address-space limit are the caller's again after a
    template compiled and rendered, and after one stopped while it compiled."""
    import resource

    (tmp_path / "ok.md.j2").write_text("{{ 1 + 1 }}\n")
    (tmp_path / "slow.md.j2").write_text("{% set x = [1]|batch(3000000, 'x')|list %}\n")

    def handler(signum, frame):  # the caller's own alarm
        raise AssertionError("the caller's alarm went off during the test")

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 600)
    limit = resource.getrlimit(resource.RLIMIT_AS)
    try:
        assert render_template("ok", {}, [tmp_path]) == "2\n"
        with pytest.raises(AdrgenError, match="rendering took longer than 0.2 seconds"):
            render_template("slow", {}, [tmp_path], RenderLimits(seconds=0.2))
        assert signal.getsignal(signal.SIGALRM) is handler
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 500 < left <= 600
        assert resource.getrlimit(resource.RLIMIT_AS) == limit
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_an_expression_that_is_cheap_to_work_out_still_renders(tmp_path: Path) -> None:
    (tmp_path / "t.md.j2").write_text("{{ [1, 2, 3]|batch(2)|list|length }} {{ 'a'|upper }}\n")
    start = time.monotonic()
    assert render_template("t", {}, [tmp_path]) == "2 A\n"
    assert time.monotonic() - start < WITHIN
