"""Fixtures for the teaching tests: the test lesson 'les9' in a temporary folder and its metrics."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from teaching_helpers import LESSON_TOML, frame

from buurtsim.teaching import Lesson, load_lesson


@pytest.fixture
def lesson(tmp_path: Path) -> Lesson:
    """The test lesson 'les9' (three questions: value, compare, change)."""
    path = tmp_path / "les9.toml"
    path.write_text(LESSON_TOML, encoding="utf-8")
    return load_lesson(path)


@pytest.fixture
def metrics() -> dict[str, pd.DataFrame]:
    """Metrics per scenario: a has share_strong 0.4 and self-reliance rising 0.50 -> 0.60; b flat at
    0.52 with moved_out 1 per week up to week 5 and 3 per week after."""
    ramp = np.linspace(0.50, 0.60, 11)
    moved = np.where(np.arange(11) <= 5, 1.0, 3.0)
    return {
        "a": frame({"share_strong": 0.4, "mean_self_reliance": ramp}),
        "b": frame({"mean_self_reliance": 0.52, "moved_out": moved}),
    }
