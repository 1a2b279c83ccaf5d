"""The dashboard at 800 px wide in real headless Chromium (issue 14's polish): slider labels do not
run into their help text, buttons are not clipped, a broken upload lists its problems, the A/B
titles break between words, and the Les tab speaks one language. Screenshots go to
test-artifacts/dashboard/narrow-*.png."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_dashboard_browser import ACT_MS, LOAD_MS, is_local

pytestmark = pytest.mark.browser

NARROW = {"width": 800, "height": 2400}
MANY_PROBLEMS = b'[scenario]\nname = "kapot"\n[params]\nshock_prob = 5\nfoo = 1\n'


@pytest.fixture
def narrow(page: Page):
    urls: list[str] = []
    page.context.on("request", lambda r: urls.append(r.url))
    page.set_viewport_size(NARROW)
    yield page
    assert urls and all(is_local(u) for u in urls), sorted({u for u in urls if not is_local(u)})


def boxes_overlap(a: dict, b: dict) -> bool:
    return not (a["y"] + a["height"] <= b["y"] + 0.5 or b["y"] + b["height"] <= a["y"] + 0.5
                or a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"])


def test_explore_at_800px(narrow: Page, dashboard_url: str, artifacts: Path):
    page = narrow
    page.goto(dashboard_url)
    expect(page.locator(".bs-explore-week")).to_contain_text("Week 0 van", timeout=LOAD_MS)
    # every slider label sits above its help text, not on top of it
    sliders = page.locator(".v-input__slider")
    assert sliders.count() >= 5
    for i in range(sliders.count()):
        label = sliders.nth(i).locator(".v-label").bounding_box()
        control = sliders.nth(i).locator(".v-slider").bounding_box()
        help_text = sliders.nth(i).locator("xpath=following-sibling::*[1]").bounding_box()
        assert label and control and help_text
        assert not boxes_overlap(label, help_text), f"slider {i}: label overlaps the text below"
        assert not boxes_overlap(label, control), f"slider {i}: label overlaps the slider"
    # buttons show their whole label
    for sel in ("button:has-text('Scenariobestand')", ".bs-random-resident", ".bs-explore-play"):
        clipped = page.locator(sel).first.evaluate(
            "b => { const c = b.querySelector('.v-btn__content') || b; const r = b.getBoundingClientRect();"
            " const p = b.parentElement.closest('.col, [class*=col-]') || document.body;"
            " const q = p.getBoundingClientRect();"
            " return c.scrollWidth > c.clientWidth + 1 || r.right > q.right + 1; }")
        assert not clipped, f"{sel} is clipped"
    # a broken upload lists each problem
    page.set_input_files("input[data-testid='scenario-upload']",
                         files=[{"name": "kapot.toml", "mimeType": "text/plain", "buffer": MANY_PROBLEMS}])
    error = page.locator(".bs-upload-error")
    expect(error).to_contain_text("3 problems in kapot.toml", timeout=ACT_MS)
    items = error.locator("li")
    expect(items).to_have_count(3)
    assert "scenario.title" in items.nth(0).inner_text() and "params.foo" in items.nth(2).inner_text()
    width = error.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width[0] <= width[1] + 1, "the problem list runs out of its box"
    page.screenshot(path=str(artifacts / "narrow-explore.png"))


def test_compare_titles_and_lesson_language_at_800px(narrow: Page, dashboard_url: str, artifacts: Path):
    page = narrow
    page.goto(dashboard_url)
    expect(page.locator(".bs-explore-week")).to_contain_text("Week 0 van", timeout=LOAD_MS)
    page.get_by_role("tab", name=re.compile("Vergelijken")).click()
    title = page.locator(".v-card__title", has_text=re.compile(r"^\s*B:")).first
    expect(title).to_be_visible(timeout=LOAD_MS)
    assert title.evaluate("e => getComputedStyle(e).wordBreak") != "break-all"
    words = title.inner_text().split()
    lines = title.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e);"
                           " return Array.from(r.getClientRects()).length; }")
    assert lines <= len(words), "a word of B's title was split over two lines"
    page.screenshot(path=str(artifacts / "narrow-compare.png"))
    page.get_by_role("tab", name=re.compile("^Les$", re.I)).click()
    page.locator(".bs-les-pick").click()
    page.get_by_role("option", name=re.compile("^les1")).click()
    field = page.locator(".bs-les-pred-v2 input")
    expect(field).to_be_visible(timeout=ACT_MS)
    field.fill("veel")
    field.press("Tab")
    message = page.locator(".bs-les-pred-v2").locator(".v-messages")
    expect(message).to_contain_text("verwacht een getal", timeout=ACT_MS)
    assert "expected" not in message.inner_text() and "got" not in message.inner_text().split()
    expect(page.locator(".bs-les-worksheet")).to_contain_text("HTML")
    page.screenshot(path=str(artifacts / "narrow-les.png"))
