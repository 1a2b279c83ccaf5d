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
  0.01 gained, times 100. Not defined when there is no gain. Its 95 % interval comes from a paired
  bootstrap over replications (seed BOOTSTRAP_SEED), computed only when the gain's t-interval lies
  above zero; tables show it per point (0-100) and only then.

Tables for people (`display_rows`, `display_summary`, `to_markdown`) are in one language, with the
metrics' labels, self-reliance in points and shares in %; moments on the same week are one row.
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
from buurtsim.escape import csv_frame, md_cell
from buurtsim.experiment.intervals import CONFIDENCE, t_half_width
from buurtsim.experiment.spec import TWO_YEARS, parse_moment, resolve_moment
from buurtsim.experiment.store import load_manifest, timeseries_path
from buurtsim.formatting import number, pick
from buurtsim.limits import MAX_MOMENTS, shorten

HEADLINE = "mean_self_reliance"
#: The outcomes shown on screen and in reports unless others are asked for.
HEADLINE_METRICS = ("mean_self_reliance", "share_sliding", "participation_rate", "trust_in_institutions", "dependency_share", "cost_eur")
EFFECT_SIZE = "paired Cohen's d_z = mean of paired differences / sd of paired differences"
#: Seed of the paired bootstrap for the cost-per-unit interval (fixed: same results, same interval).
BOOTSTRAP_SEED = 20110101
ROW_COLUMNS = ("scenario", "metric", "moment", "tick", "n", "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high", "effect_size",
               "diff_sd")
#: Units of neighbourhood-level outcomes (means and shares over residents), whose differences are
#: also given in between-neighbourhood standard deviations.
NEIGHBOURHOOD_UNITS = ("share", "0-1")
SD_UNITS = ("the difference divided by the standard deviation of the baseline over its replications at that moment: "
            "a stand-in for the spread between neighbourhoods, so that an implausibly large effect shows at a glance")


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


def in_sd(diff: float, baseline_values: np.ndarray, metric: str) -> float:
    """A neighbourhood-level difference in standard deviations of the baseline over replications
    (nan for other outcomes, or when the baseline does not vary)."""
    from buurtsim.metrics import BY_NAME

    if metric not in BY_NAME or BY_NAME[metric].unit not in NEIGHBOURHOOD_UNITS:
        return math.nan
    x = np.asarray(baseline_values, float)
    x = x[np.isfinite(x)]
    sd = float(x.std(ddof=1)) if x.size > 1 else 0.0
    return diff / sd if sd > 0 and math.isfinite(diff) else math.nan


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
    robustness: list[Any] = field(default_factory=list)  # `robustness.Robustness` per pair and outcome (ensemble experiments)
    worlds: dict[str, Any] = field(default_factory=dict)  # the manifest's record of the ensemble (ensemble experiments)

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
                                       "diff": math.nan, "diff_ci_low": math.nan, "diff_ci_high": math.nan, "effect_size": math.nan,
                                       "diff_sd": math.nan}
                if not is_base:
                    base = _values_at(df, base_of[g], tick, metric)
                    diffs = (vals - base).dropna()  # aligned on replication: paired by seed
                    d, dlo, dhi = mean_ci(diffs.to_numpy())
                    row.update({"diff": d, "diff_ci_low": dlo, "diff_ci_high": dhi, "effect_size": effect_size(diffs.to_numpy()),
                                "diff_sd": in_sd(d, base.to_numpy(), metric)})
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
    s.update(_cost_per_unit_interval(df, g, base, last, s["population_at_end"]))
    return s


def _paired_values(df: pd.DataFrame, g: str, base: str, tick: int, metric: str) -> pd.Series:
    return (_values_at(df, g, tick, metric) - _values_at(df, base, tick, metric)).dropna()


