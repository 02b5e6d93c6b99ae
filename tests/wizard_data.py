"""Reading the decision wizard's data file as the page's script does, for the tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from adrgen.site.wizard import DATA, DATA_GLOBAL


def read_data(site_dir: Path) -> dict[str, Any]:
    """The data a built site's wizard page loads."""
    text = (site_dir / DATA).read_text(encoding="utf-8")
    return parse_data(text)


def parse_data(text: str) -> dict[str, Any]:
    prefix = f"window.{DATA_GLOBAL}="
    assert text.startswith(prefix) and text.endswith(";\n"), text[:80]
    return json.loads(text[len(prefix) : -2])


def reasons(data: dict[str, Any], indexes: list[int]) -> list[dict[str, Any]]:
    return [{"text": data["reasons"][i][0], "cites": data["reasons"][i][1]} for i in indexes]


def mechanism_id(data: dict[str, Any], index: int) -> str:
    return data["mechanisms"][index]["id"]


def decoded(data: dict[str, Any], index: int) -> dict[str, Any]:
    """A result of the table in the shape of `adrgen recommend --format json`'s fields."""
    result = data["results"][index]
    if "problem" in result:
        return {"problem": result["problem"]}
    control = result["control"]
    return {
        "mechanism": mechanism_id(data, result["mechanism"]),
        "outcome": result["outcome"],
        "reasons": reasons(data, result["reasons"]),
        "alternatives": [
            {"mechanism": mechanism_id(data, m), "status": status, "why": reasons(data, why)}
            for m, status, why in result["alternatives"]
        ],
        "control": None
        if control is None
        else {
            "mechanism": mechanism_id(data, control["mechanism"]),
            "reasons": reasons(data, control["reasons"]),
        },
        "warnings": [data["warnings"][i] for i in result["warnings"]],
        "unmet": result["unmet"],
    }


def from_engine(rec: dict[str, Any]) -> dict[str, Any]:
    """The same fields of `Recommendation.to_dict()` (what `adrgen recommend` prints)."""
    control = rec["control"]
    return {
        "mechanism": rec["mechanism"],
        "outcome": rec["outcome"],
        "reasons": rec["reasons"],
        "alternatives": [
            {"mechanism": a["mechanism"], "status": a["status"], "why": a["why"]}
            for a in rec["alternatives"]
        ],
        "control": None
        if control is None
        else {"mechanism": control["mechanism"], "reasons": control["reasons"]},
        "warnings": [
            {"facts": w["facts"], "text": " ".join(w["text"].split()), "set_aside": w["set_aside"]}
            for w in rec["warnings"]
        ],
        "unmet": rec["unmet"],
    }


def follow(data: dict[str, Any], facts: dict[str, Any], defaults: dict[str, Any]) -> list[Any]:
    """The answers the page takes for `facts` (a fact the page asks and `facts` leaves out
    takes its default), and the node where they end: [(fact, value), ...], node."""
    node = data["tree"]
    taken = []
    while isinstance(node, list):
        question = data["questions"][node[0]]
        wanted = facts.get(question["fact"], defaults.get(question["fact"]))
        values = [choice[1] for choice in question["choices"]]
        taken.append((question["fact"], wanted))
        node = node[1 + values.index(wanted)]
    return [taken, node]


def ends(data: dict[str, Any]) -> list[tuple[list[tuple[str, Any]], Any]]:
    """Every path of the tree: (the answers along it, the node it ends at)."""
    found = []
    pending = [(data["tree"], [])]
    while pending:
        node, answers = pending.pop()
        if not isinstance(node, list):
            found.append((answers, node))
            continue
        question = data["questions"][node[0]]
        for choice, child in zip(question["choices"], node[1:], strict=True):
            pending.append((child, [*answers, (question["fact"], choice[1])]))
    return found
