"""Where runs execute: in this process (serial), in local worker processes (process), or on a
dask.distributed cluster (dask). Every backend runs the same pure `execute_run`, so results are
identical; they differ only in where and how many at a time. Results come back as runs finish.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from buurtsim.errors import UserError
from buurtsim.experiment.runner import RunResult, RunSpec, execute_run
from buurtsim.experiment.watchdog import worker_init

BACKENDS = ("serial", "process", "dask")
Work = Callable[[RunSpec], RunResult]


def default_workers() -> int:
    """Worker count when none is given: every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_backend(backend: str, workers: int | None, scheduler: str | None) -> None:
    """Refuse impossible combinations with a clear message."""
    if backend not in BACKENDS:
        raise UserError(f"--backend: unknown backend '{backend}'; expected one of: {', '.join(BACKENDS)}")
    if workers is not None and workers < 1:
        raise UserError(f"--workers: expected a whole number of at least 1; given: {workers}")
    if scheduler is not None and backend != "dask":
        raise UserError("--scheduler only applies to --backend dask")
    if scheduler is not None and "://" not in scheduler:
        raise UserError(f"--scheduler: expected an address such as tcp://host:8786; given: {scheduler!r}")


def _failed(spec: RunSpec, error: str) -> RunResult:
    return RunResult(run_id=spec.run_id, status="failed", duration_s=0.0, error=error)


def run_serial(runs: list[RunSpec], work: Work = execute_run, **_: Any) -> Iterator[RunResult]:
    """One run after the other in this process."""
    for spec in runs:
        yield work(spec)


def run_process(runs: list[RunSpec], work: Work = execute_run, workers: int | None = None, **_: Any) -> Iterator[RunResult]:
    """Runs in a pool of fresh worker processes (spawned, so no state leaks from the parent).

    At most `2 x workers` runs are queued at once, so specs and results never pile up in memory.
    A worker that dies takes only its own run(s) down: they are reported failed and the pool is
    restarted for the rest. Workers end by themselves when this process dies (`watchdog`).
    """
    n = workers or default_workers()
    ctx = multiprocessing.get_context("spawn")
    todo = list(reversed(runs))
    while todo:
        pool = ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=worker_init, initargs=(os.getpid(),))
        pending: dict[Future[RunResult], RunSpec] = {}
        broken = False
        clean = False
        try:
            while todo or pending:
                while todo and len(pending) < 2 * n and not broken:
                    spec = todo.pop()
                    pending[pool.submit(work, spec)] = spec
                if not pending:
                    break
                finished, _running = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    spec = pending.pop(fut)
                    try:
                        result = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        result = _failed(spec, "the worker process stopped unexpectedly (killed, out of memory, or it could not start)")
                    yield result
                if broken and not pending:
                    break
            clean = True
        finally:
            if not clean:  # interrupted (Ctrl-C, or the consumer stopped): stop the workers now
                for proc in list(getattr(pool, "_processes", {}).values()):
                    proc.terminate()
            pool.shutdown(wait=clean and not broken, cancel_futures=True)
        if not broken:
            break


def run_dask(
    runs: list[RunSpec], work: Work = execute_run, workers: int | None = None, scheduler: str | None = None, **_: Any
) -> Iterator[RunResult]:
    """Runs on a dask.distributed cluster: the one at `scheduler`, or a LocalCluster of worker processes."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler:
            try:
                client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise UserError(f"--scheduler: cannot reach a dask scheduler at {scheduler} ({exc})") from None
        else:
            cluster = LocalCluster(
                n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=40,
            )
            client = Client(cluster)
        with client:
            # keep a bounded window of runs in flight, so a sweep of any size holds little memory here
            window = max(8, 4 * sum(client.nthreads().values()))
            todo = iter(runs)
            specs: dict[object, RunSpec] = {}  # by dask key
            pending = as_completed()

            def submit_next() -> None:
                spec = next(todo, None)
                if spec is not None:
                    fut = client.submit(work, spec, key=f"buurtsim-{spec.run_id}-{spec.seed}", pure=False)
                    specs[fut.key] = spec
                    pending.add(fut)

            for _slot in range(window):
                submit_next()
            for fut in pending:
                spec = specs.pop(fut.key)
                try:
                    result = fut.result()
                except Exception as exc:  # a killed worker, a lost connection
                    result = _failed(spec, f"dask could not run this run: {type(exc).__name__}: {exc}")
                fut.release()
                submit_next()
                yield result
    finally:
        if cluster is not None:
            cluster.close()


def execute(backend: str, runs: list[RunSpec], work: Work = execute_run, workers: int | None = None, scheduler: str | None = None) -> Iterator[RunResult]:
    """Results of `runs` on the chosen backend, in the order they finish."""
    fn = {"serial": run_serial, "process": run_process, "dask": run_dask}[backend]
    return fn(runs, work=work, workers=workers, scheduler=scheduler)
