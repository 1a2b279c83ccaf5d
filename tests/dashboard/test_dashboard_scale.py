"""The dashboard's pictures use the scale users read everywhere: self-reliance in 0-100 points,
shares in %, and Dutch tick labels with a decimal comma."""

from __future__ import annotations

import numpy as np
import pandas as pd

from buurtsim.dashboard import drawing


def _metrics() -> pd.DataFrame:
    ticks = np.arange(20)
    return pd.DataFrame({"mean_self_reliance": np.linspace(0.50, 0.55, 20), "share_sliding": np.linspace(0.10, 0.12, 20)}, index=ticks)


def test_time_series_in_points_and_percent() -> None:
    fig = drawing.timeseries_figure(_metrics(), ["mean_self_reliance", "share_sliding"], [], 20, "nl")
    ax = fig.axes[0]
    lines = {ln.get_label(): ln.get_ydata() for ln in ax.get_lines()}
    sr = lines["Gemiddelde zelfredzaamheid (punten 0-100)"]
    assert np.allclose(sr, 100 * _metrics()["mean_self_reliance"].to_numpy())
    assert np.allclose(lines["Aandeel overlevers/afglijders (%)"], 100 * _metrics()["share_sliding"].to_numpy())


def test_difference_in_points_with_dutch_tick_labels() -> None:
    a = _metrics()
    b = a.assign(mean_self_reliance=a["mean_self_reliance"] + 0.005)
    fig = drawing.difference_figure(a, b, "mean_self_reliance", ([], []), 20, ("A", "B"), "nl")
    fig.canvas.draw()
    bottom = fig.axes[1]
    diff = next(ln for ln in bottom.get_lines() if len(ln.get_ydata()) == 20).get_ydata()
    assert np.allclose(diff, 0.5)  # 0.005 on 0-1 is half a point
    labels = [t.get_text() for t in bottom.get_yticklabels() if t.get_text()]
    assert any("," in s for s in labels) and not any("." in s for s in labels)
