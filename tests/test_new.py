"""`adrgen new`: answers file in, decision record out (and nothing out on a mistake)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner
from factsets import MADR_SECTIONS, facts
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from record_words import has_run, prose_words, section, shown_words, words

from adrgen.cli import cli
from adrgen.files.safe_yaml import dump, parse_text
from adrgen.records.parse import parse_record, split_front_matter
from adrgen.records.write import FRONT_MATTER_KEYS

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
CLI_DAEMON = EXAMPLES / "answers" / "cli-build-daemon.yaml"
# the committed examples, in the order they were made (their numbers follow it)
EXAMPLE_RECORDS = [
    ("cli-build-daemon", "madr"),
    ("video-frame-pipeline", "nygard"),
    ("billing-in-another-data-centre", "y-statement"),
    ("cli-daemon-override", "madr"),
    ("containerd-clients", "nygard"),
]


def write_answers(folder: Path, data: dict, name: str = "answers.yaml") -> Path:
    path = folder / name
    path.write_text(dump(data), encoding="utf-8")
    return path


def new(runner: CliRunner, *args: str | Path) -> object:
    return runner.invoke(cli, ["new", *[str(a) for a in args]], catch_exceptions=False)


def make(runner: CliRunner, tmp_path: Path, data: dict, *args: str) -> tuple[Path, str]:
    """Write a record from `data` into tmp_path/decisions; (its path, its text)."""
    answers = write_answers(tmp_path, data)
    result = new(runner, "--answers", answers, "--no-input", "--dir", tmp_path / "decisions", *args)
    assert result.exit_code == 0, result.output
    [path] = sorted((tmp_path / "decisions").glob("*.md"))
    return path, path.read_text(encoding="utf-8")


def front_and_body(text: str) -> tuple[dict, str]:
    front, body, _ = split_front_matter(text)
    assert front is not None
    data, _ = parse_text(front)
    return data, body


def check_madr_structure(text: str) -> dict:
    """The record is MADR 4 with adrgen's front matter; returns the front matter."""
    assert text.startswith("---\n")
    meta, body = front_and_body(text)
    assert list(meta) == [key for key in FRONT_MATTER_KEYS if key in meta]
    assert set(meta) >= {"number", "title", "status", "date", "mechanism", "outcome", "facts"}
    assert "answers" not in meta and len(text.split("---\n", 2)[1].splitlines()) <= 30
    assert isinstance(meta["number"], int) and meta["status"] == "proposed"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["date"])
    assert meta["catalog"]["name"] == "ipc-garden" and meta["catalog"]["version"]
    lines = body.split("\n")
    assert lines[0] == "" and lines[1].startswith("# ")
    assert [line for line in lines if line.startswith("# ")] == [lines[1]]
    positions = [lines.index(section) for section in MADR_SECTIONS]
    assert positions == sorted(positions)
    pros_and_cons = body.split("## Pros and Cons of the Options")[1]
    assert "\n### " in pros_and_cons and "* Good, because " in pros_and_cons
    return meta


# --- the main job ---------------------------------------------------------------------------


