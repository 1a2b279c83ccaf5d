"""Social return (maatschappelijke kosten-batenanalyse, MKBA) of each scenario against the baseline.

Costs are the model's own (cost_eur: professionals' hours and budgets). Effects are valued with a
price table (TOML, `prices.toml` in this package by default, editable by the user): each item puts
a euro value on a resident-year in a condition counted by a share metric (fewer sliding, fewer
dependent, more helping, ...). Per replication, weekly paired differences (scenario - baseline) are
valued, discounted at the table's rate ((1 + r) ** -(week / 52)) and summed to present values;
net present value = PV(benefits) - PV(extra cost), benefit/cost ratio = PV(benefits) / PV(extra
cost). Intervals: 2.5-97.5 percentiles of a paired bootstrap over replications (resampling
replication indices, so scenario and baseline stay paired), drawn with the table's seed.
Cost per resident-year out of "sliding" gained = PV(extra cost) / resident-years gained, given only
when the gain's paired t-interval (the one the answer shows) lies above zero; its own interval
comes from the same bootstrap.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from buurtsim.errors import UserError
from buurtsim.experiment.answer import WEEKS_PER_YEAR, residents
from buurtsim.experiment.paired import (
    Estimate,
    group_key,
    paired_bootstrap,
    pairs,
    per_replication,
    percentile_estimate,
    t_estimate,
)
from buurtsim.formatting import euros, interval, number, pick
from buurtsim.safe_io import parse_toml

Statistic = Callable[[dict[str, np.ndarray]], float]  # a statistic of one (resampled) set of replications

MAX_PRICE_FILE = 256 * 1024
MAX_ITEMS = 50


@dataclass(frozen=True)
class Price:
    """What one resident-year in a condition is worth."""

    name: str
    label_nl: str
    label_en: str
    metric: str
    better: str  # "lower" or "higher"
    value_eur: float
    unit: str
    source: str

    def label(self, lang: str) -> str:
        """The item's label in `lang`."""
        return self.label_en if lang == "en" else self.label_nl

    @property
    def assumption(self) -> bool:
        """True when the source says the value is an assumption."""
        return "aanname" in self.source.lower() or "assumption" in self.source.lower()


@dataclass(frozen=True)
class PriceTable:
    """The price table: discount rate with its source, bootstrap settings and the items."""

    path: str
    discount_rate: float
    discount_source: str
    bootstrap_samples: int
    bootstrap_seed: int
    prices: tuple[Price, ...]


def default_prices_path() -> Path:
    """The price table shipped with buurtsim."""
    return Path(str(resources.files("buurtsim.experiment") / "prices.toml"))


def _need(table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str, expected: str) -> Any:
    if key not in table:
        raise UserError(f"{where}: field '{key}' is missing; expected {expected}")
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        raise UserError(f"{where}: field '{key}' is {value!r}; expected {expected}")
    return value


