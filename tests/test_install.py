"""A plain (non-editable) install finds the shipped catalog and templates from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def run(*args: str | os.PathLike, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def test_wheel_install_works_from_another_directory(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", wheels, REPO, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    wheel = next(wheels.glob("adrgen-*.whl"))

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    installed = run(python, "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    adrgen = env_dir / "bin" / "adrgen"
    validated = run(adrgen, "catalog", "validate", cwd=elsewhere)
    assert validated.returncode == 0, validated.stderr
    assert "8 mechanisms" in validated.stdout
    assert (
        str(env_dir) in validated.stdout
    )  # the catalog inside the installed package, not the checkout

    shipped = run(
        python,
        "-c",
        "from adrgen import resources; print(resources.templates_dir())",
        cwd=elsewhere,
    )
    assert str(env_dir) in shipped.stdout
    assert any(Path(shipped.stdout.strip()).glob("*.j2")) or not any(
        (REPO / "templates").glob("*.j2")
    )
