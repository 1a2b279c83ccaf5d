"""What the browser needs to draw the resident network: a layout sent once per run and, per frame,
only what changes (category colours, dot sizes, ties, professionals, the selected resident).

The layout is the dwellings' own positions (`state.x`, `state.y`, fixed by `block_layout` when the
model is built). Residents who move out leave their dwelling empty and newcomers move into a vacated
dwelling (`NeighbourhoodModel.move_in` keeps the slot's position), so a newcomer is drawn at its
dwelling and the layout never has to be recomputed during a run; it is rebuilt only if the number
of dwellings changes. No Solara here: plain data, drawn by `widgets.NetworkCanvas`.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import numpy as np

PAD = 0.3  # margin around the outermost dwellings, in block units
MAX_DEGREE_SHOWN = 20  # dot size grows with ties up to this many
EMPTY = "-"  # category code of an empty dwelling (drawn as nothing)


def b64(arr: np.ndarray) -> str:
    """Little-endian array bytes as base64 text (decoded in the browser into a typed array)."""
    return base64.b64encode(np.ascontiguousarray(arr).tobytes()).decode("ascii")


@dataclass(frozen=True)
class Layout:
    """Where each drawn dwelling sits: computed once per run, sent to the browser once."""

    slots: np.ndarray  # drawn dwelling slots, in drawing order
    x: np.ndarray
    y: np.ndarray
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    index: np.ndarray  # slot -> position in `slots`, or -1 when not drawn
    n_slots: int

    def nearest(self, fx: float, fy: float, occupied: np.ndarray, max_dist: float = 0.6) -> int | None:
        """Slot of the occupied dwelling nearest a click at fractions (fx from the left, fy from the
        top) of the picture, or None when none is within `max_dist` block units."""
        keep = occupied[self.slots]
        if not keep.any():
            return None
        x = self.xlim[0] + fx * (self.xlim[1] - self.xlim[0])
        y = self.ylim[1] - fy * (self.ylim[1] - self.ylim[0])
        d2 = np.where(keep, (self.x - x) ** 2 + (self.y - y) ** 2, np.inf)
        i = int(np.argmin(d2))
        return int(self.slots[i]) if d2[i] <= max_dist**2 else None

    def to_json(self) -> dict[str, Any]:
        """The layout as the browser widget reads it: positions as float32 arrays in base64 (a few
        strings, not thousands of numbers, for the web framework to compare on every render)."""
        return {"x": b64(self.x.astype("<f4")), "y": b64(self.y.astype("<f4")),
                "xlim": list(self.xlim), "ylim": list(self.ylim), "n": int(self.slots.size)}


def layout_of(state: Any, slots: np.ndarray) -> Layout:
    """The layout of the given dwelling slots of a model's state (see the module docstring)."""
    slots = np.asarray(slots, np.int64)
    if slots.size > np.iinfo(np.uint16).max:
        raise ValueError(f"at most {np.iinfo(np.uint16).max} dwellings can be drawn, not {slots.size}")
    xs, ys = np.asarray(state.x, float), np.asarray(state.y, float)
    if xs.size:
        xlim = (float(xs.min()) - PAD, float(xs.max()) + PAD)
        ylim = (float(ys.min()) - PAD, float(ys.max()) + PAD)
    else:
        xlim = ylim = (0.0, 1.0)
    index = np.full(xs.size, -1, np.int64)
    index[slots] = np.arange(slots.size)
    return Layout(slots=slots, x=xs[slots].copy(), y=ys[slots].copy(), xlim=xlim, ylim=ylim, index=index,
                  n_slots=int(xs.size))


def frame_of(model: Any, layout: Layout, selected_uid: int | None = None) -> dict[str, Any]:
    """What changes per frame, compact: category per drawn dwelling ('0' strong, '1' vulnerable,
    '2' sliding, '-' empty), number of ties (capped, uint8), ties between drawn residents (pairs of
    positions, uint16) with their strength (uint8, 0-255), professionals (clients per professional,
    and all clients' x, y in turn as float32), and the selected resident's position (-1 when none)."""
    st, p = model.state, model.params
    slots = layout.slots
    alive = st.alive[slots]
    cats = st.categories(p.strong_threshold, p.sliding_threshold)[slots]
    codes = np.where(alive, cats.astype(np.uint8) + ord("0"), ord(EMPTY)).astype(np.uint8)
    degree = np.minimum(model.ties.degree()[slots], MAX_DEGREE_SHOWN).astype(np.uint8)
    degree[~alive] = 0

    ties = model.ties
    e = ties.live_ids()
    ia, ib = layout.index[ties.a[e]], layout.index[ties.b[e]]
    shown = (ia >= 0) & (ib >= 0)
    pairs = np.empty((int(shown.sum()), 2), "<u2")
    pairs[:, 0], pairs[:, 1] = ia[shown], ib[shown]
    strength = np.clip(np.round(ties.s[e][shown] * 255), 0, 255).astype(np.uint8)

    n_clients, coords = [], []
    for pro in model.active_professionals():
        clients = np.asarray(pro.clients, np.int64)
        clients = clients[(clients >= 0) & (clients < st.alive.size)]
        clients = clients[st.alive[clients]]
        n_clients.append(int(clients.size))
        coords.append(np.stack([st.x[clients], st.y[clients]], axis=1).ravel())
    pro_xy = np.concatenate(coords) if coords else np.zeros(0)

    sel = -1
    if selected_uid is not None:
        hit = np.flatnonzero((st.uid[slots] == selected_uid) & alive)
        sel = int(hit[0]) if hit.size else -1
    counts = np.bincount(cats[alive], minlength=3)
    return {"cat": codes.tobytes().decode("ascii"), "deg": b64(degree), "ties": b64(pairs),
            "strength": b64(strength), "pros": n_clients,
            "pro_xy": b64(pro_xy.astype("<f4")), "selected": sel, "counts": counts.tolist()}
