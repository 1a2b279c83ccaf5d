"""The calibration's pieces: calibrated parameters and priors, band distances, measuring a particle,
checkpoints, and building an ensemble that the ensemble reader accepts."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from buurtsim.calibration import TARGETS, TARGETS_FILE, YEAR, Target, TargetsError, load_targets
from buurtsim.ensemble import ensemble_from_data, ensemble_to_data, targets_hash
from buurtsim.inference.abc_smc import AbcSettings, Generation
from buurtsim.inference.calibrate import (
    CALIBRATED,
    CalibrationConfig,
    CalibrationError,
    band_distance,
    build_ensemble,
    calibrated_names,
    load_checkpoint,
    measure,
    particle_distance,
    prior_for,
    save_checkpoint,
)
from buurtsim.params import describe

BAND = Target("C9", "share_isolated", "", "", "", 0.2, 0.4, "start")


def test_calibrated_parameters_are_assumptions_with_their_documented_plausible_range_as_prior() -> None:
    prior = prior_for(calibrated_names())
    assert 6 <= len(CALIBRATED) <= 12 and len(set(calibrated_names())) == len(CALIBRATED)
    for name, lo, hi in zip(prior.names, prior.lo, prior.hi, strict=True):
        d = describe(name)
        assert d["source"].startswith("assumption")
        assert d["plausible"] is not None, f"{name}: a calibrated parameter documents its plausible range"
        assert (lo, hi) == d["plausible"] and lo <= d["default"] <= hi
        assert d["min"] <= lo < hi <= d["max"]


def test_prior_falls_back_to_the_validation_range() -> None:
    prior = prior_for(["initial_domain_noise"])
    d = describe("initial_domain_noise")
    assert d["plausible"] is None and (prior.lo[0], prior.hi[0]) == (d["min"], d["max"])


def test_band_distance_is_zero_inside_and_counts_band_widths_outside() -> None:
    assert band_distance(0.2, BAND) == band_distance(0.3, BAND) == band_distance(0.4, BAND) == 0.0
    assert band_distance(0.5, BAND) == pytest.approx(0.5)
    assert band_distance(0.0, BAND) == pytest.approx(1.0)
    assert band_distance(math.nan, BAND) == pytest.approx(3.0)  # no value: as far as a share can be (1.0)
    two = (BAND, Target("C8", "share_helping", "", "", "", 0.0, 0.1, "start"))
    assert particle_distance({"C9 share_isolated": 0.5, "C8 share_helping": 0.3}, two) == pytest.approx(math.hypot(0.5, 2.0))
    assert particle_distance({}, two) == pytest.approx(math.hypot(3.0, 9.0))  # 1.0 is 9 band widths above [0, 0.1]


def test_shipped_targets_file_holds_every_target_and_its_hash_is_the_files() -> None:
    assert load_targets() == TARGETS
    assert {t.tid for t in TARGETS} >= {"C1", "C2", "C3", "C4", "C5", "C6", "C7", "C11", "C12"}
    c2 = next(t for t in TARGETS if t.tid == "C2")
    assert c2.scenario == "combinatie" and c2.policy_changes == (("presentie", "workers", 3),)
    assert len(targets_hash()) == 64 and targets_hash() == targets_hash(TARGETS_FILE)


def test_a_target_twice_is_refused(tmp_path: Path) -> None:
    one = '[[target]]\nid = "C3"\nquantity = "share_isolated"\nlo = 0.1\nhi = 0.2\nwhen = "start"\n'
    path = tmp_path / "t.toml"
    path.write_text(one + "\n" + one, encoding="utf-8")
    with pytest.raises(TargetsError, match="each \\(id, quantity\\) once"):
        load_targets(path)
    path.write_text(one.replace('"start"', '"run"'), encoding="utf-8")
    with pytest.raises(TargetsError, match="tie_retention"):
        load_targets(path)


def test_measure_reads_every_target_from_the_runs_it_needs() -> None:
    values = measure(TARGETS, {"burn_in_weeks": 4}, seed=2, n=60, ticks=8 * YEAR)
    assert set(values) == {t.label for t in TARGETS}
    for t in TARGETS:
        if t.key != "moving_rate":
            assert 0.0 <= values[t.label] <= 1.0 or math.isnan(values[t.label])
    assert values["C1 share_sliding"] != values["C2 share_sliding"]  # tick 0 of basis vs year 10 of combinatie


def _gen(names: tuple[str, ...], index: int = 0) -> Generation:
    prior = prior_for(names)
    rng = np.random.default_rng(0)
    params = prior.sample(rng, 3)
    values = [{t.label: 0.1 * (i + 1) for t in TARGETS} for i in range(3)]
    return Generation(index, math.inf, params, np.array([0.5, 0.25, 0.25]), np.array([1.0, 2.0, 3.0]),
                      np.array([7, 8, 9], dtype=np.int64), [{"values": v} for v in values], simulations=3)


def test_ensemble_from_a_generation_passes_the_ensemble_checks(tmp_path: Path) -> None:
    names = calibrated_names()
    config = CalibrationConfig(names, AbcSettings(population=3, max_simulations=3), seed=4, n_residents=50)
    ens = build_ensemble(config, TARGETS, [_gen(names)], wall_time_s=1.0)
    again = ensemble_from_data(ensemble_to_data(ens))
    assert [m.seed for m in again.members] == [7, 8, 9] and again.weights == [0.5, 0.25, 0.25]
    m = again.members[0]
    assert m.targets["C3 share_isolated"] == {"value": 0.1, "band": [0.08, 0.16], "met": True}
    assert m.targets["C5 participation_rate"]["met"] is False
    assert again.provenance["method"]["prior"]["shock_prob"] == ["uniform", 0.002, 0.018]
    assert again.provenance["targets_hash"] == targets_hash()


def test_checkpoint_round_trip_and_refusals(tmp_path: Path) -> None:
    names = calibrated_names()
    config = CalibrationConfig(names, AbcSettings(population=3, generations=2, max_simulations=3), seed=4, n_residents=50)
    path = tmp_path / "c.json"
    gen = _gen(names)
    save_checkpoint(path, config, [gen])
    (back,) = load_checkpoint(path, config)
    assert np.array_equal(back.params, gen.params) and back.records == gen.records
    more = CalibrationConfig(names, AbcSettings(population=3, generations=9, max_simulations=3), seed=4, n_residents=50)
    assert len(load_checkpoint(path, more)) == 1  # more generations may continue a checkpoint
    other = CalibrationConfig(names, AbcSettings(population=3, generations=2, max_simulations=3), seed=4, n_residents=60)
    with pytest.raises(CalibrationError, match=r"identity\.n_residents"):
        load_checkpoint(path, other)
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CalibrationError, match="expected a checkpoint written by buurtsim calibrate"):
        load_checkpoint(path, config)


def test_shipped_ensemble_loads_and_was_calibrated_against_the_shipped_targets() -> None:
    from buurtsim.ensemble import SHIPPED_FILE, load_ensemble

    ens = load_ensemble("default")
    assert Path(ens.source) == SHIPPED_FILE
    assert len(ens.members) >= 50 and ens.parameters == calibrated_names()
    assert ens.provenance["targets_hash"] == targets_hash()  # recalibrate when targets.toml changes
    assert ens.provenance["method"]["n_residents"] == 1000
    assert all(set(m.targets) == {t.label for t in TARGETS} for m in ens.members)