def _cost_per_unit_interval(df: pd.DataFrame, g: str, base: str, last: int, population: float) -> dict[str, float]:
    """The gain's t-interval and, when the gain is distinguishable and positive, a paired-bootstrap
    interval of the cost per unit (the same replication pairs for gain and cost; seed fixed)."""
    from buurtsim.experiment.paired import paired_bootstrap, percentile_estimate

    out = {"gain_at_end_low": math.nan, "gain_at_end_high": math.nan, "cost_per_unit_low": math.nan, "cost_per_unit_high": math.nan}
    gains = _paired_values(df, g, base, last, HEADLINE)
    _, lo, hi = mean_ci(gains.to_numpy())
    out["gain_at_end_low"], out["gain_at_end_high"] = lo, hi
    if "cost_eur" not in df.columns or not (lo > 0) or not population > 0:
        return out
    costs = _paired_values(df, g, base, last, "cost_eur")
    both = pd.concat([gains.rename("gain"), costs.rename("cost")], axis=1).dropna()
    cols = {"gain": both["gain"].to_numpy(), "cost": both["cost"].to_numpy()}

    def ratio(c: dict[str, np.ndarray]) -> float:
        units = float(c["gain"].mean()) * population
        return float(c["cost"].mean()) / units if units > 0 else math.nan

    est = percentile_estimate(ratio(cols), paired_bootstrap(cols, ratio, samples=2000, seed=BOOTSTRAP_SEED), len(both))
    out["cost_per_unit_low"], out["cost_per_unit_high"] = est.low, est.high
    return out


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
    metrics = list(dict.fromkeys(metrics or exp.get("outputs") or []))
    asked = at or exp.get("ticks_of_interest") or ["end"]
    if len(asked) > MAX_MOMENTS:
        raise UserError(f"--at: {len(asked):,} moments; expected at most {MAX_MOMENTS} (each adds a row per scenario and outcome)")
    moments: list[int | str] = []
    for value in asked:
        try:
            item: int | str = int(value) if isinstance(value, str) and value.strip().isdigit() else value
            parse_moment(item)
        except ValueError as exc:  # also int() of a number of thousands of digits
            raise UserError(f"--at: {shorten(str(exc), 300)}") from None
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
    if exp.get("uncertainty"):
        from buurtsim.experiment.robustness import results_robustness

        comp.robustness = results_robustness(out, manifest)
        comp.worlds = exp["uncertainty"]
    return comp


# --- rendering --------------------------------------------------------------------------------------
def _moment_rows(comp: Comparison) -> list[dict[str, Any]]:
    """The rows with moments that fall on the same week merged ('end_of_funding, 312'): no repeats."""
    merged: dict[tuple[str, str, int], dict[str, Any]] = {}
    for r in comp.rows:
        key = (r["scenario"], r["metric"], r["tick"])
        if key in merged:
            if r["moment"] not in merged[key]["moments"]:
                merged[key]["moments"].append(r["moment"])
        else:
            merged[key] = {**r, "moments": [r["moment"]]}
    return list(merged.values())


def _moment_label(moments: list[str], tick: int, lang: str) -> str:
    names = {"end": pick(lang, "eind", "end"), "end_of_funding": pick(lang, "einde financiering", "end of funding"),
             "end_of_funding+2y": pick(lang, "2 jaar na einde financiering", "2 years after end of funding")}
    words = [names.get(m, m) for m in moments if not str(m).isdigit()]
    return ", ".join([*words, f"week {tick}"])


def _shown(metric: str, value: float, lang: str, *, sign: bool = False) -> str:
    from buurtsim.formatting import metric_value

    return metric_value(metric, value, lang, sign=sign)


def _shown_ci(metric: str, value: float, lo: float, hi: float, lang: str, *, sign: bool = False) -> str:
    from buurtsim.formatting import display_scale, interval, missing

    if missing(value):
        return "-"
    text = _shown(metric, value, lang, sign=sign)
    if missing(lo) or lo == hi:  # no interval, or no spread to show
        return text
    scale = display_scale(metric)
    digits = 1 if scale == 100 else (0 if abs(hi - lo) >= 100 else None)
    return f"{text} {interval(lo * scale, hi * scale, lang, digits, unit='EUR' if metric == 'cost_eur' else '')}"


