"""Named random streams from one seed, so that one process's draws never shift another's."""

from __future__ import annotations

import functools
import zlib

import numpy as np

# Each process draws from its own stream; adding a policy (with its own stream) leaves the draws of
# every other process untouched: a "minimally different world" for paired comparisons.


def stream_key(name: str) -> int:
    """A stable integer for a stream name (crc32 is stable across runs and platforms)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """Lazily created numpy Generators, one per name, all derived from one seed."""

    def __init__(self, seed: int | None) -> None:
        self.root = np.random.SeedSequence(seed)
        self.seed: int = int(self.root.entropy)  # type: ignore[arg-type]
        self._streams: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        gen = self._streams.get(name)
        if gen is None:
            seq = np.random.SeedSequence(self.root.entropy, spawn_key=(stream_key(name),))
            gen = np.random.default_rng(seq)
            self._streams[name] = gen
        return gen

    def states(self) -> dict[str, dict]:
        """The bit-generator state of every stream used so far (for exact warm starts)."""
        return {name: dict(gen.bit_generator.state) for name, gen in self._streams.items()}

    def restore(self, states: dict[str, dict]) -> None:
        """Set streams to saved states; streams not named stay as a fresh model would have them."""
        for name, state in states.items():
            self[name].bit_generator.state = state


def categorical(rng: np.random.Generator, p: np.ndarray | tuple[float, ...], size: int) -> np.ndarray:
    """`size` draws of category indices with probabilities p: the numbers `rng.choice(len(p),
    size, p=p)` gives, from the same draws, without its per-call checks (newcomers arrive weekly)."""
    return _cdf(tuple(p)).searchsorted(rng.random(size), side="right")


@functools.lru_cache(maxsize=256)
def _cdf(p: tuple[float, ...]) -> np.ndarray:
    """The normalised cumulative shares (read-only), kept per tuple of shares: the same few share
    tuples come every week, and building the array took more time than the draws themselves."""
    cdf = np.cumsum(p, dtype=float)
    cdf /= cdf[-1]
    cdf.flags.writeable = False
    return cdf
