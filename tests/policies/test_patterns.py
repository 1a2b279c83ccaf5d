"""The seven patterns of the brief (§7), each tested over replications with common seeds.

Every test runs the shipped scenario files at their own size (2,000 residents, ten years); the
flagship comparison (pattern 2) uses the flagship experiment's 20 replications, the others 10.
Each asserts a direction with a stated margin on the paired differences (95 % t-interval).
Where the corrected model does not reproduce a claim of the sources, the test says so and checks
that it stays that way (`docs/calibration.md`, "Patterns"), rather than bending the claim.
Slow (several minutes in all); run in CI.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from buurtsim import NeighbourhoodModel
from buurtsim.calibration import NEUTRAL_MIGRATION

pytestmark = pytest.mark.slow

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SEEDS = tuple(range(10))
FLAGSHIP_SEEDS = tuple(range(20))  # as experiments/carrousel_vs_presentie.toml
YEAR = 52
FUNDING_END = 6 * YEAR  # the carousel's last project stops at year 6 (projectencarrousel.toml)


def _run(args: tuple[str, int, tuple[tuple[str, object], ...], tuple[tuple[str, object], ...]]) -> pd.DataFrame:
    name, seed, overrides, policy_changes = args
    model = NeighbourhoodModel.from_scenario(SCENARIOS / f"{name}.toml", seed=seed, **dict(overrides))
    for attr, value in policy_changes:
        label, field = attr.split(".")
        pol = model.policy(label)
        assert pol is not None, f"{name}: no policy {label}"
        pol.config = pol.config.model_copy(update={field: value})
    df = model.run(model.horizon)
    st = model.state
    alive = st.alive
    df.attrs["final"] = {
        "high_income": float(np.mean(st.income[alive] == 2)),
        "low_capacity_active": float(np.mean(st.participation[alive & (st.capacity < 0.3)] >= model.params.active_level)),
    }
    return df


@cache
def runs(name: str, overrides: tuple = (), policy_changes: tuple = (), seeds: tuple[int, ...] = SEEDS) -> tuple[pd.DataFrame, ...]:
    """Metrics of scenario `name` for every seed (cached across tests; two worker processes)."""
    jobs = [(name, s, overrides, policy_changes) for s in seeds]
    with ProcessPoolExecutor(max_workers=2) as pool:
        return tuple(pool.map(_run, jobs))


def series(dfs: tuple[pd.DataFrame, ...], metric: str, tick: int) -> np.ndarray:
    """One metric at one tick, per replication."""
    return np.array([df.loc[tick, metric] for df in dfs])


def paired(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Mean of a - b and its 95 % t-interval over replications."""
    d = a - b
    m = float(d.mean())
    half = float(stats.t.ppf(0.975, d.size - 1) * d.std(ddof=1) / np.sqrt(d.size))
    return m, m - half, m + half


def effect(name: str, metric: str, tick: int, base: str = "basis", seeds: tuple[int, ...] = SEEDS) -> np.ndarray:
    """Per-replication difference of a scenario against the baseline (common seeds)."""
    return series(runs(name, seeds=seeds), metric, tick) - series(runs(base, seeds=seeds), metric, tick)


def test_pattern1_carousel_gains_fade_after_funding() -> None:
    """Carousel: fewer residents sliding while projects run; two years after the money stops the
    gain is gone (its upper bound below a third of the gain at the end of funding)."""
    during = effect("projectencarrousel", "share_sliding", FUNDING_END, seeds=FLAGSHIP_SEEDS)
    later = effect("projectencarrousel", "share_sliding", FUNDING_END + 2 * YEAR, seeds=FLAGSHIP_SEEDS)
    m, _, hi = paired(during, np.zeros_like(during))
    print(f"pattern 1: sliding difference at end of funding {m:+.4f} (upper {hi:+.4f})")
    assert hi < 0.0, f"no fewer residents sliding at the end of funding: {m:+.4f} (upper bound {hi:+.4f})"
    m_later, _, hi_later = paired(later, np.zeros_like(later))
    print(f"pattern 1: two years later {m_later:+.4f} (upper {hi_later:+.4f})")
    # 'largely fade': what is left two years on is (by its most favourable bound) under a third
    assert -m_later < 0.33 * -m, f"two years after funding {m_later:+.4f} of {m:+.4f} remains"


