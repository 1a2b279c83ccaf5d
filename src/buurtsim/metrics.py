"""Each outcome declared once: name, Dutch and English label, unit, how it is computed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from buurtsim.jit import kernel

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


# What one pass over the live residents counts or sums each tick (see `_tally`).
TALLIES: tuple[str, ...] = (
    "n", "sr", "strong", "vulnerable", "sliding", "isolated", "degree", "strength", "active", "acting", "trust",
    "safety", "attachment", "given", "helpers", "overburdened", "helpers_sr", "dependent",
    "multi_problem", "no_confidant", "contact", "outsiders", "outsiders_active", "clients", "risen", "reached",
)


@dataclass
class Snapshot:
    """Counts and sums over the live residents, computed once per tick for all metrics."""

    tally: dict[str, float]
    sr_alive: np.ndarray  # self-reliance of the living (for the Gini coefficient)
    reached: int = 0  # residents living here who were ever reached by a policy
    reached_sr: float = 0.0  # their summed self-reliance

    def __getitem__(self, name: str) -> float:
        return self.tally[name]

    @property
    def n(self) -> int:
        """Number of residents."""
        return int(self.tally["n"])

    def mean(self, name: str) -> float:
        """Mean over the residents (a share, for a counted condition)."""
        n = self.tally["n"]
        return self.tally[name] / n if n else 0.0

    def ratio(self, num: str, den: str) -> float:
        """`num` over `den`, 0 when `den` is 0 (shares within a group, means within a group)."""
        d = self.tally[den]
        return self.tally[num] / d if d else 0.0


def gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 equal, 1 maximally unequal).

    (n + 1 - 2 * sum of the running sums / total) / n over the ascending values; the running sums
    are summed in order (cumsum), so results are the same to the last bit as the earlier loop.
    """
    x = np.asarray(x, float)
    if x.size == 0:
        return 0.0
    total, sum_of_running = _running_sums(np.sort(x))
    if total <= 0:  # all zero (the values are non-negative)
        return 0.0
    n = x.size
    return float((n + 1 - 2 * (sum_of_running / total)) / n)


@kernel
def _running_sums(x: np.ndarray) -> tuple[float, float]:
    """The last running sum of x and the sum of all running sums, added in order: the last
    elements of np.cumsum(x) and np.cumsum(np.cumsum(x)), without the two arrays."""
    run = 0.0
    acc = 0.0
    for i in range(x.size):
        run += x[i]
        acc += run
    return run, acc


def _collective_efficacy(m: NeighbourhoodModel, s: Snapshot) -> float:
    # Sampson et al. (1997): cohesion and trust (attachment, safety) with the willingness to act
    # (residents who at least advise on the ladder); a composite index in [0, 1].
    return 0.5 * s.mean("attachment") + 0.25 * s.mean("safety") + 0.25 * s.mean("acting")


