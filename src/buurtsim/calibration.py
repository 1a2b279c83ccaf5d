"""Calibration targets with their bands, and how each is measured on a run.

The published figures are those of the project's calibration targets (C1-C12), each with the band
in which a deprived Dutch neighbourhood (the `basis` scenario) should sit; they live in the shipped
`targets.toml` (an edited copy can be given to `buurtsim calibrate --targets`). `experiments/calibration.py`
runs the replications and writes the table that `docs/calibration.md` quotes; a fast test checks
that the defaults stay inside the bands.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from buurtsim.errors import UserError
from buurtsim.limits import shorten
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
    policy_changes: tuple[tuple[str, str, object], ...] = ()  # applied to the scenario's policies first

    @property
    def label(self) -> str:
        """How the target is named in an ensemble: id and quantity, e.g. 'C1 share_sliding'."""
        return f"{self.tid} {self.key}"

    def holds(self, value: float) -> bool:
        """The value lies in the band."""
        return self.lo <= value <= self.hi


#: The shipped targets; `buurtsim calibrate --targets FILE` takes an edited copy.
TARGETS_FILE = Path(__file__).resolve().parent / "targets.toml"
#: Bytes of a targets file: a few dozen targets take a few kB.
MAX_TARGETS_BYTES = 256 * 1024
WHEN = ("start", "run", "end")
RUN_QUANTITIES = ("tie_retention", "moving_rate")
_TEXT_FIELDS = ("what", "published", "source")


class TargetsError(UserError, ValueError):
    """A targets file that cannot be used; the message names the file, the field and what was expected."""


def _targets_fail(source: str, where: str, expected: str, got: object = None) -> TargetsError:
    given = "" if got is None else f" (got {shorten(repr(got))})"
    return TargetsError(f"{source}: {where}: expected {expected}{given}")


def _band_value(source: str, where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _targets_fail(source, where, "a finite number", value)
    return float(value)


def _target(source: str, i: int, raw: object, metric_names: frozenset[str], scenarios: frozenset[str]) -> Target:
    where = f"target[{i}]"
    if not isinstance(raw, dict):
        raise _targets_fail(source, where, "a table ([[target]])")
    known = {"id", "quantity", "lo", "hi", "when", "scenario", "policy_changes", *_TEXT_FIELDS}
    extra = sorted(set(raw) - known)
    if extra:
        raise _targets_fail(source, f"{where}.{extra[0]}", f"one of the fields {', '.join(sorted(known))}")
    for name in ("id", "quantity", "when", *_TEXT_FIELDS):
        if not isinstance(raw.get(name, ""), str) or (name in ("id", "quantity", "when") and not raw.get(name)):
            raise _targets_fail(source, f"{where}.{name}", "a text", raw.get(name))
    tid, key, when = raw["id"], raw["quantity"], raw["when"]
    if when not in WHEN:
        raise _targets_fail(source, f"{where}.when", f"one of {', '.join(WHEN)}", when)
    allowed = RUN_QUANTITIES if when == "run" else tuple(sorted(metric_names))
    if key not in allowed:
        hint = difflib.get_close_matches(key, allowed, n=3)
        raise _targets_fail(source, f"{where}.quantity", f"a quantity measured at '{when}'"
                            + (f" (did you mean {', '.join(hint)}?)" if hint else f": {', '.join(allowed[:12])}..."), key)
    lo = _band_value(source, f"{where}.lo", raw.get("lo"))
    hi = _band_value(source, f"{where}.hi", raw.get("hi"))
    if not lo < hi:
        raise _targets_fail(source, f"{where} ({tid} {key})", "a band with lo < hi; no parameter set can meet "
                            f"the band [{lo}, {hi}]")
    if hi < 0.0 or lo > 1.0:
        raise _targets_fail(source, f"{where} ({tid} {key})", "a band that overlaps [0, 1]: the quantity is a share, "
                            f"so no parameter set can meet [{lo}, {hi}]")
    scenario = raw.get("scenario", "basis")
    if scenario not in scenarios:
        raise _targets_fail(source, f"{where}.scenario", f"a shipped scenario: {', '.join(sorted(scenarios))}", scenario)
    changes = raw.get("policy_changes", [])
    if not isinstance(changes, list) or not all(
            isinstance(c, list) and len(c) == 3 and isinstance(c[0], str) and isinstance(c[1], str) for c in changes):
        raise _targets_fail(source, f"{where}.policy_changes", "a list of [policy label, field, value]", changes)
    return Target(tid, key, raw.get("what", ""), raw.get("published", ""), raw.get("source", ""), lo, hi, when,
                  scenario, tuple((c[0], c[1], c[2]) for c in changes))


def load_targets(path: str | Path = TARGETS_FILE) -> tuple[Target, ...]:
    """Read and check a targets file (TOML, a list of [[target]] tables); TargetsError names what is wrong."""
    from buurtsim.metrics import METRIC_NAMES
    from buurtsim.safe_io import parse_toml, read_user_file
    from buurtsim.scenario.library import shipped_scenarios

    source = str(path)
    raw = read_user_file(path, what="targets file (TOML)", limit=MAX_TARGETS_BYTES)
    try:
        data = parse_toml(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _targets_fail(source, "the file", "valid TOML", str(exc)) from None
    extra = sorted(set(data) - {"target"})
    if extra:
        raise _targets_fail(source, extra[0], "only [[target]] tables")
    items = data.get("target")
    if not isinstance(items, list) or not items:
        raise _targets_fail(source, "target", "at least one [[target]] table")
    metric_names, scenarios = frozenset(METRIC_NAMES), frozenset(shipped_scenarios())
    targets = tuple(_target(source, i, t, metric_names, scenarios) for i, t in enumerate(items))
    labels = [t.label for t in targets]
    dup = sorted({x for x in labels if labels.count(x) > 1})
    if dup:
        raise _targets_fail(source, "target", "each (id, quantity) once", dup[0])
    return targets


def targets_file_hash(path: str | Path = TARGETS_FILE) -> str:
    """SHA-256 of a targets file's bytes (what an ensemble's provenance records)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


TARGETS: tuple[Target, ...] = load_targets()

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
