"""Nothing of the garden note is lost: every sentence, table row and checklist item is in the catalog."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from adrgen.catalog.loading import load_catalog

# the garden note the catalog was made from; the shared original, when it is beside the
# project, must still be the same text
SEED = Path(__file__).resolve().parent / "data" / "ipc-garden-note.txt"
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "ipc-garden-note.txt"
HEADINGS = {"Blurb", "Summary", "Details", "Accept vs Avoid", "Decision Checklist", "Failure Modes"}


@pytest.mark.skipif(
    not SHARED_SEED.exists(), reason="the shared seed note is not beside the project"
)
def test_the_kept_copy_is_the_seed_note() -> None:
    assert SEED.read_text() == SHARED_SEED.read_text()


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def catalog_text() -> str:
    return _norm(json.dumps(load_catalog().model_dump(mode="json"), ensure_ascii=False))


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    return [line.strip() for line in SEED.read_text().splitlines() if line.strip()]


def _table_rows(lines: list[str], header_first_cell: str) -> list[list[str]]:
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header_first_cell} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_every_mechanism_row_is_a_mechanism(seed_lines: list[str]) -> None:
    catalog = load_catalog()
    rows = _table_rows(seed_lines, "Mechanism")
    assert len(rows) == 5
    by_name = {m.name: m for m in catalog.mechanisms}
    for name, typical_use, note in rows:
        mechanism = by_name[name]
        assert (mechanism.typical_use, mechanism.garden_note) == (typical_use, note)


def test_every_accept_avoid_row_is_a_situation(seed_lines: list[str]) -> None:
    catalog = load_catalog()
    rows = _table_rows(seed_lines, "Situation")
    assert len(rows) == 4
    assert [(s.situation, s.stance) for s in catalog.situations] == [tuple(r) for r in rows]


def test_every_checklist_question_and_failure_mode(seed_lines: list[str]) -> None:
    catalog = load_catalog()
    checklist_at = seed_lines.index("Decision Checklist")
    failures_at = seed_lines.index("Failure Modes")
    questions = [line[2:] for line in seed_lines[checklist_at + 1 : failures_at]]
    failures = [line[2:] for line in seed_lines[failures_at + 1 :]]
    assert [_norm(c.question) for c in catalog.checklist] == [_norm(q) for q in questions]
    assert [f.text for f in catalog.failure_modes] == failures


def test_every_sentence_is_somewhere_in_the_catalog(
    seed_lines: list[str], catalog_text: str
) -> None:
    missing = []
    for line in seed_lines:
        if line in HEADINGS or line.startswith(("|", "- ")):
            continue  # headings are structure; tables and lists are checked entry by entry above
        label, colon, rest = line.partition(": ")
        text = rest if colon and len(label.split()) <= 3 else line
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if sentence and _norm(sentence) not in catalog_text:
                missing.append(sentence)
    assert not missing, missing


def test_tooling_and_not_ipc_guidance() -> None:
    meta = load_catalog().meta
    assert {"Docker and Terraform", "systemd-style local APIs"} == {
        t.name for t in meta.tooling_examples
    }
    assert "stop calling it IPC" in next(g.text for g in meta.guidance if g.id == "cross-network")
    assert meta.when_to_pause.startswith("if the design already spans hosts or teams")
