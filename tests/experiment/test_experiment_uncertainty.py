"""Experiments over plausible worlds: uncertainty = an ensemble, paired members and seeds, levers win,
the manifest records the worlds, resume works, bad ensembles stop before anything runs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import CliRun
from tests.experiment.conftest import ENSEMBLE_PARAMS, write_ensemble, write_experiment, write_scenario

from buurtsim.experiment import ExperimentError, load_experiment, plan_runs, run_experiment
from buurtsim.experiment.runner import RunResult, RunSpec, execute_run


def _exp(tmp_path: Path, replications: int = 4, members: int = 3, extra: str = "", names: tuple[str, ...] = ("basis", "carrousel"), **kw) -> Path:
    write_ensemble(tmp_path / "ens.json", members, **kw)
    return write_experiment(tmp_path, names=names, replications=replications, extra=f'uncertainty = "ens.json"\n{extra}')


def test_replication_r_of_every_scenario_runs_in_the_same_member_with_the_same_seed(tmp_path: Path) -> None:
    exp = load_experiment(_exp(tmp_path))
    assert exp.worlds is not None
    assert exp.worlds.members == (0, 1, 2, 0)  # equal weights: file order, cycling
    runs = plan_runs(exp)
    by_rep: dict[int, set[tuple]] = {}
    for run in runs:
        by_rep.setdefault(run.replication, set()).add((run.member, run.seed, run.member_params))
    assert all(len(v) == 1 for v in by_rep.values())  # paired: one world per replication
    members = exp.worlds.ensemble.members
    for run in runs:
        assert dict(run.overrides) == pytest.approx(members[run.member].params)
    assert len({run.seed for run in runs}) == 4  # replications 0 and 3 share a member, not a seed


def test_weights_decide_which_members_are_picked(tmp_path: Path) -> None:
    exp = load_experiment(_exp(tmp_path, replications=5, weights=[0.0, 0.0, 1.0]))
    assert exp.worlds is not None and exp.worlds.members == (2, 2, 2, 2, 2)


def test_levers_win_over_the_ensemble_and_the_manifest_says_so(tmp_path: Path) -> None:
    write_ensemble(tmp_path / "ens.json", 3)
    for name in ("basis", "carrousel"):
        write_scenario(tmp_path, name)
    # a scenario that sets a calibrated parameter itself: its own value is the question it asks
    (tmp_path / "snel.toml").write_text(
        '[scenario]\nname = "snel"\ntitle = "snel"\nhorizon = 36\nseed = 5\n\n[neighbourhood]\nn_residents = 120\n\n'
        "[params]\nburn_in_weeks = 4\nclustering_sample = 60\ntrust_build_weeks = 4.0\n", encoding="utf-8")
    path = tmp_path / "exp.toml"
    path.write_text('[experiment]\nname = "lev"\nscenarios = ["basis.toml", "snel.toml"]\nreplications = 3\nmaster_seed = 2\n'
                    'uncertainty = "ens.json"\nparams = { recovery_rate = 0.03 }\n\n[sweep]\nmethod = "grid"\n\n'
                    "[sweep.grid]\nprofessional_effect = [0.01, 0.02]\n", encoding="utf-8")
    exp = load_experiment(path)
    for run in plan_runs(exp):
        o = dict(run.overrides)
        assert o["recovery_rate"] == 0.03  # the experiment's params
        assert o["professional_effect"] == [0.01, 0.02][run.point]  # the sweep point
        member = exp.worlds.ensemble.members[run.member].params
        if run.scenario == "snel":
            assert "trust_build_weeks" not in o and "trust_build_weeks" not in dict(run.member_params)
        else:
            assert o["trust_build_weeks"] == pytest.approx(member["trust_build_weeks"])
    info = exp.uncertainty_info()
    assert info["fixed_by_levers"] == {"basis": ["professional_effect", "recovery_rate"],
                                       "snel": ["professional_effect", "recovery_rate", "trust_build_weeks"]}
    spec = next(r for r in plan_runs(exp) if r.scenario == "snel")
    model = __import__("buurtsim.experiment.runner", fromlist=["build_model"]).build_model(spec)
    assert model.params.trust_build_weeks == 4.0


def test_results_record_member_and_parameters_per_run_and_resume_redoes_only_the_missing(tmp_path: Path) -> None:
    exp = load_experiment(_exp(tmp_path, replications=3))

    def flaky(spec: RunSpec) -> RunResult:
        if spec.run_id == "carrousel__r0001":
            return RunResult(run_id=spec.run_id, status="failed", duration_s=0.0, error="boom")
        return execute_run(spec)

    first = run_experiment(exp, tmp_path / "out", backend="serial", work=flaky)
    assert first["status"] == "incomplete"
    unc = first["experiment"]["uncertainty"]
    assert unc["replication_members"] == [0, 1, 2] and unc["parameters"] == list(ENSEMBLE_PARAMS)
    assert unc["sha256"] == hashlib.sha256((tmp_path / "ens.json").read_bytes()).hexdigest()
    done: list[str] = []

    def counting(spec: RunSpec) -> RunResult:
        done.append(spec.run_id)
        return execute_run(spec)

    second = run_experiment(exp, tmp_path / "out", backend="serial", resume=True, work=counting)
    assert done == ["carrousel__r0001"] and second["status"] == "complete"
    members = exp.worlds.ensemble.members
    for entry in second["runs"]:
        assert entry["member_params"] == pytest.approx(members[entry["member"]].params)
        assert entry["member"] == entry["replication"]
    ts = pd.read_parquet(tmp_path / "out" / "timeseries.parquet")
    assert (ts["member"] == ts["replication"]).all()


def test_a_changed_ensemble_is_another_experiment(tmp_path: Path) -> None:
    path = _exp(tmp_path)
    before = load_experiment(path).identity()
    write_ensemble(tmp_path / "ens.json", 3, seed=99)
    assert load_experiment(path).identity() != before


def test_identity_of_an_experiment_without_the_new_fields_is_unchanged(mini: Path) -> None:
    """Results written before ensembles existed keep their identity, so they resume."""
    exp = load_experiment(mini)
    spec = exp.spec.model_dump(mode="json")
    for key in ("uncertainty", "pairs"):
        del spec["experiment"][key]
    del spec["discovery"]
    old = {"spec": spec, "scenarios": [(s.name, s.digest) for s in exp.scenarios], "fixed_seeds": None}
    assert exp.identity() == hashlib.sha256(json.dumps(old, sort_keys=True).encode()).hexdigest()


def _broken(tmp_path: Path, mutate) -> Path:
    path = _exp(tmp_path)
    data = json.loads((tmp_path / "ens.json").read_text(encoding="utf-8"))
    mutate(data)
    (tmp_path / "ens.json").write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda d: d["members"][1]["params"].update(professional_effect="veel"), "members[1].params.professional_effect"),
    (lambda d: d["provenance"].update(model_version="0.0.1"), "provenance.model_version"),
    (lambda d: d.update(parameters=["not_a_parameter", *d["parameters"][1:]]), "parameters"),
    (lambda d: d["members"][0]["params"].update(professional_effect=-5.0), "members[0].params"),
])
def test_a_bad_ensemble_names_the_experiment_field_and_the_ensemble_field(tmp_path: Path, mutate, field: str) -> None:
    path = _broken(tmp_path, mutate)
    with pytest.raises(ExperimentError) as err:
        load_experiment(path)
    text = str(err.value)
    assert str(path) in text and "experiment.uncertainty" in text and "ens.json" in text and field in text
    assert err.value.exit_code == 2


@pytest.mark.parametrize(("value", "why"), [
    ("missing.json", "not found"), ("ens.txt", "not a .json file"), ("", "empty"), ("sub", "not a .json file"),
])
def test_an_ensemble_that_cannot_be_read_is_refused(tmp_path: Path, value: str, why: str) -> None:
    write_ensemble(tmp_path / "ens.json", 3)
    (tmp_path / "sub").mkdir()
    path = write_experiment(tmp_path, extra=f'uncertainty = "{value}"\n')
    with pytest.raises(ExperimentError, match=r"experiment\.uncertainty") as err:
        load_experiment(path)
    assert why in str(err.value)


def test_an_oversized_or_folder_ensemble_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _exp(tmp_path)
    monkeypatch.setattr("buurtsim.ensemble.MAX_ENSEMBLE_BYTES", 100)
    with pytest.raises(ExperimentError, match="too large"):
        load_experiment(path)
    monkeypatch.undo()
    (tmp_path / "dir.json").mkdir()
    path.write_text(path.read_text(encoding="utf-8").replace('"ens.json"', '"dir.json"'), encoding="utf-8")
    with pytest.raises(ExperimentError, match="folder"):
        load_experiment(path)


def test_the_cli_stops_with_exit_2_before_anything_runs(tmp_path: Path, run_cli: CliRun) -> None:
    path = _broken(tmp_path, lambda d: d["members"][2].pop("seed"))
    out = tmp_path / "out"
    code, _, err = run_cli("experiment", str(path), "--out", str(out), "--backend", "serial")
    flat = " ".join(err.split())
    assert code == 2 and "Traceback" not in err
    assert "experiment.uncertainty" in flat and "members[2].seed" in flat and "a whole number" in flat
    assert not out.exists()


def test_pairs_and_discovery_name_the_experiments_scenarios(tmp_path: Path) -> None:
    path = _exp(tmp_path, extra='pairs = [["carrousel", "basis"], ["basis", "nieuw"]]\n')
    with pytest.raises(ExperimentError, match=r"experiment\.pairs\.1.*not one of the experiment's scenarios"):
        load_experiment(path)
    path = write_experiment(tmp_path, extra='\n[discovery]\na = "carrousel"\nb = "basis"\n', file="d.toml")
    with pytest.raises(ExperimentError, match="nothing varies between worlds"):
        load_experiment(path)
    exp = load_experiment(_exp(tmp_path, extra='pairs = [["carrousel", "basis"]]\n\n[discovery]\na = "carrousel"\nb = "basis"\n'))
    assert exp.pairs == [("carrousel", "basis")] and exp.spec.discovery is not None


@pytest.mark.slow
def test_dask_local_cluster_runs_the_worlds_like_serial(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    from dask.distributed import LocalCluster

    exp = load_experiment(_exp(tmp_path, replications=2))
    run_experiment(exp, tmp_path / "serial", backend="serial")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        manifest = run_experiment(exp, tmp_path / "dask", backend="dask", scheduler=cluster.scheduler_address)
    assert manifest["status"] == "complete"
    a, b = (pd.read_parquet(tmp_path / d / "timeseries.parquet") for d in ("serial", "dask"))
    pd.testing.assert_frame_equal(a, b)
    assert set(b["member"]) == {0, 1}


def test_sensitivity_refuses_an_ensemble_instead_of_ignoring_it(tmp_path: Path) -> None:
    from buurtsim.errors import UserError
    from buurtsim.experiment import run_sensitivity

    path = _exp(tmp_path, extra='\n[sensitivity]\nscenario = "carrousel"\nsamples = 2\n\n[sensitivity.ranges]\ntie_decay = [0.01, 0.04]\n')
    with pytest.raises(UserError, match=r"experiment\.uncertainty.*not an ensemble"):
        run_sensitivity(load_experiment(path), tmp_path / "out", backend="serial")
    assert not (tmp_path / "out").exists()
