"""Sharing the server's cores and memory between dashboard sessions.

A whole class plays at once on one server. Every simulated week takes a step slot; there are as
many slots as cores, so at most that many weeks are computed at a time and the rest wait their
turn (one week each, so nobody waits long), while page loads and clicks, which need no slot, are
not starved by twenty busy threads competing for the interpreter.

When a session ends, its models are freed by Python, but the C allocator keeps the freed pages for
reuse, so the server would still look as big as at its busiest. `return_memory_later` collects
garbage and hands free pages back to the system a few seconds after a session ends.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


#: Weeks computed at the same time across all sessions of this server: one per core.
STEP_SLOTS = _cores()
_slots = threading.BoundedSemaphore(STEP_SLOTS)


@contextmanager
def step_slot() -> Iterator[None]:
    """Hold one of the server's step slots while simulating a week."""
    with _slots:
        yield


#: Seconds between a session's end and giving memory back: time for Solara to drop the session.
RETURN_MEMORY_AFTER = 5.0


def return_memory() -> bool:
    """Collect garbage and give free heap pages back to the system (glibc's malloc_trim); False
    where that call does not exist."""
    gc.collect()
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)
    return True


def return_memory_later(delay: float = RETURN_MEMORY_AFTER) -> threading.Timer:
    """Call `return_memory` after `delay` seconds, in a daemon thread; returns the timer."""
    timer = threading.Timer(delay, return_memory)
    timer.daemon = True
    timer.start()
    return timer
