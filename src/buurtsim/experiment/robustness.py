"""Robustness verdicts: in how many plausible worlds does scenario A beat scenario B?

In an experiment over an ensemble (`uncertainty = ...`) replication r of every scenario runs in the
same plausible world: the same ensemble member and the same seed. One replication is one world. Per
scenario pair the experiment names (`pairs`, default: every scenario against the baseline) and per
headline outcome, at the end of the run:

- wins: worlds in which A ends better than B (higher or lower, whichever is better for the outcome);
  ties count as half a win, so the share estimates the probability that A beats B in a world like
  these ("probability of superiority");
- the share with a 95 % Wilson score interval over the n worlds;
- the verdict: A better in most plausible worlds when the whole interval lies above one half, B
  when it lies below, "not distinguishable" when it contains one half, "no difference" when every
  world is a tie.

Honest reading: with one run per world, the sign in a world also holds that run's chance (the
seed). A difference that is small against run-to-run noise pulls the share towards one half even
when A would beat B in every world on average; the share says how often A wins in a world like these,
chance included, not in how many worlds A's expected outcome is better.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from buurtsim.experiment.paired import group_key, per_replication
from buurtsim.formatting import number, percent, pick

#: The normal quantile of the two-sided 95 % interval.
Z95 = 1.959963984540054
#: For each headline outcome: True when higher is better, False when lower is.
HIGHER_IS_BETTER = {
    "mean_self_reliance": True, "share_sliding": False, "participation_rate": True,
    "trust_in_institutions": True, "dependency_share": False, "cost_eur": False,
}
#: Differences no user would call a difference count as ties. Scenarios designed at equal cost
#: (the carousel and presence, 963,300 euros each) differ by a few euros from weekly rounding;
#: without this every world would "favour" the one that is two euros cheaper.
EQUAL_WITHIN = {"cost_eur": 100.0}


def wilson(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a share `successes / n` (nan for n = 0)."""
    if n <= 0:
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Robustness:
    """The share of worlds in which A beats B on one outcome at one week, with its interval."""

    a: str
    b: str
    metric: str
    tick: int
    n: int
    wins: int
    ties: int
    share: float
    low: float
    high: float

    @property
    def verdict(self) -> str:
        """'a' or 'b' (better in most plausible worlds), 'same' (a tie in every world),
        'undecided' (not distinguishable: the interval contains one half) or 'none' (no worlds)."""
        if self.n == 0:
            return "none"
        if self.ties == self.n:
            return "same"
        if self.low > 0.5:
            return "a"
        if self.high < 0.5:
            return "b"
        return "undecided"


def verdict_from_differences(a: str, b: str, metric: str, tick: int, diffs: pd.Series | list[float]) -> Robustness:
    """The verdict from the per-world differences A - B (one per world; nan worlds left out)."""
    d = pd.Series(diffs, dtype=float).dropna()
    better = d if HIGHER_IS_BETTER.get(metric, True) else -d
    better = better.where(better.abs() > EQUAL_WITHIN.get(metric, 0.0), 0.0)
    n, wins, ties = int(d.size), int((better > 0).sum()), int((better == 0).sum())
    share = (wins + ties / 2) / n if n else math.nan
    low, high = wilson(wins + ties / 2, n)
    return Robustness(a, b, metric, tick, n, wins, ties, share, low, high)


def _groups(df: pd.DataFrame, scenario: str) -> list[tuple[str, int | None]]:
    sel = df[df["scenario"].astype(str) == scenario]
    if "point" in df.columns:
        return [(f"{scenario} [p{int(p)}]", int(p)) for p in dict.fromkeys(sel["point"])]
    return [(scenario, None)]


