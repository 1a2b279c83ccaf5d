"""The ensemble file: round trip, weighted picking and refusals of bad files (exit status 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from buurtsim.ensemble import (
    Ensemble,
    EnsembleError,
    Member,
    ensemble_to_data,
    load_ensemble,
    provenance,
    save_ensemble,
)


def _ensemble(weights: tuple[float, ...] = (1.0, 1.0, 2.0)) -> Ensemble:
    members = tuple(Member({"shock_prob": 0.004 + 0.001 * i, "recovery_rate": 0.02}, w, 100 + i,
                           {"C3 share_isolated": {"value": 0.1, "met": True}}, 0.5)
                    for i, w in enumerate(weights))
    return Ensemble(("shock_prob", "recovery_rate"), members, provenance({"name": "test"}, {"base": 1}))


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "e.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_round_trip(tmp_path: Path) -> None:
    ens = _ensemble()
    path = save_ensemble(ens, tmp_path / "e.json")
    back = load_ensemble(path)
    assert back.members == ens.members
    assert back.parameters == ens.parameters
    assert back.members[0].targets_met() == 1


def test_pick_follows_weights_without_randomness() -> None:
    ens = _ensemble((1.0, 1.0, 2.0))
    picked = ens.pick(8)
    assert [m.seed for m in picked] == [100, 100, 101, 101, 102, 102, 102, 102]
    assert ens.pick(8) == picked
    equal = _ensemble((1.0, 1.0, 1.0))
    assert [m.seed for m in equal.pick(5)] == [100, 101, 102, 100, 101]


def test_other_model_version_refused(tmp_path: Path) -> None:
    data = ensemble_to_data(_ensemble())
    data["provenance"]["model_version"] = "0.0.1"
    with pytest.raises(EnsembleError, match=r"provenance.model_version.*0\.0\.1") as info:
        load_ensemble(_write(tmp_path, data))
    assert info.value.exit_code == 2


def test_unknown_parameter_named_with_suggestion(tmp_path: Path) -> None:
    data = ensemble_to_data(_ensemble())
    data["parameters"] = ["shock_prop", "recovery_rate"]
    with pytest.raises(EnsembleError, match=r"parameters.*shock_prob"):
        load_ensemble(_write(tmp_path, data))


def test_out_of_range_member_refused(tmp_path: Path) -> None:
    data = ensemble_to_data(_ensemble())
    data["members"][1]["params"]["shock_prob"] = 5.0
    with pytest.raises(EnsembleError, match=r"members\[1\]\.params"):
        load_ensemble(_write(tmp_path, data))


@pytest.mark.parametrize("mutate", [
    lambda d: d.update(format="other"),
    lambda d: d.update(members=[]),
    lambda d: d["members"][0].update(weight=-1),
    lambda d: d["members"][0].update(seed="x"),
    lambda d: d["members"][0]["params"].pop("shock_prob"),
])
def test_malformed_files_refused(tmp_path: Path, mutate) -> None:  # type: ignore[no-untyped-def]
    data = ensemble_to_data(_ensemble())
    mutate(data)
    with pytest.raises(EnsembleError):
        load_ensemble(_write(tmp_path, data))


def test_not_json_and_too_deep(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    with pytest.raises(EnsembleError, match="valid JSON"):
        load_ensemble(bad)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 60 + "]" * 60, encoding="utf-8")
    with pytest.raises(EnsembleError):
        load_ensemble(deep)
