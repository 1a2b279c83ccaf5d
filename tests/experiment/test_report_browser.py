"""The HTML report in a real browser (Debian's headless chromium through Playwright): the answer
section comes first and reads as sentences, every chart decodes to a real image, nothing is
requested from outside the file. Chromium is launched as in the dashboard tests (pytest-playwright
with executable_path /usr/bin/chromium). A screenshot goes to test-artifacts/report/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from tests.dashboard.conftest import browser_type_launch_args  # noqa: F401  (Debian's chromium, headless, as there)
from tests.experiment.conftest import write_experiment

from buurtsim.experiment import build_report, load_experiment, run_experiment

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    path = write_experiment(folder, names=("basis", "carrousel", "presentie"), replications=3, extra="final_residents = true\n")
    run_experiment(load_experiment(path), folder / "out", backend="serial")
    return build_report(folder / "out", lang="nl")


def test_report_renders_answer_and_charts_in_chromium(page: Page, report: Path) -> None:
    outside: list[str] = []
    page.set_viewport_size({"width": 1200, "height": 1600})
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else outside.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    answer = page.locator("#answer")
    assert answer.is_visible()
    assert answer.locator("h2").inner_text() == "Het antwoord"
    blocks = answer.locator(".answer")
    assert blocks.count() == 2  # carrousel and presentie against basis
    text = blocks.first.inner_text()
    assert "tegenover basis" in text and "afglijdende bewoner" in text and "bewonersjaren" in text
    # the answer comes before the appendix on the page
    assert answer.bounding_box()["y"] < page.locator("#appendix").bounding_box()["y"]  # type: ignore[index]
    assert page.locator("#difference-chart img").is_visible()
    sizes = page.eval_on_selector_all("img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert len(sizes) >= 8
    assert all(done and w > 300 and h > 100 for done, w, h in sizes), sizes
    assert page.locator("#mkba .mkba").count() == 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-answer.png"), clip={"x": 0, "y": 0, "width": 1200, "height": 1600})
    assert outside == []
