"""The interview, driven through the real questionary prompts with prompt_toolkit's pipe input.

Keys are sent up front and the input is then closed, so an interview that asks more than
expected ends with "input ended" instead of waiting forever.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from factsets import CLI_TO_DAEMON
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.plain_text import PlainTextOutput

from adrgen import resources
from adrgen.authoring import interview
from adrgen.authoring.interview import PromptSpec, run_interview
from adrgen.config.team import ExtraField, TeamConfig
from adrgen.config.workspace import Workspace
from adrgen.engine import recommend
from adrgen.errors import AdrgenError, ExitCode

ENTER = "\r"
DOWN = "\x1b[B"
CTRL_C = "\x03"
CTRL_D = "\x04"

# the answers of a CLI talking to the local build daemon, one entry per prompt
DAEMON_KEYS = [
    "CLI talks to the local build daemon" + ENTER,  # title
    "The CLI asks the daemon to start builds" + ENTER,  # context
    "ana, bo" + ENTER,  # deciders
    "y",  # checklist 1: same host
    DOWN * 2 + ENTER,  # relationship: client-daemon (third)
    "n",  # cross_team
    "n",  # checklist 2: same runtime
    "y",  # process isolation
    ENTER,  # notify_only: default no
    ENTER,  # data_volume: default low
    ENTER,  # checklist 3: rpc semantics, default no
]
ACCEPT = ENTER
WRITE = ENTER

DAEMON_FACT_KEYS = [
    "facts.same_host",
    "facts.relationship",
    "facts.cross_team",
    "facts.same_runtime",
    "facts.process_isolation",
    "facts.notify_only",
    "facts.data_volume",
    "facts.rpc_semantics",
]


class WideOutput(PlainTextOutput):
    """Plain text with room for a whole question on one line, so tests can read the screen."""

    def get_size(self) -> Size:
        return Size(rows=60, columns=400)


def make_workspace(tmp_path: Path, fields: list[ExtraField] | None = None) -> Workspace:
    return Workspace(
        config_path=None,
        config=TeamConfig(fields=fields or []),
        records_dir=tmp_path,
        catalog_dir=resources.catalog_dir(),
        templates_dir=None,
        overlay_path=None,
        template="madr",
        cwd=tmp_path,
    )


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the prompts actually shown, in order."""
    keys: list[str] = []
    build = interview.build_question

    def recording(spec: PromptSpec) -> Any:
        keys.append(spec.key)
        return build(spec)

    monkeypatch.setattr(interview, "build_question", recording)
    return keys


def drive(
    ws: Workspace,
    keys: list[str],
    prefill: dict[str, Any] | None = None,
    *,
    screen: io.StringIO | None = None,
):
    output = WideOutput(screen) if screen is not None else DummyOutput()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=output):
        pipe.send_text("".join(keys))
        pipe.close()
        return run_interview(ws, prefill)


# --- full interviews ----------------------------------------------------------------------


def test_cli_and_local_daemon_lead_to_unix_sockets(ws, asked, capsys):
    answers = drive(ws, DAEMON_KEYS + [ACCEPT, WRITE])

    assert answers.title == "CLI talks to the local build daemon"
    assert answers.context == "The CLI asks the daemon to start builds"
    assert answers.deciders == ["ana", "bo"]
    facts = answers.facts.model_dump(mode="json")
    assert facts == CLI_TO_DAEMON
    assert answers.choice is None and answers.justification is None
    assert asked == ["title", "context", "deciders", *DAEMON_FACT_KEYS, "accept", "confirm"]

    result = recommend(answers, ws.catalog)
    assert result.mechanism == "unix-sockets" and not result.override
    shown = capsys.readouterr().out
    assert "Recommendation: Unix domain sockets (unix-sockets)" in shown
    assert "stance adopt, outcome ipc" in shown
    # every reason is shown with its citations, then the best-ranked alternatives
    for reason in result.reasons:
        assert f"{reason.text} [{', '.join(reason.cites)}]" in shown
    assert "Alternatives:\n  - Pipes / FIFOs (pipes, adopt, ranked)" in shown
    assert "remote-rpc" not in shown.split("Alternatives:")[1].split("Summary")[0]


