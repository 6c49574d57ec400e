"""The record pages in a real browser (SPEC §5, issues 7 and 16): the register filters and
sorts in the page (with the keyboard too) and its files download; the coverage page makes its
gaps stand out; retired documents are marked wherever they are listed; the Atom feed's entries
open their pages."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect
from sample_site import DRAFT_ID, RESTRICTED_ID, RETIRED_ID
from support_browser import visible_rows

pytestmark = pytest.mark.browser

REGISTER = "#sms-register"
ATOM = "{http://www.w3.org/2005/Atom}"
ID, TITLE, TYPE, VERSION, STATUS, OWNER = range(6)
NEXT_REVIEW = 8


def ids(rows: list[list[str]]) -> list[str]:
    return [row[ID] for row in rows]


def test_register_filter_box_hides_the_rows_that_do_not_match(page, sample_site, js_errors):
    page.goto(sample_site.at("register/"))
    everything = visible_rows(page, REGISTER)
    assert len(everything) > 40, len(everything)
    expect(page.locator(".sms-count")).to_have_text(f"{len(everything)} documents")

    page.locator("input.sms-filter").fill("incident")
    shown = visible_rows(page, REGISTER)
    expected = [row for row in everything if "incident" in " ".join(row).lower()]
    assert 0 < len(shown) < len(everything)
    assert ids(shown) == ids(expected)
    expect(page.locator(".sms-count")).to_have_text(f"{len(shown)} documents")

    page.locator("input.sms-filter").fill("PRO-INC-002")
    assert ids(visible_rows(page, REGISTER)) == ["PRO-INC-002"]

    page.locator("input.sms-filter").fill("")
    assert ids(visible_rows(page, REGISTER)) == ids(everything)
    assert js_errors == []


def test_register_status_filter_shows_only_retired_documents(page, sample_site):
    page.goto(sample_site.at("register/"))
    everything = visible_rows(page, REGISTER)
    status = page.locator('select[aria-label="Status"]')

    status.select_option("retired")
    shown = visible_rows(page, REGISTER)
    assert shown, "no retired row is shown"
    assert {row[STATUS] for row in shown} == {"retired"}
    assert ids(shown) == [row[ID] for row in everything if row[STATUS] == "retired"]
    assert RETIRED_ID in ids(shown)

    status.select_option("")
    assert len(visible_rows(page, REGISTER)) == len(everything)


def test_register_type_and_text_filters_combine(page, sample_site):
    page.goto(sample_site.at("register/"))
    everything = visible_rows(page, REGISTER)
    page.locator('select[aria-label="Type"]').select_option("process")
    page.locator("input.sms-filter").fill("incident")
    shown = visible_rows(page, REGISTER)
    expected = [r for r in everything if r[TYPE] == "process" and "incident" in " ".join(r).lower()]
    assert shown and ids(shown) == ids(expected)


@pytest.mark.parametrize(("heading", "column"), [("Id", ID), ("Next review", NEXT_REVIEW)])
def test_clicking_a_column_heading_sorts_the_register(page, sample_site, heading, column):
    page.goto(sample_site.at("register/"))
    before = visible_rows(page, REGISTER)
    th = page.locator(f"{REGISTER} thead th", has_text=re.compile(rf"^{heading}$"))

    values = [row[column] for row in before]
    filled, empty = [v for v in values if v != "—"], [v for v in values if v == "—"]
    th.click()
    expect(th).to_have_attribute("aria-sort", "ascending")
    ascending = [row[column] for row in visible_rows(page, REGISTER)]
    assert ascending == sorted(filled) + empty  # an empty cell goes last either way

    th.click()
    expect(th).to_have_attribute("aria-sort", "descending")
    descending = [row[column] for row in visible_rows(page, REGISTER)]
    assert descending == sorted(filled, reverse=True) + empty
    assert sorted(ids(visible_rows(page, REGISTER))) == sorted(ids(before))  # nothing lost


def test_register_files_download_and_list_the_same_documents_as_the_table(page, sample_site):
    page.goto(sample_site.at("register/"))
    # The files list the documents' table, then the external documents' own table.
    table_ids = ids(visible_rows(page, REGISTER)) + ids(visible_rows(page, "#sms-register-external"))
    assert "EXT-ISO20000-1" in table_ids
    links = {a.inner_text().strip(): a.get_attribute("href") for a in page.locator("a.sms-download").all()}
    assert set(links) == {"register.csv", "register.json"}, links

    csv_response = page.request.get(urljoin(page.url, links["register.csv"]))
    assert csv_response.ok, csv_response.status
    csv_rows = list(csv.DictReader(io.StringIO(csv_response.text())))
    json_response = page.request.get(urljoin(page.url, links["register.json"]))
    assert json_response.ok, json_response.status
    documents = json.loads(json_response.text())["documents"]

    assert [row["id"] for row in csv_rows] == table_ids
    assert [d["id"] for d in documents] == table_ids
    assert RETIRED_ID in table_ids
    assert RESTRICTED_ID not in table_ids and DRAFT_ID not in table_ids


def test_coverage_gaps_stand_out_and_the_summary_counts_covered_clauses(page, sample_site):
    page.goto(sample_site.at("coverage/"))
    gaps = page.locator("#sms-coverage tr.sms-gap")
    expect(gaps).to_have_count(2)
    assert [row.get_attribute("data-clause") for row in gaps.all()] == ["8.2.3", "8.4.2"]
    for row in gaps.all():
        expect(row).to_be_visible()
        expect(row).to_contain_text("Gap: no document")

    # Visibly marked: a gap row's cells have a colour a covered row's cells do not.
    covered = page.locator("#sms-coverage tr.sms-covered")
    background = "row => getComputedStyle(row.cells[0]).backgroundColor"
    gap_colour = gaps.first.evaluate(background)
    covered_colour = covered.first.evaluate(background)
    assert gap_colour not in ("rgba(0, 0, 0, 0)", "transparent"), gap_colour
    assert gap_colour != covered_colour, (gap_colour, covered_colour)

    summary = page.locator(".sms-summary").inner_text()
    counted = re.search(r"(\d+) of (\d+) clauses", summary)
    assert counted, summary
    assert int(counted.group(1)) == covered.count()
    assert int(counted.group(2)) == covered.count() + gaps.count()
    assert re.search(r"2 gap\(s\):\s*8\.2\.3, 8\.4\.2", summary), summary


def test_coverage_links_open_the_claiming_documents(page, sample_site):
    page.goto(sample_site.at("coverage/"))
    row = page.locator('#sms-coverage tr[data-clause="8.6.1"]')
    expect(row).to_have_class(re.compile(r"\bsms-covered\b"))
    row.get_by_role("link", name="PRO-INC-002").click()
    expect(page.locator(".sms-meta-id")).to_have_text("PRO-INC-002")


# --------------------------------------------------------------------------- the register, by keyboard and print


def test_register_dates_never_wrap_on_a_desktop_screen(page, sample_site):
    page.goto(sample_site.at("register/"))
    assert page.viewport_size["width"] == 1280
    # The Approved and Next review columns, found by their headings.
    headings = page.locator(f"{REGISTER} thead th").all_inner_texts()
    columns = [headings.index("Approved") + 1, headings.index("Next review") + 1]
    dates = page.locator(", ".join(f"{REGISTER} tbody td:nth-child({n})" for n in columns))
    assert dates.count() >= 2 * len(visible_rows(page, REGISTER))  # approved and next review
    lines = dates.evaluate_all(
        """cells => cells.map(cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return [cell.textContent.trim(), new Set(Array.from(range.getClientRects(), r => Math.round(r.top))).size];
        })"""
    )
    wrapped = [text for text, count in lines if count != 1]
    assert wrapped == [], f"dates broken over lines: {wrapped[:5]}"
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) for text, _ in lines)


def test_register_headings_sort_with_the_keyboard(page, sample_site):
    page.goto(sample_site.at("register/"))
    before = visible_rows(page, REGISTER)
    th = page.locator(f"{REGISTER} thead th", has_text=re.compile(r"^Id$"))
    button = th.get_by_role("button", name="Id")
    expect(button).to_have_count(1)
    expect(th).not_to_have_attribute("role", "button")  # the heading stays a column heading

    # Reachable with Tab from the filters, like any control of the page.
    page.locator('select[aria-label="Owner"]').focus()
    for _ in range(4):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    assert button.evaluate("b => b === document.activeElement"), "Tab never reaches the Id heading"

    page.keyboard.press("Enter")
    expect(th).to_have_attribute("aria-sort", "ascending")
    assert ids(visible_rows(page, REGISTER)) == sorted(ids(before))
    page.keyboard.press("Space")
    expect(th).to_have_attribute("aria-sort", "descending")
    assert ids(visible_rows(page, REGISTER)) == sorted(ids(before), reverse=True)
    # Only the sorted column says how it is sorted.
    expect(page.locator(f"{REGISTER} thead th[aria-sort]")).to_have_count(1)


# --------------------------------------------------------------------------- retired marked, feed links


def test_roles_and_changes_mark_the_retired_document(page, sample_site, artifacts):
    for path in ("roles/", "changes/"):
        page.goto(sample_site.at(path))
        listed = page.locator("article li, article tr").filter(has=page.get_by_role("link", name=RETIRED_ID))
        assert listed.count() > 0, f"{path} does not list {RETIRED_ID}"
        for item in listed.all():
            expect(item.locator(".sms-mark--retired")).to_have_text("retired")
        # The control: current documents carry no mark.
        current = page.locator("article li, article tr").filter(has=page.get_by_role("link", name="PRO-INC-002"))
        assert current.count() > 0 and current.locator(".sms-mark").count() == 0
    page.goto(sample_site.at("roles/"))
    page.get_by_role("link", name=RETIRED_ID).first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "roles-retired-mark.png"))


def test_a_retired_page_shows_no_current_version_and_no_next_review(page, sample_site):
    page.goto(sample_site.at("procedures/incident/pro-inc-009-escalate-by-fax/"))
    review = page.locator(".sms-meta tr", has=page.locator("th", has_text="Next review")).locator("td").first
    assert not re.search(r"\d{4}-\d{2}-\d{2}", review.inner_text()), review.inner_text()
    sheet = page.locator(".sms-history-sheet")
    expect(sheet).to_contain_text("(retired)")
    expect(sheet).not_to_contain_text(re.compile(r"\((current|in force)\b"))
    # The control: a current page shows both.
    page.goto(sample_site.at("procedures/incident/pro-inc-002-log-and-classify/"))
    expect(page.locator(".sms-history-sheet")).to_contain_text(re.compile(r"\((current|in force)\b"))


def test_every_entry_of_the_atom_feed_links_to_a_page_that_opens(page, sample_site):
    page.goto(sample_site.at("changes/"))
    feed_url = urljoin(page.url, page.get_by_role("link", name="Atom feed").get_attribute("href"))
    response = page.request.get(feed_url)
    assert response.ok, response.status
    root = ET.fromstring(response.text())
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        links = entry.findall(f"{ATOM}link")
        title = entry.findtext(f"{ATOM}title")
        assert len(links) == 1 and links[0].get("href"), title
        target = urljoin(feed_url, links[0].get("href"))  # relative links resolve against the feed
        opened = page.request.get(target)
        assert opened.ok, (title, target, opened.status)
        doc_id = title.split()[0]
        assert doc_id in opened.text(), (title, target)
