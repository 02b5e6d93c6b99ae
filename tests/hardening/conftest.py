from __future__ import annotations

from pathlib import Path

import pytest

from .harness import Team, make_team


@pytest.fixture
def team(tmp_path: Path) -> Team:
    return make_team(tmp_path / "team")
