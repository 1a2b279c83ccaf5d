"""Reading a lesson's outcomes from model metrics, and running a lesson's scenarios.

`observe(lesson, metrics_by_scenario)` is pure: it reads the metric tables (one per scenario key,
index `tick`, as `NeighbourhoodModel.metrics()` returns them) at the ticks the questions name.
`run_lesson` runs the scenarios itself (for the command line and for tests); the dashboard runs
its own models and passes their metrics to `observe`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict

from buurtsim.teaching.lesson import DOWN, SAME, UP, Lesson, LessonError, Question


class Observation(BaseModel):
    """What the model showed for one question: the outcome (a number or an option key), the
    numbers it rests on (display units) and a one-line description in the lesson's language."""

    model_config = ConfigDict(frozen=True)

    question: str
    value: float | str
    values: dict[str, float]
    text: str


def read_metric(df: pd.DataFrame, q: Question, tick: int, label: str = "") -> float:
    """The metric of question `q` at `tick` (averaged or summed over its window), in display units."""
    if q.metric not in df.columns:
        raise LessonError(f"{label or 'metrics'}: no column {q.metric!r} in the model's metrics")
    last = int(df.index.max()) if len(df.index) else -1
    if tick > last:
        raise LessonError(f"{label or 'metrics'}: question {q.id} reads week {tick}, but the run only reached week {last}")
    lo = tick - q.window + 1
    sel = df.loc[(df.index >= lo) & (df.index <= tick), q.metric]
    val = float(sel.sum() if q.aggregate == "sum" else sel.mean())
    return val * q.display_scale


def _fmt(x: float, unit: str, lang: str = "nl") -> str:
    s = f"{x:.1f}" if abs(x) >= 10 or unit == "%" else f"{x:.3f}"
    s = s.replace(".", ",") if lang == "nl" else s
    return f"{s}{unit}" if unit == "%" else f"{s} {unit}".rstrip()


def when(tick: int, lang: str = "nl") -> str:
    """A week in words: 'week 156 (jaar 3)' or 'week 156 (year 3)'."""
    year = "year" if lang == "en" else "jaar"
    return f"week {tick} ({year} {tick // 52})" if tick % 52 == 0 and tick else f"week {tick}"


def observation_text(lesson: Lesson, qid: str, value: float | str, values: Mapping[str, float]) -> str:
    """What the model showed for one question, in one line in the lesson's language (`Lesson.localized`)."""
    from buurtsim.metrics import label as metric_label

    lang = lesson.lang
    q = lesson.question(qid)
    unit, name = q.display_unit, metric_label(q.metric, lang)
    if q.kind == "value":
        key = q.scenarios[0]
        return f"{name} in '{lesson.scenario(key).label}', {when(q.tick, lang)}: {_fmt(float(value), unit, lang)}"
    if q.kind == "compare":
        a, b = q.scenarios
        la, lb = lesson.scenario(a).label, lesson.scenario(b).label
        if value == SAME:
            verdict = "about equal" if lang == "en" else "ongeveer gelijk"
        else:
            verdict = f"'{lesson.scenario(str(value)).label}' " + ("higher" if lang == "en" else "hoger")
        return f"{name}, {when(q.tick, lang)}: '{la}' {_fmt(values[a], unit, lang)}, '{lb}' {_fmt(values[b], unit, lang)}: {verdict}"
    words = ({UP: "risen", DOWN: "fallen", SAME: "stayed about equal"} if lang == "en"
             else {UP: "gestegen", DOWN: "gedaald", SAME: "ongeveer gelijk gebleven"})
    v0, v1 = values[f"week {q.start_tick}"], values[f"week {q.tick}"]
    return (f"{name} in '{lesson.scenario(q.scenarios[0]).label}': {when(q.start_tick, lang)} {_fmt(v0, unit, lang)}, "
            f"{when(q.tick, lang)} {_fmt(v1, unit, lang)}: {words[str(value)]}")