def robustness_frame(df: pd.DataFrame, pairs: list[tuple[str, str]], metrics: list[str],
                     last_tick: dict[str, int] | None = None) -> list[Robustness]:
    """Per pair (and sweep point) and per outcome with a known direction: the verdict at the end
    (the last week both scenarios reached). df: scenario, [point,] replication, tick, metrics."""
    df = df.assign(_group=group_key(df))
    out = []
    for a, b in pairs:
        for ga, point in _groups(df, a):
            gb = b if point is None else f"{b} [p{point}]"
            if not (df["_group"] == gb).any():
                continue
            ends = [int(df.loc[df["_group"] == g, "tick"].max()) for g in (ga, gb)]
            ends += [(last_tick or {}).get(s, ends[0]) for s in (a, b)]
            tick = min(ends)
            for metric in metrics:
                if metric not in df.columns or metric not in HIGHER_IS_BETTER:
                    continue
                va, vb = (per_replication(df, g, metric) for g in (ga, gb))
                if tick not in va.index or tick not in vb.index:
                    continue
                diffs = pd.Series(va.loc[tick] - vb.loc[tick], dtype=float).dropna()  # aligned on replication: the same world
                label_a, label_b = (ga, gb) if point is not None else (a, b)
                out.append(verdict_from_differences(label_a, label_b, metric, tick, diffs))
    return out


