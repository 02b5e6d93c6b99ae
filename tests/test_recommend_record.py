"""`adrgen recommend --record N`: the advice for the facts a record rests on, read back from
its front matter, and whether it still gives what the record chose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.cli_helpers import adrgen

SYSTEMS = yaml.safe_load((Path(__file__).parent / "data" / "real_world_systems.yaml").read_text())


def _system(chosen: str, control: str | None) -> dict:
    return next(s for s in SYSTEMS if s["chosen"] == chosen and s["control"] == control)


def _write(tmp_path: Path, answers: dict, name: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(answers))
    written = adrgen(
        "new", "--answers", str(path), "--no-input", "--dir", str(tmp_path / "adr"),
        "--date", "2026-03-04",
    )  # fmt: skip
    assert written.exit_code == 0, written.output
    return path


def _json(*args: str) -> dict:
    result = adrgen("recommend", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "design", [("unix-sockets", None), ("shared-memory", "local-grpc")], ids=["single", "combined"]
)
def test_a_record_gives_back_the_advice_its_answers_gave(tmp_path: Path, design) -> None:
    answers = _system(*design)["answers"]
    path = _write(tmp_path, answers, "answers")
    from_file = _json("--answers", str(path))
    from_record = _json("--record", "1", "--dir", str(tmp_path / "adr"))
    saved = from_record.pop("record")
    assert from_record == from_file
    assert (saved["number"], saved["mechanism"], saved["control"]) == (1, *design)
    text = adrgen("recommend", "--record", "0001", "--dir", str(tmp_path / "adr")).stdout
    chose = " + ".join(m for m in design if m)
    assert text.splitlines()[0].endswith(f"chose {chose}; the advice for its facts is unchanged.")


def test_an_override_record_shows_the_recommendation_it_went_against(tmp_path: Path) -> None:
    answers = {
        **_system("unix-sockets", None)["answers"],
        "choice": "local-grpc",
        "justification": "Our plugin authors already generate clients from protobuf.",
    }
    _write(tmp_path, answers, "override")
    result = _json("--record", "1", "--dir", str(tmp_path / "adr"))
    assert result["mechanism"] == "unix-sockets" and not result["override"]
    assert (result["record"]["mechanism"], result["record"]["recommended"]) == (
        "local-grpc",
        "unix-sockets",
    )


def test_a_record_whose_advice_moved_says_what_it_is_now(tmp_path: Path) -> None:
    _write(tmp_path, _system("unix-sockets", None)["answers"], "answers")
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(
        "name: platform\nmechanisms:\n  unix-sockets:\n    stance: hold\n"
        "    stance_note: Sockets wait for the platform team's review.\n"
    )
    result = adrgen(
        "recommend", "--record", "1", "--dir", str(tmp_path / "adr"), "--overlay", str(overlay)
    )
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    now = json.loads(
        adrgen(
            "recommend", "--record", "1", "--dir", str(tmp_path / "adr"),
            "--overlay", str(overlay), "--format", "json",
        ).stdout
    )  # fmt: skip
    assert now["mechanism"] != "unix-sockets"
    assert first.endswith(f"is now {now['mechanism']} (it was unix-sockets).") or (
        now["control"] and f"is now {now['mechanism']} + " in first
    ), first


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "either --answers FILE or --record N"),
        (("--record", "1", "--answers", "a.yaml"), "either --answers FILE or --record N"),
        (("--record", "7"), "no record '7'"),
        (("--record", "2"), "holds no saved facts"),
    ],
    ids=["neither", "both", "missing", "not-adrgen"],
)
def test_a_record_that_cannot_be_read_back_is_one_line(tmp_path: Path, args, says) -> None:
    _write(tmp_path, _system("unix-sockets", None)["answers"], "answers")
    (tmp_path / "adr" / "0002-use-postgres.md").write_text(
        "# 2. Use Postgres\n\nDate: 2020-01-02\n\n## Status\n\nAccepted\n\n## Context\n\nx\n"
    )
    result = adrgen("recommend", *args, "--dir", str(tmp_path / "adr"))
    assert result.exit_code == 2, result.output
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.output


def test_a_record_with_broken_front_matter_names_the_field(tmp_path: Path) -> None:
    _write(tmp_path, _system("unix-sockets", None)["answers"], "answers")
    record = next((tmp_path / "adr").glob("0001-*.md"))
    record.write_text(record.read_text().replace("same_host: true", "same_host: maybe", 1))
    result = adrgen("recommend", "--record", "1", "--dir", str(tmp_path / "adr"))
    assert result.exit_code == 2 and "same_host" in result.stderr, result.output
    assert str(record) in result.stderr
