"""Helpers of the browser tests: how to launch Chromium, and how to drive the parts of the
site a reader uses (Material's search box, the register's filters)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

from playwright.sync_api import expect
from support import LibraryRepo

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Wide enough for Material's navigation sidebar (shown from 76.25em = 1220px).
VIEWPORT = {"width": 1280, "height": 900}
# The narrowest phone the site is laid out for (SPEC §5: no sideways scrolling at 360 px).
PHONE = {"width": 360, "height": 780}


@dataclass
class SampleSite:
    repo: LibraryRepo
    url: str  # http://127.0.0.1:PORT/

    def at(self, path: str) -> str:
        return urljoin(self.url, path)


# --------------------------------------------------------------------------- search


@dataclass
class SearchResult:
    title: str  # the heading of the result (the page title)
    href: str  # the page the result opens
    text: str  # everything the result shows
    links: list[str]  # every link of the result, its "more on this page" sections included

    @property
    def path(self) -> str:
        return urlparse(self.href).path


@dataclass
class SearchResults:
    query: str
    meta: str  # Material's summary line: "No matching documents", "3 matching documents"
    count: int
    items: list[SearchResult]

    @property
    def links(self) -> list[str]:
        return [link for item in self.items for link in item.links]


_COUNT = re.compile(r"(\d+) matching document")


def _count(meta: str) -> int | None:
    if meta.strip().lower().startswith("no matching"):
        return 0
    found = _COUNT.search(meta)
    return int(found.group(1)) if found else None


def search(page, query: str, timeout: float = 15.0) -> SearchResults:  # noqa: ANN001
    """Put `query` in Material's search box as a reader would and return every result.

    Waits until the result list has settled (same summary and links for a while), then
    scrolls the result list until all results are rendered (Material shows ten at a time).
    The page may search again: the box is cleared first.
    """
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    box.click()
    # Material reads the box on key-up. Clear it first, so the next summary is this query's.
    if box.input_value():
        box.fill("")
        box.press("End")
        expect(meta).to_have_text(re.compile("type to start searching", re.I))
    box.fill(query)
    box.press("End")  # the key-up that makes Material run the query, once
    deadline = time.monotonic() + timeout
    last, stable = None, 0
    while True:
        state = (meta.inner_text(), _hrefs(page))
        if _count(state[0]) is not None and state == last:
            stable += 1
            if stable >= 2:
                break
        else:
            stable = 0
        last = state
        if time.monotonic() > deadline:
            raise AssertionError(f"search for {query!r} did not settle; last summary: {state[0]!r}")
        page.wait_for_timeout(100)
    count = _count(last[0]) or 0
    # Material renders ten results, then four more each time the list is scrolled to its end.
    page.locator(".md-search__scrollwrap").evaluate(
        """async (el, count) => {
            const pause = () => new Promise(resolve => setTimeout(resolve, 25));
            for (let i = 0; i < 4 * count && el.querySelectorAll(".md-search-result__item").length < count; i++) {
                el.scrollTop = 0; await pause();
                el.scrollTop = el.scrollHeight; await pause();
            }
        }""",
        count,
    )
    # A search for a document's id shows that document alone: the other results are hidden.
    found = page.locator(".md-search-result__item:not([hidden])").evaluate_all(
        """items => items.map(item => ({
            title: (item.querySelector("article h1") || {textContent: ""}).textContent,
            text: item.innerText,
            links: Array.from(item.querySelectorAll("a.md-search-result__link"), a => a.href),
        }))"""
    )
    items = [
        SearchResult(" ".join(f["title"].split()), f["links"][0] if f["links"] else "", f["text"], f["links"])
        for f in found
    ]
    assert len(items) == count, f"search for {query!r}: {count} results announced, {len(items)} rendered"
    return SearchResults(query, last[0], count, items)


def _hrefs(page) -> tuple[str, ...]:  # noqa: ANN001
    return tuple(
        page.locator(".md-search-result__item a.md-search-result__link").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    )


# --------------------------------------------------------------------------- tables


def visible_rows(page, table: str) -> list[list[str]]:  # noqa: ANN001
    """The cell texts of the rows of `table` (a CSS selector) a reader can see, in order."""
    return page.locator(f"{table} tbody tr").evaluate_all(
        """rows => rows
            .filter(row => row.offsetParent !== null && !row.hidden)
            .map(row => Array.from(row.cells, cell => cell.textContent.trim()))"""
    )
