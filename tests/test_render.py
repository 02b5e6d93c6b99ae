"""Rendering: the template context, markdown escaping, the three templates and the sandbox."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import markdown
import pytest
from factsets import MADR_SECTIONS

from adrgen.answers.loading import load_answers
from adrgen.answers.model import Answers
from adrgen.authoring.context import record_context
from adrgen.catalog.loading import load_catalog
from adrgen.engine import recommend
from adrgen.errors import AdrgenError
from adrgen.templating import escape as mdescape
from adrgen.templating.render import plain, render_template, template_folders
from adrgen.templating.sandbox import RenderLimits, _memory_limit

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "answers" / "cli-build-daemon.yaml"
HOSTILE = "x\n# y\n---\n<script>alert(1)</script>"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def context_for(catalog, **changes) -> dict:
    answers = load_answers(EXAMPLE)
    answers = Answers.model_validate({**answers.model_dump(), **changes})
    return record_context(answers, recommend(answers, catalog), catalog, 4, "2026-11-25")


def html_of(text: str) -> str:
    """The page a site would show: Python-Markdown with the extensions mkdocs sites use."""
    return markdown.markdown(
        text,
        extensions=["tables", "attr_list", "admonition", "fenced_code", "def_list", "footnotes"],
    )


def render(name: str, context: dict, folder: Path | None = None, **limits) -> str:
    return render_template(name, context, template_folders(folder), RenderLimits(**limits))


# --- markdown escaping ----------------------------------------------------------------------

HOSTILE_TEXTS = [
    HOSTILE,
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "```\nfence that never closes",
    "~~~\nanother fence",
    "---\ntitle: injected\n---",
    "paragraph\n===",
    "paragraph\n-",
    "!!! danger\n    injected admonition",
    "| a | b |\n|---|---|\n| c | d |",
    "text{: onclick=alert(1) }",
    "<!-- comment --> <div>raw</div>",
    "[ref]: javascript:alert(1)\n[x][ref]",
    "&lt;script&gt; stays text",
    "    indented code <b>",
    "* * *",
    "1. first\n2) second",
    "> quoted",
    "Term\n: definition",
    "x\u202eevil\x00nul\r\nline",
]


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
def test_inline_text_stays_one_paragraph_of_plain_text(text: str) -> None:
    page = html_of("# " + mdescape.inline(text) + "\n\nafter\n")
    assert page.count("<h1") == 1 and "<h2" not in page
    tags = set(re.findall(r"<([a-z0-9]+)", page))
    assert tags <= {"h1", "p"}, page
    assert "\n" not in mdescape.inline(text)


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=range(len(HOSTILE_TEXTS)))
def test_block_text_cannot_open_a_block_that_changes_the_record(text: str) -> None:
    page = html_of("## Context\n\n" + mdescape.block(text) + "\n\n## Next\n")
    assert page.count("<h2") == 2 and "<h1" not in page and "<hr" not in page
    tags = set(re.findall(r"<([a-z0-9]+)", page))
    # lists and indented code stay what the user wrote; nothing else becomes markup
    assert tags <= {"h2", "p", "ul", "ol", "li", "pre", "code"}, page
    assert "<script" not in page and 'href="javascript' not in page
    assert not re.search(r"<[^>]*\s(onclick|onerror)=", page)


def test_escaping_keeps_the_words() -> None:
    text = "Use `shm_open` & R&D *now* [maybe] #1 <b> 50% ~/x"
    shown = re.sub(r"<[^>]+>", "", html_of(mdescape.inline(text)))
    import html

    assert html.unescape(shown).strip() == text


def test_block_keeps_lists_and_paragraphs() -> None:
    page = html_of(
        mdescape.block("Intro\n\n- one\n- two # x\n\nthen\n\n1. first\n2. second\n\n\n\nend")
    )
    assert page.count("<li>") == 2 and "<ul>" in page
    # an ordered item keeps the number its author wrote: a list would renumber it
    assert "<ol>" not in page and "1. first" in page and "2. second" in page
    assert "# x" in page


# --- the context ----------------------------------------------------------------------------


def test_context_is_plain_data_only(catalog) -> None:
    context = context_for(catalog)

    def walk(value: object) -> None:
        assert type(value) in (dict, list, str, int, float, bool, type(None)), type(value)
        if isinstance(value, dict):
            for key, item in value.items():
                assert type(key) is str
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(context)
    with pytest.raises(TypeError, match=r"context\.x: PosixPath is not plain data|not plain"):
        plain({"x": Path("/")})


def test_context_holds_what_the_record_needs(catalog) -> None:
    context = context_for(catalog)
    assert context["chosen"]["id"] == "unix-sockets" and context["chosen"]["role"] == "chosen"
    assert [o["id"] for o in context["options"]][0] == "unix-sockets"
    assert all(o["pros"] and o["cons"] and o["fit"] for o in context["options"])
    ruled_out = [name for group in context["ruled_out"] for name in group["names"]]
    assert {"General RPC across machines", "Language channels"} <= set(ruled_out)
    assert all(group["why"] for group in context["ruled_out"])
    assert [d["fact"] for d in context["drivers"]][:2] == ["same_host", "relationship"]
    assert {c["id"] for c in context["consequences"]} == {
        "framing-and-versioning",
        "discovery-and-access",
    }
    assert context["failure_modes"][0]["watch_for"]
    assert [row["number"] for row in context["checklist"]] == [1, 2, 3, 4]
    assert context["situations"][0]["id"] == "single-host-isolation"
    assert context["catalog"] == {
        "name": "ipc-garden",
        "version": "1.0",
        "title": "Inter-process Communication (IPC)",
        "overlay": None,
    }
    assert context["answers"]["facts"]["relationship"] == "client-daemon"
    assert all(r["cites"] for r in context["reasons"])


def test_user_text_in_the_context_is_escaped_and_the_raw_answers_are_not(catalog) -> None:
    context = context_for(catalog, title=HOSTILE, deciders=["<b>x</b>"])
    assert "<script" not in context["title"] and "\n" not in context["title"]
    assert context["deciders"] == ["&lt;b&gt;x&lt;/b&gt;"]
    assert context["answers"]["title"] == "x # y --- <script>alert(1)</script>"


def test_unasked_questions_are_not_presented_as_answers(catalog) -> None:
    context = context_for(catalog, facts={"same_host": False})
    assert [f["fact"] for f in context["facts"]] == ["same_host"]
    answers = {row["id"]: row["answer"] for row in context["checklist"]}
    assert answers == {
        "one-machine": "no",
        "native-channel": "not asked",
        "local-api-enough": "not asked",
        "service-boundary": "applies",
    }


# --- the built-in templates -----------------------------------------------------------------


def test_madr_has_every_section_in_order(catalog) -> None:
    text = render("madr", context_for(catalog))
    positions = [text.index(f"\n{section}\n") for section in MADR_SECTIONS]
    assert positions == sorted(positions)
    assert text.startswith("# CLI talks to the local build daemon\n")
    pros_and_cons = text.split("## Pros and Cons of the Options")[1].split("## More Information")[0]
    assert "### Unix domain sockets" in pros_and_cons
    assert "* Good, because " in pros_and_cons and "* Bad, because " in pros_and_cons
    assert "Catalog: ipc-garden 1.0." in text


def test_nygard_and_y_statement_shapes(catalog) -> None:
    context = context_for(catalog)
    nygard = render("nygard", context)
    assert nygard.startswith("# 4. CLI talks to the local build daemon\n\nDate: 2026-11-25\n")
    for section in ("## Status\n\nProposed", "## Context", "## Decision", "## Consequences"):
        assert section in nygard
    y = render("y-statement", context)
    sentence = " ".join(y.split("\n\n")[1].split())
    assert re.match(
        r"In the context of .+, facing .+, we decided for Unix domain sockets and neglected .+, "
        r"to achieve .+, accepting that .+\.$",
        sentence,
    ), sentence


@pytest.mark.parametrize("name", ["madr", "nygard", "y-statement"])
def test_hostile_text_cannot_change_any_template(name: str, catalog) -> None:
    context = context_for(
        catalog,
        title=HOSTILE,
        context="<img src=x onerror=alert(1)>\n# heading\n---\n```",
        deciders=["<script>x</script>", "# bo"],
        choice="pipes",
        justification="---\n## Not a section\n<script>alert(2)</script>",
    )
    text = render(name, context)
    assert "<script" not in text and "<img" not in text
    headings = [line for line in text.split("\n") if line.startswith("#")]
    assert len([h for h in headings if h.startswith("# ")]) == 1
    assert not any(h.startswith("## Not") for h in headings)
    page = html_of(text)
    assert page.count("<h1") == 1 and "<script" not in page and "<img" not in page


def test_an_override_and_a_mechanism_on_hold_are_stated(catalog) -> None:
    context = context_for(
        catalog,
        facts={"same_host": False},
        choice="remote-rpc",
        justification="The vendor SDK only speaks its RPC.",
    )
    text = render("madr", context)
    outcome = text.split("## Decision Outcome")[1].split("### Consequences")[0]
    assert (
        'Chosen option: "General RPC across machines", over the catalog\'s recommendation'
        in outcome
    )
    assert "The vendor SDK only speaks its RPC." in outcome
    assert "is on hold** in the catalog" in outcome


# --- team templates and the sandbox ---------------------------------------------------------


@pytest.fixture
def team(tmp_path: Path) -> Path:
    folder = tmp_path / "team-templates"
    folder.mkdir()
    return folder


def team_render(team: Path, source: str, catalog, name: str = "t", **limits) -> str:
    (team / f"{name}.md.j2").write_text(source)
    return render(name, context_for(catalog), team, **limits)


def test_a_team_template_overrides_one_block_of_madr(team: Path, catalog) -> None:
    source = '{% extends "madr.md.j2" %}\n{% block more_information %}## More Information\n\nReviewed on Tuesdays.\n{% endblock %}\n'
    text = team_render(team, source, catalog)
    assert text.rstrip().endswith("Reviewed on Tuesdays.")
    assert "## Pros and Cons of the Options" in text and "Catalog: ipc-garden" not in text


def test_a_team_madr_can_extend_the_builtin_one(team: Path, catalog) -> None:
    source = (
        '{% extends "builtin/madr.md.j2" %}{% block title %}# ACME: {{ title }}\n{% endblock %}'
    )
    text = team_render(team, source, catalog, name="madr")
    assert text.startswith("# ACME: CLI talks to the local build daemon\n")
    assert "## More Information" in text


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ self._TemplateReference__context }}",
        "{{ ''|attr('__class__') }}",
        "{{ '{0.__class__}'.format(title) }}",
        "{{ answers.__class__ }}",
        "{{ chosen.pros.append('x') }}",
        "{{ lipsum(1000) }}",
    ],
)
def test_python_internals_are_out_of_reach(source: str, team: Path, catalog) -> None:
    with pytest.raises(AdrgenError) as caught:
        team_render(team, "ok\n" + source + "\n", catalog)
    assert caught.value.message.startswith(f"{team / 't.md.j2'}:2: ")
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "/etc/passwd", "..\\..\\etc\\passwd", "C:/Windows/win.ini", "a//b", "./x"],
)
def test_includes_outside_the_template_folders_are_refused(name: str, team: Path, catalog) -> None:
    with pytest.raises(AdrgenError, match=r"t\.md\.j2:2: template name .* not allowed"):
        team_render(team, f"ok\n{{% include {name!r} %}}\n", catalog)


def test_a_symlink_leaving_the_template_folders_is_refused(
    team: Path, tmp_path: Path, catalog
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    (team / "leak.md.j2").symlink_to(secret)
    (team / "inside.md.j2").symlink_to(team / "t.md.j2")
    with pytest.raises(AdrgenError, match="is a link to .*outside the template folders") as caught:
        team_render(team, "{% include 'leak.md.j2' %}", catalog)
    assert "SECRET" not in caught.value.message
    # a link that stays inside the folders is fine
    (team / "part.md.j2").write_text("a part\n")
    (team / "alias.md.j2").symlink_to(team / "part.md.j2")
    assert team_render(team, "{% include 'alias.md.j2' %}", catalog) == "a part\n"


def test_syntax_errors_and_undefined_variables_name_file_and_line(team: Path, catalog) -> None:
    with pytest.raises(AdrgenError, match=r"t\.md\.j2:3: .*Expected an expression"):
        team_render(team, "a\nb\n{% if %}\n", catalog)
    with pytest.raises(AdrgenError, match=r"t\.md\.j2:2: 'titel' is undefined"):
        team_render(team, "a\n{{ titel }}\n", catalog)
    (team / "part.md.j2").write_text("x\ny\n{{ nope }}\n")
    with pytest.raises(AdrgenError, match=r"part\.md\.j2:3: 'nope' is undefined"):
        team_render(team, "{% include 'part.md.j2' %}", catalog)
    with pytest.raises(AdrgenError, match=r"t\.md\.j2:1: template 'missing\.md\.j2' not found"):
        team_render(team, "{% include 'missing.md.j2' %}", catalog)


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("{% for i in range(10**9) %}x{% endfor %}", "MAX_RANGE"),
        ("{{ 'x' * 10**9 }}", r"`\*` would make 1000000000 items"),
        ("{{ 2 ** (10**9) }}", r"`\*\*` would make a number"),
        ("{% for i in range(100000) %}{{ 'y' * 100 }}{% endfor %}", "over the 1048576-byte limit"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            r"`~` would make",
        ),
        (
            "{% macro d(n) %}{% if n %}{{ d(n-1) }}{{ d(n-1) }}{% endif %}{{ 'x' * 4000 }}{% endmacro %}{{ d(40) }}",
            "limit",
        ),
        ("{{ '%999999999s'|format('x') }}", "filter format"),
        ("{{ 'x'|center(10**9) }}", "filter center"),
        ("{{ 'x'.ljust(10**9) }}", "str.ljust"),
        ("{{ '{:>999999999}'.format(1) }}", "str.format"),
        ("{{ ('x' * 1000)|replace('', 'y' * 2000) }}", "filter replace"),
        ("{% include 't.md.j2' %}", "too deeply"),
    ],
)
def test_runaway_templates_are_stopped_by_a_limit(
    source: str, problem: str, team: Path, catalog
) -> None:
    with pytest.raises(AdrgenError, match=problem) as caught:
        team_render(team, source, catalog)
    assert caught.value.message.startswith(str(team / "t.md.j2"))


def test_a_template_that_loops_without_output_is_stopped_in_time(team: Path, catalog) -> None:
    import time

    source = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    start = time.monotonic()
    with pytest.raises(AdrgenError, match=r"t\.md\.j2:1: rendering took longer than 0\.5 seconds"):
        team_render(team, source, catalog, seconds=0.5)
    assert time.monotonic() - start < 5


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_the_address_space_cap_turns_a_huge_allocation_into_memory_error() -> None:
    with pytest.raises(MemoryError), _memory_limit(64 * 1024 * 1024):
        bytearray(512 * 1024 * 1024)
    bytearray(512 * 1024 * 1024)  # and the cap is lifted afterwards


def test_config_cannot_change_the_environment(team: Path, catalog) -> None:
    # autoescape off, `{{ }}` delimiters, no extensions: whatever a team folder holds
    assert team_render(team, "{{ '<b>' }}{% raw %}{{ x }}{% endraw %}", catalog) == "<b>{{ x }}"
    with pytest.raises(AdrgenError, match="Encountered unknown tag 'do'"):
        team_render(team, "{% do answers.update({}) %}", catalog)
