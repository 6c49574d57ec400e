"""Walking the library in a real browser (SPEC §5, issue 7): policy › process › procedure by
links, breadcrumbs, the navigation, and the hierarchy page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WALK = ("POL-INC", "PRC-INC", "PRO-INC-002")
CHILDREN_TITLE = re.compile(r"^(Processes and policies under it|Procedures under it|Children)$")


def children_list(page):  # noqa: ANN001, ANN201
    """The block of the document footer that lists the document's children."""
    title = page.locator(".sms-relations-title", has_text=CHILDREN_TITLE)
    return page.locator(".sms-doc-footer .sms-relations > div").filter(has=title)


def follow_child(page, doc_id: str) -> None:  # noqa: ANN001
    link = children_list(page).get_by_role("link", name=re.compile(rf"^{re.escape(doc_id)} "))
    expect(link).to_have_count(1)
    link.click()
    expect(page.locator(".sms-meta-id")).to_have_text(doc_id)


def test_walk_policy_process_procedure_by_links(page, sample_site, js_errors):
    page.goto(sample_site.url)
    # The home page's navigation leads into the library at its root policy.
    page.locator("nav.md-nav--primary").get_by_role("link", name="Library", exact=True).click()
    expect(page.locator(".sms-meta-id")).to_have_text("POL-SMS")
    expect(page.locator("h1.sms-title")).to_have_text("POL-SMS Service management policy")

    for doc_id in WALK:
        follow_child(page, doc_id)

    assert page.url.rstrip("/").endswith("pro-inc-002-log-and-classify"), page.url
    crumbs = page.locator("nav.sms-breadcrumbs")
    expect(crumbs).to_be_visible()
    crumb_ids = [text.split()[0] for text in crumbs.locator("a").all_inner_texts()]
    assert crumb_ids == ["POL-SMS", "POL-INC", "PRC-INC"]
    expect(crumbs.locator("[aria-current=page]")).to_have_text("PRO-INC-002")
    trail = " ".join(crumbs.inner_text().split())
    assert re.fullmatch(r"POL-SMS [^›]+ › POL-INC [^›]+ › PRC-INC [^›]+ › PRO-INC-002", trail), trail
    assert js_errors == []


def test_breadcrumbs_lead_back_up_the_hierarchy(page, sample_site):
    page.goto(sample_site.at("procedures/incident/pro-inc-002-log-and-classify/"))
    page.locator("nav.sms-breadcrumbs a", has_text="PRC-INC").click()
    expect(page.locator(".sms-meta-id")).to_have_text("PRC-INC")
    page.locator("nav.sms-breadcrumbs a", has_text="POL-SMS").click()
    expect(page.locator(".sms-meta-id")).to_have_text("POL-SMS")


def test_navigation_shows_the_branch_of_the_open_procedure(page, sample_site):
    page.goto(sample_site.at("procedures/incident/pro-inc-002-log-and-classify/"))
    nav = page.locator("nav.md-nav--primary")
    expect(nav).to_be_visible()
    active = [
        " ".join(text.split())
        for text in nav.locator("li.md-nav__item--active > .md-nav__link:first-of-type").all_inner_texts()
    ]
    active_ids = [text.split()[0] for text in active if text]
    assert active_ids[:1] == ["Library"], active
    assert [i for i in active_ids if re.match(r"^(POL|PRC|PRO)-", i)][:4] == ["POL-SMS", "POL-INC", "PRC-INC", "PRO-INC-002"]
    # Siblings under the same process are one click away; the retired one is not listed.
    expect(nav.get_by_role("link", name=re.compile(r"^PRO-INC-003 "))).to_have_count(1)
    expect(nav.locator('a[href*="pro-inc-009"]')).to_have_count(0)
    expect(nav).not_to_contain_text("PRO-INC-009")


def test_hierarchy_page_links_every_level_and_draws_the_tree(page, sample_site):
    page.goto(sample_site.at("hierarchy/"))
    diagram = page.locator("svg.sms-tree")
    expect(diagram).to_be_visible()
    box = diagram.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, box
    # The diagram is drawn at build time: its labels are in the page.
    expect(diagram).to_contain_text("PRO-INC-002 Log and classify an incident")
    expect(diagram).not_to_contain_text("PRO-INC-009")

    # Both the diagram and the tree under it open the documents.
    diagram.locator("a", has_text="PRC-INC Incident management").click()
    expect(page.locator(".sms-meta-id")).to_have_text("PRC-INC")
    page.go_back()
    page.locator(".sms-tree-list a", has_text=re.compile(r"^POL-INC$")).click()
    expect(page.locator(".sms-meta-id")).to_have_text("POL-INC")