def observe_question(lesson: Lesson, q: Question, metrics_by_scenario: Mapping[str, pd.DataFrame]) -> Observation:
    """The observed outcome of one question (its text in the lesson's language)."""
    for key in q.scenarios:
        if key not in metrics_by_scenario:
            raise LessonError(f"lesson {lesson.id}: no metrics for scenario {key!r} (question {q.id})")
    value: float | str
    if q.kind == "value":
        key = q.scenarios[0]
        value = read_metric(metrics_by_scenario[key], q, q.tick, key)
        values = {key: value}
    elif q.kind == "compare":
        a, b = q.scenarios
        va = read_metric(metrics_by_scenario[a], q, q.tick, a)
        vb = read_metric(metrics_by_scenario[b], q, q.tick, b)
        value = SAME if abs(va - vb) <= q.tolerance else (a if va > vb else b)
        values = {a: va, b: vb}
    else:
        key = q.scenarios[0]
        v0 = read_metric(metrics_by_scenario[key], q, q.start_tick, key)
        v1 = read_metric(metrics_by_scenario[key], q, q.tick, key)
        value = SAME if abs(v1 - v0) <= q.tolerance else (UP if v1 > v0 else DOWN)
        values = {f"week {q.start_tick}": v0, f"week {q.tick}": v1}
    return Observation(question=q.id, value=value, values=values, text=observation_text(lesson, q.id, value, values))


def observe(lesson: Lesson, metrics_by_scenario: Mapping[str, pd.DataFrame]) -> dict[str, Observation]:
    """Observed outcome of every question of the lesson, from metrics per scenario key."""
    return {q.id: observe_question(lesson, q, metrics_by_scenario) for q in lesson.questions}


def run_lesson(
    lesson: Lesson,
    seed: int | None = None,
    folder: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    n_residents: int | None = None,
    weeks: int | None = None,
) -> dict[str, pd.DataFrame]:
    """Run each of the lesson's scenarios for `lesson.run_weeks` weeks (or `weeks`) with one seed (the
    same seed for every scenario: common random numbers; None uses each scenario's own seed);
    returns the metrics per scenario key. `n_residents` overrides the scenarios' size (for tests)."""
    from buurtsim.model import NeighbourhoodModel
    from buurtsim.scenario import load_scenario

    out: dict[str, pd.DataFrame] = {}
    paths = lesson.scenario_paths(folder)
    weeks = lesson.run_weeks if weeks is None else weeks
    for key, path in paths.items():
        model = NeighbourhoodModel.from_scenario(load_scenario(path), seed=seed, n_residents=n_residents)
        for week in range(weeks):
            model.step()
            if progress is not None and (week + 1) % 52 == 0:
                progress(key, week + 1, weeks)
        out[key] = model.metrics()
    return out


def rehearse(
    lesson: Lesson,
    seeds: list[int],
    folder: Path | None = None,
    n_residents: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run the lesson with several seeds (a lecturer's dress rehearsal): one row per seed per question
    with the outcome and the numbers behind it, to see in advance how much outcomes vary."""
    rows = []
    for i, seed in enumerate(seeds):
        obs = observe(lesson, run_lesson(lesson, seed=seed, folder=folder, n_residents=n_residents))
        for qid, o in obs.items():
            rows.append({"seed": seed, "question": qid, "outcome": o.value,
                         **{f"value[{k}]": v for k, v in o.values.items()}})
        if progress is not None:
            progress(i + 1, len(seeds))
    return pd.DataFrame(rows)


def rehearsal_summary(lesson: Lesson, runs: pd.DataFrame) -> pd.DataFrame:
    """Per question: how often each outcome came up (choice questions) or the spread (value questions),
    in the lesson's language (`Lesson.localized`)."""
    out = []
    for q in lesson.questions:
        g = runs[runs["question"] == q.id]
        if q.kind == "value":
            v = g["outcome"].astype(float)
            text = f"{'median' if lesson.lang == 'en' else 'mediaan'} {v.median():.3g} (min {v.min():.3g}, max {v.max():.3g}) {q.display_unit}".rstrip()
        else:
            labels = {o.key: o.label for o in lesson.options(q.id)}
            counts = g["outcome"].value_counts()
            text = ", ".join(f"{labels.get(str(k), k)}: {int(n)}x" for k, n in counts.items())
            cols = [c for c in g.columns if c.startswith("value[") and g[c].notna().any()]
            means = ", ".join(f"{c[6:-1]} {g[c].mean():.3g}" for c in cols)
            text += f" ({'mean' if lesson.lang == 'en' else 'gemiddeld'}: {means})"
        out.append({"question": q.id, "kind": q.kind, "metric": q.metric, "tick": q.tick, "runs": len(g), "outcomes": text})
    return pd.DataFrame(out)
