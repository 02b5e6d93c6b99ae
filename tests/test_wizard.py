"""The decision wizard's table: every path the interview takes, with adrgen's own advice.

The interview itself is the judge of which question comes next: each path of the table is
replayed through `adrgen.authoring.interview.ask_facts` with scripted answers, and the
engine's recommendation at its end is compared with the table's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from wizard_data import decoded, ends, from_engine, parse_data, read_data

from adrgen.answers.model import Answers
from adrgen.authoring import interview
from adrgen.catalog.loading import load_catalog
from adrgen.catalog.overlay import apply_overlay
from adrgen.engine import find_conflicts, recommend
from adrgen.errors import AdrgenError, ConflictingAnswers
from adrgen.files.cache import read_entry, write_entry
from adrgen.site import wizard
from adrgen.site.pages import SiteOptions, build_site
from tests.sitebuild import adrgen_record, build_in_process, write_config


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def data(catalog):
    built = wizard.build_wizard(catalog)
    assert built.notice == ""
    return parse_data(built.script)


class _Asked(Exception):
    def __init__(self, spec: interview.PromptSpec):
        self.spec = spec


def _interview_after(catalog, answers: list[Any], monkeypatch) -> tuple[Any, interview.Draft]:
    """What the interview asks after these answers (None when it has asked everything)."""
    script = list(answers)

    def scripted(spec: interview.PromptSpec) -> Any:
        if not script:
            raise _Asked(spec)
        return script.pop(0)

    monkeypatch.setattr(interview, "ask", scripted)
    draft = interview.start_draft({"title": "wizard"})
    try:
        interview.ask_facts(catalog, draft)
    except _Asked as asked:
        return asked.spec, draft
    assert script == [], "the interview asked fewer questions than the table"
    return None, draft


def _choices_of(spec: interview.PromptSpec) -> list[tuple[str, Any]]:
    if spec.kind == "select":
        return [(label, getattr(value, "value", value)) for label, value in spec.choices]
    return [("Yes", spec.yes_means), ("No", not spec.yes_means)]


def test_every_path_asks_what_the_interview_asks_and_ends_in_the_engines_advice(
    catalog, data, monkeypatch
):
    """The whole table, node by node, against the interview and the engine."""
    visited = {"advice": 0, "conflict": 0}
    pending: list[tuple[Any, list[Any]]] = [(data["tree"], [])]
    while pending:
        node, answers = pending.pop()
        spec, draft = _interview_after(catalog, answers, monkeypatch)
        if isinstance(node, list):
            question = data["questions"][node[0]]
            assert spec is not None and spec.key == f"facts.{question['fact']}", answers
            # the same wording, help and number as the terminal's question
            assert spec.message == f"{len(answers) + 1}. {question['prompt']}"
            hints = [line.strip() for line in spec.hint.splitlines() if line.strip()]
            assert question["hints"] == hints
            assert [tuple(c[:2]) for c in question["choices"]] == _choices_of(spec)
            for choice, child in zip(question["choices"], node[1:], strict=True):
                pending.append((child, [*answers, choice[1]]))
        elif isinstance(node, dict):
            # answers in conflict: the interview stops to ask one of them again
            visited["conflict"] += 1
            assert spec is not None and spec.key == "conflict", answers
            warnings = [data["warnings"][i] for i in node["conflict"]]
            assert warnings[0]["facts"] == [value for _, value in spec.choices]
            found = find_conflicts(draft.facts(), catalog)
            assert [(w["facts"], w["text"]) for w in warnings] == [
                (f.facts, " ".join(f.text.split())) for f in found
            ]
            # and the engine refuses these answers, naming the same conflicts
            answers_file = Answers.model_validate({"title": "wizard", **draft.data})
            with pytest.raises(ConflictingAnswers) as refused:
                recommend(answers_file, catalog)
            assert [facts for facts, _, _ in refused.value.conflicts] == [
                w["facts"] for w in warnings
            ]
        else:
            visited["advice"] += 1
            assert spec is None, f"the interview still asks {spec.key} after {answers}"
            answers_file = Answers.model_validate({"title": "wizard", **draft.data})
            expected = from_engine(recommend(answers_file, catalog).to_dict())
            assert decoded(data, node) == expected, draft.data["facts"]
    assert visited["advice"] + visited["conflict"] == data["paths"]
    # the shipped catalog has conflicts the interview can meet, and many ends
    assert visited["conflict"] > 0 and visited["advice"] > 100


def test_a_sample_of_paths_through_the_real_command(data, tmp_path):
    """`adrgen recommend --answers F --format json`, run as a user runs it, agrees with the
    table at every 60th end of the tree (and at a control channel)."""
    advice = [(answers, node) for answers, node in ends(data) if isinstance(node, int)]
    sample = advice[::60]
    sample += [e for e in advice if data["results"][e[1]].get("control")][:1]
    assert len(sample) >= 10
    for number, (answers, node) in enumerate(sample):
        path = tmp_path / f"answers-{number}.yaml"
        path.write_text(json.dumps({"title": "sample", "facts": dict(answers)}), encoding="utf-8")
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "adrgen",
                "recommend",
                "--answers",
                str(path),
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        printed = from_engine(json.loads(run.stdout))
        table = decoded(data, node)
        for key in ("mechanism", "outcome", "control", "warnings", "reasons", "alternatives"):
            assert table[key] == printed[key], (key, answers)


def test_a_conflict_ends_where_recommend_refuses_the_answers(data, catalog, tmp_path):
    """At a conflict the table holds the catalog's sentence; the command refuses those
    answers naming both facts (exit 2)."""
    conflict = next(e for e in ends(data) if isinstance(e[1], dict))
    answers, node = conflict
    warning = data["warnings"][node["conflict"][0]]
    path = tmp_path / "conflict.yaml"
    path.write_text(json.dumps({"title": "c", "facts": dict(answers)}), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "adrgen", "recommend", "--answers", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert all(fact in run.stderr for fact in warning["facts"])


def test_links_reach_the_catalog_pages_of_a_built_site(tmp_path):
    """Every link the page's script writes (reasons' citations, mechanisms, the checklist)
    leads to a page of the built site, and to the anchor it names."""
    (tmp_path / "decisions").mkdir()
    adrgen_record(tmp_path / "decisions", 1, "One record", mechanism="pipes")
    site = build_in_process(write_config(tmp_path, [tmp_path / "decisions"]))
    data = read_data(site)
    page = site / "catalog" / "wizard" / "index.html"
    assert page.is_file()
    cited = {cite for _, cites in data["reasons"] for cite in cites}
    assert {"mechanism:unix-sockets", "situation:single-host-isolation"} <= set(data["links"])
    assert cited <= set(data["links"])  # every reason's citation is a link, guidance too
    for cite, href in data["links"].items():
        target, _, anchor = href.partition("#")
        file = (page.parent / target).resolve()
        file = file / "index.html" if target.endswith("/") else file
        assert file.is_file(), (cite, href)
        if anchor:
            assert f'id="{anchor}"' in file.read_text(encoding="utf-8"), (cite, href)


def test_links_without_directory_urls():
    assert wizard.site_url("catalog/situations.md#x", wizard.PAGE, False) == "situations.html#x"
    assert wizard.site_url("catalog/mechanisms/pipes.md", wizard.PAGE, False) == (
        "mechanisms/pipes.html"
    )
    assert wizard.site_url("catalog/index.md#g", wizard.PAGE, True) == "../#g"
    assert wizard.site_url("catalog/mechanisms/pipes.md", wizard.PAGE, True) == (
        "../mechanisms/pipes/"
    )


# --- the site: on by default, off on request, left out past the bound ---------------------


def _site(catalog, **options):
    return build_site(catalog, [], SiteOptions(**options))


def test_the_page_is_first_in_the_catalogs_section(catalog):
    site = _site(catalog)
    assert wizard.PAGE in site.pages and wizard.PAGE in site.in_nav
    section = next(item["IPC catalog"] for item in site.nav if "IPC catalog" in item)
    assert section[0] == {wizard.TITLE: wizard.PAGE}
    assert set(site.files) >= {wizard.SCRIPT, wizard.STYLE}
    assert parse_data(site.texts[wizard.DATA])["paths"] > 0


def test_wizard_false_leaves_everything_out(catalog):
    site = _site(catalog, wizard=False)
    assert wizard.PAGE not in site.pages
    assert not site.texts and wizard.SCRIPT not in site.files


def test_past_the_bound_one_notice_and_no_page(catalog):
    paths = parse_data(_site(catalog).texts[wizard.DATA])["paths"]
    site = _site(catalog, wizard_limit=paths - 1)
    assert wizard.PAGE not in site.pages and wizard.DATA not in site.texts
    assert all(wizard.PAGE not in str(item) for item in site.nav)
    assert site.notices == [
        f"wizard: the interview has more than {paths - 1:,} answer paths (wizard_limit); "
        f"the page 'Which IPC mechanism?' is left out"
    ]
    # exactly at the bound it is built
    assert wizard.PAGE in _site(catalog, wizard_limit=paths).pages
    with pytest.raises(AdrgenError, match="wizard_limit"):
        _site(catalog, wizard_limit=-1)


def test_the_plugin_says_so_in_one_info_line_and_builds_on(tmp_path):
    (tmp_path / "decisions").mkdir()
    adrgen_record(tmp_path / "decisions", 1, "One record")
    config = write_config(tmp_path, [tmp_path / "decisions"], plugin_extra="      wizard_limit: 10")
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    said = [line for line in run.stderr.splitlines() if "wizard" in line]
    assert len(said) == 1 and said[0].startswith("INFO") and "more than 10 answer" in said[0]
    assert not (tmp_path / "public" / "catalog" / "wizard").exists()
    # the script and stylesheet the configuration names are there, so no page misses them
    assert (tmp_path / "public" / wizard.SCRIPT).is_file()


def test_wizard_false_in_mkdocs_yml(tmp_path):
    (tmp_path / "decisions").mkdir()
    adrgen_record(tmp_path / "decisions", 1, "One record")
    config = write_config(tmp_path, [tmp_path / "decisions"], plugin_extra="      wizard: false")
    site = build_in_process(config)
    assert not (site / "catalog" / "wizard").exists()
    assert not (site / wizard.SCRIPT).exists()
    assert "wizard.js" not in (site / "index.html").read_text(encoding="utf-8")


# --- a team's overlay ----------------------------------------------------------------------

HOLD_SOCKETS = """name: platform-team
mechanisms:
  unix-sockets:
    stance: hold
    stance_note: Every local daemon here speaks gRPC, so that one toolchain serves them all.
