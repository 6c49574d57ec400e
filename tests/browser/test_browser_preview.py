"""The author's preview in a real browser: under `mkdocs serve`, an edit
to an approved procedure without a version bump appears in the open page, which the
preview reloads by itself, with a red SMS301 banner and the bar counting it; the bar leads
to the findings page. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from sample_site import SAMPLE_EPOCH, sample_repo
from serve_support import serving
from support_browser import VIEWPORT

pytestmark = pytest.mark.browser

PROCEDURE = "procedures/incident/pro-inc-002-log-and-classify/"
PROCEDURE_SOURCE = "procedures/incident/pro-inc-002-log-and-classify.md"
ADDED = "Tell the caller the incident number before ending the call."


def test_the_open_preview_shows_an_edit_without_a_version_bump_with_its_banner(chromium_browser, artifacts, tmp_path):
    repo = sample_repo(tmp_path / "northwind")
    with serving(repo, tmp_path / "serve.log", SOURCE_DATE_EPOCH=SAMPLE_EPOCH) as server:
        context = chromium_browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            page.goto(server.base + PROCEDURE)
            expect(page.locator(".sms-preview-bar")).to_contain_text("No findings")
            expect(page.locator(".sms-finding")).to_have_count(0)

            source = repo.root / PROCEDURE_SOURCE
            source.write_text(source.read_text(encoding="utf-8") + f"\n{ADDED}\n", encoding="utf-8")
            edited = time.monotonic()
            banner = page.locator(".sms-finding--error", has_text="SMS301")
            expect(banner).to_be_visible(timeout=30_000)  # no click: the preview reloads the page
            took = time.monotonic() - edited
            assert took < 15, f"the open preview took {took:.1f} s to show the edit"
            expect(page.locator("article")).to_contain_text(ADDED)
            assert banner.evaluate("el => getComputedStyle(el).borderLeftColor") == "rgb(176, 0, 32)"  # red
            expect(page.locator(".sms-preview-count--error")).to_have_text("1 error")
            page.screenshot(path=str(artifacts / "screenshots" / "preview-sms301.png"))

            page.locator(".sms-preview-link").click()
            listing = page.locator(".sms-findings-file")
            expect(listing).to_have_count(1)
            expect(listing).to_contain_text(PROCEDURE_SOURCE)
            expect(listing).to_contain_text("SMS301")
            page.screenshot(path=str(artifacts / "screenshots" / "preview-findings.png"), full_page=True)
            listing.locator("h2 a").click()
            expect(page.locator(".sms-finding--error", has_text="SMS301")).to_be_visible()
        finally:
            context.close()
    assert "Traceback" not in server.log
