"""Where residents live: blocks on a grid, and drawing a random dwelling in a block."""

from __future__ import annotations

import numpy as np

from buurtsim.jit import kernel


class Blocks:
    """Index of dwelling slots by block, for proximity (neighbour ties, local disorder)."""

    def __init__(self, block: np.ndarray) -> None:
        self.update(block)

    def update(self, block: np.ndarray) -> None:
        """Re-index after slots were added or blocks changed."""
        self.block = block
        self.n_blocks = int(block.max()) + 1 if block.size else 0
        self.side = max(1, int(np.ceil(np.sqrt(self.n_blocks))))
        self.order = np.argsort(block, kind="stable")
        self.count = np.bincount(block, minlength=self.n_blocks)
        self.start = np.concatenate([[0], np.cumsum(self.count)[:-1]]).astype(np.int64)

    def random_member(self, blocks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A random slot (occupied or not) in each given block; -1 for blocks out of range or empty."""
        blocks = np.asarray(blocks, np.int64)
        out = np.empty(blocks.shape, np.int64)
        self.random_member_into(blocks.ravel(), rng, out.ravel(), None)
        return out

    def random_member_into(self, blocks: np.ndarray, rng: np.random.Generator, out: np.ndarray,
                           at: np.ndarray | None) -> None:
        """`random_member` written to out[at[i]] (to out[i] when `at` is None), without temporaries:
        one uniform per block in range, in order."""
        u = rng.random(_n_in_range(blocks, self.count.size))
        _random_member(blocks, self.count, self.start, self.order, u, out, at)

    def block_at(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Block id at grid coordinates, or -1 outside the grid."""
        x, y = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float))
        out = np.empty(x.shape, np.int64)
        _blocks_at(np.ascontiguousarray(x).ravel(), np.ascontiguousarray(y).ravel(), self.side, self.n_blocks,
                   out.ravel())
        return out


@kernel
def block_of(x: float, y: float, side: int, n_blocks: int) -> int:
    """Block id of one point on the grid, or -1 outside it (for use inside other kernels)."""
    bx, by = int(np.floor(x)), int(np.floor(y))
    bid = by * side + bx
    if bx < 0 or by < 0 or bx >= side or by >= side or bid >= n_blocks:
        return -1
    return bid


@kernel
def _blocks_at(x: np.ndarray, y: np.ndarray, side: int, n_blocks: int, out: np.ndarray) -> None:
    """out[i]: the block at (x[i], y[i]), or -1."""
    for i in range(x.size):
        out[i] = block_of(x[i], y[i], side, n_blocks)


@kernel
def _n_in_range(blocks: np.ndarray, n_blocks: int) -> int:
    """How many of the block ids lie in 0 .. n_blocks - 1."""
    k = 0
    for b in blocks:
        if 0 <= b < n_blocks:
            k += 1
    return k


@kernel
def _random_member(blocks: np.ndarray, count: np.ndarray, start: np.ndarray, order: np.ndarray,
                   u: np.ndarray, out: np.ndarray, at: np.ndarray | None) -> None:
    """out[at[i]] (out[i] without `at`): a slot of block blocks[i] picked by the next uniform (one
    per block in range), or -1."""
    k = 0
    for i in range(blocks.size):
        j = i
        if at is not None:
            j = at[i]
        out[j] = -1
        b = blocks[i]
        if b < 0 or b >= count.size:
            continue
        pos = start[b] + np.int64(np.floor(u[k] * count[b]))
        k += 1
        if count[b] > 0:
            out[j] = order[min(pos, order.size - 1)]
