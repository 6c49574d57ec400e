"""Accessibility of the site's own parts: the panels' titles are headings at
the right level, and hint text has a contrast of at least 4.5:1 (WCAG AA) in the light and the
dark colour scheme."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_browser_pages import PROCEDURE

pytestmark = pytest.mark.browser

AA = 4.5
# The contrast of an element's text against what is behind it: its own background and its
# ancestors', composited from the page down (WCAG 2 relative luminance).
CONTRAST = """el => {
    const parse = css => {
        const parts = css.match(/rgba?\\(([^)]+)\\)/)[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
    };
    const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat(1);
    const chain = [];
    for (let up = el; up; up = up.parentElement) chain.unshift(up);
    let background = [255, 255, 255, 1];
    for (const each of chain) background = over(parse(getComputedStyle(each).backgroundColor), background);
    const text = over(parse(getComputedStyle(el).color), background);
    const luminance = c => c.slice(0, 3).map(v => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const [light, dark] = [luminance(text), luminance(background)].sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
}"""

HINTS = {
    "coverage/": "#sms-coverage .sms-note, #sms-coverage tr.sms-gap td",
    "register/": ".sms-count",
    PROCEDURE: ".sms-note, .sms-breadcrumbs [aria-current]",
}


def use_dark_scheme(page, site) -> None:  # noqa: ANN001
    """Material's dark scheme ("slate"), as a site that configures a palette toggle shows it."""
    palette = next((site.repo.site / "assets" / "stylesheets").glob("palette.*.min.css"))
    page.add_style_tag(url=site.at(f"assets/stylesheets/{palette.name}"))
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), background


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", list(HINTS))
def test_hint_text_has_a_contrast_of_at_least_4_5_to_1(page, sample_site, path, scheme):
    page.goto(sample_site.at(path))
    if scheme == "dark":
        use_dark_scheme(page, sample_site)
    hints = page.locator(HINTS[path])
    assert hints.count() > 0, HINTS[path]
    ratios = hints.evaluate_all(f"els => els.map(el => [el.textContent.trim(), ({CONTRAST})(el)])")
    low = [(text, round(ratio, 2)) for text, ratio in ratios if ratio < AA]
    assert low == [], f"{path} ({scheme}): hint text below {AA}:1: {low[:5]}"


def test_the_contrast_measure_sees_pale_text(page, sample_site):
    # The control: Material's own light grey (the colour the hints had) measures below AA on a shaded row.
    page.goto(sample_site.at("coverage/"))
    note = page.locator("#sms-coverage tr.sms-clause-heading .sms-note").first
    note.evaluate("el => el.style.color = 'var(--md-default-fg-color--light)'")
    assert note.evaluate(CONTRAST) < AA


def test_parents_children_and_document_history_are_headings_after_the_body(page, sample_site):
    page.goto(sample_site.at("processes/prc-inc-incident-management/"))
    expect(page.get_by_role("heading", name="Parents", level=2)).to_have_count(1)
    expect(page.get_by_role("heading", name="Procedures under it", level=2)).to_have_count(1)
    expect(page.get_by_role("heading", name="Document history", level=2)).to_have_count(1)
    # The heading outline of the article never skips a level.
    levels = page.locator("article").evaluate(
        "a => Array.from(a.querySelectorAll('h1, h2, h3, h4, h5, h6'), h => +h.tagName[1])"
    )
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    # The document header's link to the history sheet lands on its heading.
    page.locator(".sms-meta a[href='#document-history']").click()
    expect(page.get_by_role("heading", name="Document history", level=2)).to_be_in_viewport()


def test_roles_list_what_each_role_owns_and_approves_under_headings(page, sample_site):
    page.goto(sample_site.at("roles/"))
    role = page.get_by_role("heading", name="Incident Manager", level=2)
    expect(role).to_have_count(1)
    expect(page.get_by_role("heading", name="Owns", level=3).first).to_be_visible()
    expect(page.get_by_role("heading", name="Approves", level=3).first).to_be_visible()