def test_not_on_one_host_asks_nothing_more_and_leads_to_a_service_contract(ws, asked, capsys):
    keys = ["Billing calls inventory" + ENTER, ENTER, ENTER, "n", ACCEPT, WRITE]
    answers = drive(ws, keys)

    assert asked == ["title", "context", "deciders", "facts.same_host", "accept", "confirm"]
    assert answers.facts.same_host is False
    assert answers.facts.relationship is None and answers.facts.cross_team is None
    assert answers.context == "" and answers.deciders == []
    result = recommend(answers, ws.catalog)
    assert (result.mechanism, result.outcome) == ("service-contract", "service-contract")
    shown = capsys.readouterr().out
    assert "Checklist 4: If the answer to (1) is no, stop treating the problem as IPC" in shown
    assert "Recommendation: Explicit service contract" in shown


def test_overriding_the_recommendation_needs_a_justification(ws, asked, capsys):
    keys = DAEMON_KEYS + [
        "n",  # do not use the recommendation
        DOWN + ENTER,  # the list starts with the recommendation; pipes is ranked next
        ENTER,  # an empty justification is refused
        "The daemon already reads lines on stdin" + ENTER,
        WRITE,
    ]
    answers = drive(ws, keys)

    assert answers.choice == "pipes"
    assert answers.justification == "The daemon already reads lines on stdin"
    assert asked[-4:] == ["accept", "choice", "justification", "confirm"]
    result = recommend(answers, ws.catalog)
    assert result.override and (result.mechanism, result.recommended) == ("pipes", "unix-sockets")
    summary = capsys.readouterr().out.split("Summary")[1]
    assert "mechanism: Pipes / FIFOs (pipes)" in summary
    assert "instead of the recommended unix-sockets" in summary
    assert "justification: The daemon already reads lines on stdin" in summary


def test_picking_the_recommendation_from_the_list_needs_no_justification(ws, asked):
    answers = drive(ws, DAEMON_KEYS + ["n", ENTER, WRITE])

    assert answers.choice is None and answers.justification is None
    assert "justification" not in asked


def test_declining_the_summary_cancels(ws):
    with pytest.raises(AdrgenError) as caught:
        drive(ws, DAEMON_KEYS + [ACCEPT, "n"])
    assert caught.value.message == "cancelled: nothing was written"


# --- validation at the prompts ------------------------------------------------------------


def test_an_empty_title_is_refused_and_asked_again(ws, asked):
    keys = [ENTER, "   " + ENTER, "\b" * 3 + "Real title" + ENTER] + DAEMON_KEYS[1:]
    answers = drive(ws, keys + [ACCEPT, WRITE])

    assert answers.title == "Real title"
    assert asked.count("title") == 1  # one prompt, kept open until the input is valid
    # the message shown under the prompt (seen on a real terminal in test_interview_pty)
    title = interview.opening_specs()[0]
    assert title.check("   ") == "a title is required" and title.check("x") is True


def test_a_fact_without_a_default_is_not_settled_by_enter_alone(ws):
    keys = DAEMON_KEYS[:3] + [ENTER + "y"] + DAEMON_KEYS[4:]
    answers = drive(ws, keys + [ACCEPT, WRITE])

    assert answers.facts.same_host is True
    assert answers.facts.relationship.value == "client-daemon"


def test_prompts_show_the_checklist_number_and_the_help(ws):
    screen = io.StringIO()
    drive(ws, DAEMON_KEYS + [ACCEPT, WRITE], screen=screen)
    shown = screen.getvalue()

    one_machine = (
        "? Checklist 1: Are both peers guaranteed to run on one machine "
        "(or one tightly coupled host group)?\r\n"
        "  Answer no if they could ever be deployed on different hosts or networks.\r\n"
        "  (y/n) Yes"
    )
    assert one_machine in shown
    native = (
        "? Checklist 2: Does all the logic share one process or runtime (goroutines, actors)?\r\n"
        "  Yes means a language-native channel can replace a wire protocol.\r\n"
        "  The checklist asks: Can you use a language-native channel instead of a wire protocol?"
    )
    assert native in shown
    assert "? Checklist 3: Do the peers need typed, versioned request/response contracts" in shown
    assert "? How are the peers related? client-daemon: a CLI or app talks to" in shown
    assert "? Are the peers owned by different teams?\r\n" in shown


