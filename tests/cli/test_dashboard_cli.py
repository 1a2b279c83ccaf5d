"""`buurtsim dashboard` as a real process: `--port 0` prints the port it serves on, and SIGTERM
stops the Solara server it started too (no orphan left serving)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="POSIX signals")]
START_SECONDS = 120


def _command() -> list[str]:
    exe = Path(sys.executable).with_name("buurtsim")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from buurtsim.cli import main; main()"]


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
            return resp.status == 200
    except OSError:
        return False


def _accepts(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_port_zero_prints_the_real_port_and_sigterm_stops_the_server(tmp_path: Path) -> None:
    log = (tmp_path / "out.log").open("w+")
    proc = subprocess.Popen([*_command(), "dashboard", "--port", "0"], stdout=subprocess.PIPE, stderr=log, text=True)
    children: list[psutil.Process] = []
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert m, first
        port = int(m.group(1))
        assert port != 0
        deadline = time.monotonic() + START_SECONDS
        while not _answers(port):
            assert proc.poll() is None, f"dashboard exited early: {proc.returncode}"
            assert time.monotonic() < deadline, "the server did not answer on the printed port"
            time.sleep(0.5)
        children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "the dashboard runs its server as a child process"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        _gone, alive = psutil.wait_procs(children, timeout=20)
        assert not alive, f"left running after SIGTERM: {[p.pid for p in alive]}"
        assert not _accepts(port), "the port still answers after SIGTERM"
    finally:
        if proc.poll() is None:
            proc.kill()
        for child in children:
            with contextlib.suppress(psutil.Error):
                child.kill()
        log.close()
