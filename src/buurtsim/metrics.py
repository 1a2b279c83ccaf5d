"""Each outcome declared once: name, Dutch and English label, unit, how it is computed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel


@dataclass(frozen=True)
class Metric:
    """One outcome column."""

    name: str
    label_nl: str
    label_en: str
    unit: str
    compute: Callable[[NeighbourhoodModel, Snapshot], float]


@dataclass
class Snapshot:
    """Quantities several metrics share, computed once per tick over the live residents."""

    alive: np.ndarray
    n: int
    sr: np.ndarray
    strength: np.ndarray
    degree: np.ndarray
    close_degree: np.ndarray
    live_strength: np.ndarray
    helpers: np.ndarray | None = None  # residents whose running load makes them helpers (C6)
    full: bool = False  # every dwelling occupied: masks by `alive` can be skipped


def gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 equal, 1 maximally unequal)."""
    if x.size == 0 or x.sum() <= 0:
        return 0.0
    s = np.sort(x)
    n = s.size
    cum = np.cumsum(s)
    return float((n + 1 - 2 * (cum.sum() / cum[-1])) / n)


def _share(mask: np.ndarray, snap: Snapshot) -> float:
    if not snap.n:
        return 0.0
    hits = np.count_nonzero(mask) if snap.full else np.count_nonzero(mask & snap.alive)
    return float(hits / snap.n)


def _mean(values: np.ndarray, snap: Snapshot) -> float:
    if not snap.n:
        return 0.0
    return float(values.mean() if snap.full else values[snap.alive].mean())


def _share_within(mask: np.ndarray, group: np.ndarray, snap: Snapshot) -> float:
    g = group & snap.alive
    n = np.count_nonzero(g)
    return float(np.count_nonzero(mask & g) / n) if n else 0.0


def _mean_within(values: np.ndarray, group: np.ndarray, snap: Snapshot) -> float:
    g = group & snap.alive
    return float(values[g].mean()) if g.any() else 0.0


def _overburdened(m: NeighbourhoodModel, s: Snapshot) -> float:
    helpers = s.helpers
    n_help = np.count_nonzero(helpers)
    over = helpers & (m.state.load > m.params.overburden_load)
    return float(np.count_nonzero(over) / n_help) if n_help else 0.0


def _mean_tie_strength(m: NeighbourhoodModel, s: Snapshot) -> float:
    return float(s.live_strength.mean()) if s.live_strength.size else 0.0


def _collective_efficacy(m: NeighbourhoodModel, s: Snapshot) -> float:
    # Sampson et al. (1997): cohesion and trust (attachment, safety) with the willingness to act
    # (residents who at least advise on the ladder); a composite index in [0, 1].
    st = m.state
    acting = _share(st.participation >= 3, s)
    return 0.5 * _mean(st.attachment, s) + 0.25 * _mean(st.safety, s) + 0.25 * acting


