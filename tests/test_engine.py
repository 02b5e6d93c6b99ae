"""The engine: real systems, the garden note's own examples, combined designs, conflicting
answers, and facts the interview skips."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from factsets import facts

from adrgen.answers.model import Answers
from adrgen.catalog.asking import interview_paths, values_of
from adrgen.catalog.loading import load_catalog
from adrgen.cli import cli
from adrgen.engine import find_conflicts, recommend
from adrgen.errors import AdrgenError
from adrgen.files.safe_yaml import dump, load_file
from adrgen.vocabulary import FACT_NAMES

DATA = Path(__file__).parent / "data"
REAL_WORLD, _ = load_file(DATA / "real_world_systems.yaml")
CATEGORIES = {
    "browsers",
    "display servers",
    "audio servers",
    "databases",
    "container runtimes",
    "editors and language servers",
    "credential agents",
    "service meshes",
    "OS service buses",
    "actor systems and runtimes",
    "inference servers",
    "cross-host services",
}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def answers(**fact_values) -> Answers:
    return Answers.model_validate({"title": "t", "facts": facts(**fact_values)})


def design(result) -> tuple[str, str | None]:
    return result.mechanism, result.control.mechanism if result.control else None


# --- real systems -----------------------------------------------------------------------------


def test_real_world_table_is_large_and_diverse() -> None:
    assert len(REAL_WORLD) >= 40
    assert {entry["category"] for entry in REAL_WORLD} >= CATEGORIES
    assert {entry["chosen"] for entry in REAL_WORLD} >= {
        "pipes",
        "shared-memory",
        "unix-sockets",
        "channels",
        "local-grpc",
        "signals",
        "service-contract",
    }
    assert {entry["control"] for entry in REAL_WORLD} >= {None, "unix-sockets", "local-grpc"}
    assert all(entry["source"].strip() and entry["why"].strip() for entry in REAL_WORLD)
    names = Counter(entry["name"] for entry in REAL_WORLD)
    assert names.most_common(1)[0][1] == 1


@pytest.mark.parametrize("entry", REAL_WORLD, ids=[e["name"] for e in REAL_WORLD])
def test_engine_agrees_with_real_world_systems(entry: dict, catalog) -> None:
    result = recommend(Answers.model_validate(entry["answers"]), catalog)
    # each entry states what the interview would hold: nothing it would not ask
    assert result.not_asked == []
    built = (entry["chosen"], entry["control"])
    if "differs" in entry:
        advice = entry["seed_advice"]
        assert entry["differs"].strip() and (advice["mechanism"], advice["control"]) != built
        assert design(result) == (advice["mechanism"], advice["control"]), result.reasons
    else:
        assert design(result) == built, [r.text for r in result.reasons]


def test_the_suite_agrees_on_at_least_forty_systems(catalog) -> None:
    agree = [
        entry["name"]
        for entry in REAL_WORLD
        if "differs" not in entry
        and design(recommend(Answers.model_validate(entry["answers"]), catalog))
        == (entry["chosen"], entry["control"])
    ]
    assert len(agree) >= 40


# --- the garden note's own examples ---------------------------------------------------------

SEED_EXAMPLES = {
    "shell pipeline": (
        dict(relationship="pipeline", data_volume="moderate"),
        "pipes",
        "ipc",
    ),
    "goroutines": (
        dict(same_runtime=True, process_isolation=False, relationship="peers"),
        "channels",
        "ipc",
    ),
    "docker/terraform control plane": (
        dict(relationship="plugin-host", rpc_semantics=True),
        "local-grpc",
        "ipc",
    ),
    "service in another data centre": (
        dict(same_host=False),
        "service-contract",
        "service-contract",
    ),
    "cross-team service calls": (
        dict(cross_team=True, relationship="peers"),
        "service-contract",
        "service-contract",
    ),
    "high-throughput exchange": (
        dict(relationship="peers", data_volume="high", direction="shared"),
        "shared-memory",
        "ipc",
    ),
    "cli to local daemon": (dict(), "unix-sockets", "ipc"),
    "systemd-style os service": (dict(relationship="os-service"), "unix-sockets", "ipc"),
    "reload notification": (
        dict(notify_only=True, notify_flow="command", relationship="parent-child"),
        "signals",
        "ipc",
    ),
}


@pytest.mark.parametrize("name", sorted(SEED_EXAMPLES))
def test_seed_examples(name: str, catalog) -> None:
    fact_values, mechanism, outcome = SEED_EXAMPLES[name]
    result = recommend(answers(**fact_values), catalog)
    assert (result.mechanism, result.outcome) == (mechanism, outcome)
    assert result.reasons and all(reason.cites for reason in result.reasons)


def test_every_citation_resolves(catalog) -> None:
    ids = {
        "mechanism": {m.id for m in catalog.mechanisms},
        "situation": {s.id for s in catalog.situations},
        "checklist": {c.id for c in catalog.checklist},
        "failure-mode": {f.id for f in catalog.failure_modes},
        "guidance": {g.id for g in catalog.meta.guidance},
        "tooling": {t.id for t in catalog.meta.tooling_examples},
    }
    cited = set()
    for entry in REAL_WORLD:
        result = recommend(Answers.model_validate(entry["answers"]), catalog)
        reasons = result.reasons + [r for alt in result.alternatives for r in alt.why]
        reasons += result.control.reasons if result.control else []
        for reason in reasons:
            for cite in reason.cites:
                kind, _, ref = cite.partition(":")
                assert ref in ids[kind], cite
                cited.add(kind)
    assert cited == set(ids)  # the suite reaches every kind, the tooling examples too


# --- combined designs -------------------------------------------------------------------------

# a client of a long-running local server that sends bulk data and typed control messages
TENSORS = dict(data_volume="high", cross_team=True, rpc_semantics=True)


def test_bulk_data_with_typed_control_is_shared_memory_with_a_grpc_control_channel(
    catalog,
) -> None:
    result = recommend(answers(**TENSORS), catalog)

    assert design(result) == ("shared-memory", "local-grpc")
    assert result.unmet == []  # the channel meets what the shared region cannot
    texts = [reason.text for reason in result.control.reasons]
    assert any("Triton" in text for text in texts)  # the companion's reason, from the catalog
    assert any("typed, versioned request/response contracts" in text for text in texts)
    assert result.control.stance == "assess" and result.control.name == "Local gRPC"
    step = next(s for s in result.trace if s.rule == "control-channel")
    assert "shared-memory pairs with local-grpc" in step.effect


def test_descriptors_beside_bulk_data_make_the_control_channel_a_unix_socket(catalog) -> None:
    result = recommend(answers(data_volume="high", passes_descriptors=True), catalog)
    assert design(result) == ("shared-memory", "unix-sockets")


def test_typed_contracts_and_descriptors_leave_the_contracts_to_the_team(catalog) -> None:
    # the Chromium GPU process: no companion offers both, so one stays unmet and is said
    result = recommend(
        answers(data_volume="high", rpc_semantics=True, passes_descriptors=True), catalog
    )
    assert design(result) == ("shared-memory", "unix-sockets")
    assert len(result.unmet) == 1 and "typed" in result.unmet[0]
    assert any(r.text.startswith("Not met by Unix domain sockets") for r in result.control.reasons)


def test_peers_sharing_data_in_place_need_no_control_channel(catalog) -> None:
    result = recommend(
        answers(relationship="peers", data_volume="high", direction="shared"), catalog
    )
    assert design(result) == ("shared-memory", None)


def test_an_override_gets_the_chosen_mechanisms_control_channel(catalog) -> None:
    data = {"title": "t", "facts": facts(**TENSORS), "choice": "unix-sockets", "justification": "x"}
    result = recommend(Answers.model_validate(data), catalog)
    assert (result.mechanism, result.recommended, result.control) == (
        "unix-sockets",
        "shared-memory",
        None,
    )


def test_companions_come_from_the_catalog(catalog_copy: Path) -> None:
    # without shared memory's companions the same answers have no control channel and the
    # typed contracts are unmet
    path = catalog_copy / "mechanisms" / "shared-memory.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("pairs_with:")] + text[text.index("pros:") :])
    result = recommend(answers(**TENSORS), load_catalog(catalog_copy))
    assert result.control is None and result.unmet


# --- the issue's cases: sidecars, parents and children, OS services ----------------------------


@pytest.mark.parametrize(
    ("fact_values", "expected"),
    [
        pytest.param(
            dict(
                relationship="sidecar", cross_team=True, direction="one-way", launch="independent"
            ),
            "unix-sockets",
            id="metrics pushed to an agent running on its own",
        ),
        pytest.param(
            dict(relationship="sidecar", direction="one-way", launch="spawned"),
            "pipes",
            id="log lines streamed to a helper the main process starts",
        ),
        pytest.param(
            dict(relationship="sidecar", cross_team=True),
            "unix-sockets",
            id="requests to a sidecar",
        ),
        pytest.param(
            dict(relationship="parent-child", many_clients=False, passes_descriptors=True),
            "unix-sockets",
            id="privilege separation passes descriptors",
        ),
        pytest.param(
            dict(relationship="parent-child", many_clients=True),
            "unix-sockets",
            id="a started agent that serves other clients",
        ),
        pytest.param(
            dict(relationship="parent-child", many_clients=False),
            "pipes",
            id="a child answering its parent over stdin and stdout",
        ),
        pytest.param(
            dict(relationship="os-service", cross_team=True, rpc_semantics=True),
            "unix-sockets",
            id="an OS service bus with typed messages",
        ),
    ],
)
def test_the_answers_that_decide_between_pipes_and_sockets(catalog, fact_values, expected) -> None:
    assert recommend(answers(**fact_values), catalog).mechanism == expected


def test_an_os_service_cites_the_garden_notes_systemd_example(catalog) -> None:
    result = recommend(answers(relationship="os-service"), catalog)
    assert any(reason.cites == ["tooling:systemd"] for reason in result.reasons)


@pytest.mark.parametrize(
    ("flow", "text", "expected"),
    [("command", None, "signals"), ("report", False, "signals"), ("report", True, "unix-sockets")],
)
def test_notifications_by_the_way_they_flow(catalog, flow, text, expected) -> None:
    values = dict(relationship="os-service", notify_only=True, notify_flow=flow)
    if text is not None:
        values["notify_text"] = text
    assert recommend(answers(**values), catalog).mechanism == expected


# --- the noise the issue found in the explanation ----------------------------------------------


def test_preferred_lists_name_no_excluded_mechanism(catalog) -> None:
    for entry in REAL_WORLD:
        result = recommend(Answers.model_validate(entry["answers"]), catalog)
        out = {alt.mechanism for alt in result.alternatives if alt.status == "excluded"}
        for step in result.trace:
            assert not out & set(step.preferred), (entry["name"], step.rule)


def test_shared_memory_is_no_near_miss_below_bulk_volume(catalog) -> None:
    result = recommend(answers(), catalog)
    shared = next(alt for alt in result.alternatives if alt.mechanism == "shared-memory")
    assert shared.status == "excluded"
    assert "simpler-would-suffice" in " ".join(c for r in shared.why for c in r.cites)


def test_no_simpler_pipe_is_suggested_at_bulk_volume(catalog) -> None:
    bulk = recommend(answers(relationship="peers", data_volume="high", direction="shared"), catalog)
    assert bulk.mechanism == "shared-memory"
    assert "simpler-would-suffice" not in bulk.failure_modes
    chosen_at_low = recommend(
        Answers.model_validate(
            {"title": "t", "facts": facts(), "choice": "shared-memory", "justification": "x"}
        ),
        catalog,
    )
    assert "simpler-would-suffice" in chosen_at_low.failure_modes


# --- facts the interview skips ------------------------------------------------------------------


def _variations(path: dict, catalog) -> list[dict]:
    """The path with one skipped fact set to each value it can take."""
    out = []
    for name, value in path.items():
        if value is None and catalog.question(name) is not None:
            out += [{**path, name: other} for other in values_of(name)]
    return out


def test_a_fact_the_interview_skips_never_changes_the_recommendation(catalog) -> None:
    """For every set of answers the interview can produce, setting any fact it skipped to any
    value leaves the recommendation (data path, control channel) as it was."""
    paths = interview_paths(FACT_NAMES, catalog.questions)
    checked = produced = 0
    for path in paths:
        given = {name: value for name, value in path.items() if value is not None}
        if find_conflicts(Answers(title="t", facts=given).facts, catalog):
            continue  # the interview asks again rather than produce these
        produced += 1
        expected = design(recommend(Answers(title="t", facts=given), catalog))
        for variation in _variations(path, catalog):
            varied = {name: value for name, value in variation.items() if value is not None}
            # a variation the catalog declares contradictory is refused, or set aside to the same
            result = recommend(Answers(title="t", facts=varied), catalog, allow_conflicts=True)
            assert design(result) == expected, (given, variation)
            checked += 1
    assert produced > 500 and checked > 5000


def test_skipped_facts_are_named_in_the_trace(catalog) -> None:
    result = recommend(answers(same_host=False), catalog)
    assert "data_volume" in result.not_asked
    step = next(s for s in result.trace if s.rule == "not-asked")
    assert "data_volume" in step.condition


def test_answers_files_written_before_the_new_facts_keep_their_advice(catalog) -> None:
    """An answers file with only the eight original facts is still valid, and the new facts'
    defaults leave the advice where the original facts put it."""
    original = FACT_NAMES[:8]
    for entry in REAL_WORLD[:23]:
        old = {k: v for k, v in entry["answers"]["facts"].items() if k in original}
        result = recommend(Answers(title="t", facts=old), catalog, allow_conflicts=False)
        assert result.mechanism == entry["chosen"], entry["name"]


# --- conflicting answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact_values", "pair"),
    [
        (dict(same_runtime=True, process_isolation=True), {"same_runtime", "process_isolation"}),
        (dict(same_runtime=True, process_isolation=False), {"same_runtime", "relationship"}),
        (dict(notify_only=True, data_volume="high"), {"notify_only", "data_volume"}),
        (dict(notify_only=True, rpc_semantics=True), {"notify_only", "rpc_semantics"}),
    ],
)
def test_the_issues_contradictions_are_caught(catalog, fact_values, pair) -> None:
    found = find_conflicts(answers(**fact_values).facts, catalog)
    assert pair in [set(w.facts) for w in found]
    with pytest.raises(AdrgenError) as caught:
        recommend(answers(**fact_values), catalog)
    assert all(f"facts.{name}" in caught.value.message for name in pair)
    assert caught.value.exit_code == 2


def test_allowed_conflicts_are_set_aside_and_said(catalog) -> None:
    both_asked = recommend(
        answers(relationship="peers", same_runtime=True, process_isolation=True),
        catalog,
        allow_conflicts=True,
    )
    [warning] = both_asked.warnings
    assert (warning.set_aside, warning.instead) == ("same_runtime", False)
    assert warning.text == next(
        c.text for c in catalog.conflicts if c.id == "one-runtime-but-isolated"
    )
    assert both_asked.facts["same_runtime"] is False and both_asked.mechanism == "unix-sockets"
    assert any(step.rule == "conflict:one-runtime-but-isolated" for step in both_asked.trace)

    # where the interview would not ask one of them, that one gives way
    one_skipped = recommend(
        answers(notify_only=True, data_volume="high"), catalog, allow_conflicts=True
    )
    [warning] = one_skipped.warnings
    assert (warning.set_aside, warning.instead) == ("data_volume", None)
    assert one_skipped.facts["data_volume"] is None and one_skipped.mechanism == "signals"


# --- the command ------------------------------------------------------------------------------


def write_answers(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(dump(data))
    return path


def test_recommend_json_contract(tmp_path: Path, runner) -> None:
    path = write_answers(tmp_path, {"title": "CLI to daemon", "facts": facts()})
    result = runner.invoke(cli, ["recommend", "--answers", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["mechanism"] == "unix-sockets" and data["outcome"] == "ipc"
    assert isinstance(data["reasons"], list) and isinstance(data["alternatives"], list)
    assert data["control"] is None and data["warnings"] == []
    assert "trace" not in data


def test_recommend_json_has_the_control_channel(tmp_path: Path, runner) -> None:
    path = write_answers(tmp_path, {"title": "Tensors", "facts": facts(**TENSORS)})
    data = json.loads(
        runner.invoke(cli, ["recommend", "--answers", str(path), "--format", "json"]).output
    )
    control = data["control"]
    assert (data["mechanism"], control["mechanism"]) == ("shared-memory", "local-grpc")
    assert set(control) >= {"mechanism", "name", "stance", "reasons"}
    assert all(set(reason) == {"text", "cites"} for reason in control["reasons"])


def test_conflicting_answers_exit_2_naming_both_facts_at_their_line(tmp_path: Path, runner) -> None:
    path = write_answers(
        tmp_path, {"title": "t", "facts": facts(notify_only=True, data_volume="high")}
    )
    result = runner.invoke(cli, ["recommend", "--answers", str(path), "--format", "json"])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"{path}:")
    assert "facts.data_volume and facts.notify_only conflict" in line
    assert "--allow-conflicts" in line and "Traceback" not in result.output


def test_allow_conflicts_gives_warnings_in_json(tmp_path: Path, runner) -> None:
    path = write_answers(
        tmp_path, {"title": "t", "facts": facts(notify_only=True, data_volume="high")}
    )
    result = runner.invoke(
        cli, ["recommend", "--answers", str(path), "--format", "json", "--allow-conflicts"]
    )
    assert result.exit_code == 0, result.output
    [warning] = json.loads(result.output)["warnings"]
    assert set(warning["facts"]) == {"notify_only", "data_volume"}
    assert warning["set_aside"] == "data_volume" and warning["text"]
    text = runner.invoke(cli, ["recommend", "--answers", str(path), "--allow-conflicts"]).output
    assert "set aside: data_volume, as if not given" in text


def test_recommend_accepts_json_answers(tmp_path: Path, runner) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"title": "x", "facts": facts(same_host=False)}))
    result = runner.invoke(cli, ["recommend", "--answers", str(path), "--format", "json"])
    assert json.loads(result.output)["mechanism"] == "service-contract"


def test_explain_prints_the_trace_in_words(tmp_path: Path, runner) -> None:
    path = write_answers(tmp_path, {"title": "x", "facts": facts()})
    result = runner.invoke(cli, ["recommend", "--answers", str(path), "--explain"])
    assert "[fired] separate-runtimes-need-a-wire" in result.output
    assert "excluded: channels" in result.output
    assert "[skipped] cross-host-is-not-ipc (when same_host=no)" in result.output
    facts_block = result.output.split("Facts:")[1].split("Trace:")[0]
    assert "same_host: yes" in facts_block and "launch: not asked" in facts_block
    assert "True" not in result.output and "False" not in result.output
    # a need a companion can meet, or that can be given up, is not an exclusion
    assert "falls short: pipes" in result.output


@pytest.mark.parametrize(
    "data, words",
    [
        ({"title": "x", "facts": facts(colour="red")}, "facts.colour: unknown key"),
        (
            {"title": "x", "facts": facts(same_hots=True)},
            "facts.same_hots: unknown key; did you mean 'same_host'?",
        ),
        (
            {"title": "x", "facts": facts(same_host="maybe")},
            "facts.same_host: 'maybe' is not true or false",
        ),
        (
            {"title": "x", "facts": facts(data_volume="huge")},
            "facts.data_volume: 'huge' is not one of low, moderate, high",
        ),
        ({"facts": facts()}, "title: required key is missing"),
        (
            {"title": "x", "facts": facts(), "choice": "carrier-pigeon", "justification": "y"},
            "unknown mechanism 'carrier-pigeon'",
        ),
        (
            {"title": "x", "facts": facts(), "choice": "unix-socket", "justification": "y"},
            "unknown mechanism 'unix-socket'; did you mean 'unix-sockets'?",
        ),
        (
            {"title": "x", "facts": facts(), "status": "accpted"},
            "status: 'accpted' is not one of proposed, accepted, rejected, deprecated, "
            "superseded; did you mean 'accepted'?",
        ),
        ({"title": "x", "facts": facts(), "choice": "remote-rpc"}, "add a justification"),
        ({"title": "x", "facts": facts(), "surprise": 1}, "surprise: unknown key"),
    ],
)
def test_invalid_answers_give_one_clear_line(
    tmp_path: Path, runner, data: dict, words: str
) -> None:
    path = write_answers(tmp_path, data)
    result = runner.invoke(cli, ["recommend", "--answers", str(path)])
    assert result.exit_code == 2
    assert words in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_nothing_more_is_needed_after_not_on_one_host(catalog) -> None:
    result = recommend(
        Answers.model_validate({"title": "t", "facts": {"same_host": False}}), catalog
    )
    assert result.mechanism == "service-contract"
    assert "cross-network" in result.situations
    checklist = {row["id"]: row["answer"] for row in result.checklist}
    assert checklist["one-machine"] == "no" and checklist["service-boundary"] == "applies"


def test_missing_facts_are_named(catalog) -> None:
    with pytest.raises(AdrgenError, match="missing relationship, cross_team"):
        recommend(Answers.model_validate({"title": "t", "facts": {"same_host": True}}), catalog)


def test_hold_is_never_recommended_and_needs_justification(catalog) -> None:
    result = recommend(answers(same_host=False), catalog)
    held = next(a for a in result.alternatives if a.mechanism == "remote-rpc")
    assert held.status == "excluded" and "on hold" in held.why[-1].text
    with pytest.raises(AdrgenError, match="add a justification"):
        recommend(
            Answers.model_validate(
                {"title": "t", "facts": facts(same_host=False), "choice": "remote-rpc"}
            ),
            catalog,
        )
    chosen = recommend(
        Answers.model_validate(
            {
                "title": "t",
                "facts": facts(same_host=False),
                "choice": "remote-rpc",
                "justification": "legacy peer",
            }
        ),
        catalog,
    )
    assert (chosen.mechanism, chosen.override, chosen.recommended) == (
        "remote-rpc",
        True,
        "service-contract",
    )
    assert any("on hold" in r.text for r in chosen.reasons)


def test_alternatives_cover_every_other_mechanism(catalog) -> None:
    result = recommend(answers(), catalog)
    assert {a.mechanism for a in result.alternatives} | {result.mechanism} == {
        m.id for m in catalog.mechanisms
    }
    assert all(a.why for a in result.alternatives)


def test_rules_come_from_the_catalog(catalog_copy: Path) -> None:
    # flipping a stance in YAML changes the advice: nothing is hard-coded
    path = catalog_copy / "mechanisms" / "unix-sockets.yaml"
    path.write_text(path.read_text().replace("stance: adopt", "stance: hold"))
    result = recommend(answers(), load_catalog(catalog_copy))
    assert result.mechanism != "unix-sockets"