METRICS: tuple[Metric, ...] = (
    Metric("population", "Bewoners", "Residents", "persons", lambda m, s: s["n"]),
    Metric("mean_self_reliance", "Gemiddelde zelfredzaamheid", "Mean self-reliance", "0-1", lambda m, s: s.mean("sr")),
    Metric("share_strong", "Aandeel sociaal sterk", "Share socially strong", "share", lambda m, s: s.mean("strong")),
    Metric("share_vulnerable", "Aandeel sociaal kwetsbaar", "Share socially vulnerable", "share", lambda m, s: s.mean("vulnerable")),
    Metric("share_sliding", "Aandeel overlevers/afglijders", "Share survivors/sliders", "share", lambda m, s: s.mean("sliding")),
    Metric("gini_self_reliance", "Ongelijkheid zelfredzaamheid (Gini)", "Inequality of self-reliance (Gini)", "0-1", lambda m, s: gini(s.sr_alive)),
    Metric("share_isolated", "Aandeel geïsoleerd", "Share isolated", "share", lambda m, s: s.mean("isolated")),
    Metric("mean_degree", "Gemiddeld aantal banden", "Mean number of ties", "ties", lambda m, s: s.mean("degree")),
    Metric("mean_tie_strength", "Gemiddelde sterkte van banden", "Mean tie strength", "0-1", lambda m, s: s.ratio("strength", "degree")),
    Metric("clustering", "Clustering van het netwerk", "Network clustering", "0-1", lambda m, s: m.current_clustering()),
    Metric("participation_rate", "Aandeel actief (meedoen/meebeslissen)", "Share participating", "share", lambda m, s: s.mean("active")),
    Metric("active_initiatives", "Lopende bewonersinitiatieven", "Active resident initiatives", "count", lambda m, s: float(m.initiatives.n_active)),
    Metric("trust_in_institutions", "Vertrouwen in instanties", "Trust in institutions", "0-1", lambda m, s: s.mean("trust")),
    Metric("perceived_safety", "Veiligheidsbeleving", "Perceived safety", "0-1", lambda m, s: s.mean("safety")),
    Metric("collective_efficacy", "Buurtkracht (collectieve zelfredzaamheid)", "Collective efficacy", "0-1", _collective_efficacy),
    Metric("moved_out", "Verhuisd (deze week)", "Moved out (this week)", "persons", lambda m, s: float(m.week.moved_out)),
    Metric("informal_support_given", "Informele hulp gegeven (gem. per bewoner)", "Informal support given (mean per resident)", "units/week", lambda m, s: s.mean("given")),
    Metric("share_helping", "Aandeel dat informele hulp geeft", "Share giving informal help", "share", lambda m, s: s.mean("helpers")),
    Metric("overburdened_share", "Aandeel overvraagde helpers", "Share of helpers overburdened", "share", lambda m, s: s.ratio("overburdened", "helpers")),
    Metric("dependency_share", "Aandeel afhankelijk van hulp", "Share dependent on professional help", "share", lambda m, s: s.mean("dependent")),
    Metric("professional_hours", "Uren professionals (deze week)", "Professional hours (this week)", "hours", lambda m, s: float(m.week.professional_hours)),
    Metric("cost_eur", "Kosten (cumulatief)", "Cost (cumulative)", "EUR", lambda m, s: float(m.cost_eur)),
    Metric("share_multi_problem", "Aandeel met problemen op 3+ domeinen", "Share with problems in 3+ domains", "share", lambda m, s: s.mean("multi_problem")),
    Metric("share_no_confidant", "Aandeel zonder vertrouwenspersoon", "Share without a confidant", "share", lambda m, s: s.mean("no_confidant")),
    Metric("share_neighbour_contact", "Aandeel met wekelijks contact met buren", "Share with weekly neighbour contact", "share", lambda m, s: s.mean("contact")),
    Metric("participation_outsiders", "Aandeel actief onder buitenstaanders", "Share participating among outsiders", "share", lambda m, s: s.ratio("outsiders_active", "outsiders")),
    Metric("helpers_self_reliance", "Zelfredzaamheid van helpers", "Self-reliance of helpers", "0-1", lambda m, s: s.ratio("helpers_sr", "helpers")),
    Metric("share_clients", "Aandeel in een caseload", "Share in a professional's caseload", "share", lambda m, s: s.mean("clients")),
    Metric("reached_ever", "Bereikt door beleid (ooit, cumulatief)", "Reached by a policy (ever, cumulative)", "persons",
           lambda m, s: float(s.reached + m.reach.left)),
    Metric("reached_left", "Bereikt en vertrokken (cumulatief)", "Reached and moved away (cumulative)", "persons",
           lambda m, s: float(m.reach.left)),
    Metric("reached_left_risen", "Bereikt, vertrokken en in inkomen gestegen (cumulatief)",
           "Reached, moved away and risen in income (cumulative)", "persons", lambda m, s: float(m.reach.left_risen)),
    Metric("reached_left_mean_self_reliance", "Zelfredzaamheid van bereikten bij vertrek", "Self-reliance of reached residents when leaving",
           "0-1", lambda m, s: m.reach.left_self_reliance_sum / m.reach.left if m.reach.left else 0.0),
    Metric("reached_mean_self_reliance", "Zelfredzaamheid van bereikte bewoners die er wonen", "Self-reliance of reached residents still living here",
           "0-1", lambda m, s: s.reached_sr / s.reached if s.reached else 0.0),
    Metric("share_risen", "Aandeel gestegen in inkomen sinds aankomst", "Share risen in income since arrival", "share",
           lambda m, s: s.mean("risen")),
)

METRIC_NAMES: tuple[str, ...] = tuple(m.name for m in METRICS)
BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}


def label(name: str, lang: str = "nl") -> str:
    """Human label of a metric in Dutch (default) or English."""
    m = BY_NAME[name]
    return m.label_en if lang == "en" else m.label_nl


