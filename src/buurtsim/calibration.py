"""Calibration targets with their bands, and how each is measured on a run.

The published figures are those of the project's calibration targets (C1-C12), each with the band
in which a deprived Dutch neighbourhood (the `basis` scenario) should sit. `experiments/calibration.py`
runs the replications and writes the table that `docs/calibration.md` quotes; a fast test checks
that the defaults stay inside the bands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from buurtsim.processes.ties import ACQUAINTANCE

if TYPE_CHECKING:
    import pandas as pd

    from buurtsim.model import NeighbourhoodModel

YEAR = 52
RETENTION_YEARS = 7  # Mollenhorst, Volker & Flap (2014) compare 2000 with 2007


@dataclass(frozen=True)
class Target:
    """One calibration target: what is measured, the published figure and the accepted band."""

    tid: str
    key: str  # quantity name in the measurements
    what: str
    published: str
    source: str
    lo: float
    hi: float
    when: str  # "start" (tick 0, after the burn-in), "run" (over the ten years) or "end" (year 10)
    scenario: str = "basis"

    def holds(self, value: float) -> bool:
        """The value lies in the band."""
        return self.lo <= value <= self.hi


TARGETS: tuple[Target, ...] = (
    Target("C1", "share_multi_problem", "problems in 3 or more life domains",
           "about 1 in 6 adults nationally; a deprived neighbourhood worse", "SCP, Zicht op zorgen (2023)",
           0.15, 0.30, "start"),
    Target("C1", "share_sliding", "survivors/sliders (self-reliance < 0.35; stacked problems, few resources)",
           "'vulnerable' about 1 in 10 nationally; a deprived neighbourhood worse", "SCP, Zicht op zorgen (2023)",
           0.10, 0.25, "start"),
    Target("C2", "share_sliding", "not self-reliant even with heavy support (combinatie, three presence workers), year 10",
           "10-15 % in deprived neighbourhoods", "Wijkengids, 'Investeer in zelfredzaamheid' (section 4.6)",
           0.10, 0.15, "end", "combinatie"),
    Target("C3", "share_isolated", "isolated (summed tie strength below isolation_strength)",
           "strongly lonely 9-11 % (age 15+); worse in deprived areas", "CBS, Sociale samenhang en welzijn (2019-2024)",
           0.08, 0.16, "start"),
    Target("C4", "share_neighbour_contact", "weekly contact with a neighbour",
           "55-66 % (2012, 2020)", "CBS", 0.50, 0.66, "start"),
    Target("C5", "participation_rate", "participating (ladder rung >= active_level)",
           "about 30 % volunteer; 35 % a year among the lowest educated", "CBS", 0.15, 0.35, "start"),
    Target("C6", "share_helping", "giving informal help",
           "about 36 % of adults", "SCP", 0.30, 0.45, "start"),
    Target("C6", "overburdened_share", "of helpers, over-asked",
           "about 9 % of caregivers overloaded", "RIVM, Monitor Langer Thuis (2019)", 0.05, 0.15, "start"),
    Target("C7", "share_no_confidant", "no confidant in the neighbourhood (no tie >= confidant_strength)",
           "about a quarter have no confidant at all (ties anywhere)", "McPherson et al. (2006, US)",
           0.0, 0.30, "start"),
    Target("C11", "moving_rate", "households' members moving out per year (share of residents)",
           "about 10 % at age 40 (27 % at 25-29, 4 % at 60)", "CBS (2017)", 0.08, 0.12, "run"),
    Target("C12", "tie_retention", "of a staying resident's family, friend and neighbour ties, still there 7 years later",
           "about 48 %", "Mollenhorst, Volker & Flap (2014), Social Networks 37", 0.43, 0.53, "run"),
)

# Quantities that must not drift by more than DRIFT_LIMIT of their level between year 1 and
# year 10 under income-neutral migration (the baseline is settled, not still starting up).
DRIFT_KEYS: tuple[str, ...] = (
    "mean_self_reliance", "share_multi_problem", "share_sliding", "share_isolated", "share_neighbour_contact",
    "participation_rate", "share_helping", "overburdened_share", "share_no_confidant", "perceived_safety",
)
DRIFT_LIMIT = 0.10

NEUTRAL_MIGRATION: dict[str, object] = {
    # Income-neutral moving: every class equally mobile, newcomers like the starting population.
    "income_mobility": (1.0, 1.0, 1.0),
    "newcomer_income_shares": (0.55, 0.33, 0.12),
    "newcomer_potential_shift": 0.0,
}


def tie_pairs(model: NeighbourhoodModel) -> set[tuple[int, int]]:
    """Live family, friend and neighbour ties as pairs of resident ids (acquaintances left out)."""
    t = model.ties
    e = np.flatnonzero(t.alive[: t.n] & (t.kind[: t.n] != ACQUAINTANCE))
    ua, ub = model.state.uid[t.a[e]], model.state.uid[t.b[e]]
    return set(zip(np.minimum(ua, ub).tolist(), np.maximum(ua, ub).tolist(), strict=True))


def tie_retention(before: set[tuple[int, int]], model: NeighbourhoodModel) -> float:
    """Respondent-based share of ties still there: for every resident who had a tie then and still
    lives here, count that tie, whether or not the other still lives here (Mollenhorst et al. 2014)."""
    here = set(model.state.uid[model.state.alive].tolist())
    now = tie_pairs(model)
    kept = total = 0
    for a, b in before:
        egos = (a in here) + (b in here)
        total += egos
        kept += egos if (a, b) in now else 0
    return kept / total if total else float("nan")


def moving_rate(metrics: pd.DataFrame) -> float:
    """Residents moving out per year as a share of the population, over the whole run."""
    moved = metrics["moved_out"].iloc[1:]
    years = len(moved) / YEAR
    return float(moved.sum() / years / metrics["population"].mean()) if years else float("nan")


def write_doc_block(doc: Path, name: str, text: str) -> bool:
    """Replace the text between `<!-- name:start -->` and `<!-- name:end -->` in a document with
    `text` (generated tables that a page quotes); False when the page has no such block."""
    old = doc.read_text(encoding="utf-8")
    block = re.compile(rf"(<!-- {re.escape(name)}:start -->\n).*?(<!-- {re.escape(name)}:end -->)", re.S)
    if not block.search(old):
        return False
    doc.write_text(block.sub(lambda m: m.group(1) + text + m.group(2), old), encoding="utf-8")
    return True


def replicate(scenario: str, seed: int, n: int, overrides: dict[str, object] | None = None,
              policy_changes: tuple[tuple[str, str, object], ...] = (), ticks: int = 10 * YEAR) -> dict[str, object]:
    """One replication of a shipped scenario: the metrics table, tie retention over seven years
    from year 1 (when the run is long enough) and the moving rate."""
    from buurtsim.model import NeighbourhoodModel

    model = NeighbourhoodModel.from_scenario(scenario, seed=seed, n_residents=n, **(overrides or {}))
    for label, field, value in policy_changes:
        pol = model.policy(label)
        if pol is None:
            raise ValueError(f"scenario {scenario!r} has no policy {label!r}")
        pol.config = pol.config.model_copy(update={field: value})
    retention = float("nan")
    if ticks >= YEAR * (1 + RETENTION_YEARS):
        model.run(YEAR)
        before = tie_pairs(model)
        model.run(RETENTION_YEARS * YEAR)
        retention = tie_retention(before, model)
    metrics = model.run(ticks - model.tick)
    return {"metrics": metrics, "tie_retention": retention, "moving_rate": moving_rate(metrics)}
