"""What a lesson's questions show over many seeds, with paired 95 % intervals.

`buurtsim les ID --proef N` counts how often each answer came up; this script runs the same lesson
(its own scenarios, size and horizon; seeds 1..N, every scenario with the same seed) and reports
per question the paired difference between the two scenarios (or the change over time), its 95 %
t-interval and the verdict: a difference, or "not distinguishable" when the interval contains zero.
Shares are also given in residents of the lesson's neighbourhood. The lesson texts
(docs/teaching/les*.md, "Wat we zagen bij het testen") quote it.

`--also METRIC:A-B@WEEK` adds a comparison the questions do not ask (same 13-week window), e.g.
`--also share_sliding:carrousel-geen@208`.

Usage: python experiments/lesson_intervals.py les1 [--seeds 20] [--also ...]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from buurtsim.experiment.compare import mean_ci
from buurtsim.metrics import BY_NAME
from buurtsim.scenario import load_scenario
from buurtsim.teaching.lesson import Question, get_lesson
from buurtsim.teaching.observe import read_metric, run_lesson

WINDOW = 13
NOT_OF_RESIDENTS = {"overburdened_share", "participation_outsiders"}  # shares of helpers, of outsiders


def _run(args: tuple[str, int]) -> dict[str, pd.DataFrame]:
    lesson_id, seed = args
    return run_lesson(get_lesson(lesson_id), seed=seed)


def _scale(metric: str) -> tuple[float, str]:
    """Display scale and unit: %-points for shares, points on 0-100 for 0-1 scores, plain otherwise."""
    unit = BY_NAME[metric].unit
    if unit == "share":
        return 100.0, "%-points"
    if unit == "0-1":
        return 100.0, "points"
    return 1.0, unit


def _unit(q: Question) -> str:
    """Unit of a difference: %-points where the question shows a share in %."""
    return "%-points" if q.display_unit == "%" else q.display_unit


def _line(label: str, diffs: np.ndarray, unit: str, n_residents: int | None, metric: str) -> str:
    m, lo, hi = mean_ci(diffs)
    verdict = "not distinguishable" if lo <= 0 <= hi else "difference"
    pos = int(np.sum(diffs > 0))
    text = f"{label}: {m:+.2f} {unit} [{lo:+.2f}, {hi:+.2f}] {verdict}; positive in {pos} of {diffs.size}"
    if unit == "%-points" and n_residents and metric not in NOT_OF_RESIDENTS:
        text += f" ({m * n_residents / 100:+.0f} residents [{lo * n_residents / 100:+.0f}, {hi * n_residents / 100:+.0f}] of {n_residents})"
    return text


def main() -> None:
    """Run the lesson over seeds 1..N and print one line per question (and per --also)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lesson")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--also", action="append", default=[], metavar="METRIC:A-B@WEEK")
    args = ap.parse_args()
    lesson = get_lesson(args.lesson)
    scenario = load_scenario(next(iter(lesson.scenario_paths().values())))
    n = scenario.params.get("n_residents")
    n_residents = int(n) if isinstance(n, int) else None
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        runs = list(pool.map(_run, [(lesson.id, s) for s in range(1, args.seeds + 1)]))
    print(f"{lesson.id}: {args.seeds} seeds (1..{args.seeds}), {n_residents} residents, {lesson.run_weeks} weeks")
    for q in lesson.questions:
        if q.kind == "value":
            key = q.scenarios[0]
            vals = np.array([read_metric(r[key], q, q.tick, key) for r in runs])
            m, lo, hi = mean_ci(vals)
            print(f"{q.id} {q.metric} {key} week {q.tick}: {m:.2f} {q.display_unit} [{lo:.2f}, {hi:.2f}]"
                  f" (min {vals.min():.2f}, max {vals.max():.2f})")
        elif q.kind == "compare":
            a, b = q.scenarios
            d = np.array([read_metric(r[a], q, q.tick, a) - read_metric(r[b], q, q.tick, b) for r in runs])
            print(_line(f"{q.id} {q.metric} {a} - {b} week {q.tick}", d, _unit(q), n_residents, q.metric))
        else:
            key = q.scenarios[0]
            d = np.array([read_metric(r[key], q, q.tick, key) - read_metric(r[key], q, q.start_tick, key) for r in runs])
            print(_line(f"{q.id} {q.metric} {key} week {q.tick} - week {q.start_tick}", d, _unit(q), n_residents, q.metric))
    for spec in args.also:
        metric, rest = spec.split(":", 1)
        pair, week = rest.split("@")
        a, b = pair.split("-", 1)
        scale, unit = _scale(metric)
        q = Question(id="also", kind="value", text=metric, metric=metric, scenarios=[a], tick=int(week),
                     window=WINDOW, scale=scale)
        d = np.array([read_metric(r[a], q, q.tick, a) - read_metric(r[b], q, q.tick, b) for r in runs])
        print(_line(f"also {metric} {a} - {b} week {week}", d, unit, n_residents, metric))


if __name__ == "__main__":
    main()
