"""Reading what other ADR tools and hand-written folders write: statuses, relations, numbers,
headings and metadata lines, each form as people write it."""

from __future__ import annotations

from pathlib import Path

import pytest

from adrgen.records import conventions
from adrgen.records.names import is_record_name, number_of, with_number
from adrgen.records.parse import parse_record, scan_records
from adrgen.vocabulary import Status
from tests.conftest import write_records

# --- statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "word"),
    [
        ("Accepted", "accepted"),
        ("ACCEPTED", "accepted"),
        ("✅ Accepted", "accepted"),
        ("✔️ accepted", "accepted"),
        ("Accepted ✅", "accepted"),
        ("❌ Rejected", "rejected"),
        ("🤔 Proposed", "proposed"),
        ("⌛️ Superseded [0019](0019-use-go.md)", "superseded"),  # with U+FE0F
        ("⌛ Superseded", "superseded"),  # without it
        ("**Accepted**", "accepted"),
        ("_Accepted_", "accepted"),
        ("- Accepted", "accepted"),
        ("Pending", "proposed"),
        ("Approved", "accepted"),
        ("Agreed", "accepted"),
        ("Declined", "rejected"),
        ("superseded by [X](0004-x.md)", "superseded"),
        ("Superseded by ADR-0057. The bundle below was replaced.", "superseded"),
        ("Replaced by 0012", "superseded"),
        ("Accepted; supersedes ADR-0045", "accepted"),
        ("accepted (2024-01-01)", "accepted"),
        ("on hold", "on hold"),
        ("On-Hold", "on hold"),
        ("Partly superseded", "partly superseded"),
        ("Partially superseded by [12](0012-x.md)", "partly superseded"),
        ("Reverted by [discussion #1198](https://example.org/d/1198).", "reverted"),
        ("Draft", "draft"),
        ("💡 **GUIDANCE** - Template and process", "guidance"),
        ("Akzeptiert", "akzeptiert"),
    ],
)
def test_a_status_as_written_is_read_as_one_word(written: str, word: str) -> None:
    assert conventions.status_word(written) == word


@pytest.mark.parametrize(
    ("word", "behaves_as"),
    [
        ("on hold", Status.proposed),
        ("draft", Status.proposed),
        ("partly superseded", Status.accepted),
        ("implemented", Status.accepted),
        ("reverted", Status.deprecated),
        ("withdrawn", Status.rejected),
        ("superseded", Status.superseded),
        ("guidance", None),
    ],
)
def test_words_of_their_own_are_classed(word: str, behaves_as: Status | None) -> None:
    assert conventions.status_class(word) == behaves_as


def test_nothing_written_is_no_status() -> None:
    assert conventions.status_word("") is None
    assert conventions.status_word("✅") is None


# --- relations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "relations"),
    [
        ("superseded by ADR-0057", [("superseded-by", "ADR-0057")]),
        ("Accepted; supersedes ADR-0045", [("supersedes", "ADR-0045")]),
        ("⌛️ Superseded [0019](0019-use-go.md)", [("superseded-by", "0019-use-go.md")]),
        ("Superseded by [DNS](0015-dns.md)", [("superseded-by", "0015-dns.md")]),
        ("Superseded by [ADR-0020](./0020-python.md)", [("superseded-by", "./0020-python.md")]),
        ("superseded by 3, 4", [("superseded-by", "3"), ("superseded-by", "4")]),
        ("Superseded by ADR 12. Decisions 2 and 3 stay", [("superseded-by", "ADR 12")]),
        ("Superseded by [9. Help scripts](0009-help.md)", [("superseded-by", "0009-help.md")]),
        (
            "Superseded by [ADR-0020](https://example.org/adr/0020-x.md)",
            [("superseded-by", "ADR-0020")],
        ),
        ("Reverted by [discussion #1198](https://example.org/1198)", []),
        ("Accepted", []),
        ("Partly superseded", []),
    ],
)
def test_relations_stated_in_a_status(status: str, relations: list) -> None:
    assert conventions.relations_in_status(status) == relations


