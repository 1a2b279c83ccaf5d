"""Classroom mode in real headless Chromium against a real `buurtsim klas` server on 127.0.0.1:
join, predict, the live class view, run, reveal, the record on disk after SIGTERM, isolation
between students, bad input, and no request leaving the machine."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("BUURTSIM_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RUN_MS = 240_000  # a run of les1 at N = 100 on a busy 2-core machine
ACT_MS = 30_000


@dataclass
class ClassServerInfo:
    url: str
    code: str
    lecturer_url: str
    out: Path
    proc: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": ARGS}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_class(tmp: Path, *extra: str) -> ClassServerInfo:
    port = free_port()
    out = tmp / "klas"
    log = tmp / "klas.log"
    exe = Path(sys.executable).with_name("buurtsim")
    proc = subprocess.Popen([str(exe), "klas", "les1", "--port", str(port), "--bewoners", "100", "--tegelijk", "2",
                             "--uit", str(out), *extra], stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        code = re.search(r"^Code: (\w+)$", text, re.M)
        lect = re.search(r"^Docent: (\S+)$", text, re.M)
        if code and lect:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5):
                    return ClassServerInfo(f"http://127.0.0.1:{port}/", code.group(1), lect.group(1), out, proc, log)
            except OSError:
                pass
        if proc.poll() is not None:
            pytest.fail(f"klas exited early:\n{text}")
        time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail("klas did not start")


def stop(info: ClassServerInfo, sig: int = signal.SIGTERM) -> int:
    os.killpg(info.proc.pid, sig)
    try:
        return info.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(info.proc.pid, signal.SIGKILL)
        raise


@pytest.fixture
def klas(tmp_path: Path) -> Iterator[ClassServerInfo]:
    info = start_class(tmp_path)
    yield info
    if info.proc.poll() is None:
        stop(info)


def is_local(url: str) -> bool:
    p = urlparse(url)
    return p.scheme in ("data", "blob", "about") or p.hostname in ("127.0.0.1", "localhost")


def record_requests(ctx: BrowserContext, seen: list[str]) -> None:
    ctx.on("request", lambda r: seen.append(r.url))


def join(page: Page, info: ClassServerInfo, nick: str, code: str | None = None) -> None:
    page.goto(info.url)
    page.locator("#code").fill(code or info.code)
    page.locator("#nick").fill(nick)
    page.locator("#join-button").click()


def predict_all(page: Page) -> None:
    expect(page.locator("#q-v1")).to_be_visible(timeout=ACT_MS)
    page.locator("#q-v1 input[value='carrousel']").check()
    expect(page.locator("#q-v1 .msg")).to_have_text(re.compile("bewaard|saved"), timeout=ACT_MS)
    page.locator("#q-v2 input.pred").fill("veel")
    page.locator("#q-v2 input.pred").press("Tab")
    expect(page.locator("#q-v2 .msg")).to_contain_text("verwacht een getal", timeout=ACT_MS)
    page.locator("#q-v2 input.pred").fill("20")
    page.locator("#q-v2 input.pred").press("Tab")
    expect(page.locator("#q-v2 .msg")).to_have_text("bewaard", timeout=ACT_MS)
    for qid, key in (("v3", "geen"), ("v4", "presentie"), ("v5", "gelijk")):
        page.locator(f"#q-{qid} input[value='{key}']").check()
        expect(page.locator(f"#q-{qid} .msg")).to_have_text("bewaard", timeout=ACT_MS)


def test_a_class_joins_predicts_runs_and_sees_the_reveal(klas: ClassServerInfo, context: BrowserContext,
                                                         page: Page, tmp_path: Path) -> None:
    seen: list[str] = []
    record_requests(context, seen)
    browser = context.browser
    assert browser is not None
    lecturer_ctx = browser.new_context()
    bram_ctx = browser.new_context()
    record_requests(lecturer_ctx, seen)
    record_requests(bram_ctx, seen)
    try:
        lecturer = lecturer_ctx.new_page()
        lecturer.goto(klas.lecturer_url)
        expect(lecturer.locator("#code")).to_have_text(klas.code, timeout=ACT_MS)
        assert "token=" not in lecturer.url, "the lecturer's token leaves the address bar"
        # a wrong code, then Anna joins
        join(page, klas, "Anna", code="WRONG9")
        expect(page.locator("#join-error")).to_contain_text("code klopt niet", timeout=ACT_MS)
        join(page, klas, "Anna")
        expect(page.locator("#hello")).to_contain_text("Anna", timeout=ACT_MS)
        # the same nickname again is refused with a clear message
        bram = bram_ctx.new_page()
        join(bram, klas, "anna")
        expect(bram.locator("#join-error")).to_contain_text("al in gebruik", timeout=ACT_MS)
        join(bram, klas, "Bram")
        expect(bram.locator("#hello")).to_contain_text("Bram", timeout=ACT_MS)
        expect(lecturer.locator("#overview")).to_contain_text("Aangemeld: 2", timeout=ACT_MS)
        # predictions arrive live in the lecturer's view
        predict_all(page)
        expect(lecturer.locator("#dist-v1 .row[data-key='carrousel'] .cnt")).to_have_text(" 1", timeout=ACT_MS)
        bram.locator("#q-v1 input[value='geen']").check()
        expect(lecturer.locator("#dist-v1 .row[data-key='geen'] .cnt")).to_have_text(" 1", timeout=ACT_MS)
        expect(lecturer.locator("#dist-v1 .n")).to_contain_text("2 voorspellingen", timeout=ACT_MS)
        expect(lecturer.locator("#dist-v2")).to_contain_text("mediaan 20", timeout=ACT_MS)
        # Bram cannot run before predicting everything
        expect(bram.locator("#run")).to_be_disabled()
        # Anna runs; her predictions lock; she sees her outcomes
        page.locator("#run").click()
        expect(page.locator("#status")).to_contain_text(re.compile("wachtrij|draait|Klaar"), timeout=ACT_MS)
        expect(page.locator("#q-v2 input.pred")).to_be_disabled(timeout=ACT_MS)
        expect(page.locator("#status")).to_contain_text("Klaar", timeout=RUN_MS)
        expect(page.locator("#q-v1 .outcome.mine")).to_contain_text("uitkomst in jouw run", timeout=ACT_MS)
        # isolation: Bram sees none of Anna's outcomes, and his state names only him
        bram.wait_for_timeout(2500)
        assert bram.locator(".outcome.mine").count() == 0
        state = bram.evaluate("fetch('/api/student').then(r => r.json())")
        assert state["nickname"] == "Bram" and "Anna" not in json.dumps(state)
        # the lecturer reveals the model's outcome to everyone
        lecturer.locator("#reveal").click()
        expect(lecturer.locator("#dist-v1 .outcome")).to_contain_text("Model:", timeout=RUN_MS)
        expect(page.locator("#q-v1 .outcome.class")).to_contain_text("uitkomst volgens de docent", timeout=ACT_MS)
        expect(bram.locator("#q-v1 .outcome.class")).to_be_visible(timeout=ACT_MS)
        # the lecturer downloads the record
        with lecturer.expect_download(timeout=ACT_MS) as dl:
            lecturer.get_by_text("Klasverslag (CSV)").click()
        rows = list(csv.DictReader(Path(dl.value.path()).read_text(encoding="utf-8").splitlines()))
        assert {r["student"] for r in rows} == {"Anna", "Bram"}
        lecturer.screenshot(path=str(tmp_path / "lecturer.png"), full_page=True)
    finally:
        lecturer_ctx.close()
        bram_ctx.close()
    assert seen and all(is_local(u) for u in seen), sorted({u for u in seen if not is_local(u)})
    # SIGTERM: the server stops, and the record on disk has everything
    assert stop(klas) in (0, -signal.SIGTERM, 128 + signal.SIGTERM)
    [json_path] = klas.out.glob("klas-les1-*.json")
    record = json.loads(json_path.read_text(encoding="utf-8"))
    by_nick = {s["nickname"]: s for s in record["students"]}
    assert set(by_nick) == {"Anna", "Bram"}
    assert by_nick["Anna"]["predictions"]["v2"] == 20.0 and by_nick["Anna"]["run"] == "done"
    assert set(by_nick["Anna"]["observations"]) == {"v1", "v2", "v3", "v4", "v5"}
    assert by_nick["Bram"]["predictions"] == {"v1": "geen"} and record["revealed"]
    assert json_path.with_suffix(".csv").is_file() and json_path.with_suffix(".md").is_file()


def test_nothing_but_the_join_page_without_the_code(klas: ClassServerInfo) -> None:
    def status(path: str, method: str = "GET", data: bytes | None = None) -> int:
        req = urllib.request.Request(klas.url.rstrip("/") + path, method=method, data=data,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status if not resp.geturl().rstrip("/").endswith(klas.url.rstrip("/")) or path == "/" else 303
        except urllib.error.HTTPError as exc:
            return exc.code

    assert status("/") == 200
    assert status("/student") == 303  # redirected to the join page
    for path in ("/api/student", "/api/docent", "/api/docent/record.json", "/api/docent/record.csv", "/docent",
                 "/docent?token=wrong", "/static/x", "/../etc/passwd"):
        assert status(path) in (401, 403, 404), path
    assert status("/api/student/predict", "POST", b'{"question": "v1", "value": "geen"}') == 401
    assert status("/api/student/run", "POST", b"{}") == 401
    assert status("/api/docent/reveal", "POST", b"{}") == 403
    assert status("/join", "POST", b"x" * 10_000) == 400
    assert status("/join", "POST", b"[1, 2]") == 400


def test_binding_beyond_this_machine_needs_the_flag(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("buurtsim")
    done = subprocess.run([str(exe), "klas", "les1", "--host", "0.0.0.0", "--uit", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "--netwerk" in done.stderr
    assert not list(tmp_path.glob("*.json")), "nothing starts without the flag"


def test_ctrl_c_keeps_the_record(tmp_path: Path) -> None:
    info = start_class(tmp_path)
    data = json.dumps({"code": info.code, "nickname": "Cem"}).encode()
    req = urllib.request.Request(info.url + "join", data=data, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        cookie = resp.headers["set-cookie"].split(";")[0]
    req = urllib.request.Request(info.url + "api/student/predict", method="POST",
                                 data=b'{"question": "v2", "value": "33"}',
                                 headers={"Content-Type": "application/json", "Cookie": cookie})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200
    stop(info, signal.SIGINT)
    [path] = info.out.glob("klas-les1-*.json")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["students"][0]["nickname"] == "Cem" and record["students"][0]["predictions"] == {"v2": 33.0}
    assert "Bewaard:" in info.log.read_text(encoding="utf-8")
