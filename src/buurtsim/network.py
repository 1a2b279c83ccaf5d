"""Social ties as arrays, with a sparse matrix kept in step for flows along ties.

Ties are undirected edges between dwelling slots, with a strength in (0, 1] and a kind
(family, friend, neighbour, acquaintance). Flows along ties (support, contagion) use a CSR matrix
whose entries point at edge ids; strengths are refreshed by a gather each tick, and the structure
is rebuilt only after enough ties were added or broken (rebuilding every tick was two fifths of the
cost at N = 100k). Ties added since the last rebuild are handled by a bincount until then.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from buurtsim.jit import unsigned
from buurtsim.network_loops import (
    add_pending_flow,
    add_pending_strength,
    add_pending_weight,
    add_ties,
    csr_of_ties,
    find_ties,
    flow_pass,
    incident_ties,
    kill_ties,
    live_in_key_order,
    merge_keys,
    random_neighbours,
    reinforce_incident,
    tie_totals,
    triangles,
)

SHIFT = np.int64(32)


def _per_tie(value: float | int | np.ndarray, n: int, dtype: type) -> np.ndarray:
    """A scalar or array argument as a contiguous array of n values."""
    arr: np.ndarray = np.asarray(value, dtype)
    if arr.ndim == 0:
        return np.full(n, arr, dtype)
    if arr.shape == (n,) and arr.flags.c_contiguous:
        return arr  # the usual case (one value per offered tie): read only, so no copy is needed
    return np.ascontiguousarray(np.broadcast_to(arr, (n,)))


def edge_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A unique int64 key per unordered slot pair."""
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    return (lo << SHIFT) | hi


def _check_bounds(ids: np.ndarray, n: int, what: str) -> None:
    """IndexError unless every id lies in 0..n-1: the kernels that take these ids do not check."""
    if ids.size and (ids.min() < 0 or ids.max() >= n):
        raise IndexError(f"{what} must lie in 0..{n - 1}")


