"""Capacity of classroom mode: 30 real browser sessions take a whole lesson at once.

Starts `buurtsim klas LESSON` on 127.0.0.1, opens the lecturer's view and STUDENTS student pages
in Debian's chromium (Playwright, one browser context per student, so each has its own cookies),
and drives them all at the same time: join with a nickname, predict every question, start the
model, wait for the outcomes; then the lecturer reveals the model's outcome. Measures:

- the time for the whole class to join, and until the lecturer's view shows every prediction;
- per student, the wait from pressing "Start het model" to seeing the outcomes (queue + run);
- the server's memory (resident set of the server and its run workers together, sampled every
  0.5 s) before the class, at its peak, and at the end;
- the time for the reveal.

Usage:
    python benchmarks/bench_classroom.py                  # 30 students, les1, 300 residents
    python benchmarks/bench_classroom.py --students 10 --residents 200 --parallel 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM = os.environ.get("BUURTSIM_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, MiB (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(stat[1]), []).append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class MemorySampler(threading.Thread):
    """Samples the server tree's memory every half second; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop_flag = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop_flag.wait(0.5):
            self.peak = max(self.peak, tree_rss_mib(self.pid))


async def student(browser, url: str, code: str, nick: str, answers: dict[str, str], results: dict) -> None:
    """One student: join, predict, run, wait for the outcomes; records the wait."""
    from playwright.async_api import expect

    ctx = await browser.new_context(viewport={"width": 900, "height": 900})
    page = await ctx.new_page()
    try:
        await page.goto(url)
        await page.fill("#code", code)
        await page.fill("#nick", nick)
        await page.click("#join-button")
        await expect(page.locator("#hello")).to_contain_text(nick, timeout=120_000)
        results.setdefault("joined", []).append(time.perf_counter())
        for qid, ans in answers.items():
            box = page.locator(f"#q-{qid}")
            if await box.locator("input[type=radio]").count():
                await box.locator(f"input[value='{ans}']").check()
            else:
                await box.locator("input.pred").fill(ans)
                await box.locator("input.pred").press("Tab")
            await expect(box.locator(".msg")).to_have_text(re.compile("bewaard|saved"), timeout=120_000)
        results.setdefault("predicted", []).append(time.perf_counter())
        await expect(page.locator("#run")).to_be_enabled(timeout=60_000)
        pressed = time.perf_counter()
        await page.click("#run")
        await expect(page.locator("#status")).to_contain_text("Klaar", timeout=1_800_000)
        results.setdefault("waits", []).append(time.perf_counter() - pressed)
    except Exception as exc:  # a failing student is counted, the benchmark goes on
        results.setdefault("errors", []).append(f"{nick}: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await ctx.close()


async def drive(args: argparse.Namespace, url: str, code: str, lecturer_url: str, server_pid: int) -> dict:
    """The whole class at once, and the lecturer."""
    from playwright.async_api import async_playwright, expect

    from buurtsim.teaching import get_lesson

    lesson = get_lesson(args.lesson)
    answers = {}
    for q in lesson.questions:
        opts = lesson.options(q.id)
        answers[q.id] = opts[0].key if opts else "25"
    results: dict = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        lect_ctx = await browser.new_context()
        lect = await lect_ctx.new_page()
        await lect.goto(lecturer_url)
        started = time.perf_counter()
        tasks = [asyncio.create_task(student(browser, url, code, f"student{i:02d}", answers, results))
                 for i in range(args.students)]
        first_q = lesson.questions[-1].id
        await expect(lect.locator(f"#dist-{first_q} .n")).to_contain_text(f"{args.students} ",
                                                                          timeout=1_800_000)
        results["lecturer_all"] = time.perf_counter() - started
        await asyncio.gather(*tasks)
        results["class_done"] = time.perf_counter() - started
        reveal_start = time.perf_counter()
        await lect.click("#reveal")
        await expect(lect.locator(f"#dist-{first_q} .outcome")).to_be_visible(timeout=1_800_000)
        results["reveal"] = time.perf_counter() - reveal_start
        results["started"] = started
        await browser.close()
    return results


def main() -> None:
    """Run the benchmark and print the figures (Markdown table rows for docs/teaching/)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--lesson", default="les1")
    ap.add_argument("--residents", type=int, default=300)
    ap.add_argument("--parallel", type=int, default=0, help="runs at once (0: one per core)")
    args = ap.parse_args()
    port = free_port()
    out = Path(tempfile.mkdtemp(prefix="bench-klas-"))
    log = out / "klas.log"
    exe = Path(sys.executable).with_name("buurtsim")
    proc = subprocess.Popen([str(exe), "klas", args.lesson, "--port", str(port), "--bewoners", str(args.residents),
                             "--tegelijk", str(args.parallel), "--uit", str(out)],
                            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            text = log.read_text() if log.exists() else ""
            code, lect = re.search(r"^Code: (\w+)$", text, re.M), re.search(r"^Docent: (\S+)$", text, re.M)
            if code and lect:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"klas did not start:\n{text}")
            time.sleep(0.3)
        time.sleep(1.0)
        idle = tree_rss_mib(proc.pid)
        sampler = MemorySampler(proc.pid)
        sampler.start()
        load_before = os.getloadavg()[0]
        res = asyncio.run(drive(args, f"http://127.0.0.1:{port}/", code.group(1), lect.group(1), proc.pid))
        sampler.stop_flag.set()
        end_mem = tree_rss_mib(proc.pid)
        load_after = os.getloadavg()[0]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    waits = sorted(res.get("waits", []))
    joined = res.get("joined", [])
    print(f"students: {args.students}, lesson {args.lesson}, {args.residents} residents per run, "
          f"parallel {args.parallel or os.cpu_count()}, {os.cpu_count()} cores, load {load_before:.2f} -> {load_after:.2f}")
    print(f"all joined after: {max(joined) - res['started']:.1f} s" if joined else "nobody joined")
    print(f"lecturer view shows every prediction after: {res['lecturer_all']:.1f} s")
    if waits:
        print(f"wait from 'run' to outcomes: min {waits[0]:.1f} s, median {statistics.median(waits):.1f} s, "
              f"max {waits[-1]:.1f} s ({len(waits)} students)")
    print(f"whole class done after: {res['class_done']:.1f} s; reveal took {res['reveal']:.1f} s")
    print(f"server memory (server + run workers): idle {idle:.0f} MiB, peak {sampler.peak:.0f} MiB, end {end_mem:.0f} MiB")
    print(f"errors: {len(res.get('errors', []))}")
    for err in res.get("errors", [])[:5]:
        print("  ", err)
    records = list(out.glob("klas-*.json"))
    print(f"record: {records[0] if records else 'missing'}")


if __name__ == "__main__":
    main()
