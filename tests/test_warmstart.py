"""Warm starts: a run from the cached settled state equals a cold run to the last bit; the cache
is invalidated by parameters and seed; a damaged cache file is ignored."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from buurtsim import NeighbourhoodModel, warmstart
from buurtsim.policies.presence import LongTermPresence, PresenceConfig


def build(seed: int = 5, **kw) -> NeighbourhoodModel:
    pol = LongTermPresence(PresenceConfig(name="p", start=0, workers=1))
    return NeighbourhoodModel(n_residents=300, seed=seed, burn_in_weeks=60, policies=[pol], record_history=True, **kw)


def test_a_warm_start_is_identical_to_a_cold_one(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTSIM_WARM_CACHE", str(tmp_path))
    cold = build(warm_start=False)
    first = build()  # settles and stores
    warmstart.WARM._memory.clear()
    from_disk = build()
    from_memory = build()
    frames = [m.run(60) for m in (cold, first, from_disk, from_memory)]
    for df in frames[1:]:
        pd.testing.assert_frame_equal(frames[0], df, check_exact=True)
    for m in (first, from_disk, from_memory):
        np.testing.assert_array_equal(m.state.uid, cold.state.uid)
        np.testing.assert_array_equal(m.ties.s, cold.ties.s)
        assert [a.unique_id for a in m.residents] == [a.unique_id for a in cold.residents]
        assert m.events == cold.events
    assert len(list(tmp_path.glob("*.pkl"))) == 1


def test_parameters_seed_and_size_change_the_key() -> None:
    p = NeighbourhoodModel(n_residents=50, seed=1, burn_in_weeks=2).params
    k = warmstart.key(p, 1)
    assert k == warmstart.key(p, 1)
    assert k != warmstart.key(p, 2)
    assert k != warmstart.key(p.model_copy(update={"tie_end_rate": 0.003}), 1)
    assert k != warmstart.key(p.model_copy(update={"n_residents": 51}), 1)


def test_a_damaged_cache_file_is_ignored(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTSIM_WARM_CACHE", str(tmp_path))
    cold = build(seed=9, warm_start=False).run(10)
    build(seed=9)
    warmstart.WARM._memory.clear()
    for f in tmp_path.glob("*.pkl"):
        f.write_bytes(f.read_bytes()[:200])  # truncated
    pd.testing.assert_frame_equal(build(seed=9).run(10), cold, check_exact=True)
    warmstart.WARM._memory.clear()
    for f in tmp_path.glob("*.pkl"):
        f.write_bytes(b"not a buurtsim file")
    pd.testing.assert_frame_equal(build(seed=9).run(10), cold, check_exact=True)


def test_the_disk_cache_can_be_turned_off(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTSIM_WARM_CACHE", "off")
    assert warmstart.cache_dir() is None
    build(seed=11)
    assert not list(tmp_path.iterdir())
