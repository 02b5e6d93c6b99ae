"""Team templates are code other people wrote: cases 1-6 of the hardening issue.

Each test writes a team template into the team's `tpl/` folder and runs
`adrgen new --answers answers.yaml --no-input --template t`; the template must be refused
with one line naming it (tpl/t.md.j2:LINE), and nothing in the team folder may change.
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

import pytest

from adrgen.answers.model import Answers
from adrgen.authoring import plan as new_record
from adrgen.authoring.context import record_context
from adrgen.catalog.loading import load_catalog
from adrgen.engine import recommend
from adrgen.templating.render import make_environment, template_folders
from adrgen.templating.sandbox import RenderLimits

from .harness import Team, assert_clear_error, assert_unchanged, snapshot

TEMPLATE = Path("tpl") / "t.md.j2"  # as the message names it: relative to the team folder


def render_with(team: Team, source: str, *args: object, name: str = "t"):
    """Write the template, snapshot the team folder, run `adrgen new` with the template."""
    (team.templates / f"{name}.md.j2").write_text(source, encoding="utf-8")
    before = snapshot(team.root.parent)
    return before, team.new("--template", name, *args)


# --- 1. python internals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "cycler.__init__.__globals__",
        "self._TemplateReference__context",
        "''|attr('__class__')",
        "'{0.__class__}'.format(title)",
        "'{0.__class__.__mro__}'.format(answers)",
        "answers.__class__.__subclasses__()",
        "range.__self__",
        "dict.mro()[1].__subclasses__()",
        "namespace.__init__.__globals__",
        "joiner()",
        "lipsum(1000)",
        "chosen.pros.append('changed')",
    ],
)
def test_01_template_python_internals_refused(expression: str, team: Team) -> None:
    before, run = render_with(team, "# A record\n{{ " + expression + " }}\n")
    assert_clear_error(run, TEMPLATE, says=".", line=2)
    assert_unchanged(before, team.root.parent)


# --- 2. a context of plain data ---------------------------------------------------------------

PLAIN = (str, int, float, bool, type(None))


def _walk(value: object, where: str = "context") -> list[str]:
    """Where in `value` something is not plain data (str, numbers, bools, None, lists, dicts)."""
    if isinstance(value, PLAIN):
        return []
    if type(value) is list:
        return [p for i, item in enumerate(value) for p in _walk(item, f"{where}[{i}]")]
    if type(value) is dict:
        found = [f"{where}: key {k!r}" for k in value if not isinstance(k, str)]
        return found + [p for k, item in value.items() for p in _walk(item, f"{where}.{k}")]
    return [f"{where}: {type(value).__name__}"]


@pytest.mark.parametrize(
    "answers",
    [
        {"title": "CLI talks to the build daemon", "context": "Plain.", "deciders": ["ana"]},
        {
            "title": "Reporting calls the vendor's RPC service",
            "facts": {"same_host": False},
            "choice": "remote-rpc",  # on hold: the context says so and keeps the reason
            "justification": "The vendor ships only an RPC SDK.",
            "fields": {"ticket": "ARCH-1"},
        },
    ],
    ids=["recommended", "override-on-hold"],
)
def test_02_template_context_is_plain_data(answers: dict) -> None:
    from factsets import CLI_TO_DAEMON

    catalog = load_catalog()
    validated = Answers.model_validate({"facts": CLI_TO_DAEMON, **answers})
    context = record_context(
        validated,
        recommend(validated, catalog),
        catalog,
        7,
        "2026-01-02",
        fields={"ticket": "ARCH-1", "reviewed": True},
        field_prompts={"ticket": "Ticket?"},
    )
    assert _walk(context) == []
    assert type(context) is dict and context["answers"]["title"] == validated.title
    # and nothing beside the context reaches Python: no cycler, joiner or lipsum
    environment = make_environment(template_folders(None), RenderLimits())
    assert set(environment.globals) == {"range", "dict", "namespace"}


# --- 3. templates from outside the template folders -------------------------------------------


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.md.j2"
    path.write_text("SECRET-FROM-OUTSIDE\n")
    return path


@pytest.mark.parametrize(
    "tag",
    [
        "{% include '../../etc/passwd' %}",
        "{% extends '../../etc/passwd' %}",
        "{% include '/etc/passwd' %}",
        "{% extends '/etc/passwd' %}",
        "{% import '../secret.md.j2' as s %}",
        "{% from '/etc/passwd' import x %}",
        "{% include '..\\\\secret.md.j2' %}",
        "{% include 'link-out.md.j2' %}",
        "{% extends 'link-out.md.j2' %}",
        "{% include 'folder-out/secret.md.j2' %}",
    ],
)
def test_03_include_or_extends_outside_templates_refused(
    tag: str, team: Team, secret: Path
) -> None:
    (team.templates / "link-out.md.j2").symlink_to(secret)
    (team.templates / "folder-out").symlink_to(secret.parent)
    before, run = render_with(team, "# A record\n" + tag + "\n")
    assert_clear_error(run, TEMPLATE, says="not allowed|outside the template folders", line=2)
    assert "SECRET" not in run.stderr
    assert_unchanged(before, team.root.parent)


def test_03_a_chosen_template_that_links_outside_is_refused(team: Team, secret: Path) -> None:
    (team.templates / "leak.md.j2").symlink_to(secret)
    before = snapshot(team.root.parent)
    run = team.new("--template", "leak")
    assert_clear_error(run, team.templates / "leak.md.j2", says="points outside", line=None)
    assert "SECRET" not in run.stderr
    assert_unchanged(before, team.root.parent)


# --- 4. runaway templates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "limit"),
    [
        ("{% for i in range(10**9) %}x{% endfor %}", "MAX_RANGE"),
        ("{{ 'x' * 10**9 }}", r"`\*` would make 1000000000 items"),
        ("{{ 'x'|center(10**9) }}", "filter center"),
        ("{{ '%999999999s'|format('x') }}", "filter format"),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(64) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            r"`~` would make",
        ),
        # the output cap counts what the whole template printed, so no line is named
        ("{% for i in range(100000) %}{{ 'y' * 100 }}{% endfor %}", "byte limit"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
            "rendering took longer than 1 seconds",
        ),
        ("{% include 't.md.j2' %}", "too deeply"),
    ],
    ids=["range", "repeat", "center", "printf-width", "doubling", "output", "loop", "recursion"],
)
def test_04_runaway_template_stopped_by_a_limit(
    source: str, limit: str, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the time limit is 5 seconds in use; 1 here keeps the suite quick
    monkeypatch.setattr(new_record, "RenderLimits", functools.partial(RenderLimits, seconds=1))
    start = time.monotonic()
    before, run = render_with(team, source)
    assert time.monotonic() - start < 10
    assert_clear_error(run, TEMPLATE, says=limit, line=None if limit == "byte limit" else 1)
    assert_unchanged(before, team.root.parent)


# --- 5. mistakes name the template file and line ----------------------------------------------


@pytest.mark.parametrize(
    ("files", "where", "says"),
    [
        ({"t": "# A record\n\n{% if %}\n"}, (TEMPLATE, 3), "Expected an expression"),
        ({"t": "# {{ title }}\n{{ titel }}\n"}, (TEMPLATE, 2), "'titel' is undefined"),
        ({"t": "{{ chosen.nmae }}\n"}, (TEMPLATE, 1), "has no attribute 'nmae'"),
        ({"t": "# x\n{{ title|no_such_filter }}\n"}, (TEMPLATE, 2), "No filter named"),
        (
            {"t": "# x\n{% include 'part.md.j2' %}\n", "part": "a\nb\n{{ nope }}\n"},
            (Path("tpl") / "part.md.j2", 3),
            "'nope' is undefined",
        ),
        ({"t": "{% include 'missing.md.j2' %}"}, (TEMPLATE, 1), "'missing.md.j2' not found"),
        ({"t": "{% endfor %}"}, (TEMPLATE, 1), "Unexpected end of template|endfor"),
    ],
    ids=["syntax", "undefined", "attribute", "filter", "in-include", "missing", "unbalanced"],
)
def test_05_template_errors_name_file_and_line(
    files: dict[str, str], where: tuple[Path, int], says: str, team: Team
) -> None:
    for name, source in files.items():
        (team.templates / f"{name}.md.j2").write_text(source, encoding="utf-8")
    before = snapshot(team.root.parent)
    run = team.new("--template", "t")
    assert_clear_error(run, where[0], says=says, line=where[1])
    assert_unchanged(before, team.root.parent)


# --- 6. configuration cannot loosen the sandbox -----------------------------------------------


@pytest.mark.parametrize(
    ("file", "text", "key"),
    [
        (".adrgen.yaml", "jinja_extensions: [jinja2.ext.do]", "jinja_extensions"),
        (".adrgen.yaml", "extensions: [jinja2.ext.debug]", "extensions"),
        (".adrgen.yaml", "autoescape: true", "autoescape"),
        (".adrgen.yaml", "variable_start_string: '[['", "variable_start_string"),
        (".adrgen.yaml", "block_start_string: '<%'", "block_start_string"),
        (".adrgen.yaml", "jinja: {sandbox: false}", "jinja"),
        ("overlay.yaml", "extensions: [jinja2.ext.do]", "extensions"),
        ("overlay.yaml", "autoescape: true", "autoescape"),
        ("overlay.yaml", "templates: /etc", "templates"),
    ],
)
def test_06_config_and_overlay_cannot_change_the_template_environment(
    file: str, text: str, key: str, team: Team
) -> None:
    if file == "overlay.yaml":
        (team.root / file).write_text(f"name: payments-team\n{text}\n")
        with team.config.open("a") as config:
            config.write("overlay: overlay.yaml\n")
    else:
        with team.config.open("a") as config:
            config.write(f"{text}\n")
    line = len((team.root / file).read_text().splitlines())
    before = snapshot(team.root.parent)
    run = team.new()
    assert_clear_error(run, team.root / file, says=f"{key}: unknown key", line=line)
    assert_unchanged(before, team.root.parent)


@pytest.mark.parametrize(
    "templates", ["ELSEWHERE", "../elsewhere", "tpl/../../elsewhere", "link-to-elsewhere"]
)
def test_06_templates_outside_the_team_folder_only_when_given_explicitly(
    templates: str, team: Team, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "theirs.md.j2").write_text("# {{ title }}\n\nFrom another folder.\n")
    (team.root / "link-to-elsewhere").symlink_to(elsewhere)
    templates = templates.replace("ELSEWHERE", str(elsewhere))
    team.config.write_text(f"records: decisions\ntemplates: {templates}\n")
    before = snapshot(tmp_path)
    run = team.new("--template", "theirs")
    assert_clear_error(run, team.config, says="templates: .* leads outside the team folder", line=2)
    assert_unchanged(before, tmp_path)

    # the same folder named on the command line is the user's own choice
    team.config.write_text("records: decisions\n")
    run = team.new("--template", "theirs", "--templates", elsewhere, "--date", "2026-01-03")
    assert run.code == 0, run
    [written] = [p for p in team.records.iterdir() if p.name.startswith("0002-")]
    assert "From another folder." in written.read_text(encoding="utf-8")


def test_06_a_template_cannot_use_jinja_extensions(team: Team) -> None:
    before, run = render_with(team, "# x\n{% do answers.update({}) %}\n")
    assert_clear_error(run, TEMPLATE, says="unknown tag 'do'", line=2)
    assert_unchanged(before, team.root.parent)


# the site's page templates (a team's templates/site/ folder) run in the same sandbox,
# and paths among the objects they are given are out of their reach
def test_01_site_templates_cannot_reach_the_file_system(tmp_path: Path) -> None:
    from adrgen.errors import AdrgenError
    from adrgen.site.pages import SiteOptions, build_site
    from adrgen.site.record_pages import load_sources
    from tests.sitebuild import adrgen_record

    records = tmp_path / "records"
    records.mkdir()
    adrgen_record(records, 1, "One")
    site_templates = tmp_path / "tpl" / "site"
    site_templates.mkdir(parents=True)
    target = tmp_path / "written-by-a-template.txt"
    (site_templates / "record.md.j2").write_text(
        "{{ (r.source.directory.parent / 'written-by-a-template.txt').write_text('x') }}"
    )
    with pytest.raises(AdrgenError):
        build_site(
            load_catalog(), load_sources([records]), SiteOptions(templates_dir=tmp_path / "tpl")
        )
    assert not target.exists()


def test_03_site_template_symlink_leaving_the_folder_refused(tmp_path: Path) -> None:
    from adrgen.errors import AdrgenError
    from adrgen.site.pages import SiteOptions, build_site
    from adrgen.site.record_pages import load_sources
    from tests.sitebuild import adrgen_record

    records = tmp_path / "records"
    records.mkdir()
    adrgen_record(records, 1, "One")
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FROM-OUTSIDE")
    site_templates = tmp_path / "tpl" / "site"
    site_templates.mkdir(parents=True)
    (site_templates / "record.md.j2").symlink_to(secret)
    try:
        site = build_site(
            load_catalog(), load_sources([records]), SiteOptions(templates_dir=tmp_path / "tpl")
        )
    except AdrgenError as exc:
        assert "SECRET" not in exc.message
        return
    assert not any("SECRET" in page for page in site.pages.values())
