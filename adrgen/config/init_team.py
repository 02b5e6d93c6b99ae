"""A fresh, commented `.adrgen.yaml`: the team's configuration explained where it is edited;
and what a team needs to publish its decisions right after: the record folder and a minimal
`mkdocs.yml` that uses the adrgen plugin."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from adrgen.config import CONFIG_NAME, DEFAULT_RECORDS, DEFAULT_TEMPLATE, SITE_CONFIGS
from adrgen.config.team import TeamConfig
from adrgen.config.workspace import find_config
from adrgen.errors import AdrgenError, ValidationProblems
from adrgen.files.atomic import write_text_atomic
from adrgen.files.cleaning import clean_text
from adrgen.files.safe_yaml import dump, parse_text
from adrgen.validation import describe_errors

DEFAULT_TEAM_TEMPLATES = ".adrgen/templates"

# Each key of TeamConfig, explained; the values are filled in by `config_text`.
_TEXT = """\
# adrgen team configuration, written by `adrgen init`.
#
# adrgen finds this file by looking in the working directory and then in each folder above
# it (as git finds .git); `--config FILE` on any command uses another file instead.
# Relative paths below are relative to the folder this file is in.

# team: the team's name, noted in its decision records and on the site.
{team}

# records: the folder where `adrgen new` writes decision records and where `adrgen list`
# and `adrgen lint` read them.
{records}

# template: the record template `adrgen new` uses unless told otherwise. Built in:
# madr (MADR 4, the default), nygard, y-statement. `adrgen templates list` shows every
# template, built-in and the team's.
{template}

# templates: the team's own template folder (NAME.md.j2 files). adrgen looks here before
# the built-in templates, so a file named madr.md.j2 here replaces the built-in madr.
# `adrgen templates export madr` copies a built-in template here as a starting point.
# Templates are code, so this folder must be inside this one; `--templates DIR` on the
# command line uses a folder from elsewhere.
{templates}

# catalog: an IPC catalog folder to use instead of the one shipped with adrgen (the
# organisation's own copy, say). Leave it out to use the shipped catalog.
# catalog: ../ipc-catalog

# overlay: a YAML file of this team's differences from the catalog: stances it
# re-decides (with its reason), team notes, and mechanisms, situations and rules it adds.
# Records note which overlay applied. For example, a file .adrgen/overlay.yaml holding
#     name: payments-team
#     mechanisms:
#       shared-memory:
#         stance: hold
#         stance_note: Our auditors need every byte to cross a boundary we can log.
#         team_notes: [Ask the platform group before proposing it again.]
# overlay: .adrgen/overlay.yaml

# lint: which `adrgen lint` checks run. select lists codes (ADR005), code prefixes
# (ADR0), check names (heading-number) or ALL, and replaces the default checks; ignore
# takes checks away. `--select` on the command line replaces select, `--ignore` adds to
# ignore. `adrgen lint --help` lists the checks.
# lint:
#   ignore: [missing-number, duplicate-title]

