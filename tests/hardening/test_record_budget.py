"""Small records that stalled or crashed the site build, and the regexes that read them.

`]` and 15,000 backticks took the site build 102 s (a code-span regex), 60,000 `<!--` minutes
(a comment regex, and mkdocs' reading of raw HTML), 200,000 `[` or 50,000 `[a](` pushed
Python-Markdown past 60 s, and `- ` written 1,000 times on a line, or a list nested 900
deep, ended the build with a RecursionError. Now every regex over record text in the site
and templating code runs in linear time, and a record over its time or depth budget gets a
page that says so and shows its text as plain text, while the build goes on.

Everything that could hang runs in a process of its own with a timeout: a regression fails
the test instead of stalling the suite.
"""

from __future__ import annotations

import importlib
import itertools
import json
import pkgutil
import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import adrgen.site
import adrgen.templating
from tests.sitebuild import write_config

SIZE = 100_000
# each input's budget: a linear pass over 100 KB takes milliseconds, a quadratic one minutes
SECONDS_EACH = 2.0
MAX_PAIRS = 150  # of the pairs of a pattern's characters, a fixed sample when it has more
HANG = 300

# the records of the issue, each about 100 KB (and the two Python-Markdown crashes)
ADVERSARIAL = {
    "backticks": "]" + "`" * SIZE,
    "comments": "<!--" * (SIZE // 4),
    "brackets": "[" * SIZE,
    "open-links": "[a](" * (SIZE // 4),
    "dashes-on-a-line": "- " * 1_000 + "x",
    "nested-list": "\n".join("\t" * depth + "- x" for depth in range(900)),
    "nested-quotes": "> " * 2_000 + "x",
    "images": "![" * (SIZE // 2),
    "angles": "<a" * (SIZE // 2),
}


def _isolated(code: str, *args: str, timeout: float = HANG) -> str:
    """Run `code` in a Python process of its own; its output, or a failed test on a hang."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"still running after {timeout} s; last output: {exc.stdout!r}")
    assert done.returncode == 0, done.stderr
    return done.stdout


# --- every regex over record text is linear -------------------------------------------------


def _patterns() -> dict[str, re.Pattern]:
    found: dict[str, re.Pattern] = {}
    for package in (adrgen.site, adrgen.templating):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if isinstance(value, re.Pattern) and value not in found.values():
                    found[f"{info.name}.{name}"] = value
    return found


PATTERNS = _patterns()

PROBE = """
import json, re, sys, time
pattern = re.compile(sys.argv[1], int(sys.argv[2]))
inputs = json.loads(sys.stdin.read())
slowest = (0.0, "")
for label, lead, unit, times in inputs:
    text = lead + unit * times
    print(label, flush=True)  # what was running, should this hang
    start = time.process_time()
    for _ in pattern.finditer(text):
        pass
    spent = time.process_time() - start
    slowest = max(slowest, (spent, label))
print(json.dumps(slowest))
"""


def _adversarial_inputs(pattern: re.Pattern) -> list[tuple[str, str, str, int]]:
    """Runs of each character the pattern names (and a few every parser cares about), of
    each pair of them, and the issue's own records, each about 100 KB, as (label, lead,
    unit, times): the text is `lead + unit * times`."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else ""
    literal = sorted({c for c in source if not c.isalnum()} | {"a"})
    generic = sorted(set("[]()<>`*_{}:&#!-~\\\"'%.= \n\t0a") | set(literal))
    inputs = [(f"{c!r}*n", "", c, SIZE) for c in generic]
    pairs = [(a, b) for a, b in itertools.product(literal, repeat=2) if a != b]
    for first, second in random.Random(source).sample(pairs, min(len(pairs), MAX_PAIRS)):
        inputs.append((f"({first + second!r})*n", "", first + second, SIZE // 2))
        inputs.append((f"{first!r}+{second!r}*n", first, second, SIZE))
    inputs += [(name, text, "", 1) for name, text in ADVERSARIAL.items()]
    inputs += [("{+:*n", "{", ":", SIZE), ("&+a*n", "&", "a", SIZE), ("0*n+x", "0" * SIZE, "x", 1)]
    return inputs


def _probe(pattern: re.Pattern, inputs: list) -> tuple[float, str]:
    """The most CPU time the pattern spent on one of the inputs, and that input's label; a
    failed test if it never finishes (the label it was on is named)."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, pattern.pattern, str(pattern.flags)],
            input=json.dumps(inputs),
            capture_output=True,
            text=True,
            timeout=HANG,
        )
    except subprocess.TimeoutExpired as exc:
        last = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else exc.stdout
        pytest.fail(f"{pattern.pattern!r} did not finish on {last.splitlines()[-1:]!r}")
    assert done.returncode == 0, done.stderr
    spent, label = json.loads(done.stdout.splitlines()[-1])
    return spent, label


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_regex_over_record_text_runs_in_linear_time(name: str) -> None:
    pattern = PATTERNS[name]
    spent, label = _probe(pattern, _adversarial_inputs(pattern))
    assert spent < SECONDS_EACH, f"{name} took {spent:.1f} s on {label}"


def test_the_probe_finds_a_regex_that_is_not_linear() -> None:
    """The check above catches the code-span regex the site used to have."""
    inputs = [("backticks", "]", "`", 3_000)]
    quadratic, _ = _probe(re.compile(r"(`+).+?\1"), inputs)
    linear, _ = _probe(re.compile(r"`+"), inputs)
    assert quadratic > 50 * max(linear, 1e-4)


# --- a record over its budget gets a plain-text page, and the build goes on -----------------

CONVERT = """
import sys, time
from pathlib import Path
import markdown
from adrgen.catalog.loading import load_catalog
from adrgen.records.parse import RecordInfo
from adrgen.site.pages import build_site
from adrgen.site.record_pages import RecordSource
from adrgen.site.safe_markdown import SafeMarkdown

path = Path(sys.argv[1])
# the record's fields as the reader would give them, without reading its body: only the
# site's own handling of the body is measured here
info = RecordInfo(path=path, id=path.stem, number=1, title="Adversarial")
source = RecordSource(name="decisions", directory=path.parent, records=[info])
start = time.monotonic()
site = build_site(load_catalog(), [source])
page = site.pages[f"decisions/decisions/{path.stem}.md"]
safe = SafeMarkdown()
safe.active = safe.record_page = True
extensions = ["toc", "tables", "fenced_code", "attr_list", "admonition", safe]
html = markdown.Markdown(extensions=extensions).convert(page.split("---\\n", 2)[2])
print(f"{time.monotonic() - start:.2f}")
print(html)
"""


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_a_record_over_its_budget_is_shown_as_plain_text(name: str, tmp_path: Path) -> None:
    record = tmp_path / "0001-adversarial.md"
    record.write_text(f"# Adversarial\n\n{ADVERSARIAL[name]}\n", encoding="utf-8")
    output = _isolated(CONVERT, str(record))
    seconds, html = output.split("\n", 1)
    assert float(seconds) < 60, seconds
    if name in ("backticks",):  # nothing Python-Markdown cannot take: converted as usual
        assert "Shown as plain text" not in html
        return
    assert "Shown as plain text" in html, html[:2000]
    assert "<pre>" in html or "<code" in html
    # as written, tabs expanded as Python-Markdown expands them everywhere
    shown = ADVERSARIAL[name][:200].expandtabs(4).replace("&", "&amp;").replace("<", "&lt;")
    assert shown.replace(">", "&gt;") in html or shown in html


def test_the_build_goes_on_past_records_over_their_budget(tmp_path: Path) -> None:
    records = tmp_path / "decisions"
    records.mkdir()
    # what the record reader takes in its stride; the site must too
    fine_for_the_reader = ["backticks", "brackets", "dashes-on-a-line", "nested-list", "comments"]
    for number, name in enumerate(fine_for_the_reader, start=1):
        text = f"---\ntitle: {name}\n---\n\n{ADVERSARIAL[name]}\n"
        (records / f"{number:04d}-{name}.md").write_text(text, encoding="utf-8")
    (records / "0099-ordinary.md").write_text("---\ntitle: Ordinary\n---\n\nJust text.\n")
    config = write_config(tmp_path, [records], site_dir=tmp_path / "public")
    output = _isolated(
        """
        import sys, time
        from pathlib import Path
        from adrgen.site.build import build_with_mkdocs
        start = time.monotonic()
        build_with_mkdocs(Path(sys.argv[1]))
        print(f"{time.monotonic() - start:.1f}")
        """,
        str(config),
    )
    assert float(output.strip().splitlines()[-1]) < 120
    pages = tmp_path / "public" / "decisions" / "decisions"
    for number, name in enumerate(fine_for_the_reader, start=1):
        html = (pages / f"{number:04d}-{name}" / "index.html").read_text(encoding="utf-8")
        assert ("Shown as plain text" in html) == (name != "backticks"), name
    assert "Just text." in (pages / "0099-ordinary" / "index.html").read_text(encoding="utf-8")


# --- the conversion's own budget: what measuring misses is stopped while converting -------

NET = """
import sys
from pathlib import Path
from adrgen.site import record_budget
# measuring lets everything through: only the conversion's own budget can stop it
record_budget.MAX_DEPTH = record_budget.MAX_SCAN = 10**12
record_budget.RECORD_SECONDS = 1.0
from adrgen.site.build import build_with_mkdocs
build_with_mkdocs(Path(sys.argv[1]))
"""


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[" * 60_000, "converting it took longer than 1 seconds"),
        ("- " * 1_000 + "x", "it nests deeper than the markdown converter can go"),
    ],
    ids=["too-long", "too-deep"],
)
def test_a_conversion_over_its_budget_is_stopped(text: str, says: str, tmp_path: Path) -> None:
    records = tmp_path / "decisions"
    records.mkdir()
    (records / "0001-slow.md").write_text(f"---\ntitle: Slow\n---\n\n{text}\n")
    (records / "0002-ordinary.md").write_text("---\ntitle: Ordinary\n---\n\nJust text.\n")
    config = write_config(tmp_path, [records], site_dir=tmp_path / "public")
    _isolated(NET, str(config))
    pages = tmp_path / "public" / "decisions" / "decisions"
    html = (pages / "0001-slow" / "index.html").read_text(encoding="utf-8")
    assert "Shown as plain text" in html and says in html
    assert "Just text." in (pages / "0002-ordinary" / "index.html").read_text(encoding="utf-8")
