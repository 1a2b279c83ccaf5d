"""Opt-in timing of the dashboard's frames, for `benchmarks/bench_dashboard.py` and for anyone
checking a classroom server: with $BUURTSIM_FRAME_LOG set to a file path, every frame appends one
tab-separated line `what  tick  weeks  step_ms  frame_ms  frame_cpu_ms`, where step_ms is the
time spent simulating the frame's weeks, frame_ms the server's time to redraw the page for it
(drawing data, charts, Solara's render and sending the changes) and frame_cpu_ms the processor
time the redrawing thread used for that (the part that does not grow when other programs share
the cores). Unset, nothing is written."""

from __future__ import annotations

import os
import threading
from pathlib import Path

ENV = "BUURTSIM_FRAME_LOG"
_write_lock = threading.Lock()


def log_path() -> Path | None:
    """The file frames are logged to, or None when timing is off."""
    value = os.environ.get(ENV, "").strip()
    return Path(value) if value else None


def record(what: str, tick: int, weeks: int, step_s: float, frame_s: float, frame_cpu_s: float) -> None:
    """Append one frame's timings to the log file (no-op when timing is off)."""
    path = log_path()
    if path is None:
        return
    line = f"{what}\t{tick}\t{weeks}\t{1000 * step_s:.2f}\t{1000 * frame_s:.2f}\t{1000 * frame_cpu_s:.2f}\n"
    with _write_lock, path.open("a", encoding="utf-8") as fh:
        fh.write(line)
