"""The lesson mode in real headless Chromium against a real `buurtsim dashboard` server: open the
Les tab, choose lesson 1, enter a name and a prediction for every question (one bad one first), run,
and download the prediction file. Every request must stay on 127.0.0.1 (the `seen` recorder)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_dashboard_browser import ACT_MS, is_local, open_dashboard, pick, seen  # noqa: F401 (seen is a fixture)

from buurtsim.teaching import collect, get_lesson, read

pytestmark = pytest.mark.browser

RUN_MS = 420_000  # lesson 1 runs three scenarios for 416 weeks each (200 residents, shared machine)


def test_lesson_predict_run_download(page: Page, dashboard_url: str, seen: list[str], artifacts: Path,  # noqa: F811
                                     tmp_path: Path):
    lesson = get_lesson("les1")
    open_dashboard(page, dashboard_url)
    page.get_by_role("tab", name="Les").click()
    pick(page, "Kies een les", re.compile(r"^\s*les1 —"))
    expect(page.locator(".bs-les-setup")).to_contain_text("elk 200 bewoners, 416 weken", timeout=ACT_MS)
    run = page.locator(".bs-les-run")
    expect(run).to_be_disabled()

    page.locator(".bs-les-name input").fill("Anna de Vries")
    page.locator(".bs-les-name input").press("Tab")
    page.locator(".bs-les-group input").fill("SW2B")
    page.locator(".bs-les-group input").press("Tab")
    for q in lesson.questions:
        if q.kind != "value":
            pick(page, f"{q.id}: jouw voorspelling", lesson.options(q.id)[0].label)
    value = page.locator(".bs-les-pred-v2 input")
    value.fill("veel")
    value.press("Enter")
    expect(page.locator(".bs-les-pred-v2")).to_contain_text("verwacht een getal", timeout=ACT_MS)
    expect(run).to_be_disabled()
    value.fill("35")
    value.press("Enter")
    expect(page.locator(".bs-les-pred-v2")).not_to_contain_text("verwacht een getal", timeout=ACT_MS)
    expect(run).to_be_enabled(timeout=ACT_MS)
    page.screenshot(path=str(artifacts / "lesson-predicted.png"), full_page=True)

    run.click()
    expect(page.locator(".bs-les-progress")).to_contain_text("Het model draait", timeout=ACT_MS)
    expect(page.locator(".bs-les-done")).to_be_visible(timeout=RUN_MS)
    for q in lesson.questions:
        expect(page.locator(f".bs-les-outcome-{q.id}")).to_contain_text("Het model:", timeout=ACT_MS)
    expect(page.locator("img[data-testid='lesson-series']")).to_be_visible()
    expect(page.locator(".bs-les-pred-v2 input")).to_be_disabled()
    explain = page.locator(".bs-les-answer-v1 textarea")
    explain.fill("Oplossen maakt afhankelijk; na het vertrek zakt het terug.")
    explain.press("Tab")
    page.wait_for_timeout(500)

    with page.expect_download(timeout=ACT_MS) as dl:
        page.locator(".bs-les-download button").click()
    assert dl.value.suggested_filename == "les1_anna-de-vries.json"
    folder = tmp_path / "inleveren"
    folder.mkdir()
    saved = folder / dl.value.suggested_filename
    dl.value.save_as(saved)
    rec = read(saved)
    assert rec.student == "Anna de Vries" and rec.group == "SW2B" and rec.lesson == "les1"
    assert rec.predictions["v2"].value == pytest.approx(35.0)
    assert set(rec.observations) == {q.id for q in lesson.questions}
    assert rec.run is not None and rec.run.weeks == lesson.run_weeks
    assert "afhankelijk" in rec.answers["v1"].text
    table = collect(folder)
    assert set(table["student"]) == {"Anna de Vries"} and table["observed"].notna().all()
    page.screenshot(path=str(artifacts / "lesson-done.png"), full_page=True)
    assert all(is_local(u) for u in seen)
