"""What lesson 1's text says the model shows, checked over 20 seeds at the lesson's own size.

docs/teaching/les1-projectencarrousel.md ("Wat we zagen bij het testen") and the discussion
questions in lessons/les1.toml quote these outcomes (`python experiments/lesson_intervals.py les1
--seeds 20`). Each assertion uses the paired differences over seeds 1..20 with a 95 % t-interval,
so a model change that breaks the story the lesson tells fails here, and the text must change.
Slow (about a minute and a half on two cores).
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from functools import cache

import numpy as np
import pandas as pd
import pytest

from buurtsim.experiment.compare import mean_ci
from buurtsim.teaching.lesson import get_lesson
from buurtsim.teaching.observe import run_lesson

pytestmark = pytest.mark.slow

SEEDS = tuple(range(1, 21))
WINDOW = 13  # the lesson's questions read the mean of the last quarter
END_OF_PROJECTS, YEAR_8 = 208, 416


def _run(seed: int) -> dict[str, pd.DataFrame]:
    return run_lesson(get_lesson("les1"), seed=seed)


@cache
def runs() -> tuple[dict[str, pd.DataFrame], ...]:
    """Lesson 1's three scenarios for every seed (two worker processes)."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        return tuple(pool.map(_run, SEEDS))


def at(key: str, metric: str, tick: int) -> np.ndarray:
    """One metric of one scenario, mean of the window ending at `tick`, per seed."""
    return np.array([r[key].loc[tick - WINDOW + 1 : tick, metric].mean() for r in runs()])


def test_carousel_gain_in_sliding_residents_mostly_fades_after_the_projects() -> None:
    """Fewer residents sliding with the carousel at the end of the projects; four years later
    less than half of that gain is left, and the loss of gain is itself distinguishable."""
    end = at("carrousel", "share_sliding", END_OF_PROJECTS) - at("geen", "share_sliding", END_OF_PROJECTS)
    later = at("carrousel", "share_sliding", YEAR_8) - at("geen", "share_sliding", YEAR_8)
    m_end, _, hi_end = mean_ci(end)
    assert hi_end < 0, f"no distinguishable gain at the end of the projects: {m_end:+.4f} (upper {hi_end:+.4f})"
    m_later = float(later.mean())
    assert abs(m_later) < 0.5 * abs(m_end), f"more than half the gain left at year 8: {m_later:+.4f} of {m_end:+.4f}"
    _, lo_fade, _ = mean_ci(later - end)
    assert lo_fade > 0, f"the fade is not distinguishable (lower {lo_fade:+.4f})"


def test_carousel_dependency_is_gone_four_years_after_the_projects() -> None:
    """About one resident in eight depends on help in the middle of the projects; none at year 8."""
    mid = at("carrousel", "dependency_share", 156)
    assert 0.05 < mid.mean() < 0.25, mid.mean()
    assert np.all(at("carrousel", "dependency_share", YEAR_8) == 0.0)


def test_presence_leaves_trust_and_fewer_residents_sliding_than_no_policy_at_year_8() -> None:
    """Presence ends year 8 with more trust than the carousel and fewer residents sliding than
    without policy, both with the whole interval on one side of zero."""
    _, lo_trust, _ = mean_ci(at("presentie", "trust_in_institutions", YEAR_8) - at("carrousel", "trust_in_institutions", YEAR_8))
    assert lo_trust > 0, f"presence does not end with more trust than the carousel (lower {lo_trust:+.4f})"
    m, _, hi = mean_ci(at("presentie", "share_sliding", YEAR_8) - at("geen", "share_sliding", YEAR_8))
    assert hi < 0, f"presence does not have fewer residents sliding than no policy: {m:+.4f} (upper {hi:+.4f})"
