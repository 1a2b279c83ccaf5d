"""End to end on tiny settings: an experiment over a 6-member ensemble (12 replications, N=120,
36 weeks), then `compare` with robustness verdicts, `discover` with PRIM boxes and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import CliRun
from tests.experiment.conftest import write_ensemble, write_experiment

from buurtsim.experiment import load_experiment, run_experiment
from buurtsim.experiment.robustness import HIGHER_IS_BETTER, verdict_from_differences

DISCOVERY = '\n[discovery]\na = "presentie"\nb = "carrousel"\nthreshold = 0.5\n'


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("worlds")
    write_ensemble(folder / "ens.json", 6)
    path = write_experiment(folder, names=("carrousel", "presentie"), replications=12,
                            extra=f'uncertainty = "ens.json"\npairs = [["presentie", "carrousel"]]\n{DISCOVERY}')
    manifest = run_experiment(load_experiment(path), folder / "out", backend="serial")
    assert manifest["status"] == "complete"
    return folder / "out"


def _end_differences(out: Path, metric: str) -> pd.Series:
    ts = pd.read_parquet(out / "timeseries.parquet")
    end = ts[ts["tick"] == ts["tick"].max()].set_index(["scenario", "replication"])[metric]
    return end["presentie"] - end["carrousel"]


def test_compare_states_the_share_of_worlds_with_its_interval(worlds: Path, run_cli: CliRun) -> None:
    code, out, err = run_cli("compare", str(worlds), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    rows = {r["metric"]: r for r in data["robustness"]}
    assert set(rows) == set(HIGHER_IS_BETTER)
    for metric, row in rows.items():
        expected = verdict_from_differences("presentie", "carrousel", metric, row["tick"], _end_differences(worlds, metric))
        assert (row["n"], row["wins"], row["ties"], row["verdict"]) == (12, expected.wins, expected.ties, expected.verdict)
    code, out, err = run_cli("compare", str(worlds), "--lang", "en")
    assert code == 0, err
    flat = " ".join(out.split())
    sr = rows["mean_self_reliance"]
    assert f"in {sr['wins']} of 12 plausible worlds presentie does better than carrousel" in flat
    assert "12 replications in 6 distinct ensemble members" in flat


def test_discover_prints_boxes_in_both_languages(worlds: Path, run_cli: CliRun) -> None:
    code, out, err = run_cli("discover", str(worlds), "--format", "json")  # a and b from the experiment's [discovery]
    assert code == 0, err
    found = json.loads(out)
    diffs = _end_differences(worlds, "mean_self_reliance")
    presence_better = int((diffs > 0).sum())
    assert (found["n"], found["a_better"]) == (12, presence_better)
    assert found["cases"] == (12 - presence_better if found["majority"] == "a" else presence_better)
    assert set(found["parameters"]) == {"professional_effect", "trust_build_weeks", "recovery_rate"}
    for box in found["boxes"]:
        assert box["density"] >= 0.5 and 0 < box["coverage"] <= 1
    code, nl, _ = run_cli("discover", str(worlds), "--a", "carrousel", "--b", "presentie", "--lang", "nl")
    assert code == 0 and "van de 12 werelden" in " ".join(nl.split())
    code, en, _ = run_cli("discover", str(worlds), "--lang", "en", "--threshold", "0.5")
    flat = " ".join(en.split())
    assert code == 0 and "of 12 worlds" in flat and ("Region 1: coverage" in flat or "found no region" in flat or "same way" in flat)


def test_discover_mistakes_exit_2(worlds: Path, run_cli: CliRun, tmp_path: Path) -> None:
    for args, needle in ((("--a", "basis"), "--a: 'basis' is not a scenario"), (("--metric", "geluk"), "--metric"),
                         (("--at", "morgen"), "--at"), (("--format", "xml"), "--format"), (("--boxes", "0"), "--boxes")):
        code, _, err = run_cli("discover", str(worlds), *args)
        assert code == 2 and needle in " ".join(err.split()) and "Traceback" not in err
    manifest = run_experiment(load_experiment(write_experiment(tmp_path)), tmp_path / "plain", backend="serial")
    assert manifest["status"] == "complete"
    code, _, err = run_cli("discover", str(tmp_path / "plain"), "--a", "carrousel", "--b", "basis")
    assert code == 2 and "no parameter varies" in " ".join(err.split())
    # results without plausible worlds (as written before ensembles existed) still compare, without verdicts
    code, out, err = run_cli("compare", str(tmp_path / "plain"), "--format", "json")
    assert code == 0, err
    assert "robustness" not in json.loads(out)


def test_report_shows_robustness_and_discovery(worlds: Path, run_cli: CliRun, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    code, _, err = run_cli("report", str(worlds), "--out", str(target), "--lang", "en")
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    assert "id='robustness'" in page and "plausible worlds presentie does better than carrousel" in page
    assert "id='discovery'" in page and "Where does it go the other way?" in page
    assert "intervals carry uncertainty about the parameters" in page and "ensemble members per replication" in page


def test_a_sweep_on_top_of_the_ensemble_is_compared_point_by_point_and_discovered(tmp_path: Path, run_cli: CliRun) -> None:
    write_ensemble(tmp_path / "ens.json", 3)
    path = write_experiment(tmp_path, names=("carrousel", "presentie"), replications=5,
                            extra='uncertainty = "ens.json"\npairs = [["presentie", "carrousel"]]\n\n'
                                  '[sweep]\nmethod = "grid"\n\n[sweep.grid]\ntie_decay = [0.01, 0.04]\n')
    manifest = run_experiment(load_experiment(path), tmp_path / "out", backend="serial")
    assert manifest["status"] == "complete"
    code, out, err = run_cli("compare", str(tmp_path / "out"), "--format", "json")
    assert code == 0, err
    pairs = {(r["a"], r["b"]) for r in json.loads(out)["robustness"]}
    assert pairs == {("presentie [p0]", "carrousel [p0]"), ("presentie [p1]", "carrousel [p1]")}
    code, out, err = run_cli("discover", str(tmp_path / "out"), "--a", "presentie", "--b", "carrousel", "--format", "json")
    assert code == 0, err
    found = json.loads(out)
    assert found["n"] == 10  # 2 points x 5 replications
    assert set(found["parameters"]) == {"professional_effect", "trust_build_weeks", "recovery_rate", "tie_decay"}