def test_a_record_from_the_example_answers_is_well_formed_madr(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = new(
        runner, "--answers", CLI_DAEMON, "--no-input", "--dir", tmp_path, "--date", "2026-01-02"
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "0001-cli-talks-to-the-local-build-daemon.md"
    assert result.output == f"{path}: record 1 written (Unix domain sockets, proposed)\n"
    meta = check_madr_structure(path.read_text())
    assert meta["number"] == 1 and meta["date"] == "2026-01-02"
    assert (meta["mechanism"], meta["outcome"], meta["recommended"]) == (
        "unix-sockets",
        "ipc",
        "unix-sockets",
    )
    assert meta["deciders"] == ["ana", "bo"]
    assert meta["facts"]["relationship"] == "client-daemon"
    assert "context" not in meta and "template" not in meta  # said by the body, not again
    record = parse_record(path)
    assert record.problems == [] and record.format == "adrgen"
    assert (record.number, record.title, record.status, record.date, record.mechanism) == (
        1,
        "CLI talks to the local build daemon",
        "proposed",
        "2026-01-02",
        "unix-sockets",
    )


def test_records_pass_adrgen_lint(runner: CliRunner, tmp_path: Path) -> None:
    for name, template in EXAMPLE_RECORDS:
        answers = EXAMPLES / "answers" / f"{name}.yaml"
        result = new(
            runner, "--answers", answers, "--no-input", "--dir", tmp_path, "--template", template
        )
        assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["lint", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output


SEED_EXAMPLES = {
    "shell pipeline": (facts(relationship="pipeline", data_volume="moderate"), "pipes"),
    "goroutines": (
        facts(same_runtime=True, process_isolation=False, relationship="peers"),
        "channels",
    ),
    "docker/terraform control plane": (
        facts(relationship="plugin-host", rpc_semantics=True),
        "local-grpc",
    ),
    "service in another data centre": ({"same_host": False}, "service-contract"),
    "high-throughput exchange between peers": (
        facts(relationship="peers", data_volume="high"),
        "shared-memory",
    ),
}


@pytest.mark.parametrize("name", sorted(SEED_EXAMPLES))
def test_the_seeds_examples_become_records(name: str, runner: CliRunner, tmp_path: Path) -> None:
    fact_values, mechanism = SEED_EXAMPLES[name]
    path, text = make(runner, tmp_path, {"title": name, "facts": fact_values})
    meta = check_madr_structure(text)
    assert meta["mechanism"] == mechanism
    chosen = text.split("## Decision Outcome")[1]
    assert chosen.startswith('\n\nChosen option: "')
    assert f"mechanism:{mechanism}" in text


# --- mistakes write nothing -----------------------------------------------------------------

INVALID = {
    "unknown fact": (
        {"title": "t", "facts": {**facts(), "same_galaxy": True}},
        r"answers\.yaml:\d+: facts\.same_galaxy: unknown key",
    ),
    "wrong type": (
        {"title": "t", "facts": facts(same_host="maybe")},
        r"answers\.yaml:\d+: facts\.same_host: 'maybe' is not true or false",
    ),
    "missing title": ({"facts": facts()}, r"answers\.yaml:1: title: a record needs a title"),
    "blank title": ({"title": "  \n ", "facts": facts()}, r"title: a record needs a title"),
    "missing fact": ({"title": "t", "facts": {"same_host": True}}, r"facts: missing relationship"),
    "hold without justification": (
        {"title": "t", "facts": {"same_host": False}, "choice": "remote-rpc"},
        r"choice: 'remote-rpc' differs from the recommendation 'service-contract'; add a justification",
    ),
    "unknown mechanism": (
        {"title": "t", "facts": facts(), "choice": "carrier-pigeon"},
        r"choice: unknown mechanism 'carrier-pigeon'",
    ),
    "unknown key": ({"title": "t", "facts": facts(), "owner": "me"}, r"owner: unknown key"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_answers_are_one_clear_line_and_write_nothing(
    case: str, runner: CliRunner, tmp_path: Path
) -> None:
    data, message = INVALID[case]
    answers = write_answers(tmp_path, data)
    result = runner.invoke(
        cli, ["new", "--answers", str(answers), "--no-input", "--dir", str(tmp_path / "d")]
    )
    assert result.exit_code == 2
    assert re.search(message, result.output), result.output
    assert len(result.output.strip().split("\n")) == 1, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "d").exists()


def test_a_mechanism_on_hold_chosen_with_a_justification_is_stated(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = {
        "title": "Reporting calls the vendor's RPC service",
        "facts": {"same_host": False},
        "choice": "remote-rpc",
        "justification": "The vendor ships only an RPC SDK; we wrap it behind one adapter.",
    }
    _, text = make(runner, tmp_path, data)
    meta = check_madr_structure(text)
    assert (meta["mechanism"], meta["recommended"]) == ("remote-rpc", "service-contract")
    outcome = text.split("## Decision Outcome")[1].split("### Consequences")[0]
    assert "over the catalog's recommendation \"Explicit service contract" in outcome
    assert "> The vendor ships only an RPC SDK; we wrap it behind one adapter." in outcome
    assert text.count("The vendor ships only an RPC SDK") == 1  # the justification, once
    assert "**General RPC across machines is on hold**" in outcome


HOSTILE = {
    "title": "x\n# y\n---\n<script>alert(1)</script> \u202egnp.exe\x00 <img src=x onerror=alert(1)>\r\nend",
    "context": "ok\r\n# heading\r\n---\ntitle: injected\n---\n```\n<script>alert(2)</script>\n\u2028[x](javascript:alert(3))",
    "deciders": ["<b>bo</b>", "# ana", "---", "\u202eeve"],
    "facts": facts(),
    "choice": "pipes",
    "justification": "## Not a heading\n<iframe src=x></iframe>",
}


@pytest.mark.parametrize("template", ["madr", "nygard", "y-statement"])
def test_hostile_text_keeps_the_record_intact(
    template: str, runner: CliRunner, tmp_path: Path
) -> None:
    path, text = make(runner, tmp_path, HOSTILE, "--template", template)
    meta, body = front_and_body(text)
    assert (
        meta["title"]
        == "x # y --- <script>alert(1)</script> gnp.exe <img src=x onerror=alert(1)> end"
    )
    shown = words("ok heading title injected script alert 2 script x javascript alert 3")
    assert has_run(shown_words(body), shown)
    assert "\u2028" not in text and "\u202e" not in text and "\x00" not in text and "\r" not in text
    assert meta["deciders"] == ["<b>bo</b>", "# ana", "---", "eve"]
    assert list(meta) == [key for key in FRONT_MATTER_KEYS if key in meta]
    assert set(meta) >= {"number", "title", "status", "date", "mechanism", "outcome", "facts"}
    assert "answers" not in meta and len(text.split("---\n", 2)[1].splitlines()) <= 30
    assert text.count("\n---\n") == 1  # the front matter's closing line, nowhere else
    for tag in ("<script", "<img", "<iframe", "<b>"):
        assert tag not in body
    assert len([line for line in body.split("\n") if line.startswith("# ")]) == 1
    assert not any(line.startswith("## Not") for line in body.split("\n"))
    page = markdown.markdown(body, extensions=["tables", "attr_list", "admonition", "fenced_code"])
    assert page.count("<h1") == 1 and not re.search(r"<(script|img|iframe|b)\b", page)
    assert "javascript:" not in re.findall(r'href="([^"]*)"', page)
    record = parse_record(path)
    assert record.title == meta["title"] and record.problems == []
    assert re.fullmatch(r"0001-[a-z0-9-]+\.md", path.name)


# --- options --------------------------------------------------------------------------------


def test_dry_run_prints_the_record_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "0041-older.md").write_text("# 41. Older\n")
    result = new(runner, "--answers", CLI_DAEMON, "--no-input", "--dir", tmp_path, "--dry-run")
    assert result.exit_code == 0
    meta = check_madr_structure(result.output)
    assert meta["number"] == 42
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0041-older.md"]


def test_json_output_says_where_and_what(runner: CliRunner, tmp_path: Path) -> None:
    result = new(
        runner, "--answers", CLI_DAEMON, "--no-input", "--dir", tmp_path, "--format", "json",
        "--status", "accepted", "--template", "nygard", "--date", "2025-02-03",
    )  # fmt: skip
    data = json.loads(result.output)
    assert data["path"] == str(tmp_path / "0001-cli-talks-to-the-local-build-daemon.md")
    assert (data["number"], data["mechanism"], data["outcome"]) == (1, "unix-sockets", "ipc")
    assert (data["status"], data["template"], data["date"]) == ("accepted", "nygard", "2025-02-03")
    text = Path(data["path"]).read_text()
    assert "\n# 1. CLI talks to the local build daemon\n\nDate: 2025-02-03\n" in text
    assert "## Status\n\nAccepted\n" in text


def test_status_and_template_can_come_from_the_answers(runner: CliRunner, tmp_path: Path) -> None:
    _, text = make(
        runner,
        tmp_path,
        {"title": "t", "facts": facts(), "status": "accepted", "template": "y-statement"},
    )
    meta, body = front_and_body(text)
    assert meta["status"] == "accepted"
    assert 'In the context of "t",' in body


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "25/11/2026"], "--date: '25/11/2026' is not a date written YYYY-MM-DD"),
        (["--date", "2026-02-30"], "--date: '2026-02-30' is not a calendar date"),
        (["--template", "nope"], "template 'nope' not found (known: madr, nygard, y-statement)"),
        (
            ["--template", "../../etc/passwd"],
            "template '../../etc/passwd': a template name is a file name",
        ),
    ],
)
def test_bad_options_are_clear_errors(
    args: list[str], message: str, runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(
        cli,
        ["new", "--answers", str(CLI_DAEMON), "--no-input", "--dir", str(tmp_path / "d"), *args],
    )
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "d").exists()


