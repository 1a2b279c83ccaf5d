"""Social return: present values, net present value, ratio and cost per resident-year against a hand
computation; a bad price table names its file and field."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from buurtsim.errors import UserError
from buurtsim.experiment.mkba import discount_factors, load_prices, mkba_all, mkba_sentences

TABLE = """
[mkba]
discount_rate = {rate}
discount_source = "test"
bootstrap_samples = 500
bootstrap_seed = 7

[[prices]]
name = "out_of_sliding"
metric = "share_sliding"
better = "lower"
value_eur = 5200
unit = "per resident-year"
source = "aanname / assumption"
"""


def frame(reductions: tuple[float, ...] = (2.0, 3.0, 4.0)) -> pd.DataFrame:
    """52 weeks, 1,000 residents; programma has reductions[r] fewer sliding residents every week and
    spends 10,000 EUR more, all in week 1."""
    rows = []
    for rep, red in enumerate(reductions):
        for tick in range(52):
            common = {"replication": rep, "tick": tick, "population": 1000.0}
            rows.append({"scenario": "basis", **common, "share_sliding": 0.1, "cost_eur": 0.0})
            rows.append({"scenario": "programma", **common, "share_sliding": 0.1 - red / 1000, "cost_eur": 10_000.0 if tick >= 1 else 0.0})
    return pd.DataFrame(rows)


def table(tmp_path: Path, rate: float = 0.0, text: str = TABLE) -> Path:
    path = tmp_path / "prices.toml"
    path.write_text(text.format(rate=rate), encoding="utf-8")
    return path


def test_npv_ratio_and_cost_per_year_match_a_hand_computation(tmp_path: Path) -> None:
    prices = load_prices(table(tmp_path))
    (m,) = mkba_all(frame(), baseline="basis", table=prices)
    # 2, 3, 4 resident-years out of sliding x 5,200 EUR = 10,400, 15,600, 20,800; undiscounted at rate 0
    assert m.pv_benefit.mean == pytest.approx(15_600)
    assert m.pv_cost.mean == pytest.approx(10_000)
    assert m.npv.mean == pytest.approx(5_600)
    assert m.ratio.mean == pytest.approx(1.56)
    assert m.years_gained.mean == pytest.approx(3.0) and m.years_gained.distinguishable
    assert m.cost_per_year is not None and m.cost_per_year.mean == pytest.approx(10_000 / 3)
    # bootstrap intervals: percentiles of means of resampled replications lie within the extremes
    assert 10_400 - 10_000 <= m.npv.low <= 5_600 <= m.npv.high <= 20_800 - 10_000
    again = mkba_all(frame(), baseline="basis", table=prices)[0]
    assert (again.npv.low, again.npv.high) == (m.npv.low, m.npv.high)  # seeded: same draws
    text = " ".join(mkba_sentences(m, prices, "en"))
    assert "Net present value €\u00a0+5,600" in text and "Benefit/cost ratio 1.56" in text


def test_discounting_follows_the_rate(tmp_path: Path) -> None:
    assert discount_factors(np.array([0, 52, 104]), 0.04) == pytest.approx([1.0, 1 / 1.04, 1 / 1.04**2])
    (m,) = mkba_all(frame(), baseline="basis", table=load_prices(table(tmp_path, 0.04)))
    assert m.pv_cost.mean == pytest.approx(10_000 * 1.04 ** (-1 / 52))


def test_no_cost_per_year_when_the_gain_is_not_distinguishable(tmp_path: Path) -> None:
    prices = load_prices(table(tmp_path))
    (m,) = mkba_all(frame((-1.0, 0.0, 1.0)), baseline="basis", table=prices)
    assert not m.years_gained.distinguishable and m.cost_per_year is None
    assert "not distinguishable from zero" in " ".join(mkba_sentences(m, prices, "en"))
    assert "niet te onderscheiden" in " ".join(mkba_sentences(m, prices, "nl"))


def test_shipped_table_cites_the_discount_guidance() -> None:
    prices = load_prices()
    assert prices.discount_rate == pytest.approx(0.0225)
    assert "Werkgroep Discontovoet (2020)" in prices.discount_source
    assert all(p.source.strip() for p in prices.prices)


@pytest.mark.parametrize(("change", "field"), [
    (('value_eur = 5200', 'value_eur = "veel"'), "value_eur"),
    (('better = "lower"', 'better = "minder"'), "better"),
    (('metric = "share_sliding"', 'metric = "geluk"'), "metric"),
    (('discount_rate = {rate}', 'discount_rate = 3'), "discount_rate"),
    (('source = "aanname / assumption"', ''), "source"),
])
def test_bad_price_table_names_file_and_field(tmp_path: Path, change: tuple[str, str], field: str) -> None:
    path = table(tmp_path, text=TABLE.replace(*change))
    with pytest.raises(UserError, match=field) as info:
        load_prices(path)
    assert str(path) in str(info.value) and "expected" in str(info.value)


def test_invalid_toml_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text("[mkba\n", encoding="utf-8")
    with pytest.raises(UserError, match="not valid TOML"):
        load_prices(path)


def test_items_without_stored_outcome_are_named_not_silently_dropped(tmp_path: Path) -> None:
    text = TABLE + '''
[[prices]]
name = "volunteer_year"
metric = "share_helping"
better = "higher"
value_eur = 1500
unit = "per resident-year"
source = "aanname / assumption"
'''
    prices = load_prices(table(tmp_path, text=text))
    (m,) = mkba_all(frame(), baseline="basis", table=prices)  # frame() holds no share_helping
    assert m.skipped == ["volunteer_year"] and m.pv_benefit.mean == pytest.approx(15_600)
    assert "Not counted (outcome not stored in these results): volunteer_year." in mkba_sentences(m, prices, "en")
