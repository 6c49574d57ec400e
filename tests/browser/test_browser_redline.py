"""The redline in a real browser (SPEC §5): a step added to a numbered
list reads as one insertion, marked so it shows without colour, with the Markdown source
one click away; no sideways scrolling on a phone. Screenshots go to test-artifacts/.

The library is built here (two approved versions of one procedure in a real git
repository), not the sample: the sample is one commit, with no past version to compare.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from history_support import assert_built, body_with_steps, commit_as, new_library, revise
from playwright.sync_api import expect
from sample_site import SiteServer
from support import doc
from support_browser import VIEWPORT

pytestmark = pytest.mark.browser

A = "2026-01-05"
STEPS = [f"Do step {n} of the procedure." for n in range(1, 11)]
ADDED = "Ring the caller back if the line drops."
CHANGES = "procedures/pro-inc-001.changes/"


@pytest.fixture(scope="module")
def redline_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    specs = [
        doc("POL-SMS", "policy", title="Service management policy", approved=A),
        doc("PRC-INC", "process", parents=["POL-SMS"], title="Incident management", approved=A),
        doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title="Log an incident", approved=A,
            body=body_with_steps("PRO-INC-001", "procedure", "Log an incident", STEPS)),
    ]
    repo = new_library(tmp_path_factory.mktemp("browser-redline") / "lib", *specs, day=A)
    revise(repo, "PRO-INC-001", version="1.1", approved="2026-02-01", change="Adds the call-back step.",
           body=body_with_steps("PRO-INC-001", "procedure", "Log an incident", [*STEPS[:5], ADDED, *STEPS[5:]]))
    commit_as(repo, "Add the call-back step", "Bob Writer", "2026-02-01")
    assert_built(repo.build())
    server = SiteServer(repo.site)
    try:
        yield server.url
    finally:
        server.close()


@pytest.fixture
def redline_page(chromium_browser, redline_site: str):  # noqa: ANN001, ANN201
    context = chromium_browser.new_context(viewport=VIEWPORT, base_url=redline_site)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_step_added_to_a_numbered_list_shows_as_one_underlined_insertion(redline_page, artifacts: Path):
    page = redline_page
    page.goto(CHANGES)
    article = page.locator("article")

    expect(article.locator("ins")).to_have_count(1)
    expect(article.locator("del")).to_have_count(0)
    inserted = article.locator(".sms-redline ol > li").nth(5)
    expect(inserted.locator("ins")).to_have_text(ADDED)
    # marked by underline, not by colour alone
    assert "underline" in inserted.locator("ins").evaluate("node => getComputedStyle(node).textDecorationLine")
    items = article.locator(".sms-redline ol > li")
    expect(items).to_have_count(11)
    expect(items.nth(6)).to_have_text(STEPS[5])  # step 6 of 1.0, now 7: not a change
    page.locator(".sms-redline").screenshot(path=str(artifacts / "screenshots" / "redline-one-step.png"))

    source = article.locator("details.sms-source-diff")
    expect(source.locator(".sms-diff")).to_be_hidden()
    source.locator("summary").click()
    expect(source.locator(".sms-diff")).to_be_visible()
    expect(source.locator(".sms-add").first).to_contain_text(f"6. {ADDED}")


def test_the_redline_page_does_not_scroll_sideways_on_a_phone(redline_page, artifacts: Path):
    page = redline_page
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(CHANGES)

    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "screenshots" / "redline-360.png"), full_page=True)
