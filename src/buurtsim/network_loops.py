"""Compiled loops over the tie arrays and the sparse matrix of `network.TieStore`.

They do what the numpy expressions they replaced did, in the same order of floating-point
operations (see `buurtsim.jit`); TieStore passes slot and edge indices as unsigned views.
"""

from __future__ import annotations

import numpy as np

from buurtsim.jit import kernel


@kernel
def tie_totals(a: np.ndarray, b: np.ndarray, s: np.ndarray, alive: np.ndarray, m: int, close_strength: float,
            degree: np.ndarray, strength: np.ndarray, close: np.ndarray) -> None:
    """Tie counts and strength sums per endpoint over the live ties among the first m."""
    for e in range(m):
        if not alive[e]:
            continue
        x = s[e]
        u = a[e]
        v = b[e]
        # branch-free: whether a tie is close is unpredictable, and mispredictions cost more than adding 0
        c = np.int64(x >= close_strength)
        degree[u] += 1
        degree[v] += 1
        strength[0, u] += x
        strength[1, v] += x
        close[u] += c
        close[v] += c


@kernel
def add_pending_flow(a: np.ndarray, b: np.ndarray, s: np.ndarray, alive: np.ndarray, lo: int, hi: int,
                      xs: tuple[np.ndarray, ...], ys: tuple[np.ndarray, ...]) -> None:
    """ys[v] += flows of xs[v] along the live ties lo..hi-1 (not yet in the matrix).

    Each endpoint's inflow is summed apart and the two added before joining y, as the bincounts
    this replaces did (same rounding).
    """
    n = ys[0].size
    pa = np.zeros(n)
    pb = np.zeros(n)
    for v in range(len(xs)):
        x, y = xs[v], ys[v]
        pa[:] = 0.0
        pb[:] = 0.0
        for e in range(lo, hi):
            if alive[e]:
                w = s[e]
                pa[a[e]] += w * x[b[e]]
                pb[b[e]] += w * x[a[e]]
        for i in range(n):
            y[i] += pa[i] + pb[i]


@kernel
def add_pending_weight(a: np.ndarray, b: np.ndarray, s: np.ndarray, alive: np.ndarray, lo: int, hi: int,
                       y: np.ndarray) -> None:
    """add_pending_flow with x = 1 everywhere (w * 1.0 is w): y += the summed strength of the
    live ties lo..hi-1 at each end, each end's sum kept apart and the two added before joining y."""
    pa = np.zeros(y.size)
    pb = np.zeros(y.size)
    for e in range(lo, hi):
        if alive[e]:
            pa[a[e]] += s[e]
            pb[b[e]] += s[e]
    for i in range(y.size):
        y[i] += pa[i] + pb[i]


