"""A class's predictions against the outcomes: read a folder of prediction files, tabulate, plot.

`collect(folder)` gives one row per student per question; `summarize(table)` one row per question
(how the class predicted, what the runs showed); `plot_class(table, path)` one panel per question.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from buurtsim.errors import UserError
from buurtsim.escape import csv_frame, md_cell
from buurtsim.teaching.lesson import SAME, Lesson, LessonError, get_lesson
from buurtsim.teaching.observe import when
from buurtsim.teaching.records import PredictionRecord, RecordError, read

COLUMNS = [
    "file", "student", "group", "lesson", "question", "kind", "metric", "tick", "unit",
    "prediction", "observed", "hit", "error", "seed", "predicted_at", "observed_at",
]


class CollectError(UserError, ValueError):
    """A folder of prediction files cannot be collected; the message names the folder or file."""


def _rows(path: Path, record: PredictionRecord, lesson: Lesson) -> list[dict[str, Any]]:
    rows = []
    for q in lesson.questions:
        pred = record.predictions.get(q.id)
        obs = record.observations.get(q.id)
        row: dict[str, Any] = {
            "file": path.name, "student": record.student, "group": record.group, "lesson": lesson.id,
            "question": q.id, "kind": q.kind, "metric": q.metric, "tick": q.tick, "unit": q.display_unit,
            "prediction": None if pred is None else pred.value,
            "observed": None if obs is None else obs.value,
            "hit": None, "error": None,
            "seed": None if record.run is None else record.run.seed,
            "predicted_at": None if pred is None else pred.at.isoformat(),
            "observed_at": None if obs is None else obs.at.isoformat(),
        }
        if pred is not None and obs is not None:
            if q.kind == "value":
                row["error"] = float(pred.value) - float(obs.value)
            else:
                row["hit"] = pred.value == obs.value
        rows.append(row)
    return rows


def _lookup(lesson_id: str, lessons: Mapping[str, Lesson] | None) -> Lesson:
    if lessons is not None and lesson_id in lessons:
        return lessons[lesson_id]
    return get_lesson(lesson_id)


def collect(
    folder: str | Path,
    skip_invalid: bool = False,
    warnings: list[str] | None = None,
    lessons: Mapping[str, Lesson] | None = None,
) -> pd.DataFrame:
    """Every prediction file (*.json) in `folder` as one table: a row per student per question with
    the prediction, the observed outcome of that student's run, `hit` (choice questions) and `error`
    (prediction minus outcome, value questions). Invalid files raise CollectError naming them, or are
    skipped (and listed in `warnings`) with `skip_invalid`. `lessons` adds lessons that are not shipped
    (by id); shipped lessons are found by id."""
    base = Path(folder)
    if not base.exists():
        raise CollectError(f"{base}: folder does not exist")
    if not base.is_dir():
        raise CollectError(f"{base}: not a folder")
    files = sorted(p for p in base.glob("*.json") if p.is_file())
    if not files:
        raise CollectError(f"{base}: no prediction files (*.json) in this folder")
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in files:
        try:
            record = _peek_and_read(path, lessons)
            lesson = _lookup(record.lesson, lessons)
        except (RecordError, LessonError) as exc:
            problems.append(str(exc))
            continue
        rows.extend(_rows(path, record, lesson))
    if problems and not skip_invalid:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise CollectError(f"{len(problems)} invalid prediction file(s) in {base}: " + " | ".join(problems[:5]) + more)
    if warnings is not None:
        warnings.extend(problems)
    if not rows:
        raise CollectError(f"{base}: no valid prediction files")
    return pd.DataFrame(rows, columns=COLUMNS)


def _peek_and_read(path: Path, lessons: Mapping[str, Lesson] | None) -> PredictionRecord:
    """Read a record, validating it against an extra lesson when its id is one of `lessons`."""
    if lessons:
        import json

        try:
            lesson_id = json.loads(path.read_text(encoding="utf-8-sig")).get("lesson")
        except (ValueError, UnicodeDecodeError, AttributeError):
            lesson_id = None
        if isinstance(lesson_id, str) and lesson_id in lessons:
            return read(path, lesson=lessons[lesson_id])
    return read(path)


def summarize(table: pd.DataFrame, lessons: Mapping[str, Lesson] | None = None, lang: str = "nl") -> pd.DataFrame:
    """One row per lesson question: how many predicted, what they predicted, what the runs showed
    (the spread of numbers in words of `lang`: 'mediaan' or 'median')."""
    out = []
    for (lesson_id, qid), g in table.groupby(["lesson", "question"], sort=False):
        lesson = _lookup(str(lesson_id), lessons)
        q = lesson.question(str(qid))
        preds = g["prediction"].dropna()
        obs = g["observed"].dropna()
        row: dict[str, Any] = {
            "lesson": lesson_id, "question": qid, "kind": q.kind, "metric": q.metric, "tick": q.tick,
            "unit": q.display_unit, "students": int(g["student"].nunique()), "predictions": int(preds.size),
            "runs": int(obs.size),
        }
        if q.kind == "value":
            p = preds.astype(float)
            o = obs.astype(float)
            err = g["error"].dropna().astype(float)
            row.update({
                "predicted": _spread(p, lang), "observed": _spread(o, lang),
                "mean_abs_error": float(err.abs().mean()) if err.size else np.nan,
            })
        else:
            labels = {o.key: o.key for o in lesson.options(str(qid))}
            row.update({
                "predicted": _counts(preds, labels), "observed": _counts(obs, labels),
                "share_hit": float(g["hit"].dropna().astype(bool).mean()) if g["hit"].notna().any() else np.nan,
            })
        out.append(row)
    return pd.DataFrame(out)


def _spread(x: pd.Series, lang: str = "nl") -> str:
    if x.empty:
        return "-"
    if x.size == 1:
        return f"{x.iloc[0]:.3g}"
    return f"{'median' if lang == 'en' else 'mediaan'} {x.median():.3g} (min {x.min():.3g}, max {x.max():.3g})"


def _counts(x: pd.Series, labels: dict[str, str]) -> str:
    if x.empty:
        return "-"
    counts = x.value_counts()
    return ", ".join(f"{labels.get(str(k), k)}: {int(v)}" for k, v in counts.items())


def plot_class(table: pd.DataFrame, path: str | Path, lessons: Mapping[str, Lesson] | None = None, lang: str = "nl") -> Path:
    """A figure with one panel per question: the class's predictions against the observed outcomes,
    labelled in `lang` ('nl' or 'en')."""
    from buurtsim.metrics import label as metric_label

    en = lang == "en"
    predicted, outcome = ("predicted", "outcome (runs)") if en else ("voorspeld", "uitkomst (runs)")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = list(table.groupby(["lesson", "question"], sort=False))
    n = len(groups)
    cols = min(3, n)
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.4 * rows), squeeze=False)
    for ax, ((lesson_id, qid), g) in zip(axes.ravel(), groups, strict=False):
        lesson = _lookup(str(lesson_id), lessons).localized(lang)
        q = lesson.question(str(qid))
        title = f"{qid}: {metric_label(q.metric, lang)}\n{when(q.tick, lang)}"
        if q.kind == "value":
            p = g["prediction"].dropna().astype(float).to_numpy()
            o = g["observed"].dropna().astype(float).to_numpy()
            rng = np.random.default_rng(0)
            ax.scatter(np.zeros(p.size) + rng.uniform(-0.15, 0.15, p.size), p, alpha=0.7, label=predicted)
            ax.scatter(np.ones(o.size) + rng.uniform(-0.15, 0.15, o.size), o, marker="D", color="black", label=outcome)
            ax.set_xticks([0, 1], [predicted, outcome.split(" (")[0]])
            ax.set_xlim(-0.6, 1.6)
            ax.set_ylabel(q.display_unit)
        else:
            opts = lesson.options(str(qid))
            keys = [o.key for o in opts]
            pc = g["prediction"].value_counts()
            oc = g["observed"].value_counts()
            x = np.arange(len(keys))
            ax.bar(x - 0.2, [int(pc.get(k, 0)) for k in keys], width=0.4, label=predicted)
            ax.bar(x + 0.2, [int(oc.get(k, 0)) for k in keys], width=0.4, color="black", label=outcome)
            short = [o.label if o.key == SAME else o.label.replace(" higher" if en else " hoger", "") for o in opts]
            ax.set_xticks(x, [textwrap.fill(s, 16) for s in short], fontsize=8)
            ax.set_ylabel("students" if en else "aantal studenten")
        ax.set_title(title, fontsize=9)
        ax.legend(fontsize=7)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def write_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Save the class table as .csv (default), .md or .json, chosen by the file extension; text that a
    spreadsheet would run as a formula, and `|` in Markdown cells, are escaped (`buurtsim.escape`)."""
    out = Path(path)
    if not out.parent.is_dir():
        raise CollectError(f"{out}: folder {out.parent} does not exist")
    suffix = out.suffix.lower()
    if suffix == ".md":
        out.write_text(_markdown(table), encoding="utf-8")
    elif suffix == ".json":
        out.write_text(table.to_json(orient="records", force_ascii=False, indent=2), encoding="utf-8")
    elif suffix in (".csv", ""):
        csv_frame(table).to_csv(out, index=False)
    else:
        raise CollectError(f"{out}: unknown output format {suffix!r}; use .csv, .md or .json")
    return out


def _markdown(table: pd.DataFrame) -> str:
    cols = list(table.columns)
    lines = ["| " + " | ".join(md_cell(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    for _, r in table.iterrows():
        lines.append("| " + " | ".join("" if pd.isna(v) else md_cell(v) for v in r.tolist()) + " |")
    return "\n".join(lines) + "\n"
