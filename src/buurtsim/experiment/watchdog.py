"""Worker processes end when the process that started them is gone.

A worker of the process backend calls `watch_parent()` when it starts: a daemon thread checks
every `POLL_SECONDS` whether the worker's parent is still its parent, and ends the worker at once
when it is not (the parent was killed, even with `kill -9`, which no handler can catch). Without
it, orphaned workers would keep their memory (about 400 MB each) until they finish their queue.
"""

from __future__ import annotations

import os
import signal
import threading
import time

#: How often a worker checks that its parent still lives: a second is quick enough to free the
#: machine and costs nothing measurable.
POLL_SECONDS = 1.0


def _watch(parent: int, poll: float) -> None:
    while True:
        time.sleep(poll)
        if os.getppid() != parent:
            os._exit(1)  # no cleanup: nobody is left to receive this worker's results


def watch_parent(parent: int | None = None, poll: float = POLL_SECONDS) -> threading.Thread:
    """Start the daemon thread that ends this process when `parent` (default: the current parent)
    is no longer its parent; returns the thread. Pass the parent's pid from the parent: a worker
    whose parent died while it was still starting then ends too."""
    thread = threading.Thread(target=_watch, args=(os.getppid() if parent is None else parent, poll), name="buurtsim-parent-watch", daemon=True)
    thread.start()
    return thread


def worker_init(parent: int) -> None:
    """Initializer of process-backend workers (`initargs=(os.getpid(),)`): leave Ctrl-C to the
    parent and end with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_parent(parent)
