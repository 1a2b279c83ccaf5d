"""Fixtures for the dashboard tests.

- Component tests render the page with `solara.render` (no browser) at N≈200.
- Browser tests (`@pytest.mark.browser`) start a real `buurtsim dashboard` server on a free port
  and drive Debian's `/usr/bin/chromium` through pytest-playwright (Playwright's own browser
  download does not work here). Screenshots and the server log go to `test-artifacts/dashboard/`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("BUURTSIM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "dashboard"
SERVER_START_SECONDS = 120
BROWSER_N = 200  # residents per model in the browser tests (the machine is shared)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and logs (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's chromium, headless, with nothing that phones home."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: run `make browser` (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _buurtsim_command() -> list[str]:
    exe = Path(sys.executable).with_name("buurtsim")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("buurtsim")
    return [found] if found else [sys.executable, "-c", "from buurtsim.cli import main; main()"]


@pytest.fixture(scope="module")
def dashboard_url(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `buurtsim dashboard` on a free port (stopped after the module's tests). It runs
    without an ensemble of plausible worlds (a file that does not exist), so the tests do not
    depend on whether one is shipped."""
    absent = tmp_path_factory.mktemp("no-ensemble") / "absent.json"
    yield from serve_dashboard(artifacts, {"BUURTSIM_ENSEMBLE": str(absent)})


@pytest.fixture(scope="module")
def worlds_url(artifacts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `buurtsim dashboard` whose sessions find a small ensemble (four members) of plausible worlds."""
    from tests.experiment.conftest import write_ensemble

    path = write_ensemble(tmp_path_factory.mktemp("ensemble") / "klein.json", 4)
    yield from serve_dashboard(artifacts, {"BUURTSIM_ENSEMBLE": str(path)})


def serve_dashboard(artifacts: Path, extra_env: dict[str, str]) -> Iterator[str]:
    """Start `buurtsim dashboard` with `extra_env`, yield its URL once it answers, stop it after."""
    port = free_port()
    log_path = artifacts / f"server-{port}.log"
    log = log_path.open("w")
    env = {**os.environ, "BUURTSIM_DASHBOARD_N": str(BROWSER_N), **extra_env}
    proc = subprocess.Popen(
        [*_buurtsim_command(), "dashboard", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + SERVER_START_SECONDS
    try:
        while True:
            if proc.poll() is not None:
                log.flush()
                pytest.fail(f"dashboard server exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"dashboard server did not answer within {SERVER_START_SECONDS} s")
            time.sleep(0.5)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        text = log_path.read_text()
        assert "Could not load URL" not in text, f"the server tried to fetch an asset from outside:\n{text[-3000:]}"
