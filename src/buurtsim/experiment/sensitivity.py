"""Global sensitivity analysis with SALib over the parameter ranges of an experiment's
`[sensitivity]` table: Morris screening (default) or Sobol indices (first order and total).

Each sample point is run with the same replication seeds (common random numbers), so the
differences between points come from the parameters, not from chance; the output is the mean over
those replications of one metric at one moment (default: mean self-reliance at the end).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from buurtsim.errors import UserError
from buurtsim.experiment.backends import check_backend, execute
from buurtsim.experiment.integrity import read_manifest_file
from buurtsim.experiment.runner import RunResult, RunSpec
from buurtsim.experiment.seeds import aux_seed, replication_seeds
from buurtsim.experiment.spec import Experiment, SensitivityTable, cast_param, parse_moment, resolve_moment
from buurtsim.experiment.store import atomic_path, now, versions, write_json
from buurtsim.safe_io import check_output_dir

Listener = Callable[[str, dict[str, Any]], None]


class SensitivityFailed(Exception):
    """Some model runs of the analysis failed, so no indices can be computed."""


@dataclass
class SensitivityResult:
    """The indices (one row per parameter), the samples and where the files were written."""

    method: str
    output: str
    indices: pd.DataFrame
    samples: pd.DataFrame
    files: dict[str, Path]


def problem(table: SensitivityTable) -> dict[str, Any]:
    """The SALib problem: parameter names and bounds."""
    names = list(table.ranges)
    return {"num_vars": len(names), "names": names, "bounds": [list(table.ranges[n]) for n in names]}


def sample(table: SensitivityTable, method: str, samples: int, master_seed: int) -> np.ndarray:
    """Sample points (rows) over the ranges, seeded from the master seed."""
    prob = problem(table)
    seed = aux_seed(master_seed, "sensitivity") % (2**32)
    if method == "morris":
        from SALib.sample import morris as morris_sample

        return morris_sample.sample(prob, samples, num_levels=table.levels, seed=seed)
    from SALib.sample import sobol as sobol_sample

    return sobol_sample.sample(prob, samples, calc_second_order=False, seed=seed)


def analyse(table: SensitivityTable, method: str, x: np.ndarray, y: np.ndarray, master_seed: int) -> pd.DataFrame:
    """Sensitivity indices per parameter as a DataFrame."""
    prob = problem(table)
    seed = aux_seed(master_seed, "sensitivity-analysis") % (2**32)
    if method == "morris":
        from SALib.analyze import morris as morris_analyze

        res = morris_analyze.analyze(prob, x, y, num_levels=table.levels, seed=seed)
        cols = ["mu", "mu_star", "mu_star_conf", "sigma"]
        df = pd.DataFrame({c: np.asarray(res[c], dtype=float) for c in cols}, index=prob["names"])
        return df.sort_values("mu_star", ascending=False)
    from SALib.analyze import sobol as sobol_analyze

    res = sobol_analyze.analyze(prob, y, calc_second_order=False, seed=seed)
    cols = ["S1", "S1_conf", "ST", "ST_conf"]
    df = pd.DataFrame({c: np.asarray(res[c], dtype=float) for c in cols}, index=prob["names"])
    return df.sort_values("ST", ascending=False)


def plan(exp: Experiment, table: SensitivityTable, x: np.ndarray) -> list[RunSpec]:
    """One run per sample point and replication (and the same for the `minus` scenario, paired)."""
    refs = [exp.scenario(table.scenario) if table.scenario else exp.scenarios[0]]
    if table.minus:
        refs.append(exp.scenario(table.minus))
    seeds = replication_seeds(exp.table.master_seed, table.replications)
    names = list(table.ranges)
    runs = []
    for i, row in enumerate(x):
        point = {n: cast_param(n, float(v)) for n, v in zip(names, row, strict=True)}
        overrides = {**exp.table.params, **point}
        for r, seed in enumerate(seeds):
            for ref in refs:
                runs.append(RunSpec(
                    run_id=f"{ref.name}__s{i:05d}__r{r:04d}", scenario=ref.name, scenario_obj=ref.scenario, replication=r,
                    seed=seed, ticks=exp.ticks_for(ref), point=i, overrides=tuple(sorted(overrides.items())),
                    n_residents=exp.table.n_residents, outputs=(table.output,),
                ))
    return runs


def output_label(table: SensitivityTable, scenario: str) -> str:
    """What is analysed: the metric, or the paired difference of two scenarios in it."""
    return f"{table.output} ({scenario} - {table.minus})" if table.minus else table.output


def _value(result: RunResult, metric: str, moment: tuple[str, int]) -> float:
    ts = result.timeseries
    assert ts is not None
    tick = resolve_moment(moment, int(ts["tick"].max()), result.funding_end)
    if tick is None:
        return float("nan")
    return float(ts.loc[ts["tick"] == tick, metric].iloc[0])


def figure(indices: pd.DataFrame, method: str, output: str) -> bytes:
    """A PNG of the indices: Morris mu* against sigma, or Sobol S1 and ST bars."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 0.4 * len(indices) + 2.5), layout="constrained")
    if method == "morris":
        ax.barh(indices.index, indices["mu_star"], xerr=indices["mu_star_conf"], color="#3b7dd8", alpha=0.8, label="mu*")
        ax.scatter(indices["sigma"], indices.index, color="#c0392b", zorder=3, label="sigma")
        ax.set_xlabel(f"effect on {output} over each range (mu*: mean |elementary effect|, sigma: interaction / non-linearity)")
    else:
        y = np.arange(len(indices))
        ax.barh(y - 0.2, indices["S1"], height=0.4, xerr=indices["S1_conf"], label="S1 (first order)", color="#3b7dd8")
        ax.barh(y + 0.2, indices["ST"], height=0.4, xerr=indices["ST_conf"], label="ST (total)", color="#e08e0b")
        ax.set_yticks(y, indices.index)
        ax.set_xlabel(f"share of the variance of {output}")
    ax.invert_yaxis()
    ax.legend(fontsize=8)
    ax.set_title(f"Gevoeligheid / sensitivity ({method}) of {output}", fontsize=11)
    ax.grid(alpha=0.3, axis="x")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96)
    plt.close(fig)
    return buf.getvalue()


