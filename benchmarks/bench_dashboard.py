"""What a dashboard frame costs the server, and how long a ten-year run plays, in the real page.

Starts the real Solara server (`buurtsim dashboard`) on 127.0.0.1 with N residents per model and
$BUURTSIM_FRAME_LOG set, opens the page in Debian's chromium (Playwright, no browser download),
presses Play on the Verkennen tab at the default speed and waits until the week counter reaches
the horizon (520 weeks) and the browser has drawn the last frame. Reports the wall-clock time of
the run and, from the server's frame log (`buurtsim.dashboard.frame_log`), the median and worst
server time per frame (redrawing the page: network, charts, Solara's render), the processor time
of that redrawing (which other programs on the machine do not inflate) and the time spent
simulating each frame's weeks.

With `--baseline REF` the same is measured first for an older commit (its src/, scenarios/ and
docs/ unpacked into a temporary folder with `git archive` and served from there with this
environment); the old code has no frame log, so a small start-up hook (`sitecustomize`) times its
`Player.step` the same way. Both are printed side by side.

Usage:
    python benchmarks/bench_dashboard.py                       # N = 2,000, default speed
    python benchmarks/bench_dashboard.py --baseline fe3e710    # old (matplotlib PNG) vs now
    python benchmarks/bench_dashboard.py --n 1000 --speed 4 --screenshot /tmp/page.png
    python benchmarks/bench_dashboard.py --pieces             # the frame's pieces, no browser
    python benchmarks/bench_dashboard.py --worlds --n 1000    # A/B frame with the plausible worlds on vs off
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench_dashboard_play import free_port, start_server

CHROMIUM = os.environ.get("BUURTSIM_CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[1]

# Loaded at start-up of every Python process of an old checkout's server: times Player.step as
# the current code does (weeks simulated, then the redraw that the version bump triggers).
_HOOK = '''
import importlib.abc, importlib.machinery, os, sys, time

class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "buurtsim.dashboard.state":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)

            def step(self, weeks=None, stop=None):
                target = self.stepper()
                t0 = time.perf_counter()
                done = target.step(weeks or self.speed.value, stop)
                t1, c1 = time.perf_counter(), time.thread_time()
                self.version.value += 1
                t2, c2 = time.perf_counter(), time.thread_time()
                with open(os.environ["BUURTSIM_FRAME_LOG"], "a") as fh:
                    fh.write(f"{type(target).__name__}\\t{target.tick}\\t{done}\\t{1000*(t1-t0):.2f}\\t{1000*(t2-t1):.2f}"
                             f"\\t{1000*(c2-c1):.2f}\\n")
                if target.done:
                    self.playing.value = False
                return done

            module.Player.step = step

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _Finder())
'''


@dataclass
class Result:
    """One measured play-through."""

    label: str
    seconds: float
    frames: int
    frame_ms: list[float]
    cpu_ms: list[float]
    step_ms: list[float]
    load: tuple[float, float]

    def row(self) -> str:
        """A Markdown table row."""
        med = statistics.median(self.frame_ms) if self.frame_ms else float("nan")
        worst = max(self.frame_ms) if self.frame_ms else float("nan")
        cpu = statistics.median(self.cpu_ms) if self.cpu_ms else float("nan")
        step = statistics.median(self.step_ms) if self.step_ms else float("nan")
        return (f"| {self.label} | {med:.0f} ms | {cpu:.0f} ms | {worst:.0f} ms | {step:.0f} ms | {self.frames} "
                f"| {self.seconds:.1f} s | {self.load[0]:.2f} → {self.load[1]:.2f} |")


@contextlib.contextmanager
def server(n: int, log: Path, src: Path | None, hook_dir: Path | None) -> Iterator[int]:
    """`buurtsim dashboard` serving the page on a free port (from `src` when given), with the frame
    log on; started by `bench_dashboard_play.start_server`, whose environment it inherits."""
    extra = {"BUURTSIM_FRAME_LOG": str(log)}
    if src is not None:
        extra["PYTHONPATH"] = os.pathsep.join(str(p) for p in (hook_dir, src) if p is not None)
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        port = free_port()
        proc = start_server(n, port)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    try:
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def play(label: str, n: int, speed: int | None, src: Path | None = None, hook_dir: Path | None = None,
         screenshot: Path | None = None) -> Result:
    """Serve, open, press Play and wait for the last week; the server's frame log gives the costs."""
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "frames.tsv"
        with server(n, log, src, hook_dir) as port, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/")
            week = page.locator(".bs-explore-week")
            expect(week).to_contain_text("Week 0 van", timeout=180_000)
            if speed is not None:
                page.locator(".v-select").filter(has_text="Snelheid").click()
                page.get_by_role("option", name=str(speed), exact=True).click()
            horizon = int(re.findall(r"\d+", week.inner_text())[1])
            page.wait_for_timeout(1000)  # let the first page settle
            log.unlink(missing_ok=True)
            load_before = os.getloadavg()
            started = time.perf_counter()
            page.locator(".bs-explore-play").click()
            expect(week).to_contain_text(f"Week {horizon} van", timeout=1_800_000)
            canvas = page.locator("canvas[data-testid='network']")
            if canvas.count():  # wait until the browser has drawn the last frame
                page.wait_for_function("() => { const c = document.querySelector(\"canvas[data-testid='network']\");"
                                       " return c.dataset.frame === c.getAttribute('data-version'); }", timeout=60_000)
            seconds = time.perf_counter() - started
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=True)
            browser.close()
        rows = [line.split("\t") for line in log.read_text().splitlines()] if log.exists() else []
    runs = [r for r in rows if r[0] == "Run" and int(r[2]) > 0]
    return Result(label, seconds, len(runs), [float(r[4]) for r in runs], [float(r[5]) for r in runs],
                  [float(r[3]) for r in runs], (load_before[0], os.getloadavg()[0]))