# --- interruptions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "where"),
    [
        pytest.param([CTRL_C], "title", id="text"),
        pytest.param(DAEMON_KEYS[:3] + [CTRL_C], "facts.same_host", id="confirm"),
        pytest.param(DAEMON_KEYS[:4] + [CTRL_C], "facts.relationship", id="select"),
        pytest.param(DAEMON_KEYS + [ACCEPT, CTRL_C], "confirm", id="final-confirm"),
    ],
)
def test_ctrl_c_at_any_prompt_interrupts(ws, asked, keys, where):
    with pytest.raises(KeyboardInterrupt):
        drive(ws, keys)
    assert asked[-1] == where


@pytest.mark.parametrize(
    ("keys", "where"),
    [
        # each Ctrl-D is followed by an answer: were it ignored, the next prompt would be asked
        pytest.param([CTRL_D, "Title" + ENTER], "title", id="text"),
        pytest.param(DAEMON_KEYS[:3] + [CTRL_D, "y"], "facts.same_host", id="confirm"),
        pytest.param(DAEMON_KEYS[:4] + [CTRL_D, ENTER], "facts.relationship", id="select"),
    ],
)
def test_ctrl_d_at_any_prompt_ends_the_interview(ws, asked, keys, where):
    with pytest.raises(AdrgenError) as caught:
        drive(ws, keys)
    assert caught.value.message == "input ended: nothing was written"
    assert caught.value.exit_code is ExitCode.USAGE
    assert asked[-1] == where


def test_closed_input_ends_the_interview(ws):
    with pytest.raises(AdrgenError, match="input ended: nothing was written"):
        drive(ws, ["Half a title"])


# --- prefill ------------------------------------------------------------------------------


def test_prefilled_answers_are_not_asked_again_but_are_summarised(ws, asked, capsys):
    prefill = {
        "title": "From the file",
        "deciders": ["cy"],
        "facts": {"same_host": True, "relationship": "client-daemon", "cross_team": False},
    }
    keys = [
        "Context typed in" + ENTER,
        "n",  # same runtime
        "y",  # process isolation
        ENTER,
        ENTER,
        ENTER,
        ACCEPT,
        WRITE,
    ]
    answers = drive(ws, keys, prefill)

    assert asked == [
        "context",
        "facts.same_runtime",
        "facts.process_isolation",
        "facts.notify_only",
        "facts.data_volume",
        "facts.rpc_semantics",
        "accept",
        "confirm",
    ]
    assert answers.title == "From the file" and answers.deciders == ["cy"]
    assert answers.context == "Context typed in"
    assert recommend(answers, ws.catalog).mechanism == "unix-sockets"
    summary = capsys.readouterr().out.split("Summary")[1]
    assert "title: From the file (answers file)" in summary
    assert "relationship: client-daemon (answers file)" in summary
    assert "same_runtime: no\n" in summary


def test_a_prefilled_choice_with_justification_skips_the_decision(ws, asked):
    prefill = {
        "title": "Keep the legacy RPC bridge",
        "facts": {"same_host": False},
        "choice": "remote-rpc",
        "justification": "Legacy system only speaks it",
    }
    answers = drive(ws, [ENTER, ENTER, WRITE], prefill)

    assert asked == ["context", "deciders", "confirm"]
    assert (answers.choice, answers.justification) == ("remote-rpc", "Legacy system only speaks it")


def test_a_prefilled_choice_without_justification_asks_for_one(ws, asked):
    prefill = {"title": "t", "context": "c", "deciders": ["d"], "facts": {"same_host": False}}
    prefill["choice"] = "remote-rpc"
    answers = drive(ws, ["Legacy" + ENTER, WRITE], prefill)

    assert asked == ["justification", "confirm"]
    assert answers.justification == "Legacy"


def test_a_bad_prefill_is_reported_before_any_question(ws, asked):
    with pytest.raises(AdrgenError, match=r"facts\.same_host: 'maybe' is not true or false"):
        drive(ws, [], {"facts": {"same_host": "maybe"}})
    assert asked == []


