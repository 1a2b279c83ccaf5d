"""Exact warm starts: the settled neighbourhood after the burn-in, kept per parameters and seed.

The burn-in (`burn_in_weeks`, twenty years by default) settles the network and participation so
that the baseline does not drift while policies run. It depends only on the parameters, the seed
and the model's code, not on policies, so every scenario of an experiment that shares parameters
and seed shares it. The settled state is kept in memory and on disk, keyed by a hash of all three,
and restored exactly: a run from a warm start is identical to the last bit to a cold one (tested).

Where: `$BUURTSIM_WARM_CACHE`, else `$XDG_CACHE_HOME/buurtsim/warm`, else `~/.cache/buurtsim/warm`;
`BUURTSIM_WARM_CACHE=off` turns the disk cache off. Only buurtsim writes there; a damaged or
foreign file is ignored and recomputed.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import pickle
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from buurtsim.network import TieStore
from buurtsim.params import Params
from buurtsim.processes.initiatives import Initiatives
from buurtsim.state import ResidentState

MAX_RESIDENTS = 200_000  # a settled state takes about 0.5 kB per resident; larger ones are not kept
MEMORY_BYTES = 256 * 2**20  # settled states kept in memory per process, newest first
DISK_BYTES = 2 * 2**30  # the disk cache is pruned (oldest files first) beyond this
MAGIC = b"buurtsim-warm-1\n"  # first bytes of every cache file buurtsim writes

# Modules whose code shapes the burn-in: a change to any of them invalidates every warm start.
_MODEL_PARTS = ("model.py", "state.py", "network.py", "network_loops.py", "population.py", "params.py", "rng.py",
                "space.py", "agents.py", "metrics.py", "processes")


@dataclass
class Settled:
    """Everything the burn-in changes, as it stands at tick 0."""

    state: ResidentState
    ties: TieStore
    initiatives: Initiatives
    streams: dict[str, dict[str, Any]]
    next_household: int
    next_uid: int
    neighbour_contact: np.ndarray
    overburdened: np.ndarray
    clustering: float


@cache
def code_hash() -> str:
    """A hash of the model's source files (not the dashboard, CLI or experiment code)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for part in _MODEL_PARTS:
        path = root / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for f in files:
            if f.exists():
                h.update(f.relative_to(root).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()


def key(params: Params, seed: int) -> str:
    """The cache key of a settled state: parameters, seed and model code."""
    payload = json.dumps({"params": params.model_dump(mode="json"), "seed": int(seed), "code": code_hash()},
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def cache_dir() -> Path | None:
    """The disk cache folder, or None when turned off."""
    env = os.environ.get("BUURTSIM_WARM_CACHE")
    if env is not None:
        return None if env.strip().lower() in {"", "0", "off", "no", "false"} else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "buurtsim" / "warm"


class WarmStarts:
    """An in-memory LRU of settled states in front of the disk cache."""

    def __init__(self) -> None:
        self._memory: OrderedDict[str, bytes] = OrderedDict()

    def get(self, k: str) -> Settled | None:
        """A fresh copy of the settled state for key `k`, or None."""
        blob = self._memory.get(k)
        if blob is None:
            blob = _read(k)
            if blob is None:
                return None
            self._remember(k, blob)
        else:
            self._memory.move_to_end(k)
        try:
            settled = pickle.loads(blob)
        except Exception:  # a damaged entry: forget it and settle again
            self._memory.pop(k, None)
            return None
        return settled if isinstance(settled, Settled) else None

    def put(self, k: str, settled: Settled) -> None:
        """Keep a copy of the settled state in memory and on disk."""
        blob = pickle.dumps(copy.copy(settled), protocol=pickle.HIGHEST_PROTOCOL)
        self._remember(k, blob)
        _write(k, blob)

    def _remember(self, k: str, blob: bytes) -> None:
        self._memory[k] = blob
        self._memory.move_to_end(k)
        while len(self._memory) > 1 and sum(map(len, self._memory.values())) > MEMORY_BYTES:
            self._memory.popitem(last=False)


def _read(k: str) -> bytes | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        data = (folder / f"{k}.pkl").read_bytes()
    except OSError:
        return None
    return data[len(MAGIC):] if data.startswith(MAGIC) else None


def _write(k: str, blob: bytes) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pkl")
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + blob)
        os.replace(tmp, folder / f"{k}.pkl")
        _prune(folder)
    except OSError:
        return  # a cache that cannot be written only costs time


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
    total = 0
    for f in files:
        total += f.stat().st_size
        if total > DISK_BYTES:
            f.unlink(missing_ok=True)


WARM = WarmStarts()  # one per process: settled states are pure data, shared by all models here
