"""Run a whole experiment into a results directory: plan, skip what is done, execute on a backend,
store each run as it finishes, consolidate. Interrupted or failing runs never lose finished ones.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from buurtsim.errors import UserError
from buurtsim.experiment.backends import check_backend, default_workers, execute
from buurtsim.experiment.runner import RunResult, RunSpec, execute_run, plan_runs
from buurtsim.experiment.spec import Experiment
from buurtsim.experiment.store import ResultStore

Listener = Callable[[str, dict[str, Any]], None]


class StorageError(UserError):
    """The results directory could not be written; the batch stopped, finished runs are kept (exit 1)."""

    exit_code = 1


def run_experiment(
    exp: Experiment,
    out: str | Path,
    *,
    backend: str = "process",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    force: bool = False,
    listener: Listener | None = None,
    work: Callable[[RunSpec], RunResult] = execute_run,
) -> dict[str, Any]:
    """Run every missing run of `exp` into `out` and return the final manifest.

    `listener(event, info)` hears 'start' (total, todo, damaged: runs whose stored files failed their
    checksum and are run again) and 'run' (result, done, total) events.
    Ctrl-C stores what finished, marks the rest 'interrupted' and re-raises KeyboardInterrupt.
    """
    check_backend(backend, workers, scheduler)
    runs = plan_runs(exp)
    store = ResultStore(out)
    info = {"name": backend, "workers": (workers or default_workers()) if backend != "serial" else 1, "scheduler": scheduler}
    todo = store.prepare(exp, runs, resume=resume, force=force, backend=info)
    done_before = len(runs) - len(todo)
    notify = listener or (lambda event, data: None)
    notify("start", {"total": len(runs), "todo": len(todo), "done": done_before, "backend": info, "damaged": list(store.damaged)})
    store.mark_running([r.run_id for r in todo])
    finished = done_before
    try:
        for result in execute(backend, todo, work=work, workers=workers, scheduler=scheduler):
            store.record(result)
            finished += 1
            notify("run", {"result": result, "done": finished, "total": len(runs)})
            result.timeseries = result.residents = None  # keep nothing of a stored run in memory
    except KeyboardInterrupt:
        store.mark_unfinished("interrupted")
        store.finish("interrupted")
        raise
    except OSError as exc:  # the results directory cannot be written (full disk, removed, no permission)
        store.mark_unfinished("interrupted", f"stopped: could not write the results ({exc})")
        with contextlib.suppress(OSError):
            store.finish("interrupted")
        raise StorageError(
            f"{out}: could not write the results ({exc}); every run finished before this is kept. "
            "Make room (or fix the directory) and continue with --resume"
        ) from None
    store.mark_unfinished("not_run")
    counts = store.counts()
    store.finish("complete" if counts.get("done", 0) == len(runs) else "incomplete")
    return store.manifest
