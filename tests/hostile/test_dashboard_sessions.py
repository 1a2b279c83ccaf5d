"""A real dashboard server releases a session's memory once its page closes (or its connection is
gone for DASHBOARD_IDLE_RELEASE), and shares its cores between sessions."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, expect
from tests.dashboard.conftest import _buurtsim_command, artifacts, browser_type_launch_args, free_port  # noqa: F401 (fixtures)

from buurtsim.cli.dashboard_cmds import solara_env
from buurtsim.dashboard.load import STEP_SLOTS, step_slot
from buurtsim.limits import DASHBOARD_IDLE_RELEASE

N = 8000  # residents per explore model: large enough that a session's memory is plain to see


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, in MB (from /proc)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                with contextlib.suppress(OSError):
                    todo.extend(int(c) for c in (task / "children").read_text().split())
    return total / 1024


@pytest.fixture
def server(artifacts: Path) -> Iterator[tuple[str, int]]:  # noqa: F811 (the imported fixture)
    port = free_port()
    log = (artifacts / f"sessions-{port}.log").open("w")
    env = {**os.environ, "BUURTSIM_DASHBOARD_N": str(N), "SOLARA_KERNEL_CULL_TIMEOUT": "5s"}
    proc = subprocess.Popen([*_buurtsim_command(), "dashboard", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    break
            assert time.monotonic() < deadline and proc.poll() is None, "the server did not start"
            time.sleep(0.5)
        yield url, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.mark.browser
@pytest.mark.slow
def test_closing_pages_releases_their_sessions(browser: Browser, server: tuple[str, int]) -> None:
    url, pid = server

    def open_pages(n: int) -> list[BrowserContext]:
        contexts = [browser.new_context() for _ in range(n)]
        for ctx in contexts:
            page = ctx.new_page()
            page.goto(url)
            expect(page.locator(".bs-explore-week")).to_contain_text("Week 0 van", timeout=120_000)
        return contexts

    for ctx in open_pages(1):  # the first page imports and compiles what every session shares
        ctx.close()
    time.sleep(15)
    before = _rss_mb(pid)
    contexts = open_pages(3)
    busy = _rss_mb(pid)
    assert busy - before > 60, f"three sessions should hold memory: {before:.0f} -> {busy:.0f} MB"
    contexts[0].pages[0].close()  # a closed tab
    for ctx in contexts[1:]:
        ctx.close()  # the browser went away: released after the idle time
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _rss_mb(pid) - before > (busy - before) / 2:
        time.sleep(1)
    after = _rss_mb(pid)
    assert after - before <= (busy - before) / 2, f"memory not released: {before:.0f} -> {busy:.0f} -> {after:.0f} MB"
    contexts[0].close()


def test_the_server_releases_idle_sessions_within_minutes() -> None:
    env = solara_env({})
    assert env["SOLARA_KERNEL_CULL_TIMEOUT"] == DASHBOARD_IDLE_RELEASE == "2m"
    assert solara_env({"SOLARA_KERNEL_CULL_TIMEOUT": "30s"})["SOLARA_KERNEL_CULL_TIMEOUT"] == "30s"


def test_steps_take_turns() -> None:
    """However many sessions step at once, at most STEP_SLOTS weeks are computed together."""
    inside = 0
    most = 0
    lock = threading.Lock()

    def session() -> None:
        nonlocal inside, most
        for _ in range(20):
            with step_slot():
                with lock:
                    inside += 1
                    most = max(most, inside)
                time.sleep(0.001)
                with lock:
                    inside -= 1

    threads = [threading.Thread(target=session) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert 1 <= most <= STEP_SLOTS


def test_release_stops_playing_and_drops_every_model() -> None:
    import weakref

    from buurtsim.dashboard.state import Session

    session = Session(n_residents=40)
    first = weakref.ref(session.explore.run.value.model)
    session.explore.reset()
    session.compare.reset()
    models = [weakref.ref(session.explore.run.value.model), weakref.ref(session.compare.comparison.value.a.model)]
    session.explore.playing.value = True
    session.compare.playing.value = True
    session.release()
    assert not session.explore.playing.value and not session.compare.playing.value
    import gc

    gc.collect()
    assert first() is None and all(m() is None for m in models)