def test_no_input_needs_an_answers_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["new", "--no-input", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert (
        result.output
        == "--no-input needs --answers FILE: there is nothing else to take the answers from\n"
    )


def test_without_a_terminal_it_says_how_to_run_without_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(
        cli, ["new", "--answers", str(CLI_DAEMON), "--dir", str(tmp_path)], input=""
    )
    assert result.exit_code == 2
    assert (
        "no terminal to ask questions on: run `adrgen new --answers FILE --no-input`"
        in result.output
    )
    assert list(tmp_path.iterdir()) == []


def test_no_input_never_imports_the_interview() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from adrgen.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['new', '--answers', {str(CLI_DAEMON)!r}, '--no-input', '--dry-run'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('questionary', 'prompt_toolkit', 'mkdocs') or m == 'adrgen.authoring.interview'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- the team's config: extra fields, overlay, templates ------------------------------------


def team_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".adrgen.yaml"
    path.write_text(text)
    return path


FIELDS_CONFIG = """\
records: decisions
fields:
  - {name: ticket, prompt: Tracking ticket, required: true}
  - {name: reviewed, prompt: Reviewed by security?, type: bool, default: false}
  - {name: risk, prompt: Risk, type: choice, choices: [low, high]}
  - {name: cost, prompt: Cost in days, type: int}
"""


def test_team_fields_land_in_front_matter_and_body(runner: CliRunner, tmp_path: Path) -> None:
    config = team_config(tmp_path, FIELDS_CONFIG)
    fields = {"ticket": "ARCH-7 <b>", "risk": "high", "cost": 3}
    answers = write_answers(tmp_path, {"title": "t", "facts": facts(), "fields": fields})
    result = new(runner, "--answers", answers, "--no-input", "--config", config)
    assert result.exit_code == 0, result.output
    [path] = (tmp_path / "decisions").glob("*.md")
    meta, body = front_and_body(path.read_text())
    assert meta["fields"] == {"ticket": "ARCH-7 <b>", "reviewed": False, "risk": "high", "cost": 3}
    assert "* Tracking ticket: ARCH-7 &lt;b&gt;" in body and "* Reviewed by security?: no" in body


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "fields.ticket: required by the team config (Tracking ticket)"),
        ({"ticket": "A-1", "risk": "medium"}, "fields.risk: 'medium' is not one of low, high"),
        ({"ticket": "A-1", "cost": "three"}, "fields.cost: 'three' is not a whole number"),
        ({"ticket": "A-1", "reviewed": "yes"}, "fields.reviewed: 'yes' is not true or false"),
        (
            {"ticket": "A-1", "owner": "me"},
            "fields.owner: unknown field (the team config defines: ticket, reviewed, risk, cost)",
        ),
    ],
)
def test_team_field_mistakes_are_clear(
    fields: dict, message: str, runner: CliRunner, tmp_path: Path
) -> None:
    config = team_config(tmp_path, FIELDS_CONFIG)
    answers = write_answers(tmp_path, {"title": "t", "facts": facts(), "fields": fields})
    result = runner.invoke(
        cli, ["new", "--answers", str(answers), "--no-input", "--config", str(config)]
    )
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "decisions").exists()


