"""Team catalog overlays: re-decided stances, notes, additions, and their errors."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from cli_helpers import adrgen

from adrgen.catalog.loading import load_catalog
from adrgen.catalog.overlay import apply_overlay
from adrgen.errors import ValidationProblems

EXAMPLE_OVERLAY = (
    Path(__file__).resolve().parents[1] / "examples" / "overlays" / "payments-team.yaml"
)

# same host, one team, separate runtimes, isolated peers, bulk data: the catalog's answer is
# shared memory
BULK_PEERS = """\
title: Bulk frames between peer processes
facts:
  same_host: true
  cross_team: false
  same_runtime: false
  process_isolation: true
  relationship: peers
  data_volume: high
  direction: one-way
  notify_only: false
"""

HOLD_SHARED_MEMORY = """\
name: payments-team
mechanisms:
  shared-memory:
    stance: hold
    stance_note: Our auditors need every byte to cross a boundary we can log.
    team_notes: [Ask the platform group first.]
"""


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A team folder with an answers file, as the working directory."""
    (tmp_path / "answers.yaml").write_text(BULK_PEERS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def use_overlay(folder: Path, text: str) -> Path:
    path = folder / "overlay.yaml"
    path.write_text(textwrap.dedent(text))
    (folder / ".adrgen.yaml").write_text("overlay: overlay.yaml\n")
    return path


def recommended(*extra: str) -> dict:
    run = adrgen("recommend", "--answers", "answers.yaml", "--format", "json", *extra)
    assert run.exit_code == 0, run.stderr
    return json.loads(run.stdout)


def test_hold_in_overlay_changes_the_recommendation(team: Path) -> None:
    assert recommended()["mechanism"] == "shared-memory"

    use_overlay(team, HOLD_SHARED_MEMORY)
    result = recommended()

    assert result["mechanism"] == "pipes"
    shared = next(a for a in result["alternatives"] if a["mechanism"] == "shared-memory")
    assert (shared["stance"], shared["status"]) == ("hold", "excluded")


def test_merged_catalog_carries_the_overlay_and_keeps_the_catalogs_reason(team: Path) -> None:
    use_overlay(team, HOLD_SHARED_MEMORY)

    run = adrgen("catalog", "show", "--format", "json")

    assert run.exit_code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["overlay"] == "payments-team"
    shared = next(m for m in data["mechanisms"] if m["id"] == "shared-memory")
    assert shared["stance"] == "hold"
    assert shared["stance_note"] == "Our auditors need every byte to cross a boundary we can log."
    moved, own = shared["team_notes"]
    assert moved.startswith("payments-team moved this from trial to hold; the catalog's note: ")
    assert "strict synchronization discipline" in moved
    assert own == "Ask the platform group first."


def test_apply_overlay_leaves_the_given_catalog_alone(tmp_path: Path) -> None:
    base = load_catalog()
    merged = apply_overlay(base, use_overlay(tmp_path, HOLD_SHARED_MEMORY))

    assert merged.mechanism("shared-memory").stance == "hold"
    assert base.mechanism("shared-memory").stance == "trial"
    assert base.mechanism("shared-memory").team_notes == []
    assert base.meta.overlay is None


def test_team_notes_alone_keep_the_stance(tmp_path: Path) -> None:
    path = use_overlay(
        tmp_path,
        """\
        name: ops
        mechanisms:
          unix-sockets: {team_notes: [Sockets live under /run/ops.]}
        """,
    )
    merged = apply_overlay(load_catalog(), path)

    sockets = merged.mechanism("unix-sockets")
    assert sockets.stance == "adopt"
    assert sockets.team_notes == ["Sockets live under /run/ops."]


def test_example_overlay_adds_a_mechanism_a_situation_and_a_rule(team: Path) -> None:
    shutil.copy(EXAMPLE_OVERLAY, team / "overlay.yaml")
    (team / ".adrgen.yaml").write_text("overlay: overlay.yaml\n")

    result = recommended("--explain")

    assert result["mechanism"] == "audited-ring"
    assert "audited-bulk-data" in result["situations"]
    fired = [step["rule"] for step in result["trace"] if step["fired"]]
    assert "payments-audit-bulk-data" in fired


NEW_CONFLICT = """\
name: ops
add_conflicts:
  - id: no-bulk-between-teams-peers
    when: {cross_team: true, data_volume: high}
    text: Our hosts are shared; bulk data between teams' processes goes through the data platform.
    set_aside: data_volume
    instead: moderate
"""


def test_an_overlays_new_conflict_is_honoured(team: Path) -> None:
    (team / "answers.yaml").write_text(
        BULK_PEERS.replace("relationship: peers", "relationship: client-daemon").replace(
            "cross_team: false", "cross_team: true"
        )
    )
    assert recommended()["mechanism"] == "shared-memory"  # the catalog alone sees no conflict

    use_overlay(team, NEW_CONFLICT)
    refused = adrgen("recommend", "--answers", "answers.yaml")
    assert refused.exit_code == 2
    assert "facts.data_volume and facts.cross_team conflict: Our hosts are shared" in refused.stderr

    allowed = recommended("--allow-conflicts")
    [warning] = allowed["warnings"]
    assert (warning["set_aside"], warning["instead"]) == ("data_volume", "moderate")
    assert allowed["mechanism"] == "unix-sockets" and allowed["facts"]["data_volume"] == "moderate"


def test_an_overlay_rule_on_a_skippable_fact_is_refused(team: Path) -> None:
    path = use_overlay(
        team,
        """\
        name: ops
        add_rules:
          - id: ops-volume
            because: Bulk data goes through the data platform.
            when: {data_volume: high}
            prefer: {isolation: [process]}
            cites: [guidance:pick-carefully]
        """,
    )
    result = adrgen("catalog", "validate")
    assert result.exit_code == 2
    assert f"{path}:5: when: the interview does not ask data_volume when" in result.stderr


def test_validate_names_the_overlay(team: Path) -> None:
    path = use_overlay(team, HOLD_SHARED_MEMORY)

    run = adrgen("catalog", "validate")

    assert run.exit_code == 0, run.stderr
    assert run.stdout.rstrip().endswith(f"overlay {path}")


def test_list_shows_the_overlays_stance(team: Path) -> None:
    use_overlay(team, HOLD_SHARED_MEMORY)

    run = adrgen("catalog", "list", "--format", "json")

    stances = {m["id"]: m["stance"] for m in json.loads(run.stdout)}
    assert stances["shared-memory"] == "hold"


MECHANISM_ENTRY = """\
  - id: {id}
    name: Something new
    typical_use: x
    garden_note: x
    stance: trial
    stance_note: x
    summary: x
    scope: same-host
    isolation: process
    ceremony: 2
    max_data_volume: low
    rpc_semantics: false
    carries_payload: true
    relationships: [peers]
    pros: [a]
    cons: [b]
    failure_modes: [{failure_mode}]
"""

BAD_OVERLAYS = {
    "unknown key": (
        "name: t\ncolour: blue\n",
        ["overlay.yaml:2: colour: unknown key"],
    ),
    "unknown mechanism": (
        "name: t\nmechanisms:\n  shared-memroy: {stance: hold, stance_note: why}\n",
        [
            "overlay.yaml:3: mechanisms.shared-memroy: unknown mechanism 'shared-memroy'; "
            "did you mean 'shared-memory'? (known: channels, local-grpc, pipes, remote-rpc, service-contract, shared-memory, "
            "signals, unix-sockets)"
        ],
    ),
    "bad stance": (
        "name: t\nmechanisms:\n  pipes:\n    stance: frozen\n    stance_note: why\n",
        [
            "overlay.yaml:4: mechanisms.pipes.stance: 'frozen' is not one of adopt, trial, assess, hold"
        ],
    ),
    "stance without a reason": (
        "name: t\nmechanisms:\n  pipes:\n    stance: hold\n",
        ["overlay.yaml:4: mechanisms.pipes.stance_note: a stance change needs the team's reason"],
    ),
    "reason without a stance": (
        "name: t\nmechanisms:\n  pipes:\n    stance_note: why\n",
        [
            "overlay.yaml:4: mechanisms.pipes.stance_note: explains a stance change, so give "
            "`stance` too (or use team_notes)"
        ],
    ),
    "name is not an id": (
        "name: Payments Team\n",
        [
            "overlay.yaml:1: name: 'Payments Team' is not a valid identifier "
            "(lower-case letters, digits and dashes)"
        ],
    ),
    "mechanism the catalog has": (
        "name: t\nadd_mechanisms:\n"
        + MECHANISM_ENTRY.format(id="pipes", failure_mode="simpler-would-suffice"),
        [
            "overlay.yaml:3: add_mechanisms.0.id: mechanism 'pipes' is already in the catalog; "
            "change it under `mechanisms: pipes:`"
        ],
    ),
    "mechanism added twice": (
        "name: t\nadd_mechanisms:\n"
        + MECHANISM_ENTRY.format(id="zmq", failure_mode="simpler-would-suffice") * 2,
        ["overlay.yaml:20: add_mechanisms.1.id: mechanism 'zmq' is added twice"],
    ),
    "new mechanism with a dangling reference": (
        "name: t\nadd_mechanisms:\n" + MECHANISM_ENTRY.format(id="zmq", failure_mode="nope"),
        ["overlay.yaml:19: failure_modes: unknown failure mode 'nope'"],
    ),
    "rule citing an unknown entry": (
        "name: t\nadd_rules:\n  - id: r\n    because: b\n    when: {same_host: true}\n"
        "    prefer: {scope: [same-host]}\n    cites: [situation:nowhere]\n",
        ["overlay.yaml:7: cites: unknown situation 'nowhere'"],
    ),
    "empty file": ("", ["overlay.yaml: the overlay file is empty (it needs at least `name:`)"]),
    "not a mapping": ("- a\n", ["overlay.yaml:1: expected a mapping, got list"]),
}


@pytest.mark.parametrize("case", list(BAD_OVERLAYS))
def test_bad_overlay_is_reported_with_file_and_line(team: Path, case: str) -> None:
    text, expected = BAD_OVERLAYS[case]
    (team / "overlay.yaml").write_text(text)
    (team / ".adrgen.yaml").write_text("overlay: overlay.yaml\n")

    run = adrgen("recommend", "--answers", "answers.yaml")

    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == [f"{team / line}" for line in expected]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = use_overlay(
        tmp_path,
        """\
        name: t
        mechanisms:
          nope: {team_notes: [x]}
          pipes: {stance: hold}
        """,
    )
    with pytest.raises(ValidationProblems) as caught:
        apply_overlay(load_catalog(), path)

    assert [p.split(": ")[0] for p in caught.value.problems] == [f"{path}:3", f"{path}:4"]


def test_missing_overlay_file_is_a_user_error(team: Path) -> None:
    (team / ".adrgen.yaml").write_text("overlay: no-such-overlay.yaml\n")

    run = adrgen("catalog", "list")

    assert run.exit_code == 2
    assert run.stderr == f"{team / 'no-such-overlay.yaml'}: no such file\n"