@pytest.mark.parametrize(
    ("line", "relations"),
    [
        ("Amended by [9. Help scripts](0009-help-scripts.md)", [("amended-by", "0009-help-scripts.md")]),
        ("Amends [5. Help comments](0005-help-comments.md)", [("amends", "0005-help-comments.md")]),
        ("Replaces: [ADR-0002](./0002-python.md)", [("supersedes", "./0002-python.md")]),
        ("- Supersedes [20200926-use-numbers](20200926-use-numbers.md)", [("supersedes", "20200926-use-numbers.md")]),
        ("* **Superseded by:** ADR-0057", [("superseded-by", "ADR-0057")]),
        ("Related to ADR-3 and ADR-4", [("relates", "ADR-3"), ("relates", "ADR-4")]),
        ("Related to ./0020-x.md", [("relates", "./0020-x.md")]),
        ("Supersedes [a](0001-a.md); amended by [b](0003-b.md)", [("supersedes", "0001-a.md"), ("amended-by", "0003-b.md")]),
        ("Replace `config.sh` with an executable", []),
        ("Related to this, we looked at speed.", []),
        ("This ADR in part supersedes [0003](0003-x.md).", []),  # prose, not a declaration
        ("[ADR-1](0001-a.md) supersedes this", []),
    ],
)  # fmt: skip
def test_relations_declared_on_a_line(line: str, relations: list) -> None:
    assert conventions.relations_in_line(line) == relations


# --- numbers, names and headings --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("0012-use-pipes.md", 12),
        ("0000-use-madr.md", 0),
        ("12-use-pipes.md", 12),
        ("adr-001-use-x.md", 1),
        ("ADR-0012-use-x.md", 12),
        ("adr_007_use_x.md", 7),
        ("adr000-my-decision.md", 0),
        ("0038-mongo_replacement_by_documentdb.md", 38),
        ("20200924-use-markdown.md", None),  # log4brains: a date, not a sequence number
        ("2020-09-24-use-markdown.md", None),
        ("use-the-slug.md", None),
        ("adrenaline-policy.md", None),
    ],
)
def test_numbers_from_file_names(name: str, number: int | None) -> None:
    assert number_of(name) == number


def test_a_renumbered_name_keeps_its_style() -> None:
    assert with_number("adr-001-use-x.md", 13) == "adr-013-use-x.md"
    assert with_number("ADR-0012-y.md", 13) == "ADR-0013-y.md"
    assert with_number("0012-x.md", 13) == "0013-x.md"


@pytest.mark.parametrize(
    ("name", "is_record"),
    [
        ("0001-x.md", True),
        ("notes.markdown", True),
        ("README.md", False),
        ("index.md", False),
        ("template.md", False),
        ("adr-template.md", False),
        ("adr-template-minimal.md", False),
        ("000-index.md", False),
        ("0000-template.md", False),
        ("0005-template-engine.md", True),
        ("0001-x.txt", False),
    ],
)
def test_which_names_are_records(name: str, is_record: bool) -> None:
    assert is_record_name(name) is is_record


@pytest.mark.parametrize(
    ("heading", "number", "title"),
    [
        ("3. Networking Outline", 3, "Networking Outline"),
        ("0020. Minimum supported Python version", 20, "Minimum supported Python version"),
        ("ADR-021: Canonical identity", 21, "ADR-021: Canonical identity"),
        ("ADR-0008 — Exact accounting", 8, "ADR-0008 — Exact accounting"),
        ("0001 — Record format", 1, "0001 — Record format"),
        ("Use Markdown", None, "Use Markdown"),
        ("2024 roadmap", None, "2024 roadmap"),
    ],
)
def test_numbers_in_title_headings(heading: str, number: int | None, title: str) -> None:
    assert conventions.title_parts(heading) == (number, title)


