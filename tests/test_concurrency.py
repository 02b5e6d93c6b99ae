"""Many `adrgen new --no-input` processes at once in one folder: distinct numbers, whole files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from factsets import CLI_TO_DAEMON

from adrgen.files.safe_yaml import dump, parse_text
from adrgen.records.parse import parse_record, split_front_matter

PROCESSES = 20
FACTS = CLI_TO_DAEMON


def test_twenty_writers_at_once_get_twenty_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "decisions"
    (tmp_path / "answers").mkdir()
    commands = []
    for index in range(PROCESSES):
        # half share one title, so the same slug is raced for too
        title = "Same title" if index % 2 else f"Decision {index}"
        answers = tmp_path / "answers" / f"{index}.yaml"
        answers.write_text(dump({"title": title, "deciders": [f"writer-{index}"], "facts": FACTS}))
        commands.append(
            [
                sys.executable,
                "-m",
                "adrgen",
                "new",
                "--answers",
                str(answers),
                "--no-input",
                "--dir",
                str(folder),
            ]
        )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    running = [
        subprocess.Popen(
            c, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for c in commands
    ]
    outcomes = [(p.wait(timeout=120), *p.communicate()) for p in running]
    assert all(code == 0 for code, _, _ in outcomes), outcomes

    names = sorted(os.listdir(folder))
    assert len(names) == PROCESSES, names  # no temporary or lock file left behind
    numbers = sorted(int(name.split("-")[0]) for name in names)
    assert numbers == list(range(1, PROCESSES + 1))
    writers = set()
    for name in names:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert text.rstrip().endswith("Catalog: ipc-garden 1.0.")  # complete, not cut short
        front, _, _ = split_front_matter(text)
        meta, _ = parse_text(front)
        assert meta["number"] == int(name.split("-")[0])
        record = parse_record(path)
        assert record.problems == [] and record.format == "adrgen"
        writers.add(meta["deciders"][0])
    assert len(writers) == PROCESSES  # each writer's record, none lost or doubled