def display_rows(comp: Comparison, lang: str = "nl") -> tuple[list[str], list[list[str]]]:
    """Headers and formatted cells of the detailed table (text, Markdown, HTML): readable labels,
    self-reliance in points (0-100), shares in %, one row per week, d_z only where it is defined."""
    from buurtsim.formatting import metric_unit, missing
    from buurtsim.metrics import BY_NAME, label

    headers = [pick(lang, "scenario", "scenario"), pick(lang, "uitkomst", "outcome"), pick(lang, "moment", "moment"), "n",
               pick(lang, "gemiddelde [95%-interval]", "mean [95% CI]"), pick(lang, f"verschil met {comp.baseline} [95%-interval]", f"difference to {comp.baseline} [95% CI]"),
               pick(lang, "oordeel", "verdict"), "d_z", pick(lang, "in sd tussen wijken", "in sd between neighbourhoods")]
    cells = []
    for r in _moment_rows(comp):
        m = r["metric"]
        name = (label(m, lang) if m in BY_NAME else m) + f" ({metric_unit(m, lang)})"
        if missing(r["diff"]):
            verdict = ""
        elif r["diff"] == 0 and r["diff_ci_low"] == r["diff_ci_high"]:
            verdict = pick(lang, "geen verschil", "no difference")
        elif not missing(r["diff_ci_low"]) and (r["diff_ci_low"] > 0 or r["diff_ci_high"] < 0):
            verdict = pick(lang, "verschil", "difference")
        else:
            verdict = pick(lang, "niet te onderscheiden", "not distinguishable")
        dz = r["effect_size"]
        cells.append([r["scenario"], name, _moment_label(r["moments"], r["tick"], lang), str(r["n"]),
                      _shown_ci(m, r["mean"], r["ci_low"], r["ci_high"], lang),
                      _shown_ci(m, r["diff"], r["diff_ci_low"], r["diff_ci_high"], lang, sign=True), verdict,
                      "-" if missing(dz) else number(dz, lang, 2),
                      "-" if missing(r.get("diff_sd", math.nan)) else number(r["diff_sd"], lang, 1, sign=True)])
    return headers, cells


def display_summary(comp: Comparison, lang: str = "nl") -> tuple[list[str], list[list[str]]]:
    """Headers and cells of the durability and cost table (self-reliance in points, 0-100). Cost per
    point is shown, with its interval, only when the gain at the end is distinguishable and positive."""
    from buurtsim.formatting import euros, interval, points

    headers = [pick(lang, "scenario", "scenario"), pick(lang, "einde financiering (week)", "end of funding (week)"),
               pick(lang, "winst bij einde financiering (punten)", "gain at end of funding (points)"),
               pick(lang, "winst 2 jaar later (punten)", "gain 2 years later (points)"), pick(lang, "duurzaamheid", "durability"),
               pick(lang, "extra kosten", "extra cost"), pick(lang, "winst aan het eind (punten) [95%-interval]", "gain at the end (points) [95% CI]"),
               pick(lang, "kosten per punt per bewoner [95%-interval]", "cost per point per resident [95% CI]")]
    cells = []
    for s in comp.summary:
        lo, hi = s.get("gain_at_end_low", math.nan), s.get("gain_at_end_high", math.nan)
        gain = number(points(s["gain_at_end"]), lang, 2, sign=True) + (f" {interval(points(lo), points(hi), lang, 2)}" if not math.isnan(lo) else "")
        if not math.isnan(s.get("cost_per_unit_low", math.nan)):
            per = f"{euros(s['cost_per_unit_eur'] / 100, lang)} {interval(s['cost_per_unit_low'] / 100, s['cost_per_unit_high'] / 100, lang, unit='EUR')}"
        else:
            per = pick(lang, "geen: geen te onderscheiden winst", "none: no distinguishable gain")
        cells.append([s["scenario"], "-" if s["funding_end"] is None else str(s["funding_end"]), number(points(s["gain_at_funding_end"]), lang, 2, sign=True),
                      number(points(s["gain_two_years_later"]), lang, 2, sign=True), number(s["durability"], lang, 2), euros(s["extra_cost_eur"], lang), gain, per])
    return headers, cells


