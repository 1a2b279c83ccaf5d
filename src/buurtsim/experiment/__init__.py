"""Batch experiments: experiment files, paired seeds, backends (serial, process, dask), the results
store (manifest, Parquet, atomic writes, resume), comparison with uncertainty, reports, sensitivity.

    from buurtsim.experiment import load_experiment, run_experiment, compare_results, build_report
    exp = load_experiment("experiments/snel.toml")
    run_experiment(exp, "out/snel", backend="process")
    print(compare_results("out/snel").frame())
    build_report("out/snel")
"""

from buurtsim.experiment.batch import run_experiment
from buurtsim.experiment.compare import Comparison, compare_frame, compare_results
from buurtsim.experiment.report import build_report
from buurtsim.experiment.runner import RunResult, RunSpec, execute_run, plan_runs
from buurtsim.experiment.seeds import replication_seeds
from buurtsim.experiment.sensitivity import run_sensitivity
from buurtsim.experiment.spec import Experiment, ExperimentError, load_experiment, single_run_experiment
from buurtsim.experiment.store import ResultStore, load_manifest

__all__ = [
    "Comparison",
    "Experiment",
    "ExperimentError",
    "ResultStore",
    "RunResult",
    "RunSpec",
    "build_report",
    "compare_frame",
    "compare_results",
    "execute_run",
    "load_experiment",
    "load_manifest",
    "plan_runs",
    "replication_seeds",
    "run_experiment",
    "run_sensitivity",
    "single_run_experiment",
]
