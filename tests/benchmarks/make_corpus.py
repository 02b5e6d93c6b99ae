"""Make N realistic decision records, deterministically from a seed.

Mixed formats (adrgen records in MADR 4, Nygard and Y-statement bodies; 10% written by
other tools: adr-tools and MADR 2), statuses, supersede chains and links.

    python tests/benchmarks/make_corpus.py OUT_DIR --count 1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

from adrgen.files.safe_yaml import dump

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script, too
from factsets import CLI_TO_DAEMON  # noqa: E402

WORDS = [
    "build",
    "daemon",
    "plugin",
    "host",
    "sidecar",
    "socket",
    "pipeline",
    "frame",
    "buffer",
    "reload",
    "worker",
    "queue",
    "cache",
    "index",
    "journal",
    "agent",
    "broker",
    "codec",
    "render",
    "audio",
    "video",
    "metrics",
    "log",
    "shard",
    "replica",
    "scheduler",
]
FACT_SETS = [
    ({"relationship": "client-daemon"}, "unix-sockets"),
    ({"relationship": "pipeline", "data_volume": "moderate"}, "pipes"),
    ({"relationship": "plugin-host", "rpc_semantics": True}, "local-grpc"),
    ({"relationship": "peers", "data_volume": "high"}, "shared-memory"),
    ({"same_runtime": True, "process_isolation": False, "relationship": "peers"}, "channels"),
    ({"notify_only": True, "relationship": "parent-child"}, "signals"),
    ({"same_host": False}, "service-contract"),
]
BASE_FACTS = CLI_TO_DAEMON
PARAGRAPH = (
    "The {a} talks to the {b} on every request, and the team wants the exchange to survive a "
    "crash of either side. Latency matters more than throughput; the {c} stays on one host."
)


def _title(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, 3)).capitalize() + f" for the {rng.choice(WORDS)}"


def _slug(title: str) -> str:
    return "-".join(title.lower().split())


def _madr_body(title: str, mechanism: str, context: str, link_lines: list[str]) -> str:
    return (
        f"# {title}\n\n"
        + "".join(f"{line}\n\n" for line in link_lines)
        + "## Context and Problem Statement\n\n"
        f"{context}\n\n## Decision Drivers\n\n* isolation\n* simplicity\n\n## Considered Options\n\n"
        f'* {mechanism}\n* pipes\n\n## Decision Outcome\n\nChosen option: "{mechanism}".\n\n'
        "### Consequences\n\n* Good, because it is simple.\n\n### Confirmation\n\nDesign review.\n\n"
        "## Pros and Cons of the Options\n\n### pipes\n\n* Good, because lowest ceremony\n\n"
        "## More Information\n\nGenerated for benchmarks.\n"
    )


def _nygard_body(title: str, number: int, status: str, context: str, link_lines: list[str]) -> str:
    links = "".join(f"\n{line}\n" for line in link_lines)
    return (
        f"# {number}. {title}\n\nDate: 2024-01-01\n\n## Status\n\n{status.capitalize()}\n{links}\n"
        f"## Context\n\n{context}\n\n## Decision\n\nWe will do it.\n\n## Consequences\n\nFewer surprises.\n"
    )


def make_corpus(out: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    start = date(2019, 1, 1)
    paths: list[Path] = []
    names: list[str] = []
    superseded_by: dict[int, str] = {}
    for number in range(1, count + 1):
        title = _title(rng)
        name = f"{number:04d}-{_slug(title)}.md"
        names.append(name)
        paths.append(out / name)
    for index, path in enumerate(paths):
        number = index + 1
        title = path.stem.split("-", 1)[1].replace("-", " ").capitalize()
        when = (start + timedelta(days=index % 2000)).isoformat()
        facts_extra, mechanism = rng.choice(FACT_SETS)
        facts = dict(BASE_FACTS, **facts_extra)
        context = PARAGRAPH.format(a=rng.choice(WORDS), b=rng.choice(WORDS), c=rng.choice(WORDS))
        status = rng.choice(["accepted"] * 6 + ["proposed"] * 2 + ["deprecated", "rejected"])
        links: list[dict] = []
        supersedes: list[str] = []
        if index > 10 and rng.random() < 0.08:
            old = rng.randrange(0, index)
            if old + 1 not in superseded_by:
                supersedes.append(names[old])
                superseded_by[old + 1] = names[index]
        if index > 5 and rng.random() < 0.1:
            links.append({"kind": "relates", "target": names[rng.randrange(0, index)]})
        kind = rng.random()
        link_lines = [f"Supersedes [{s}]({s})" for s in supersedes]
        link_lines += [f"Relates to [{link['target']}]({link['target']})" for link in links]
        if kind < 0.05:  # adr-tools
            path.write_text(_nygard_body(title, number, status, context, link_lines))
            continue
        if kind < 0.10:  # MADR 2
            path.write_text(
                f"# {title}\n\n- Status: {status}\n- Date: {when}\n\n## Context and Problem Statement\n\n"
                f"{context}\n\n## Decision Outcome\n\nChosen option: {mechanism}.\n"
            )
            continue
        template = rng.choice(["madr", "madr", "nygard", "y-statement"])
        meta = {
            "number": number,
            "title": title,
            "status": status,
            "date": when,
            "deciders": rng.sample(["ana", "bo", "chen", "dee", "eli"], 2),
            "mechanism": mechanism,
            "outcome": "service-contract" if mechanism == "service-contract" else "ipc",
            "recommended": mechanism,
            "template": template,
            "catalog": {"name": "ipc-garden", "version": "1.0", "overlay": None},
            "tags": rng.sample(["platform", "storage", "edge", "tooling"], 1),
            "supersedes": supersedes,
            "superseded_by": None,
            "links": links,
            "fields": {},
            "answers": {"title": title, "context": context, "deciders": [], "facts": facts},
        }
        body = (
            _nygard_body(title, number, status, context, link_lines)
            if template == "nygard"
            else _madr_body(title, mechanism, context, link_lines)
        )
        path.write_text(f"---\n{dump(meta)}---\n{body}")
    # second pass: the superseded records name their successor, as `adrgen supersede` would
    for number, successor in superseded_by.items():
        path = paths[number - 1]
        text = path.read_text()
        if text.startswith("---\n"):
            text = text.replace("superseded_by: null", f"superseded_by: {successor}", 1)
            text = text.replace("\nstatus: accepted\n", "\nstatus: superseded\n", 1)
            text = text.replace("\nstatus: proposed\n", "\nstatus: superseded\n", 1)
        else:
            text = text.replace(
                "\n## Context", f"\nSuperseded by [{successor}]({successor})\n\n## Context", 1
            )
        path.write_text(text)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = make_corpus(args.out, args.count, args.seed)
    print(f"{len(paths)} records in {args.out}")


if __name__ == "__main__":
    main()
