"""The record as a design reviewer reads it, over the real-system suite: no section repeats
another, every comparison agrees with the catalog, the reasons argue for the option chosen,
and an override names each answer it goes against, with its justification once."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from adrgen.answers.model import Answers
from adrgen.authoring.argument import compare_ceremony, compare_stance
from adrgen.authoring.context import asked_facts, record_context
from adrgen.catalog.loading import load_catalog
from adrgen.engine import recommend
from adrgen.files.safe_yaml import load_file
from adrgen.templating.render import render_template, template_folders

DATA = Path(__file__).parent / "data"
SYSTEMS, _ = load_file(DATA / "real_world_systems.yaml")
TEMPLATES = ["madr", "nygard", "y-statement"]
JUSTIFICATION = "Our operations team already runs and monitors this mechanism on every host."
# a quote of the team's own words is theirs to repeat; citations name catalog entries
_QUOTE = re.compile(r'\(in your words: "[^"]*"\)')
_CITES = re.compile(
    r"\((?:(?:mechanism|situation|checklist|failure-mode|guidance):[a-z0-9-]+(?:, )?)+\)"
)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_the_suite_is_big_enough() -> None:
    assert len(SYSTEMS) >= 20


def record(catalog, data: dict, template: str = "madr") -> tuple[str, dict]:
    answers = Answers.model_validate(data)
    rec = recommend(answers, catalog)
    context = record_context(answers, rec, catalog, 7, "2026-12-04", template=template)
    return render_template(template, context, template_folders(None)), context


def sections(body: str) -> dict[str, str]:
    """Each `##`/`###` section's text (the title and the Y-statement count as sections too)."""
    out: dict[str, str] = {}
    name = "top"
    for line in body.split("\n"):
        if re.match(r"#{1,3} ", line):
            name = line
            continue
        out[name] = out.get(name, "") + line + "\n"
    return out


def units(text: str) -> list[str]:
    """A section's bullets and sentences, normalised, without quotes and citations."""
    text = _CITES.sub("", _QUOTE.sub("", text))
    found = []
    for block in re.split(r"\n\s*\n|\n(?=\s*\* )", text):
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(block.split())):
            sentence = sentence.strip(" *").lower()
            if len(sentence.split()) >= 6:
                found.append(sentence)
    return found


def override_of(catalog, entry: dict) -> dict | None:
    """The entry's answers with the runner-up chosen instead, and a justification."""
    data = dict(entry["answers"])
    rec = recommend(Answers.model_validate(data), catalog)
    other = next(
        (a.mechanism for a in rec.alternatives if a.status in ("ranked", "falls-short")), None
    )
    if other is None:
        return None
    return {**data, "choice": other, "justification": JUSTIFICATION}


CASES = [(entry, template) for entry in SYSTEMS for template in TEMPLATES]


@pytest.mark.parametrize(("entry", "template"), CASES, ids=[f"{e['name']}-{t}" for e, t in CASES])
def test_no_section_repeats_another(entry: dict, template: str, catalog) -> None:
    for data in filter(None, [entry["answers"], override_of(catalog, entry)]):
        text, _ = record(catalog, data, template)
        seen: dict[str, str] = {}
        for name, body in sections(text).items():
            for unit in units(body):
                assert seen.get(unit, name) == name, f"{unit!r} in {seen[unit]} and {name}"
                seen[unit] = name


def test_every_comparison_agrees_with_the_catalog(catalog) -> None:
    for a, b in itertools.permutations(catalog.mechanisms, 2):
        ceremony = compare_ceremony(a, b)
        figures = re.search(r"\((\d) against (\d) on the catalog's 1 to 5 scale\)", ceremony)
        assert (int(figures.group(1)), int(figures.group(2))) == (a.ceremony, b.ceremony)
        word = ceremony.split(" ceremony")[0]
        expected = {-1: "less", 0: "the same", 1: "more"}[
            (a.ceremony > b.ceremony) - (a.ceremony < b.ceremony)
        ]
        assert word == expected, ceremony
        stance = compare_stance(a, b)
        assert stance.startswith(a.stance.value)
        if a.stance is b.stance:
            assert stance.endswith(f"as {b.name} is")
        else:
            assert (" ahead of " in stance) == (a.stance.rank < b.stance.rank), stance
            assert stance.endswith(f"{b.name}'s {b.stance.value}")


@pytest.mark.parametrize("entry", SYSTEMS, ids=[e["name"] for e in SYSTEMS])
def test_every_stance_a_record_names_is_the_catalogs(entry: dict, catalog) -> None:
    stances = {m.name: m.stance.value for m in catalog.mechanisms}
    names = "|".join(re.escape(name) for name in sorted(stances, key=len, reverse=True))
    for data in filter(None, [entry["answers"], override_of(catalog, entry)]):
        for template in TEMPLATES:
            text, _ = record(catalog, data, template)
            for match in re.finditer(rf"({names}) \((adopt|trial|assess|hold)\b", text):
                assert stances[match.group(1)] == match.group(2), match.group(0)


@pytest.mark.parametrize("entry", SYSTEMS, ids=[e["name"] for e in SYSTEMS])
def test_the_reasons_argue_for_the_recommendation(entry: dict, catalog) -> None:
    _, context = record(catalog, entry["answers"])
    recommended = context["recommended"]["name"]
    assert 1 <= len(context["reasons"]) <= 4
    for reason in context["reasons"]:
        text = reason["text"].replace("\\", "")
        ahead = re.search(r"which puts (.+?) ahead of (.+)\.$", text)
        if ahead:
            assert ahead.group(1) == recommended, text
            assert recommended not in ahead.group(2), text
        ruled_out = re.search(r"which rules out (.+)\.$", text)
        if ruled_out:
            assert recommended not in ruled_out.group(1), text
        assert ahead or ruled_out, text
        assert reason["cites"], text
    runner_up = next((o for o in context["options"] if o["role"] == "runner-up"), None)
    if runner_up is not None:
        assert runner_up["fit"] and runner_up["name"] != recommended


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("entry", SYSTEMS, ids=[e["name"] for e in SYSTEMS])
def test_an_override_states_its_justification_once_and_each_answer_it_goes_against(
    entry: dict, template: str, catalog
) -> None:
    data = override_of(catalog, entry)
    if data is None:
        pytest.skip("the catalog leaves no other option for these answers")
    text, context = record(catalog, data, template)
    assert text.count(JUSTIFICATION) == 1
    assert context["override"] and context["chosen"]["id"] == data["choice"]
    # every answer whose rule the choice fails and the recommendation meets is named
    answers = Answers.model_validate(data)
    rec = recommend(answers, catalog)
    facts = answers.facts.model_validate(rec.facts)
    chosen, recommended = catalog.mechanism(rec.mechanism), catalog.mechanism(rec.recommended)
    asked = asked_facts(answers, rec, catalog)
    fired = [step.rule for step in rec.trace if step.fired]
    for rule in catalog.rules:
        pattern = rule.require or rule.prefer
        if rule.id not in fired or pattern is None:
            continue
        if pattern.matches(chosen, facts) or not pattern.matches(recommended, facts):
            continue
        for fact in rule.when.conditions():
            if fact not in asked:
                continue
            says, _ = next(q for q in catalog.questions if q.fact.value == fact).wording(
                getattr(facts, fact)
            )
            stated = [c["says"] for c in context["contradictions"]]
            assert any(says.rstrip(".").lower() in s.lower() for s in stated), (rule.id, says)
            assert says.rstrip(".") in text.replace("\\", "") or _lower(says) in text


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:].rstrip(".")
