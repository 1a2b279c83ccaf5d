"""Reproduce the calibration table of docs/calibration.md.

Runs the shipped `basis` scenario (default parameters, no policy) for --seeds replications and
reports, for each calibration target of /shared/design/calibration-targets.md, the model's value
at the start (after burn-in) and after ten years: mean and standard deviation over replications.
C2 is read under the heavily staffed `combinatie` scenario ("even with support").

Usage: python experiments/calibration.py [--seeds 10] [--n 2000] [--workers 2] [--out table.md]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from buurtsim import NeighbourhoodModel

ROOT = Path(__file__).resolve().parents[1]
TICKS = 520

# (target id, description, published value, metric or callable, source of the figure)
TARGETS = [
    ("C1", "problems in 3+ life domains", "about 1 in 6 adults nationally; worse in deprived areas", "share_multi_problem"),
    ("C1", "socially vulnerable or sliding ('stacked problems, few resources')", "about 1 in 10 nationally (vulnerable)", "share_sliding"),
    ("C2", "not self-reliant even with heavy support (combinatie, 3 workers)", "10-15 % in deprived neighbourhoods", "best_sliding"),
    ("C3", "isolated (summed tie strength < isolation_strength)", "strongly lonely 9-11 %", "share_isolated"),
    ("C4", "weekly contact with a neighbour", "55-66 %", "share_neighbour_contact"),
    ("C5", "participating (ladder rung >= active_level)", "~30 % volunteer (4 weeks); lower among low educated", "participation_rate"),
    ("C6", "giving informal help", "about 36 % of adults", "share_helping"),
    ("C6", "of helpers, over-asked", "about 9 % of caregivers overloaded", "overburdened_share"),
    ("C7", "no confidant (no tie >= confidant_strength)", "about a quarter", "share_no_confidant"),
    ("C7", "close ties in the neighbourhood (mean)", "~5 closest + 5-10 strong in all of life", "close_ties"),
    ("C9", "citizenship styles dutiful/responsible/pragmatic/outsider", "16/28/24/32 %", "styles"),
    ("C11", "moved out per year (share of residents)", "~10 % at age 40 (27 % at 25-29, 4 % at 60)", "moving_rate"),
]


def one_run(args: tuple[str, int, int, dict]) -> dict[str, tuple[float, float]]:
    """Metrics at tick 0 and at the end for one replication of a scenario."""
    name, seed, n, overrides = args
    model = NeighbourhoodModel.from_scenario(ROOT / "scenarios" / f"{name}.toml", seed=seed, n_residents=n)
    for label, field, value in overrides.get("policies", []):
        pol = model.policy(label)
        pol.config = pol.config.model_copy(update={field: value})
    first = model.metrics().iloc[0].to_dict()
    first["close_ties"] = float(np.mean(model.ties.degree(model.params.confidant_strength)[model.state.alive]))
    df = model.run(TICKS)
    last = df.iloc[-1].to_dict()
    last["close_ties"] = float(np.mean(model.ties.degree(model.params.confidant_strength)[model.state.alive]))
    moved_per_year = df["moved_out"].iloc[1:].sum() / (TICKS / 52)
    last["moving_rate"] = first["moving_rate"] = moved_per_year / df["population"].mean()
    st = model.state
    styles = np.bincount(st.style[st.alive], minlength=4) / st.alive.sum()
    first["styles"] = last["styles"] = "/".join(f"{100 * s:.0f}" for s in styles)
    return {k: (first.get(k), last.get(k)) for k in set(first) | set(last)}


def summarise(values: list) -> str:
    """mean ± sd, or the first value for text."""
    if isinstance(values[0], str):
        return values[0]
    arr = np.asarray(values, float)
    return f"{arr.mean():.3f} ± {arr.std(ddof=1):.3f}"


def main() -> None:
    """Run the replications and print the Markdown table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", help="also write the table to this file")
    args = ap.parse_args()
    jobs = [("basis", s, args.n, {}) for s in range(args.seeds)]
    best = {"policies": [("presentie", "workers", 3)]}
    jobs += [("combinatie", s, args.n, best) for s in range(args.seeds)]
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(one_run, jobs))
    base, comb = results[: args.seeds], results[args.seeds :]
    lines = [
        f"Basis scenario, N = {args.n}, {args.seeds} replications (seeds 0..{args.seeds - 1}); mean ± sd.",
        "",
        "| target | quantity | published | model, start | model, year 10 |",
        "|---|---|---|---|---|",
    ]
    for tid, what, published, key in TARGETS:
        if key == "best_sliding":
            start = summarise([r["share_sliding"][0] for r in comb])
            end = summarise([r["share_sliding"][1] for r in comb])
        else:
            start = summarise([r[key][0] for r in base])
            end = summarise([r[key][1] for r in base])
        lines.append(f"| {tid} | {what} | {published} | {start} | {end} |")
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