def snapshot(model: NeighbourhoodModel) -> Snapshot:
    """Shared per-tick counts and sums over the live residents."""
    st, ties, p = model.state, model.ties, model.params
    degree, strength, close = ties.totals(p.confidant_strength)
    contact = model.week.neighbour_contact
    if contact.size != st.size:
        contact = np.zeros(st.size, bool)
    tally = _tally(st.alive, st.self_reliance, strength, degree, close, st.participation, st.trust, st.safety,
           st.attachment, st.given, st.load, st.dependency, st.domains, contact, st.style, st.client_of,
           p.strong_threshold, p.sliding_threshold, p.isolation_strength, p.active_level, p.helping_min,
           p.overburden_load, p.dependency_flag, p.problem_threshold, st.income, st.income_start, st.reached)
    values = {k: float(v) for k, v in zip(TALLIES, tally, strict=True)}
    n_reached = int(values["reached"])
    # numpy's (pairwise) sum, as before; most weeks of most runs nobody living here was reached
    reached_sr = float(st.self_reliance[st.alive & st.reached].sum()) if n_reached else 0.0
    return Snapshot(tally=values, sr_alive=st.self_reliance[st.alive], reached=n_reached, reached_sr=reached_sr)


@kernel
def _tally(alive: np.ndarray, sr: np.ndarray, strength: np.ndarray, degree: np.ndarray,
           close: np.ndarray, participation: np.ndarray, trust: np.ndarray, safety: np.ndarray,
           attachment: np.ndarray, given: np.ndarray, load: np.ndarray, dependency: np.ndarray,
           domains: np.ndarray, contact: np.ndarray, style: np.ndarray, client_of: np.ndarray,
           strong_at: float, sliding_at: float, isolated_at: float, active_level: int, helping_min: float,
           overburden_load: float, dependency_flag: float, problem_at: float, income: np.ndarray,
           income_start: np.ndarray, reached: np.ndarray) -> tuple[float | np.int64, ...]:
    """Counts and sums over live residents, in the order of TALLIES."""
    # Branch-free counting (int64 of a comparison) and sums that add +0.0 where a resident does not
    # count: the conditions are unpredictable, and a sum started at 0.0 is unchanged by adding 0.0.
    zero = np.int64(0)
    n = strong = vulnerable = sliding = isolated = degrees = active = acting = zero
    helpers = overburdened = dependent = multi_problem = no_confidant = contacts = zero
    outsiders = outsiders_active = clients = risen = n_reached = zero
    sum_sr = sum_strength = sum_trust = sum_safety = sum_attachment = sum_given = helpers_sr = 0.0
    for i in range(alive.size):
        if not alive[i]:
            continue
        x = sr[i]
        is_active = np.int64(participation[i] >= active_level)
        helper = np.int64(load[i] >= helping_min)
        problems = zero
        for j in range(domains.shape[1]):
            problems += np.int64(domains[i, j] < problem_at)
        strong_i = np.int64(x >= strong_at)
        sliding_i = np.int64(x < sliding_at)
        outsider = np.int64(style[i] == 3)
        n += 1
        sum_sr += x
        strong += strong_i
        vulnerable += np.int64(x < strong_at) * np.int64(x >= sliding_at)
        sliding += sliding_i
        isolated += np.int64(strength[i] < isolated_at)
        degrees += degree[i]
        sum_strength += strength[i]
        active += is_active
        acting += np.int64(participation[i] >= 3)
        sum_trust += trust[i]
        sum_safety += safety[i]
        sum_attachment += attachment[i]
        sum_given += given[i]
        helpers += helper
        overburdened += helper * np.int64(load[i] > overburden_load)
        helpers_sr += x if helper else 0.0
        dependent += np.int64(dependency[i] > dependency_flag)
        multi_problem += np.int64(problems >= 3)
        no_confidant += np.int64(close[i] == 0)
        contacts += np.int64(contact[i])
        outsiders += outsider
        outsiders_active += outsider * is_active
        clients += np.int64(client_of[i] >= 0)
        risen += np.int64(income[i] > income_start[i])
        n_reached += np.int64(reached[i])
    return (n, sum_sr, strong, vulnerable, sliding, isolated, degrees, sum_strength, active, acting,
              sum_trust, sum_safety, sum_attachment, sum_given, helpers, overburdened, helpers_sr,
            dependent, multi_problem, no_confidant, contacts, outsiders, outsiders_active, clients, risen, n_reached)


def collect(model: NeighbourhoodModel) -> dict[str, float]:
    """All metrics for the current tick."""
    snap = snapshot(model)
    return {m.name: m.compute(model, snap) for m in METRICS}
