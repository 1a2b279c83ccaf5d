"""The answer in people and years: paired estimates and their verdicts against a hand computation."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buurtsim.experiment.answer import answers, sentences
from buurtsim.experiment.paired import t_estimate

T2 = 4.302652729911275  # t quantile 0.975, 2 degrees of freedom, from tables
HALF = T2 * 1.0 / math.sqrt(3)  # paired differences with sd 1 over three replications


def frame(reductions: tuple[float, float, float], *, reach: bool = False) -> pd.DataFrame:
    """basis and programma, 3 replications, 52 weeks, 1,000 residents; programma has `reductions[r]`
    fewer sliding residents than basis in every week of replication r."""
    rows = []
    for rep in range(3):
        for tick in range(52):
            common = {"replication": rep, "tick": tick, "population": 1000.0, "mean_self_reliance": 0.5, "cost_eur": 0.0}
            rows.append({"scenario": "basis", **common, "share_sliding": 0.100})
            extra = {"reached_ever": 40.0 + rep, "reached_left": 5.0, "reached_left_mean_self_reliance": 0.4} if reach else {}
            rows.append({"scenario": "programma", **common, "share_sliding": 0.100 - reductions[rep] / 1000, **extra})
    return pd.DataFrame(rows)


def test_people_and_years_match_a_hand_computation() -> None:
    (ans,) = answers(frame((2.0, 3.0, 4.0)), baseline="basis", funding_end={})
    s = ans.estimates["sliding"]  # differences -2, -3, -4 residents: mean -3, sd 1
    assert s.mean == pytest.approx(-3.0)
    assert (s.low, s.high) == pytest.approx((-3 - HALF, -3 + HALF))
    assert s.distinguishable
    assert ans.estimates["sliding_per_1000"].mean == pytest.approx(-3.0)  # 1,000 residents
    y = ans.estimates["years_out_of_sliding"]  # 52 weeks x 2, 3, 4 fewer residents / 52 = 2, 3, 4 resident-years
    assert (y.mean, y.low, y.high) == pytest.approx((3.0, 3 - HALF, 3 + HALF))
    en = " ".join(sentences(ans, "en"))
    assert "3 fewer residents sliding [1, 5]" in en  # 3 -/+ 2.48, rounded
    assert "+3 resident-years out of 'sliding' in total [1, 5]" in en
    nl = " ".join(sentences(ans, "nl"))
    assert "3 afglijdende bewoners minder [1; 5]" in nl
    assert "not distinguishable" not in en.split("How long")[0].split("Also")[0]


def test_an_interval_over_zero_says_not_distinguishable() -> None:
    (ans,) = answers(frame((0.0, 1.0, 2.0)), baseline="basis", funding_end={})
    s = ans.estimates["sliding"]  # -0, -1, -2: mean -1, interval [-3.48, 1.48] covers zero
    assert s.low < 0 < s.high and not s.distinguishable
    assert "1 fewer resident sliding [-1, 3] (not distinguishable from no difference)" in " ".join(sentences(ans, "en"))
    assert "niet te onderscheiden" in " ".join(sentences(ans, "nl"))


def test_reach_is_shown_only_when_stored() -> None:
    (plain,) = answers(frame((2.0, 3.0, 4.0)), baseline="basis", funding_end={})
    assert "reached_ever" not in plain.estimates
    assert "Reach" not in " ".join(sentences(plain, "en"))
    (ans,) = answers(frame((2.0, 3.0, 4.0), reach=True), baseline="basis", funding_end={})
    text = " ".join(sentences(ans, "en"))
    assert "Reach: 41 residents ever reached by the policy" in text
    assert "of whom 5 moved away" in text and "40.0 points" in text


def test_t_estimate_needs_two_values_for_an_interval() -> None:
    e = t_estimate([1.0])
    assert e.mean == 1.0 and not e.has_interval and not e.distinguishable


@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=2, max_size=12))
@settings(max_examples=60, deadline=None)
def test_the_words_follow_the_interval(diffs: list[float]) -> None:
    from buurtsim.experiment.answer import _fewer_more

    e = t_estimate(diffs)
    text = _fewer_more(e, "en", "residents sliding", "residents sliding")
    says_unclear = "not distinguishable" in text
    if "no difference in" not in text:
        assert says_unclear == (not e.distinguishable)
    assert e.distinguishable == (e.low > 0 or e.high < 0)


def test_the_baseline_change_is_stated() -> None:
    from buurtsim.experiment.answer import baseline_change

    df = frame((2.0, 3.0, 4.0))
    df.loc[(df["scenario"] == "basis") & (df["tick"] == 51), "share_sliding"] = 0.120  # 100 -> 120 residents
    assert baseline_change(df, "basis", "nl") == ("In de basislijn (basis) zelf, van week 0 tot week 51: de gemiddelde zelfredzaamheid gaat "
                                                  "van 50,0 naar 50,0 punten; het aantal afglijdende bewoners van 100 naar 120.")


def three_scenarios() -> pd.DataFrame:
    """frame() plus 'presentie', which has 1, 1, 1 fewer sliding residents than programma per replication."""
    df = frame((2.0, 3.0, 4.0))
    other = df[df["scenario"] == "programma"].copy()
    other["scenario"] = "presentie"
    other["share_sliding"] -= 1.0 / 1000
    return pd.concat([df, other], ignore_index=True)


def test_declared_pairs_skip_those_against_the_baseline() -> None:
    from buurtsim.experiment.answer import declared_pairs

    manifest = {"experiment": {"pairs": [["presentie", "programma"], ["programma", "basis"]]}}
    assert declared_pairs(manifest, "basis") == [("presentie", "programma")]
    assert declared_pairs({"experiment": {}}, "basis") == []


def test_a_declared_pair_is_answered_directly() -> None:
    from buurtsim.experiment.answer import all_answers

    manifest = {"experiment": {"pairs": [["presentie", "programma"]]},
                "scenarios": [{"name": n, "ticks": 52} for n in ("basis", "programma", "presentie")]}
    found = all_answers(three_scenarios(), manifest, baseline="basis")
    assert [(a.scenario, a.baseline, a.direct) for a in found] == [
        ("programma", "basis", False), ("presentie", "basis", False), ("presentie", "programma", True)]
    direct = found[-1].estimates["sliding"]
    assert direct.mean == pytest.approx(-1.0) and direct.high - direct.low == pytest.approx(0.0, abs=1e-9)
    assert found[-1].title("nl") == "presentie tegenover programma"
    assert found[-1].title("en") == "presentie compared with programma"
    assert found[0].title("en") == "programma"
    assert "1 fewer resident sliding" in " ".join(sentences(found[-1], "en"))