def test_an_overlay_is_recorded(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "overlay.yaml").write_text(
        "name: media-team\nmechanisms:\n  shared-memory:\n    stance: adopt\n"
        "    stance_note: We own the ring-buffer library and its tests.\n"
    )
    config = team_config(tmp_path, "records: decisions\noverlay: overlay.yaml\n")
    answers = write_answers(
        tmp_path, {"title": "t", "facts": facts(relationship="peers", data_volume="high")}
    )
    result = new(runner, "--answers", answers, "--no-input", "--config", config)
    assert result.exit_code == 0, result.output
    [path] = (tmp_path / "decisions").glob("*.md")
    meta, body = front_and_body(path.read_text())
    assert meta["catalog"]["overlay"] == "media-team"
    assert "Catalog: ipc-garden 1.0, with the team overlay media-team." in body
    assert "### Shared memory" in body


def test_a_team_template_is_used_and_a_broken_one_writes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "ours.md.j2").write_text(
        '{% extends "madr.md.j2" %}\n{% block more_information %}## More Information\n\nSee the wiki.\n{% endblock %}\n'
    )
    (tmp_path / "tpl" / "evil.md.j2").write_text("# {{ title }}\n{{ ''.__class__.__mro__ }}\n")
    config = team_config(tmp_path, "records: decisions\ntemplates: tpl\ntemplate: ours\n")
    result = new(runner, "--answers", CLI_DAEMON, "--no-input", "--config", config)
    assert result.exit_code == 0, result.output
    [path] = (tmp_path / "decisions").glob("*.md")
    check_madr_structure(path.read_text())
    assert path.read_text().endswith("See the wiki.\n")

    result = runner.invoke(
        cli,
        [
            "new",
            "--answers",
            str(CLI_DAEMON),
            "--no-input",
            "--config",
            str(config),
            "--template",
            "evil",
            "--dir",
            str(tmp_path / "other"),
        ],
    )
    assert result.exit_code == 2
    assert re.fullmatch(
        r".*tpl/evil\.md\.j2:2: access to attribute '__class__' of 'str' object is unsafe\n",
        result.output,
    )
    assert not (tmp_path / "other").exists()


