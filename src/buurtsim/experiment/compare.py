"""Compare scenarios with uncertainty over replications.

Per scenario, metric and moment: the mean over replications with its 95 % t-interval; the paired
difference to the baseline (replication r of both used the same seed) with its 95 % t-interval;
and a standardised effect size, the paired Cohen's d_z = mean(difference) / sd(difference).

Per scenario against the baseline, for the headline metric (mean self-reliance):
- durability: the gain (paired mean difference to the baseline) two years (104 weeks) after the
  end of funding divided by the gain at the end of funding; 1 means fully kept, 0 all gone.
  End of funding is the week the scenario's last policy stopped (from the runs; none while a
  policy still runs at the horizon, and then durability is not defined).
- cost per unit of self-reliance: extra cost over the baseline at the end (cost_eur) divided by
  the self-reliance gain at the end times the population at the end, i.e. euros per one full
  point (0 -> 1) of self-reliance gained by one resident; equivalently euros per resident per
  0.01 gained, times 100. Not defined when there is no gain.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from buurtsim.errors import UserError
from buurtsim.experiment.intervals import CONFIDENCE, t_half_width
from buurtsim.experiment.spec import TWO_YEARS, parse_moment, resolve_moment
from buurtsim.experiment.store import load_manifest, timeseries_path

HEADLINE = "mean_self_reliance"
#: The outcomes shown on screen and in reports unless others are asked for.
HEADLINE_METRICS = ("mean_self_reliance", "share_sliding", "participation_rate", "trust_in_institutions", "dependency_share", "cost_eur")
EFFECT_SIZE = "paired Cohen's d_z = mean of paired differences / sd of paired differences"
ROW_COLUMNS = ("scenario", "metric", "moment", "tick", "n", "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high", "effect_size")


def mean_ci(values: np.ndarray | list[float], level: float = CONFIDENCE) -> tuple[float, float, float]:
    """Mean and two-sided t-interval (mean, low, high); a single value has an undefined (nan) interval."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return (math.nan, math.nan, math.nan)
    m = float(x.mean())
    if x.size < 2:
        return (m, math.nan, math.nan)
    half = float(t_half_width(x.std(ddof=1), x.size, level))
    return (m, m - half, m + half)


def effect_size(diffs: np.ndarray | list[float]) -> float:
    """Paired Cohen's d_z: mean / sd (ddof 1) of the paired differences; nan if undefined."""
    d = np.asarray(diffs, dtype=float)
    d = d[~np.isnan(d)]
    if d.size < 2:
        return math.nan
    sd = float(d.std(ddof=1))
    if sd <= 1e-12 * max(1.0, abs(float(d.mean()))):  # no spread (rounding aside): undefined or infinite
        return math.nan if float(d.mean()) == 0.0 else math.copysign(math.inf, float(d.mean()))
    return float(d.mean()) / sd