def _own_identity(meta_path: Path) -> str | None:
    """The experiment identity in buurtsim's own sensitivity.json, or None when there is none."""
    try:
        data = read_manifest_file(meta_path) if meta_path.is_file() else None
    except UserError:
        return None
    if not isinstance(data, dict):
        return None
    identity = data.get("identity")
    return identity if isinstance(identity, str) and "indices" in data else None


def run_sensitivity(
    exp: Experiment,
    out: str | Path,
    *,
    method: str | None = None,
    samples: int | None = None,
    backend: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    listener: Listener | None = None,
) -> SensitivityResult:
    """Sample, run, analyse; write sensitivity.csv/.json/.png and the samples to `out`."""
    table = exp.spec.sensitivity
    if table is None:
        raise UserError(f"{exp.path}: has no 'sensitivity' table; add one with the parameter ranges to analyse (example: experiments/gevoeligheid.toml)")
    if exp.worlds is not None:  # silently dropping the ensemble would analyse another question
        raise UserError(f"{exp.path}: experiment.uncertainty: a sensitivity analysis samples the ranges in [sensitivity], not an ensemble's "
                        "plausible worlds; expected no 'uncertainty' in a file for `buurtsim sensitivity` (use `buurtsim discover` over the worlds)")
    check_backend(backend, workers, scheduler)
    method = method or table.method
    if method not in ("morris", "sobol"):
        raise UserError(f"--method: expected morris or sobol; given: {method!r}")
    n = samples or table.samples
    if n < 2:
        raise UserError(f"--samples: expected at least 2; given: {n}")
    out = Path(out)
    meta_path = out / "sensitivity.json"
    old = _own_identity(meta_path)
    if old is None and out.is_dir() and any(out.iterdir()):
        raise UserError(f"{out}: directory is not empty and holds no buurtsim sensitivity analysis; buurtsim writes only into an "
                        "empty or new folder or its own results (--force does not change this); choose another --out directory")
    if old is not None and old != exp.identity() and not force:
        raise UserError(f"{out}: holds a sensitivity analysis of another experiment; choose another --out directory or add --force")
    check_output_dir(out)
    x = sample(table, method, n, exp.table.master_seed)
    runs = plan(exp, table, x)
    moment = parse_moment(table.at)
    notify = listener or (lambda event, data: None)
    notify("start", {"total": len(runs), "todo": len(runs), "done": 0})
    y_runs = np.full((x.shape[0], table.replications), np.nan)
    y_minus = np.zeros_like(y_runs) if table.minus is None else np.full_like(y_runs, np.nan)
    errors: list[str] = []
    started = now()
    for k, result in enumerate(execute(backend, runs, workers=workers, scheduler=scheduler), start=1):
        name, point, rep = result.run_id.rsplit("__", 2)
        i, r = int(point[1:]), int(rep[1:])
        if result.status == "done":
            target = y_minus if table.minus is not None and name == table.minus else y_runs
            target[i, r] = _value(result, table.output, moment)
        else:
            errors.append(f"{result.run_id}: {(result.error or '').strip().splitlines()[-1:]}")
        notify("run", {"result": result, "done": k, "total": len(runs)})
    if errors:
        raise SensitivityFailed(f"{len(errors)} of {len(runs)} runs failed, so no indices were computed; first: {errors[0]}")
    if np.isnan(y_runs).any() or np.isnan(y_minus).any():
        raise UserError(f"sensitivity.at = {table.at!r}: this moment does not exist in every run (e.g. no end of funding); choose 'end' or a week number")
    y = (y_runs - y_minus).mean(axis=1)
    indices = analyse(table, method, x, y, exp.table.master_seed)
    label = output_label(table, runs[0].scenario)
    samples_df = pd.DataFrame(x, columns=list(table.ranges))
    samples_df["output"] = y
    files = {"csv": out / "sensitivity.csv", "json": meta_path, "png": out / "sensitivity.png", "samples": out / "sensitivity_samples.parquet"}
    with atomic_path(files["csv"]) as tmp:
        indices.rename_axis("parameter").to_csv(tmp)
    with atomic_path(files["png"]) as tmp:
        tmp.write_bytes(figure(indices, method, label))
    with atomic_path(files["samples"]) as tmp:
        samples_df.to_parquet(tmp, index=False)
    write_json(meta_path, {
        "experiment": exp.name, "file": str(exp.path), "identity": exp.identity(), "method": method, "samples": n,
        "runs": len(runs), "output": table.output, "minus": table.minus, "at": table.at, "scenario": runs[0].scenario,
        "replications": table.replications,
        "master_seed": exp.table.master_seed, "problem": problem(table), "started": started, "finished": now(), "versions": versions(),
        "indices": json.loads(indices.rename_axis("parameter").reset_index().to_json(orient="records")),
    })
    return SensitivityResult(method=method, output=label, indices=indices, samples=samples_df, files=files)