@pytest.mark.parametrize(
    ("line", "pair"),
    [
        ("Date: 2016-02-12", ("date", "2016-02-12")),
        ("- Status: accepted", ("status", "accepted")),
        ("* Deciders: ana, bo", ("deciders", "ana, bo")),
        ("**Status:** Accepted  ", ("status", "Accepted")),
        ("**Date**: 2026-06-08", ("date", "2026-06-08")),
        ("_Status: ✅ Accepted_", ("status", "✅ Accepted")),
        (
            "Technical Story: <https://example.org/2>",
            ("technical story", "<https://example.org/2>"),
        ),
        ("Just a sentence, no field.", None),
        ("`code: yes`", None),
    ],
)
def test_metadata_lines(line: str, pair: tuple[str, str] | None) -> None:
    assert conventions.field(line) == pair


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("2019-05-13, updated 2023-02-05", "2019-05-13"),
        ("2024-3-5", "2024-03-05"),
        ("12/02/2016", None),  # day or month first? neither is guessed
        ("2024-13-01", None),
        (None, None),
    ],
)
def test_dates_are_read_never_invented(value: str | None, date: str | None) -> None:
    assert conventions.date_in(value) == date


# --- a folder of hand-written records -----------------------------------------------------

EDGE_RECORDS = {
    "adr-001-use-x.md": "# ADR-001: Use X\n\n**Status:** ✅ Accepted  \n**Date:** 2024-01-02\n\n"
    "## Context\n\nSee the [index](README.md) and the [template](template.md).\n",
    "ADR-0002-use-y.md": "# ADR-0002 — Use Y\n\n## Status\n\nsuperseded by ADR-0003\n",
    "adr-003-use-z.md": "# 3. Use Z\n\nStatus: accepted; supersedes ADR-0002\nDate: 2024-3-5\n",
    "0004-links.md": "# 4. Links\n\n- Status: Approved\n- Date: 2024-04-01\n\n## Links\n\n"
    "- Related to [ADR-1](adr-001-use-x.md) and [ADR-3](./adr-003-use-z.md)\n",
    "0005-use-#-as-comment.md": "| Status   | Date       | Author(s) |\n|:--|:--|:--|\n"
    "| Proposed | 2025-01-16 | me |\n\n# Use # as comment marker\n\n"
    "Replaces: [ADR-0004](./0004-links.md)\n",
    "0006-emoji.md": "# 6. Emoji\n\nDate: 2024-06-01\n\n## Status\n\n"
    "⌛\ufe0f Superseded [0005](0005-use-%23-as-comment.md)\n",
    "0007-emoji-two.md": "# 7. Emoji two\n\n_Status: 🤔 Proposed_  \n_Date: 2024-07-01_\n",
    "20240801-by-date.md": "# By date\n\n- Status: superseded by [slug](use-the-slug)\n"
    "- Date: 2024-08-01\n",
    "20240901-use-the-slug.md": "# Use the slug\n\n- Status: accepted\n\n## Links\n\n"
    "- Supersedes [by date](20240801-by-date.md)\n",
}


@pytest.fixture
def edge_folder(tmp_path: Path) -> Path:
    return write_records(tmp_path / "decisions", {**EDGE_RECORDS, "README.md": "# Decisions\n"})


def test_a_folder_of_hand_written_records_is_read_right(edge_folder: Path) -> None:
    records = {r.path.name: r for r in scan_records(edge_folder)}
    seen = {
        name: (
            r.number,
            r.title,
            r.status,
            r.date,
            sorted((link.kind, link.resolved) for link in r.links),
        )
        for name, r in records.items()
    }
    assert seen == {
        "adr-001-use-x.md": (1, "ADR-001: Use X", "accepted", "2024-01-02", []),
        "ADR-0002-use-y.md": (
            2,
            "ADR-0002 — Use Y",
            "superseded",
            None,
            [("superseded-by", "adr-003-use-z.md")],
        ),
        "adr-003-use-z.md": (
            3,
            "Use Z",
            "accepted",
            "2024-03-05",
            [("supersedes", "ADR-0002-use-y.md")],
        ),
        "0004-links.md": (
            4,
            "Links",
            "accepted",
            "2024-04-01",
            [("relates", "adr-001-use-x.md"), ("relates", "adr-003-use-z.md")],
        ),
        "0005-use-#-as-comment.md": (
            5,
            "Use # as comment marker",
            "proposed",
            "2025-01-16",
            [("supersedes", "0004-links.md")],
        ),
        "0006-emoji.md": (
            6,
            "Emoji",
            "superseded",
            "2024-06-01",
            [("superseded-by", "0005-use-#-as-comment.md")],
        ),
        "0007-emoji-two.md": (7, "Emoji two", "proposed", "2024-07-01", []),
        "20240801-by-date.md": (
            None,
            "By date",
            "superseded",
            "2024-08-01",
            [("superseded-by", "20240901-use-the-slug.md")],
        ),
        "20240901-use-the-slug.md": (
            None,
            "Use the slug",
            "accepted",
            None,
            [("supersedes", "20240801-by-date.md")],
        ),
    }
    assert (
        records["0006-emoji.md"].status_text
        == "⌛\ufe0f Superseded [0005](0005-use-%23-as-comment.md)"
    )
    assert records["ADR-0002-use-y.md"].heading_number == 2
    assert records["0005-use-#-as-comment.md"].status_line == 3


