"""Residents as a struct of numpy arrays, one row per dwelling slot.

A slot is a dwelling: when a resident moves out the slot empties (`alive` False) and a newcomer
may take it with a fresh unique id. Rows are never reordered, so edge endpoints (slot indices)
stay valid; restructuring can append slots.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from buurtsim.params import DOMAINS

N_DOMAINS = len(DOMAINS)


def row_sums(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Sum of each row of an (n, k) float array for small k, adding column by column.

    numpy's `sum(axis=1)` over five contiguous columns is several times slower; for rows this
    short it adds in the same left-to-right order, so the results are identical to the last bit.
    """
    if out is None:
        out = x[:, 0].copy()
    else:
        out[:] = x[:, 0]
    for j in range(1, x.shape[1]):
        out += x[:, j]
    return out


@dataclass
class ResidentState:
    """Per-slot arrays. Scores and shares are in [0, 1]; `participation` is a rung 0..6."""

    uid: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    alive: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    block: np.ndarray = field(default_factory=lambda: np.empty(0, np.int32))
    x: np.ndarray = field(default_factory=lambda: np.empty(0))
    y: np.ndarray = field(default_factory=lambda: np.empty(0))
    household: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    income: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    style: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    domains: np.ndarray = field(default_factory=lambda: np.empty((0, N_DOMAINS)))
    potential: np.ndarray = field(default_factory=lambda: np.empty((0, N_DOMAINS)))
    self_reliance: np.ndarray = field(default_factory=lambda: np.empty(0))
    capacity: np.ndarray = field(default_factory=lambda: np.empty(0))
    load: np.ndarray = field(default_factory=lambda: np.empty(0))
    given: np.ndarray = field(default_factory=lambda: np.empty(0))
    dependency: np.ndarray = field(default_factory=lambda: np.empty(0))
    trust: np.ndarray = field(default_factory=lambda: np.empty(0))
    attachment: np.ndarray = field(default_factory=lambda: np.empty(0))
    safety: np.ndarray = field(default_factory=lambda: np.empty(0))
    participation: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))
    threshold: np.ndarray = field(default_factory=lambda: np.empty(0))
    initiative: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    asked: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    client_of: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    arrived: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    income_start: np.ndarray = field(default_factory=lambda: np.empty(0, np.int8))  # class on arrival
    reached: np.ndarray = field(default_factory=lambda: np.empty(0, bool))  # ever reached by a policy

    @classmethod
    def empty(cls, n: int) -> ResidentState:
        """`n` slots with every array of its dtype and shape, the values not yet set."""
        blank = cls()
        return cls(**{f.name: np.empty((n, *getattr(blank, f.name).shape[1:]), getattr(blank, f.name).dtype)
                      for f in fields(cls)})

    @property
    def size(self) -> int:
        """Number of slots (dwellings), occupied or not."""
        return int(self.uid.shape[0])

    def append(self, rows: ResidentState) -> np.ndarray:
        """Append slots; returns their indices."""
        start = self.size
        for f in fields(self):
            setattr(self, f.name, np.concatenate([getattr(self, f.name), getattr(rows, f.name)]))
        return np.arange(start, self.size)

    def assign(self, slots: np.ndarray, rows: ResidentState) -> None:
        """Write residents into existing slots (newcomers into vacated dwellings)."""
        for f in fields(self):
            getattr(self, f.name)[slots] = getattr(rows, f.name)

    def update_self_reliance(self) -> None:
        """Self-reliance is the mean of the life-domain scores (brief §3)."""
        row_sums(self.domains, out=self.self_reliance)
        self.self_reliance /= N_DOMAINS

    def problem_count(self, threshold: float) -> np.ndarray:
        """Number of life domains below the problem threshold, per slot."""
        d = self.domains
        count = (d[:, 0] < threshold).astype(np.int64)
        for j in range(1, d.shape[1]):
            count += d[:, j] < threshold
        return count

    def categories(self, strong: float, sliding: float) -> np.ndarray:
        """0 strong, 1 vulnerable, 2 sliding (Wijkengids 4.6: Rotterdam's categories)."""
        sr = self.self_reliance
        return np.where(sr >= strong, 0, np.where(sr < sliding, 2, 1)).astype(np.int8)
