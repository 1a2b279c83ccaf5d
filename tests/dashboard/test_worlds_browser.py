"""The A/B tab's plausible worlds in real headless Chromium: a server given a small ensemble
($BUURTSIM_ENSEMBLE, the `worlds_url` fixture), the switch turned on, the band read back from the difference chart's pixels
and the one-line reading shown. (Without an ensemble: test_dashboard_browser.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_dashboard_browser import ACT_MS, LOAD_MS, drawn_frame, open_dashboard, seen  # noqa: F401  (seen: a fixture)

from buurtsim.dashboard.charts import BAND_ALPHA, BAND_COLOUR
from buurtsim.dashboard.worlds import WORLDS

pytestmark = pytest.mark.browser


# Pixels of the band's colour over the white plot (the see-through sky blue), read from the canvas.
BAND_PIXELS = """([id, want]) => {
  const c = document.querySelector(`canvas[data-testid='${id}']`);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - want[0]) < 5 && Math.abs(d[i + 1] - want[1]) < 5 && Math.abs(d[i + 2] - want[2]) < 5) n++;
  }
  return n;
}"""


def over_white(colour: str, alpha: float) -> list[int]:
    """The colour a see-through fill gives on white."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return [round(alpha * c + (1 - alpha) * 255) for c in rgb]


def test_switching_on_the_worlds_shows_the_band_and_the_reading(page: Page, worlds_url: str, seen: list[str],  # noqa: F811
                                                                artifacts: Path):
    want = over_white(BAND_COLOUR, BAND_ALPHA)
    open_dashboard(page, worlds_url)
    page.get_by_role("tab", name=re.compile("Vergelijken")).click()
    expect(page.locator("canvas[data-testid='difference']")).to_be_visible(timeout=LOAD_MS)
    for week in (1, 2):
        page.locator(".bs-compare-step").click()
        expect(page.locator(".bs-compare-week")).to_contain_text(f"Week {week} van", timeout=ACT_MS)
    drawn_frame(page, "difference")
    assert page.evaluate(BAND_PIXELS, ["difference", want]) == 0, "no band before the switch is on"
    assert page.locator(".bs-worlds-reading").count() == 0
    page.get_by_text(f"Onzekerheid tonen: {WORLDS} plausibele werelden").click()
    expect(page.locator(".bs-compare-week")).to_contain_text("Week 0 van", timeout=ACT_MS)  # starts again
    page.locator(".bs-compare-play").click()  # two years: the policies start after one, and the band needs width
    page.wait_for_function("() => parseInt(document.querySelector('.bs-compare-week').innerText.match(/\\d+/)[0]) >= 104",
                           timeout=ACT_MS * 4)
    page.locator(".bs-compare-pause").click()
    expect(page.locator(".bs-compare-play")).to_be_visible(timeout=ACT_MS)
    week = int(re.search(r"(\d+)", page.locator(".bs-compare-week").inner_text()).group(1))
    reading = page.locator(".bs-worlds-reading")
    expect(reading).to_contain_text(re.compile(rf"Week {week}: in \d van de {WORLDS} plausibele werelden"), timeout=ACT_MS)
    drawn_frame(page, "difference")
    band = page.evaluate(BAND_PIXELS, ["difference", want])
    box = page.locator("canvas[data-testid='difference']").bounding_box()
    assert box is not None
    assert band > 0.005 * box["width"] * box["height"], f"the band covers only {band} pixels"
    page.screenshot(path=str(artifacts / "dashboard-worlds.png"), full_page=True)
    page.locator("canvas[data-testid='difference']").screenshot(path=str(artifacts / "dashboard-worlds-band.png"))
    page.get_by_text(f"Onzekerheid tonen: {WORLDS} plausibele werelden").click()  # off again: no band
    expect(page.locator(".bs-worlds-reading")).to_have_count(0, timeout=ACT_MS)
    page.locator(".bs-compare-step").click()
    expect(page.locator(".bs-compare-week")).to_contain_text("Week 1 van", timeout=ACT_MS)
    drawn_frame(page, "difference")
    assert page.evaluate(BAND_PIXELS, ["difference", want]) == 0