def test_relations_carry_the_line_they_are_written_on(edge_folder: Path) -> None:
    record = parse_record(edge_folder / "0004-links.md")
    assert [link.line for link in record.links] == [8, 8]
    record = parse_record(edge_folder / "0005-use-#-as-comment.md")
    assert record.links[0].line == 7


def test_code_fences_hide_what_looks_like_metadata(tmp_path: Path) -> None:
    path = tmp_path / "0001-fenced.md"
    path.write_text(
        "# Fenced\n\n## Example\n\n```markdown\n---\nstatus: accepted\n---\n# Another title\n"
        "## Status\n\nRejected\n\nSuperseded by [x](0009-x.md)\n```\n",
        encoding="utf-8",
    )
    record = parse_record(path)
    assert (record.title, record.status, record.links) == ("Fenced", None, [])


def test_a_heading_ending_in_a_hash_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "0001-c-sharp.md"
    path.write_text("# Use C#\n\n# Second ##\n", encoding="utf-8")
    assert parse_record(path).title == "Use C#"


def test_the_index_finds_what_a_target_names() -> None:
    class Named:
        def __init__(self, name: str):
            self.file_name, self.id = name, name.rsplit(".", 1)[0]
            self.number = number_of(name)

    index = conventions.RecordIndex(
        [Named(n) for n in ("0002-a.md", "0024-use-#-as-x.md", "20200926-use-slug.md")]
    )
    found = {
        target: getattr(index.find(target), "file_name", None)
        for target in (
            "ADR-0002",
            "adr 2",
            "2",
            "#2",
            "0002",
            "./0002-a.md",
            "0002-a.md#decision",
            "0002-a",
            "0024-use-%23-as-x.md",
            "0024-use-#-as-x.md",
            "use-slug",
            "20200926-use-slug",
            "0099-a.md",
            "../other/0002-a.md",
            "ADR-0099",
        )
    }
    assert found == {
        "ADR-0002": "0002-a.md",
        "adr 2": "0002-a.md",
        "2": "0002-a.md",
        "#2": "0002-a.md",
        "0002": "0002-a.md",
        "./0002-a.md": "0002-a.md",
        "0002-a.md#decision": "0002-a.md",
        "0002-a": "0002-a.md",
        "0024-use-%23-as-x.md": "0024-use-#-as-x.md",
        "0024-use-#-as-x.md": "0024-use-#-as-x.md",
        "use-slug": "20200926-use-slug.md",
        "20200926-use-slug": "20200926-use-slug.md",
        "0099-a.md": None,  # never taken for another record with the same slug
        "../other/0002-a.md": None,  # another folder's record
        "ADR-0099": None,
    }


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("control: local-grpc", "local-grpc"),
        ("control: {mechanism: local-grpc, note: start and stop}", "local-grpc"),
        ("control: {note: no mechanism}", None),
        ("control: [local-grpc]", None),
        ('control: "  "', None),
    ],
)
def test_a_control_channel_is_read_as_adrgen_writes_it_or_as_a_mapping(
    written: str, read: str | None, tmp_path: Path
) -> None:
    path = tmp_path / "0001-frames.md"
    path.write_text(f"---\nmechanism: shared-memory\n{written}\n---\n# Frames\n")
    assert parse_record(path).control == read
