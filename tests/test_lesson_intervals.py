"""experiments/lesson_intervals.py: one line per lesson question and per --also, with the paired
interval, the verdict, and residents only for shares of residents. Slow (runs a lesson twice)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "experiments" / "lesson_intervals.py"


@pytest.mark.slow
def test_lesson_intervals_prints_each_question_with_its_interval() -> None:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "les2", "--seeds", "2", "--workers", "1", "--also", "share_helping:arm-beroep@156"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout.splitlines()
    assert out[0].startswith("les2: 2 seeds (1..2), 500 residents, 312 weeks")
    lines = {line.split()[0]: line for line in out[1:]}
    assert set(lines) == {"v1", "v2", "v3", "v4", "v5", "also"}
    interval = re.compile(r"\[[+-]?\d+\.\d\d, [+-]?\d+\.\d\d\]")
    for qid in ("v2", "v3", "v4", "v5", "also"):
        assert interval.search(lines[qid]), lines[qid]
        assert ("not distinguishable" in lines[qid]) != (" difference;" in lines[qid]), lines[qid]
        assert "of 2" in lines[qid]
    # over-asked helpers are a share of helpers, not of residents: no count of residents
    assert "residents" not in lines["v2"] and "residents" in lines["also"]
    assert "of 500)" in lines["v5"]