def explanation(lang: str = "nl") -> str:
    """What the numbers in the detailed tables mean, in one language."""
    return pick(
        lang,
        "Intervallen: 95%-t-intervallen over replicaties. Verschil: gepaard verschil met de basislijn (zelfde seed per replicatie); "
        "'niet te onderscheiden' als het interval nul bevat. Zelfredzaamheid in punten (0-100), aandelen in %. "
        "d_z: gepaarde effectgrootte (gemiddelde / standaardafwijking van de verschillen), '-' als de verschillen niet variëren. "
        "In sd tussen wijken: bij uitkomsten op wijkniveau (gemiddelden en aandelen) het verschil gedeeld door de standaardafwijking "
        "van de basislijn over de replicaties, als maat voor de spreiding tussen wijken: een effect van meerdere sd's is ongeloofwaardig groot. "
        "Duurzaamheid: winst in zelfredzaamheid twee jaar na het einde van de financiering / winst bij het einde. "
        "Kosten per punt: extra kosten / (winst in punten x bewoners), alleen als de winst te onderscheiden is; interval uit een gepaarde bootstrap.",
        f"Intervals: 95 % t-intervals over replications. Difference: paired difference to the baseline (same seed per replication); "
        f"'not distinguishable' where the interval covers zero. Self-reliance in points (0-100), shares in %. d_z: {EFFECT_SIZE}, "
        f"'-' where the differences do not vary. In sd between neighbourhoods (neighbourhood-level outcomes: means and shares): {SD_UNITS}; "
        "an effect of several sd is implausibly large. Durability: gain in self-reliance two years after the end of funding / gain at the end of funding. "
        "Cost per point: extra cost / (gain in points x residents), only where the gain is distinguishable; interval from a paired bootstrap.",
    )


EXPLANATION = explanation("en")


def _markdown_table(headers: list[str], cells: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in cells]
    return "\n".join(lines)


def to_markdown(comp: Comparison, lang: str = "nl") -> str:
    """Both tables as Markdown, with the explanation and notes."""
    parts = ["## " + pick(lang, "Vergelijking", "Comparison"), "", _markdown_table(*display_rows(comp, lang))]
    if comp.summary:
        parts += ["", "## " + pick(lang, "Duurzaamheid en kosten", "Durability and cost"), "", _markdown_table(*display_summary(comp, lang))]
    if comp.robustness:
        from buurtsim.experiment import robustness

        parts += ["", "## " + pick(lang, "Robuustheid over plausibele werelden", "Robustness over plausible worlds"), "",
                  robustness.worlds_note(comp.worlds, lang), "",
                  *(f"- {md_cell(robustness.sentence(v, lang))}" for v in comp.robustness), "", robustness.explanation(lang)]
    parts += ["", explanation(lang), *(f"- {n}" for n in comp.notes)]
    return "\n".join(parts) + "\n"


def to_csv(comp: Comparison) -> str:
    """One CSV: the main rows, with the scenario's durability and cost columns joined on."""
    df = comp.frame()
    summ = comp.summary_frame()
    if not summ.empty and not df.empty:
        df = df.merge(summ.drop(columns=["metric"]), on="scenario", how="left")
    buf = io.StringIO()
    csv_frame(df).to_csv(buf, index=False)  # a hand-edited scenario name cannot become a spreadsheet formula
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
        "diff_sd": SD_UNITS,
        "definitions": EXPLANATION,
        "rows": [{k: _clean(v) for k, v in r.items()} for r in comp.rows],
        "summary": [{k: _clean(v) for k, v in s.items()} for s in comp.summary],
        "notes": comp.notes,
    }
    if comp.robustness:
        from buurtsim.experiment.robustness import explanation as robustness_explanation
        from buurtsim.experiment.robustness import to_records

        data["robustness"] = [{k: _clean(v) for k, v in r.items()} for r in to_records(comp.robustness)]
        data["robustness_definitions"] = robustness_explanation("en")
    return json.dumps(data, indent=1, ensure_ascii=False)
