"""Robustness verdicts: the share of plausible worlds in which A beats B, its Wilson interval and the
verdict, from one set of paired per-world differences; checked against numbers worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from buurtsim.experiment.robustness import (
    Robustness,
    robustness_frame,
    sentence,
    verdict_from_differences,
    wilson,
    worlds_note,
)


def test_wilson_interval_by_hand() -> None:
    # 41 of 50: p = 0.82, z^2/n = 3.841459/50 = 0.0768292, centre = (0.82 + 0.0384146) / 1.0768292 = 0.797170,
    # half = 1.959964 / 1.0768292 * sqrt(0.82 * 0.18 / 50 + 3.841459 / 10000) = 1.820125 * 0.0577594 = 0.105129
    assert wilson(41, 50) == pytest.approx((0.692041, 0.902299), abs=2e-6)
    # 9 of 10: centre = 1.092073 / 1.3841459 = 0.788987, half = 1.416007 * sqrt(0.009 + 0.00960365) = 0.193136
    assert wilson(9, 10) == pytest.approx((0.595850, 0.982124), abs=2e-6)
    # 0 of 4: centre = half = 0.480182 / 1.960365 = 0.244945: [0, 0.48989]
    low, high = wilson(0, 4)
    assert low == pytest.approx(0.0, abs=1e-12) and high == pytest.approx(0.489891, abs=2e-6)
    assert all(math.isnan(v) for v in wilson(0, 0))


def test_verdicts_from_the_same_paired_differences() -> None:
    diffs = [0.02, 0.01, 0.03, 0.015, 0.02, 0.01, 0.005, 0.02, 0.01, -0.01]  # A - B in ten worlds; A higher in nine
    up = verdict_from_differences("A", "B", "mean_self_reliance", 36, diffs)
    assert (up.n, up.wins, up.ties, up.share) == (10, 9, 0, 0.9)
    assert (up.low, up.high) == pytest.approx(wilson(9, 10)) and up.verdict == "a"
    down = verdict_from_differences("A", "B", "share_sliding", 36, diffs)  # lower is better: B wins nine
    assert (down.wins, down.share) == (1, pytest.approx(0.1)) and down.verdict == "b"
    assert (down.low, down.high) == pytest.approx(wilson(1, 10))


def test_ties_count_as_half_and_all_ties_is_no_difference() -> None:
    mixed = verdict_from_differences("A", "B", "mean_self_reliance", 1, [0.0, 0.0, 0.1, -0.1, 0.2, 0.0])
    assert (mixed.wins, mixed.ties, mixed.share) == (2, 3, pytest.approx(3.5 / 6))
    assert (mixed.low, mixed.high) == pytest.approx(wilson(3.5, 6)) and mixed.verdict == "undecided"
    assert verdict_from_differences("A", "B", "cost_eur", 1, [0.0] * 5).verdict == "same"
    # equal-cost designs differ by a few euros of rounding: that is no difference
    assert verdict_from_differences("A", "B", "cost_eur", 1, [-2.0, 2.0, -1.5, -2.0, 0.5]).verdict == "same"
    assert verdict_from_differences("A", "B", "cost_eur", 1, [-5000.0] * 5).verdict == "a"
    assert verdict_from_differences("A", "B", "cost_eur", 1, []).verdict == "none"


def test_few_worlds_are_not_distinguishable_even_when_all_agree() -> None:
    """3 of 3 worlds is a share of 1, but the interval [0.44, 1] contains one half."""
    v = verdict_from_differences("A", "B", "mean_self_reliance", 1, [0.1, 0.2, 0.3])
    assert v.share == 1.0 and v.low < 0.5 and v.verdict == "undecided"


def _frame(diffs: list[float], *, point: int | None = None) -> pd.DataFrame:
    rows = []
    for r, d in enumerate(diffs):
        for scen, value in (("B", 0.5), ("A", 0.5 + d)):
            for tick, v in ((0, 0.5), (36, value)):
                row = {"scenario": scen, "replication": r, "tick": tick, "mean_self_reliance": v}
                if point is not None:
                    row["point"] = point
                rows.append(row)
    return pd.DataFrame(rows)


def test_robustness_frame_pairs_worlds_by_replication_at_the_end() -> None:
    diffs = [0.02, 0.01, 0.03, 0.015, 0.02, 0.01, 0.005, 0.02, 0.01, -0.01]
    [v] = robustness_frame(_frame(diffs), [("A", "B")], ["mean_self_reliance"], {"A": 36, "B": 36})
    assert v == verdict_from_differences("A", "B", "mean_self_reliance", 36, diffs)
    assert v.tick == 36
    [w] = robustness_frame(_frame(diffs), [("B", "A")], ["mean_self_reliance"])
    assert (w.wins, w.verdict) == (1, "b")  # the same worlds seen from the other side


def test_sweep_points_are_compared_point_by_point() -> None:
    df = pd.concat([_frame([0.1] * 10, point=0), _frame([-0.1] * 10, point=1)])
    verdicts = robustness_frame(df, [("A", "B")], ["mean_self_reliance"])
    assert [(v.a, v.b, v.verdict) for v in verdicts] == [("A [p0]", "B [p0]", "a"), ("A [p1]", "B [p1]", "b")]


def test_sentences_in_dutch_and_english() -> None:
    v = Robustness("presentie", "carrousel", "mean_self_reliance", 520, 50, 41, 0, 0.82, *wilson(41, 50))
    nl, en = sentence(v, "nl"), sentence(v, "en")
    assert "in 41 van de 50 plausibele werelden doet presentie het beter dan carrousel" in nl and "[69; 90]" in nl
    assert "presentie is beter in de meeste plausibele werelden" in nl
    assert "in 41 of 50 plausible worlds presentie does better than carrousel" in en and "[69, 90]" in en
    u = Robustness("presentie", "carrousel", "share_sliding", 520, 10, 5, 0, 0.5, *wilson(5, 10))
    assert "niet te onderscheiden" in sentence(u, "nl") and "not distinguishable" in sentence(u, "en")
    assert "lager is beter" in sentence(u, "nl")


@pytest.mark.parametrize("unc", [True, "ensemble.json", 3, [], {"replication_members": "abc", "fixed_by_levers": ["x"]},
                                 {"replication_members": [1, 1, 2], "fixed_by_levers": {"presentie": "budget"}}])
def test_worlds_note_reads_a_hand_edited_manifest_without_failing(unc: object) -> None:
    note = worlds_note(unc, "en")  # type: ignore[arg-type]  # what a hand-edited manifest may hold
    assert note.startswith("Plausible worlds from")
    assert "budget" not in note  # a list of names was expected, not a string


def test_worlds_note_counts_members_and_names_levers() -> None:
    note = worlds_note({"source": "e.json", "members_in_file": 50, "replication_members": [1, 1, 2],
                        "fixed_by_levers": {"presentie": ["budget", "hours"]}}, "en")
    assert "3 replications in 2 distinct ensemble members (of 50)" in note
    assert "Members recur" in note and "presentie the scenario or experiment itself sets budget, hours" in note
