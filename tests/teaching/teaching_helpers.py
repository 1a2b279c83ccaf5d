"""Helpers for the teaching tests: a small lesson (TOML text) and synthetic metric tables, so that
observing, recording and collecting can be tested without running the model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from buurtsim.metrics import METRIC_NAMES

LESSON_TOML = """
id = "les9"
title = "Testles"
duration_min = 45
themes = ["presentie"]
summary = "Een les om te testen."
doc = "les9.md"
learning_goals = ["Iets leren."]
discussion = ["Waarom?"]
leaves_out = ["Alles wat niet in het model zit."]

[[scenarios]]
key = "a"
file = "a.toml"
label = "Alfa"

[[scenarios]]
key = "b"
file = "b.toml"
label = "Beta"

[[questions]]
id = "v1"
kind = "value"
text = "Hoeveel procent is sterk in week 10?"
metric = "share_strong"
scenarios = ["a"]
tick = 10

[[questions]]
id = "v2"
kind = "compare"
text = "Waar is de zelfredzaamheid in week 10 hoger?"
metric = "mean_self_reliance"
scenarios = ["a", "b"]
tick = 10
window = 3
scale = 100
unit = "punten"
tolerance = 0.5

[[questions]]
id = "v3"
kind = "change"
text = "Stijgt of daalt het aantal verhuizers in b?"
metric = "moved_out"
scenarios = ["b"]
from_tick = 2
tick = 10
window = 2
aggregate = "sum"
tolerance = 0.5
"""


def frame(values: dict[str, np.ndarray | float], weeks: int = 11) -> pd.DataFrame:
    """A metrics table over ticks 0..weeks-1 with every metric 0 except the given columns."""
    data = {name: np.zeros(weeks) for name in METRIC_NAMES}
    for name, v in values.items():
        data[name] = np.broadcast_to(np.asarray(v, float), (weeks,)).copy()
    return pd.DataFrame(data, index=pd.RangeIndex(weeks, name="tick"))
