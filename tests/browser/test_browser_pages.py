"""Printing, privacy and screenshots in a real browser (SPEC §5).

- Print emulation sets the uncontrolled-copy line (id, version, print date) in the page
  margin and leaves the navigation off; a PDF of a procedure is written to test-artifacts/
  (test_browser_print reads such PDFs back).
- While the main pages load and a search runs, no request leaves 127.0.0.1.
- Screenshots of the main pages go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect
from sample_site import front_matter
from support_browser import search

pytestmark = pytest.mark.browser

PROCEDURE = "procedures/incident/pro-inc-002-log-and-classify/"
PROCEDURE_SOURCE = "procedures/incident/pro-inc-002-log-and-classify.md"
HISTORY = "procedures/incident/pro-inc-002-log-and-classify.history/"
RETIRED = "procedures/incident/pro-inc-009-escalate-by-fax/"
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")

MAIN_PAGES = {
    "home": "",
    "procedure": PROCEDURE,
    "process": "processes/prc-inc-incident-management/",
    "policy": "policies/pol-sms-service-management/",
    "register": "register/",
    "hierarchy": "hierarchy/",
    "coverage": "coverage/",
    "assessment": "assessment/",
    "reviews": "reviews/",
    "records": "records/",
    "external-documents": "external-documents/",
    "roles": "roles/",
    "changes": "changes/",
    "archive": "archive/",
    "version-history": HISTORY,
    "retired-procedure": RETIRED,
}


def browser_today(page) -> str:  # noqa: ANN001
    return page.evaluate("new Date().toISOString().slice(0, 10)")


# --------------------------------------------------------------------------- print


def page_margin_label(page) -> str:  # noqa: ANN001
    """The text the page prints in the top margin of every sheet (a CSS page-margin box)."""
    rule = page.evaluate("(document.getElementById('sms-print-page') || {textContent: ''}).textContent")
    found = re.search(r'@top-left \{ content: "([^"]*)"', rule)
    assert found, rule
    return found.group(1)


def test_printed_document_carries_the_uncontrolled_line_id_version_and_date(page, sample_site, artifacts):
    page.goto(sample_site.at(PROCEDURE))
    header = page.locator(".sms-print-header")
    expect(header).to_be_hidden()  # on screen the line is not shown
    expect(page.locator(".md-sidebar--primary")).to_be_visible()

    page.emulate_media(media="print")
    text = page_margin_label(page)
    version = str(front_matter(PROCEDURE_SOURCE)["version"])
    assert "Uncontrolled when printed" in text, text
    assert "PRO-INC-002" in text, text
    assert f"version {version}" in text, text
    # The date is the day of printing (set in the browser), not the build date.
    assert DATE.search(text), text
    assert browser_today(page) in text, text
    # The navigation is left off; the line is in the page margin, not in the page.
    expect(header).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator("h1.sms-title")).to_be_visible()

    pdf = page.pdf(path=str(artifacts / "pro-inc-002.pdf"), format="A4", print_background=True)
    assert pdf.startswith(b"%PDF"), pdf[:8]
    assert (artifacts / "pro-inc-002.pdf").stat().st_size > 10_000


def test_printed_record_page_carries_the_uncontrolled_line_without_filters(page, sample_site):
    page.goto(sample_site.at("register/"))
    page.emulate_media(media="print")
    text = page_margin_label(page)
    assert "Uncontrolled when printed" in text, text
    assert browser_today(page) in text, text
    expect(page.locator("input.sms-filter")).to_be_hidden()
    expect(page.locator("select.sms-select").first).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()


# --------------------------------------------------------------------------- no outside requests


def test_no_request_leaves_127_0_0_1_while_pages_load(context, page, sample_site, js_errors):
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))

    for path in ("", PROCEDURE, "register/", "coverage/", "hierarchy/", "assessment/", HISTORY):
        response = page.goto(sample_site.at(path), wait_until="networkidle")
        assert response is not None and response.ok, (path, response and response.status)
    results = search(page, "incident")
    assert results.count > 0
    page.locator(".md-search-result__item a.md-search-result__link").first.click()
    page.wait_for_load_state("networkidle")

    outside = [
        url for url in requests
        if urlparse(url).scheme not in ("data", "blob") and urlparse(url).hostname != "127.0.0.1"
    ]
    assert outside == [], "requests left the site:\n" + "\n".join(outside)
    # The recording saw what the pages really fetch: styles, scripts and the search index.
    fetched = {urlparse(url).path for url in requests}
    assert "/search/search_index.json" in fetched, sorted(fetched)
    assert "/assets/sms-docs/sms-docs.css" in fetched and "/assets/sms-docs/sms-docs.js" in fetched
    assert any(path.startswith("/assets/javascripts/workers/search") for path in fetched), sorted(fetched)
    assert js_errors == []


# --------------------------------------------------------------------------- screenshots


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_screenshot_of_main_page(page, sample_site, artifacts, name):
    response = page.goto(sample_site.at(MAIN_PAGES[name]), wait_until="networkidle")
    assert response is not None and response.ok, (name, response and response.status)
    expect(page.locator("article h1").first).to_be_visible()
    expect(page.locator(".sms-build-commit")).to_have_text(sample_site.repo.head[:12])
    path = artifacts / "screenshots" / f"{name}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 5_000
