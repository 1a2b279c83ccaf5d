"""The run queue of a class session: first come, first served, a fixed number of runs at a time,
one run per student, and a position each student can see.

Runs happen in worker processes (`spawn`, so the server's threads are never forked), so a slow run
never blocks the server and the machine's cores are used; `parallel` bounds the load, and the
lesson's size (residents) is fixed by the lecturer, so no student can ask for a bigger run.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

from buurtsim.teaching import Lesson, observe, run_lesson
from buurtsim.teaching.observe import Observation

REFERENCE = "__reference__"


def lesson_outcomes(lesson: Lesson, seed: int, n_residents: int) -> tuple[dict[str, Observation], float]:
    """Run a lesson's scenarios with one seed and read every question's outcome (in a worker)."""
    started = time.perf_counter()
    metrics = run_lesson(lesson, seed=seed, n_residents=n_residents)
    return observe(lesson, metrics), time.perf_counter() - started


class RunQueue:
    """Queued runs (by key: a student token, or REFERENCE), `parallel` at a time.

    `on_start(key)` and `on_done(key, outcomes, seconds)` / `on_fail(key, message)` report back.
    """

    def __init__(self, parallel: int, on_start: Callable[[str], None],
                 on_done: Callable[[str, dict[str, Observation], float], None],
                 on_fail: Callable[[str, str], None], executor: Executor | None = None) -> None:
        self.parallel = max(1, int(parallel))
        self.on_start, self.on_done, self.on_fail = on_start, on_done, on_fail
        self.executor = executor or ProcessPoolExecutor(max_workers=self.parallel,
                                                        mp_context=multiprocessing.get_context("spawn"))
        self.waiting: deque[tuple[str, tuple[Any, ...]]] = deque()
        self.running: set[str] = set()
        self.cond = threading.Condition()
        self.stopping = False
        self.threads = [threading.Thread(target=self._work, name=f"buurtsim-class-run-{i}", daemon=True)
                        for i in range(self.parallel)]
        for th in self.threads:
            th.start()

    def submit(self, key: str, lesson: Lesson, seed: int, n_residents: int, first: bool = False) -> int:
        """Queue a run; returns its position (1 = next). A key already queued or running is not queued twice."""
        with self.cond:
            if key in self.running:
                return 0
            for i, (k, _) in enumerate(self.waiting):
                if k == key:
                    return i + 1
            item = (key, (lesson, seed, n_residents))
            if first:
                self.waiting.appendleft(item)
            else:
                self.waiting.append(item)
            self.cond.notify()
            return self.position(key)

    def position(self, key: str) -> int:
        """1-based place in the queue, 0 when running or not queued."""
        with self.cond:
            for i, (k, _) in enumerate(self.waiting):
                if k == key:
                    return i + 1
            return 0

    def __len__(self) -> int:
        with self.cond:
            return len(self.waiting)

    def _work(self) -> None:
        while True:
            with self.cond:
                while not self.waiting and not self.stopping:
                    self.cond.wait()
                if self.stopping:
                    return
                key, args = self.waiting.popleft()
                self.running.add(key)
            try:
                self.on_start(key)
                outcomes, seconds = self.executor.submit(lesson_outcomes, *args).result()
            except Exception as exc:  # a failed run is reported to its student, the server goes on
                self.on_fail(key, f"{type(exc).__name__}: {exc}")
            else:
                self.on_done(key, outcomes, seconds)
            finally:
                with self.cond:
                    self.running.discard(key)

    def stop(self) -> None:
        """Stop taking runs and end the worker processes (queued runs are dropped)."""
        with self.cond:
            self.stopping = True
            self.waiting.clear()
            self.cond.notify_all()
        self.executor.shutdown(wait=False, cancel_futures=True)