@kernel
def triangles(a: np.ndarray, b: np.ndarray, alive: np.ndarray, m: int, n_slots: int,
               sample: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per sampled slot: triangles through it and its degree, over the live ties among the first m."""
    indptr = np.zeros(n_slots + 1, np.int64)
    for e in range(m):
        if alive[e]:
            indptr[a[e] + 1] += 1
            indptr[b[e] + 1] += 1
    for i in range(n_slots):
        indptr[i + 1] += indptr[i]
    fill = indptr[:-1].copy()
    nbr = np.empty(indptr[-1], np.int64)
    for e in range(m):
        if alive[e]:
            nbr[fill[a[e]]] = b[e]
            fill[a[e]] += 1
            nbr[fill[b[e]]] = a[e]
            fill[b[e]] += 1
    mark = np.zeros(n_slots, np.bool_)
    tri = np.zeros(sample.size)
    deg = np.zeros(sample.size)
    for k in range(sample.size):
        u = sample[k]
        for jj in range(indptr[u], indptr[u + 1]):
            mark[nbr[jj]] = True
        t = 0
        for jj in range(indptr[u], indptr[u + 1]):
            v = nbr[jj]
            for kk in range(indptr[v], indptr[v + 1]):
                t += mark[nbr[kk]]
        for jj in range(indptr[u], indptr[u + 1]):
            mark[nbr[jj]] = False
        tri[k] = t / 2.0
        deg[k] = indptr[u + 1] - indptr[u]
    return tri, deg


@kernel
def flow_pass(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, eid: np.ndarray, s: np.ndarray,
               refresh: bool, row_sums: np.ndarray, end_sums: np.ndarray, nx: int, x0: np.ndarray,
               x1: np.ndarray, x2: np.ndarray, y0: np.ndarray, y1: np.ndarray, y2: np.ndarray) -> None:
    """For a CSR matrix W over edge ids: if `refresh`, data[k] = s[eid[k]], row_sums = W @ 1 and
    end_sums[0 or 1, i] = the strengths of i's ties in which i is the lower or the higher slot;
    then y0 = W @ x0 (nx >= 1), y1 = W @ x1 (nx >= 2) and y2 = W @ x2 (nx == 3). Rows are summed
    in stored order, each vector on its own (as separate passes would).

    The ties are sorted by (lower slot, higher slot) at a rebuild, so a row's entries above and
    below its own slot come in edge-id order: end_sums add up in the order strength_sum() does.
    """
    start = indptr[0]
    for i in range(indptr.size - 1):
        stop = indptr[i + 1]
        r = 0.0
        lower = 0.0
        higher = 0.0
        acc0 = 0.0
        acc1 = 0.0
        acc2 = 0.0
        for k in range(start, stop):
            if refresh:
                w = s[eid[k]]
                data[k] = w
                r += w
                if indices[k] > i:
                    lower += w
                else:
                    higher += w
            else:
                w = data[k]
            if nx > 0:
                j = indices[k]
                acc0 += w * x0[j]
                if nx > 1:
                    acc1 += w * x1[j]
                    if nx > 2:
                        acc2 += w * x2[j]
        if refresh:
            row_sums[i] = r
            end_sums[0, i] = lower
            end_sums[1, i] = higher
        if nx > 0:
            y0[i] = acc0
        if nx > 1:
            y1[i] = acc1
        if nx > 2:
            y2[i] = acc2
        start = stop


@kernel
def find_tie(key: int, built_keys: np.ndarray, n_built: int, pending_keys: np.ndarray,
             pending_ids: np.ndarray) -> int:
    """The edge id with this key (alive or not): among built ties (sorted keys, id = position),
    else among ties added since (sorted keys with their ids); -1 if there is none."""
    if n_built > 0:
        pos = np.searchsorted(built_keys, key)
        if pos < n_built and built_keys[pos] == key:
            return int(pos)
    if pending_keys.size > 0:
        pos = np.searchsorted(pending_keys, key)
        if pos < pending_keys.size and pending_keys[pos] == key:
            return pending_ids[pos]
    return -1


@kernel
def find_ties(keys: np.ndarray, built_keys: np.ndarray, n_built: int, pending_keys: np.ndarray,
              pending_ids: np.ndarray) -> np.ndarray:
    """find_tie for each key."""
    out = np.empty(keys.size, np.int64)
    for i in range(keys.size):
        out[i] = find_tie(keys[i], built_keys, n_built, pending_keys, pending_ids)
    return out


@kernel
def add_ties(a: np.ndarray, b: np.ndarray, strength: np.ndarray, kind: np.ndarray, tick: int,
              built_keys: np.ndarray, n_built: int, pending_keys: np.ndarray, pending_ids: np.ndarray,
              ta: np.ndarray, tb: np.ndarray, ts: np.ndarray, tkind: np.ndarray, talive: np.ndarray,
              tborn: np.ndarray, n: int) -> tuple[int, int, int, np.ndarray]:
    """Offered ties in key order, first offer per pair: reinforce a live tie (keep the stronger),
    revive a broken one, or append a new one at n, n+1, ... (capacity must suffice).

    Returns (new, revived, revived among built ties, the new ties' keys in order).
    """
    m = a.size
    keys = np.empty(m, np.int64)
    for i in range(m):
        keys[i] = (min(a[i], b[i]) << 32) | max(a[i], b[i])
    order = np.argsort(keys, kind="mergesort")  # stable: the first offer of a pair comes first
    new_keys = np.empty(m, np.int64)
    n_new = n_revived = n_revived_built = 0
    last = -1
    for r in range(m):
        i = order[r]
        key = keys[i]
        if a[i] == b[i] or key == last:
            continue
        last = key
        e = find_tie(key, built_keys, n_built, pending_keys, pending_ids)
        if e >= 0:
            if talive[e]:
                ts[e] = max(ts[e], strength[i])
            else:
                talive[e] = True
                ts[e] = strength[i]
                tkind[e] = kind[i]
                tborn[e] = tick
                n_revived += 1
                if e < n_built:
                    n_revived_built += 1
        else:
            j = n + n_new
            ta[j] = min(a[i], b[i])
            tb[j] = max(a[i], b[i])
            ts[j] = strength[i]
            tkind[j] = kind[i]
            talive[j] = True
            tborn[j] = tick
            new_keys[n_new] = key
            n_new += 1
    return n_new, n_revived, n_revived_built, new_keys[:n_new]


@kernel
def kill_ties(alive: np.ndarray, s: np.ndarray, eids: np.ndarray, n_built: int) -> tuple[int, int]:
    """Break the ties eids that are alive (strength 0); returns (how many were alive, how many of
    those are built ties), an id listed twice counting twice, as the numpy version counted."""
    killed = killed_built = 0
    for k in range(eids.size):  # count first: every id is judged by the state before this call
        e = eids[k]
        if alive[e]:
            killed += 1
            killed_built += e < n_built
    for k in range(eids.size):
        e = eids[k]
        if alive[e]:
            alive[e] = False
            s[e] = 0.0
    return killed, killed_built


@kernel
def reinforce_incident(indptr: np.ndarray, eid: np.ndarray, a: np.ndarray, b: np.ndarray, alive: np.ndarray,
                       s: np.ndarray, n_built: int, n: int, slots: np.ndarray, rates: np.ndarray) -> None:
    """For each slot in turn, s += rate * (1 - s) on its live ties (its matrix row, then the ties
    added since the last rebuild): the same arithmetic, in the same order, as a loop of
    `incident_ties` calls with one slot each; a tie between two listed slots grows twice."""
    for k in range(slots.size):
        v = slots[k]
        r = rates[k]
        for j in range(indptr[v], indptr[v + 1]):
            e = eid[j]
            if alive[e]:
                s[e] += r * (1.0 - s[e])
        for e in range(n_built, n):
            if alive[e] and (a[e] == v or b[e] == v):
                s[e] += r * (1.0 - s[e])


@kernel
def incident_ties(indptr: np.ndarray, eid: np.ndarray, a: np.ndarray, b: np.ndarray, alive: np.ndarray,
              n_built: int, n: int, slots: np.ndarray) -> np.ndarray:
    """Sorted ids of live ties touching the slots: their rows of the matrix, plus pending ties."""
    mark = np.zeros(indptr.size - 1, np.bool_)
    size = n - n_built
    for s in slots:
        mark[s] = True
        size += indptr[s + 1] - indptr[s]
    found = np.empty(size, np.int64)
    k = 0
    for s in slots:
        for j in range(indptr[s], indptr[s + 1]):
            found[k] = eid[j]
            k += 1
    for e in range(n_built, n):
        if mark[a[e]] or mark[b[e]]:
            found[k] = e
            k += 1
    found = np.unique(found[:k])
    return found[alive[found]]


@kernel
def csr_of_ties(a: np.ndarray, b: np.ndarray, m: int, n_slots: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The symmetric CSR structure of ties 0..m-1 (each row sorted by column, as scipy's canonical
    form), with the edge id of every entry: (indptr, indices, edge ids), 32-bit."""
    indptr = np.zeros(n_slots + 1, np.int32)
    for e in range(m):
        indptr[a[e] + 1] += 1
        indptr[b[e] + 1] += 1
    for i in range(n_slots):
        indptr[i + 1] += indptr[i]
    fill = indptr[:-1].copy()
    indices = np.empty(2 * m, np.int32)
    eid = np.empty(2 * m, np.int32)
    for e in range(m):
        u = a[e]
        v = b[e]
        fu = fill[u]
        fv = fill[v]
        indices[fu] = v
        eid[fu] = e
        fill[u] = fu + 1
        indices[fv] = u
        eid[fv] = e
        fill[v] = fv + 1
    for i in range(n_slots):  # rows are short: insertion sort by column
        lo = indptr[i]
        for k in range(lo + 1, indptr[i + 1]):
            col = indices[k]
            if indices[k - 1] <= col:  # already in place (always, for ties sorted by key)
                continue
            ed = eid[k]
            j = k - 1
            while j >= lo and indices[j] > col:
                indices[j + 1] = indices[j]
                eid[j + 1] = eid[j]
                j -= 1
            indices[j + 1] = col
            eid[j + 1] = ed
    return indptr, indices, eid


@kernel
def random_neighbours(indptr: np.ndarray, indices: np.ndarray, eid: np.ndarray, alive: np.ndarray,
                      slots: np.ndarray, u: np.ndarray, out: np.ndarray) -> None:
    """out[i]: the entry floor(u[i] * row length) of slot i's row if that tie is alive, else -1."""
    for i in range(slots.size):
        lo = indptr[slots[i]]
        deg = indptr[slots[i] + 1] - lo
        out[i] = -1
        if deg > 0:
            pos = lo + np.int64(np.floor(u[i] * deg))
            if alive[eid[pos]]:
                out[i] = indices[pos]


@kernel
def live_in_key_order(alive: np.ndarray, built_keys: np.ndarray, n_built: int, pending_keys: np.ndarray,
                      pending_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ids and keys of the live ties sorted by key: the built ties (ids 0..n_built-1, keys
    ascending) merged with the ties added since (their keys sorted, with ids). Keys are unique,
    so this is the order a sort of the live ties' keys gives."""
    n = 0
    for e in range(n_built):
        n += alive[e]
    for k in range(pending_ids.size):
        n += alive[pending_ids[k]]
    ids = np.empty(n, np.int64)
    keys = np.empty(n, np.int64)
    i = j = 0
    for k in range(n):
        while i < n_built and not alive[i]:
            i += 1
        while j < pending_ids.size and not alive[pending_ids[j]]:
            j += 1
        if j >= pending_ids.size or (i < n_built and built_keys[i] < pending_keys[j]):
            ids[k] = i
            keys[k] = built_keys[i]
            i += 1
        else:
            ids[k] = pending_ids[j]
            keys[k] = pending_keys[j]
            j += 1
    return ids, keys


@kernel
def merge_keys(keys: np.ndarray, ids: np.ndarray, new_keys: np.ndarray, first_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Merge sorted new keys (ids first_id, first_id + 1, ...) into sorted keys with their ids."""
    n, m = keys.size, new_keys.size
    out_keys = np.empty(n + m, np.int64)
    out_ids = np.empty(n + m, np.int64)
    i = j = 0
    for k in range(n + m):
        if j >= m or (i < n and keys[i] < new_keys[j]):
            out_keys[k] = keys[i]
            out_ids[k] = ids[i]
            i += 1
        else:
            out_keys[k] = new_keys[j]
            out_ids[k] = first_id + j
            j += 1
    return out_keys, out_ids


@kernel
def add_pending_strength(a: np.ndarray, b: np.ndarray, s: np.ndarray, alive: np.ndarray, lo: int, hi: int,
                          end_sums: np.ndarray) -> None:
    """Add the strengths of live ties lo..hi-1 at their lower and higher slots, in edge-id order."""
    for e in range(lo, hi):
        if alive[e]:
            end_sums[0, a[e]] += s[e]
            end_sums[1, b[e]] += s[e]