def test_pattern2_presence_at_equal_cost_is_slower_and_not_distinguishable_after_ten_years() -> None:
    """Presence at equal cost starts slower than the carousel: more residents sliding at year 3,
    the whole 95 % interval above zero. The sources' claim that it ends
    higher on self-reliance is not reproduced by the corrected model: after ten years the two are
    not distinguishable (the interval covers zero), while presence ends with more trust. If the
    model starts to reproduce the claim, this test fails and the docs and lessons must change."""
    car = runs("projectencarrousel", seeds=FLAGSHIP_SEEDS)
    pre = runs("langdurige_presentie", seeds=FLAGSHIP_SEEDS)
    cost_car, cost_pre = series(car, "cost_eur", 520).mean(), series(pre, "cost_eur", 520).mean()
    assert abs(cost_pre - cost_car) / cost_car < 0.05, (cost_car, cost_pre)
    m_early, lo_early, _ = paired(series(pre, "share_sliding", 3 * YEAR), series(car, "share_sliding", 3 * YEAR))
    print(f"pattern 2: presence - carousel, share sliding at year 3 {m_early:+.4f} (lower {lo_early:+.4f})")
    assert lo_early > 0, f"presence is not distinguishably slower to start (presence - carousel, sliding at year 3: {m_early:+.4f}, lower {lo_early:+.4f})"
    m, lo, hi = paired(series(pre, "mean_self_reliance", 520), series(car, "mean_self_reliance", 520))
    print(f"pattern 2: presence - carousel, mean self-reliance at year 10 {m:+.4f} [{lo:+.4f}, {hi:+.4f}]")
    assert lo < 0.0 < hi, f"presence - carousel at year 10 is now distinguishable: {m:+.4f} [{lo:+.4f}, {hi:+.4f}]"
    m_t, lo_t, _ = paired(series(pre, "trust_in_institutions", 520), series(car, "trust_in_institutions", 520))
    print(f"pattern 2: presence - carousel, trust at year 10 {m_t:+.4f} (lower {lo_t:+.4f})")
    assert lo_t > 0.0, f"presence does not end with more trust than the carousel: {m_t:+.4f} (lower {lo_t:+.4f})"


def test_pattern3_a_minority_stays_not_self_reliant_under_the_best_policy() -> None:
    """Even with presence (three workers) and a resident budget combined, a minority keeps sliding."""
    heavy = (("presentie.workers", 3),)
    best = runs("combinatie", policy_changes=heavy)
    sliding = series(best, "share_sliding", 520)
    base = series(runs("basis"), "share_sliding", 520)
    m, _, hi = paired(sliding, base)
    print(f"pattern 3: best policy - basis, sliding at year 10 {m:+.4f} (upper {hi:+.4f}); level {sliding.mean():.3f}")
    assert hi < 0, f"the best policy does not reduce sliding ({m:.3f})"
    assert sliding.min() > 0.10, f"fewer than 10 % sliding in some run: {sliding.min():.1%}"


def test_pattern4_selective_out_migration_drives_decline() -> None:
    """Without counter-measures, selective out-migration lowers self-reliance and thins out the better-off."""
    selective = runs("selectieve_uitstroom")
    neutral = runs("basis", tuple(NEUTRAL_MIGRATION.items()))
    decline_sel = series(selective, "mean_self_reliance", 0) - series(selective, "mean_self_reliance", 520)
    decline_neu = series(neutral, "mean_self_reliance", 0) - series(neutral, "mean_self_reliance", 520)
    m, lo, _ = paired(decline_sel, decline_neu)
    print(f"pattern 4: extra decline under selective migration {m:+.4f} (lower {lo:+.4f})")
    assert lo > 0.01, f"decline under selective migration exceeds neutral by only {m:.4f} (lower {lo:.4f})"
    high_sel = np.array([df.attrs["final"]["high_income"] for df in selective])
    high_neu = np.array([df.attrs["final"]["high_income"] for df in neutral])
    assert high_sel.mean() < 0.7 * high_neu.mean()
    m, _, hi = paired(series(selective, "perceived_safety", 520), series(neutral, "perceived_safety", 520))
    assert hi < 0, f"perceived safety does not fall with the decline ({m:.4f})"


