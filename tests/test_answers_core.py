"""The answers checked by pydantic-core alone (answers_core) agree with models.Answers.

`adrgen recommend` and `adrgen new --no-input` validate answers files with answers_core;
the interview, lint and the library use the pydantic model. Both must accept the same
answers with the same values and refuse the same answers with the same errors, so the
same `file:line: field: problem` lines reach the user.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from adrgen.answers_core import fact_values, validate_answers_data, validate_facts
from adrgen.models import Answers, Facts, FactsPattern
from adrgen.validation import describe_errors
from adrgen.vocab import FACT_NAMES
from adrgen.yamlsafe import parse_text

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples" / "answers").glob("*.yaml"))

# what an answers file can hold once parsed (adrgen.yamlsafe makes nothing else)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.sampled_from([0.0, 1.0, 1.5, float("inf")]),
    st.sampled_from(
        ["", " ", "yes", "no", "on", "off", "true", "1", "0", "peers", "low", "huge", "Bad-Id"]
    ),
    st.sampled_from(["client-daemon", "unix-sockets", "proposed", "madr", "../x", "a" * 301]),
    st.text(alphabet=st.sampled_from("aZ -_.\n\t\r\u2028\u202e\x00\x85é"), max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
text = st.text(alphabet=st.sampled_from("aZ -_.\n\t\r\u2028\u202e\x00\x85é"), max_size=12)


def repeated(letter: str, lengths: range) -> st.SearchStrategy:
    return st.sampled_from(lengths).map(lambda n: letter * n)


# answers every check accepts, near the limits (long titles, lax booleans, odd text)
valid_facts = st.fixed_dictionaries(
    {},
    optional={
        **{
            name: st.none() | st.booleans() | st.sampled_from(["yes", "off", "1", 0, 1])
            for name in FACT_NAMES
        },
        "relationship": st.none() | st.sampled_from(["client-daemon", "peers", "sidecar"]),
        "data_volume": st.none() | st.sampled_from(["low", "moderate", "high"]),
    },
)
valid_answers = st.fixed_dictionaries(
    {"title": st.sampled_from(["A title", " x\u2028y ", "t" * 300]) | text.map(lambda t: t + "T")},
    optional={
        "context": text,
        "deciders": st.lists(st.sampled_from(["ana", " bo\t", "d" * 200]), max_size=3),
        "facts": valid_facts,
        "choice": st.none() | st.sampled_from(["unix-sockets", "a" * 63]),
        "justification": st.none() | text,
        "status": st.none() | st.sampled_from(["proposed", "superseded"]),
        "template": st.none() | st.sampled_from(["madr", "Team.v2_x", "a" * 81]),
        "fields": st.dictionaries(st.sampled_from(["team", "x_1"]), values, max_size=2),
    },
)
# answers with anything an answers file can hold in any place
fact_keys = st.sampled_from([*FACT_NAMES, "colour"])
any_answers = st.fixed_dictionaries(
    {},
    optional={
        "title": values | repeated("t", range(298, 303)),
        "context": values,
        "deciders": st.lists(values | repeated("d", range(198, 203)), max_size=3) | values,
        "facts": st.dictionaries(fact_keys, values, max_size=9) | values,
        "choice": values | repeated("a", range(62, 66)),
        "justification": values,
        "status": values,
        "template": values,
        "fields": st.dictionaries(st.sampled_from(["team", "Bad", "x_1", "9"]), values, max_size=2)
        | values,
        "colour": values,  # not an answer at all
    },
)
answers_data = valid_answers | any_answers


def _outcome(validate: Any, data: Any) -> tuple[str, str]:
    """("ok", the JSON of the result) or ("error", the errors and the lines a user sees)."""
    try:
        result = validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        lines = describe_errors(exc, "answers.yaml", None)
        return "error", json.dumps([errors, lines], default=repr)
    return "ok", json.dumps(result, default=repr)


def _pydantic_answers(data: Any) -> Any:
    return Answers.model_validate(data).model_dump(mode="json", exclude_none=False)


def _core_answers(data: Any) -> Any:
    return validate_answers_data(data).json_data()


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_data)
def test_both_validators_accept_and_refuse_the_same_answers_alike(data: dict) -> None:
    assert _outcome(_core_answers, data) == _outcome(_pydantic_answers, data)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(fact_keys, values, max_size=9))
def test_both_validators_complete_facts_alike(data: dict) -> None:
    def core(values: dict) -> Any:
        return {name: repr(value) for name, value in vars(validate_facts(values)).items()}

    def pydantic(values: dict) -> Any:
        facts = Facts.model_validate(values)
        return {name: repr(value) for name, value in fact_values(facts).items()}

    assert _outcome(core, data) == _outcome(pydantic, data)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_read_the_same_either_way(path: Path) -> None:
    data, _ = parse_text(path.read_text(encoding="utf-8"), path)
    plain = validate_answers_data(data)
    model = Answers.model_validate(data)
    assert plain.json_data() == model.json_data()
    assert list(plain.json_data()) == list(model.json_data())  # the front matter's key order
    assert fact_values(plain.facts) == fact_values(model.facts)
    for name in Answers.model_fields:
        if name != "facts":
            assert getattr(plain, name) == getattr(model, name), name


def test_facts_are_named_in_the_models_order() -> None:
    assert FACT_NAMES == tuple(Facts.model_fields) == tuple(FactsPattern.model_fields)


@pytest.mark.parametrize("command", ["recommend", "new"])
def test_a_bad_answer_is_still_reported_at_its_line(tmp_path: Path, command: str) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "title: A decision\nfacts:\n  same_host: maybe\n  relationship: friends\ncolour: red\n"
    )
    args = ["--answers", str(answers)]
    if command == "new":
        args += ["--no-input", "--dir", str(tmp_path / "decisions")]
    out = subprocess.run(
        [sys.executable, "-m", "adrgen", command, *args], capture_output=True, text=True
    )
    assert out.returncode == 2
    assert out.stderr.splitlines() == [
        f"{answers}:3: facts.same_host: 'maybe' is not true or false",
        f"{answers}:4: facts.relationship: 'friends' is not one of parent-child, pipeline, "
        "client-daemon, plugin-host, sidecar, os-service, peers",
        f"{answers}:5: colour: unknown key",
    ]
    assert not (tmp_path / "decisions").exists()
