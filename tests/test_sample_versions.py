"""Issue 3, "Done when", on a copy of the sample library: suspects, SMS301, three versions."""

from __future__ import annotations

import json
import re

import pytest
from sample_site import SAMPLE_COMMIT_DATE, SAMPLE_EPOCH, build_sample, front_matter, sample_available, sample_repo
from support import read_page

pytestmark = pytest.mark.skipif(bool(sample_available()), reason="the sample library is not in this checkout")

POLICY = "policies/pol-inc-incident-and-request-management.md"
PROCEDURE = "procedures/incident/pro-inc-002-log-and-classify.md"
# The sample's latest versions were approved on 2026-11-30, the day before SAMPLE_EPOCH; the
# third-version test approves two more on later days, so it builds a fortnight later.
LATER_EPOCH = str(int(SAMPLE_EPOCH) + 14 * 86400)  # 2026-12-15


def _next(source: str, major: bool = False) -> str:
    """The next minor (or major) version after the one the sample document has now."""
    current_major, current_minor = (int(part) for part in front_matter(source)["version"].split("."))
    return f"{current_major + 1}.0" if major else f"{current_major}.{current_minor + 1}"


def _findings(repo) -> list[dict]:
    result = repo.check("--format", "json", SOURCE_DATE_EPOCH=SAMPLE_EPOCH)
    return json.loads(result.stdout)["findings"]


def _bump(repo, path: str, version: str, change: str, approved: str) -> None:
    text = (repo.root / path).read_text(encoding="utf-8")
    text = re.sub(r'^version: "[^"]*"$', f'version: "{version}"', text, count=1, flags=re.M)
    text = re.sub(r"^approved: .*$", f"approved: {approved}", text, count=1, flags=re.M)
    text = re.sub(r"^change: .*\n", "", text, flags=re.M)
    text = text.replace("\nparents:", f"\nchange: {change}\nparents:", 1)
    (repo.root / path).write_text(text, encoding="utf-8")


def test_a_new_major_version_of_a_policy_makes_its_processes_and_procedures_suspect(tmp_path):
    repo = sample_repo(tmp_path / "sample")
    assert _findings(repo) == []
    _bump(repo, POLICY, _next(POLICY, major=True), "Incidents and requests now share one intake channel.", "2026-12-01")
    repo.commit("POL-INC major version", when="2026-11-22T10:00:00+00:00")

    suspects = {f["id"] for f in _findings(repo) if f["code"] == "SMS306"}

    assert "PRC-INC" in suspects and "PRC-REQ" in suspects  # processes under POL-INC
    assert {"PRO-INC-001", "PRO-INC-002", "PRO-REQ-001"} <= suspects  # and, through them, their procedures
    assert not any(s.startswith(("PRC-CHG", "PRO-CHG")) for s in suspects)  # other branches stay clear
    built = build_sample(repo)
    # A notice: the live site keeps publishing, and tells staff the procedure is under review.
    assert built.returncode == 0 and "SMS306 notice" in built.output, built.output
    page = read_page(repo.page(PROCEDURE))
    banner = page.find(class_="sms-banner--suspect").text
    assert banner.startswith("Under review. Its policy POL-INC changed on 2026-12-01")
    assert "This version still applies" in banner


def test_editing_an_approved_sample_procedure_without_a_bump_fails_check_with_sms301(tmp_path):
    repo = sample_repo(tmp_path / "sample")
    path = repo.root / PROCEDURE
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")

    result = repo.check(SOURCE_DATE_EPOCH=SAMPLE_EPOCH)

    assert result.returncode == 1
    assert f"{PROCEDURE}:5: SMS301 error:" in result.output  # the line of `version`


def test_a_sample_document_with_three_versions_shows_all_three_each_past_one_readable_and_diffed(tmp_path):
    repo = sample_repo(tmp_path / "sample")
    first, second, third = front_matter(PROCEDURE)["version"], _next(PROCEDURE), _next(PROCEDURE, major=True)
    _bump(repo, PROCEDURE, second, "Added the call-back rule for unverified callers.", "2026-12-02")
    repo.commit(f"PRO-INC-002 {second}", when="2026-11-21T10:00:00+00:00")
    _bump(repo, PROCEDURE, third, "Moved priority decisions to the Duty Manager.", "2026-12-03")
    repo.commit(f"PRO-INC-002 {third}", when="2026-11-22T10:00:00+00:00")

    assert repo.build("--strict", SOURCE_DATE_EPOCH=LATER_EPOCH).returncode == 0
    stem = repo.page(PROCEDURE).parent
    history = read_page(stem.with_name(stem.name + ".history") / "index.html")
    titles = [h.text for h in history.find_all("h2")]
    assert titles[:3] == [f"Version {third} (in force)", f"Version {second} (superseded)", f"Version {first} (superseded)"]
    for number in (first, second):
        past = read_page(stem.with_name(f"{stem.name}.v{number}") / "index.html")
        assert "Superseded." in past.find(class_="sms-banner--superseded").text
        assert past.find("section", class_="sms-version-diff") is not None
    newest_past = read_page(stem.with_name(f"{stem.name}.v{second}") / "index.html")
    diff = newest_past.find("section", class_="sms-version-diff")
    assert diff.find("td", class_="sms-field-new").text == second  # the version field, changed
    assert "The text did not change" in diff.text and diff.find_all("ins") == []  # only front matter changed
    assert SAMPLE_COMMIT_DATE[:10] in history.text


def test_the_sample_keeps_publishing_long_after_its_reviews_fall_due(tmp_path):
    """The passing of time never fails a build: two years on, every review is overdue, and the
    strict build still publishes, with the overdue reviews as notices and banners."""
    repo = sample_repo(tmp_path / "sample")
    two_years_on = str(int(SAMPLE_EPOCH) + 2 * 365 * 86400)

    built = repo.build("--strict", SOURCE_DATE_EPOCH=two_years_on)

    assert built.returncode == 0, built.output
    assert "WARNING" not in built.output and built.output.count("SMS305 notice") >= 40, built.output
    assert read_page(repo.page(PROCEDURE)).find(class_="sms-banner--overdue") is not None
