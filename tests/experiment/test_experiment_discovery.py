"""Scenario discovery: PRIM boxes on worlds where the cases of interest are known, with coverage and
density counted by hand; the parameters of a world come from its ensemble member and sweep point."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from buurtsim.experiment.discovery import Box, Discovery, _world_params, find_boxes, lines


def _worlds(n: int = 200, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = pd.DataFrame({"professional_effect": rng.uniform(0.006, 0.024, n), "trust_build_weeks": rng.uniform(13, 52, n),
                      "recovery_rate": rng.uniform(0.01, 0.04, n)})
    y = ((x["professional_effect"] < 0.010) & (x["trust_build_weeks"] > 35)).to_numpy()
    return x, y


def test_prim_finds_the_region_and_its_numbers_are_counted_right() -> None:
    x, y = _worlds()
    boxes = find_boxes(x, y, threshold=0.8)
    assert boxes, "PRIM should find the region"
    box = boxes[0]
    assert set(box.limits) <= {"professional_effect", "trust_build_weeks"} and "professional_effect" in box.limits
    _, hi = box.limits["professional_effect"]
    assert hi < 0.012  # the box sits at the low end of the professional effect
    inside = np.ones(len(x), bool)
    for name, (a, b) in box.limits.items():
        inside &= (x[name] >= a).to_numpy() & (x[name] <= b).to_numpy()
    assert box.n == inside.sum() and box.cases == (inside & y).sum()
    assert box.coverage == pytest.approx((inside & y).sum() / y.sum())
    assert box.density == pytest.approx((inside & y).sum() / inside.sum()) and box.density >= 0.8
    assert box.mass == pytest.approx(inside.mean())
    assert box.full["professional_effect"] == (pytest.approx(x["professional_effect"].min()), pytest.approx(x["professional_effect"].max()))


def test_no_cases_no_boxes_and_scattered_cases_no_box() -> None:
    x, _ = _worlds()
    assert find_boxes(x, np.zeros(len(x), bool)) == []
    rng = np.random.default_rng(5)
    assert find_boxes(x, rng.random(len(x)) < 0.1, threshold=0.9) == []  # noise: no dense region


def test_a_world_is_its_member_then_its_sweep_point() -> None:
    manifest = {"experiment": {
        "uncertainty": {"replication_members": [1, 0], "members": {"0": {"params": {"tie_decay": 0.01, "recovery_rate": 0.02}},
                                                                   "1": {"params": {"tie_decay": 0.03, "recovery_rate": 0.04}}}},
        "points": [{"recovery_rate": 0.05}, {"recovery_rate": 0.06}]}}
    assert _world_params(manifest, "A", (1, 0), swept=True) == {"tie_decay": 0.03, "recovery_rate": 0.06}
    assert _world_params(manifest, "A", (1,), swept=False) == {"tie_decay": 0.01, "recovery_rate": 0.02}


def test_lines_say_coverage_density_and_ranges_in_both_languages() -> None:
    box = Box(coverage=0.75, density=0.6, mass=0.2, n=5, cases=3, limits={"professional_effect": (0.006, 0.009)},
              full={"professional_effect": (0.006, 0.024)})
    d = Discovery("presentie", "carrousel", "mean_self_reliance", 520, 25, 21, "a", 4, ["professional_effect"], [box])
    nl, en = "\n".join(lines(d, "nl")), "\n".join(lines(d, "en"))
    assert "in 21 van de 25 werelden doet presentie het beter" in nl and "dekking 75 %" in nl and "dichtheid 60 %" in nl
    assert "professional_effect van 0,0060 tot 0,0090" in nl
    assert "in 21 of 25 worlds presentie does better" in en and "coverage 75%" in en and "density 60%" in en
    assert "professional_effect from 0.0060 to 0.0090 (all worlds: 0.0060 to 0.0240)" in en
