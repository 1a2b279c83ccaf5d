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
from scipy import stats

from buurtsim.errors import UserError
from buurtsim.experiment.compare import (
    EXPLANATION,
    HEADLINE_METRICS,
    compare_results,
    display_rows,
    display_summary,
    funding_ends,
)
from buurtsim.experiment.store import RESIDENTS, load_manifest, timeseries_path
from buurtsim.metrics import BY_NAME, label
from buurtsim.safe_io import check_output_file

FIGURE_METRICS = (
    "mean_self_reliance", "share_sliding", "share_strong", "participation_rate", "trust_in_institutions",
    "dependency_share", "share_isolated", "collective_efficacy", "active_initiatives", "cost_eur",
)
CATEGORY_METRICS = (("share_strong", "sterk / strong"), ("share_vulnerable", "kwetsbaar / vulnerable"), ("share_sliding", "afglijdend / sliding"))
MAX_LINES = 12


def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _title(metric: str) -> str:
    m = BY_NAME.get(metric)
    return f"{label(metric, 'nl')} ({label(metric, 'en')})" if m else metric


def _group(df: pd.DataFrame) -> pd.Series:
    if "point" in df.columns:
        return df["scenario"].astype(str) + " [p" + df["point"].astype(int).astype(str) + "]"
    return df["scenario"].astype(str)


