"""Search in a real browser (SPEC §5): Material's search box finds a document by
id, title and body; retired and restricted text is never found."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect
from sample_site import (
    ONLY_IN_RESTRICTED,
    ONLY_IN_RETIRED,
    RESTRICTED_MARKER,
    RESTRICTED_SOURCE,
    RETIRED_ID,
    RETIRED_MARKER,
    RETIRED_SOURCE,
    page_folder,
)
from support_browser import search

pytestmark = pytest.mark.browser

RETIRED_PAGE = page_folder(RETIRED_SOURCE)
RESTRICTED_PAGE = page_folder(RESTRICTED_SOURCE)


def test_searching_an_id_finds_that_procedure_alone_and_opens_it(page, sample_site, js_errors):
    page.goto(sample_site.url)
    results = search(page, "PRO-INC-002")

    assert [i.title for i in results.items] == ["PRO-INC-002 Log and classify an incident"], results.meta
    assert results.count == 1 and results.meta == "1 matching document", results.meta

    page.locator(".md-search-result__item a.md-search-result__link").first.click()
    page.wait_for_url(re.compile(r"/pro-inc-002-log-and-classify/"))
    assert urlparse(page.url).path.endswith("/procedures/incident/pro-inc-002-log-and-classify/"), page.url
    expect(page.locator("h1.sms-title")).to_have_text("PRO-INC-002 Log and classify an incident")
    expect(page.locator(".sms-meta-id")).to_have_text("PRO-INC-002")
    assert js_errors == []


def test_a_word_of_a_procedure_body_finds_that_procedure(page, sample_site):
    # "timesheet" is written only in the steps of PRO-BUD-002, never in its title.
    page.goto(sample_site.url)
    results = search(page, "timesheet")

    assert results.items, results.meta
    assert results.items[0].title == "PRO-BUD-002 Close the monthly service accounts", [i.title for i in results.items]
    page.locator(".md-search-result__item a.md-search-result__link").first.click()
    page.wait_for_url(re.compile(r"/pro-bud-002-month-end-cost-accounting/"))
    expect(page.locator("article")).to_contain_text("timesheet")


@pytest.mark.parametrize(
    ("word", "written", "title"),
    [
        ("unverified", '"unverified caller"', "PRO-INC-002 Log and classify an incident"),
        ("inconvenience", "(inconvenience)", "PRO-INC-002 Log and classify an incident"),
        ("payroll", "(payroll, ...", "PRC-SCM Service continuity management"),
    ],
    ids=["after-a-quote", "in-parentheses", "after-a-parenthesis"],
)
def test_a_body_word_after_an_opening_quote_or_parenthesis_is_found(page, sample_site, word, written, title):
    # Each word is written only once in the library, right after an opening quote or parenthesis.
    page.goto(sample_site.url)
    results = search(page, word)
    assert title in [item.title for item in results.items], (
        f"searching {word!r} (written {written}) does not find {title}: {results.meta}"
    )


def test_a_title_finds_its_document_first(page, sample_site):
    page.goto(sample_site.url)
    results = search(page, "Run the change advisory board")

    assert results.items[0].title == "PRO-CHG-002 Run the change advisory board", [i.title for i in results.items[:5]]


def test_retired_and_restricted_text_is_not_found(page, sample_site):
    page.goto(sample_site.url)
    offences = []
    for query in (RETIRED_MARKER, RESTRICTED_MARKER, "fax escalation", "breach call bridge"):
        results = search(page, query)
        # Words of these queries also occur in current documents ("escalation", "breach"), so
        # there may be results; none may be the retired or restricted document or quote it.
        for item in results.items:
            for link in item.links:
                path = urlparse(link).path
                if RETIRED_PAGE in path or RESTRICTED_PAGE in path:
                    offences.append(f"{query!r} finds {link}")
            if "SAMPLE-MARKER" in item.text or query.lower() in item.text.lower():
                offences.append(f"{query!r}: the result {item.title!r} quotes the hidden text")
    assert offences == []


def test_words_only_a_retired_or_restricted_document_uses_find_nothing(page, sample_site):
    page.goto(sample_site.url)
    found = {}
    for word in ("marker", *ONLY_IN_RETIRED, *ONLY_IN_RESTRICTED):
        results = search(page, word)
        if results.count:
            found[word] = [item.href for item in results.items]
        else:
            expect(page.locator(".md-search-result__meta")).to_have_text(re.compile("No matching documents", re.I))
    assert found == {}


def test_search_still_finds_current_text_after_a_search_that_found_nothing(page, sample_site):
    # The control of the two tests above: the same page, the same box, a word of a current procedure.
    page.goto(sample_site.url)
    assert search(page, ONLY_IN_RETIRED[0]).count == 0
    results = search(page, "caller")
    assert results.items and results.items[0].title == "PRO-INC-002 Log and classify an incident", results.meta


def test_archive_lists_the_retired_document_and_its_page_is_marked_obsolete(page, sample_site):
    page.goto(sample_site.at("archive/"))
    row = page.locator(".sms-records table tbody tr", has_text=RETIRED_ID)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Escalate by fax to the on-call engineer")

    row.get_by_role("link", name=RETIRED_ID).click()
    page.wait_for_url(re.compile(re.escape(RETIRED_PAGE)))
    banner = page.locator(".sms-banner--obsolete")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Obsolete")
    watermark = page.locator(".sms-watermark")
    expect(watermark).to_have_text("OBSOLETE")
    expect(watermark).to_be_visible()
    expect(page.locator(".sms-meta .sms-status")).to_have_text("retired")
    # The page itself is outside the current navigation.
    expect(page.locator('nav.md-nav--primary a[href*="pro-inc-009"]')).to_have_count(0)


# --------------------------------------------------------------------------- a search for an id


@pytest.mark.parametrize("query", ["PRO-INC-002", "pro-inc-002", "PRC-INC", "POL-SMS"])
def test_an_exact_id_finds_its_document_alone(page, sample_site, query):
    page.goto(sample_site.url)
    results = search(page, query)
    assert len(results.items) == 1, [i.title for i in results.items]
    assert results.items[0].title.startswith(query.upper() + " "), results.items[0].title


def test_words_and_partial_ids_still_find_every_page_that_has_them(page, sample_site):
    # The control: only an exact id narrows the list.
    page.goto(sample_site.url)
    assert search(page, "incident").count > 5
    partial = search(page, "PRO-INC")
    assert partial.count > 1, partial.meta
    assert any(i.title.startswith("PRO-INC-002 ") for i in partial.items)


def test_the_page_opened_from_an_id_search_highlights_the_whole_id_only(page, sample_site, artifacts):
    page.goto(sample_site.url)
    search(page, "PRO-INC-002")
    page.screenshot(path=str(artifacts / "screenshots" / "search-exact-id.png"))
    page.locator(".md-search-result__item:not([hidden]) a.md-search-result__link").first.click()
    page.wait_for_url(re.compile(r"/pro-inc-002-log-and-classify/"))
    marks = page.locator("article mark[data-md-highlight]")
    expect(marks.first).to_be_visible()
    assert set(marks.all_inner_texts()) == {"PRO-INC-002"}, marks.all_inner_texts()
    # Words that merely contain "pro" or "inc" ("approved", "incident") are not marked.
    article = page.locator("article").inner_text()
    assert "approved" in article and "incident" in article
    assert page.locator("article mark", has_text=re.compile(r"^(pro|inc|002)$", re.I)).count() == 0
    page.screenshot(path=str(artifacts / "screenshots" / "search-exact-id-opened.png"))


def test_a_word_search_leaves_materials_result_links_as_they_are(page, sample_site):
    # The control of the test above: only an exact id changes what a result opens.
    page.goto(sample_site.url)
    results = search(page, "caller")
    assert results.links and not any("sms-id=" in link for link in results.links), results.links
    id_results = search(page, "PRO-INC-002")
    assert all("sms-id=PRO-INC-002" in link for link in id_results.links), id_results.links
