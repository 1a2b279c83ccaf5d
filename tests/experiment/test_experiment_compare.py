"""compare: intervals, paired differences, effect size, durability and cost against a hand computation."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from buurtsim.errors import UserError
from buurtsim.experiment.compare import (
    compare_frame,
    display_rows,
    display_summary,
    effect_size,
    mean_ci,
    to_csv,
    to_json,
    to_markdown,
)

# t quantile 0.975 with 2 degrees of freedom, from tables
T2 = 4.302652729911275


def fixture() -> pd.DataFrame:
    """Two scenarios, three replications, weeks 0..200; values chosen by hand."""
    rows = []
    base = {0: 0.50, 1: 0.40, 2: 0.60}
    gain_at_100 = {0: 0.10, 1: 0.12, 2: 0.08}  # program gains at the end of funding (week 100)
    gain_at_204 = {0: 0.05, 1: 0.07, 2: 0.03}
    for rep in range(3):
        for tick in (0, 100, 200, 204):
            b = base[rep]
            g = 0.0 if tick == 0 else gain_at_100[rep] if tick in (100, 200) else gain_at_204[rep]
            rows.append({"scenario": "basis", "replication": rep, "tick": tick, "mean_self_reliance": b,
                         "cost_eur": 0.0, "population": 100.0})
            rows.append({"scenario": "programma", "replication": rep, "tick": tick, "mean_self_reliance": b + g,
                         "cost_eur": 0.0 if tick == 0 else 50_000.0, "population": 100.0})
    return pd.DataFrame(rows)


def test_mean_ci_matches_hand_computation() -> None:
    m, lo, hi = mean_ci([0.5, 0.4, 0.6])
    half = T2 * 0.1 / math.sqrt(3)  # sd of (0.5, 0.4, 0.6) is 0.1
    assert m == pytest.approx(0.5)
    assert (lo, hi) == pytest.approx((0.5 - half, 0.5 + half))
    assert math.isnan(mean_ci([0.3])[1])


def test_paired_difference_and_effect_size() -> None:
    comp = compare_frame(fixture(), baseline="basis", moments=["end_of_funding", 200], metrics=["mean_self_reliance"],
                         funding_end={"basis": None, "programma": 100})
    row = next(r for r in comp.rows if r["scenario"] == "programma" and r["moment"] == "end_of_funding")
    assert row["tick"] == 100
    # paired differences 0.10, 0.12, 0.08: mean 0.10, sd 0.02
    assert row["diff"] == pytest.approx(0.10)
    half = T2 * 0.02 / math.sqrt(3)
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx((0.10 - half, 0.10 + half))
    assert row["effect_size"] == pytest.approx(0.10 / 0.02)
    # the unpaired interval of the scenario mean is much wider than the paired one
    assert row["ci_high"] - row["ci_low"] > 3 * (row["diff_ci_high"] - row["diff_ci_low"])
    base_row = next(r for r in comp.rows if r["scenario"] == "basis" and r["moment"] == "200")
    assert math.isnan(base_row["diff"]) and base_row["mean"] == pytest.approx(0.5)
    assert not any(r["scenario"] == "basis" and r["moment"] == "end_of_funding" for r in comp.rows)


def test_durability_and_cost_per_unit() -> None:
    comp = compare_frame(fixture(), baseline="basis", moments=["end"], metrics=["mean_self_reliance"],
                         funding_end={"basis": None, "programma": 100})
    (s,) = comp.summary
    assert s["funding_end"] == 100
    assert s["gain_at_funding_end"] == pytest.approx(0.10)
    assert s["gain_two_years_later"] == pytest.approx(0.05)  # week 204 = 100 + 104
    assert s["durability"] == pytest.approx(0.5)
    # extra cost 50,000 EUR / (gain 0.05 at the end x 100 residents) = 10,000 EUR per unit
    assert s["extra_cost_eur"] == pytest.approx(50_000)
    assert s["cost_per_unit_eur"] == pytest.approx(10_000)


def test_durability_undefined_without_end_of_funding_or_gain() -> None:
    comp = compare_frame(fixture(), baseline="basis", moments=["end"], metrics=["mean_self_reliance"],
                         funding_end={"programma": None})
    assert math.isnan(comp.summary[0]["durability"])
    assert effect_size([0.1, 0.1, 0.1]) == math.inf
    assert math.isnan(effect_size([0.0, 0.0]))


def test_renderings_and_bad_baseline() -> None:
    comp = compare_frame(fixture(), baseline="basis", moments=["end_of_funding", "end"], metrics=["mean_self_reliance", "cost_eur"],
                         funding_end={"programma": 100})
    data = json.loads(to_json(comp))
    assert data["effect_size"].startswith("paired Cohen's d_z")
    assert len(data["rows"]) == len(comp.rows)
    assert "durability" in to_csv(comp).splitlines()[0]
    md = to_markdown(comp, "en")
    assert "| programma | Mean self-reliance (points 0-100) | end of funding, week 100 |" in md
    assert "mean_self_reliance" not in md
    with pytest.raises(UserError, match="baseline"):
        compare_frame(fixture(), baseline="nope", moments=["end"], metrics=["mean_self_reliance"], funding_end={})


def test_table_merges_moments_on_one_week_and_hides_undefined_effect_sizes() -> None:
    # end_of_funding and week 100 are the same week: one row naming both, not two
    comp = compare_frame(fixture(), baseline="basis", moments=["end_of_funding", 100], metrics=["mean_self_reliance", "cost_eur"],
                         funding_end={"programma": 100})
    _, cells = display_rows(comp, "nl")
    rows = [c for c in cells if c[0] == "programma"]
    assert [c[2] for c in rows] == ["einde financiering, week 100"] * 2
    sr = next(c for c in rows if c[1].startswith("Gemiddelde zelfredzaamheid"))
    # 0.10 [0.10 - half, 0.10 + half] on 0-1 is +10.0 points; the interval excludes zero
    half = 100 * T2 * 0.02 / math.sqrt(3)
    assert sr[5] == f"+10,0 [{10 - half:.1f}; {10 + half:.1f}]".replace(".", ",")
    assert sr[6] == "verschil"
    cost = next(c for c in rows if c[1].startswith("Kosten"))
    assert cost[7] == "-"  # every replication costs 50,000 more: no spread, d_z undefined, not 'inf'
    assert cost[5] == "€\u00a0+50.000"  # no "[50.000; 50.000]" for a difference without spread


def test_cost_per_point_only_with_a_distinguishable_gain() -> None:
    comp = compare_frame(fixture(), baseline="basis", moments=["end"], metrics=["mean_self_reliance"], funding_end={"programma": 100})
    (s,) = comp.summary
    assert s["gain_at_end_low"] > 0
    # 50,000 EUR for a gain of 0.05 (the end is week 204) x 100 residents = 10,000 EUR per unit; 100 EUR per point
    assert s["cost_per_unit_low"] <= s["cost_per_unit_eur"] <= s["cost_per_unit_high"]
    _, cells = display_summary(comp, "en")
    assert cells[0][7].startswith("€\u00a0100 [")
    flat = fixture()
    flat.loc[flat["scenario"] == "programma", "mean_self_reliance"] = flat.loc[flat["scenario"] == "basis", "mean_self_reliance"].to_numpy() + [0.0, 0.01, -0.01] * 4
    comp = compare_frame(flat, baseline="basis", moments=["end"], metrics=["mean_self_reliance"], funding_end={"programma": 100})
    _, cells = display_summary(comp, "en")
    assert cells[0][7] == "none: no distinguishable gain"


def test_neighbourhood_effects_in_between_neighbourhood_sd() -> None:
    """diff_sd = paired mean difference / sd of the baseline over replications, for neighbourhood means
    and shares only (issue: an implausible effect shows at a glance)."""
    comp = compare_frame(fixture(), baseline="basis", moments=[100], metrics=["mean_self_reliance", "cost_eur"],
                         funding_end={"basis": None, "programma": 100})
    row = next(r for r in comp.rows if r["scenario"] == "programma" and r["metric"] == "mean_self_reliance")
    # baseline 0.50, 0.40, 0.60: sd 0.1; mean difference 0.10 -> 1.0 sd
    assert row["diff_sd"] == pytest.approx(1.0)
    cost = next(r for r in comp.rows if r["scenario"] == "programma" and r["metric"] == "cost_eur")
    assert math.isnan(cost["diff_sd"])  # euros are not a neighbourhood-level score
    headers, cells = display_rows(comp, "en")
    assert headers[-1] == "in sd between neighbourhoods"
    assert any(c[-1] == "+1.0" for c in cells)


def test_csv_and_markdown_neutralise_hand_edited_names() -> None:
    """A scenario name edited into a formula or a table break stays text (issue: hostile input)."""
    df = fixture()
    df.loc[df["scenario"] == "programma", "scenario"] = "=HYPERLINK(\"x\")|b"
    comp = compare_frame(df, baseline="basis", moments=[100], metrics=["mean_self_reliance"],
                         funding_end={"basis": None, "=HYPERLINK(\"x\")|b": 100})
    assert "'=HYPERLINK" in to_csv(comp)
    assert "=HYPERLINK(\"x\")\\|b" in to_markdown(comp, "en")
