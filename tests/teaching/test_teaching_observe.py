"""Reading outcomes from metric tables and lesson-file validation (no model runs)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from teaching_helpers import LESSON_TOML, frame

from buurtsim.teaching import load_lesson, observe, read_metric
from buurtsim.teaching.lesson import LessonError


def test_value_question_reads_the_tick_in_percent(lesson, metrics) -> None:
    obs = observe(lesson, metrics)
    assert obs["v1"].value == pytest.approx(40.0)
    assert obs["v1"].values == {"a": pytest.approx(40.0)}
    assert "40,0%" in obs["v1"].text


def test_compare_uses_the_window_mean_and_scale(lesson, metrics) -> None:
    obs = observe(lesson, metrics)["v2"]
    # a: mean of weeks 8, 9, 10 of the ramp 0.50 -> 0.60 = 0.59 -> 59 points; b: 52 points
    assert obs.values["a"] == pytest.approx(59.0)
    assert obs.values["b"] == pytest.approx(52.0)
    assert obs.value == "a"


def test_compare_within_tolerance_is_about_equal(lesson, metrics) -> None:
    metrics["b"] = frame({"mean_self_reliance": 0.588})
    assert observe(lesson, metrics)["v2"].value == "gelijk"
    metrics["b"] = frame({"mean_self_reliance": 0.60})
    assert observe(lesson, metrics)["v2"].value == "b"


def test_change_sums_the_window_at_both_ticks(lesson, metrics) -> None:
    obs = observe(lesson, metrics)["v3"]
    # week 2 window (1, 2): 1 + 1 = 2; week 10 window (9, 10): 3 + 3 = 6
    assert obs.values == {"week 2": pytest.approx(2.0), "week 10": pytest.approx(6.0)}
    assert obs.value == "stijgt"
    metrics["b"] = frame({"moved_out": 1.0})
    assert observe(lesson, metrics)["v3"].value == "gelijk"


def test_run_too_short_is_a_clear_error(lesson, metrics) -> None:
    metrics["a"] = metrics["a"].iloc[:5]
    with pytest.raises(LessonError, match=r"question v1 reads week 10, but the run only reached week 4"):
        observe(lesson, metrics)


def test_missing_scenario_metrics_is_a_clear_error(lesson, metrics) -> None:
    del metrics["b"]
    with pytest.raises(LessonError, match=r"no metrics for scenario 'b'"):
        observe(lesson, metrics)


def test_read_metric_missing_column(lesson) -> None:
    df = pd.DataFrame({"tick": [0, 1]}).set_index("tick")
    with pytest.raises(LessonError, match="no column 'share_strong'"):
        read_metric(df, lesson.question("v1"), 1, "a")


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "les9.toml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('metric = "share_strong"', 'metric = "share_strnog"', r"questions\.v1\.metric: unknown metric 'share_strnog' \(did you mean: share_strong"),
        ('scenarios = ["a", "b"]\ntick = 10\nwindow = 3', 'scenarios = ["a"]\ntick = 10\nwindow = 3', r"questions\.v2: a compare question needs 2 scenario"),
        ('scenarios = ["b"]', 'scenarios = ["c"]', r"question v3: unknown scenario key\(s\) \['c'\]"),
        ("duration_min = 45", "duration_min = 30", r"duration_min: Input should be greater than or equal to 45"),
        ('themes = ["presentie"]', 'themes = ["presence"]', r"themes: unknown theme"),
        ("from_tick = 2", "from_tick = 12", r"from_tick \(12\) must be before tick \(10\)"),
        ("tick = 10\n\n[[questions]]\nid = \"v2\"", 'tick = "1 eeuw"\n\n[[questions]]\nid = "v2"', r"questions\.v1\.tick"),
        ('title = "Testles"\n', "", r"title: Field required"),
        ('key = "b"', 'key = "gelijk"', r"scenario key\(s\) \['gelijk'\] are answer words"),
    ],
)
def test_bad_lesson_file_names_file_and_field(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in LESSON_TOML
    path = _write(tmp_path, LESSON_TOML.replace(old, new, 1))
    with pytest.raises(LessonError, match=message) as info:
        load_lesson(path)
    assert str(path) in str(info.value)


def test_lesson_file_not_toml_or_missing(tmp_path: Path) -> None:
    path = _write(tmp_path, "id = [")
    with pytest.raises(LessonError, match=r"les9\.toml: not valid TOML"):
        load_lesson(path)
    with pytest.raises(LessonError, match="lesson file does not exist"):
        load_lesson(tmp_path / "nope.toml")


def test_horizon_before_a_question_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, 'horizon = 5\n' + LESSON_TOML)
    with pytest.raises(LessonError, match=r"horizon \(5 weeks\) is before the latest question tick \(10\)"):
        load_lesson(path)


def test_run_weeks_is_latest_question_tick(lesson) -> None:
    assert lesson.run_weeks == 10
    assert [o.key for o in lesson.options("v2")] == ["a", "b", "gelijk"]
    assert [o.key for o in lesson.options("v3")] == ["stijgt", "daalt", "gelijk"]
    assert lesson.options("v1") == []