"""


def test_an_overlay_that_holds_a_mechanism_changes_the_advice_on_that_teams_site(tmp_path):
    from wizard_data import follow

    (tmp_path / "decisions").mkdir()
    adrgen_record(tmp_path / "decisions", 1, "One record")
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(HOLD_SOCKETS, encoding="utf-8")
    plain = read_data(build_in_process(write_config(tmp_path, [tmp_path / "decisions"])))
    team_dir = tmp_path / "team"
    team_dir.mkdir()
    team = read_data(
        build_in_process(
            write_config(
                team_dir, [tmp_path / "decisions"], plugin_extra=f"      overlay: {overlay}"
            )
        )
    )
    catalog = load_catalog()
    defaults = {q.fact.value: q.default for q in catalog.questions}
    daemon = {"same_host": True, "relationship": "client-daemon", "cross_team": False}
    daemon |= {"same_runtime": False, "process_isolation": True}
    answers, node = follow(plain, daemon, defaults)
    assert decoded(plain, node)["mechanism"] == "unix-sockets"
    team_answers, team_node = follow(team, daemon, defaults)
    held = apply_overlay(catalog, overlay)
    expected = recommend(Answers.model_validate({"title": "t", "facts": dict(team_answers)}), held)
    assert decoded(team, team_node)["mechanism"] == expected.mechanism != "unix-sockets"
    assert team["catalog"]["overlay"] == "platform-team"
    unix = next(m for m in team["mechanisms"] if m["id"] == "unix-sockets")
    assert unix["stance"] == "hold" and "gRPC" in unix["stance_note"]


# --- the cache -----------------------------------------------------------------------------


def test_a_second_build_reads_the_table_from_the_cache(catalog, monkeypatch, tmp_path):
    monkeypatch.setenv("ADRGEN_CACHE_DIR", str(tmp_path / "cache"))
    first = wizard.cached_table(catalog)
    name = wizard._cache_name(catalog)
    assert read_entry(name) == first

    def no_engine(*args, **kwargs):
        raise AssertionError("the engine ran although the table was cached")

    monkeypatch.setattr(wizard, "recommend", no_engine)
    assert wizard.cached_table(catalog) == first


def _forgeries(table: dict[str, Any]) -> list[Any]:
    """Entries that are intact as files (their checksum is right) but not a table to use."""
    # deeper than the questions; one branch per level (a shared one would be 2**50 nodes)
    deep: Any = 0
    for _ in range(50):
        deep = [0, deep, 0]
    out_of_range = json.loads(json.dumps(table))
    out_of_range["results"][0]["mechanism"] = 99
    bad_status = json.loads(json.dumps(table))
    next(r for r in bad_status["results"] if "alternatives" in r)["alternatives"][0][1] = "best"
    wrong_count = {**table, "paths": table["paths"] + 1}
    bad_tree = {**table, "tree": [0, 0]}
    deep_tree = {**table, "tree": deep}
    cite = json.loads(json.dumps(table))
    cite["reasons"][0] = ["A reason", [1]]
    return [None, [], "text", {}, out_of_range, bad_status, wrong_count, bad_tree, deep_tree, cite]


def test_a_forged_or_damaged_cache_entry_is_built_again(catalog, monkeypatch, tmp_path):
    monkeypatch.setenv("ADRGEN_CACHE_DIR", str(tmp_path / "cache"))
    table = wizard.cached_table(catalog)
    name = wizard._cache_name(catalog)
    forgeries = _forgeries(table)
    for forged in forgeries:
        assert wizard.table_problem(forged, catalog) is not None
    # what cached_table does with one (each is refused by the check above)
    write_entry(name, forgeries[4])
    assert wizard.cached_table(catalog) == table
    assert read_entry(name) == table  # written again, whole
    (Path(tmp_path / "cache") / name).write_text("not even a checksum", encoding="utf-8")
    assert wizard.cached_table(catalog) == table


def test_the_cache_key_follows_the_catalog_as_merged(catalog, tmp_path):
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(HOLD_SOCKETS, encoding="utf-8")
    assert wizard._cache_name(catalog) != wizard._cache_name(apply_overlay(catalog, overlay))
    assert wizard._cache_name(catalog) == wizard._cache_name(load_catalog())
