"""One self-contained HTML report of a results directory (figures embedded as base64 PNG, no
external files or scripts): time series with 95 % bands and policy timelines, final distributions
by category, the comparison table and the experiment's provenance.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from buurtsim.errors import UserError
from buurtsim.experiment.compare import (
    HEADLINE_METRICS,
    compare_results,
    display_rows,
    display_summary,
    explanation,
    funding_ends,
)
from buurtsim.experiment.intervals import t_half_width
from buurtsim.experiment.store import RESIDENTS, load_manifest, timeseries_path
from buurtsim.formatting import percent, pick
from buurtsim.metrics import BY_NAME, label
from buurtsim.safe_io import check_output_file

FIGURE_METRICS = (
    "mean_self_reliance", "share_sliding", "share_strong", "participation_rate", "trust_in_institutions",
    "dependency_share", "share_isolated", "collective_efficacy", "active_initiatives", "cost_eur",
)
CATEGORY_METRICS = (("share_strong", ("sterk", "strong")), ("share_vulnerable", ("kwetsbaar", "vulnerable")), ("share_sliding", ("afglijdend", "sliding")))
MAX_LINES = 12


def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _title(metric: str, lang: str = "nl") -> str:
    from buurtsim.formatting import metric_unit

    return f"{label(metric, lang)} ({metric_unit(metric, lang)})" if metric in BY_NAME else metric


def _group(df: pd.DataFrame) -> pd.Series:
    if "point" in df.columns:
        return df["scenario"].astype(str) + " [p" + df["point"].astype(int).astype(str) + "]"
    return df["scenario"].astype(str)


def bands(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Mean and 95 % t-interval over replications per group and tick."""
    g = df.assign(_g=_group(df)).groupby(["_g", "tick"], sort=False)[metric]
    agg = g.agg(["mean", "std", "count"]).reset_index()
    half = t_half_width(agg["std"].to_numpy(), agg["count"].to_numpy())
    agg["low"], agg["high"] = agg["mean"] - half, agg["mean"] + half
    return agg


