"""Helpers for the site tests: write records and an mkdocs.yml in a temporary folder, build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_DOCS = ROOT / "site" / "docs"
MECHANISMS = [
    "pipes",
    "unix-sockets",
    "channels",
    "local-grpc",
    "shared-memory",
    "signals",
    "service-contract",
    "remote-rpc",
]
STATUSES = ["accepted", "proposed", "superseded", "deprecated", "rejected"]


def adrgen_record(
    folder: Path,
    number: int,
    title: str,
    *,
    mechanism: str = "unix-sockets",
    status: str = "accepted",
    date: str = "2024-01-01",
    deciders: tuple[str, ...] = ("ana", "bo"),
    tags: tuple[str, ...] = (),
    context: str = "The peers run on one host.",
    supersedes: str | None = None,
    body_extra: str = "",
) -> Path:
    """A record as adrgen writes it: YAML front matter, then a MADR-style body."""
    slug = "-".join(title.lower().split())[:40].strip("-")
    slug = "".join(ch for ch in slug if ch.isalnum() or ch == "-") or "record"
    path = folder / f"{number:04d}-{slug}.md"
    meta = {
        "title": title,
        "status": status,
        "date": date,
        "deciders": list(deciders),
        "mechanism": mechanism,
        "outcome": "service-contract" if mechanism == "service-contract" else "ipc",
        "tags": list(tags),
        "answers": {"title": title, "context": context, "facts": {"same_host": True}},
    }
    if supersedes:
        meta["supersedes"] = [supersedes]
    # JSON is YAML: every value stays a plain string however odd the test's text is
    front = "\n".join(f"{key}: {json.dumps(value)}" for key, value in meta.items())
    path.write_text(
        f"---\n{front}\n---\n\n# {title}\n\n## Context and Problem Statement\n\n{context}\n\n"
        f"## Decision Outcome\n\nChosen option: {mechanism}.\n{body_extra}",
        encoding="utf-8",
    )
    return path


def generated_records(folder: Path, count: int, start: int = 1) -> list[Path]:
    """`count` adrgen records with varied mechanisms, statuses, dates and supersede links."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        number = start + index
        supersedes = f"{number - 1:04d}" if index % 10 == 9 else None
        paths.append(
            adrgen_record(
                folder,
                number,
                f"Generated decision {number} about component {number % 17}",
                mechanism=MECHANISMS[index % len(MECHANISMS)],
                status=STATUSES[index % len(STATUSES)],
                date=f"20{10 + index // 365 % 15:02d}-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
                tags=(f"area-{index % 5}",),
                context=f"Component {number % 17} needs to exchange messages, case {number}.",
                supersedes=supersedes,
            )
        )
    return paths


def write_config(
    folder: Path,
    records: list[Path],
    *,
    site_dir: Path | None = None,
    docs_dir: Path = SITE_DOCS,
    plugin_extra: str = "",
) -> Path:
    """An mkdocs.yml like the project's own, publishing `records`."""
    config = folder / "mkdocs.yml"
    record_lines = "\n".join(f"        - {json.dumps(str(r))}" for r in records)
    config.write_text(
        f"""site_name: adrgen test site
docs_dir: {json.dumps(str(docs_dir))}
site_dir: {json.dumps(str(site_dir or folder / "public"))}
theme:
  name: material
  font: false
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {{icon: material/brightness-7, name: Switch to dark mode}}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {{icon: material/brightness-4, name: Switch to light mode}}
nav:
  - Home: index.md
  - How to use: how-to-use.md
plugins:
  - search
  - tags
  - adrgen:
      catalog: {json.dumps(str(ROOT / "catalog"))}
      records:
{record_lines}
{plugin_extra}
markdown_extensions:
  - admonition
  - attr_list
  - toc:
      permalink: true
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
""",
        encoding="utf-8",
    )
    return config


def build_in_process(config: Path, strict: bool = True) -> Path:
    from adrgen.site.build import build_with_mkdocs

    return build_with_mkdocs(config, strict=strict)


def mkdocs_subprocess(config: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    """Plain `mkdocs build`, as a user runs it, with the theme's end-of-life notice off."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site_dir), *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def log_html(site_dir: Path) -> str:
    """Every page of the decision log, concatenated."""
    pages = [site_dir / "decisions" / "index.html"]
    log_dir = site_dir / "decisions" / "log"
    if log_dir.is_dir():
        pages += sorted(log_dir.glob("*/index.html"), key=lambda p: int(p.parent.name))
    return "\n".join(p.read_text(encoding="utf-8") for p in pages)
