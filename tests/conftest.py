"""Shared small, seeded fixtures for the model tests.

- `make_model(**overrides)`: a small NeighbourhoodModel (N=120, seed=3, burn-in 4 weeks) with
  parameter overrides; `small_model` is one such model.
- `make_state(n, **fields)`: a hand-buildable ResidentState of `n` live residents (uids 0..n-1,
  single-person households, `residents_per_block` per block) whose arrays can be overwritten.
- `make_ties(n, edges, strength, kind)`: a TieStore over `n` slots with the given edges.
- `run_cli(*args)`: runs `buurtsim ARGS` in this process: (exit status, stdout, stderr with
  whitespace collapsed, since rich wraps messages); a traceback in either stream fails the test.

Tests call process functions directly on such states (mechanisms), rather than asserting the
levels of one seeded run: the defaults are still being calibrated.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from buurtsim import NeighbourhoodModel
from buurtsim.network import TieStore
from buurtsim.params import Params
from buurtsim.population import block_layout, draw_residents
from buurtsim.state import ResidentState


def pytest_configure(config: pytest.Config) -> None:
    """Warm starts go to a fresh folder per test session (inherited by worker processes), so tests
    neither read nor fill the user's cache."""
    os.environ["BUURTSIM_WARM_CACHE"] = tempfile.mkdtemp(prefix="buurtsim-warm-")


SMALL_N = 120
SMALL_SEED = 3
SMALL_BURN_IN = 4

CliRun = Callable[..., tuple[int, str, str]]
ModelFactory = Callable[..., NeighbourhoodModel]
StateFactory = Callable[..., ResidentState]
TiesFactory = Callable[..., TieStore]


def build_model(n: int = SMALL_N, seed: int = SMALL_SEED, **overrides: Any) -> NeighbourhoodModel:
    """A small seeded model; keyword arguments are parameter overrides (or model options)."""
    overrides.setdefault("burn_in_weeks", SMALL_BURN_IN)
    return NeighbourhoodModel(n_residents=n, seed=seed, **overrides)


def build_state(n: int, seed: int = 0, params: Params | None = None, per_block: int = 10,
                **fields: Any) -> ResidentState:
    """`n` live residents drawn from the default profile; `fields` overwrite whole arrays.

    Scalars broadcast: `build_state(4, capacity=0.5)`. `domains` may be an (n, 5) array or a scalar.
    """
    p = params or Params()
    st = draw_residents(n, p, np.random.default_rng(seed), p.income_shares)
    st.uid[:] = np.arange(n)
    st.household[:] = np.arange(n)
    st.block, st.x, st.y = block_layout(n, per_block)
    for name, value in fields.items():
        arr = getattr(st, name)
        arr[...] = np.asarray(value, dtype=arr.dtype)
    if "income" in fields and "income_start" not in fields:
        st.income_start[:] = st.income  # residents keep the class they arrived with
    if "domains" in fields and "self_reliance" not in fields:
        st.update_self_reliance()
    return st


def build_ties(n: int, edges: Sequence[tuple[int, int]] | np.ndarray = (),
               strength: float | Sequence[float] | np.ndarray = 0.5,
               kind: int | Sequence[int] | np.ndarray = 2, rebuild: bool = True,
               churn: float = 0.1) -> TieStore:
    """A TieStore over `n` slots holding `edges`; `rebuild` folds them into the sparse matrix."""
    ties = TieStore(n, churn)
    e = np.asarray(edges, np.int64).reshape(-1, 2)
    if e.size:
        ties.add(e[:, 0], e[:, 1], np.asarray(strength, float), np.asarray(kind, np.int8), 0)
    if rebuild:
        ties._rebuild()
    ties.refresh()
    return ties


@pytest.fixture
def make_model() -> ModelFactory:
    """Factory for small seeded models: `make_model(n=120, seed=3, **overrides)`."""
    return build_model


@pytest.fixture
def small_model() -> NeighbourhoodModel:
    """N=120, seed=3, 4 burn-in weeks, default parameters otherwise."""
    return build_model()


@pytest.fixture
def make_state() -> StateFactory:
    """Factory for hand-built states: `make_state(n, seed=0, params=None, per_block=10, **fields)`."""
    return build_state


@pytest.fixture
def make_ties() -> TiesFactory:
    """Factory for tie stores: `make_ties(n, edges, strength=0.5, kind=2, rebuild=True)`."""
    return build_ties



@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> CliRun:
    """Run the `buurtsim` command line in this process; see the module docstring."""
    from buurtsim.cli import main

    def run(*args: str, columns: int = 200) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["buurtsim", *args])
        monkeypatch.setenv("COLUMNS", str(columns))
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, " ".join(err.split())

    return run