@dataclass
class Comparison:
    """The comparison: one row per scenario x metric x moment, and one summary per scenario."""

    baseline: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame."""
        return pd.DataFrame(self.rows)

    def summary_frame(self) -> pd.DataFrame:
        """The per-scenario summary as a DataFrame."""
        return pd.DataFrame(self.summary)


def _key(df: pd.DataFrame) -> pd.Series:
    if "point" in df.columns:
        return df["scenario"].astype(str) + " [p" + df["point"].astype(int).astype(str) + "]"
    return df["scenario"].astype(str)


def _values_at(df: pd.DataFrame, group: str, tick: int, metric: str) -> pd.Series:
    sel = df[(df["_group"] == group) & (df["tick"] == tick)]
    return sel.set_index("replication")[metric]


def compare_frame(
    df: pd.DataFrame,
    *,
    baseline: str,
    moments: list[int | str],
    metrics: list[str],
    funding_end: dict[str, int | None],
    last_tick: dict[str, int] | None = None,
) -> Comparison:
    """Compare every scenario in `df` (columns scenario, replication, tick, metrics) with `baseline`."""
    df = df.copy()
    df["_group"] = _key(df)
    if baseline not in set(df["scenario"].astype(str)):
        names = ", ".join(sorted(set(df["scenario"].astype(str))))
        raise UserError(f"--baseline: '{baseline}' is not a scenario in these results; expected one of: {names}")
    missing = [m for m in metrics if m not in df.columns]
    if missing:
        raise UserError(f"--metric: not in these results: {', '.join(missing)}")
    out = Comparison(baseline=baseline)
    groups = list(dict.fromkeys(df["_group"]))
    scen_of = dict(zip(df["_group"], df["scenario"].astype(str), strict=False))
    base_of = {g: g.replace(scen_of[g], baseline, 1) for g in groups}
    last = {g: int(df.loc[df["_group"] == g, "tick"].max()) for g in groups}
    if last_tick:
        last = {g: min(last[g], last_tick.get(scen_of[g], last[g])) for g in groups}
    parsed = [(str(m), parse_moment(m)) for m in moments]
    for g in groups:
        scen = scen_of[g]
        fe = funding_end.get(scen)
        is_base = scen == baseline
        for label, moment in parsed:
            tick = resolve_moment(moment, last[g], fe)
            if tick is None:
                if moment[0] == "end_of_funding" and fe is None:
                    if not is_base:
                        out.notes.append(f"{g}: '{label}' does not apply (funding does not end within the run)")
                else:
                    out.notes.append(f"{g}: '{label}' lies outside the run (weeks 0-{last[g]})")
                continue
            for metric in metrics:
                vals = _values_at(df, g, tick, metric)
                mean, lo, hi = mean_ci(vals.to_numpy())
                row: dict[str, Any] = {"scenario": g, "metric": metric, "moment": label, "tick": tick, "n": int(vals.notna().sum()),
                                       "mean": mean, "ci_low": lo, "ci_high": hi,
                                       "diff": math.nan, "diff_ci_low": math.nan, "diff_ci_high": math.nan, "effect_size": math.nan}
                if not is_base:
                    base = _values_at(df, base_of[g], tick, metric)
                    diffs = (vals - base).dropna()  # aligned on replication: paired by seed
                    d, dlo, dhi = mean_ci(diffs.to_numpy())
                    row.update({"diff": d, "diff_ci_low": dlo, "diff_ci_high": dhi, "effect_size": effect_size(diffs.to_numpy())})
                out.rows.append(row)
    for g in groups:
        scen = scen_of[g]
        if scen == baseline:
            continue
        out.summary.append(_summary(df, g, base_of[g], funding_end.get(scen), last[g]))
    return out


def _paired_mean(df: pd.DataFrame, g: str, base: str, tick: int, metric: str) -> float:
    if metric not in df.columns:
        return math.nan
    diffs = (_values_at(df, g, tick, metric) - _values_at(df, base, tick, metric)).dropna()
    return float(diffs.mean()) if diffs.size else math.nan


def _summary(df: pd.DataFrame, g: str, base: str, fe: int | None, last: int) -> dict[str, Any]:
    s: dict[str, Any] = {"scenario": g, "metric": HEADLINE, "funding_end": fe, "gain_at_funding_end": math.nan,
                         "gain_two_years_later": math.nan, "durability": math.nan, "extra_cost_eur": math.nan,
                         "gain_at_end": math.nan, "population_at_end": math.nan, "cost_per_unit_eur": math.nan}
    if fe is not None and fe <= last:
        s["gain_at_funding_end"] = _paired_mean(df, g, base, fe, HEADLINE)
        if fe + TWO_YEARS <= last:
            s["gain_two_years_later"] = _paired_mean(df, g, base, fe + TWO_YEARS, HEADLINE)
            if s["gain_at_funding_end"] > 0:
                s["durability"] = s["gain_two_years_later"] / s["gain_at_funding_end"]
    s["extra_cost_eur"] = _paired_mean(df, g, base, last, "cost_eur")
    s["gain_at_end"] = _paired_mean(df, g, base, last, HEADLINE)
    if "population" in df.columns:
        s["population_at_end"] = float(_values_at(df, g, last, "population").mean())
    units = s["gain_at_end"] * s["population_at_end"]
    if units > 0 and not math.isnan(s["extra_cost_eur"]):
        s["cost_per_unit_eur"] = s["extra_cost_eur"] / units
    return s


def funding_ends(manifest: dict[str, Any]) -> dict[str, int | None]:
    """End of funding per scenario from the finished runs (the latest over replications)."""
    out: dict[str, int | None] = {}
    for s in manifest.get("scenarios", []):
        ends = [r.get("funding_end") for r in manifest.get("runs", []) if r["scenario"] == s["name"] and r.get("status") == "done"]
        known = [e for e in ends if e is not None]
        out[s["name"]] = max(known) if known and len(known) == len(ends) else None
    return out


def compare_results(
    out: str | Path, *, baseline: str | None = None, at: list[str] | None = None, metrics: list[str] | None = None
) -> Comparison:
    """Compare the scenarios stored in a results directory (see `compare_frame`)."""
    manifest = load_manifest(out)
    path = timeseries_path(out, manifest)
    exp = manifest["experiment"]
    metrics = list(metrics or exp.get("outputs") or [])
    moments: list[int | str] = []
    for value in at or exp.get("ticks_of_interest") or ["end"]:
        item: int | str = int(value) if isinstance(value, str) and value.strip().isdigit() else value
        try:
            parse_moment(item)
        except ValueError as exc:
            raise UserError(f"--at: {exc}") from None
        moments.append(item)
    import pyarrow.parquet as pq

    available = set(pq.read_schema(path).names)
    unknown = [m for m in metrics if m not in available]
    if unknown:
        raise UserError(f"--metric: not stored in {path}: {', '.join(unknown)}; stored: {', '.join(sorted(available - {'scenario', 'replication', 'seed', 'tick', 'point'}))}")
    needed = [c for c in ("scenario", "point", "replication", "tick") if c in available]
    needed += list(dict.fromkeys([*metrics, *(c for c in (HEADLINE, "cost_eur", "population") if c in available)]))
    df = pd.read_parquet(path, columns=needed)
    last = {s["name"]: int(s["ticks"]) for s in manifest.get("scenarios", [])}
    comp = compare_frame(df, baseline=baseline or exp["baseline"], moments=moments, metrics=metrics,
                         funding_end=funding_ends(manifest), last_tick=last)
    if exp.get("sweep"):
        comp.notes += [f"[p{j}]: " + ", ".join(f"{k} = {v}" for k, v in point.items()) for j, point in enumerate(exp.get("points", []))]
    return comp


# --- rendering --------------------------------------------------------------------------------------
def fmt(value: Any, digits: int = 4) -> str:
    """A number for tables: significant digits, thousands for large values, '-' for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, int | np.integer):
        return str(int(value))
    v = float(value)
    if abs(v) >= 10_000:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def interval(lo: float, hi: float) -> str:
    """[lo, hi] or '-'."""
    return "-" if math.isnan(lo) else f"[{fmt(lo)}, {fmt(hi)}]"


