"""The run queue: first come first served, `parallel` at a time, one entry per student, a visible
position, the lecturer's reference run first, failures reported (a fake executor stands in for
the worker processes so the test controls when runs finish)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Executor, Future
from typing import Any

from buurtsim.classroom.runs import REFERENCE, RunQueue
from buurtsim.teaching import get_lesson


class GatedExecutor(Executor):
    """Runs nothing: each submitted run waits until the test releases it by key (its seed)."""

    def __init__(self) -> None:
        self.gates: dict[int, threading.Event] = {}
        self.fail: set[int] = set()

    def submit(self, fn: Any, *args: Any, **kwargs: Any) -> Future:  # type: ignore[override]
        seed = args[1]
        gate = self.gates.setdefault(seed, threading.Event())
        fut: Future = Future()

        def finish() -> None:
            gate.wait(10)
            if seed in self.fail:
                fut.set_exception(RuntimeError("boom"))
            else:
                fut.set_result(({}, 0.5))

        threading.Thread(target=finish, daemon=True).start()
        return fut

    def release(self, seed: int) -> None:
        self.gates.setdefault(seed, threading.Event()).set()


def wait_for(cond, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_queue_order_positions_one_entry_each_and_reference_first() -> None:
    events: list[tuple[str, str]] = []
    ex = GatedExecutor()
    q = RunQueue(1, lambda k: events.append(("start", k)), lambda k, o, s: events.append(("done", k)),
                 lambda k, m: events.append(("fail", k)), executor=ex)
    les = get_lesson("les1")
    try:
        assert q.submit("anna", les, 1, 100) in (0, 1)
        wait_for(lambda: ("start", "anna") in events)
        assert q.position("anna") == 0  # running
        assert q.submit("bram", les, 2, 100) == 1
        assert q.submit("cem", les, 3, 100) == 2
        assert q.submit("bram", les, 2, 100) == 1 and len(q) == 2  # one entry per student
        assert q.submit("anna", les, 1, 100) == 0  # running: not queued again
        assert q.submit(REFERENCE, les, 9, 100, first=True) == 1
        assert q.position("bram") == 2 and q.position("cem") == 3
        ex.fail.add(1)
        ex.release(1)
        wait_for(lambda: ("start", REFERENCE) in events)
        assert ("fail", "anna") in events and q.position("bram") == 1
        for seed in (9, 2, 3):
            ex.release(seed)
        wait_for(lambda: ("done", "cem") in events)
        starts = [k for e, k in events if e == "start"]
        assert starts == ["anna", REFERENCE, "bram", "cem"]
    finally:
        for seed in (1, 2, 3, 9):
            ex.release(seed)
        q.stop()


def test_parallel_runs_at_most_n_at_a_time() -> None:
    running: set[str] = set()
    peak = [0]
    lock = threading.Lock()

    def start(k: str) -> None:
        with lock:
            running.add(k)
            peak[0] = max(peak[0], len(running))

    def done(k: str, o: Any, s: float) -> None:
        with lock:
            running.discard(k)

    ex = GatedExecutor()
    q = RunQueue(2, start, done, lambda k, m: None, executor=ex)
    les = get_lesson("les1")
    try:
        for i in range(5):
            q.submit(f"s{i}", les, i, 100)
        wait_for(lambda: len(running) == 2)
        time.sleep(0.1)
        assert peak[0] == 2 and len(q) == 3
        for i in range(5):
            ex.release(i)
        wait_for(lambda: len(q) == 0 and not running)
        assert peak[0] == 2
    finally:
        for i in range(5):
            ex.release(i)
        q.stop()
