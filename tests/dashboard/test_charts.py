"""The charts drawn in the browser get their series in the scale users read everywhere:
self-reliance in 0-100 points, shares in %, stacked categories adding up to 100 %."""

from __future__ import annotations

import base64
import itertools

import numpy as np
import pandas as pd

from buurtsim.dashboard import charts


def _floats(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), "<f4")


def _metrics() -> pd.DataFrame:
    ticks = np.arange(20)
    return pd.DataFrame({"mean_self_reliance": np.linspace(0.50, 0.55, 20), "share_sliding": np.linspace(0.10, 0.12, 20),
                         "share_strong": np.linspace(0.5, 0.4, 20), "share_vulnerable": np.linspace(0.4, 0.48, 20)},
                        index=ticks)


def test_time_series_in_points_and_percent() -> None:
    spec = charts.series_chart(_metrics(), ["mean_self_reliance", "share_sliding", "no_such"], [(0, 10, "presentie")], 20, "nl")
    lines = {ln["label"]: _floats(ln["y"]) for ln in spec["lines"]}
    assert set(lines) == {"Gemiddelde zelfredzaamheid (punten 0-100)", "Aandeel overlevers/afglijders (%)"}
    assert np.allclose(lines["Gemiddelde zelfredzaamheid (punten 0-100)"], 100 * _metrics()["mean_self_reliance"], atol=1e-4)
    assert np.allclose(lines["Aandeel overlevers/afglijders (%)"], 100 * _metrics()["share_sliding"], atol=1e-4)
    np.testing.assert_array_equal(_floats(spec["x"]), np.arange(20))
    assert spec["rows"] == [{"label": "presentie", "colour": spec["spans"][0][2], "periods": [[0, 10]]}]


def test_categories_stack_to_a_hundred_percent() -> None:
    spec = charts.categories_chart(_metrics(), 20, "en")
    bands = spec["bands"]
    assert np.allclose(_floats(bands[0]["lo"]), 0)
    for lower, upper in itertools.pairwise(bands):
        np.testing.assert_array_equal(_floats(lower["hi"]), _floats(upper["lo"]))
    assert np.allclose(_floats(bands[2]["hi"]), 100 * _metrics()[["share_strong", "share_vulnerable", "share_sliding"]].sum(axis=1), atol=1e-4)
    assert spec["title"].endswith(" 12%")  # the current split, in English


def test_difference_in_points_split_above_and_below_zero() -> None:
    a = _metrics()
    b = a.assign(mean_self_reliance=a["mean_self_reliance"] + np.where(np.arange(20) < 10, 0.005, -0.005))
    top, bottom = charts.difference_charts(a, b, "mean_self_reliance", ([], []), 20, ("A", "B"), "nl")
    assert [ln["label"] for ln in top["lines"]] == ["A: A", "B: B"]
    diff = _floats(bottom["lines"][0]["y"])
    assert np.allclose(diff, np.where(np.arange(20) < 10, 0.5, -0.5), atol=1e-4)  # 0.005 on 0-1 is half a point
    above, below = bottom["bands"]
    assert np.allclose(_floats(above["hi"]), np.maximum(diff, 0)) and np.allclose(_floats(below["lo"]), np.minimum(diff, 0))
