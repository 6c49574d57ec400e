"""Printing to PDF in a real browser (SPEC §5): every printed page carries
"Uncontrolled when printed", the id, the version and the print date, and no text is covered.

Chromium prints the page to PDF (`page.pdf()`, as "Save as PDF" does); poppler's pdftotext
reads the PDF back: its words with their boxes, page by page, and its text in drawing order.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sample_site import front_matter
from test_browser_pages import PROCEDURE, PROCEDURE_SOURCE, browser_today

pytestmark = pytest.mark.browser

XHTML = "{http://www.w3.org/1999/xhtml}"
PAGE_NUMBER = re.compile(r"^Page (\d+) of (\d+)$")
# The leaf blocks of text of a page: each is one paragraph, item, cell or heading.
BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, pre, caption, summary"


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Word) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass
class PdfPage:
    width: float
    height: float
    words: list[Word]

    def lines(self) -> list[list[Word]]:
        """Words grouped into lines by their vertical position, top to bottom."""
        lines: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: (round(w.y0), w.x0)):
            if lines and abs(lines[-1][0].y0 - word.y0) < 2:
                lines[-1].append(word)
            else:
                lines.append([word])
        return lines


def pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        pytest.fail(
            "The print tests read PDFs with poppler's pdftotext, which is missing. "
            "Install it with `sudo apt-get install -y poppler-utils` (CI does: .ci/run, `make browser`).",
            pytrace=False,
        )
    return found


def pdf_pages(pdf: Path) -> list[PdfPage]:
    xml = subprocess.run([pdftotext(), "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    root = ET.fromstring(xml)
    pages = []
    for page in root.iter(f"{XHTML}page"):
        words = [
            Word(w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")))
            for w in page.iter(f"{XHTML}word")
        ]
        pages.append(PdfPage(float(page.get("width")), float(page.get("height")), words))
    return pages


def pdf_text(pdf: Path) -> list[str]:
    """The text of each page in the order Chromium drew it (a table cell's lines stay together)."""
    text = subprocess.run([pdftotext(), "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def squeeze(text: str) -> str:
    """Text without whitespace and permalink signs: line breaks differ between page and paper."""
    return re.sub(r"\s+|¶", "", text)


def print_to_pdf(page, path: Path) -> Path:  # noqa: ANN001
    # The margin line is set up by sms-docs.js; without it the page prints its line once, in the flow.
    expect(page.locator("html")).to_have_class(re.compile(r"\bsms-paged\b"))
    page.pdf(path=str(path), format="A4")
    return path


def label_of(page: PdfPage) -> tuple[str, list[Word]]:
    top = page.lines()[0]
    return " ".join(w.text for w in top), top


def expected_label(page, doc_id: str | None = None, version: str | None = None) -> str:  # noqa: ANN001
    middle = f" · {doc_id} version {version}" if doc_id else ""
    return f"Uncontrolled when printed{middle} · printed {browser_today(page)}"


PRINTED = {
    "procedure": (PROCEDURE, "PRO-INC-002"),
    "register": ("register/", None),
}


@pytest.mark.parametrize("name", list(PRINTED))
def test_every_printed_page_carries_the_label_above_the_text_it_never_covers(page, sample_site, artifacts, js_errors, name):
    path, doc_id = PRINTED[name]
    page.goto(sample_site.at(path), wait_until="networkidle")
    assert js_errors == []
    version = str(front_matter(PROCEDURE_SOURCE)["version"]) if doc_id else None
    pdf = print_to_pdf(page, artifacts / f"print-{name}.pdf")
    pages = pdf_pages(pdf)
    # Long enough that pages after the first exist: those are where a fixed header covered a line.
    assert len(pages) >= 2, f"{name} printed on {len(pages)} page(s)"
    subprocess.run(["pdftoppm", "-f", "2", "-l", "2", "-r", "60", "-png", "-singlefile", str(pdf),
                    str(artifacts / "screenshots" / f"print-{name}-page-2")], check=False)

    label = expected_label(page, doc_id, version)
    for number, printed in enumerate(pages, start=1):
        text, label_words = label_of(printed)
        assert text == label, f"page {number} of {name} starts with {text!r}, not {label!r}"
        bottom = max(w.y1 for w in label_words)
        others = [w for w in printed.words if w not in label_words]
        assert others, f"page {number} of {name} is empty"
        # Text drawn over text: what a fixed header did to the first line of every later page.
        covered = [(a.text, b.text) for a, b in itertools.combinations(printed.words, 2) if a.overlaps(b)]
        assert covered == [], f"page {number} of {name}: words drawn over each other: {covered}"
        assert [w.text for w in printed.words].count("Uncontrolled") == 1, f"page {number} of {name}"
        above = [w.text for w in others if w.y0 < bottom]
        assert above == [], f"page {number} of {name}: text at the level of the label or above it: {above}"
        outside = [w.text for w in printed.words if w.x0 < 0 or w.y0 < 0 or w.x1 > printed.width or w.y1 > printed.height]
        assert outside == [], f"page {number} of {name}: words off the paper: {outside}"
        last = " ".join(w.text for w in printed.lines()[-1])
        assert last == f"Page {number} of {len(pages)}", f"page {number} of {name} ends with {last!r}"


@pytest.mark.parametrize("name", list(PRINTED))
def test_the_printed_pdf_holds_every_line_of_the_page(page, sample_site, artifacts, name):
    path, doc_id = PRINTED[name]
    page.goto(sample_site.at(path), wait_until="networkidle")
    pdf = print_to_pdf(page, artifacts / f"print-{name}-text.pdf")
    page.emulate_media(media="print")
    blocks = page.locator("article.md-content__inner").evaluate(
        """(article, selector) => Array.from(article.querySelectorAll(selector))
            .filter(el => !el.querySelector(selector) && el.getClientRects().length > 0)
            .map(el => el.innerText)
            .filter(text => text.trim())""",
        BLOCKS,
    )
    assert len(blocks) > 20, blocks
    pages = pdf_text(pdf)
    label = expected_label(page, doc_id, str(front_matter(PROCEDURE_SOURCE)["version"]) if doc_id else None)
    # The margin lines are drawn on every page, between the text of one page and the next.
    body = "".join(
        squeeze(line) for text in pages for line in text.splitlines()
        if line.strip() != label and not PAGE_NUMBER.match(line.strip())
    )
    missing = [block for block in blocks if squeeze(block) not in body]
    assert missing == [], f"{len(missing)} of {len(blocks)} blocks of {name} are not in the PDF: {missing[:5]}"
    # The control: the comparison sees text that is not printed.
    assert squeeze("A line that this page does not have") not in body


def test_the_printed_label_is_in_the_page_margin_not_over_the_page(page, sample_site):
    # Without the margin line the page prints its own uncontrolled line once, in the flow.
    page.goto(sample_site.at(PROCEDURE))
    page.emulate_media(media="print")
    assert page.evaluate("document.documentElement.classList.contains('sms-paged')")
    assert page.locator(".sms-print-header").is_hidden()
    page.evaluate("document.documentElement.classList.remove('sms-paged')")
    header = page.locator(".sms-print-header")
    assert header.is_visible()
    assert header.evaluate("el => getComputedStyle(el).position") == "static"
