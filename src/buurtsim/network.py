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

SHIFT = np.int64(32)


def edge_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A unique int64 key per unordered slot pair."""
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    return (lo << SHIFT) | hi


class TieStore:
    """Undirected weighted ties between slots; grows in place, compacts on rebuild."""

    def __init__(self, n_slots: int, rebuild_churn: float = 0.1) -> None:
        self.n_slots = n_slots
        self.rebuild_churn = rebuild_churn
        cap = 16
        self.a = np.zeros(cap, np.int64)
        self.b = np.zeros(cap, np.int64)
        self.s = np.zeros(cap)
        self.kind = np.zeros(cap, np.int8)
        self.alive = np.zeros(cap, bool)
        self.born = np.zeros(cap, np.int64)
        self.n = 0
        self.n_built = 0
        self.dead_since_build = 0
        self.version = 0  # bumped on every structural change (for caches such as to_networkx)
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
        keep = np.flatnonzero(self.alive[: self.n])
        keys = edge_keys(self.a[keep], self.b[keep])
        order = np.argsort(keys, kind="stable")
        keep = keep[order]
        for name in ("a", "b", "s", "kind", "alive", "born"):
            arr = getattr(self, name)
            arr[: keep.size] = arr[keep]
        self.alive[keep.size : self.n] = False
        self.n = self.n_built = int(keep.size)
        self.dead_since_build = 0
        self._keys = keys[order]
        m = self.n
        rows = np.concatenate([self.a[:m], self.b[:m]])
        cols = np.concatenate([self.b[:m], self.a[:m]])
        ids = np.concatenate([np.arange(m), np.arange(m)]).astype(np.float64) + 1.0
        mat = sp.csr_array((ids, (rows, cols)), shape=(self.n_slots, self.n_slots))
        self._eid = mat.data.astype(np.int64) - 1
        self._mat = mat
        self._mat.data = self.s[self._eid].copy()

    def maybe_rebuild(self) -> bool:
        """Rebuild when pending additions plus breaks exceed the churn share; True if rebuilt."""
        churn = (self.n - self.n_built) + self.dead_since_build
        if churn > self.rebuild_churn * max(self.n_built, 1000):
            self._rebuild()
            return True
        return False

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Edge id for each key, or -1 where there is none (alive or dead)."""
        out = np.full(keys.shape, -1, np.int64)
        if self.n_built:
            pos = np.searchsorted(self._keys, keys)
            pos = np.minimum(pos, self.n_built - 1)
            hit = self._keys[pos] == keys
            out[hit] = pos[hit]
        pending = self.n - self.n_built
        if pending:
            pk = edge_keys(self.a[self.n_built : self.n], self.b[self.n_built : self.n])
            order = np.argsort(pk)
            pos = np.minimum(np.searchsorted(pk[order], keys), pending - 1)
            hit = (pk[order][pos] == keys) & (out < 0)
            out[hit] = self.n_built + order[pos[hit]]
        return out

    def add(self, a: np.ndarray, b: np.ndarray, strength: float | np.ndarray, kind: int | np.ndarray, tick: int) -> int:
        """Add ties; an existing live tie is reinforced instead, a broken one revived.

        Returns the number of new or revived ties.
        """
        a = np.asarray(a, np.int64)
        b = np.asarray(b, np.int64)
        strength = np.broadcast_to(np.asarray(strength, float), a.shape)
        kind = np.broadcast_to(np.asarray(kind, np.int8), a.shape)
        ok = a != b
        a, b, strength, kind = a[ok], b[ok], strength[ok], kind[ok]
        if a.size == 0:
            return 0
        keys = edge_keys(a, b)
        keys, first = np.unique(keys, return_index=True)
        a, b, strength, kind = a[first], b[first], strength[first], kind[first]
        eid = self.lookup(keys)
        known = eid >= 0
        live = np.zeros_like(known)
        live[known] = self.alive[eid[known]]
        # reinforce live ties: keep the stronger of old and offered strength
        le = eid[live]
        self.s[le] = np.maximum(self.s[le], strength[live])
        revive = known & ~live
        re = eid[revive]
        self.alive[re] = True
        self.s[re] = strength[revive]
        self.kind[re] = kind[revive]
        self.born[re] = tick
        self.dead_since_build -= int(np.count_nonzero(re < self.n_built))
        new = ~known
        k = int(np.count_nonzero(new))
        if k:
            self._grow(self.n + k)
            sl = slice(self.n, self.n + k)
            self.a[sl] = np.minimum(a[new], b[new])
            self.b[sl] = np.maximum(a[new], b[new])
            self.s[sl] = strength[new]
            self.kind[sl] = kind[new]
            self.alive[sl] = True
            self.born[sl] = tick
            self.n += k
        changed = k + int(re.size)
        if changed:
            self.version += 1
        return changed

    def kill(self, eids: np.ndarray) -> None:
        """Break ties by edge id."""
        eids = np.asarray(eids, np.int64)
        eids = eids[self.alive[eids]]
        if eids.size == 0:
            return
        self.alive[eids] = False
        self.s[eids] = 0.0
        self.dead_since_build += int(np.count_nonzero(eids < self.n_built))
        self.version += 1

    def incident(self, slots: np.ndarray) -> np.ndarray:
        """Live edge ids touching any of the slots."""
        slots = np.asarray(slots, np.int64)
        if slots.size == 0:
            return np.empty(0, np.int64)
        ip = self._mat.indptr
        parts = [self._eid[ip[i] : ip[i + 1]] for i in slots if i < self.n_slots]
        built = np.concatenate(parts) if parts else np.empty(0, np.int64)
        pa, pb = self.a[self.n_built : self.n], self.b[self.n_built : self.n]
        pend = self.n_built + np.flatnonzero(np.isin(pa, slots) | np.isin(pb, slots))
        eids = np.unique(np.concatenate([built, pend]))
        return eids[self.alive[eids]]

    def remove_slots(self, slots: np.ndarray) -> int:
        """Break every tie of the given slots (moving away breaks ties); returns how many."""
        eids = self.incident(slots)
        self.kill(eids)
        return int(eids.size)

    # --- flows ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Copy current strengths into the sparse matrix (dead ties weigh zero)."""
        np.take(self.s, self._eid, out=self._mat.data)

    def propagate(self, x: np.ndarray) -> np.ndarray:
        """W @ x along ties (x of shape (n_slots,) or (n_slots, k)); call refresh() first."""
        y = self._mat @ x
        lo, hi = self.n_built, self.n
        if hi > lo:
            a, b, s = self.a[lo:hi], self.b[lo:hi], self.s[lo:hi] * self.alive[lo:hi]
            n = self.n_slots
            if x.ndim == 1:
                y = y + np.bincount(a, s * x[b], n) + np.bincount(b, s * x[a], n)
            else:
                for j in range(x.shape[1]):
                    y[:, j] += np.bincount(a, s * x[b, j], n) + np.bincount(b, s * x[a, j], n)
        return y

    # --- statistics -----------------------------------------------------------------------------
    def live_ids(self) -> np.ndarray:
        """Edge ids of live ties."""
        return np.flatnonzero(self.alive[: self.n])

    def degree(self, min_strength: float = 0.0) -> np.ndarray:
        """Number of live ties per slot with at least the given strength."""
        e = self.live_ids()
        if min_strength > 0:
            e = e[self.s[e] >= min_strength]
        return np.bincount(self.a[e], minlength=self.n_slots) + np.bincount(self.b[e], minlength=self.n_slots)

    def strength_sum(self) -> np.ndarray:
        """Summed tie strength per slot."""
        e = self.live_ids()
        s = self.s[e]
        return np.bincount(self.a[e], s, self.n_slots) + np.bincount(self.b[e], s, self.n_slots)

    def random_neighbour(self, slots: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A random (built, live) neighbour per slot, or -1. Ties newer than the last rebuild are not seen."""
        ip = self._mat.indptr
        deg = ip[slots + 1] - ip[slots]
        u = rng.random(slots.size)
        pick = ip[slots] + np.floor(u * deg).astype(np.int64)
        out = np.full(slots.size, -1, np.int64)
        has = deg > 0
        pos = pick[has]
        nb = self._mat.indices[pos].astype(np.int64)
        ok = self.alive[self._eid[pos]]
        res = np.where(ok, nb, -1)
        out[has] = res
        return out

    def clustering(self, sample: np.ndarray) -> float:
        """Mean local clustering over sampled slots with degree >= 2 (binary ties)."""
        if sample.size == 0:
            return 0.0
        adj = self._mat.copy()
        adj.data = self.alive[self._eid].astype(np.float64)
        adj.eliminate_zeros()
        if self.n > self.n_built:
            lo, hi = self.n_built, self.n
            al = self.alive[lo:hi]
            pa, pb = self.a[lo:hi][al], self.b[lo:hi][al]
            extra = sp.csr_array(
                (np.ones(2 * pa.size), (np.concatenate([pa, pb]), np.concatenate([pb, pa]))),
                shape=adj.shape,
            )
            adj = adj + extra
        rows = adj[sample]
        deg = np.asarray(rows.sum(axis=1)).ravel()
        tri = np.asarray((rows @ adj).multiply(rows).sum(axis=1)).ravel() / 2.0
        ok = deg >= 2
        if not ok.any():
            return 0.0
        return float(np.mean(tri[ok] / (deg[ok] * (deg[ok] - 1) / 2.0)))

    def to_networkx(self, uid: np.ndarray, alive_slots: np.ndarray) -> nx.Graph:
        """A networkx graph keyed by resident unique id, with `strength` and `kind` on edges."""
        from buurtsim.params import TIE_KINDS

        g = nx.Graph()
        g.add_nodes_from(int(u) for u in uid[alive_slots])
        e = self.live_ids()
        ua, ub = uid[self.a[e]], uid[self.b[e]]
        g.add_edges_from(
            (int(x), int(y), {"strength": float(s), "kind": TIE_KINDS[int(k)]})
            for x, y, s, k in zip(ua, ub, self.s[e], self.kind[e], strict=True)
        )
        return g
