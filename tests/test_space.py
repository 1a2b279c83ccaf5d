"""Blocks: drawing a dwelling in a block and locating blocks on the grid."""

from __future__ import annotations

import numpy as np

from buurtsim.population import block_layout
from buurtsim.space import Blocks


def test_random_member_lies_in_the_requested_block() -> None:
    block, _, _ = block_layout(95, 10)  # 10 blocks, the last one half full
    blocks = Blocks(block)
    assert blocks.n_blocks == 10
    rng = np.random.default_rng(0)
    want = rng.integers(0, 10, 2000)
    got = blocks.random_member(want, rng)
    assert (got >= 0).all()
    np.testing.assert_array_equal(block[got], want)
    # every member of a block can be drawn
    drawn = blocks.random_member(np.full(3000, 9), rng)
    assert set(drawn.tolist()) == set(np.flatnonzero(block == 9).tolist())


def test_random_member_of_a_block_out_of_range_is_minus_one() -> None:
    blocks = Blocks(block_layout(40, 10)[0])
    got = blocks.random_member(np.array([-1, 4, 100, 0]), np.random.default_rng(1))
    assert got[0] == -1 and got[1] == -1 and got[2] == -1
    assert got[3] >= 0


def test_block_at_inverts_the_layout_and_is_minus_one_outside() -> None:
    block, x, y = block_layout(230, 20)
    blocks = Blocks(block)
    np.testing.assert_array_equal(blocks.block_at(x, y), block)
    out = blocks.block_at(np.array([-0.5, 0.5, blocks.side + 0.5, 0.5]), np.array([0.5, -0.1, 0.5, blocks.side + 2]))
    assert (out == -1).all()


def test_block_at_grid_cells_without_a_block_are_minus_one() -> None:
    # 5 blocks on a 3x3 grid: cells 5..8 hold no block
    block, _, _ = block_layout(50, 10)
    blocks = Blocks(block)
    assert blocks.side == 3
    assert blocks.block_at(np.array([2.5]), np.array([2.5])).tolist() == [-1]


def test_update_reindexes_after_slots_are_added() -> None:
    block = block_layout(30, 10)[0]
    blocks = Blocks(block)
    blocks.update(np.concatenate([block, np.array([3, 3], np.int32)]))
    assert blocks.n_blocks == 4
    got = blocks.random_member(np.full(50, 3), np.random.default_rng(2))
    assert set(got.tolist()) == {30, 31}
