"""The answer to an experiment's question, in people, years and euros, before any table.

Per scenario against the baseline, from the paired differences per replication (see `paired`):
- residents sliding (self-reliance below the sliding threshold) at the end: in the neighbourhood and
  per 1,000 residents;
- resident-years out of "sliding" over the whole run: the weekly difference in sliding residents,
  summed and divided by 52;
- mean self-reliance in points (0-100), participating and dependent residents at the end;
- how long it lasts: the difference in sliding residents at the end of funding and two years later;
- extra cost at the end;
- the policy's reach when the run stored it (residents ever reached, of whom moved away, their
  self-reliance at leaving);
- the effect on the reached (`add_reached_effects`, from the per-run records of `cohort`): of the
  residents living there at the start, those the policy reached in the scenario, their
  self-reliance at the end minus the same residents' at the end of the paired baseline run, and
  how many of them moved away in each.
An effect whose 95 % interval covers zero is "not distinguishable" ("niet te onderscheiden").
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from buurtsim.errors import UserError
from buurtsim.experiment.paired import Estimate, group_key, pairs, per_replication, t_estimate
from buurtsim.experiment.spec import TWO_YEARS
from buurtsim.formatting import count, euros, interval, number, pick

WEEKS_PER_YEAR = 52
#: Columns the answer reads when they are stored (the reach columns only in newer runs).
ANSWER_COLUMNS = ("population", "share_sliding", "mean_self_reliance", "participation_rate", "dependency_share", "cost_eur")
REACH_COLUMNS = ("reached_ever", "reached_left", "reached_left_risen", "reached_left_mean_self_reliance")


@dataclass
class ScenarioAnswer:
    """The paired estimates for one scenario against the baseline."""

    scenario: str
    baseline: str
    last_tick: int
    funding_end: int | None
    n_pairs: int
    population: float = math.nan
    estimates: dict[str, Estimate] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)  # why a part of the answer is missing: (Dutch, English)
    direct: bool = False  # a pair the experiment names (`pairs`), not the scenario against the baseline

    def title(self, lang: str = "nl") -> str:
        """The heading of this answer: the scenario, or 'A tegenover B' for a pair the experiment names."""
        if not self.direct:
            return self.scenario
        return pick(lang, f"{self.scenario} tegenover {self.baseline}", f"{self.scenario} compared with {self.baseline}")

    def get(self, key: str) -> Estimate | None:
        """One estimate by key, or None when it could not be computed from these results."""
        return self.estimates.get(key)


def residents(df: pd.DataFrame, group: str, share: str) -> pd.DataFrame:
    """Residents (week x replication) with a condition: its share times the population."""
    return per_replication(df, group, share) * per_replication(df, group, "population")


def _paired(scen: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """scen - base on common weeks and replications (pairs by seed)."""
    ticks = scen.index.intersection(base.index)
    reps = scen.columns.intersection(base.columns)
    return scen.loc[ticks, reps] - base.loc[ticks, reps]


def _at(diff: pd.DataFrame, tick: int | None) -> Estimate | None:
    if tick is None or tick not in diff.index:
        return None
    return t_estimate(diff.loc[tick].to_numpy())


def answer_for(df: pd.DataFrame, group: str, base: str, *, funding_end: int | None, last_tick: int | None = None) -> ScenarioAnswer:
    """The paired estimates for `group` against `base` (df: scenario, replication, tick, metrics, `_group`)."""
    cols = set(df.columns)
    last = int(df.loc[df["_group"] == group, "tick"].max())
    if last_tick is not None:
        last = min(last, last_tick)
    ans = ScenarioAnswer(group, base, last, funding_end, 0)
    est = ans.estimates

    def put(key: str, value: Estimate | None) -> None:
        if value is not None:  # None: the week lies outside these results
            est[key] = value

    if "population" in cols:
        ans.population = float(per_replication(df, group, "population").loc[:last].iloc[-1].mean())
    if {"share_sliding", "population"} <= cols:
        d = _paired(residents(df, group, "share_sliding"), residents(df, base, "share_sliding")).loc[:last]
        ans.n_pairs = int(d.shape[1])
        put("sliding", _at(d, last))
        share = _paired(per_replication(df, group, "share_sliding"), per_replication(df, base, "share_sliding"))
        put("sliding_per_1000", _at(share * 1000, last))
        # resident-years out of sliding: fewer sliding residents per week, summed, in years
        est["years_out_of_sliding"] = t_estimate((-d.sum(axis=0) / WEEKS_PER_YEAR).to_numpy())
        if funding_end is not None and funding_end <= last:
            put("sliding_at_funding_end", _at(d, funding_end))
            if funding_end + TWO_YEARS <= last:
                put("sliding_two_years_later", _at(d, funding_end + TWO_YEARS))
    if "mean_self_reliance" in cols:
        d = _paired(per_replication(df, group, "mean_self_reliance"), per_replication(df, base, "mean_self_reliance"))
        put("self_reliance_points", _at(d * 100, last))
    for key, col in (("participating", "participation_rate"), ("dependent", "dependency_share")):
        if {col, "population"} <= cols:
            put(key, _at(_paired(residents(df, group, col), residents(df, base, col)), last))
    if "cost_eur" in cols:
        put("extra_cost", _at(_paired(per_replication(df, group, "cost_eur"), per_replication(df, base, "cost_eur")), last))
    for col in REACH_COLUMNS:  # levels in the scenario itself, shown only when the runs stored them
        if col in cols:
            values = per_replication(df, group, col).loc[:last]
            factor = 100.0 if col.endswith("self_reliance") else 1.0
            est[col] = t_estimate(values.iloc[-1].to_numpy() * factor)
    return ans


def answers(df: pd.DataFrame, *, baseline: str, funding_end: dict[str, int | None], last_tick: dict[str, int] | None = None) -> list[ScenarioAnswer]:
    """One `ScenarioAnswer` per scenario (and sweep point) other than the baseline."""
    df = df.assign(_group=group_key(df))
    return [answer_for(df, g, base, funding_end=funding_end.get(scen), last_tick=last) for g, base, scen, last in pairs(df, baseline, last_tick)]


def declared_pairs(manifest: dict[str, Any], baseline: str) -> list[tuple[str, str]]:
    """The scenario pairs [A, B] the experiment names whose B is not the baseline (those are
    answered against the baseline already)."""
    return [(str(a), str(b)) for a, b in manifest["experiment"].get("pairs") or [] if str(b) != baseline]


def pair_answers(df: pd.DataFrame, declared: list[tuple[str, str]], *, funding_end: dict[str, int | None],
                 last_tick: dict[str, int] | None = None) -> list[ScenarioAnswer]:
    """A against B for each declared pair (and sweep point): the same paired estimates as against
    the baseline, up to the last week both scenarios ran."""
    df = df.assign(_group=group_key(df))
    scen_of = dict(zip(df["_group"], df["scenario"].astype(str), strict=False))
    limits = last_tick or {}
    found = []
    for a, b in declared:
        for group in [g for g, s in scen_of.items() if s == a]:
            other = group.replace(a, b, 1)
            if other not in scen_of:
                continue
            last = min(int(df.loc[df["_group"] == g, "tick"].max()) for g in (group, other))
            last = min(last, limits.get(a, last), limits.get(b, last))
            ans = answer_for(df, group, other, funding_end=funding_end.get(a), last_tick=last)
            ans.direct = True
            found.append(ans)
    return found


def all_answers(df: pd.DataFrame, manifest: dict[str, Any], *, baseline: str) -> list[ScenarioAnswer]:
    """Every scenario against the baseline, then the pairs the experiment names."""
    from buurtsim.experiment.compare import funding_ends

    last = {s["name"]: int(s["ticks"]) for s in manifest.get("scenarios", [])}
    fund = funding_ends(manifest)
    return [*answers(df, baseline=baseline, funding_end=fund, last_tick=last),
            *pair_answers(df, declared_pairs(manifest, baseline), funding_end=fund, last_tick=last)]


def add_reached_effects(found: list[ScenarioAnswer], out: str | Path, manifest: dict[str, Any]) -> None:
    """Add the effect on the reached starting residents to each answer, pair by pair (same replication,
    same sweep point) from the runs' cohort records; where records are missing or the two runs did
    not start from the same residents, a note says so instead."""
    from buurtsim.experiment.cohort import load, reached_effect
    from buurtsim.experiment.store import cohort_path

    sweep = bool(manifest["experiment"].get("sweep"))
    done = {(r["scenario"], int(r.get("point", 0)), int(r["replication"])): r["run_id"] for r in manifest.get("runs", []) if r.get("status") == "done"}
    scen_of = {(f"{s} [p{p}]" if sweep else s): (s, p) for s, p, _ in done}
    for ans in found:
        if ans.scenario not in scen_of or ans.baseline not in scen_of:
            continue
        (scen, point), (base, _) = scen_of[ans.scenario], scen_of[ans.baseline]
        effects, missing, different = [], 0, 0
        for (s, p, rep), run_id in done.items():
            if s != scen or p != point or (base, p, rep) not in done:
                continue
            a, b = load(cohort_path(out, run_id)), load(cohort_path(out, done[(base, p, rep)]))
            if a is None or b is None:
                missing += 1
                continue
            effect = reached_effect(a, b)
            if effect is None:
                different += 1
            else:
                effects.append(effect)
        rerun = f"buurtsim experiment {manifest['experiment'].get('file', 'EXPERIMENT')}"
        if missing:
            ans.notes.append((f"Het effect op de bereikte bewoners ontbreekt: {missing} run(s) hebben geen bewonersregister "
                             f"(runs/*.cohort.npz; resultaten van een oudere buurtsim). Draai het experiment opnieuw in een nieuwe map: "
                             f"{rerun} --out NIEUWE_MAP",
                              f"The effect on the reached residents is missing: {missing} run(s) have no resident record "
                             f"(runs/*.cohort.npz; results of an older buurtsim). Run the experiment again into a new folder: "
                              f"{rerun} --out NEW_FOLDER"))
            continue
        if different:
            ans.notes.append((f"Het effect op de bereikte bewoners is niet berekend: in {different} paar/paren begonnen {ans.scenario} en "
                             f"{ans.baseline} niet met dezelfde bewoners (andere parameters vóór de start), dus is er niets om te vergelijken.",
                              f"The effect on the reached residents is not computed: in {different} pair(s) {ans.scenario} and "
                             f"{ans.baseline} did not start with the same residents (other parameters before the start), so there is nothing to compare."))
            continue
        if not effects or not any(e.reached for e in effects):
            continue
        est = ans.estimates
        est["cohort_reached"] = t_estimate(np.array([e.reached for e in effects], float))
        est["cohort_compared"] = t_estimate(np.array([e.compared for e in effects], float))
        est["cohort_effect_points"] = t_estimate(np.array([e.points for e in effects], float))
        est["cohort_moved"] = t_estimate(np.array([e.moved_scenario for e in effects], float))
        est["cohort_moved_difference"] = t_estimate(np.array([e.moved_scenario - e.moved_baseline for e in effects], float))


def results_frame(out: str | Path, manifest: dict[str, Any], columns: Iterable[str]) -> pd.DataFrame:
    """The stored time series of a results directory: keys plus those of `columns` that are stored."""
    import pyarrow.parquet as pq

    from buurtsim.experiment.store import timeseries_path

    path = timeseries_path(out, manifest)
    stored = set(pq.read_schema(path).names)
    keys = [c for c in ("scenario", "point", "replication", "tick") if c in stored]
    return pd.read_parquet(path, columns=keys + [c for c in dict.fromkeys(columns) if c in stored and c not in keys])


def summarise(out: str | Path, *, baseline: str | None = None, lang: str = "nl", prices: str | Path | None = None) -> tuple[str, list[tuple[str, list[str], list[str]]]]:
    """For screen output: how the baseline itself changes, and per scenario its answer sentences
    and its social-return sentences."""
    from buurtsim.experiment.mkba import load_prices, mkba_all, mkba_sentences
    from buurtsim.experiment.store import load_manifest

    table = load_prices(prices)
    manifest = load_manifest(out)
    exp = manifest["experiment"]
    base = baseline or exp["baseline"]
    if base not in {s["name"] for s in manifest.get("scenarios", [])}:
        names = ", ".join(s["name"] for s in manifest.get("scenarios", []))
        raise UserError(f"--baseline: '{base}' is not a scenario in these results; expected one of: {names}")
    last = {s["name"]: int(s["ticks"]) for s in manifest.get("scenarios", [])}
    df = results_frame(out, manifest, [*ANSWER_COLUMNS, *REACH_COLUMNS, *(p.metric for p in table.prices)])
    found = all_answers(df, manifest, baseline=base)
    add_reached_effects(found, out, manifest)
    # the social return is priced against the baseline only
    social = {m.scenario: mkba_sentences(m, table, lang) for m in mkba_all(df, baseline=base, table=table, last_tick=last)}
    return baseline_change(df, base, lang), [(a.title(lang), sentences(a, lang), [] if a.direct else social.get(a.scenario, []))
                                             for a in found]


def baseline_change(df: pd.DataFrame, baseline: str, lang: str = "nl") -> str:
    """How the baseline itself changes from its first to its last week (mean over replications):
    the backdrop against which the differences are small or large."""
    base = df[df["scenario"].astype(str) == baseline]
    if base.empty:
        return ""
    first, last = int(base["tick"].min()), int(base["tick"].max())
    parts = []
    if "mean_self_reliance" in base.columns:
        a, b = (100 * base.loc[base["tick"] == t, "mean_self_reliance"].mean() for t in (first, last))
        parts.append(pick(lang, f"de gemiddelde zelfredzaamheid gaat van {number(a, lang, 1)} naar {number(b, lang, 1)} punten",
                          f"mean self-reliance goes from {number(a, lang, 1)} to {number(b, lang, 1)} points"))
    if {"share_sliding", "population"} <= set(base.columns):
        a, b = ((base.loc[base["tick"] == t, "share_sliding"] * base.loc[base["tick"] == t, "population"]).mean() for t in (first, last))
        parts.append(pick(lang, f"het aantal afglijdende bewoners van {count(a, lang)} naar {count(b, lang)}",
                          f"residents sliding from {count(a, lang)} to {count(b, lang)}"))
    if not parts:
        return ""
    return pick(lang, f"In de basislijn ({baseline}) zelf, van week {first} tot week {last}: ", f"In the baseline ({baseline}) itself, from week {first} to week {last}: ") + "; ".join(parts) + "."


# --- sentences ------------------------------------------------------------------------------------
def _ci(e: Estimate, lang: str, digits: int | None = 0) -> str:
    text = interval(e.low, e.high, lang, digits)
    return f" {text}" if text else ""


def _fewer_more(e: Estimate, lang: str, what_nl: str, what_en: str, digits: int | None = 0) -> str:
    """'17 fewer residents sliding [5, 28]' or '... (not distinguishable ...)'. Direction from the mean."""
    if e.mean == 0 and not (e.has_interval and e.high - e.low > 0):
        return pick(lang, f"geen verschil in {what_nl}", f"no difference in {what_en}").replace("  ", " ").strip()
    size = number(abs(e.mean), lang, digits)
    if size.strip("0,.") == "":  # rounds to zero: 'hardly any difference', with the interval as it is
        body = pick(lang, f"nauwelijks verschil in {what_nl}", f"hardly any difference in {what_en}").replace("  ", " ").rstrip()
        text = body + _ci(e, lang, digits)
        return text + ("" if e.distinguishable else pick(lang, " (niet te onderscheiden)", " (not distinguishable)"))
    if size == "1":  # one resident, not one residents
        what_nl, what_en = what_nl.replace("bewoners", "bewoner"), what_en.replace("residents", "resident")
    if e.mean < 0:
        body = pick(lang, f"{size} {what_nl} minder", f"{size} fewer {what_en}")
    else:
        body = pick(lang, f"{size} {what_nl} meer", f"{size} more {what_en}")
    # the interval in the direction of the words: 'fewer' shows the reduction as positive numbers
    shown = e.scaled(-1.0) if e.mean < 0 else e
    text = body.replace("  ", " ") + _ci(shown, lang, digits)
    if not e.distinguishable:
        text += pick(lang, " (niet te onderscheiden van geen verschil)", " (not distinguishable from no difference)")
    return text


def _weeks_text(tick: int, lang: str) -> str:
    y = tick / WEEKS_PER_YEAR
    years = number(y, lang, 0 if y == int(y) else 1)
    return pick(lang, f"na {years} jaar, week {tick}", f"after {years} years, week {tick}")


def sentences(ans: ScenarioAnswer, lang: str = "nl") -> list[str]:
    """The answer for one scenario in a few plain sentences, in one language."""
    e = ans.estimates
    out: list[str] = []
    head = pick(lang, f"{ans.scenario} tegenover {ans.baseline}", f"{ans.scenario} compared with {ans.baseline}")
    pop = count(ans.population, lang)
    if "sliding" in e:
        s = e["sliding"]
        first = pick(lang, f"{head}: aan het eind ({_weeks_text(ans.last_tick, lang)}; wijk van {pop} bewoners) ",
                     f"{head}: at the end ({_weeks_text(ans.last_tick, lang)}; neighbourhood of {pop} residents) ")
        first += _fewer_more(s, lang, "afglijdende bewoners", "residents sliding")
        if "sliding_per_1000" in e:
            p = e["sliding_per_1000"]
            first += pick(lang, f"; per 1.000 bewoners {number(p.mean, lang, 1, sign=True)}{_ci(p, lang, 1)}",
                          f"; per 1,000 residents {number(p.mean, lang, 1, sign=True)}{_ci(p, lang, 1)}")
        out.append(first + ".")
    else:
        out.append(head + ".")
    if "years_out_of_sliding" in e:
        y = e["years_out_of_sliding"]
        verdict = "" if y.distinguishable else pick(lang, " (niet te onderscheiden)", " (not distinguishable)")
        out.append(pick(lang, f"Over de hele looptijd samen {number(y.mean, lang, 0, sign=True)} bewonersjaren buiten 'afglijdend'{_ci(y, lang)}{verdict}.",
                        f"Over the whole run {number(y.mean, lang, 0, sign=True)} resident-years out of 'sliding' in total{_ci(y, lang)}{verdict}."))
    parts = []
    if "self_reliance_points" in e:
        p = e["self_reliance_points"]
        v = "" if p.distinguishable else pick(lang, ", niet te onderscheiden", ", not distinguishable")
        parts.append(pick(lang, f"gemiddelde zelfredzaamheid {number(p.mean, lang, 1, sign=True)} punten op 0-100{_ci(p, lang, 1)}{v}",
                          f"mean self-reliance {number(p.mean, lang, 1, sign=True)} points on 0-100{_ci(p, lang, 1)}{v}"))
    if "participating" in e:
        parts.append(_fewer_more(e["participating"], lang, "actieve bewoners", "active residents"))
    if "dependent" in e:
        parts.append(_fewer_more(e["dependent"], lang, "hulpafhankelijke bewoners", "residents dependent on help"))
    if parts:
        out.append(pick(lang, "Verder aan het eind: ", "Also at the end: ") + "; ".join(parts) + ".")
    fe = ans.funding_end
    if "sliding_at_funding_end" in e and fe is not None:
        a = e["sliding_at_funding_end"]
        text = pick(lang, f"Duur: bij het einde van de financiering ({_weeks_text(fe, lang)}) ",
                    f"How long it lasts: at the end of funding ({_weeks_text(fe, lang)}) ")
        text += _fewer_more(a, lang, "afglijdende bewoners", "residents sliding")
        if "sliding_two_years_later" in e:
            text += pick(lang, "; twee jaar later ", "; two years later ") + _fewer_more(e["sliding_two_years_later"], lang, "", "")
            text = text.replace("  ", " ")
        else:
            text += pick(lang, "; twee jaar later valt buiten de looptijd", "; two years later lies beyond the run")
        out.append(text + ".")
    elif fe is None:
        out.append(pick(lang, "Duur: het beleid loopt tot het eind van de run, dus wat blijft na de financiering is hier niet te zien.",
                        "How long it lasts: the policy runs until the end, so what remains after funding cannot be seen here."))
    if "extra_cost" in e:
        c = e["extra_cost"]
        ci = interval(c.low, c.high, lang, unit="EUR")
        out.append(pick(lang, f"Extra kosten tegenover {ans.baseline}: {euros(c.mean, lang)}{' ' + ci if ci and c.high - c.low > 1 else ''}.",
                        f"Extra cost compared with {ans.baseline}: {euros(c.mean, lang)}{' ' + ci if ci and c.high - c.low > 1 else ''}."))
    if "reached_ever" in e:
        r = e["reached_ever"]
        text = pick(lang, f"Bereik: {count(r.mean, lang)} bewoners ooit bereikt door het beleid (hulp, activiteiten, gevraagd worden){_ci(r, lang)}",
                    f"Reach: {count(r.mean, lang)} residents ever reached by the policy (help, activities, being asked){_ci(r, lang)}")
        if "reached_left" in e:
            lft = e["reached_left"]
            text += pick(lang, f", van wie {count(lft.mean, lang)} verhuisd{_ci(lft, lang)}", f", of whom {count(lft.mean, lang)} moved away{_ci(lft, lang)}")
            if "reached_left_risen" in e:
                up = e["reached_left_risen"]
                text += pick(lang, f", {count(up.mean, lang)} daarvan in inkomen gestegen sinds hun komst",
                             f", {count(up.mean, lang)} of them risen in income since they arrived")
        if "reached_left_mean_self_reliance" in e:
            s = e["reached_left_mean_self_reliance"]
            if math.isfinite(s.mean):
                text += pick(lang, f" (zelfredzaamheid bij vertrek gemiddeld {number(s.mean, lang, 1)} punten{_ci(s, lang, 1)})",
                             f" (mean self-reliance at leaving {number(s.mean, lang, 1)} points{_ci(s, lang, 1)})")
        out.append(text + ".")
    if "cohort_effect_points" in e:
        out.append(_cohort_sentence(ans, lang))
    out.extend(pick(lang, nl, en) for nl, en in ans.notes)
    return out


def _cohort_sentence(ans: ScenarioAnswer, lang: str) -> str:
    """The effect on the reached: their self-reliance against the same residents in the baseline run, and who moved away."""
    e = ans.estimates
    r, c, p = e["cohort_reached"], e["cohort_compared"], e["cohort_effect_points"]
    moved, extra = e["cohort_moved"], e["cohort_moved_difference"]
    text = pick(lang, f"Effect op de bereikten: van de bewoners die er bij de start al woonden, bereikte het beleid er gemiddeld {count(r.mean, lang)}{_ci(r, lang)}. ",
                f"Effect on the reached: of the residents living there at the start, the policy reached {count(r.mean, lang)} on average{_ci(r, lang)}. ")
    if math.isfinite(p.mean):
        verdict = "" if p.distinguishable else pick(lang, ", niet te onderscheiden", ", not distinguishable")
        text += pick(lang, f"Hun zelfredzaamheid aan het eind: {number(p.mean, lang, 1, sign=True)} punten op 0-100{_ci(p, lang, 1)}{verdict} "
                           f"tegenover dezelfde bewoners in {ans.baseline} (over de {count(c.mean, lang)} die in beide runs nog in de wijk wonen). ",
                     f"Their self-reliance at the end: {number(p.mean, lang, 1, sign=True)} points on 0-100{_ci(p, lang, 1)}{verdict} "
                     f"compared with the same residents in {ans.baseline} (over the {count(c.mean, lang)} still living there in both runs). ")
    text += pick(lang, f"Van hen verhuisden er {count(moved.mean, lang)}{_ci(moved, lang)}; tegenover dezelfde bewoners in {ans.baseline} is dat ",
                 f"Of them, {count(moved.mean, lang)} moved away{_ci(moved, lang)}; compared with the same residents in {ans.baseline} that is ")
    text += _fewer_more(extra, lang, "verhuisde bewoners", "residents moving away", 1)
    return text + "."


def answer_rows(ans: ScenarioAnswer, lang: str = "nl") -> list[dict[str, Any]]:
    """The estimates as rows for a workbook or CSV: label, unit, mean, low, high, verdict."""
    labels = {
        "sliding": ("Bewoners afglijdend aan het eind (verschil)", "Residents sliding at the end (difference)", "bewoners / residents"),
        "sliding_per_1000": ("Afglijdend per 1.000 bewoners (verschil)", "Sliding per 1,000 residents (difference)", "per 1.000 / per 1,000"),
        "years_out_of_sliding": ("Bewonersjaren buiten 'afglijdend' (cumulatief)", "Resident-years out of 'sliding' (cumulative)", "jaren / years"),
        "self_reliance_points": ("Gemiddelde zelfredzaamheid (verschil)", "Mean self-reliance (difference)", "punten 0-100 / points 0-100"),
        "participating": ("Actieve bewoners (verschil)", "Active residents (difference)", "bewoners / residents"),
        "dependent": ("Bewoners afhankelijk van hulp (verschil)", "Residents dependent on help (difference)", "bewoners / residents"),
        "sliding_at_funding_end": ("Afglijdend bij einde financiering (verschil)", "Sliding at end of funding (difference)", "bewoners / residents"),
        "sliding_two_years_later": ("Afglijdend twee jaar later (verschil)", "Sliding two years later (difference)", "bewoners / residents"),
        "extra_cost": ("Extra kosten", "Extra cost", "EUR"),
        "reached_ever": ("Ooit bereikt door het beleid", "Ever reached by the policy", "bewoners / residents"),
        "reached_left": ("Bereikt en verhuisd", "Reached and moved away", "bewoners / residents"),
        "reached_left_risen": ("Bereikt, verhuisd en in inkomen gestegen", "Reached, moved away and risen in income", "bewoners / residents"),
        "reached_left_mean_self_reliance": ("Zelfredzaamheid bereikten bij vertrek", "Self-reliance of reached residents at leaving", "punten 0-100 / points 0-100"),
        "cohort_reached": ("Bereikte bewoners van het begin", "Reached residents present at the start", "bewoners / residents"),
        "cohort_compared": ("Van hen in beide runs nog in de wijk", "Of them, still there in both runs", "bewoners / residents"),
        "cohort_effect_points": ("Zelfredzaamheid bereikten tegenover dezelfde bewoners in de basislijn", "Self-reliance of the reached against the same residents in the baseline", "punten 0-100 / points 0-100"),
        "cohort_moved": ("Bereikten die verhuisden", "Reached residents who moved away", "bewoners / residents"),
        "cohort_moved_difference": ("Verhuisde bereikten tegenover dezelfde bewoners in de basislijn", "Reached residents moving away against the same residents in the baseline", "bewoners / residents"),
    }
    levels = ("reached_ever", "reached_left", "reached_left_risen", "reached_left_mean_self_reliance", "cohort_reached", "cohort_compared", "cohort_moved")
    rows = []
    for key, e in ans.estimates.items():
        nl, en, unit = labels.get(key, (key, key, ""))
        if " / " in unit:
            unit = pick(lang, *unit.split(" / ", 1))
        level = key in levels
        rows.append({"scenario": ans.title(lang), "key": key, "label": pick(lang, nl, en), "unit": unit, "mean": e.mean, "low": e.low, "high": e.high,
                     "n": e.n, "verdict": "" if level else (pick(lang, "verschil", "difference") if e.distinguishable
                                                              else pick(lang, "niet te onderscheiden", "not distinguishable"))})
    return rows


def difference_series(df: pd.DataFrame, group: str, base: str, kind: str) -> pd.DataFrame:
    """Weekly paired difference to the baseline with its 95 % band: 'sliding' (residents) or 'points'."""
    from scipy import stats

    if kind == "sliding":
        d = _paired(residents(df, group, "share_sliding"), residents(df, base, "share_sliding"))
    else:
        d = _paired(per_replication(df, group, "mean_self_reliance"), per_replication(df, base, "mean_self_reliance")) * 100
    n = d.notna().sum(axis=1)
    mean, sd = d.mean(axis=1), d.std(axis=1, ddof=1)
    half = np.where(n > 1, stats.t.ppf(0.975, np.maximum(n - 1, 1)), np.nan) * sd / np.sqrt(n)
    return pd.DataFrame({"tick": d.index, "mean": mean.to_numpy(), "low": (mean - half).to_numpy(), "high": (mean + half).to_numpy()})
