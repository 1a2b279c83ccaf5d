"""One t-interval for the comparison and the report (experiment/intervals.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from buurtsim.experiment.compare import mean_ci
from buurtsim.experiment.intervals import t_half_width
from buurtsim.experiment.report import bands


@pytest.mark.parametrize("n", [2, 3, 20])
def test_half_width_is_scipys_t_interval(n: int) -> None:
    x = np.random.default_rng(n).normal(0.5, 0.1, n)
    lo, hi = stats.t.interval(0.95, n - 1, loc=x.mean(), scale=stats.sem(x))
    assert float(t_half_width(x.std(ddof=1), n)) == pytest.approx((hi - lo) / 2, rel=1e-12)
    assert float(t_half_width(x.std(ddof=1), n, 0.9)) < float(t_half_width(x.std(ddof=1), n))


def test_one_replication_has_no_interval_and_arrays_work_elementwise() -> None:
    half = t_half_width(np.array([0.1, 0.1, np.nan]), np.array([5, 1, 1]))
    assert half[0] > 0 and np.isnan(half[1]) and np.isnan(half[2])


def test_compare_and_report_give_the_same_interval() -> None:
    values = [0.41, 0.47, 0.44, 0.52, 0.39]
    mean, low, high = mean_ci(values)
    df = pd.DataFrame({"scenario": "a", "tick": 0, "m": values})
    band = bands(df, "m").iloc[0]
    assert (band["mean"], band["low"], band["high"]) == pytest.approx((mean, low, high), rel=1e-12)