def _timelines(manifest: dict[str, Any]) -> dict[str, list[tuple[int, int, str]]]:
    """Policy periods per scenario, from its first finished run."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    for run in manifest.get("runs", []):
        if run.get("status") == "done" and run["scenario"] not in out:
            out[run["scenario"]] = [tuple(t) for t in run.get("timeline") or []]  # type: ignore[misc]
    return out


def _colours(groups: list[str]) -> dict[str, Any]:
    import matplotlib

    cmap = matplotlib.colormaps["tab10"]
    return {g: cmap(i % 10) for i, g in enumerate(groups)}


def _timeline_axis(tl: Any, scen_groups: list[str], timelines: dict[str, list[tuple[int, int, str]]], colours: dict[str, Any], lang: str) -> None:
    for i, g in enumerate(scen_groups):
        for start, end, _lab in timelines[g.split(" [p")[0]]:
            tl.barh(i, max(end - start, 1), left=start, height=0.6, color=colours[g], alpha=0.7, edgecolor="white", lw=0.5)
    tl.set_yticks(range(len(scen_groups)), scen_groups, fontsize=7)
    tl.invert_yaxis()
    tl.set_xlabel("week")
    tl.set_title(pick(lang, "beleid in de tijd (stippellijn: einde financiering)", "policy timeline (dashed: end of funding)"), fontsize=8)


def timeseries_figure(df: pd.DataFrame, metric: str, timelines: dict[str, list[tuple[int, int, str]]], fund_end: dict[str, int | None],
                      lang: str = "nl") -> str:
    """Mean per scenario with its 95 % band (self-reliance in points, shares in %; the axis starts
    at zero so small differences do not look large), policy periods underneath; a base64 PNG."""
    import matplotlib.pyplot as plt

    from buurtsim.formatting import display_scale, metric_unit

    scale = display_scale(metric)
    agg = bands(df, metric)
    agg[["mean", "low", "high"]] *= scale
    groups = list(dict.fromkeys(agg["_g"]))[:MAX_LINES]
    colours = _colours(groups)
    scen_groups = [g for g in groups if timelines.get(g.split(" [p")[0])]
    heights = [4.0, 0.35 * max(1, len(scen_groups))] if scen_groups else [4.0]
    fig, axes = plt.subplots(len(heights), 1, figsize=(9, sum(heights) + 0.4), sharex=True,
                             gridspec_kw={"height_ratios": heights}, squeeze=False, layout="constrained")
    ax = axes[0, 0]
    for g in groups:
        a = agg[agg["_g"] == g]
        ax.plot(a["tick"], a["mean"], color=colours[g], label=g, lw=1.6)
        ax.fill_between(a["tick"], a["low"], a["high"], color=colours[g], alpha=0.2, lw=0)
        fe = fund_end.get(g.split(" [p")[0])
        if fe is not None:
            ax.axvline(fe, color=colours[g], ls="--", lw=0.8)
    top = float(np.nanmax(agg["high"].to_numpy())) if len(agg) else 1.0
    if np.isfinite(top) and float(np.nanmin(agg["low"].to_numpy())) >= 0:
        ax.set_ylim(0, top * 1.1 if top > 0 else 1.0)
    ax.set_ylabel(metric_unit(metric, lang))
    ax.set_title(_title(metric, lang), fontsize=11)
    ax.legend(fontsize=8, loc="best")
    ax.grid(alpha=0.3)
    if scen_groups:
        _timeline_axis(axes[1, 0], scen_groups, timelines, colours, lang)
    else:
        ax.set_xlabel("week")
    return _png(fig)


def difference_figure(df: pd.DataFrame, baseline: str, timelines: dict[str, list[tuple[int, int, str]]], fund_end: dict[str, int | None],
                      lang: str = "nl") -> str | None:
    """Paired differences to the baseline over time, with 95 % bands and a zero line: sliding
    residents and mean self-reliance in points, the policy timeline underneath; a base64 PNG."""
    import matplotlib.pyplot as plt

    from buurtsim.experiment.answer import difference_series

    kinds = [k for k, cols in (("sliding", {"share_sliding", "population"}), ("points", {"mean_self_reliance"})) if cols <= set(df.columns)]
    d = df.assign(_group=_group(df))
    scen_of = dict(zip(d["_group"], d["scenario"].astype(str), strict=False))
    groups = [g for g in dict.fromkeys(d["_group"]) if scen_of[g] != baseline][:MAX_LINES]
    if not kinds or not groups:
        return None
    colours = _colours(groups)
    scen_groups = [g for g in groups if timelines.get(g.split(" [p")[0])]
    heights = [3.0] * len(kinds) + ([0.35 * max(1, len(scen_groups)) + 0.3] if scen_groups else [])
    fig, axes = plt.subplots(len(heights), 1, figsize=(9, sum(heights) + 0.6), sharex=True,
                             gridspec_kw={"height_ratios": heights}, squeeze=False, layout="constrained")
    titles = {"sliding": pick(lang, f"Afglijdende bewoners: verschil met {baseline} (minder is beter)", f"Residents sliding: difference to {baseline} (fewer is better)"),
              "points": pick(lang, f"Gemiddelde zelfredzaamheid: verschil met {baseline} (punten, 0-100)", f"Mean self-reliance: difference to {baseline} (points, 0-100)")}
    units = {"sliding": pick(lang, "bewoners", "residents"), "points": pick(lang, "punten", "points")}
    for i, kind in enumerate(kinds):
        ax = axes[i, 0]
        for g in groups:
            s = difference_series(d, g, g.replace(scen_of[g], baseline, 1), kind)
            ax.plot(s["tick"], s["mean"], color=colours[g], label=g, lw=1.6)
            ax.fill_between(s["tick"], s["low"], s["high"], color=colours[g], alpha=0.2, lw=0)
            fe = fund_end.get(scen_of[g])
            if fe is not None:
                ax.axvline(fe, color=colours[g], ls="--", lw=0.8)
        ax.axhline(0, color="black", lw=0.8)
        ax.set_title(titles[kind], fontsize=10)
        ax.set_ylabel(units[kind])
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    if scen_groups:
        _timeline_axis(axes[-1, 0], scen_groups, timelines, colours, lang)
    else:
        axes[-1, 0].set_xlabel("week")
    return _png(fig)


def categories_figure(df: pd.DataFrame, lang: str = "nl") -> str | None:
    """Stacked shares strong / vulnerable / sliding at the last week per scenario; a base64 PNG."""
    import matplotlib.pyplot as plt

    cols = [c for c, _ in CATEGORY_METRICS if c in df.columns]
    if len(cols) < 3:
        return None
    last = df.assign(_g=_group(df))
    last = last[last["tick"] == last.groupby("_g")["tick"].transform("max")]
    means = last.groupby("_g", sort=False)[cols].mean()
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(means) + 1.8), layout="constrained")
    left = np.zeros(len(means))
    for (col, labels), colour in zip(CATEGORY_METRICS, ("#4c9a2a", "#e0a100", "#c0392b"), strict=True):
        ax.barh(means.index, means[col], left=left, color=colour, label=pick(lang, *labels))
        for y, (x0, w) in enumerate(zip(left, means[col], strict=True)):
            if w > 0.06:
                ax.text(x0 + w / 2, y, percent(w, lang, 0), ha="center", va="center", fontsize=8, color="white")
        left += means[col].to_numpy()
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(pick(lang, "aandeel bewoners", "share of residents"))
    ax.set_title(pick(lang, "Categorieën aan het eind (gemiddeld over replicaties)", "Categories at the end (mean over replications)"), fontsize=11)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=3)
    return _png(fig)


def end_distribution_figure(df: pd.DataFrame, metric: str, lang: str = "nl") -> str | None:
    """Spread over replications of a metric at the last week, per scenario; a base64 PNG."""
    import matplotlib.pyplot as plt

    from buurtsim.formatting import display_scale

    if metric not in df.columns:
        return None
    scale = display_scale(metric)
    last = df.assign(_g=_group(df))
    last = last[last["tick"] == last.groupby("_g")["tick"].transform("max")]
    groups = list(dict.fromkeys(last["_g"]))[:MAX_LINES]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(groups) + 1.5), layout="constrained")
    ax.boxplot([last.loc[last["_g"] == g, metric].to_numpy() * scale for g in groups], orientation="horizontal", tick_labels=groups)
    for i, g in enumerate(groups, start=1):
        vals = last.loc[last["_g"] == g, metric].to_numpy() * scale
        ax.scatter(vals, np.full(vals.size, i) + np.linspace(-0.15, 0.15, vals.size), s=8, alpha=0.6)
    ax.invert_yaxis()
    ax.set_title(_title(metric, lang) + pick(lang, ": spreiding over replicaties aan het eind", ": spread over replications at the end"), fontsize=10)
    return _png(fig)


def residents_figure(path: Path, lang: str = "nl") -> str | None:
    """Histogram of residents' self-reliance (points, 0-100) at the end per scenario, with the category thresholds; a base64 PNG."""
    import matplotlib.pyplot as plt

    if not path.is_file():
        return None
    res = pd.read_parquet(path, columns=["scenario", "self_reliance"])
    fig, ax = plt.subplots(figsize=(9, 3.8), layout="constrained")
    groups = list(dict.fromkeys(res["scenario"].astype(str)))[:MAX_LINES]
    colours = _colours(groups)
    bins = np.linspace(0, 100, 41).tolist()
    for g in groups:
        ax.hist(100 * res.loc[res["scenario"] == g, "self_reliance"], bins=bins, density=True, histtype="step", lw=1.6, color=colours[g], label=g)
    from buurtsim.params import Params

    for thr in (Params().sliding_threshold, Params().strong_threshold):
        ax.axvline(100 * thr, color="grey", ls=":", lw=1)
    ax.set_xlabel(pick(lang, "zelfredzaamheid in punten (stippellijnen: grenzen van de categorieën)", "self-reliance in points (dotted: category thresholds)"))
    ax.set_ylabel(pick(lang, "dichtheid", "density"))
    ax.set_title(pick(lang, "Bewoners aan het eind, alle replicaties", "Residents at the end, all replications"), fontsize=11)
    ax.legend(fontsize=8)
    return _png(fig)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _img(src: str | None, alt: str) -> str:
    return f'<figure><img src="{src}" alt="{html.escape(alt)}"></figure>' if src else ""


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin:.8em 0}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}
th{background:#f3f3f3}tbody tr:nth-child(even){background:#fafafa}figure{margin:1em 0}img{max-width:100%}
.muted{color:#666;font-size:.9em}code{background:#f3f3f3;padding:0 .2em}
.answer{background:#f4f8fb;border-left:4px solid #2b6cb0;padding:.6em 1em;margin:1em 0}.answer h3{margin:.2em 0 .4em}
.answer p{margin:.3em 0}.mkba{background:#f7faf3;border-left:4px solid #4c9a2a;padding:.6em 1em;margin:1em 0}
"""


def answer_section(df: pd.DataFrame, manifest: dict[str, Any], lang: str, out: str | Path | None = None) -> tuple[str, list[Any]]:
    """The answer: plain sentences per scenario against the baseline, then the difference chart. With
    `out` (the results folder) it includes the effect on the reached residents from the runs' records."""
    from buurtsim.experiment.answer import add_reached_effects, all_answers, baseline_change, sentences

    exp = manifest["experiment"]
    fund = funding_ends(manifest)
    found = all_answers(df, manifest, baseline=exp["baseline"])
    if out is not None:
        add_reached_effects(found, out, manifest)
    parts = [f"<section id='answer'><h2>{pick(lang, 'Het antwoord', 'The answer')}</h2>"]
    n = exp.get("replications")
    parts.append(f"<p class='muted'>{html.escape(pick(lang, f'Gepaarde verschillen met de basislijn over {n} replicaties (zelfde seed per replicatie), met 95%-intervallen tussen haken. Niet te onderscheiden: het interval bevat nul.', f'Paired differences to the baseline over {n} replications (same seed per replication), 95% intervals in brackets. Not distinguishable: the interval covers zero.'))}</p>")
    if exp.get("uncertainty"):
        parts.append(f"<p class='muted'>{html.escape(pick(lang, 'Elke replicatie draait in een plausibele wereld (een lid van het ensemble, in elk scenario hetzelfde), dus de intervallen bevatten ook onzekerheid over de parameters, niet alleen toeval.', 'Each replication runs in a plausible world (an ensemble member, the same in every scenario), so the intervals carry uncertainty about the parameters as well as chance.'))}</p>")
    backdrop = baseline_change(df, exp["baseline"], lang)
    if backdrop:
        parts.append(f"<p>{html.escape(backdrop)}</p>")
    for i, ans in enumerate(found):
        if ans.direct and not (i and found[i - 1].direct):
            parts.append(f"<p class='muted'>{html.escape(pick(lang, 'Rechtstreeks vergeleken, de paren die het experiment noemt: dezelfde replicaties, het eerste scenario tegenover het tweede.', 'Compared directly, the pairs the experiment names: the same replications, the first scenario against the second.'))}</p>")
        parts.append(f"<div class='answer'><h3>{html.escape(ans.title(lang))}</h3>" + "".join(f"<p>{html.escape(t)}</p>" for t in sentences(ans, lang)) + "</div>")
    chart = difference_figure(df, exp["baseline"], _timelines(manifest), fund, lang)
    if chart:
        parts.append(f"<figure id='difference-chart'><img src=\"{chart}\" alt=\"{html.escape(pick(lang, 'verschillen met de basislijn', 'differences to the baseline'))}\">"
                     f"<figcaption class='muted'>{html.escape(pick(lang, 'Lijn: gemiddeld gepaard verschil; band: 95%-interval; zwarte lijn: geen verschil.', 'Line: mean paired difference; band: 95% interval; black line: no difference.'))}</figcaption></figure>")
    parts.append("</section>")
    return "".join(parts), found


def robustness_section(out: Path, manifest: dict[str, Any], lang: str) -> str:
    """Experiments over plausible worlds: per scenario pair and outcome the share of worlds in which A
    beats B, then (when the experiment asks for it) the regions where a comparison goes the other way."""
    from buurtsim.experiment import robustness

    exp = manifest["experiment"]
    if not exp.get("uncertainty") and not exp.get("discovery"):
        return ""
    parts = [f"<section id='robustness'><h2>{pick(lang, 'Robuustheid over plausibele werelden', 'Robustness over plausible worlds')}</h2>"]
    if exp.get("uncertainty"):
        parts.append(f"<p class='muted'>{html.escape(robustness.worlds_note(exp['uncertainty'], lang))}</p>")
        verdicts = robustness.results_robustness(out, manifest)
        parts.append("<ul>" + "".join(f"<li>{html.escape(robustness.sentence(v, lang))}</li>" for v in verdicts) + "</ul>")
        parts.append(f"<p class='muted'>{html.escape(robustness.explanation(lang))}</p>")
    if exp.get("discovery"):
        parts.append(discovery_html(out, exp["discovery"], lang))
    parts.append("</section>")
    return "".join(parts)


def discovery_html(out: Path, settings: dict[str, Any], lang: str) -> str:
    """The experiment's [discovery]: PRIM boxes where the comparison goes the other way (or why none)."""
    from buurtsim.experiment.discovery import discover, lines

    parts = [f"<h3 id='discovery'>{pick(lang, 'Waar gaat het de andere kant op?', 'Where does it go the other way?')}</h3>"]
    try:
        found = discover(out, a=settings["a"], b=settings["b"], metric=settings.get("metric", "mean_self_reliance"), at=settings.get("at", "end"),
                         threshold=settings.get("threshold", 0.6), peel_alpha=settings.get("peel_alpha", 0.05), boxes=settings.get("boxes", 2))
    except UserError as exc:
        return "".join(parts) + f"<p>{html.escape(pick(lang, 'Niet te bepalen: ', 'Cannot be determined: ') + str(exc))}</p>"
    text = lines(found, lang)
    parts += [f"<p>{html.escape(t)}</p>" for t in text[:2]]
    if not found.boxes:
        return "".join(parts + [f"<p>{html.escape(t)}</p>" for t in text[2:]])
    rows = []
    for k, box in enumerate(found.boxes, start=1):
        for name, (lo, hi) in box.limits.items():
            flo, fhi = box.full[name]
            rows.append([str(k), percent(box.coverage, lang, 0), percent(box.density, lang, 0), f"{box.n}", name,
                         f"{lo:.4g} - {hi:.4g}", f"{flo:.4g} - {fhi:.4g}"])
    parts.append(_table([pick(lang, "gebied", "region"), pick(lang, "dekking", "coverage"), pick(lang, "dichtheid", "density"),
                         pick(lang, "werelden erin", "worlds in it"), "parameter", pick(lang, "bereik in het gebied", "range in the region"),
                         pick(lang, "bereik in alle werelden", "range in all worlds")], rows))
    parts.append(f"<p class='muted'>{html.escape(text[-1])}</p>")
    return "".join(parts)


def mkba_section(df: pd.DataFrame, manifest: dict[str, Any], prices: Any, lang: str) -> tuple[str, list[Any]]:
    """The social cost-benefit section: sentences, present values per item, the price table and its sources."""
    from buurtsim.experiment.mkba import eur_with_ci, mkba_all, mkba_sentences, price_rows

    exp = manifest["experiment"]
    last = {s["name"]: int(s["ticks"]) for s in manifest.get("scenarios", [])}
    found = mkba_all(df, baseline=exp["baseline"], table=prices, last_tick=last)
    parts = [f"<section id='mkba'><h2>{pick(lang, 'Maatschappelijk rendement (MKBA)', 'Social return (social cost-benefit analysis)')}</h2>"]
    if not found:
        parts.append(f"<p>{html.escape(pick(lang, 'Niet te berekenen: deze resultaten bevatten geen kosten (cost_eur) of bewonersaantallen.', 'Cannot be computed: these results hold no cost (cost_eur) or population.'))}</p></section>")
        return "".join(parts), found
    for m in found:
        parts.append("<div class='mkba'>" + "".join(f"<p>{html.escape(t)}</p>" for t in mkba_sentences(m, prices, lang)) + "</div>")
    labels = {p.name: p.label(lang) for p in prices.prices}
    rows = []
    for m in found:
        for name, e in m.benefits.items():
            rows.append([m.scenario, labels[name], eur_with_ci(e, lang, sign=True)])
    parts.append(_table([pick(lang, "scenario", "scenario"), pick(lang, "baat", "benefit"), pick(lang, "contante waarde [95%-interval]", "present value [95% CI]")], rows))
    parts.append(f"<h3>{pick(lang, 'Prijstabel', 'Price table')}</h3>")
    parts.append(_table(*price_rows(prices, lang)))
    rate = f"{prices.discount_rate * 100:.2f}".replace(".", "," if lang == "nl" else ".")
    parts.append(f"<p class='muted'>{html.escape(pick(lang, f'Discontovoet {rate} % per jaar; bron: {prices.discount_source}. Prijstabel: {prices.path}. Intervallen: gepaarde bootstrap over replicaties ({prices.bootstrap_samples} trekkingen, seed {prices.bootstrap_seed}). Posten gemarkeerd als aanname zijn geen gemeten prijzen; pas ze aan met --prices.', f'Discount rate {rate}% a year; source: {prices.discount_source}. Price table: {prices.path}. Intervals: paired bootstrap over replications ({prices.bootstrap_samples} draws, seed {prices.bootstrap_seed}). Items marked as assumptions are not measured prices; change them with --prices.'))}</p>")
    parts.append("</section>")
    return "".join(parts), found


def build_report(out: str | Path, target: str | Path | None = None, *, lang: str = "nl", prices: str | Path | None = None) -> Path:
    """Write the HTML report of the results in `out` to `target` (default OUT/report.html) in one
    language: the answer first, then the social return, then the tables and figures as an appendix."""
    import matplotlib

    from buurtsim.experiment.answer import ANSWER_COLUMNS, REACH_COLUMNS, results_frame
    from buurtsim.experiment.mkba import load_prices

    matplotlib.use("Agg", force=True)
    out = Path(out)
    price_table = load_prices(prices)
    manifest = load_manifest(out)
    target = check_output_file(target if target is not None else out / "report.html", "--out", "report.html")
    ts_path = timeseries_path(out, manifest)
    stored = set(pq.read_schema(ts_path).names)
    wanted = [m for m in FIGURE_METRICS if m in stored]
    extra = [c for c, _ in CATEGORY_METRICS if c in stored and c not in wanted]
    value_cols = [*wanted, *extra, *ANSWER_COLUMNS, *REACH_COLUMNS, *(p.metric for p in price_table.prices)]
    df = results_frame(out, manifest, value_cols)
    exp = manifest["experiment"]
    fund = funding_ends(manifest)
    timelines = _timelines(manifest)
    parts: list[str] = []
    title = exp.get("title") or exp["name"]
    counts: dict[str, int] = {}
    for r in manifest["runs"]:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    parts.append(f"<h1>{html.escape(title)}</h1>")
    parts.append(f"<p class='muted'>{pick(lang, 'experiment', 'experiment')} <code>{html.escape(exp['name'])}</code> &middot; status: {html.escape(manifest.get('status', '?'))} "
                 f"&middot; runs: {html.escape(', '.join(f'{k} {v}' for k, v in counts.items()))}</p>")
    if exp.get("description"):
        parts.append(f"<p>{html.escape(exp['description'])}</p>")
    answer_html, _ = answer_section(df, manifest, lang, out)
    parts.append(answer_html)
    parts.append(robustness_section(out, manifest, lang))
    mkba_html, _ = mkba_section(df, manifest, price_table, lang)
    parts.append(mkba_html)

    scen_rows = [[s["name"], s.get("title", ""), str(s["ticks"]), str(fund.get(s["name"]) if fund.get(s["name"]) is not None else "-")]
                 for s in manifest["scenarios"]]
    parts.append(f"<h2>{pick(lang, 'Scenario’s', 'Scenarios')}</h2>")
    parts.append(_table([pick(lang, "naam", "name"), pick(lang, "titel", "title"), pick(lang, "weken", "weeks"),
                         pick(lang, "einde financiering (week)", "end of funding (week)")], scen_rows))
    parts.append("<p class='muted'>" + html.escape(pick(lang, f"Basislijn: {exp['baseline']}; {exp['replications']} replicaties per scenario; replicatie r gebruikt in elk scenario hetzelfde seed (gepaarde vergelijking).",
                                                        f"Baseline: {exp['baseline']}; {exp['replications']} replications per scenario; replication r uses the same seed in every scenario (paired comparison).")) + "</p>")

    parts.append(f"<section id='appendix'><h2>{pick(lang, 'Bijlage: tabellen en grafieken', 'Appendix: tables and figures')}</h2>")
    parts.append(f"<h3>{pick(lang, 'Vergelijking per uitkomst', 'Comparison per outcome')}</h3>")
    try:
        comp = compare_results(out, metrics=[m for m in HEADLINE_METRICS if m in stored])
        parts.append(_table(*display_rows(comp, lang)))
        if comp.summary:
            parts.append(f"<h3>{pick(lang, 'Duurzaamheid en kosten', 'Durability and cost')}</h3>")
            parts.append(_table(*display_summary(comp, lang)))
        parts.append(f"<p class='muted'>{html.escape(explanation(lang))}</p>")
        if comp.notes:
            parts.append("<ul class='muted'>" + "".join(f"<li>{html.escape(n)}</li>" for n in comp.notes) + "</ul>")
    except UserError as exc:
        parts.append(f"<p>{pick(lang, 'Vergelijking niet mogelijk', 'Comparison not possible')}: {html.escape(str(exc))}</p>")

    parts.append(f"<h3>{pick(lang, 'Tijdreeksen', 'Time series')}</h3>")
    parts.append("<p class='muted'>" + html.escape(pick(lang, "Lijn: gemiddelde over replicaties; band: 95%-interval (t). Zelfredzaamheid in punten (0-100), aandelen in %; de as begint bij nul. Onder elke grafiek de looptijd van het beleid per scenario.",
                                                        "Line: mean over replications; band: 95% t-interval. Self-reliance in points (0-100), shares in %; the axis starts at zero. Under each figure the policy periods per scenario.")) + "</p>")
    for metric in wanted:
        parts.append(_img(timeseries_figure(df, metric, timelines, fund, lang), _title(metric, lang)))

    parts.append(f"<h3>{pick(lang, 'Verdelingen aan het eind', 'Final distributions')}</h3>")
    parts.append(_img(categories_figure(df, lang), pick(lang, "categorieën", "categories")))
    parts.append(_img(end_distribution_figure(df, "mean_self_reliance", lang), pick(lang, "spreiding van de gemiddelde zelfredzaamheid", "spread of mean self-reliance")))
    parts.append(_img(residents_figure(out / RESIDENTS, lang), pick(lang, "zelfredzaamheid van bewoners", "residents' self-reliance")))

    parts.append(f"<h3>{pick(lang, 'Herkomst', 'Provenance')}</h3>")
    parts.append(_table(["", ""], provenance_rows(manifest)))
    run_rows = [[r["run_id"], r["status"], str(r["seed"]), "-" if r.get("duration_s") is None else f"{r['duration_s']:.1f}",
                 (r.get("error") or "").strip().splitlines()[-1] if r.get("error") else ""] for r in manifest["runs"]]
    parts.append(f"<details><summary>Runs ({len(run_rows)})</summary>{_table(['run', 'status', 'seed', pick(lang, 'seconden', 'seconds'), pick(lang, 'fout', 'error')], run_rows)}</details>")
    parts.append("</section>")
    doc = (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
           f"<style>{CSS}</style></head><body>{''.join(parts)}"
           f"<p class='muted'>{pick(lang, 'Gemaakt met buurtsim.', 'Made with buurtsim.')}</p></body></html>")
    target = Path(target) if target is not None else out / "report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    from buurtsim.experiment.store import atomic_path

    with atomic_path(target) as tmp:
        tmp.write_text(doc, encoding="utf-8")
    return target


def provenance_rows(manifest: dict[str, Any]) -> list[list[str]]:
    """Where the results come from: files and their checksums, seeds, overrides, versions, sessions."""
    exp = manifest["experiment"]
    prov = [
        ["experiment file", exp.get("file", "")], ["sha256", exp.get("sha256", "")], ["identity", exp.get("identity", "")],
        ["master seed", str(exp.get("master_seed"))], ["replication seeds", ", ".join(map(str, exp.get("seeds", [])))],
        ["n_residents override", str(exp.get("n_residents"))], ["ticks override", str(exp.get("ticks"))],
        ["params", str(exp.get("params") or {})], ["started", manifest.get("started", "")], ["finished", str(manifest.get("finished"))],
    ]
    if exp.get("uncertainty"):
        unc = exp["uncertainty"]
        prov += [["ensemble", f"{unc.get('source', '')} (sha256 {str(unc.get('sha256', ''))[:16]}...)"],
                 ["ensemble members per replication", ", ".join(map(str, unc.get("replication_members", [])))]]
    prov += [[f"scenario {s['name']}", f"{s['file']} (sha256 {s['sha256'][:16]}..., digest {str(s.get('digest', ''))[:16]}...)"] for s in manifest["scenarios"]]
    prov += [[f"version {k}", v] for k, v in manifest.get("versions", {}).items()]
    prov += [[f"session {i + 1}", f"{s['started']} - {s.get('finished')}, backend {s['backend'].get('name')} x{s['backend'].get('workers')}"
              + (" (resumed)" if s.get("resumed") else "")] for i, s in enumerate(manifest.get("sessions", []))]
    return prov