# fields: extra fields for the team's records: the interview asks them, and they are kept
# in each record's front matter. Each has a name (lower_case), a prompt, and optionally
# help, type (text, bool, int or choice), choices (for type choice), required and default.
fields: []
# fields:
#   - name: cost_centre
#     prompt: Which cost centre pays for running this?
#     help: The finance code, as in the team's budget sheet.
#     type: choice
#     choices: [platform, payments, shared]
#     required: true
"""


def _entry(key: str, value: str | None, example: str) -> str:
    """`key: value`, quoted when YAML needs it; a commented example when there is no value."""
    if value is None:
        return f"# {key}: {example}"
    return dump({key: value}).rstrip("\n")


def config_text(team: str | None = None, records: str | None = None) -> str:
    """The commented configuration, checked to load back to what it says."""
    if team is not None:
        team = clean_text(team, single_line=True)
        if not team:
            raise AdrgenError("--team: the team's name cannot be empty")
    if records is not None:
        records = clean_text(records, single_line=True)
        if not records:
            raise AdrgenError("--records: the record folder cannot be empty")
    text = _TEXT.format(
        team=_entry("team", team, "payments"),
        records=_entry("records", records or DEFAULT_RECORDS, ""),
        template=_entry("template", DEFAULT_TEMPLATE, ""),
        templates=_entry("templates", DEFAULT_TEAM_TEMPLATES, ""),
    )
    data, lines = parse_text(text, CONFIG_NAME)
    try:
        TeamConfig.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblems(describe_errors(exc, CONFIG_NAME, lines)) from None
    return text


def write_config(
    folder: Path, *, team: str | None = None, records: str | None = None, force: bool = False
) -> Path:
    """Write `.adrgen.yaml` into `folder`; an existing one is kept unless `force`."""
    path = folder / CONFIG_NAME
    if path.exists() and not force:
        raise AdrgenError(
            f"{path}: already exists; nothing was written (use --force to replace it)"
        )
    if path.exists() and not path.is_file():
        raise AdrgenError(f"{path}: exists and is not a file")
    write_text_atomic(path, config_text(team, records), overwrite=force)
    return path


def enclosing_config(folder: Path) -> Path | None:
    """A `.adrgen.yaml` above `folder` that a new one there would take the place of."""
    parent = folder.resolve().parent
    if parent == folder.resolve():
        return None
    return find_config(parent)


SITE_CONFIG = "mkdocs.yml"
SITE_DOCS = "docs"

# The team's site: the plugin makes every page (the dashboard at the root, the catalog, the
# decision log); pages of the team's own go in docs/, where an index.md replaces the
# dashboard as the home page (the dashboard is then under Decisions).
_SITE_TEXT = """\
# The team's decision site, written by `adrgen init`.
#   adrgen site build    writes it to site/ (open site/index.html)
#   adrgen site serve    serves it at http://127.0.0.1:8000 and rebuilds on every edit
# The adrgen plugin reads .adrgen.yaml for the record folder, catalog and overlay; its
# options are in adrgen's "How to use" page. Pages of your own go in {docs}/.
{site_name}
docs_dir: {docs}
site_dir: site
{exclude}
theme:
  name: material
  # the system's fonts: the site loads nothing from other hosts for its text
  font: false
  features:
    - navigation.prune
    - navigation.sections
    - navigation.top
    - search.highlight
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/brightness-4
        name: Switch to light mode

plugins:
  - search
  - adrgen
"""

EXTEND_SITE = "plugins: [search, adrgen]"


def site_config_text(team: str | None, records: str) -> str:
    """A minimal mkdocs.yml for the team; the record folder is kept out of the docs pages
    when it lies inside them (the plugin publishes each record through its own page)."""
    name = f"{team} decisions" if team else "Decisions"
    exclude = ""
    inside = Path(records.strip("/"))
    if inside.parts and inside.parts[0] == SITE_DOCS and len(inside.parts) > 1:
        # the records are published by the plugin, not as pages of the docs folder
        within = Path(*inside.parts[1:]).as_posix()
        exclude = f"exclude_docs: |\n  /{within}/\n"
    return _SITE_TEXT.format(
        site_name=dump({"site_name": name}).rstrip("\n"), docs=SITE_DOCS, exclude=exclude
    )


def existing_site_config(folder: Path) -> Path | None:
    """The mkdocs.yml `adrgen site` would use from `folder`, if there is one."""
    for name in SITE_CONFIGS:
        if (folder / name).is_file():
            return folder / name
    return None


def write_site(folder: Path, *, team: str | None, records: str | None) -> list[str]:
    """Make the record folder and, unless there is one, a mkdocs.yml; what was done, a line
    each, with how to extend an mkdocs.yml that was there already."""
    records = clean_text(records, single_line=True) if records else DEFAULT_RECORDS
    said = []
    record_dir = folder / records
    if not record_dir.is_dir():
        try:
            record_dir.mkdir(parents=True)
        except OSError as exc:
            raise AdrgenError(
                f"{record_dir}: cannot make the record folder: {exc.strerror}"
            ) from None
        said.append(f"made {record_dir}")
    existing = existing_site_config(folder)
    if existing is not None:
        text = existing.read_text(encoding="utf-8", errors="replace")
        if "adrgen" not in text:
            said.append(f"kept {existing}: add the adrgen plugin to it ({EXTEND_SITE})")
        return said
    docs = folder / SITE_DOCS
    docs.mkdir(exist_ok=True)
    path = folder / SITE_CONFIG
    write_text_atomic(path, site_config_text(team, records))
    said.append(f"wrote {path}: `adrgen site build` and `adrgen site serve` publish the decisions")
    return said