def load_prices(path: str | Path | None = None) -> PriceTable:
    """Read and check a price table; a bad file is a UserError naming file, field and what is expected."""
    from buurtsim.metrics import BY_NAME

    p = Path(path) if path is not None else default_prices_path()
    if not p.is_file():
        raise UserError(f"{p}: price table not found; expected a TOML file (see `buurtsim prices`)")
    if p.stat().st_size > MAX_PRICE_FILE:
        raise UserError(f"{p}: file is larger than {MAX_PRICE_FILE // 1024} KiB; expected a small TOML price table")
    try:
        data = parse_toml(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{p}: not valid TOML ({exc}); expected a price table like `buurtsim prices --write FILE`") from None
    head = data.get("mkba")
    if not isinstance(head, dict):
        raise UserError(f"{p}: table [mkba] is missing; expected [mkba] with discount_rate, discount_source")
    where = f"{p} [mkba]"
    rate = float(_need(head, "discount_rate", (int, float), where, "a yearly rate between 0 and 0.2, e.g. 0.0225"))
    if not 0.0 <= rate <= 0.2:
        raise UserError(f"{where}: field 'discount_rate' is {rate}; expected a yearly rate between 0 and 0.2, e.g. 0.0225")
    source = _need(head, "discount_source", str, where, "text naming the guidance the rate comes from")
    samples = int(head.get("bootstrap_samples", 2000)) if not isinstance(head.get("bootstrap_samples", 2000), bool) else -1
    if not isinstance(head.get("bootstrap_samples", 2000), int) or not 100 <= samples <= 100_000:
        raise UserError(f"{where}: field 'bootstrap_samples' is {head.get('bootstrap_samples')!r}; expected a whole number from 100 to 100000")
    seed = head.get("bootstrap_seed", 20110101)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UserError(f"{where}: field 'bootstrap_seed' is {seed!r}; expected a whole number of at least 0")
    items = data.get("prices")
    if not isinstance(items, list) or not items or len(items) > MAX_ITEMS:
        raise UserError(f"{p}: [[prices]] is missing or has more than {MAX_ITEMS} items; expected 1 to {MAX_ITEMS} [[prices]] tables")
    prices: list[Price] = []
    for i, item in enumerate(items, start=1):
        w = f"{p} [[prices]] item {i}"
        if not isinstance(item, dict):
            raise UserError(f"{w}: expected a table with name, metric, better, value_eur, unit, source")
        name = _need(item, "name", str, w, "a short name")
        w = f"{p} [[prices]] '{name}'"
        metric = _need(item, "metric", str, w, "a share metric, e.g. share_sliding")
        if metric not in BY_NAME or BY_NAME[metric].unit != "share":
            shares = ", ".join(m for m, x in BY_NAME.items() if x.unit == "share")
            raise UserError(f"{w}: field 'metric' is {metric!r}; expected one of the share metrics: {shares}")
        better = _need(item, "better", str, w, "'lower' or 'higher'")
        if better not in ("lower", "higher"):
            raise UserError(f"{w}: field 'better' is {better!r}; expected 'lower' or 'higher'")
        value = float(_need(item, "value_eur", (int, float), w, "euros per resident-year (a number from 0 to 10000000)"))
        if not 0 <= value <= 10_000_000:
            raise UserError(f"{w}: field 'value_eur' is {value}; expected euros per resident-year from 0 to 10000000")
        src = _need(item, "source", str, w, "the source of the value, or 'aanname / assumption'")
        if not src.strip():
            raise UserError(f"{w}: field 'source' is empty; expected the source of the value, or 'aanname / assumption'")
        prices.append(Price(name, str(item.get("label_nl", name)), str(item.get("label_en", name)), metric, better, value,
                            str(item.get("unit", "per bewonersjaar / per resident-year")), src))
    if len({x.name for x in prices}) != len(prices):
        raise UserError(f"{p}: [[prices]] names repeat; expected each name once")
    return PriceTable(str(p), rate, source, samples, int(seed), tuple(prices))


@dataclass
class Mkba:
    """The social cost-benefit result for one scenario against the baseline."""

    scenario: str
    baseline: str
    n_pairs: int
    pv_cost: Estimate
    pv_benefit: Estimate
    npv: Estimate
    ratio: Estimate
    years_gained: Estimate
    cost_per_year: Estimate | None
    benefits: dict[str, Estimate] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # price items whose outcome these results do not hold


def discount_factors(ticks: np.ndarray, rate: float) -> np.ndarray:
    """(1 + rate) ** -(week / 52) per week."""
    return (1.0 + rate) ** (-np.asarray(ticks, dtype=float) / WEEKS_PER_YEAR)


def _per_replication_values(df: pd.DataFrame, g: str, base: str, table: PriceTable, last: int) -> tuple[dict[str, np.ndarray], list[str]]:
    """Per replication: PV of extra cost, PV of each benefit item, resident-years out of sliding gained."""
    cost = per_replication(df, g, "cost_eur").loc[:last]
    base_cost = per_replication(df, base, "cost_eur").loc[:last]
    reps = cost.columns.intersection(base_cost.columns)
    ticks = cost.index.intersection(base_cost.index)
    extra = (cost.loc[ticks, reps] - base_cost.loc[ticks, reps]).to_numpy()
    disc = discount_factors(ticks.to_numpy(), table.discount_rate)
    spent = np.diff(extra, axis=0, prepend=0.0)  # extra euros spent in each week
    cols: dict[str, np.ndarray] = {"pv_cost": (spent * disc[:, None]).sum(axis=0)}
    skipped = []
    for price in table.prices:
        if price.metric not in df.columns or "population" not in df.columns:
            skipped.append(price.name)
            continue
        d = (residents(df, g, price.metric) - residents(df, base, price.metric)).loc[ticks, reps].to_numpy()
        gain = -d if price.better == "lower" else d
        cols[f"item:{price.name}"] = (gain / WEEKS_PER_YEAR * price.value_eur * disc[:, None]).sum(axis=0)
    if "share_sliding" in df.columns:
        d = (residents(df, g, "share_sliding") - residents(df, base, "share_sliding")).loc[ticks, reps].to_numpy()
        cols["years"] = (-d).sum(axis=0) / WEEKS_PER_YEAR
    return cols, skipped


def _ratio(num: np.ndarray, den: np.ndarray) -> float:
    s = float(den.sum())
    return float(num.sum()) / s if s > 0 else math.nan


def mkba_for(df: pd.DataFrame, g: str, base: str, table: PriceTable, last: int) -> Mkba:
    """Present values, NPV, benefit/cost ratio and cost per resident-year with bootstrap intervals."""
    cols, skipped = _per_replication_values(df, g, base, table, last)
    items = [k for k in cols if k.startswith("item:")]
    cols["pv_benefit"] = np.sum([cols[k] for k in items], axis=0) if items else np.zeros_like(cols["pv_cost"])
    cols["npv"] = cols["pv_benefit"] - cols["pv_cost"]
    n = int(cols["pv_cost"].size)
    if "years" not in cols:
        cols["years"] = np.full(n, np.nan)
    def mean_of(name: str) -> Statistic:
        return lambda c: float(c[name].mean())

    stats: dict[str, Statistic] = {
        "pv_cost": lambda c: float(c["pv_cost"].mean()),
        "pv_benefit": lambda c: float(c["pv_benefit"].mean()),
        "npv": lambda c: float(c["npv"].mean()),
        "ratio": lambda c: _ratio(c["pv_benefit"], c["pv_cost"]),
        "cost_per_year": lambda c: _ratio(c["pv_cost"], c["years"]) if float(c["years"].sum()) > 0 else math.nan,
        **{k: mean_of(k) for k in items},
    }
    # one set of resampled replication indices for every statistic: draws stay comparable
    rng_seed = table.bootstrap_seed
    est: dict[str, Estimate] = {}
    for key, fn in stats.items():
        draws = paired_bootstrap(cols, fn, samples=table.bootstrap_samples, seed=rng_seed)
        est[key] = percentile_estimate(fn(cols), draws, n)
    # the gain in resident-years: the same paired t-interval as in the answer, so both say the same
    years = t_estimate(cols["years"])
    cost_per_year = est["cost_per_year"] if years.distinguishable and years.low > 0 else None
    return Mkba(g, base, n, est["pv_cost"], est["pv_benefit"], est["npv"], est["ratio"], years, cost_per_year,
                {k.removeprefix("item:"): est[k] for k in items}, skipped)


def mkba_all(df: pd.DataFrame, *, baseline: str, table: PriceTable, last_tick: dict[str, int] | None = None) -> list[Mkba]:
    """The MKBA of every scenario (and sweep point) other than the baseline; needs cost_eur and population."""
    if "cost_eur" not in df.columns or "population" not in df.columns:
        return []
    df = df.assign(_group=group_key(df))
    return [mkba_for(df, g, base, table, last) for g, base, _scen, last in pairs(df, baseline, last_tick)]


# --- text -----------------------------------------------------------------------------------------
def eur_with_ci(e: Estimate, lang: str, *, sign: bool = False) -> str:
    """'€ 5.600 [1.200; 9.800]' (no interval for a fixed amount)."""
    return euros(e.mean, lang, sign=sign) + _eur_ci(e, lang)


def _eur_ci(e: Estimate, lang: str) -> str:
    text = interval(e.low, e.high, lang, unit="EUR")
    return f" {text}" if text and e.high - e.low >= 1 else ""  # no '[€ 5; € 5]' for a fixed amount


def mkba_sentences(m: Mkba, table: PriceTable, lang: str = "nl") -> list[str]:
    """The social return of one scenario in plain sentences."""
    rate = number(100 * table.discount_rate, lang, 2)
    out = [pick(lang, f"{m.scenario} tegenover {m.baseline}, contante waarden bij {rate} % per jaar:",
                f"{m.scenario} compared with {m.baseline}, present values at {rate}% a year:")]
    out.append(pick(lang, f"extra kosten {euros(m.pv_cost.mean, lang)}{_eur_ci(m.pv_cost, lang)}; gewaardeerde baten {euros(m.pv_benefit.mean, lang)}{_eur_ci(m.pv_benefit, lang)}.",
                    f"extra cost {euros(m.pv_cost.mean, lang)}{_eur_ci(m.pv_cost, lang)}; valued benefits {euros(m.pv_benefit.mean, lang)}{_eur_ci(m.pv_benefit, lang)}."))
    verdict = "" if m.npv.distinguishable else pick(lang, " (niet te onderscheiden van nul)", " (not distinguishable from zero)")
    out.append(pick(lang, f"Netto contante waarde {euros(m.npv.mean, lang, sign=True)}{_eur_ci(m.npv, lang)}{verdict}.",
                    f"Net present value {euros(m.npv.mean, lang, sign=True)}{_eur_ci(m.npv, lang)}{verdict}."))
    if m.pv_cost.distinguishable and m.pv_cost.low > 0 and math.isfinite(m.ratio.mean):
        ci = interval(m.ratio.low, m.ratio.high, lang, 2)
        r = number(m.ratio.mean, lang, 2)
        if m.ratio.mean >= 0:
            meaning = pick(lang, f"elke euro levert {r} euro aan gewaardeerde baten op", f"each euro returns {r} euros in valued benefits")
        else:
            meaning = pick(lang, "de gewaardeerde effecten zijn per saldo nadelig", "the valued effects are harmful on balance")
        out.append(pick(lang, f"Baten/kosten-verhouding {r}{' ' + ci if ci else ''}: {meaning}.", f"Benefit/cost ratio {r}{' ' + ci if ci else ''}: {meaning}."))
    else:
        out.append(pick(lang, "Geen baten/kosten-verhouding: de extra kosten zijn niet duidelijk groter dan nul.",
                        "No benefit/cost ratio: the extra cost is not clearly above zero."))
    y = m.years_gained
    if m.cost_per_year is not None:
        c = m.cost_per_year
        out.append(pick(lang, f"Kosten per gewonnen bewonersjaar buiten 'afglijdend': {euros(c.mean, lang)}{_eur_ci(c, lang)} "
                              f"({number(y.mean, lang, 0)} bewonersjaren{' ' + interval(y.low, y.high, lang, 0) if y.has_interval else ''}).",
                        f"Cost per resident-year out of 'sliding' gained: {euros(c.mean, lang)}{_eur_ci(c, lang)} "
                        f"({number(y.mean, lang, 0)} resident-years{' ' + interval(y.low, y.high, lang, 0) if y.has_interval else ''})."))
    elif math.isfinite(y.mean):
        out.append(pick(lang, f"Geen kosten per gewonnen bewonersjaar: de winst in bewonersjaren buiten 'afglijdend' ({number(y.mean, lang, 0, sign=True)}"
                              f"{' ' + interval(y.low, y.high, lang, 0) if y.has_interval else ''}) is niet te onderscheiden van nul (of negatief), dus delen zou niets betekenen.",
                        f"No cost per resident-year gained: the gain in resident-years out of 'sliding' ({number(y.mean, lang, 0, sign=True)}"
                        f"{' ' + interval(y.low, y.high, lang, 0) if y.has_interval else ''}) is not distinguishable from zero (or negative), so dividing by it would mean nothing."))
    if m.skipped:
        names = ", ".join(m.skipped)
        out.append(pick(lang, f"Niet meegeteld (uitkomst niet opgeslagen in deze resultaten): {names}.",
                        f"Not counted (outcome not stored in these results): {names}."))
    return out


def price_rows(table: PriceTable, lang: str = "nl") -> tuple[list[str], list[list[str]]]:
    """Headers and cells of the price table for screen, report and workbook."""
    headers = [pick(lang, "post", "item"), pick(lang, "waarde", "value"), pick(lang, "eenheid", "unit"), pick(lang, "uitkomst", "outcome"),
               pick(lang, "beter", "better"), pick(lang, "bron", "source")]
    from buurtsim.metrics import label

    better = {"lower": pick(lang, "minder", "lower"), "higher": pick(lang, "meer", "higher")}
    cells = [[p.label(lang), euros(p.value_eur, lang), pick(lang, *p.unit.split(" / ", 1)) if " / " in p.unit else p.unit,
              f"{label(p.metric, lang)} ({p.metric})", better[p.better], p.source] for p in table.prices]
    return headers, cells
