"""Paired data over replications: replication r of a scenario and of the baseline share a seed, so
their difference is one observation. Every interval and every "not distinguishable" verdict in the
answer, the appendix and the social cost-benefit section is computed from these per-replication
differences (`Estimate`), so an interval and its verdict can never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from buurtsim.experiment.compare import mean_ci


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its 95 % interval (nan when undefined) and the sample size."""

    mean: float
    low: float
    high: float
    n: int

    @property
    def has_interval(self) -> bool:
        """True when the interval is defined (at least two replications)."""
        return math.isfinite(self.low) and math.isfinite(self.high)

    @property
    def distinguishable(self) -> bool:
        """True when the interval lies wholly above or wholly below zero."""
        return self.has_interval and (self.low > 0 or self.high < 0)

    def scaled(self, factor: float) -> Estimate:
        """The same estimate in other units (a negative factor swaps the bounds)."""
        lo, hi = sorted((self.low * factor, self.high * factor)) if self.has_interval else (self.low, self.high)
        return Estimate(self.mean * factor, lo, hi, self.n)


def t_estimate(values: np.ndarray | pd.Series) -> Estimate:
    """Mean and 95 % t-interval of per-replication values (paired differences or levels)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    mean, low, high = mean_ci(x)
    return Estimate(mean, low, high, int(x.size))


def group_key(df: pd.DataFrame) -> pd.Series:
    """Scenario name, with the sweep point when there is one ('basis [p0]')."""
    if "point" in df.columns:
        return df["scenario"].astype(str) + " [p" + df["point"].astype(int).astype(str) + "]"
    return df["scenario"].astype(str)


def pairs(df: pd.DataFrame, baseline: str, last_tick: dict[str, int] | None = None) -> list[tuple[str, str, str, int]]:
    """(group, its baseline group, scenario, last week) for every group other than the baseline;
    df needs a `_group` column. The last week is the scenario's horizon when `last_tick` names it."""
    scen_of = dict(zip(df["_group"], df["scenario"].astype(str), strict=False))
    out = []
    for g in dict.fromkeys(df["_group"]):
        scen = scen_of[g]
        if scen == baseline:
            continue
        last = int(df.loc[df["_group"] == g, "tick"].max())
        out.append((g, g.replace(scen, baseline, 1), scen, min(last, (last_tick or {}).get(scen, last))))
    return out


def per_replication(df: pd.DataFrame, group: str, column: str) -> pd.DataFrame:
    """A table week x replication of one column for one group (df needs a `_group` column)."""
    sel = df[df["_group"] == group]
    return sel.pivot_table(index="tick", columns="replication", values=column, aggfunc="first").sort_index()


def paired_bootstrap(columns: dict[str, np.ndarray], statistic: Callable[[dict[str, np.ndarray]], float], *, samples: int, seed: int) -> np.ndarray:
    """`statistic(resampled columns)` over `samples` resamples of the replications (the same
    indices for every column, so pairs stay together); a seeded numpy Generator draws them."""
    rng = np.random.default_rng(seed)
    n = len(next(iter(columns.values())))
    out = np.empty(samples)
    for b in range(samples):
        idx = rng.integers(0, n, n)
        out[b] = statistic({k: v[idx] for k, v in columns.items()})
    return out


def percentile_estimate(point: float, draws: np.ndarray, n: int) -> Estimate:
    """A point value with the 2.5-97.5 percentile interval of its bootstrap draws (nan draws ignored)."""
    d = draws[np.isfinite(draws)]
    if n < 2 or d.size < 0.9 * draws.size:  # too few replications, or the statistic is undefined too often
        return Estimate(point, math.nan, math.nan, n)
    lo, hi = np.percentile(d, [2.5, 97.5])
    return Estimate(point, float(lo), float(hi), n)
