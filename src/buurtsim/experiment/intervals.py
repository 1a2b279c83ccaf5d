"""The t-interval over replications, written once for the comparison tables and the report bands."""

from __future__ import annotations

import numpy as np
from scipy import stats

#: Two-sided confidence level of every interval buurtsim shows.
CONFIDENCE = 0.95


def t_half_width(sd: np.ndarray | float, n: np.ndarray | float, level: float = CONFIDENCE) -> np.ndarray:
    """Half-width of the two-sided t-interval of a mean: t(level, n - 1) * sd / sqrt(n).

    Works element-wise on arrays; nan where n < 2 (one replication has no spread).
    """
    sd_a = np.asarray(sd, dtype=float)
    n_a = np.asarray(n, dtype=float)
    ok = n_a > 1
    quantile = np.where(ok, stats.t.ppf(0.5 + level / 2, np.where(ok, n_a - 1, 1)), np.nan)
    return quantile * sd_a / np.sqrt(np.where(ok, n_a, 1))
