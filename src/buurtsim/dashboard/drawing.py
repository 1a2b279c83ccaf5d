"""Matplotlib picture of a resident's story for the dashboard, and the colours
shared with the pictures drawn in the browser (`netview`, `charts`). Pure functions of model data;
no Solara, no pyplot.

Figures are rendered to PNG bytes (`to_png`) with the Agg canvas, which is thread-safe enough for
one figure per call and needs nothing from the internet.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from buurtsim.dashboard.i18n import t

# Okabe-Ito colours (colour-blind safe): strong, vulnerable, sliding.
CATEGORY_COLOURS: tuple[str, str, str] = ("#009E73", "#E69F00", "#D55E00")
PROFESSIONAL_COLOUR = "#222222"
SELECTED_COLOUR = "#0072B2"
POLICY_COLOURS: tuple[str, ...] = ("#56B4E9", "#CC79A7", "#F0E442", "#999999", "#0072B2", "#009E73")


def to_png(fig: Figure, dpi: int = 80) -> bytes:
    """Render a figure to PNG bytes."""
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def story_figure(story: pd.DataFrame, events: Sequence[tuple[int, str, str]], horizon: int, lang: str = "nl") -> Figure:
    """A resident's self-reliance and ties over time; weeks in a caseload shaded; setbacks as red
    triangles, a professional leaving as a dashed line (the events list names them)."""
    fig = Figure(figsize=(6.0, 2.8))
    ax = fig.add_subplot()
    if len(story):
        client = story["client_of"].to_numpy() >= 0
        ticks = story.index.to_numpy()
        for tick in ticks[client]:
            ax.axvspan(tick - 0.5, tick + 0.5, color="#999999", alpha=0.25, lw=0)
        ax.plot(ticks, 100 * story["self_reliance"], color=SELECTED_COLOUR, lw=1.8, label=t("story_sr", lang))
        ax2 = ax.twinx()
        ax2.step(ticks, story["degree"], where="post", color="#666", lw=1.0, label=t("story_ties", lang))
        ax2.set_ylabel(t("story_ties", lang), fontsize=8)
        ax2.set_ylim(0, max(float(story["degree"].max()) * 1.2, 1))
    setbacks = [tick for tick, kind, _ in events if kind == "life_event"]
    if setbacks:
        ax.plot(setbacks, [3.0] * len(setbacks), "v", color="#D55E00", ms=5, ls="none")
    for tick in {tick for tick, kind, _ in events if kind == "professional_left"}:
        ax.axvline(tick, color="#333", ls="--", lw=0.8)
    ax.set_ylim(0, 100)
    ax.set_xlim(0, horizon)
    ax.set_ylabel(t("story_sr", lang), fontsize=8)
    ax.set_xlabel(t("weeks_axis", lang))
    ax.grid(alpha=0.3)
    fig.subplots_adjust(left=0.11, right=0.9, top=0.95, bottom=0.17)
    return fig
