"""Paired seeds: replication r of every scenario (and sweep point) runs with the same seed,
derived from the master seed with numpy's SeedSequence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from tests.experiment.conftest import write_experiment

from buurtsim.experiment import load_experiment, plan_runs, replication_seeds


def test_seeds_follow_seedsequence_spawn() -> None:
    children = np.random.SeedSequence(2024).spawn(4)
    expected = [int(c.generate_state(1, np.uint64)[0]) & ((1 << 63) - 1) for c in children]
    assert replication_seeds(2024, 4) == expected


def test_seeds_are_distinct_prefix_stable_and_master_dependent() -> None:
    five = replication_seeds(7, 5)
    assert len(set(five)) == 5
    assert replication_seeds(7, 3) == five[:3]
    assert replication_seeds(8, 5) != five
    assert all(0 <= s < 2**63 for s in five)


def test_every_scenario_and_point_gets_the_same_seed_per_replication(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, names=("basis", "carrousel", "presentie"), replications=3,
                            extra="[sweep]\nmethod = \"grid\"\n[sweep.grid]\nshock_prob = [0.004, 0.008]\n")
    exp = load_experiment(path)
    runs = plan_runs(exp)
    assert len(runs) == 3 * 2 * 3
    by_rep: dict[int, set[int]] = {}
    for run in runs:
        by_rep.setdefault(run.replication, set()).add(run.seed)
    assert all(len(seeds) == 1 for seeds in by_rep.values())
    assert [by_rep[r].pop() for r in range(3)] == replication_seeds(11, 3)
    assert len({r.run_id for r in runs}) == len(runs)
