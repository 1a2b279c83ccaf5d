"""Matplotlib pictures for the dashboard: network, time series with policy timeline, categories,
A/B difference and a resident's story. Pure functions of model data; no Solara, no pyplot.

Figures are rendered to PNG bytes (`to_png`) with the Agg canvas, which is thread-safe enough for
one figure per call and needs nothing from the internet.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from buurtsim import metrics as metrics_mod
from buurtsim.dashboard.i18n import category_label, t
from buurtsim.formatting import axis_numbers, display_scale, metric_unit, percent

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


@dataclass
class NetworkView:
    """What is drawn in the network picture, kept to map a click back to a resident."""

    slots: np.ndarray  # drawn residents (slot indices)
    uids: np.ndarray
    x: np.ndarray
    y: np.ndarray
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def nearest(self, fx: float, fy: float, max_dist: float = 0.6) -> int | None:
        """Resident uid nearest a click at fractions (fx from the left, fy from the top) of the picture."""
        if self.uids.size == 0:
            return None
        x = self.xlim[0] + fx * (self.xlim[1] - self.xlim[0])
        y = self.ylim[1] - fy * (self.ylim[1] - self.ylim[0])
        d2 = (self.x - x) ** 2 + (self.y - y) ** 2
        i = int(np.argmin(d2))
        return int(self.uids[i]) if d2[i] <= max_dist**2 else None


def network_figure(
    model: object,
    slots: np.ndarray,
    selected: int | None = None,
    size_inches: float = 6.0,
) -> tuple[Figure, NetworkView]:
    """The social network on the dwellings' fixed positions: colour = category, size = ties,
    professionals as squares linked to their clients, the selected resident ringed."""
    st = model.state  # type: ignore[attr-defined]
    p = model.params  # type: ignore[attr-defined]
    slots = slots[st.alive[slots]]
    xs_all, ys_all = st.x, st.y
    pad = 0.3
    xlim = (float(xs_all.min()) - pad, float(xs_all.max()) + pad) if xs_all.size else (0.0, 1.0)
    ylim = (float(ys_all.min()) - pad, float(ys_all.max()) + pad) if ys_all.size else (0.0, 1.0)
    fig = Figure(figsize=(size_inches, size_inches))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_axis_off()

    uids = st.uid[slots]
    graph = model.network  # type: ignore[attr-defined]
    drawn = {int(u): i for i, u in enumerate(uids)}
    segs, alphas = [], []
    for a, b, data in graph.edges(data=True):
        ia, ib = drawn.get(a), drawn.get(b)
        if ia is None or ib is None:
            continue
        segs.append(((st.x[slots[ia]], st.y[slots[ia]]), (st.x[slots[ib]], st.y[slots[ib]])))
        alphas.append(0.08 + 0.5 * float(data.get("strength", 0.3)))
    if segs:
        colours = np.zeros((len(segs), 4))
        colours[:, 3] = alphas
        ax.add_collection(LineCollection(segs, colors=colours, linewidths=0.5, zorder=1))

    degree = np.array([graph.degree(int(u)) if int(u) in graph else 0 for u in uids], dtype=float)
    cats = st.categories(p.strong_threshold, p.sliding_threshold)[slots]
    colours_n = np.array(CATEGORY_COLOURS)[cats] if slots.size else []
    ax.scatter(st.x[slots], st.y[slots], s=6 + 5 * np.minimum(degree, 20), c=colours_n, linewidths=0.3,
               edgecolors="white", zorder=2)

    pros = model.active_professionals()  # type: ignore[attr-defined]
    side_x = np.linspace(xlim[0] + 0.5, xlim[1] - 0.5, max(len(pros), 1))
    for k, pro in enumerate(pros):
        clients = np.asarray(pro.clients, dtype=np.int64)
        clients = clients[(clients >= 0) & (clients < st.alive.size)]
        clients = clients[st.alive[clients]]
        if clients.size:
            px, py = float(st.x[clients].mean()), float(st.y[clients].mean())
            lines = [((px, py), (st.x[c], st.y[c])) for c in clients]
            ax.add_collection(LineCollection(lines, colors=PROFESSIONAL_COLOUR, linewidths=0.6, alpha=0.35, zorder=3))
        else:
            px, py = float(side_x[k]), ylim[1] - 0.15
        ax.scatter([px], [py], marker="s", s=70, c=PROFESSIONAL_COLOUR, edgecolors="white", linewidths=0.8, zorder=4)

    if selected is not None:
        hit = np.flatnonzero(st.uid == selected)
        if hit.size and st.alive[hit[0]]:
            s = int(hit[0])
            ax.scatter([st.x[s]], [st.y[s]], s=260, facecolors="none", edgecolors=SELECTED_COLOUR, linewidths=2.5, zorder=5)
    view = NetworkView(slots=slots, uids=uids, x=st.x[slots], y=st.y[slots], xlim=xlim, ylim=ylim)
    return fig, view


def _timeline_axis(ax: object, timeline: Sequence[tuple[int, int, str]], horizon: int, lang: str) -> None:
    labels = list(dict.fromkeys(lbl for _, _, lbl in timeline))
    for start, end, lbl in timeline:
        row = labels.index(lbl)
        ax.broken_barh([(start, max(end - start, 1))], (row - 0.4, 0.8),  # type: ignore[attr-defined]
                       facecolors=POLICY_COLOURS[row % len(POLICY_COLOURS)], alpha=0.75,
                       edgecolors="#333333", linewidths=0.6)
    ax.set_yticks(range(len(labels)))  # type: ignore[attr-defined]
    ax.set_yticklabels(labels, fontsize=8)  # type: ignore[attr-defined]
    ax.set_ylim(-0.6, max(len(labels), 1) - 0.4)  # type: ignore[attr-defined]
    ax.set_xlim(0, horizon)  # type: ignore[attr-defined]
    ax.set_xlabel(t("weeks_axis", lang))  # type: ignore[attr-defined]
    if not labels:
        ax.text(horizon / 2, 0, t("no_policy", lang), ha="center", va="center", fontsize=8, color="#666")  # type: ignore[attr-defined]
        ax.set_yticks([])  # type: ignore[attr-defined]


def timeseries_figure(
    metrics: pd.DataFrame,
    names: Sequence[str],
    timeline: Sequence[tuple[int, int, str]],
    horizon: int,
    lang: str = "nl",
) -> Figure:
    """Chosen outcomes over weeks, policy periods shaded, with a bar per policy underneath."""
    n_rows = max(len({lbl for _, _, lbl in timeline}), 1)
    fig = Figure(figsize=(7.0, 3.6 + 0.22 * n_rows))
    gs = fig.add_gridspec(2, 1, height_ratios=[4, 0.5 + 0.35 * n_rows], hspace=0.08)
    ax = fig.add_subplot(gs[0])
    tl = fig.add_subplot(gs[1], sharex=ax)
    labels = list(dict.fromkeys(lbl for _, _, lbl in timeline))
    for start, end, lbl in timeline:
        ax.axvspan(start, end, color=POLICY_COLOURS[labels.index(lbl) % len(POLICY_COLOURS)], alpha=0.12, lw=0)
    for name in names:  # self-reliance in points and shares in %, as everywhere users read them
        if name in metrics:
            ax.plot(metrics.index, metrics[name] * display_scale(name), label=f"{metrics_mod.label(name, lang)} ({metric_unit(name, lang)})", lw=1.6)
    axis_numbers(ax, lang)
    ax.set_xlim(0, horizon)
    ax.grid(alpha=0.3)
    if names:
        ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=2, frameon=False)
    ax.tick_params(labelbottom=False)
    _timeline_axis(tl, timeline, horizon, lang)
    fig.subplots_adjust(left=0.2, right=0.98, top=0.86, bottom=0.12)
    return fig


def categories_figure(metrics: pd.DataFrame, horizon: int, lang: str = "nl") -> Figure:
    """Shares strong / vulnerable / sliding over time (stacked), with the current split as text."""
    fig = Figure(figsize=(4.8, 3.0))
    ax = fig.add_subplot()
    cols = ["share_strong", "share_vulnerable", "share_sliding"]
    data = metrics[cols].to_numpy().T if len(metrics) else np.zeros((3, 0))
    ax.stackplot(metrics.index, data, colors=CATEGORY_COLOURS,
                 labels=[category_label(i, lang) for i in range(3)], alpha=0.9)
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, 1)
    axis_numbers(ax, lang)
    ax.set_xlabel(t("weeks_axis", lang))
    ax.set_ylabel(t("share", lang))
    if len(metrics):
        last = metrics[cols].iloc[-1]
        txt = "  ".join(f"{category_label(i, lang)} {percent(last.iloc[i], lang, 0)}" for i in range(3))
        ax.set_title(txt, fontsize=7, loc="left")
    ax.legend(fontsize=7, loc="lower left", framealpha=0.8)
    fig.subplots_adjust(left=0.16, right=0.97, top=0.9, bottom=0.16)
    return fig


def difference_figure(
    a: pd.DataFrame,
    b: pd.DataFrame,
    name: str,
    timelines: tuple[Sequence[tuple[int, int, str]], Sequence[tuple[int, int, str]]],
    horizon: int,
    labels: tuple[str, str] = ("A", "B"),
    lang: str = "nl",
) -> Figure:
    """One outcome for A and B over time, and underneath the difference B − A."""
    fig = Figure(figsize=(7.0, 4.6))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.3, 1]})
    for colour, timeline in zip(("#0072B2", "#D55E00"), timelines, strict=True):
        for start, end, _ in timeline:
            top.axvspan(start, end, color=colour, alpha=0.07, lw=0)
    scale = display_scale(name)
    if name in a:
        top.plot(a.index, a[name] * scale, label=f"A: {labels[0]}", color="#0072B2", lw=1.6)
    if name in b:
        top.plot(b.index, b[name] * scale, label=f"B: {labels[1]}", color="#D55E00", lw=1.6)
    top.set_title(f"{metrics_mod.label(name, lang)} ({metric_unit(name, lang)})", fontsize=10)
    axis_numbers(top, lang)
    axis_numbers(bottom, lang)
    top.legend(fontsize=8, loc="upper left", framealpha=0.8)
    top.grid(alpha=0.3)
    common = a.index.intersection(b.index)
    if name in a and name in b and len(common):
        diff = (b.loc[common, name] - a.loc[common, name]) * scale
        bottom.fill_between(common, 0, diff, where=diff >= 0, color="#009E73", alpha=0.5, lw=0, interpolate=True)
        bottom.fill_between(common, 0, diff, where=diff < 0, color="#D55E00", alpha=0.5, lw=0, interpolate=True)
        bottom.plot(common, diff, color="#333", lw=1.0)
    bottom.axhline(0, color="#333", lw=0.8)
    bottom.set_ylabel(t("difference", lang), fontsize=9)
    bottom.set_xlabel(t("weeks_axis", lang))
    bottom.set_xlim(0, horizon)
    bottom.grid(alpha=0.3)
    fig.subplots_adjust(left=0.13, right=0.98, top=0.93, bottom=0.1, hspace=0.1)
    return fig


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
