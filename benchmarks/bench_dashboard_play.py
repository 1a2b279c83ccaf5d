"""How long the dashboard takes to play a full run at its default speed, in a real browser.

Starts `buurtsim dashboard` on 127.0.0.1 with N residents per model, opens it in Debian's
chromium (Playwright), presses Play on the Verkennen tab and waits until the week counter reaches
the horizon (520 weeks). Prints the wall-clock seconds and the load average around it.

Usage:
    python benchmarks/bench_dashboard_play.py            # N = 2,000, default speed
    python benchmarks/bench_dashboard_play.py --n 1000 --speed 4
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("BUURTSIM_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(n: int, port: int) -> subprocess.Popen[bytes]:
    """`buurtsim dashboard` in its own process group, answered once it serves the page."""
    exe = Path(sys.executable).with_name("buurtsim")
    env = {**os.environ, "BUURTSIM_DASHBOARD_N": str(n)}
    proc = subprocess.Popen([str(exe), "dashboard", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                return proc
        except OSError:
            time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("the dashboard did not start within 180 s")


def main() -> None:
    """Play one run to the end and print how long it took."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="residents per model (default 2,000)")
    ap.add_argument("--speed", type=int, default=None, help="weeks per frame (default: the dashboard's default)")
    args = ap.parse_args()
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    proc = start_server(args.n, port)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/")
            week = page.locator(".bs-explore-week")
            expect(week).to_contain_text("Week 0 van", timeout=180_000)
            if args.speed is not None:
                page.locator(".v-select").filter(has_text="Snelheid").click()
                page.get_by_role("option", name=str(args.speed), exact=True).click()
            horizon = int(re.findall(r"\d+", week.inner_text())[1])
            load_before = os.getloadavg()
            started = time.perf_counter()
            page.locator(".bs-explore-play").click()
            expect(week).to_contain_text(f"Week {horizon} van", timeout=900_000)
            seconds = time.perf_counter() - started
            browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    print(f"N = {args.n}, {horizon} weeks, speed {args.speed or 'default'}: {seconds:.1f} s "
          f"(load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
