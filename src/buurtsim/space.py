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
        n_in = int(np.count_nonzero((blocks >= 0) & (blocks < self.n_blocks)))
        out = np.empty(blocks.shape, np.int64)
        _random_member(blocks, self.count, self.start, self.order, rng.random(n_in), out)
        return out

    def block_at(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Block id at grid coordinates, or -1 outside the grid."""
        bx, by = np.floor(x).astype(np.int64), np.floor(y).astype(np.int64)
        inside = (bx >= 0) & (by >= 0) & (bx < self.side) & (by < self.side)
        bid = by * self.side + bx
        return np.where(inside & (bid < self.n_blocks), bid, -1)


@kernel
def _random_member(blocks: np.ndarray, count: np.ndarray, start: np.ndarray, order: np.ndarray,
                   u: np.ndarray, out: np.ndarray) -> None:
    """out[i]: a slot of block blocks[i] picked by the next uniform (one per block in range), or -1."""
    k = 0
    for i in range(blocks.size):
        out[i] = -1
        b = blocks[i]
        if b < 0 or b >= count.size:
            continue
        pos = start[b] + np.int64(np.floor(u[k] * count[b]))
        k += 1
        if count[b] > 0:
            out[i] = order[min(pos, order.size - 1)]
