"""A document's version history in a real browser (spec §5): the date box answers which
version was in force on a day, from the page alone (no outside script, no request)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

HISTORY = "procedures/incident/pro-inc-002-log-and-classify.history/"


def test_the_date_box_names_the_version_in_force_on_a_day(page, sample_site, js_errors, artifacts):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(sample_site.at(HISTORY))
    box = page.locator("form.sms-in-force-box")
    answer = box.locator("output")
    version = page.locator("section.sms-version").first.get_attribute("data-version")
    start = page.locator("section.sms-version").first.get_attribute("data-from")

    # The build date is filled in: the version in force today is named at once.
    assert f"version {version} was in force" in answer.inner_text()
    box.locator("input").fill("2020-01-01")
    assert answer.inner_text() == "On 2020-01-01 no version of this document was in force."
    box.locator("input").fill(start)
    assert answer.inner_text().startswith(f"On {start} version {version} was in force (from {start}")
    answer.locator("a").click()
    assert page.url.endswith(f"#v{version}")
    page.screenshot(path=str(artifacts / "screenshots" / "history-date-box.png"), full_page=False)
    assert js_errors == []
    assert all(url.startswith(sample_site.url) for url in requests), [u for u in requests if not u.startswith(sample_site.url)]