class TieStore:
    """Undirected weighted ties between slots; grows in place, compacts on rebuild."""

    def __init__(self, n_slots: int, rebuild_churn: float = 0.1) -> None:
        self.n_slots = n_slots
        self.rebuild_churn = rebuild_churn
        cap = 16
        # 32-bit slot indices: the weekly passes over ties are bound by memory traffic.
        self.a = np.zeros(cap, np.int32)
        self.b = np.zeros(cap, np.int32)
        self.s = np.zeros(cap)
        self.kind = np.zeros(cap, np.int8)
        self.alive = np.zeros(cap, bool)
        self.born = np.zeros(cap, np.int64)
        self.n = 0
        self.n_built = 0
        self.dead_since_build = 0
        self.version = 0  # bumped on every structural change (for caches such as to_networkx)
        self._degree: tuple[int, np.ndarray] | None = None  # (version, degree) when known
        self._copies = 0  # counts the copies of strengths into the matrix (and rebuilds)
        self._ahead: list[tuple[np.ndarray, np.ndarray]] = []  # flows computed ahead: (x, W @ x)
        self._ahead_state: tuple[int, int, int, np.ndarray, np.ndarray] | None = None
        self._keys = np.empty(0, np.int64)  # keys of the built ties, ascending (ids 0..n_built-1)
        self._pending_keys = np.empty(0, np.int64)  # ties added since: their keys, sorted, and ids
        self._pending_ids = np.empty(0, np.int64)
        self._rebuild()

    # --- structure ----------------------------------------------------------------------------
    def _grow(self, need: int) -> None:
        cap = self.a.shape[0]
        if need <= cap:
            return
        new = max(need, 2 * cap)
        for name in ("a", "b", "s", "kind", "alive", "born"):
            arr = getattr(self, name)
            out = np.zeros(new, arr.dtype)
            out[: self.n] = arr[: self.n]
            setattr(self, name, out)

    def resize_slots(self, n_slots: int) -> None:
        """Allow more slots (restructuring adds dwellings)."""
        self.n_slots = n_slots
        self._rebuild()

    def _rebuild(self) -> None:
        """Drop dead ties, sort by key and rebuild the CSR of edge ids."""
        keep, self._keys = live_in_key_order(self.alive, self._keys, self.n_built, self._pending_keys,
                                             self._pending_ids)
        for name in ("a", "b", "s", "kind", "alive", "born"):
            arr = getattr(self, name)
            arr[: keep.size] = arr[keep]
        self.alive[keep.size : self.n] = False
        self.n = self.n_built = int(keep.size)
        self.dead_since_build = 0
        self._pending_keys = np.empty(0, np.int64)  # ties added since: their keys, sorted, and ids
        self._pending_ids = np.empty(0, np.int64)
        self._copies += 1
        indptr, indices, self._eid = csr_of_ties(unsigned(self.a), unsigned(self.b), self.n, self.n_slots)
        self._mat = sp.csr_array((np.zeros(indices.size), indices, indptr), shape=(self.n_slots, self.n_slots))
        self.refresh()

    def maybe_rebuild(self) -> bool:
        """Rebuild when pending additions plus breaks exceed the churn share; True if rebuilt."""
        churn = (self.n - self.n_built) + self.dead_since_build
        if churn > self.rebuild_churn * max(self.n_built, 1000):
            self._rebuild()
            return True
        return False

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Edge id for each key, or -1 where there is none (alive or dead)."""
        keys = np.ascontiguousarray(keys, np.int64).ravel()
        return find_ties(keys, self._keys, self.n_built, self._pending_keys, self._pending_ids)

    def add(self, a: np.ndarray, b: np.ndarray, strength: float | np.ndarray, kind: int | np.ndarray, tick: int) -> int:
        """Add ties; an existing live tie is reinforced instead, a broken one revived.

        A pair offered twice counts once (its first offer); self-ties are ignored. New ties are
        appended in the order of their keys. Returns the number of new or revived ties.
        """
        a = np.asarray(a, np.int64).ravel()
        b = np.asarray(b, np.int64).ravel()
        strength = _per_tie(strength, a.size, np.float64)
        kind = _per_tie(kind, a.size, np.int8)
        if a.size == 0:
            return 0
        self._grow(self.n + a.size)
        n_new, n_revived, n_revived_built, new_keys = add_ties(
            a, b, strength, kind, tick, self._keys, self.n_built, self._pending_keys, self._pending_ids,
            self.a, self.b, self.s, self.kind, self.alive, self.born, self.n)
        self.dead_since_build -= n_revived_built
        if n_new:
            # new keys come sorted: merge them into the sorted keys of the pending ties
            self._pending_keys, self._pending_ids = merge_keys(self._pending_keys, self._pending_ids,
                                                                new_keys, self.n)
            self.n += n_new
        changed = n_new + n_revived
        if changed:
            self.version += 1
        return int(changed)

    def kill(self, eids: np.ndarray) -> None:
        """Break ties by edge id."""
        eids = np.ascontiguousarray(eids, np.int64)
        _check_bounds(eids, self.n, "tie ids")
        killed, killed_built = kill_ties(self.alive, self.s, unsigned(eids), self.n_built)
        if killed == 0:
            return
        self.dead_since_build += killed_built
        self.version += 1

    def incident(self, slots: np.ndarray) -> np.ndarray:
        """Live edge ids touching any of the slots, sorted."""
        slots = np.asarray(slots, np.int64).ravel()
        if slots.size == 0:
            return np.empty(0, np.int64)
        return incident_ties(unsigned(self._mat.indptr), unsigned(self._eid), unsigned(self.a), unsigned(self.b),
                         self.alive, self.n_built, self.n, slots[(slots >= 0) & (slots < self.n_slots)])

    def reinforce_incident(self, slots: np.ndarray, rates: np.ndarray) -> None:
        """For each slot in turn, strengthen its live ties towards 1: s += rate * (1 - s).

        A tie between two of the slots grows twice, in the slots' order. Like direct writes to
        `s`, flows see the new strengths after the next refresh().
        """
        slots = np.ascontiguousarray(slots, np.int64)
        rates = np.ascontiguousarray(rates, float)
        if slots.shape != rates.shape:
            raise ValueError("one rate per slot")
        _check_bounds(slots, self.n_slots, "slots")
        reinforce_incident(unsigned(self._mat.indptr), unsigned(self._eid), unsigned(self.a), unsigned(self.b),
                           self.alive, self.s, self.n_built, self.n, unsigned(slots), rates)

    def remove_slots(self, slots: np.ndarray) -> int:
        """Break every tie of the given slots (moving away breaks ties); returns how many."""
        eids = self.incident(slots)
        self.kill(eids)
        return int(eids.size)

    # --- flows ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Mark the sparse matrix for a copy of the current strengths (dead ties weigh zero).

        The copy is made by the next flow computation (`propagate_many`, `weighted_degree`) in the
        same pass over the matrix as its products: the passes are bound by memory traffic.
        Strengths changed after that copy are not seen by flows until the next refresh().
        """
        self._stale = True
        self._ahead = []

    def weighted_degree(self) -> np.ndarray:
        """W @ 1: the summed strength of each slot's ties as flows see them (strengths as of the
        last refresh); the row sums are kept when the strengths are copied into the matrix."""
        if self._stale:
            self._flow_pass()
        y = self._row_sums.copy()
        lo, hi = self.n_built, self.n
        if hi > lo:
            add_pending_weight(unsigned(self.a), unsigned(self.b), self.s, self.alive, lo, hi, y)
        return y

    def propagate(self, x: np.ndarray) -> np.ndarray:
        """W @ x along ties (x of shape (n_slots,) or (n_slots, k)); call refresh() first."""
        if x.ndim == 1:
            return self.propagate_many(x)[0]
        return np.column_stack(self.propagate_many(*x.T))

    def propagate_many(self, *xs: np.ndarray, ahead: tuple[np.ndarray, ...] = ()) -> list[np.ndarray]:
        """[W @ x for x in xs], three vectors per pass over the matrix (each row summed in stored
        order, as scipy's product does); ties added since the last rebuild in one pass for all.

        `ahead`: vectors whose flows a later call will ask for, computed in the same pass and kept.
        A later call with a bit-identical x gets the kept W @ x if it is still what a new pass
        would give: no copy of strengths or rebuild since, and the ties added since the last
        rebuild unchanged in number, strength and life. Otherwise it is computed again.
        """
        xs = tuple(np.ascontiguousarray(v, dtype=float) for v in xs)
        ys: list[np.ndarray | None] = [self._recall(x) for x in xs]
        todo = [i for i, y in enumerate(ys) if y is None]
        ahead = tuple(np.ascontiguousarray(v, dtype=float) for v in ahead)
        pass_xs = tuple(xs[i] for i in todo) + ahead
        pass_ys = tuple(np.empty(self.n_slots) for _ in pass_xs)
        for k in range(0, len(pass_xs), 3):
            self._flow_pass(pass_xs[k: k + 3], pass_ys[k: k + 3])
        if not pass_xs and self._stale:
            self._flow_pass()
        lo, hi = self.n_built, self.n
        if hi > lo and pass_xs:
            add_pending_flow(unsigned(self.a), unsigned(self.b), self.s, self.alive, lo, hi, pass_xs, pass_ys)
        for i, y in zip(todo, pass_ys, strict=False):
            ys[i] = y
        if ahead:
            self._ahead = [(x.copy(), y) for x, y in zip(ahead, pass_ys[len(todo):], strict=True)]
            self._ahead_state = (self._copies, lo, hi, self.s[lo:hi].copy(), self.alive[lo:hi].copy())
        return [y for y in ys if y is not None]

    def _recall(self, x: np.ndarray) -> np.ndarray | None:
        """A copy of W @ x computed ahead, if x is bit-identical and the flow still holds; else None."""
        if not self._ahead or self._stale or self._ahead_state is None:
            return None
        copies, lo, hi, s, alive = self._ahead_state
        if copies != self._copies or lo != self.n_built or hi != self.n \
                or not np.array_equal(s.view(np.int64), self.s[lo:hi].view(np.int64)) \
                or not np.array_equal(alive, self.alive[lo:hi]):
            self._ahead = []
            return None
        for kept_x, kept_y in self._ahead:
            if kept_x.shape == x.shape and np.array_equal(kept_x.view(np.int64), x.view(np.int64)):
                return kept_y.copy()
        return None

    def flows_and_strength(self, *xs: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """`propagate_many(*xs)` and `strength_sum()` together: when strengths are due to be
        copied into the matrix, the copy also yields the strength sums (no extra pass)."""
        copying = self._stale
        ys = self.propagate_many(*xs)
        if not copying:
            return ys, self.strength_sum()
        ends = self._end_sums.copy()
        lo, hi = self.n_built, self.n
        if hi > lo:
            add_pending_strength(unsigned(self.a), unsigned(self.b), self.s, self.alive, lo, hi, ends)
        return ys, ends[0] + ends[1]

    def _flow_pass(self, xs: tuple[np.ndarray, ...] = (), ys: list[np.ndarray] | tuple[np.ndarray, ...] = ()) -> None:
        """One pass over the matrix: copy strengths in if stale, and y = W @ x for up to three x."""
        mat = self._mat
        if self._stale:
            self._row_sums = np.empty(self.n_slots)
            self._end_sums = np.empty((2, self.n_slots))
            self._copies += 1
        # The kernel has fixed slots for three vectors; unused ones get any array of the right size
        # (it reads and writes only the first len(xs)).
        x0 = xs[0] if xs else self._row_sums
        x1 = xs[1] if len(xs) > 1 else x0
        x2 = xs[2] if len(xs) > 2 else x0
        y0 = ys[0] if ys else self._row_sums
        y1 = ys[1] if len(ys) > 1 else y0
        y2 = ys[2] if len(ys) > 2 else y0
        flow_pass(unsigned(mat.indptr), unsigned(mat.indices), mat.data, unsigned(self._eid), self.s,
                   self._stale, self._row_sums, self._end_sums, len(xs), x0, x1, x2, y0, y1, y2)
        self._stale = False

    # --- statistics -----------------------------------------------------------------------------
    def live_ids(self) -> np.ndarray:
        """Edge ids of live ties."""
        return np.flatnonzero(self.alive[: self.n])

    def degree(self, min_strength: float = 0.0) -> np.ndarray:
        """Number of live ties per slot with at least the given strength."""
        if min_strength <= 0 and self._degree is not None and self._degree[0] == self.version \
                and self._degree[1].size == self.n_slots:
            return self._degree[1].copy()
        degree, _, close = self.totals(min_strength)
        return close if min_strength > 0 else degree

    def remember_degree(self, degree: np.ndarray) -> None:
        """Keep a degree array counted by a pass that had to visit every tie anyway; degree()
        returns it until the next structural change."""
        self._degree = (self.version, degree)

    def strength_sum(self) -> np.ndarray:
        """Summed tie strength per slot."""
        return self.totals()[1]

    def totals(self, close_strength: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per slot, over live ties and in one pass: (number of ties, summed strength, number of
        ties with strength >= close_strength)."""
        n = self.n_slots
        degree = np.zeros(n, np.int64)
        close = np.zeros(n, np.int64)
        strength = np.zeros((2, n))
        tie_totals(unsigned(self.a), unsigned(self.b), self.s, self.alive, self.n, close_strength, degree, strength, close)
        # Each endpoint's sums are kept apart and added at the end, as two bincounts would.
        return degree, strength[0] + strength[1], close

    def random_neighbour(self, slots: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A random (built, live) neighbour per slot, or -1. Ties newer than the last rebuild are not seen."""
        slots = np.asarray(slots, np.int64)
        u = rng.random(slots.size)
        out = np.empty(slots.size, np.int64)
        random_neighbours(unsigned(self._mat.indptr), unsigned(self._mat.indices), unsigned(self._eid),
                          self.alive, unsigned(slots), u, out)
        return out

    def clustering(self, sample: np.ndarray) -> float:
        """Mean local clustering over sampled slots with degree >= 2 (binary ties)."""
        if sample.size == 0:
            return 0.0
        tri, deg = triangles(unsigned(self.a), unsigned(self.b), self.alive, self.n, self.n_slots,
                              np.asarray(sample, np.uint64))
        ok = deg >= 2
        if not ok.any():
            return 0.0
        return float(np.mean(tri[ok] / (deg[ok] * (deg[ok] - 1) / 2.0)))

    def to_networkx(self, uid: np.ndarray, alive_slots: np.ndarray) -> nx.Graph:
        """A networkx graph keyed by resident unique id, with `strength` and `kind` on edges."""
        from buurtsim.params import TIE_KINDS

        g: nx.Graph = nx.Graph()
        g.add_nodes_from(int(u) for u in uid[alive_slots])
        e = self.live_ids()
        ua, ub = uid[self.a[e]], uid[self.b[e]]
        g.add_edges_from(
            (int(x), int(y), {"strength": float(s), "kind": TIE_KINDS[int(k)]})
            for x, y, s, k in zip(ua, ub, self.s[e], self.kind[e], strict=True)
        )
        return g
