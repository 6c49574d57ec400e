"""Phones (SPEC §5): at 360 px wide no page scrolls sideways; a wide table
scrolls in its own box, and what it holds is reachable there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sample_site import PAST_VERSION
from test_browser_pages import HISTORY, MAIN_PAGES

pytestmark = pytest.mark.browser

WIDTH = 360
PAST_VERSION_PAGE = f"procedures/incident/pro-inc-002-log-and-classify.v{PAST_VERSION}/"
CHANGES = "procedures/incident/pro-inc-002-log-and-classify.changes/"
VERSIONED_PAGES = {"past-version": PAST_VERSION_PAGE, "changes-page": CHANGES, "history-two-versions": HISTORY}


def sideways(page) -> dict[str, object]:  # noqa: ANN001
    """How far the page reaches past the window, and the widest elements that make it do so."""
    return page.evaluate(
        """width => ({
            scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
            culprits: Array.from(document.querySelectorAll("body *"))
                .filter(el => {
                    const box = el.getBoundingClientRect();
                    if (box.right <= width + 0.5 || box.width === 0) return false;
                    for (let up = el.parentElement; up; up = up.parentElement) {
                        const style = getComputedStyle(up);
                        if (/(auto|scroll|hidden|clip)/.test(style.overflowX)) return false;
                    }
                    return true;
                })
                .slice(0, 5)
                .map(el => `${el.tagName.toLowerCase()}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`),
        })""",
        WIDTH,
    )


def check_no_sideways_scroll(page, url: str, name: str, artifacts) -> None:  # noqa: ANN001
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.ok, (name, response and response.status)
    assert page.viewport_size["width"] == WIDTH
    found = sideways(page)
    path = artifacts / "screenshots" / f"phone-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert found["scrollWidth"] <= WIDTH, f"{name} is {found['scrollWidth']} px wide at {WIDTH} px: {found['culprits']}"
    # The control: the page could scroll sideways if anything stuck out.
    page.evaluate("window.scrollTo(500, 0)")
    assert page.evaluate("window.scrollX") == 0, name


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_no_page_scrolls_sideways_on_a_360_px_phone(phone, sample_site, artifacts, name):
    check_no_sideways_scroll(phone, sample_site.at(MAIN_PAGES[name]), name, artifacts)


@pytest.mark.parametrize("name", list(VERSIONED_PAGES))
def test_no_history_page_scrolls_sideways_on_a_360_px_phone(phone, versioned_site, artifacts, name):
    check_no_sideways_scroll(phone, versioned_site.at(VERSIONED_PAGES[name]), name, artifacts)


def test_the_register_scrolls_in_its_own_box_and_shows_every_column_there(phone, sample_site):
    phone.goto(sample_site.at("register/"))
    box = phone.locator(".sms-scroll").filter(has=phone.locator("#sms-register"))
    expect(box).to_have_count(1)
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the register fits: nothing to scroll"
    owner = phone.locator("#sms-register thead th", has_text="Owner")
    assert owner.bounding_box()["x"] >= WIDTH, "the Owner column is on screen before scrolling"

    # A keyboard user reaches the box (it is focusable) and scrolls it with the arrow keys.
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "region")
    box.focus()
    for _ in range(40):
        phone.keyboard.press("ArrowRight")
    phone.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle())
    owner.scroll_into_view_if_needed()
    x = owner.bounding_box()["x"]
    assert 0 <= x < WIDTH, x
    assert phone.evaluate("window.scrollX") == 0  # the box scrolled, not the page


def test_the_metadata_panel_folds_to_label_and_value_on_a_phone(phone, sample_site):
    phone.goto(sample_site.at("procedures/incident/pro-inc-002-log-and-classify/"))
    id_label = phone.locator(".sms-meta th", has_text="Id")
    version_label = phone.locator(".sms-meta th", has_text="Version")
    # Version sits below Id, in the same column, instead of beside it.
    assert abs(id_label.bounding_box()["x"] - version_label.bounding_box()["x"]) < 1
    assert version_label.bounding_box()["y"] > id_label.bounding_box()["y"]