# --- the committed examples -----------------------------------------------------------------


def test_the_committed_examples_are_what_adrgen_makes_today(
    runner: CliRunner, tmp_path: Path
) -> None:
    for name, template in EXAMPLE_RECORDS:
        answers = EXAMPLES / "answers" / f"{name}.yaml"
        result = new(
            runner,
            "--answers",
            answers,
            "--no-input",
            "--template",
            template,
            "--date",
            "2026-11-25",
            "--dir",
            tmp_path,
        )
        assert result.exit_code == 0, result.output
    made = sorted(p.name for p in tmp_path.glob("*.md"))
    committed = sorted(p.name for p in (EXAMPLES / "decisions").glob("*.md"))
    assert made == committed
    for name in made:
        assert (tmp_path / name).read_text() == (EXAMPLES / "decisions" / name).read_text(), (
            f"examples/decisions/{name} is stale: make it again as examples/README.md says"
        )
    bodies = [front_and_body((tmp_path / name).read_text())[1] for name in made]
    assert "## Decision Outcome" in bodies[0]  # MADR
    assert re.search(r"\n# 2\. .*\n\nDate: 2026-11-25\n", bodies[1])  # Nygard
    assert "\nIn the context of " in bodies[2]  # the Y-statement


# --- the interactive path, and any text at all ----------------------------------------------


def test_the_interview_answers_are_written(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adrgen.answers.model import Answers
    from adrgen.authoring import interview

    seen = {}

    def fake_interview(ws: object, prefill: dict | None) -> Answers:
        seen["prefill"] = prefill
        return Answers.model_validate({**(prefill or {}), "title": "Asked in a terminal"})

    monkeypatch.setattr(interview, "stdin_is_interactive", lambda: True)
    monkeypatch.setattr(interview, "run_interview", fake_interview)
    result = new(runner, "--answers", CLI_DAEMON, "--dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert seen["prefill"]["facts"]["relationship"] == "client-daemon"
    assert [p.name for p in tmp_path.iterdir()] == ["0001-asked-in-a-terminal.md"]


def test_ctrl_c_in_the_interview_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from adrgen.authoring import interview
    from adrgen.cli import main

    def interrupted(ws: object, prefill: dict | None) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(interview, "stdin_is_interactive", lambda: True)
    monkeypatch.setattr(interview, "run_interview", interrupted)
    with pytest.raises(SystemExit) as exited:
        main(["new", "--dir", str(tmp_path / "d")])
    assert exited.value.code == 130
    assert "interrupted: nothing was written" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.text(min_size=1, max_size=120),
    context=st.text(max_size=300),
    deciders=st.lists(st.text(min_size=1, max_size=30), max_size=3),
)
def test_any_text_round_trips_and_stays_text(
    title: str, context: str, deciders: list[str], tmp_path: Path
) -> None:
    from pydantic import ValidationError

    from adrgen.answers.model import Answers
    from adrgen.authoring.plan import plan_record, write_new_record
    from adrgen.config.workspace import resolve_workspace

    try:
        answers = Answers.model_validate(
            {"title": title, "context": context, "deciders": deciders, "facts": facts()}
        )
    except ValidationError:
        assume(False)  # text that cleans to nothing is refused, as tested above
    folder = tmp_path / f"d{abs(hash((title, context, tuple(deciders))))}"
    ws = resolve_workspace(cwd=tmp_path, records_dir=folder)
    path, _ = write_new_record(plan_record(ws, answers, date="2026-11-25"), folder)
    assert path.parent == folder and len(path.name.encode()) <= 120
    assert re.fullmatch(r"0001-[a-z0-9]+(-[a-z0-9]+)*\.md", path.name)
    meta, body = front_and_body(path.read_text(encoding="utf-8"))
    assert meta["title"] == answers.title and meta["deciders"] == answers.deciders
    shown = section(body, "## Context and Problem Statement")
    assert shown_words(shown) == prose_words(answers.context.strip() or answers.title)
    assert not re.search(r"<[A-Za-z/!?]", body)
    assert len([line for line in body.split("\n") if line.startswith("# ")]) == 1
    positions = [body.split("\n").index(section) for section in MADR_SECTIONS]
    assert positions == sorted(positions)
