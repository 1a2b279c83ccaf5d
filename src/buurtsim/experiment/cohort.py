"""The starting residents of a run and what became of them: who was reached, who left, where they ended.

Paired runs share the settled state at tick 0 (warm start: the same parameters and seed give the
same residents with the same unique ids), so the residents present at the start can be followed in
a scenario and in its baseline run alike. `Cohort` follows them week by week (reached by a policy at
any time, left the neighbourhood) and keeps their self-reliance at the end; the batch runner stores
it per run as `runs/<run_id>.cohort.npz`.

`reached_effect` compares one pair of runs: the residents reached by the policy in the scenario,
their self-reliance at the end there minus the same residents' self-reliance at the end of the
baseline run (over those still living in the neighbourhood in both), and how many of them moved
away in each. The answer turns these per-pair numbers into estimates with paired intervals.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

#: Arrays stored per run; `fingerprint` identifies the settled state at tick 0 (a one-element array).
FIELDS = ("uid", "reached", "left", "end_self_reliance", "fingerprint")


def fingerprint(uid: np.ndarray, self_reliance: np.ndarray) -> str:
    """SHA-256 of the starting residents' ids and self-reliance: equal only for the same settled state."""
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(uid, dtype=np.int64).tobytes())
    h.update(np.ascontiguousarray(self_reliance, dtype=np.float64).tobytes())
    return h.hexdigest()


class Cohort:
    """Follows the residents living in the neighbourhood at tick 0 (call `update` after every week)."""

    def __init__(self, model: Any) -> None:
        st = model.state
        self.slots = np.flatnonzero(st.alive)
        self.uid = st.uid[self.slots].astype(np.int64)
        self.start = fingerprint(self.uid, st.self_reliance[self.slots])
        self.reached = np.zeros(self.slots.size, bool)
        self.left = np.zeros(self.slots.size, bool)
        self.update(model)

    def update(self, model: Any) -> None:
        """Note who is still here (same slot, same id) and who has been reached by a policy so far."""
        st = model.state
        here = st.alive[self.slots] & (st.uid[self.slots] == self.uid) & ~self.left
        self.left |= ~here
        self.reached |= here & st.reached[self.slots]

    def record(self, model: Any) -> dict[str, np.ndarray]:
        """The arrays to store: ids, reached, left, self-reliance at the end (nan for who left), fingerprint."""
        self.update(model)
        end = np.where(self.left, np.nan, model.state.self_reliance[self.slots]).astype(np.float64)
        return {"uid": self.uid, "reached": self.reached.copy(), "left": self.left.copy(), "end_self_reliance": end,
                "fingerprint": np.array([self.start])}


def save(arrays: dict[str, np.ndarray], fh: IO[bytes]) -> None:
    """Write a cohort record (compressed npz) to an open binary file."""
    np.savez_compressed(fh, uid=arrays["uid"], reached=arrays["reached"], left=arrays["left"],
                        end_self_reliance=arrays["end_self_reliance"], fingerprint=arrays["fingerprint"])


def load(path: str | Path) -> dict[str, np.ndarray] | None:
    """A stored cohort record, or None when it is missing or unreadable (never unpickles anything)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            out = {name: data[name] for name in FIELDS}
    except (OSError, KeyError, ValueError):
        return None
    n = out["uid"].shape[0]
    if any(out[k].shape != (n,) for k in FIELDS[:4]) or out["fingerprint"].shape != (1,):
        return None
    return out


@dataclass(frozen=True)
class PairEffect:
    """One pair of runs: the reached starting residents and the policy's effect on them."""

    reached: int  # starting residents reached by the policy in the scenario
    compared: int  # of them, still in the neighbourhood at the end of both runs
    points: float  # their mean self-reliance at the end, scenario minus baseline, in points (0-100)
    moved_scenario: int  # of the reached, moved away in the scenario run
    moved_baseline: int  # the same residents, moved away in the baseline run


def reached_effect(scenario: dict[str, np.ndarray], baseline: dict[str, np.ndarray]) -> PairEffect | None:
    """The effect on the residents reached in `scenario`, against the same residents in `baseline`;
    None when the two runs did not start from the same residents (another settled state)."""
    if str(scenario["fingerprint"][0]) != str(baseline["fingerprint"][0]) or not np.array_equal(scenario["uid"], baseline["uid"]):
        return None
    reached = scenario["reached"].astype(bool)
    both = reached & ~scenario["left"].astype(bool) & ~baseline["left"].astype(bool)
    points = (100.0 * float(np.mean(scenario["end_self_reliance"][both] - baseline["end_self_reliance"][both]))
              if both.any() else math.nan)
    return PairEffect(reached=int(reached.sum()), compared=int(both.sum()), points=points,
                      moved_scenario=int(scenario["left"][reached].sum()), moved_baseline=int(baseline["left"][reached].sum()))
