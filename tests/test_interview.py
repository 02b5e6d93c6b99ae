"""The interview, driven through the real questionary prompts with prompt_toolkit's pipe input.

Keys are sent up front and the input is then closed, so an interview that asks more than
expected ends with "input ended" instead of waiting forever.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from factsets import CLI_TO_DAEMON, DAEMON_ASKED
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
UP = "\x1b[A"
CTRL_C = "\x03"
CTRL_D = "\x04"

# the answers of a CLI talking to the local build daemon, one entry per prompt
DAEMON_KEYS = [
    "CLI talks to the local build daemon" + ENTER,  # title
    "The CLI asks the daemon to start builds" + ENTER,  # context
    "ana, bo" + ENTER,  # deciders
    "y",  # 1. same host (checklist item 1)
    DOWN * 2 + ENTER,  # 2. relationship: client-daemon (third)
    "n",  # 3. cross_team
    "n",  # 4. same runtime (checklist item 2)
    "y",  # 5. process isolation
    ENTER,  # 6. notify_only: default no
    ENTER,  # 7. data_volume: default low
    ENTER,  # 8. direction: default request-response
    ENTER,  # 9. a documented local API is enough (checklist item 3): default yes
    ENTER,  # 10. passes descriptors: default no
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
    "facts.direction",
    "facts.rpc_semantics",
    "facts.passes_descriptors",
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
    facts = answers.facts.model_dump(mode="json", exclude_none=True)
    assert facts == DAEMON_ASKED
    assert answers.choice is None and answers.justification is None
    assert asked == ["title", "context", "deciders", *DAEMON_FACT_KEYS, "accept", "confirm"]

    result = recommend(answers, ws.catalog)
    assert result.mechanism == "unix-sockets" and not result.override
    shown = capsys.readouterr().out
    assert "Recommendation: Unix domain sockets (unix-sockets), stance adopt, outcome ipc" in shown
    # the reasons the record will give, in the answers' words, with their citations
    from adrgen.authoring.argument import build_argument
    from adrgen.authoring.context import asked_facts

    argument = build_argument(answers, result, ws.catalog, asked_facts(answers, result, ws.catalog))
    why = shown.split("Why:\n")[1].split("Weighed:")[0]
    for reason in argument.reasons:
        assert f"  - {reason.text} [{', '.join(reason.cites)}]" in why
    assert "the catalog's rules rank" not in shown and "rank higher" not in why
    # then the runner-up with why it falls short, and one line for the rest
    weighed = shown.split("Weighed:\n")[1].split("Also ruled out:")[0]
    [runner] = [o for o in argument.options if o.role == "runner-up"]
    assert (
        weighed
        == f"  - {runner.name} ({runner.id}, {runner.stance}), the nearest alternative: {runner.fit}\n"
    )
    assert ", but it " in runner.fit  # what it lacks for these answers
    assert "General RPC across machines" in shown.split("Also ruled out:")[1].split("\n")[0]
    summary = shown.split("Summary")[1]
    assert "The team will own: framing and versioning; discovery and access control" in summary


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
    assert (
        "Decision checklist, item 4: If the answer to (1) is no, stop treating the problem as IPC"
        in shown
    )
    assert "Recommendation: Explicit service contract" in shown


def test_overriding_the_recommendation_needs_a_justification(ws, asked, capsys):
    keys = DAEMON_KEYS + [
        "n",  # do not use the recommendation
        DOWN * 2 + ENTER,  # the recommendation, then local gRPC (ranked), then pipes
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
    assert "Mechanism: Pipes / FIFOs (pipes)" in summary
    assert "instead of the recommended unix-sockets" in summary
    assert "Justification: The daemon already reads lines on stdin" in summary


def test_picking_the_recommendation_from_the_list_needs_no_justification(ws, asked):
    answers = drive(ws, DAEMON_KEYS + ["n", ENTER, WRITE])

    assert answers.choice is None and answers.justification is None
    assert "justification" not in asked


def test_declining_the_summary_and_changing_nothing_cancels(ws, asked):
    # "no" at the write prompt offers to change one answer; its last choice writes nothing
    with pytest.raises(AdrgenError) as caught:
        drive(ws, DAEMON_KEYS + [ACCEPT, "n", UP + ENTER])
    assert caught.value.message == "cancelled: nothing was written"
    assert asked[-2:] == ["confirm", "change"]


def test_declining_the_summary_offers_to_change_one_answer(ws, asked, capsys):
    keys = DAEMON_KEYS + [
        ACCEPT,
        "n",  # do not write yet
        DOWN * 9 + ENTER,  # title, context, deciders, then question 7: the data volume
        DOWN * 2 + ENTER,  # high
        ACCEPT,  # the new recommendation
        WRITE,
    ]
    answers = drive(ws, keys)

    assert answers.facts.data_volume.value == "high"
    assert answers.title == "CLI talks to the local build daemon"  # the rest is kept
    assert asked[-6:] == [
        "accept",
        "confirm",
        "change",
        "facts.data_volume",
        "accept",
        "confirm",
    ]
    result = recommend(answers, ws.catalog)
    assert (result.mechanism, result.control.mechanism) == ("shared-memory", "unix-sockets")
    shown = capsys.readouterr().out
    assert "Control channel: Unix domain sockets (unix-sockets)" in shown
    summary = shown.split("Summary")[-1]
    assert "7. How much data passes between them? high: bulk data" in summary


def test_changing_the_title_at_the_summary_asks_it_with_the_old_one(ws, asked):
    keys = DAEMON_KEYS + [ACCEPT, "n", ENTER, " again" + ENTER, WRITE]
    answers = drive(ws, keys)
    assert answers.title == "CLI talks to the local build daemon again"
    assert asked[-3:] == ["change", "title", "confirm"]


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


def test_questions_are_numbered_one_way_with_the_checklist_beside_them(ws):
    screen = io.StringIO()
    drive(ws, DAEMON_KEYS + [ACCEPT, WRITE], screen=screen)
    shown = screen.getvalue()

    one_machine = (
        "? 1. Are both peers guaranteed to run on one machine "
        "(or one tightly coupled host group)?\r\n"
        "  Answer no if they could ever be deployed on different hosts or networks.\r\n"
        "  (decision checklist, item 1)\r\n"
        "  (y/n) Yes"
    )
    assert one_machine in shown
    native = (
        "? 4. Does all the logic share one process or runtime (goroutines, actors)?\r\n"
        "  Yes means a language-native channel can replace a wire protocol.\r\n"
        "  Decision checklist, item 2: Can you use a language-native channel instead of a wire "
        "protocol?"
    )
    assert native in shown
    assert "? 2. How are the peers related? client-daemon: a CLI or app talks to" in shown
    assert "? 3. Are the peers owned by different teams?\r\n" in shown
    assert "? 10. Must the peers hand each other open file descriptors" in shown
    assert "Checklist 1" not in shown and "Checklist 3" not in shown


def test_the_third_checklist_question_is_asked_the_way_the_checklist_asks_it(ws, capsys):
    """The prompt is the checklist's own question, so "no" (a local API is not enough) means
    typed contracts, and the checklist row says "no" as the person did."""
    screen = io.StringIO()
    keys = DAEMON_KEYS[:11] + ["n"] + DAEMON_KEYS[12:]
    answers = drive(ws, keys + [ACCEPT, WRITE], screen=screen)
    shown = screen.getvalue()
    printed = capsys.readouterr().out

    assert (
        "? 9. If you need sockets, is a documented local API enough without full RPC "
        "semantics?" in shown
    )
    assert "(decision checklist, item 3)" in shown
    assert answers.facts.rpc_semantics is True
    result = recommend(answers, ws.catalog)
    assert result.mechanism == "local-grpc"
    row = next(r for r in result.checklist if r["id"] == "local-api-enough")
    assert row["answer"] == "no"
    summary = printed.split("Summary")[-1]
    assert (
        "9. If you need sockets, is a documented local API enough without full RPC semantics? no"
        in summary
    )


def test_every_yes_no_question_has_one_style(ws, capsys):
    screen = io.StringIO()
    drive(ws, DAEMON_KEYS + [ACCEPT, WRITE], screen=screen)
    shown = screen.getvalue()
    assert "(Y/n)" not in shown and "(y/N)" not in shown
    assert "(y/n) Yes" in shown  # no default: Enter alone does nothing
    assert "(y/n, Enter: no) No" in shown  # notifications only
    assert "(y/n, Enter: yes) Yes" in shown  # the local API, the recommendation, writing


def test_the_summary_words_each_question_and_answer(ws, capsys):
    drive(ws, DAEMON_KEYS + [ACCEPT, WRITE])
    summary = capsys.readouterr().out.split("Summary")[-1]
    assert "  1. Are both peers guaranteed to run on one machine" in summary
    assert "host group)? yes" in summary
    assert "  2. How are the peers related? client-daemon: a CLI or app talks to" in summary
    assert "  Mechanism: Unix domain sockets (unix-sockets)" in summary
    for key in ("same_host:", "relationship:", "rpc_semantics:", "facts."):
        assert key not in summary


def test_conflicting_answers_are_asked_again(ws, asked, capsys):
    keys = (
        DAEMON_KEYS[:6]
        + [
            "y",  # 4. one runtime, for a client and a daemon: a conflict
            UP + ENTER,  # which to give again: the runtime (the list starts at the last)
            "n",  # 4. asked again
        ]
        + DAEMON_KEYS[7:]
    )
    answers = drive(ws, keys + [ACCEPT, WRITE])

    assert answers.facts.same_runtime is False
    shown = capsys.readouterr().out
    assert "These answers conflict: A daemon, a plugin run as a separate process" in shown
    assert asked.count("facts.same_runtime") == 2 and "conflict" in asked


def test_a_prefilled_conflict_is_asked_again(ws, asked):
    prefill = {
        "title": "t",
        "context": "c",
        "deciders": ["d"],
        "facts": {**CLI_TO_DAEMON, "relationship": "peers", "same_runtime": True},
    }
    answers = drive(ws, ["\r", "n", ACCEPT, WRITE], prefill)  # give isolation again: no
    assert answers.facts.same_runtime is True and answers.facts.process_isolation is False
    assert asked[:2] == ["conflict", "facts.process_isolation"]


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
        "facts.direction",
        "facts.rpc_semantics",
        "facts.passes_descriptors",
        "accept",
        "confirm",
    ]
    assert answers.title == "From the file" and answers.deciders == ["cy"]
    assert answers.context == "Context typed in"
    assert recommend(answers, ws.catalog).mechanism == "unix-sockets"
    summary = capsys.readouterr().out.split("Summary")[1]
    assert "Title: From the file (answers file)" in summary
    assert (
        "2. How are the peers related? client-daemon: a CLI or app talks to a long-running "
        in summary
    )
    assert "local daemon (answers file)" in summary
    assert (
        "4. Does all the logic share one process or runtime (goroutines, actors)? no\n" in summary
    )


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
    assert "Decision checklist, item 2: Can you use a language-native channel" in native.hint
    local_api = by_key["facts.rpc_semantics"]
    assert (local_api.yes_means, local_api.default) is not None
    assert local_api.yes_means is False and local_api.default is True  # yes: rpc_semantics false


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