def pieces(n: int, speed: int) -> None:
    """Without a browser: time the current code's per-frame pieces over a ten-year run (the
    network's frame data, the metrics table, the two Verkennen charts) and print the medians."""
    from buurtsim.dashboard import charts, netview, sources
    from buurtsim.dashboard.components import DEFAULT_SERIES
    from buurtsim.dashboard.runner import Run, settings_for

    run = Run(settings_for(sources.default_source(), n_residents=n))
    slots, _ = run.drawn_slots()
    started = time.perf_counter()
    layout = netview.layout_of(run.model.state, slots)
    layout.to_json()
    once = time.perf_counter() - started
    times: dict[str, list[float]] = {"network frame data": [], "metrics table": [], "outcomes chart": [],
                                     "categories chart": []}
    while not run.done:
        run.step(speed)
        for name, piece in (("network frame data", lambda: netview.frame_of(run.model, layout)),
                            ("metrics table", run.metrics),
                            ("outcomes chart", lambda: charts.series_chart(run.metrics(), DEFAULT_SERIES, run.timeline(),
                                                                           run.horizon)),
                            ("categories chart", lambda: charts.categories_chart(run.metrics(), run.horizon))):
            t0 = time.perf_counter()
            piece()
            times[name].append(time.perf_counter() - t0)
    print(f"layout, once per run: {1000 * once:.1f} ms")
    for name, values in times.items():
        print(f"{name}: median {1000 * statistics.median(values):.2f} ms, worst {1000 * max(values):.1f} ms")


def worlds_frames(n: int, speed: int, ensemble: str | None) -> None:
    """Without a browser: what an A/B frame costs the server with the plausible worlds switched off
    and on, over a ten-year run of the default pair: simulating the frame's weeks (2 models, or
    2 + 2 per world), and the band and reading the difference chart then needs. Prints medians."""
    from buurtsim.dashboard import charts, sources, worlds
    from buurtsim.dashboard.runner import Comparison
    from buurtsim.dashboard.state import default_pair

    found = worlds.find_worlds(ensemble)
    if found.worlds is None:
        raise SystemExit(found.message("en"))
    a, b = default_pair(sources.all_sources())
    metric = "mean_self_reliance"
    for label, on in (("off", False), ("on", True)):
        main = Comparison.of(a, b, seed=42, n_residents=n)
        target = worlds.WorldRuns.of(main, found.worlds) if on else main
        steps, extra = [], []
        while not target.done:
            t0 = time.perf_counter()
            target.step(speed)
            t1 = time.perf_counter()
            band = target.band(metric) if isinstance(target, worlds.WorldRuns) else None
            charts.difference_charts(main.a.metrics(), main.b.metrics(), metric, (main.a.timeline(), main.b.timeline()),
                                     main.horizon, band=band)
            if isinstance(target, worlds.WorldRuns):
                target.reading(metric)
            steps.append(t1 - t0)
            extra.append(time.perf_counter() - t1)
        models = 2 * (1 + (len(found.worlds.members) if on else 0))
        print(f"worlds {label} ({models} models of {n:,}): simulating a frame's {speed} weeks median "
              f"{1000 * statistics.median(steps):.0f} ms (worst {1000 * max(steps):.0f} ms), difference chart "
              f"(+ band and reading) median {1000 * statistics.median(extra):.1f} ms, {len(steps)} frames, "
              f"ten years {sum(steps) + sum(extra):.1f} s")
        target.release()


def baseline_checkout(ref: str, where: Path) -> Path:
    """The src/ folder of commit `ref`, unpacked into `where` with the scenarios and docs it reads
    (git archive: no worktree is made)."""
    where.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", ref, "src", "scenarios", "docs"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True)
    return where / "src"


def main() -> None:
    """Measure (the baseline and) the current dashboard and print a table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="residents per model (default 2,000)")
    ap.add_argument("--speed", type=int, default=None, help="weeks per frame (default: the dashboard's default)")
    ap.add_argument("--baseline", default=None, help="also measure this older commit (e.g. fe3e710)")
    ap.add_argument("--screenshot", type=Path, default=None, help="save a full-page screenshot of the current page")
    ap.add_argument("--pieces", action="store_true", help="only time the per-frame pieces, without server or browser")
    ap.add_argument("--worlds", action="store_true",
                    help="only time an A/B frame with the plausible worlds off and on, without server or browser")
    ap.add_argument("--ensemble", default=None,
                    help="with --worlds: the ensemble file (default: $BUURTSIM_ENSEMBLE or the shipped one)")
    args = ap.parse_args()
    if args.worlds:
        from buurtsim.dashboard.state import DEFAULT_SPEED

        worlds_frames(args.n, args.speed or DEFAULT_SPEED, args.ensemble)
        return
    if args.pieces:
        from buurtsim.dashboard.state import DEFAULT_SPEED

        pieces(args.n, args.speed or DEFAULT_SPEED)
        return
    results = []
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            hook_dir = Path(tmp) / "hook"
            hook_dir.mkdir()
            (hook_dir / "sitecustomize.py").write_text(_HOOK)
            src = baseline_checkout(args.baseline, Path(tmp) / "old")
            results.append(play(f"{args.baseline} (before)", args.n, args.speed, src, hook_dir))
    results.append(play("this checkout", args.n, args.speed, screenshot=args.screenshot))
    print(f"N = {args.n}, speed {args.speed or 'default'} weeks per frame, {os.cpu_count()} cores")
    print("| code | server per frame (median) | of which processor time (median) | worst frame "
          "| simulating the frame's weeks (median) | frames | ten-year run | load before → after |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(r.row())


if __name__ == "__main__":
    main()