def bands(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Mean and 95 % t-interval over replications per group and tick."""
    g = df.assign(_g=_group(df)).groupby(["_g", "tick"], sort=False)[metric]
    agg = g.agg(["mean", "std", "count"]).reset_index()
    tq = np.where(agg["count"] > 1, stats.t.ppf(0.975, np.maximum(agg["count"] - 1, 1)), np.nan)
    half = tq * agg["std"] / np.sqrt(agg["count"])
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


def timeseries_figure(df: pd.DataFrame, metric: str, timelines: dict[str, list[tuple[int, int, str]]], fund_end: dict[str, int | None]) -> str:
    """Mean per scenario with its 95 % band, policy periods drawn underneath; a base64 PNG."""
    import matplotlib.pyplot as plt

    agg = bands(df, metric)
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
    ax.set_ylabel(BY_NAME[metric].unit if metric in BY_NAME else "")
    ax.set_title(_title(metric), fontsize=11)
    ax.legend(fontsize=8, loc="best")
    ax.grid(alpha=0.3)
    if scen_groups:
        tl = axes[1, 0]
        for i, g in enumerate(scen_groups):
            for start, end, _lab in timelines[g.split(" [p")[0]]:
                tl.barh(i, max(end - start, 1), left=start, height=0.6, color=colours[g], alpha=0.7, edgecolor="white", lw=0.5)
        tl.set_yticks(range(len(scen_groups)), scen_groups, fontsize=7)
        tl.invert_yaxis()
        tl.set_xlabel("week")
        tl.set_title("beleid in de tijd / policy timeline (stippellijn: einde financiering / dashed: end of funding)", fontsize=8)
    else:
        ax.set_xlabel("week")
    return _png(fig)


def categories_figure(df: pd.DataFrame) -> str | None:
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
    for (col, lab), colour in zip(CATEGORY_METRICS, ("#4c9a2a", "#e0a100", "#c0392b"), strict=True):
        ax.barh(means.index, means[col], left=left, color=colour, label=lab)
        for y, (x0, w) in enumerate(zip(left, means[col], strict=True)):
            if w > 0.06:
                ax.text(x0 + w / 2, y, f"{w:.0%}", ha="center", va="center", fontsize=8, color="white")
        left += means[col].to_numpy()
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("aandeel bewoners / share of residents")
    ax.set_title("Categorieën aan het eind (gemiddeld over replicaties) / categories at the end", fontsize=11)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncols=3)
    return _png(fig)


def end_distribution_figure(df: pd.DataFrame, metric: str) -> str | None:
    """Spread over replications of a metric at the last week, per scenario; a base64 PNG."""
    import matplotlib.pyplot as plt

    if metric not in df.columns:
        return None
    last = df.assign(_g=_group(df))
    last = last[last["tick"] == last.groupby("_g")["tick"].transform("max")]
    groups = list(dict.fromkeys(last["_g"]))[:MAX_LINES]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(groups) + 1.5), layout="constrained")
    ax.boxplot([last.loc[last["_g"] == g, metric].to_numpy() for g in groups], orientation="horizontal", tick_labels=groups)
    for i, g in enumerate(groups, start=1):
        vals = last.loc[last["_g"] == g, metric].to_numpy()
        ax.scatter(vals, np.full(vals.size, i) + np.linspace(-0.15, 0.15, vals.size), s=8, alpha=0.6)
    ax.invert_yaxis()
    ax.set_title(f"{_title(metric)}: spreiding over replicaties aan het eind / spread over replications at the end", fontsize=10)
    return _png(fig)


def residents_figure(path: Path) -> str | None:
    """Histogram of residents' self-reliance at the end per scenario, with the category thresholds; a base64 PNG."""
    import matplotlib.pyplot as plt

    if not path.is_file():
        return None
    res = pd.read_parquet(path, columns=["scenario", "self_reliance"])
    fig, ax = plt.subplots(figsize=(9, 3.8), layout="constrained")
    groups = list(dict.fromkeys(res["scenario"].astype(str)))[:MAX_LINES]
    colours = _colours(groups)
    bins = np.linspace(0, 1, 41)
    for g in groups:
        ax.hist(res.loc[res["scenario"] == g, "self_reliance"], bins=bins, density=True, histtype="step", lw=1.6, color=colours[g], label=g)
    from buurtsim.params import Params

    for thr in (Params().sliding_threshold, Params().strong_threshold):
        ax.axvline(thr, color="grey", ls=":", lw=1)
    ax.set_xlabel("zelfredzaamheid / self-reliance (stippellijnen: grenzen categorieën / dotted: category thresholds)")
    ax.set_ylabel("dichtheid / density")
    ax.set_title("Bewoners aan het eind, alle replicaties / residents at the end, all replications", fontsize=11)
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
"""


def build_report(out: str | Path, target: str | Path | None = None) -> Path:
    """Write the HTML report of the results in `out` to `target` (default OUT/report.html); returns its path."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    out = Path(out)
    manifest = load_manifest(out)
    target = check_output_file(target if target is not None else out / "report.html", "--out", "report.html")
    ts_path = timeseries_path(out, manifest)
    stored = set(pq.read_schema(ts_path).names)
    wanted = [m for m in FIGURE_METRICS if m in stored]
    extra = [c for c, _ in CATEGORY_METRICS if c in stored and c not in wanted]
    df = pd.read_parquet(ts_path, columns=[c for c in ("scenario", "point", "replication", "tick") if c in stored] + wanted + extra)
    exp = manifest["experiment"]
    fund = funding_ends(manifest)
    timelines = _timelines(manifest)
    parts: list[str] = []
    title = exp.get("title") or exp["name"]
    counts: dict[str, int] = {}
    for r in manifest["runs"]:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    parts.append(f"<h1>{html.escape(title)}</h1>")
    parts.append(f"<p class='muted'>experiment <code>{html.escape(exp['name'])}</code> &middot; status: {html.escape(manifest.get('status', '?'))} "
                 f"&middot; runs: {html.escape(', '.join(f'{k} {v}' for k, v in counts.items()))}</p>")
    if exp.get("description"):
        parts.append(f"<p>{html.escape(exp['description'])}</p>")
    scen_rows = [[s["name"], s.get("title", ""), str(s["ticks"]), str(fund.get(s["name"]) if fund.get(s["name"]) is not None else "-")]
                 for s in manifest["scenarios"]]
    parts.append("<h2>Scenario's / Scenarios</h2>")
    parts.append(_table(["naam / name", "titel / title", "weken / weeks", "einde financiering / end of funding (week)"], scen_rows))
    parts.append(f"<p class='muted'>Basislijn / baseline: <code>{html.escape(exp['baseline'])}</code>; {html.escape(str(exp['replications']))} replicaties per scenario, "
                 "replicatie r gebruikt in elk scenario hetzelfde seed (gepaarde vergelijking) / replication r uses the same seed in every scenario.</p>")

    parts.append("<h2>Vergelijking / Comparison</h2>")
    try:
        comp = compare_results(out, metrics=[m for m in HEADLINE_METRICS if m in stored])
        parts.append(_table(*display_rows(comp)))
        if comp.summary:
            parts.append("<h3>Duurzaamheid en kosten / Durability and cost</h3>")
            parts.append(_table(*display_summary(comp)))
        parts.append(f"<p class='muted'>{html.escape(EXPLANATION)}</p>")
        if comp.notes:
            parts.append("<ul class='muted'>" + "".join(f"<li>{html.escape(n)}</li>" for n in comp.notes) + "</ul>")
    except UserError as exc:
        parts.append(f"<p>Vergelijking niet mogelijk / comparison not possible: {html.escape(str(exc))}</p>")

    parts.append("<h2>Tijdreeksen / Time series</h2>")
    parts.append("<p class='muted'>Lijn: gemiddelde over replicaties; band: 95 %-betrouwbaarheidsinterval (t). "
                 "Onder elke grafiek de looptijd van het beleid per scenario. / Line: mean over replications; band: 95 % t-interval.</p>")
    for metric in wanted:
        parts.append(_img(timeseries_figure(df, metric, timelines, fund), _title(metric)))

    parts.append("<h2>Verdelingen aan het eind / Final distributions</h2>")
    parts.append(_img(categories_figure(df), "categories"))
    parts.append(_img(end_distribution_figure(df, "mean_self_reliance"), "spread of mean self-reliance"))
    parts.append(_img(residents_figure(out / RESIDENTS), "residents' self-reliance"))

    parts.append("<h2>Herkomst / Provenance</h2>")
    prov = [
        ["experiment file", exp.get("file", "")], ["sha256", exp.get("sha256", "")], ["identity", exp.get("identity", "")],
        ["master seed", str(exp.get("master_seed"))], ["replication seeds", ", ".join(map(str, exp.get("seeds", [])))],
        ["n_residents override", str(exp.get("n_residents"))], ["ticks override", str(exp.get("ticks"))],
        ["params", str(exp.get("params") or {})], ["started", manifest.get("started", "")], ["finished", str(manifest.get("finished"))],
    ]
    prov += [[f"scenario {s['name']}", f"{s['file']} (sha256 {s['sha256'][:16]}..., digest {str(s.get('digest', ''))[:16]}...)"] for s in manifest["scenarios"]]
    prov += [[f"version {k}", v] for k, v in manifest.get("versions", {}).items()]
    prov += [[f"session {i + 1}", f"{s['started']} - {s.get('finished')}, backend {s['backend'].get('name')} x{s['backend'].get('workers')}"
              + (" (resumed)" if s.get("resumed") else "")] for i, s in enumerate(manifest.get("sessions", []))]
    parts.append(_table(["", ""], prov))
    run_rows = [[r["run_id"], r["status"], str(r["seed"]), "-" if r.get("duration_s") is None else f"{r['duration_s']:.1f}",
                 (r.get("error") or "").strip().splitlines()[-1] if r.get("error") else ""] for r in manifest["runs"]]
    parts.append(f"<details><summary>Runs ({len(run_rows)})</summary>{_table(['run', 'status', 'seed', 'seconds', 'error'], run_rows)}</details>")
    doc = (f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
           f"<style>{CSS}</style></head><body>{''.join(parts)}"
           "<p class='muted'>Gemaakt met buurtsim / made with buurtsim.</p></body></html>")
    from buurtsim.experiment.store import atomic_path

    with atomic_path(target) as tmp:
        tmp.write_text(doc, encoding="utf-8")
    return target