def manifest_pairs(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """The pairs a results folder's experiment names, else every scenario against the baseline."""
    exp = manifest["experiment"]
    if exp.get("pairs"):
        return [(str(p[0]), str(p[1])) for p in exp["pairs"]]
    return [(s["name"], exp["baseline"]) for s in manifest.get("scenarios", []) if s["name"] != exp["baseline"]]


def results_robustness(out: str | Path, manifest: dict[str, Any] | None = None, metrics: list[str] | None = None) -> list[Robustness]:
    """The verdicts of a results folder over an ensemble; [] for results without plausible worlds
    (one parameter set: a replication is then not a world, and no verdict is given)."""
    from buurtsim.experiment.answer import results_frame
    from buurtsim.experiment.store import load_manifest

    manifest = manifest if manifest is not None else load_manifest(out)
    if not manifest["experiment"].get("uncertainty"):
        return []
    wanted = [m for m in (metrics or list(HIGHER_IS_BETTER)) if m in HIGHER_IS_BETTER]
    df = results_frame(out, manifest, wanted)
    last = {s["name"]: int(s["ticks"]) for s in manifest.get("scenarios", [])}
    return robustness_frame(df, manifest_pairs(manifest), wanted, last)


def worlds_note(unc: dict[str, Any], lang: str = "nl") -> str:
    """Which ensemble the worlds come from (`unc`: the manifest's `experiment.uncertainty`) and how
    many distinct members the replications use. A hand-edited manifest may hold anything here: what
    is not of the expected shape is read as missing."""
    if not isinstance(unc, dict):
        unc = {}
    reps = unc.get("replication_members")
    reps = [r for r in reps if isinstance(r, int | str)] if isinstance(reps, list) else []
    distinct = len(set(reps))
    text = pick(lang, f"Plausibele werelden uit {unc.get('source', '?')}: {len(reps)} replicaties in {distinct} verschillende leden van het ensemble "
                      f"(van {unc.get('members_in_file', '?')}).",
                f"Plausible worlds from {unc.get('source', '?')}: {len(reps)} replications in {distinct} distinct ensemble members "
                f"(of {unc.get('members_in_file', '?')}).")
    if distinct < len(reps):
        text += pick(lang, " Leden komen vaker voor (naar gewicht), elk keer met een ander seed.",
                     " Members recur (by weight), each time with another seed.")
    fixed = unc.get("fixed_by_levers")
    for scenario, names in (fixed.items() if isinstance(fixed, dict) else ()):
        if not isinstance(names, list):
            continue
        text += pick(lang, f" In {scenario} zet het scenario of experiment zelf {', '.join(map(str, names))}: daar geldt die keuze, niet het ensemble.",
                     f" In {scenario} the scenario or experiment itself sets {', '.join(map(str, names))}: that choice holds there, not the ensemble.")
    return text


def sentence(v: Robustness, lang: str = "nl") -> str:
    """One verdict in a plain sentence ('in 41 van de 50 plausibele werelden ...')."""
    from buurtsim.metrics import BY_NAME, label

    name = label(v.metric, lang) if v.metric in BY_NAME else v.metric
    if v.verdict == "none":
        return pick(lang, f"{v.a} tegenover {v.b}, {name}: geen werelden om te vergelijken.", f"{v.a} against {v.b}, {name}: no worlds to compare.")
    if v.verdict == "same":
        return pick(lang, f"{name}: {v.a} en {v.b} eindigen in alle {v.n} plausibele werelden gelijk (geen verschil).",
                    f"{name}: {v.a} and {v.b} end equal in all {v.n} plausible worlds (no difference).")
    direction = pick(lang, "hoger is beter", "higher is better") if HIGHER_IS_BETTER.get(v.metric, True) else pick(lang, "lager is beter", "lower is better")
    ties = pick(lang, f", {v.ties} gelijk (telt als half)", f", {v.ties} equal (counted as half)") if v.ties else ""
    ci = f"[{number(100 * v.low, lang, 0)}{'; ' if lang == 'nl' else ', '}{number(100 * v.high, lang, 0)}]"
    head = pick(lang, f"{name} ({direction}): in {v.wins} van de {v.n} plausibele werelden doet {v.a} het beter dan {v.b}{ties}; "
                      f"aandeel {percent(v.share, lang, 0)} {ci}",
                f"{name} ({direction}): in {v.wins} of {v.n} plausible worlds {v.a} does better than {v.b}{ties}; "
                f"share {percent(v.share, lang, 0)} {ci}")
    why = pick(lang, ": het interval bevat de helft", ": the interval contains one half") if v.verdict == "undecided" else ""
    return f"{head} - {verdict_text(v, lang)}{why}."


def verdict_text(v: Robustness, lang: str = "nl") -> str:
    """The verdict in words ('presentie is beter in de meeste plausibele werelden', 'niet te onderscheiden')."""
    return {
        "a": pick(lang, f"{v.a} is beter in de meeste plausibele werelden", f"{v.a} is better in most plausible worlds"),
        "b": pick(lang, f"{v.b} is beter in de meeste plausibele werelden", f"{v.b} is better in most plausible worlds"),
        "undecided": pick(lang, "niet te onderscheiden", "not distinguishable"),
        "same": pick(lang, "geen verschil", "no difference"),
        "none": pick(lang, "geen werelden om te vergelijken", "no worlds to compare"),
    }[v.verdict]


def explanation(lang: str = "nl") -> str:
    """How to read the verdicts, including what run-to-run noise does to them."""
    return pick(
        lang,
        "Eén replicatie is één plausibele wereld: een lid van het ensemble met een eigen seed, in elk scenario hetzelfde. "
        "Aandeel: deel van de werelden waarin A aan het eind beter uitkomt dan B (gelijk telt als half), met een 95%-Wilson-interval. "
        "Niet te onderscheiden: het interval bevat 50 %. Let op: met één run per wereld zit in elk teken ook het toeval van die run; "
        "een verschil dat klein is tegenover dat toeval trekt het aandeel naar de helft, ook als A in elke wereld gemiddeld beter zou zijn. "
        "Het aandeel zegt dus hoe vaak A wint in een wereld zoals deze, toeval inbegrepen.",
        "One replication is one plausible world: an ensemble member with its own seed, the same in every scenario. "
        "Share: the part of the worlds in which A ends better than B (ties count as half), with a 95% Wilson score interval. "
        "Not distinguishable: the interval contains 50%. Note: with one run per world the sign in each world also holds that run's chance; "
        "a difference that is small against that chance pulls the share towards one half, even if A were better in every world on average. "
        "So the share says how often A wins in a world like these, chance included.",
    )


def to_records(verdicts: list[Robustness]) -> list[dict[str, Any]]:
    """The verdicts as JSON-ready dicts (with the verdict word)."""
    return [{**asdict(v), "verdict": v.verdict} for v in verdicts]
