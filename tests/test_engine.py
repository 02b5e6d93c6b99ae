from __future__ import annotations

import json
from pathlib import Path

import pytest
from factsets import facts

from adrgen.answers.model import Answers
from adrgen.catalog.loading import load_catalog
from adrgen.cli import cli
from adrgen.engine import recommend
from adrgen.errors import AdrgenError
from adrgen.files.safe_yaml import dump, load_file

DATA = Path(__file__).parent / "data"
REAL_WORLD, _ = load_file(DATA / "real_world_systems.yaml")
# Where the catalog's advice differs from what a real system's builders chose, and why.
DIFFERS: dict[str, str] = {}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def answers(**fact_values) -> Answers:
    return Answers.model_validate({"title": "t", "facts": facts(**fact_values)})


def test_real_world_table_is_large_and_diverse() -> None:
    assert len(REAL_WORLD) >= 15
    assert {entry["chosen"] for entry in REAL_WORLD} >= {
        "pipes",
        "shared-memory",
        "unix-sockets",
        "channels",
        "local-grpc",
        "signals",
        "service-contract",
    }
    assert all(entry["source"].strip() for entry in REAL_WORLD)


@pytest.mark.parametrize("entry", REAL_WORLD, ids=[e["name"] for e in REAL_WORLD])
def test_engine_agrees_with_real_world_systems(entry: dict, catalog) -> None:
    result = recommend(Answers.model_validate(entry["answers"]), catalog)
    if entry["name"] in DIFFERS:
        assert result.mechanism != entry["chosen"], "the documented difference is gone"
    else:
        assert result.mechanism == entry["chosen"], result.reasons


SEED_EXAMPLES = {
    "shell pipeline": (dict(relationship="pipeline", data_volume="moderate"), "pipes", "ipc"),
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
        dict(relationship="peers", data_volume="high"),
        "shared-memory",
        "ipc",
    ),
    "cli to local daemon": (dict(), "unix-sockets", "ipc"),
    "systemd-style os service": (dict(relationship="os-service"), "unix-sockets", "ipc"),
    "reload notification": (dict(notify_only=True, relationship="parent-child"), "signals", "ipc"),
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
    }
    for fact_values, _, _ in SEED_EXAMPLES.values():
        result = recommend(answers(**fact_values), catalog)
        for reason in result.reasons + [r for alt in result.alternatives for r in alt.why]:
            for cite in reason.cites:
                kind, _, ref = cite.partition(":")
                assert ref in ids[kind], cite


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
    assert (
        chosen.mechanism == "remote-rpc"
        and chosen.override
        and chosen.recommended == "service-contract"
    )
    assert any("on hold" in r.text for r in chosen.reasons)


def test_no_perfect_fit_gives_the_closest_with_unmet_needs(catalog) -> None:
    # typed contracts and bulk volume: no single local mechanism offers both
    result = recommend(
        answers(rpc_semantics=True, data_volume="high", relationship="peers"), catalog
    )
    assert result.unmet
    assert result.outcome == "ipc"


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


# --- the command -----------------------------------------------------------------------------


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
    assert "trace" not in data


def test_recommend_accepts_json_answers(tmp_path: Path, runner) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"title": "x", "facts": facts(same_host=False)}))
    result = runner.invoke(cli, ["recommend", "--answers", str(path), "--format", "json"])
    assert json.loads(result.output)["mechanism"] == "service-contract"


def test_explain_prints_the_trace(tmp_path: Path, runner) -> None:
    path = write_answers(tmp_path, {"title": "x", "facts": facts()})
    result = runner.invoke(cli, ["recommend", "--answers", str(path), "--explain"])
    assert "[fired] separate-runtimes-need-a-wire" in result.output
    assert "excluded: channels" in result.output
    assert "[skipped] cross-host-is-not-ipc" in result.output


@pytest.mark.parametrize(
    "data, words",
    [
        ({"title": "x", "facts": facts(colour="red")}, "facts.colour: unknown key"),
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