def test_pattern5_informal_support_carries_and_over_asking_harms() -> None:
    """Without informal support many more slide; more demand over-asks more helpers."""
    without = runs("basis", (("support_rate", 0.0),))
    m, lo, _ = paired(series(without, "share_sliding", 520), series(runs("basis"), "share_sliding", 520))
    print(f"pattern 5: sliding without informal support {m:+.4f} (lower {lo:+.4f})")
    assert lo > 0.05, f"removing informal support raises sliding by only {m:.3f} (lower {lo:.3f})"
    busy = runs("basis", (("shock_prob", 0.01),))
    m, lo, _ = paired(series(busy, "overburdened_share", 520), series(runs("basis"), "overburdened_share", 520))
    print(f"pattern 5: over-asked helpers under more demand {m:+.4f} (lower {lo:+.4f})")
    assert lo > 0.02, f"more demand does not over-ask more helpers ({m:.3f})"


def test_pattern5_over_asked_helpers_lose_health() -> None:
    """Within a run, over-asked helpers' health sits further below their potential than other helpers'."""
    gaps = []
    for seed in SEEDS[:6]:
        model = NeighbourhoodModel.from_scenario(SCENARIOS / "basis.toml", seed=seed)
        model.run(260)
        st, p = model.state, model.params
        over = st.alive & (st.load > p.overburden_load)
        helper = st.alive & (st.load >= p.helping_min) & ~over
        gap = st.potential[:, 2] - st.domains[:, 2]
        gaps.append(gap[over].mean() - gap[helper].mean())
    m, lo, _ = paired(np.array(gaps), np.zeros(len(gaps)))
    assert lo > 0, f"over-asked helpers are not worse off: {m:.4f}"


def test_pattern6_solving_creates_dependency_that_fades_enabling_keeps_its_gain() -> None:
    """Outreach that solves for people leaves dependency while it lasts and gains that do not
    outlast the help; once nobody solves for them dependency fades. Enabling keeps more of its gain."""
    window = (("achter_de_voordeur.end", 6 * YEAR),)
    solving = runs("achter_de_voordeur", policy_changes=(*window, ("achter_de_voordeur.approach", "solving")))
    enabling = runs("achter_de_voordeur", policy_changes=window)
    end, later = 6 * YEAR, 8 * YEAR
    dep_end, dep_later = series(solving, "dependency_share", end), series(solving, "dependency_share", later)
    m_dep, lo_dep, _ = paired(dep_end, series(enabling, "dependency_share", end))
    print(f"pattern 6: dependency, solving - enabling at end {m_dep:+.4f} (lower {lo_dep:+.4f}); "
          f"solving two years later {dep_later.mean():.4f}")
    assert lo_dep > 0.01, f"solving leaves little more dependency than enabling: {m_dep:+.4f}"
    assert dep_later.mean() < 0.5 * dep_end.mean(), "dependency does not fade once nobody solves problems"
    base_end, base_later = series(runs("basis"), "mean_self_reliance", end), series(runs("basis"), "mean_self_reliance", later)
    gain_s = series(solving, "mean_self_reliance", end) - base_end
    gain_e = series(enabling, "mean_self_reliance", end) - base_end
    kept_s = (series(solving, "mean_self_reliance", later) - base_later).mean() / gain_s.mean()
    kept_e = (series(enabling, "mean_self_reliance", later) - base_later).mean() / gain_e.mean()
    print(f"pattern 6: gain at end solving {gain_s.mean():+.4f} enabling {gain_e.mean():+.4f}; "
          f"kept two years later solving {kept_s:.0%} enabling {kept_e:.0%}")
    assert kept_s < 0.5, f"solving keeps {kept_s:.0%} of its gain"
    assert kept_e > kept_s + 0.25, f"enabling keeps {kept_e:.0%}, solving {kept_s:.0%}"


def test_pattern7_being_asked_reaches_beyond_the_vanguard() -> None:
    """ABCD (asking those nobody asked) raises participation, also among residents with little capacity."""
    abcd, base = runs("abcd"), runs("basis")
    m, lo, _ = paired(series(abcd, "participation_rate", 520), series(base, "participation_rate", 520))
    print(f"pattern 7: participation ABCD - basis {m:+.4f} (lower {lo:+.4f})")
    assert lo > 0.01, f"ABCD raises participation by only {m:.3f}"
    low_abcd = np.array([df.attrs["final"]["low_capacity_active"] for df in abcd])
    low_base = np.array([df.attrs["final"]["low_capacity_active"] for df in base])
    m, lo, _ = paired(low_abcd, low_base)
    assert lo > 0, f"participation of residents with little capacity does not rise ({m:.3f})"
