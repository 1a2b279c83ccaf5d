"""The dashboard in real headless Chromium against a real `buurtsim dashboard` server.

Every test records every request the browser makes (pages, scripts, fonts, websockets) and fails
if one goes anywhere but 127.0.0.1. Screenshots land in test-artifacts/dashboard/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from dashboard_helpers import BAD, CAROUSEL
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

LOAD_MS = 90_000  # first page load (the server builds three models for the session)
ACT_MS = 45_000
VIEWPORT = {"width": 1500, "height": 1150}


def is_local(url: str) -> bool:
    """True for addresses on this machine (and in-page data: / blob: URLs)."""
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.hostname in ("127.0.0.1", "localhost", "::1")


@pytest.fixture
def seen(page: Page) -> Iterator[list[str]]:
    """All URLs the browser requested during the test; asserts afterwards that all were local."""
    urls: list[str] = []
    page.context.on("request", lambda r: urls.append(r.url))
    page.on("websocket", lambda ws: urls.append(ws.url))
    page.set_viewport_size(VIEWPORT)
    yield urls
    outside = sorted({u for u in urls if not is_local(u)})
    assert not outside, f"requests left the machine: {outside}"
    assert urls, "no requests recorded: the recorder is not working"


def open_dashboard(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".bs-explore-week")).to_contain_text("Week 0 van", timeout=LOAD_MS)


def week_of(page: Page, which: str = "explore") -> int:
    text = page.locator(f".bs-{which}-week").inner_text()
    return int(re.search(r"(\d+)", text).group(1))


def drawn_frame(page: Page, testid: str) -> int:
    """The frame a canvas has drawn, once the browser has drawn the latest one the server sent."""
    page.wait_for_function("id => { const c = document.querySelector(`canvas[data-testid='${id}']`);"
                           " return c && c.dataset.frame !== undefined && c.dataset.frame === c.getAttribute('data-version'); }",
                           arg=testid, timeout=ACT_MS)
    return int(page.locator(f"canvas[data-testid='{testid}']").get_attribute("data-version") or -1)


# Pixels of each category colour (strong, vulnerable, sliding) in a network canvas, read back from
# the canvas itself; and the number of residents per category the server sent with the frame.
CATEGORY_PIXELS = """id => {
  const c = document.querySelector(`canvas[data-testid='${id}']`);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const want = [[0x00, 0x9E, 0x73], [0xE6, 0x9F, 0x00], [0xD5, 0x5E, 0x00]];
  const n = [0, 0, 0];
  for (let i = 0; i < d.length; i += 4) {
    for (let k = 0; k < 3; k++) {
      if (Math.abs(d[i] - want[k][0]) < 3 && Math.abs(d[i + 1] - want[k][1]) < 3 && Math.abs(d[i + 2] - want[k][2]) < 3) n[k]++;
    }
  }
  return n;
}"""


def pick(page: Page, label: str, option: str | re.Pattern[str]) -> None:
    """Choose `option` in the Vuetify select labelled `label`."""
    page.locator(".v-select").filter(has=page.locator("label", has_text=label)).first.click()
    page.locator(".menuable__content__active .v-list-item").filter(has_text=option).first.click()


def test_explore_pick_play_and_story(page: Page, dashboard_url: str, seen: list[str], artifacts: Path):
    open_dashboard(page, dashboard_url)
    assert any("/_solara/cdn/" in u for u in seen), "assets should come through the local Solara server"
    pick(page, "Scenario", re.compile(r"^\s*\S*carrousel"))  # a scenario whose name says carrousel
    expect(page.locator(".bs-explore-week")).to_contain_text("Week 0 van", timeout=ACT_MS)
    net0, series0 = drawn_frame(page, "network"), drawn_frame(page, "timeseries")
    page.locator(".bs-explore-step").click()
    expect(page.locator(".bs-explore-week")).to_contain_text("Week 1 van", timeout=ACT_MS)
    page.locator(".bs-explore-play").click()
    page.wait_for_function("() => { const e = document.querySelector('.bs-explore-week');"
                           " return e && parseInt(e.innerText.match(/\\d+/)[0]) >= 4; }", timeout=ACT_MS * 2)
    page.locator(".bs-explore-pause").click()
    expect(page.locator(".bs-explore-play")).to_be_visible(timeout=ACT_MS)
    stopped = week_of(page)
    assert stopped >= 4
    page.wait_for_timeout(1500)
    assert week_of(page) == stopped, "pause must stop the run"
    assert drawn_frame(page, "network") > net0
    assert drawn_frame(page, "timeseries") > series0
    box = page.locator("canvas[data-testid='network']").bounding_box()
    assert box is not None
    # click around the middle until we hit a resident (dots are dense; a few tries suffice)
    for fx, fy in ((0.5, 0.5), (0.3, 0.3), (0.7, 0.6), (0.45, 0.55), (0.2, 0.8)):
        page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
        try:
            expect(page.locator(".bs-story-summary")).to_contain_text("Bewoner #", timeout=8000)
            break
        except AssertionError:
            continue
    expect(page.locator(".bs-story-summary")).to_contain_text("Bewoner #", timeout=ACT_MS)
    expect(page.locator("img[data-testid='story']")).to_be_visible()
    page.screenshot(path=str(artifacts / "dashboard-explore.png"), full_page=True)


def test_compare_two_panels_and_difference(page: Page, dashboard_url: str, seen: list[str], artifacts: Path):
    open_dashboard(page, dashboard_url)
    page.get_by_role("tab", name=re.compile("Vergelijken")).click()
    for testid in ("network-a", "network-b", "difference"):
        expect(page.locator(f"canvas[data-testid='{testid}']")).to_be_visible(timeout=LOAD_MS)
    expect(page.locator(".bs-panel-a")).to_be_visible()
    expect(page.locator(".bs-panel-b")).to_be_visible()
    diff0 = drawn_frame(page, "difference")
    page.locator(".bs-compare-step").click()
    expect(page.locator(".bs-compare-week")).to_contain_text("Week 1 van", timeout=ACT_MS)
    page.locator(".bs-compare-step").click()
    expect(page.locator(".bs-compare-week")).to_contain_text("Week 2 van", timeout=ACT_MS)
    assert drawn_frame(page, "difference") > diff0
    ticks = page.locator("canvas[data-testid='difference']").get_attribute("data-yticks") or ""
    assert ticks and all(re.fullmatch(r"−?\d+(,\d+)?", tick) for tick in ticks.split("|")), ticks  # Dutch: 0,5
    page.screenshot(path=str(artifacts / "dashboard-compare.png"), full_page=True)


def test_network_canvas_draws_categories_that_change_between_frames(page: Page, dashboard_url: str, seen: list[str],
                                                                    artifacts: Path):
    open_dashboard(page, dashboard_url)
    drawn_frame(page, "network")
    before = page.evaluate(CATEGORY_PIXELS, "network")
    canvas = page.locator("canvas[data-testid='network']")
    counts = [int(x) for x in (canvas.get_attribute("data-counts") or "").split(",")]
    assert sum(before) > 10 * sum(counts) / 2, f"too few dots drawn: {before} pixels for {counts} residents"
    assert [p > 0 for p in before] == [n > 0 for n in counts], (before, counts)  # each category's colour, and only those
    for _ in range(2):  # two frames of the default speed: half a year each
        page.locator(".bs-explore-step").click()
        page.wait_for_timeout(300)
    page.locator(".bs-explore-play").click()
    page.wait_for_function("() => parseInt(document.querySelector('.bs-explore-week').innerText.match(/\\d+/)[0]) >= 52",
                           timeout=ACT_MS * 2)
    page.locator(".bs-explore-pause").click()
    expect(page.locator(".bs-explore-play")).to_be_visible(timeout=ACT_MS)
    drawn_frame(page, "network")
    after = page.evaluate(CATEGORY_PIXELS, "network")
    later = [int(x) for x in (canvas.get_attribute("data-counts") or "").split(",")]
    assert after != before, "the network's colours did not change in a year"
    assert [p > 0 for p in after] == [n > 0 for n in later], (after, later)
    page.screenshot(path=str(artifacts / "dashboard-network-canvas.png"), full_page=False)


def test_bad_upload_shows_error_and_changes_nothing(page: Page, dashboard_url: str, seen: list[str], artifacts: Path):
    open_dashboard(page, dashboard_url)
    page.locator(".bs-explore-step").click()
    expect(page.locator(".bs-explore-week")).to_contain_text("Week 1 van", timeout=ACT_MS)
    before = page.locator(".bs-explore-week").inner_text()
    page.set_input_files("input[data-testid='scenario-upload']",
                         files=[{"name": "kapot.toml", "mimeType": "text/plain", "buffer": BAD.encode()}])
    error = page.locator(".bs-upload-error")
    expect(error).to_contain_text("kapot.toml, line 9", timeout=ACT_MS)
    expect(error).to_contain_text("shock_size")
    assert page.locator(".bs-explore-week").inner_text() == before
    page.screenshot(path=str(artifacts / "dashboard-upload-error.png"), full_page=False)
    page.set_input_files("input[data-testid='scenario-upload']",
                         files=[{"name": "carrousel.toml", "mimeType": "text/plain", "buffer": CAROUSEL.encode()}])
    expect(page.locator(".bs-upload-ok")).to_contain_text("carrousel.toml", timeout=ACT_MS)
    expect(page.locator(".bs-explore-week")).to_contain_text("Week 0 van 104", timeout=ACT_MS)


def test_english_export_and_info(page: Page, dashboard_url: str, seen: list[str], artifacts: Path):
    open_dashboard(page, dashboard_url)
    page.locator(".bs-language").click()
    expect(page.locator(".bs-explore-play")).to_contain_text("Play", timeout=ACT_MS)
    expect(page.locator(".bs-explore-week")).to_contain_text("Week 0 of")
    page.locator(".bs-explore-step").click()
    expect(page.locator(".bs-explore-week")).to_contain_text("Week 1 of", timeout=ACT_MS)
    with page.expect_download(timeout=ACT_MS) as dl:
        page.get_by_text("Outcomes as CSV").first.click()
    path = dl.value.path()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("tick,") and len(lines) == 3  # header, week 0, week 1
    with page.expect_download(timeout=ACT_MS) as dl2:
        page.get_by_text("Settings as scenario file").first.click()
    assert "[scenario]" in Path(dl2.value.path()).read_text(encoding="utf-8")
    page.get_by_role("tab", name="Info").click()
    info = page.locator(".bs-markdown, .bs-info-missing").first
    expect(info).to_be_visible(timeout=ACT_MS)
    page.screenshot(path=str(artifacts / "dashboard-info.png"), full_page=False)


def test_two_browser_sessions_have_their_own_model(page: Page, dashboard_url: str, seen: list[str]):
    open_dashboard(page, dashboard_url)
    other_context = page.context.browser.new_context(viewport=VIEWPORT)
    try:
        other_context.on("request", lambda r: seen.append(r.url))
        other = other_context.new_page()
        open_dashboard(other, dashboard_url)
        page.locator(".bs-explore-step").click()
        page.locator(".bs-explore-step").click()
        expect(page.locator(".bs-explore-week")).to_contain_text("Week 2 van", timeout=ACT_MS)
        other.wait_for_timeout(1000)
        expect(other.locator(".bs-explore-week")).to_contain_text("Week 0 van")
    finally:
        other_context.close()


def test_compare_without_an_ensemble_says_so_and_keeps_the_switch_off(page: Page, dashboard_url: str, seen: list[str],
                                                                      artifacts: Path):
    open_dashboard(page, dashboard_url)  # this server is given an ensemble file that does not exist
    page.get_by_role("tab", name=re.compile("Vergelijken")).click()
    missing = page.locator(".bs-worlds-missing")
    expect(missing).to_contain_text("geen ensemble van plausibele werelden", timeout=LOAD_MS)
    expect(missing).to_contain_text("absent.json ontbreekt")
    expect(page.locator(".bs-worlds-switch input")).to_be_disabled()
    page.locator(".bs-language").click()
    expect(page.locator(".bs-worlds-missing")).to_contain_text("there is no ensemble of plausible worlds", timeout=ACT_MS)
    assert page.locator(".bs-worlds-reading").count() == 0