METRICS: tuple[Metric, ...] = (
    Metric("population", "Bewoners", "Residents", "persons", lambda m, s: float(s.n)),
    Metric("mean_self_reliance", "Gemiddelde zelfredzaamheid", "Mean self-reliance", "0-1", lambda m, s: _mean(s.sr, s)),
    Metric("share_strong", "Aandeel sociaal sterk", "Share socially strong", "share", lambda m, s: _share(s.sr >= m.params.strong_threshold, s)),
    Metric("share_vulnerable", "Aandeel sociaal kwetsbaar", "Share socially vulnerable", "share", lambda m, s: _share((s.sr < m.params.strong_threshold) & (s.sr >= m.params.sliding_threshold), s)),
    Metric("share_sliding", "Aandeel overlevers/afglijders", "Share survivors/sliders", "share", lambda m, s: _share(s.sr < m.params.sliding_threshold, s)),
    Metric("gini_self_reliance", "Ongelijkheid zelfredzaamheid (Gini)", "Inequality of self-reliance (Gini)", "0-1", lambda m, s: gini(s.sr[s.alive])),
    Metric("share_isolated", "Aandeel geïsoleerd", "Share isolated", "share", lambda m, s: _share(s.strength < m.params.isolation_strength, s)),
    Metric("mean_degree", "Gemiddeld aantal banden", "Mean number of ties", "ties", lambda m, s: _mean(s.degree.astype(float), s)),
    Metric("mean_tie_strength", "Gemiddelde sterkte van banden", "Mean tie strength", "0-1", _mean_tie_strength),
    Metric("clustering", "Clustering van het netwerk", "Network clustering", "0-1", lambda m, s: m.current_clustering()),
    Metric("participation_rate", "Aandeel actief (meedoen/meebeslissen)", "Share participating", "share", lambda m, s: _share(m.state.participation >= m.params.active_level, s)),
    Metric("active_initiatives", "Lopende bewonersinitiatieven", "Active resident initiatives", "count", lambda m, s: float(m.initiatives.n_active)),
    Metric("trust_in_institutions", "Vertrouwen in instanties", "Trust in institutions", "0-1", lambda m, s: _mean(m.state.trust, s)),
    Metric("perceived_safety", "Veiligheidsbeleving", "Perceived safety", "0-1", lambda m, s: _mean(m.state.safety, s)),
    Metric("collective_efficacy", "Buurtkracht (collectieve zelfredzaamheid)", "Collective efficacy", "0-1", _collective_efficacy),
    Metric("moved_out", "Verhuisd (deze week)", "Moved out (this week)", "persons", lambda m, s: float(m.week.moved_out)),
    Metric("informal_support_given", "Informele hulp gegeven (gem. per bewoner)", "Informal support given (mean per resident)", "units/week", lambda m, s: _mean(m.state.given, s)),
    Metric("share_helping", "Aandeel dat informele hulp geeft", "Share giving informal help", "share", lambda m, s: _share(s.helpers, s)),
    Metric("overburdened_share", "Aandeel overvraagde helpers", "Share of helpers overburdened", "share", _overburdened),
    Metric("dependency_share", "Aandeel afhankelijk van hulp", "Share dependent on professional help", "share", lambda m, s: _share(m.state.dependency > m.params.dependency_flag, s)),
    Metric("professional_hours", "Uren professionals (deze week)", "Professional hours (this week)", "hours", lambda m, s: float(m.week.professional_hours)),
    Metric("cost_eur", "Kosten (cumulatief)", "Cost (cumulative)", "EUR", lambda m, s: float(m.cost_eur)),
    Metric("share_multi_problem", "Aandeel met problemen op 3+ domeinen", "Share with problems in 3+ domains", "share", lambda m, s: _share(m.state.problem_count(m.params.problem_threshold) >= 3, s)),
    Metric("share_no_confidant", "Aandeel zonder vertrouwenspersoon", "Share without a confidant", "share", lambda m, s: _share(s.close_degree == 0, s)),
    Metric("share_neighbour_contact", "Aandeel met wekelijks contact met buren", "Share with weekly neighbour contact", "share", lambda m, s: _share(m.week.neighbour_contact, s)),
    Metric("participation_outsiders", "Aandeel actief onder buitenstaanders", "Share participating among outsiders", "share", lambda m, s: _share_within(m.state.participation >= m.params.active_level, m.state.style == 3, s)),
    Metric("helpers_self_reliance", "Zelfredzaamheid van helpers", "Self-reliance of helpers", "0-1", lambda m, s: _mean_within(s.sr, s.helpers, s)),
    Metric("share_clients", "Aandeel in een caseload", "Share in a professional's caseload", "share", lambda m, s: _share(m.state.client_of >= 0, s)),
)

METRIC_NAMES: tuple[str, ...] = tuple(m.name for m in METRICS)
BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}


def label(name: str, lang: str = "nl") -> str:
    """Human label of a metric in Dutch (default) or English."""
    m = BY_NAME[name]
    return m.label_en if lang == "en" else m.label_nl


def snapshot(model: NeighbourhoodModel) -> Snapshot:
    """Shared per-tick quantities."""
    st, ties = model.state, model.ties
    e = ties.live_ids()
    a, b, s = ties.a[e], ties.b[e], ties.s[e]
    n = st.size
    close = s >= model.params.confidant_strength
    return Snapshot(
        alive=st.alive,
        n=int(np.count_nonzero(st.alive)),
        sr=st.self_reliance,
        strength=np.bincount(a, s, n) + np.bincount(b, s, n),
        degree=np.bincount(a, minlength=n) + np.bincount(b, minlength=n),
        close_degree=np.bincount(a[close], minlength=n) + np.bincount(b[close], minlength=n),
        live_strength=s,
        helpers=st.alive & (st.load >= model.params.helping_min),
        full=bool(st.alive.all()),
    )


def collect(model: NeighbourhoodModel) -> dict[str, float]:
    """All metrics for the current tick."""
    snap = snapshot(model)
    return {m.name: m.compute(model, snap) for m in METRICS}
