"""Walking the library in a real browser (SPEC §5): policy › process › procedure by
links, breadcrumbs, the navigation, and the hierarchy page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sample_site import PAST_VERSION

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


# --------------------------------------------------------------------------- every parent, readable


def tree_children(page, doc_id: str) -> list[tuple[str, bool]]:  # noqa: ANN001
    """(id, shown as a second parent's line) of the lines right under `doc_id` in the text tree."""
    lines = page.locator(".sms-tree-list li").evaluate_all(
        "items => items.map(li => [li.dataset.id, +li.dataset.depth, li.classList.contains('sms-tree-also')])"
    )
    at = next(i for i, (line_id, depth, also) in enumerate(lines) if line_id == doc_id and not also)
    depth = lines[at][1]
    children = []
    for line_id, line_depth, also in lines[at + 1 :]:
        if line_depth <= depth:
            break
        if line_depth == depth + 1:
            children.append((line_id, also))
    return children


def test_the_hierarchy_tree_shows_every_parent_link_a_document_page_lists(page, sample_site, artifacts):
    page.goto(sample_site.at("processes/prc-ism-information-security-management/"))
    listed = sorted(text.split()[0] for text in children_list(page).locator("li").all_inner_texts())
    assert len(listed) >= 4, listed

    page.goto(sample_site.at("hierarchy/"))
    under = tree_children(page, "PRC-ISM")
    assert sorted(child for child, _ in under) == listed
    # The procedures whose main place is elsewhere are marked as such, with a link to it.
    seconds = [child for child, also in under if also]
    assert seconds, under
    for child in seconds:
        line = page.locator(".sms-tree-list li.sms-tree-also", has_text=re.compile(rf"^\W*{re.escape(child)} "))
        expect(line.first).to_contain_text("main place under")
    page.locator(".sms-diagram").screenshot(path=str(artifacts / "screenshots" / "hierarchy-diagram.png"))


def test_the_hierarchy_diagram_draws_each_second_parent_as_its_own_labelled_line(page, sample_site):
    page.goto(sample_site.at("hierarchy/"))
    diagram = page.locator("svg.sms-tree")
    tree_lines = page.locator(".sms-tree-list li")
    assert diagram.locator("text").count() == tree_lines.count()
    also_rows = diagram.locator("text.sms-tree-also")
    assert also_rows.count() == page.locator(".sms-tree-list li.sms-tree-also").count() > 0
    # No two labels share a row, and each second-parent row says where the document mainly is.
    rows = diagram.locator("text").evaluate_all("texts => texts.map(t => t.getAttribute('y'))")
    assert len(set(rows)) == len(rows)
    for text in also_rows.evaluate_all("texts => texts.map(t => t.textContent)"):
        assert "main place under" in text, text
    # Dashed connectors only, no arcs laid over one another on the side.
    assert diagram.locator("path[d*='C']").count() == 0
    assert diagram.locator("path[stroke-dasharray]").count() == also_rows.count()


PAST_VERSION_PAGE = f"procedures/incident/pro-inc-002-log-and-classify.v{PAST_VERSION}/"
HISTORY_PAGES = {
    "history": "procedures/incident/pro-inc-002-log-and-classify.history/",
    "past-version": PAST_VERSION_PAGE,
    "changes": "procedures/incident/pro-inc-002-log-and-classify.changes/",
}


@pytest.mark.parametrize("name", list(HISTORY_PAGES))
def test_history_pages_have_their_own_table_of_contents_and_skip_link(page, versioned_site, name):
    page.goto(versioned_site.at(HISTORY_PAGES[name]))
    headings = page.locator("article h2").evaluate_all("hs => hs.map(h => [h.id, h.textContent.replace('¶', '').trim()])")
    toc = page.locator(".md-sidebar--secondary nav.md-nav--secondary a.md-nav__link")
    entries = toc.evaluate_all("links => links.map(a => [a.getAttribute('href'), a.textContent.trim()])")
    assert entries == [[f"#{anchor}", text] for anchor, text in headings], entries
    # Every in-page link of the page leads somewhere on it.
    dangling = page.evaluate(
        """() => Array.from(document.querySelectorAll('a[href^="#"]'), a => a.getAttribute('href').slice(1))
            .filter(id => id && !document.getElementById(decodeURIComponent(id)))"""
    )
    assert dangling == [], dangling

    # "Skip to content" is the first stop of the keyboard and lands on the start of the content.
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    target = page.evaluate("location.hash.slice(1)")
    assert target, page.url
    assert page.locator("article").evaluate(
        "(article, id) => article.contains(document.getElementById(id))", target
    ), target
    assert page.locator(f"#{target} .sms-banner, #{target}.sms-doc-header, #{target} .sms-breadcrumbs").count() > 0


def test_a_past_versions_table_of_contents_opens_its_own_sections(page, versioned_site):
    page.goto(versioned_site.at(PAST_VERSION_PAGE))
    toc = page.locator(".md-sidebar--secondary nav.md-nav--secondary")
    expect(toc).to_be_visible()
    toc.get_by_role("link", name="Steps").click()
    assert page.evaluate("location.hash") == "#steps"
    expect(page.locator("article h2#steps")).to_be_in_viewport()
