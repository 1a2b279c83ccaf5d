"""`buurtsim calibrate` end to end on tiny settings: a valid ensemble, determinism, resume after an
interruption, bad input (exit 2, message, nothing overwritten) and the Dask LocalCluster path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from buurtsim.calibration import TARGETS_FILE, YEAR
from buurtsim.ensemble import load_ensemble, targets_hash
from buurtsim.inference.abc_smc import AbcSettings
from buurtsim.inference.calibrate import CalibrationConfig, calibrate, calibrated_names, checkpoint_path

TINY = ("--n", "40", "--years", "1", "--set", "burn_in_weeks=4", "--population", "6", "--generations", "2",
        "--batch", "6", "--max-simulations", "12", "--seed", "5")


def wide_targets(tmp_path: Path) -> Path:
    """A targets file with two wide bands every particle can meet."""
    path = tmp_path / "targets.toml"
    path.write_text(
        '[[target]]\nid = "C7"\nquantity = "share_no_confidant"\nlo = 0.0\nhi = 0.99\nwhen = "start"\n\n'
        '[[target]]\nid = "C3"\nquantity = "share_isolated"\nlo = 0.0\nhi = 0.99\nwhen = "end"\n',
        encoding="utf-8")
    return path


def members(path: Path) -> list[tuple]:
    return [(m.params, m.weight, m.seed, m.distance) for m in load_ensemble(path).members]


@pytest.mark.slow  # simulates a few dozen small neighbourhoods
def test_tiny_calibration_writes_a_valid_ensemble_and_is_deterministic(run_cli, tmp_path: Path) -> None:
    targets = wide_targets(tmp_path)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    code, out, err = run_cli("calibrate", *TINY, "--targets", str(targets), "--out", str(a), "--backend", "serial", "--lang", "en")
    assert code == 0, err
    assert "generation 1" in out and "Wrote an ensemble of 6 members" in out
    ens = load_ensemble(a)
    assert ens.parameters == calibrated_names() and len(ens.members) == 6
    assert abs(sum(ens.weights) - 1) < 1e-9
    assert ens.provenance["targets_hash"] == targets_hash(targets) != targets_hash()
    assert ens.provenance["method"]["population"] == 6 and ens.provenance["seeds"]["seed"] == 5
    for m in ens.members:
        assert set(m.targets) == {"C7 share_no_confidant", "C3 share_isolated"}
        assert all(t["met"] == (0.0 <= t["value"] <= 0.99) for t in m.targets.values())
    assert not checkpoint_path(a).exists()
    code, _out, err = run_cli("calibrate", *TINY, "--targets", str(targets), "--out", str(b), "--backend", "process", "--workers", "2")
    assert code == 0, err
    assert members(a) == members(b)  # same seed, other backend: the same ensemble


@pytest.mark.slow  # simulates a few dozen small neighbourhoods
def test_interrupted_calibration_resumes_to_the_uninterrupted_result(run_cli, tmp_path: Path) -> None:
    targets = wide_targets(tmp_path)
    whole, cut = tmp_path / "whole.json", tmp_path / "cut.json"
    assert run_cli("calibrate", *TINY, "--targets", str(targets), "--out", str(whole), "--backend", "serial")[0] == 0
    config = CalibrationConfig(calibrated_names(), AbcSettings(population=6, generations=2, batch=6, max_simulations=12),
                               5, 40, targets, ticks=YEAR, fixed=(("burn_in_weeks", 4),))

    def interrupt(gen: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C right after generation 0 was saved

    with pytest.raises(KeyboardInterrupt):
        calibrate(config, cut, backend="serial", on_generation=interrupt)
    saved = json.loads(checkpoint_path(cut).read_text())
    assert [g["index"] for g in saved["generations"]] == [0] and not cut.exists()
    code, _out, err = run_cli("calibrate", *TINY, "--targets", str(targets), "--out", str(cut), "--backend", "serial")
    assert code == 2 and "--resume" in err  # a kept checkpoint is never silently overwritten
    code, out, err = run_cli("calibrate", *TINY, "--targets", str(targets), "--out", str(cut), "--backend", "serial",
                             "--resume", "--lang", "en")
    assert code == 0, err
    assert "generation 0" not in out and "generation 1" in out  # generation 0 came from the checkpoint
    assert members(cut) == members(whole)


@pytest.mark.slow  # simulates a few dozen small neighbourhoods
def test_resume_with_other_settings_is_refused(run_cli, tmp_path: Path) -> None:
    targets = wide_targets(tmp_path)
    out = tmp_path / "e.json"
    config = CalibrationConfig(calibrated_names(), AbcSettings(population=6, generations=1, batch=6, max_simulations=12),
                               5, 40, targets, ticks=YEAR, fixed=(("burn_in_weeks", 4),))

    def interrupt(gen: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        calibrate(config, out, backend="serial", on_generation=interrupt)
    before = checkpoint_path(out).read_bytes()
    args = [a if a != "5" else "6" for a in TINY]  # another seed
    code, _out, err = run_cli("calibrate", *args, "--targets", str(targets), "--out", str(out), "--resume")
    assert code == 2 and "identity.seed" in err and "delete" in err
    assert checkpoint_path(out).read_bytes() == before and not out.exists()


@pytest.mark.slow  # simulates a few dozen small neighbourhoods
def test_a_target_no_member_meets_exits_2_and_keeps_the_old_file(run_cli, tmp_path: Path) -> None:
    targets = tmp_path / "t.toml"
    targets.write_text('[[target]]\nid = "C5"\nquantity = "participation_rate"\nlo = 0.999\nhi = 1.0\nwhen = "start"\n',
                       encoding="utf-8")
    out = tmp_path / "e.json"
    out.write_text("old", encoding="utf-8")
    code, _out, err = run_cli("calibrate", *TINY, "--targets", str(targets), "--out", str(out), "--backend", "serial")
    assert code == 2
    assert "C5 participation_rate" in err and "no member" in err and "--allow-unmet" in err
    assert out.read_text(encoding="utf-8") == "old" and checkpoint_path(out).exists()
    code, _out, err = run_cli("calibrate", *TINY, "--targets", str(targets), "--out", str(out), "--backend", "serial",
                              "--resume", "--allow-unmet")
    assert code == 0, err
    assert not any(m.targets["C5 participation_rate"]["met"] for m in load_ensemble(out).members)


@pytest.mark.slow  # simulates a few dozen small neighbourhoods
def test_dask_local_cluster_gives_the_serial_result(run_cli, tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    targets = wide_targets(tmp_path)
    a, b = tmp_path / "serial.json", tmp_path / "dask.json"
    tiny = [*TINY]
    tiny[tiny.index("--generations") + 1] = "1"
    assert run_cli("calibrate", *tiny, "--targets", str(targets), "--out", str(a), "--backend", "serial")[0] == 0
    code, _out, err = run_cli("calibrate", *tiny, "--targets", str(targets), "--out", str(b), "--backend", "dask", "--workers", "2")
    assert code == 0, err
    assert members(a) == members(b)


@pytest.mark.parametrize(("args", "expected"), [
    (("--n", "5"), "--n: expected a whole number from 10"),
    (("--population", "x"), "--population: expected a whole number"),
    (("--set", "no_such_param=1"), "unknown parameter 'no_such_param'"),
    (("--set", "shock_prob=0.1"), "shock_prob is calibrated"),
    (("--set", "burn_in_weeks=99999"), "burn_in_weeks"),
    (("--quantile", "1.5"), "--quantile"),
    (("--backend", "cloud"), "unknown backend"),
    (("--lang", "de"), "de"),
])
def test_bad_flags_exit_2_before_anything_runs(run_cli, tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    out = tmp_path / "e.json"
    out.write_text("old", encoding="utf-8")
    code, _out, err = run_cli("calibrate", "--out", str(out), *args)
    assert code == 2 and expected in err
    assert out.read_text(encoding="utf-8") == "old" and not checkpoint_path(out).exists()


@pytest.mark.parametrize(("text", "expected"), [
    ('[[target]]\nid = "C1"\nquantity = "share_sliding"\nlo = 0.3\nhi = 0.1\nwhen = "start"\n', "target[0] (C1 share_sliding): expected a band with lo < hi"),
    ('[[target]]\nid = "C1"\nquantity = "share_sliding"\nlo = 1.5\nhi = 2\nwhen = "start"\n', "overlaps [0, 1]"),
    ('[[target]]\nid = "C1"\nquantity = "share_slidin"\nlo = 0.1\nhi = 0.2\nwhen = "start"\n', "did you mean share_sliding"),
    ('[[target]]\nid = "C1"\nquantity = "share_sliding"\nlo = 0.1\nhi = 0.2\nwhen = "later"\n', "target[0].when"),
    ('[[target]]\nid = "C1"\nquantity = "share_sliding"\nlo = "low"\nhi = 0.2\nwhen = "start"\n', "target[0].lo: expected a finite number"),
    ('[[target]]\nid = "C1"\nquantity = "share_sliding"\nlo = 0.1\nhi = 0.2\nwhen = "start"\nscenario = "nowhere"\n', "target[0].scenario"),
    ("not toml [", "valid TOML"),
    ("", "at least one [[target]]"),
])
def test_bad_targets_file_exits_2_naming_file_and_field(run_cli, tmp_path: Path, text: str, expected: str) -> None:
    targets = tmp_path / "bad.toml"
    targets.write_text(text, encoding="utf-8")
    out = tmp_path / "e.json"
    out.write_text("old", encoding="utf-8")
    code, _out, err = run_cli("calibrate", "--targets", str(targets), "--out", str(out))
    assert code == 2 and str(targets) in err and expected in err
    assert out.read_text(encoding="utf-8") == "old"


def test_shipped_targets_file_is_the_default(run_cli) -> None:
    assert TARGETS_FILE.is_file() and targets_hash() == targets_hash(TARGETS_FILE)
