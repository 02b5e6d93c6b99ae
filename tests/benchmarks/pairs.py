"""Interleaved runs of two commands: A, B, A, B, ... and the median of the pair ratios.

    python tests/benchmarks/pairs.py --pairs 5 \\
        "new=adrgen site build --mkdocs-file site/mkdocs.yml" \\
        "old=PYTHONHASHSEED=0 ../before/.venv/bin/adrgen site build --mkdocs-file site/mkdocs.yml"

Each argument is LABEL=COMMAND; a command may start with VAR=value words, set in its
environment. One run of each goes first and is not counted (it warms caches and leaves a
site folder, so every counted run is a rebuild). On a shared machine the speed drifts
within minutes: a run compared with the run of the other command just before it is
steadier than two medians. The load average (`uptime`) is printed before and after, and
beside the wall time of each run the CPU time it used (user and system, its child
processes included), which other people's work on the machine disturbs less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass
class Command:
    label: str
    env: dict[str, str]
    args: list[str]

    @classmethod
    def parse(cls, text: str) -> Command:
        label, _, command = text.partition("=")
        words = shlex.split(command)
        env = {}
        while words and "=" in words[0] and not words[0].startswith("-"):
            name, _, value = words.pop(0).partition("=")
            env[name] = value
        if not label or not words:
            raise SystemExit(f"expected LABEL=COMMAND, got {text!r}")
        return cls(label, env, words)

    def run(self) -> tuple[float, float]:
        """Wall seconds and CPU seconds of one run."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            self.args,
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return wall, cpu


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", help="LABEL=COMMAND, the one measured")
    parser.add_argument("b", help="LABEL=COMMAND, the one it is compared with")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--json", help="append the result to this file as one JSON line")
    args = parser.parse_args()
    a, b = Command.parse(args.a), Command.parse(args.b)
    before = load()
    print(f"load before: {before}", flush=True)
    a.run()
    b.run()
    pairs, cpu_pairs = [], []
    for number in range(1, args.pairs + 1):
        seconds_a, cpu_a = a.run()
        seconds_b, cpu_b = b.run()
        pairs.append((seconds_a, seconds_b))
        cpu_pairs.append((cpu_a, cpu_b))
        print(
            f"  pair {number}: {a.label} {seconds_a:.2f} s (CPU {cpu_a:.2f} s), "
            f"{b.label} {seconds_b:.2f} s (CPU {cpu_b:.2f} s), ratio {seconds_a / seconds_b:.3f}",
            flush=True,
        )
    after = load()
    ratio = statistics.median(sa / sb for sa, sb in pairs)
    cpu_ratio = statistics.median(ca / cb for ca, cb in cpu_pairs)
    print(f"load after: {after}")
    print(
        f"median {a.label} {statistics.median(p[0] for p in pairs):.2f} s, "
        f"{b.label} {statistics.median(p[1] for p in pairs):.2f} s; "
        f"median ratio {a.label}/{b.label} {ratio:.3f}: {a.label} saves {1 - ratio:.1%} "
        f"(CPU time: ratio {cpu_ratio:.3f}, saves {1 - cpu_ratio:.1%})"
    )
    if args.json:
        with open(args.json, "a", encoding="utf-8") as out:
            record = {
                "a": args.a,
                "b": args.b,
                "pairs": pairs,
                "cpu_pairs": cpu_pairs,
                "median_ratio": ratio,
                "median_cpu_ratio": cpu_ratio,
                "load_before": before,
                "load_after": after,
            }
            out.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
