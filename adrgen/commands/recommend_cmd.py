"""`adrgen recommend`: the engine's advice for an answers file, without writing anything."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from adrgen.catalog.models import Catalog, answer_word
from adrgen.commands.common import (
    allow_conflicts_option,
    answers_option,
    catalog_option,
    config_option,
    design_words,
    dir_option,
    format_option,
    print_json,
    workspace,
)
from adrgen.engine import Recommendation
from adrgen.engine import recommend as run_engine
from adrgen.terminal import echo

if TYPE_CHECKING:
    from adrgen.answers.model import Answers
    from adrgen.files.safe_yaml import LineMap


@click.command()
@answers_option("Answers file (YAML or JSON): title, context, deciders, facts, optional choice.")
@click.option(
    "--record",
    "record_ref",
    metavar="N",
    help="Instead of an answers file: the facts saved in record N (a number or file name) "
    "of the record folder, as the advice stands today.",
)
@dir_option
@click.option(
    "--explain",
    is_flag=True,
    help="Also print the trace: each rule, whether it fired, what it excluded.",
)
@allow_conflicts_option
@catalog_option
@config_option
@format_option()
def recommend(
    answers_path: Path | None,
    record_ref: str | None,
    records_dir: Path | None,
    explain: bool,
    allow_conflicts: bool,
    catalog_dir: Path | None,
    overlay_path: Path | None,
    config_path: Path | None,
    output_format: str,
) -> None:
    """Recommend a mechanism for the facts in an answers file, each reason citing the catalog.

    \b
    Answers the catalog declares in conflict are refused (exit 2, naming both facts) unless
    --allow-conflicts sets aside the one the catalog names; `warnings` then says which.

    With --record N it reads back the facts a record adrgen wrote rests on, and says
    whether today's catalog still gives the mechanism the record chose.

    \b
    Example:
      adrgen recommend --answers answers.yaml --format json
      adrgen recommend --record 12 --explain
    """
    from adrgen.errors import AdrgenError, AnswerProblem

    if (answers_path is None) == (record_ref is None):
        raise AdrgenError(
            "give either --answers FILE or --record N (see `adrgen recommend --help`)"
        )
    ws = workspace(config_path, catalog_dir, records_dir=records_dir, overlay_path=overlay_path)
    given = _saved(ws.records_dir, record_ref) if record_ref else _loaded(answers_path)
    answers, saved = given.answers, given.saved
    if allow_conflicts:
        answers = answers.model_copy(update={"allow_conflicts": True})
    try:
        result = run_engine(answers, ws.catalog)
    except AnswerProblem as exc:
        raise exc.at(given.source, given.lines) from None
    if output_format == "json":
        data = result.to_dict()
        if not explain:
            data.pop("trace")
        if saved is not None:
            data["record"] = saved
        print_json(data)
        return
    if saved is not None:
        echo(_record_line(saved, result), one_line=True)
    echo(format_recommendation(result))
    if explain:
        echo("")
        echo(format_trace(result, ws.catalog))


@dataclass
class _Given:
    """The answers to recommend for, where they came from, and (read back from a record)
    what that record decided."""

    answers: Answers
    source: Path
    lines: LineMap | None = None
    saved: dict[str, Any] | None = None


def _loaded(answers_path: Path) -> _Given:
    from adrgen.answers.loading import load_answers_data, validate_answers

    data, lines = load_answers_data(answers_path)
    return _Given(validate_answers(data, answers_path, lines), answers_path, lines)


def _saved(records_dir: Path, ref: str) -> _Given:
    """The answers record `ref` rests on, and what it decided (for the JSON `record` key)."""
    from adrgen.errors import AdrgenError
    from adrgen.records.lifecycle import find_record
    from adrgen.records.lint import saved_answers
    from adrgen.records.parse import scan_records

    if not records_dir.is_dir():
        raise AdrgenError(f"{records_dir}: record folder not found (pass --dir DIR)")
    record = find_record(scan_records(records_dir), ref, records_dir)
    answers, meta = saved_answers(record)
    decided = {
        "path": str(record.path),
        "number": meta.number,
        "status": meta.status,
        "mechanism": meta.mechanism,
        "control": meta.control,
        "recommended": meta.recommended,
    }
    return _Given(answers, record.path, saved=decided)


def _record_line(saved: dict, result: Recommendation) -> str:
    """What a record chose, and whether the advice for its saved facts is still the same."""
    chose = design_words(saved["mechanism"], saved["control"])
    then = design_words(saved["recommended"] or saved["mechanism"], saved["control"])
    now = design_words(result.mechanism, result.control.mechanism if result.control else None)
    verdict = "unchanged" if now == then else f"now {now} (it was {then})"
    return f"Record {saved['number']} ({Path(saved['path']).name}) chose {chose}; the advice for its facts is {verdict}."


def format_recommendation(result: Recommendation) -> str:
    lines = [
        f"Recommendation: {result.name} ({result.mechanism}), stance {result.stance}, outcome {result.outcome}"
    ]
    if result.override:
        lines.append(f"  (chosen over the recommended {result.recommended})")
    if result.unmet:
        lines.append("  No mechanism meets every need; unmet: " + "; ".join(result.unmet))
    for warning in result.warnings:
        lines.append(
            f"Conflicting answers ({' and '.join(warning.facts)}): {' '.join(warning.text.split())}"
        )
        if warning.set_aside:
            taken = (
                "as if not given"
                if warning.instead is None
                else f"taken as {answer_word(warning.instead)}"
            )
            lines.append(f"  set aside: {warning.set_aside}, {taken}")
    lines.append("Reasons:")
    for reason in result.reasons:
        lines.append(f"  - {reason.text} [{', '.join(reason.cites)}]")
    if result.control is not None:
        control = result.control
        lines.append(
            f"Control channel: {control.name} ({control.mechanism}), stance {control.stance}"
        )
        for reason in control.reasons:
            lines.append(f"  - {reason.text} [{', '.join(reason.cites)}]")
    lines.append("Alternatives:")
    for alt in result.alternatives:
        why = "; ".join(r.text for r in alt.why)
        lines.append(f"  - {alt.mechanism} ({alt.stance}, {alt.status}): {why}")
    return "\n".join(lines)


def format_trace(result: Recommendation, catalog: Catalog) -> str:
    relaxable = {rule.id for rule in catalog.rules if rule.relaxable}
    lines = ["Facts:"]
    lines += [
        f"  {name}: {'not asked' if value is None else answer_word(value)}"
        for name, value in result.facts.items()
    ]
    lines.append("Trace:")
    for step in result.trace:
        mark = "fired" if step.fired else "skipped"
        lines.append(f"  [{mark}] {step.rule} (when {step.condition})")
        if step.fired:
            if step.excluded:
                # a need that can be met by a companion or given up is not an exclusion
                verb = "falls short" if step.rule in relaxable else "excluded"
                lines.append(f"      {verb}: {', '.join(step.excluded)}")
            if step.preferred:
                lines.append(f"      preferred: {', '.join(step.preferred)}")
    lines.append("Situations: " + (", ".join(result.situations) or "none"))
    return "\n".join(lines)
