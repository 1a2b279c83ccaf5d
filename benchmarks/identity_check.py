"""Bit-identity check for speed work: the same seed and parameters must give the same numbers.

`--save DIR` runs a fixed set of models (shipped scenarios at N = 2,000 from a cold start, i.e.
set-up and burn-in included, several seeds, one with history recording, one at N = 10,000) and
stores everything they produce: every metrics row, every state array, the tie arrays, the
initiatives, costs, reach, events, histories and the positions of all random streams. `--compare
DIR` runs the same models with the code as it is now and checks each item for exact equality
(`np.array_equal`, `DataFrame.equals`); it names every item that differs and exits 1 if any does.

Usage: python benchmarks/identity_check.py --save /tmp/ref   (with the code before a change)
       python benchmarks/identity_check.py --compare /tmp/ref   (after it)
"""

from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from buurtsim import NeighbourhoodModel

# (name, scenario or None for the default model, seed, N, weeks or None for the scenario's horizon, history)
RUNS: tuple[tuple[str, str | None, int, int, int | None, bool], ...] = (
    ("basis-s1", "basis", 1, 2000, None, False),
    ("basis-s2", "basis", 2, 2000, None, False),
    ("basis-s3-history", "basis", 3, 2000, 260, True),
    ("carrousel-s1", "projectencarrousel", 1, 2000, None, False),
    ("carrousel-s4", "projectencarrousel", 4, 2000, None, False),
    ("presentie-s1", "langdurige_presentie", 1, 2000, None, False),
    ("presentie-s5-history", "langdurige_presentie", 5, 2000, 260, True),
    ("herstructurering-s1", "herstructurering", 1, 2000, None, False),
    ("uitstroom-s2", "selectieve_uitstroom", 2, 2000, None, False),
    ("combinatie-s1", "combinatie", 1, 2000, None, False),
    ("abcd-s3", "abcd", 3, 2000, None, False),
    ("default-n10k-s7", None, 7, 10_000, 150, False),
)


def run_one(scenario: str | None, seed: int, n: int, weeks: int | None, history: bool) -> dict[str, Any]:
    """Run one model from a cold start and gather everything it produced."""
    if scenario is None:
        model = NeighbourhoodModel(n, seed=seed, warm_start=False, record_history=history)
    else:
        model = NeighbourhoodModel.from_scenario(scenario, seed=seed, n_residents=n, warm_start=False,
                                                 record_history=history)
    model.run(weeks if weeks is not None else int(model.horizon or 520))
    out: dict[str, Any] = {"metrics": model.metrics()}
    for f in fields(model.state):
        out[f"state.{f.name}"] = getattr(model.state, f.name)
    ties = model.ties
    for name in ("a", "b", "s", "kind", "alive", "born"):
        out[f"ties.{name}"] = getattr(ties, name)[: ties.n]
    out["ties.scalars"] = (ties.n, ties.n_built, ties.dead_since_build, ties.version)
    ini = model.initiatives
    out["initiatives"] = (list(ini.founded), list(ini.ended), list(ini.alive), ini.supported.tolist())
    out["scalars"] = (model.tick, model.cost_eur, model.reach.left, model.reach.left_self_reliance_sum,
                      model.reach.left_risen, model._next_household, model.current_clustering(),
                      [(pol.label, pol.spent_eur) for pol in model.policies])
    out["events"] = list(model.events)
    out["history"] = [{k: v for k, v in h.items()} for h in model.history]
    out["streams"] = model.streams.states()
    out["uids"] = sorted(a.unique_id for a in model.residents)
    out["professionals"] = [(p.unique_id, p.kind, p.clients.tolist(), p.since.tolist())
                            for p in model.active_professionals()]
    return out


def same(x: Any, y: Any) -> bool:
    """Exact equality for DataFrames, arrays and nested containers of them."""
    if isinstance(x, pd.DataFrame):
        return isinstance(y, pd.DataFrame) and x.equals(y) and list(x.columns) == list(y.columns)
    if isinstance(x, np.ndarray):
        return isinstance(y, np.ndarray) and x.dtype == y.dtype and np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(same(x[k], y[k]) for k in x)
    if isinstance(x, list | tuple):
        return type(x) is type(y) and len(x) == len(y) and all(same(a, b) for a, b in zip(x, y, strict=True))
    return bool(x == y)


def main() -> int:
    """Save or compare the reference results."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="directory to store the reference results in")
    group.add_argument("--compare", type=Path, help="directory with reference results to compare against")
    ap.add_argument("--only", nargs="*", help="run only these named runs")
    args = ap.parse_args()
    bad = 0
    for name, scenario, seed, n, weeks, history in RUNS:
        if args.only and name not in args.only:
            continue
        result = run_one(scenario, seed, n, weeks, history)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{name}.pkl").write_bytes(pickle.dumps(result))
            print(f"{name}: saved ({len(result['metrics'])} rows)")
            continue
        ref = pickle.loads((args.compare / f"{name}.pkl").read_bytes())
        differ = [k for k in ref if k not in result or not same(ref[k], result[k])]
        differ += [k for k in result if k not in ref]
        bad += bool(differ)
        print(f"{name}: {'IDENTICAL' if not differ else 'DIFFERS in ' + ', '.join(differ)}")
    if args.compare:
        print("all identical" if not bad else f"{bad} run(s) differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
