"""Outcome charts as data for `widgets.ChartCanvas`, which draws them in the browser: the series
are sent as float32 arrays (base64), so a frame costs the server a few array copies instead of a
matplotlib rendering. Values are in the units users read (points 0-100, %), as in `drawing`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from buurtsim import metrics as metrics_mod
from buurtsim.dashboard.drawing import CATEGORY_COLOURS, POLICY_COLOURS
from buurtsim.dashboard.i18n import category_label, t
from buurtsim.dashboard.netview import b64
from buurtsim.dashboard.worlds import WORLDS
from buurtsim.formatting import display_scale, metric_unit, percent

#: The range of B − A over the plausible worlds (Okabe-Ito sky blue, see-through over the white plot).
BAND_COLOUR, BAND_ALPHA = "#56B4E9", 0.4
# Okabe-Ito (colour-blind safe), one per chosen outcome in order
SERIES_COLOURS: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def floats(values: Any) -> str:
    """Values as little-endian float32 bytes in base64 (NaN stays NaN: the line has a gap there)."""
    return b64(np.asarray(values, "<f4"))


def _rows(timeline: Sequence[tuple[int, int, str]]) -> list[dict[str, Any]]:
    labels = list(dict.fromkeys(lbl for _, _, lbl in timeline))
    return [{"label": lbl, "colour": POLICY_COLOURS[i % len(POLICY_COLOURS)],
             "periods": [[int(s), int(e)] for s, e, lb in timeline if lb == lbl]} for i, lbl in enumerate(labels)]


def series_chart(metrics: pd.DataFrame, names: Sequence[str], timeline: Sequence[tuple[int, int, str]],
                 horizon: int, lang: str = "nl") -> dict[str, Any]:
    """Chosen outcomes over weeks, policy periods shaded, a row per policy underneath."""
    rows = _rows(timeline)
    colour_of = {r["label"]: r["colour"] for r in rows}
    shown = [n for n in names if n in metrics]
    lines = [{"label": f"{metrics_mod.label(n, lang)} ({metric_unit(n, lang)})",
              "colour": SERIES_COLOURS[i % len(SERIES_COLOURS)],
              "y": floats(metrics[n].to_numpy(float) * display_scale(n))} for i, n in enumerate(shown)]
    return {"x": floats(metrics.index.to_numpy()), "xmax": int(horizon), "lines": lines,
            "spans": [[int(s), int(e), colour_of[lbl]] for s, e, lbl in timeline],
            "rows": rows, "no_rows": "" if rows else t("no_policy", lang),
            "xlabel": t("weeks_axis", lang), "lang": lang, "aspect": 0.5 + 0.035 * max(len(rows), 1)}


def categories_chart(metrics: pd.DataFrame, horizon: int, lang: str = "nl") -> dict[str, Any]:
    """Shares strong / vulnerable / sliding over time (stacked, in %), the current split as title."""
    cols = ["share_strong", "share_vulnerable", "share_sliding"]
    data = 100 * metrics[cols].to_numpy(float).T if len(metrics) else np.zeros((3, 0))
    upper = np.cumsum(data, axis=0)
    lower = upper - data
    bands = [{"label": category_label(i, lang), "colour": CATEGORY_COLOURS[i], "lo": floats(lower[i]),
              "hi": floats(upper[i]), "alpha": 0.9} for i in range(3)]
    title = ""
    if len(metrics):
        last = metrics[cols].iloc[-1]
        title = "  ".join(f"{category_label(i, lang)} {percent(last.iloc[i], lang, 0)}" for i in range(3))
    return {"x": floats(metrics.index.to_numpy()), "xmax": int(horizon), "bands": bands, "ylim": [0, 100],
            "ylabel": f"{t('share', lang)} (%)", "title": title, "xlabel": t("weeks_axis", lang), "lang": lang,
            "aspect": 0.62}


def difference_charts(a: pd.DataFrame, b: pd.DataFrame, name: str,
                      timelines: tuple[Sequence[tuple[int, int, str]], Sequence[tuple[int, int, str]]],
                      horizon: int, labels: tuple[str, str] = ("A", "B"), lang: str = "nl",
                      band: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """One outcome for A and B over time (policy periods of each shaded in its colour), and the
    difference B − A underneath (above zero green, below red). With `band` (lowest and highest
    B − A over the plausible worlds, per week, as in `worlds.WorldRuns.band`) the shading is that
    range instead, labelled in the legend, and the line is B − A at the default values."""
    scale = display_scale(name)
    colours = ("#0072B2", "#D55E00")
    ticks = a.index.union(b.index)
    lines = [{"label": f"{side}: {lbl}", "colour": colour,
              "y": floats(frame[name].reindex(ticks).to_numpy(float) * scale)}
             for side, lbl, colour, frame in zip("AB", labels, colours, (a, b), strict=True) if name in frame]
    spans = [[int(s), int(e), colour] for colour, tl in zip(colours, timelines, strict=True) for s, e, _ in tl]
    top = {"x": floats(ticks.to_numpy()), "xmax": int(horizon), "lines": lines, "spans": spans,
           "title": f"{metrics_mod.label(name, lang)} ({metric_unit(name, lang)})", "xlabel": t("weeks_axis", lang),
           "lang": lang, "aspect": 0.42}
    common = a.index.intersection(b.index)
    diff = ((b.loc[common, name] - a.loc[common, name]) * scale).to_numpy(float) if name in a and name in b \
        else np.zeros(0)
    if name not in a or name not in b:
        common = common[:0]
    zero = np.zeros(diff.size)
    if band is not None and band[0].size == diff.size:
        bands = [{"label": t("worlds_band", lang, k=WORLDS), "colour": BAND_COLOUR, "lo": floats(band[0] * scale),
                  "hi": floats(band[1] * scale), "alpha": BAND_ALPHA}]
        line = t("worlds_line", lang)
    else:
        bands = [{"colour": "#009E73", "lo": floats(zero), "hi": floats(np.maximum(diff, 0)), "alpha": 0.5},
                 {"colour": "#D55E00", "lo": floats(np.minimum(diff, 0)), "hi": floats(zero), "alpha": 0.5}]
        line = t("difference", lang)
    bottom = {"x": floats(common.to_numpy()), "xmax": int(horizon), "zero": True, "bands": bands,
              "lines": [{"label": line, "colour": "#333333", "y": floats(diff), "width": 1.0}],
              "ylabel": metric_unit(name, lang), "xlabel": t("weeks_axis", lang), "lang": lang, "aspect": 0.36}
    return top, bottom