def with_ci(value: float, lo: float, hi: float) -> str:
    """'value [lo, hi]', or just the value when there is no interval, or '-'."""
    if math.isnan(value):
        return "-"
    return fmt(value) if math.isnan(lo) else f"{fmt(value)} {interval(lo, hi)}"


def display_rows(comp: Comparison) -> tuple[list[str], list[list[str]]]:
    """Headers and formatted cells of the main table (shared by text, Markdown and HTML output)."""
    headers = ["scenario", "metric", "moment (week)", "n", "mean [95% CI]", f"diff vs {comp.baseline} [95% CI]", "d_z"]
    cells = [[r["scenario"], r["metric"], f"{r['moment']} ({r['tick']})", str(r["n"]), with_ci(r["mean"], r["ci_low"], r["ci_high"]),
              with_ci(r["diff"], r["diff_ci_low"], r["diff_ci_high"]), fmt(r["effect_size"], 3)] for r in comp.rows]
    return headers, cells


def display_summary(comp: Comparison) -> tuple[list[str], list[list[str]]]:
    """Headers and formatted cells of the durability and cost table."""
    headers = ["scenario", "end of funding (week)", "gain at end of funding", "gain 2 years later", "durability",
               "extra cost (EUR)", "gain at end", "cost per unit (EUR)"]
    cells = [[s["scenario"], fmt(s["funding_end"]), fmt(s["gain_at_funding_end"]), fmt(s["gain_two_years_later"]),
              fmt(s["durability"], 3), fmt(s["extra_cost_eur"]), fmt(s["gain_at_end"]), fmt(s["cost_per_unit_eur"])] for s in comp.summary]
    return headers, cells


EXPLANATION = (
    f"Intervals: 95 % t-intervals over replications. diff: paired difference to the baseline (same seed per replication). "
    f"d_z: {EFFECT_SIZE}. Durability: gain in {HEADLINE} two years after the end of funding / gain at the end of funding. "
    "Cost per unit: extra cost over the baseline at the end / (gain in mean self-reliance at the end x population), "
    "i.e. euros per one point (0->1) of self-reliance gained by one resident."
)


def _markdown_table(headers: list[str], cells: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
    return "\n".join(lines)


def to_markdown(comp: Comparison) -> str:
    """Both tables as Markdown, with the explanation and notes."""
    parts = ["## Comparison", "", _markdown_table(*display_rows(comp))]
    if comp.summary:
        parts += ["", "## Durability and cost", "", _markdown_table(*display_summary(comp))]
    parts += ["", EXPLANATION, *(f"- {n}" for n in comp.notes)]
    return "\n".join(parts) + "\n"


def to_csv(comp: Comparison) -> str:
    """One CSV: the main rows, with the scenario's durability and cost columns joined on."""
    df = comp.frame()
    summ = comp.summary_frame()
    if not summ.empty and not df.empty:
        df = df.merge(summ.drop(columns=["metric"]), on="scenario", how="left")
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    return buf.getvalue()


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return _clean(float(value))
    return value


def to_json(comp: Comparison) -> str:
    """Everything as JSON (missing values as null)."""
    data = {
        "baseline": comp.baseline,
        "confidence": CONFIDENCE,
        "effect_size": EFFECT_SIZE,
        "definitions": EXPLANATION,
        "rows": [{k: _clean(v) for k, v in r.items()} for r in comp.rows],
        "summary": [{k: _clean(v) for k, v in s.items()} for s in comp.summary],
        "notes": comp.notes,
    }
    return json.dumps(data, indent=1, ensure_ascii=False)