def test_a_prefilled_unknown_choice_is_refused(ws):
    prefill = {"title": "t", "context": "c", "deciders": ["d"], "facts": {"same_host": False}}
    with pytest.raises(AdrgenError, match="choice: unknown mechanism 'carrier-pigeon'"):
        drive(ws, [], {**prefill, "choice": "carrier-pigeon"})


# --- the team's extra fields --------------------------------------------------------------

TEAM_FIELDS = [
    ExtraField(name="ticket", prompt="Tracking ticket?", type="text", required=True),
    ExtraField(name="reviewed", prompt="Reviewed by security?", type="bool"),
    ExtraField(name="budget_ms", prompt="Latency budget (ms)?", type="int"),
    ExtraField(name="tier", prompt="Service tier?", type="choice", choices=["gold", "silver"]),
    ExtraField(name="note", prompt="Anything else?", type="text"),
]


def test_extra_fields_are_asked_checked_and_kept(tmp_path, asked):
    ws = make_workspace(tmp_path, TEAM_FIELDS)
    keys = DAEMON_KEYS + [
        ENTER,  # ticket is required: refused
        "OPS-42" + ENTER,
        "y",  # reviewed
        "fast" + ENTER,  # not a whole number: refused
        "\b" * 4 + "15" + ENTER,
        DOWN + ENTER,  # silver
        ENTER,  # note left empty
        ACCEPT,
        WRITE,
    ]
    answers = drive(ws, keys)

    assert answers.fields == {
        "ticket": "OPS-42",
        "reviewed": True,
        "budget_ms": 15,
        "tier": "silver",
    }
    assert asked[-7:-2] == [
        "fields.ticket",
        "fields.reviewed",
        "fields.budget_ms",
        "fields.tier",
        "fields.note",
    ]


def test_prefilled_extra_fields_are_skipped(tmp_path, asked):
    ws = make_workspace(tmp_path, TEAM_FIELDS[:2])
    prefill = {"fields": {"ticket": "OPS-7"}}
    answers = drive(ws, DAEMON_KEYS + ["n", ACCEPT, WRITE], prefill)

    assert answers.fields == {"ticket": "OPS-7", "reviewed": False}
    assert "fields.ticket" not in asked and "fields.reviewed" in asked


# --- the specs themselves -----------------------------------------------------------------


def test_one_fact_spec_per_catalog_question_in_order(ws):
    specs = interview.fact_specs(ws.catalog)

    assert [s.key for s in specs] == [f"facts.{q.fact.value}" for q in ws.catalog.questions]
    by_key = {s.key: s for s in specs}
    assert by_key["facts.same_host"].kind == "confirm" and by_key["facts.same_host"].explicit
    assert by_key["facts.notify_only"].default is False and not by_key["facts.notify_only"].explicit
    relationship = by_key["facts.relationship"]
    assert relationship.kind == "select"
    assert ("client-daemon", "client-daemon") not in relationship.choices
    assert relationship.choices[2][1] == "client-daemon"
    assert relationship.choices[2][0].startswith("client-daemon: a CLI or app talks")
    native = by_key["facts.same_runtime"]
    assert native.message.startswith("Checklist 2: ")
    assert "Can you use a language-native channel instead of a wire protocol?" in native.hint


def test_the_mechanism_list_marks_stance_hold_and_the_recommendation(ws):
    from adrgen.answers.model import Answers

    advice = recommend(Answers(title="t", facts={"same_host": False}), ws.catalog)
    spec = interview.mechanism_spec(advice, ws.catalog)
    labels = dict((value, label) for label, value in spec.choices)

    assert spec.choices[0][1] == "service-contract"
    assert labels["service-contract"].endswith(", adopt, recommended")
    assert "hold, ON HOLD: never recommended" in labels["remote-rpc"]
    assert sorted(labels) == sorted(m.id for m in ws.catalog.mechanisms)


def test_stdin_is_interactive_needs_both_terminals(monkeypatch):
    class Stream:
        def __init__(self, tty: bool):
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    for stdin, stdout, expected in [(True, True, True), (True, False, False), (False, True, False)]:
        monkeypatch.setattr("sys.stdin", Stream(stdin))
        monkeypatch.setattr("sys.stdout", Stream(stdout))
        assert interview.stdin_is_interactive() is expected
    monkeypatch.setattr("sys.stdin", None)
    assert interview.stdin_is_interactive() is False
