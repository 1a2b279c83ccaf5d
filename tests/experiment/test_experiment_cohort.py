"""The effect on the reached residents: paired runs start from the same residents, the per-run record
follows them, and the answer compares the same residents in the scenario and in the baseline."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from tests.experiment.conftest import write_experiment

from buurtsim.experiment import load_experiment, plan_runs, run_experiment
from buurtsim.experiment.answer import summarise
from buurtsim.experiment.cohort import Cohort, fingerprint, load, reached_effect
from buurtsim.experiment.runner import build_model
from buurtsim.experiment.store import RUNS_DIR, cohort_path, load_manifest


def test_paired_runs_start_with_the_same_residents(tmp_path: Path) -> None:
    """Warm start: replication r of every scenario has the same ids and self-reliance at tick 0;
    another replication (another seed) does not."""
    exp = load_experiment(write_experiment(tmp_path, names=("basis", "carrousel", "presentie")))
    specs = {(s.scenario, s.replication): s for s in plan_runs(exp)}
    start = {}
    for key, spec in specs.items():
        model = build_model(spec)
        alive = np.flatnonzero(model.state.alive)
        start[key] = (model.state.uid[alive].copy(), model.state.self_reliance[alive].copy(), Cohort(model).start)
    for rep in (0, 1):
        uid, sr, fp = start[("basis", rep)]
        for scen in ("carrousel", "presentie"):
            other_uid, other_sr, other_fp = start[(scen, rep)]
            assert np.array_equal(uid, other_uid)
            assert np.array_equal(sr, other_sr)
            assert fp == other_fp
    assert start[("basis", 0)][2] != start[("basis", 1)][2]
    assert fingerprint(start[("basis", 0)][0], start[("basis", 0)][1]) == start[("basis", 0)][2]


def test_the_cohort_follows_the_model(tmp_path: Path) -> None:
    """Week by week: who left is who no longer lives in their dwelling; the reached flag of those still
    here equals the model's own 'ever reached'; nobody returns once gone."""
    exp = load_experiment(write_experiment(tmp_path, names=("basis", "carrousel")))
    spec = next(s for s in plan_runs(exp) if s.scenario == "carrousel")
    model = build_model(spec)
    cohort = Cohort(model)
    left_before = cohort.left.copy()
    for _ in range(20):
        model.step()
        cohort.update(model)
        assert np.all(cohort.left >= left_before)
        left_before = cohort.left.copy()
    st = model.state
    here = ~cohort.left
    assert np.array_equal(st.alive[cohort.slots[here]] & (st.uid[cohort.slots[here]] == cohort.uid[here]), np.ones(here.sum(), bool))
    assert np.array_equal(cohort.reached[here], st.reached[cohort.slots[here]])
    assert cohort.reached.any() and not cohort.reached.all()
    rec = cohort.record(model)
    assert np.array_equal(rec["end_self_reliance"][here], st.self_reliance[cohort.slots[here]])


def record(reached: list[bool], left: list[bool], end: list[float], fp: str = "x", uid: list[int] | None = None) -> dict[str, np.ndarray]:
    n = len(reached)
    return {"uid": np.array(uid or list(range(n)), np.int64), "reached": np.array(reached), "left": np.array(left),
            "end_self_reliance": np.array(end, float), "fingerprint": np.array([fp])}


def test_the_effect_on_the_reached_matches_a_hand_computation() -> None:
    nan = math.nan
    a = record([True, True, True, False, True], [False, False, True, False, False], [0.6, 0.5, nan, 0.2, 0.7])
    b = record([False, False, False, False, False], [False, True, False, False, False], [0.4, nan, 0.3, 0.9, 0.5])
    e = reached_effect(a, b)
    assert e is not None
    assert e.reached == 4  # ids 0, 1, 2, 4
    assert e.compared == 2  # 0 and 4: 1 left in b, 2 left in a
    assert e.points == pytest.approx(100 * ((0.6 - 0.4) + (0.7 - 0.5)) / 2)
    assert (e.moved_scenario, e.moved_baseline) == (1, 1)  # id 2 left in a, id 1 in b
    assert reached_effect(a, record([False] * 5, [False] * 5, [0.5] * 5, fp="other")) is None
    assert reached_effect(a, record([False] * 5, [False] * 5, [0.5] * 5, uid=[0, 1, 2, 3, 9])) is None


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cohort")
    exp = load_experiment(write_experiment(folder, names=("basis", "carrousel"), replications=3))
    out = folder / "out"
    manifest = run_experiment(exp, out, backend="serial")
    assert manifest["status"] == "complete"
    return out


def test_every_run_stores_its_starting_residents(finished: Path) -> None:
    manifest = load_manifest(finished)
    for run in manifest["runs"]:
        rec = load(cohort_path(finished, run["run_id"]))
        assert rec is not None and rec["uid"].size > 0
        assert run["cohort_sha256"]
        here = ~rec["left"]
        assert np.all(np.isfinite(rec["end_self_reliance"][here])) and np.all(np.isnan(rec["end_self_reliance"][~here]))
        if run["scenario"] == "basis":
            assert not rec["reached"].any()  # no policy, nobody reached


def test_the_answer_reports_the_effect_on_the_reached(finished: Path) -> None:
    _, found = summarise(finished, lang="en")
    (_scenario, lines, _social), = found
    text = " ".join(lines)
    assert "Effect on the reached" in text and "compared with the same residents in basis" in text
    nl = " ".join(summarise(finished, lang="nl")[1][0][1])
    assert "Effect op de bereikten" in nl and "Effect on" not in nl
    # the reached starting residents are among everyone ever reached
    manifest = load_manifest(finished)
    reached = [load(cohort_path(finished, r["run_id"]))["reached"].sum() for r in manifest["runs"] if r["scenario"] == "carrousel"]  # type: ignore[index]
    assert min(reached) > 0


def test_old_results_without_records_still_open_with_a_note(finished: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(finished, old)
    for f in (old / RUNS_DIR).glob("*.cohort.npz"):
        f.unlink()
    _, found = summarise(old, lang="en")
    text = " ".join(found[0][1])
    assert "Effect on the reached" not in text
    assert "have no resident record" in text and "--out NEW_FOLDER" in text


def test_the_report_and_the_workbook_carry_the_effect(finished: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from buurtsim.experiment import build_report
    from buurtsim.experiment.workbook import write_workbook

    page = build_report(finished, tmp_path / "report.html", lang="en").read_text(encoding="utf-8")
    assert "Effect on the reached" in page and "compared with the same residents in basis" in page
    book = load_workbook(write_workbook(finished, tmp_path / "book.xlsx", lang="en"))
    labels = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert "Self-reliance of the reached against the same residents in the baseline" in labels
