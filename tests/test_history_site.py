"""The history a built site shows (SPEC §4, §5): the document history sheet, the version
history page, superseded versions with their diffs, escaping of everything that comes from
git, and builds with no, partial or uncommitted history.

One library is built once for the module (`mkdocs build` as a real process, with a `git`
on PATH that counts its calls); the partial-history cases build their own small copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from history_support import (
    GitCounter,
    assert_built,
    body_with,
    body_with_steps,
    commit_as,
    new_library,
    revise,
)
from support import Completed, LibraryRepo, Node, copy_tree, doc, read_page, resolve_href

A = "2026-01-05"  # first approval of every document; "today" is 2026-06-01
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# git refuses < and > in author names, so the author's payload breaks out of attributes instead.
AUTHOR_PAYLOAD = 'Eve & "Mallory" onerror=alert(1) Hacker'
STEPS_1_0 = ["Open a ticket.", "Classify the ticket by impact.", "Assign the ticket."]
STEPS_1_1 = ["Open a ticket.", "Classify the ticket by impact.", "Assign the ticket to the resolver group."]
STEPS_2_0 = ["Open a ticket.", "Classify the ticket by impact and urgency.", "Assign the ticket to the resolver group."]


@dataclass
class Site:
    repo: LibraryRepo
    result: Completed
    counter: GitCounter
    shas: dict[str, str]  # label -> 10-character commit hash

    def page(self, doc_id: str, suffix: str = "") -> Path:
        return self.repo.site / "procedures" / f"{doc_id.lower()}{suffix}" / "index.html"

    def read(self, doc_id: str, suffix: str = "") -> Node:
        return read_page(self.page(doc_id, suffix))


def _new_version(repo: LibraryRepo, doc_id: str, version: str, day: str, author: str, change: str,
                 body: str | None = None, **fields: object) -> str:
    revise(repo, doc_id, version=version, approved=day, change=change,
           body=body or body_with(repo, doc_id, f"Text of version {version}."), **fields)
    return commit_as(repo, f"{doc_id} version {version}", author, day)[:10]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("history-site")
    specs = [
        doc("POL-SMS", "policy", title="Service management policy", approved=A),
        doc("POL-INC", "policy", parents=["POL-SMS"], title="Incident management policy", approved=A),
        doc("PRC-INC", "process", parents=["POL-INC"], title="Incident management", approved=A),
        # three versions and a review
        doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title="Log an incident", approved=A,
            body=body_with_steps("PRO-INC-001", "procedure", "Log an incident", STEPS_1_0)),
        # a version dip, superseded: 1.0, 2.0, 1.5, 3.0
        doc("PRO-INC-002", "procedure", parents=["PRC-INC"], title="Escalate an incident", approved=A),
        # a new version that takes effect after "today"
        doc("PRO-INC-003", "procedure", parents=["PRC-INC"], title="Close an incident", approved=A),
        # hostile text in an old version's front matter, a commit message and an author name
        doc("PRO-INC-004", "procedure", parents=["PRC-INC"], title=f"Hostile {SCRIPT} title", approved=A,
            body=body_with_steps("PRO-INC-004", "procedure", "Hostile title", ["Do the thing."])),
        # a new version not yet committed
        doc("PRO-INC-005", "procedure", parents=["PRC-INC"], title="Reopen an incident", approved=A),
    ]
    repo = new_library(root / "lib", *specs, author="Ada First", day=A)
    shas = {"initial": repo.head[:10]}
    shas["001 v1.1"] = _new_version(
        repo, "PRO-INC-001", "1.1", "2026-02-01", "Bob Writer", "Adds the assignment rule.",
        body=body_with_steps("PRO-INC-001", "procedure", "Log an incident", STEPS_1_1),
        approver="Head of Service Desk")
    shas["001 v2.0"] = _new_version(
        repo, "PRO-INC-001", "2.0", "2026-03-01", "Carol Editor", "Classify by impact and urgency.",
        body=body_with_steps("PRO-INC-001", "procedure", "Log an incident", STEPS_2_0),
        approver="Service Manager")
    revise(repo, "PRO-INC-001", review="2027-03-15")
    shas["001 review"] = commit_as(repo, "Annual review: still valid", "Rita Reviewer", "2026-03-15")[:10]
    shas["002 v2.0"] = _new_version(repo, "PRO-INC-002", "2.0", "2026-02-01", "Bob Writer", "Second.")
    shas["002 dip"] = _new_version(repo, "PRO-INC-002", "1.5", "2026-02-10", "Carol Editor", "A dip.")
    shas["002 v3.0"] = _new_version(repo, "PRO-INC-002", "3.0", "2026-02-20", "Dan Fixer", "Third.")
    shas["003 v1.1"] = _new_version(repo, "PRO-INC-003", "1.1", "2026-05-01", "Bob Writer", "New closure codes.",
                                    effective="2026-07-01")
    revise(repo, "PRO-INC-004", title="Hostile title", version="1.1", approved="2026-02-01",
           change=f"Was {IMG} and {SCRIPT}")
    shas["004 v1.1"] = commit_as(repo, f"Retitle {SCRIPT}\n\nWhy: {IMG}", AUTHOR_PAYLOAD, "2026-02-01")[:10]
    shas["004 v1.2"] = _new_version(repo, "PRO-INC-004", "1.2", "2026-03-01", "Bob Writer", "A plain change.")
    revise(repo, "PRO-INC-005", version="1.1", approved="2026-05-20", change="Reopening needs a reason.",
           body=body_with(repo, "PRO-INC-005", "State the reason."))  # left uncommitted

    counter = GitCounter.install(root)
    result = repo.build(PATH=counter.path)
    assert_built(result)
    return Site(repo, result, counter, shas)


def rows(page: Node) -> list[list[str]]:
    """The cells of the document history sheet, row by row."""
    sheet = page.find("section", class_="sms-history-sheet")
    return [[cell.text for cell in row.find_all("td")] for row in sheet.find("tbody").find_all("tr")]


# --------------------------------------------------------------------------- one pass, in a real build


def test_the_build_reads_git_history_in_one_pass(site):
    assert site.counter.count("log") == 1, site.counter.calls()
    # Blobs come in batches: one for the pass, one for the texts of the versions in force that
    # are not the working tree (PRO-INC-003's next version is not yet in force), and one for the
    # texts of the nine past versions and their diffs; never one git call per version or per file.
    assert 1 <= site.counter.calls().count(["cat-file", "--batch"]) <= 3, site.counter.calls()
    assert len(list(site.repo.site.glob("procedures/*.v*"))) == 9


# --------------------------------------------------------------------------- document history sheet


def test_the_document_page_ends_with_its_history_sheet(site):
    page = site.read("PRO-INC-001")
    article = page.find("article")
    sections = article.find_all("section")

    assert sections and "sms-history-sheet" in sections[-1].classes
    text = article.text
    assert text.index("Assign the ticket to the resolver group.") < text.index("Document history")


def test_the_history_sheet_has_one_row_per_version_newest_first(site):
    assert rows(site.read("PRO-INC-001")) == [
        ["2.0 (in force, changes)", "2026-03-01", "2026-03-01 – today",
         "Classify by impact and urgency. · reviewed, no change: 2026-03-15", "Service Manager", "Carol Editor"],
        ["1.1", "2026-02-01", "2026-02-01 – 2026-03-01", "Adds the assignment rule.", "Head of Service Desk",
         "Bob Writer"],
        ["1.0", "2026-01-05", "2026-01-05 – 2026-02-01", "First version", "Head of Service", "Ada First"],
    ]


def test_the_history_sheet_links_each_past_version_to_its_own_page(site):
    path = site.page("PRO-INC-001")
    sheet = read_page(path).find("section", class_="sms-history-sheet")
    links = dict(sheet.find("tbody").links())
    changes = links.pop("changes")  # the current version is this page; its diff has a page of its own

    assert set(links) == {"1.1", "1.0"}
    changes_page = read_page(resolve_href(path, changes, site.repo.site))
    assert changes_page.find("h1").text == "PRO-INC-001 Log an incident — changes in version 2.0"
    for number, href in links.items():
        target = resolve_href(path, href, site.repo.site)
        assert target.is_file(), href
        assert read_page(target).find("h1").text == f"PRO-INC-001 Log an incident — version {number} (superseded)"
    history_links = [href for text, href in sheet.links() if "Every version and commit" in text]
    assert len(history_links) == 1
    assert resolve_href(path, history_links[0], site.repo.site) == site.page("PRO-INC-001", ".history").resolve()


def test_an_uncommitted_version_is_said_to_be_uncommitted_on_its_own_sheet_only(site):
    changed = site.read("PRO-INC-005").find("section", class_="sms-history-sheet")
    untouched = site.read("PRO-INC-001").find("section", class_="sms-history-sheet")

    assert "The version shown includes changes not yet committed." in changed.text
    assert rows(site.read("PRO-INC-005"))[0][:4] == [
        "1.1 (in force, changes)", "2026-05-20", "2026-05-20 – today", "Reopening needs a reason."
    ]
    assert "not yet committed" not in untouched.text
    assert "(with uncommitted changes)" in site.read("PRO-INC-001").find(class_="sms-build-info").text


# --------------------------------------------------------------------------- version history page


def test_the_version_history_page_lists_every_version_and_every_commit(site):
    page = site.read("PRO-INC-001", ".history")
    versions = page.find_all("section", class_="sms-version")

    assert [v.find("h2").text for v in versions] == [
        "Version 2.0 (in force)", "Version 1.1 (superseded)", "Version 1.0 (superseded)"
    ]
    commits = [[cell.text for cell in row.find_all("td")] for v in versions for row in v.find("tbody").find_all("tr")]
    assert commits == [
        [site.shas["001 v2.0"], "2026-03-01", "Carol Editor", "PRO-INC-001 version 2.0"],
        [site.shas["001 review"], "2026-03-15", "Rita Reviewer",
         "Reviewed, no change (next review 2027-03-15): Annual review: still valid"],
        [site.shas["001 v1.1"], "2026-02-01", "Bob Writer", "PRO-INC-001 version 1.1"],
        [site.shas["initial"], "2026-01-05", "Ada First", "Initial library"],
    ]


def test_a_superseded_dip_is_marked_irregular_on_the_history_page(site):
    page = site.read("PRO-INC-002", ".history")
    irregular = page.find_all("tr", class_="sms-irregular-row")

    assert len(irregular) == 1
    assert irregular[0].find("td").text == site.shas["002 dip"]
    assert "Irregular: version 1.5 is not above the earlier version 2.0" in irregular[0].text
    regular = [row for row in page.find_all("tr") if row not in irregular and row.find_all("td")]
    assert all("Irregular" not in row.text for row in regular)


# --------------------------------------------------------------------------- superseded versions


def test_a_past_version_is_its_own_page_watermarked_superseded_naming_the_current_version(site):
    path = site.page("PRO-INC-001", ".v1.1")
    page = read_page(path)

    assert page.find(class_="sms-watermark").text == "SUPERSEDED"
    banner = page.find(class_="sms-banner--superseded")
    assert "Superseded." in banner.text and "The version in force is 2.0" in banner.text
    assert "in force from 2026-02-01 to 2026-03-01" in banner.text
    current = dict(banner.links())["2.0"]
    assert resolve_href(path, current, site.repo.site) == site.page("PRO-INC-001").resolve()
    body = page.find("article").text
    assert "Classify the ticket by impact." in body and "impact and urgency" not in body
    assert page.find("td", colspan="3").text == "Adds the assignment rule."


def test_a_past_version_shows_a_redline_with_the_added_words_marked_and_the_source_diff(site):
    diff = site.read("PRO-INC-001", ".v1.1").find("section", class_="sms-version-diff")

    assert diff.find("h2").text == "Changes from version 1.0"
    redline = diff.find("div", class_="sms-redline")
    assert [i.text for i in diff.find_all("ins")] == ["to the resolver group"]
    assert diff.find_all("del") == []
    assert redline.find_all("li")[2].text == "Assign the ticket to the resolver group."
    source = diff.find("details", class_="sms-source-diff")
    assert source.find("div", class_="sms-del").text == "−3. Assign the ticket."
    assert source.find("div", class_="sms-add").text == "+3. Assign the ticket to the resolver group."
    fields = {row.find_all("td")[0].text: (row.find_all("td")[1].text, row.find_all("td")[2].text)
              for row in diff.find("table", class_="sms-field-changes").find("tbody").find_all("tr")}
    assert fields["version"] == ("1.0", "1.1")
    assert fields["approver"] == ("Head of Service", "Head of Service Desk")
    # unchanged lines are not marked
    assert "Open a ticket." not in " ".join(n.text for n in diff.find_all("ins") + diff.find_all("del"))


def test_the_first_version_page_says_it_is_the_first(site):
    diff = site.read("PRO-INC-001", ".v1.0").find("section", class_="sms-version-diff")

    assert "This is the first version of the document." in diff.text
    assert diff.find_all("ins") == [] and diff.find_all("del") == []


def test_the_change_that_made_the_current_version_is_diffed_too(site):
    pages = [p for p in site.repo.site.rglob("index.html") if "pro-inc-001" in p.parent.name]
    marked = [p for p in pages if any("urgency" in n.text for n in read_page(p).find_all("ins"))]

    assert marked, "no page shows `and urgency` (added in 2.0) as an addition"


# --------------------------------------------------------------------------- escaping


def test_hostile_text_from_git_appears_only_escaped_in_every_built_file(site):
    files = [p for p in site.repo.site.rglob("*") if p.is_file()]
    raw = [AUTHOR_PAYLOAD, SCRIPT, IMG, "<img src=x"]

    leaks = [(p.relative_to(site.repo.site).as_posix(), payload) for p in files
             for payload in raw if payload in p.read_text(encoding="utf-8", errors="replace")]

    assert leaks == []
    # ...and each payload did reach the pages, escaped: the scan above is not vacuous.
    history = site.page("PRO-INC-004", ".history").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in history
    assert "&gt;&lt;img src=x onerror=alert(1)&gt;" in history
    assert "Eve &amp; &#34;Mallory&#34; onerror=alert(1) Hacker" in history


def test_hostile_text_reads_as_written_once_unescaped(site):
    history = site.read("PRO-INC-004", ".history")
    commit_row = next(row for row in history.find_all("tr") if site.shas["004 v1.1"] in row.text)
    old_title = site.read("PRO-INC-004", ".v1.0").find("h1").text

    assert AUTHOR_PAYLOAD in commit_row.text
    assert f"Retitle {SCRIPT}" in commit_row.text
    assert old_title == f"PRO-INC-004 Hostile {SCRIPT} title — version 1.0 (superseded)"
    # the old version's `change` was a double-quoted YAML string with \" escapes: shown as the author wrote it
    assert rows(site.read("PRO-INC-004"))[1][3] == f"Was {IMG} and {SCRIPT}"


# --------------------------------------------------------------------------- effective date ahead


def test_a_version_not_yet_in_force_leaves_the_version_in_force_on_the_page_and_links_to_its_own(site):
    path = site.page("PRO-INC-003")
    page = read_page(path)
    banner = page.find(class_="sms-banner--pending")

    assert page.find("td", class_="sms-meta-version").text == "1.0"  # the version in force
    assert "Version 1.1 was approved and takes effect on 2026-07-01" in banner.text
    (text, href), = banner.links()
    assert text == "Read version 1.1"
    upcoming = resolve_href(path, href, site.repo.site)
    assert upcoming == site.page("PRO-INC-003", ".v1.1").resolve()
    assert "Approved, in force from 2026-07-01." in read_page(upcoming).find(class_="sms-banner--pending").text


def test_a_version_already_in_force_has_no_pending_banner(site):
    assert site.read("PRO-INC-001").find_all(class_="sms-banner--pending") == []


# --------------------------------------------------------------------------- no history, partial history

LIBRARY_FILES = ["mkdocs.yml", "content", "policies", "processes", "procedures"]


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> LibraryRepo:
    """A small library with two versions of its procedure, for clones and copies."""
    repo = new_library(tmp_path_factory.mktemp("origin") / "lib", *[
        doc("POL-SMS", "policy", title="Service management policy", approved=A),
        doc("POL-INC", "policy", parents=["POL-SMS"], title="Incident management policy", approved=A),
        doc("PRC-INC", "process", parents=["POL-INC"], title="Incident management", approved=A),
        doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title="Log an incident", approved=A),
    ], author="Ada First", day=A)
    _new_version(repo, "PRO-INC-001", "1.1", "2026-02-01", "Bob Writer", "Second version.")
    assert repo.check("--strict").returncode == 0  # no warning of its own: builds below fail only for history
    return repo


def sheet_of(repo: LibraryRepo) -> Node:
    return read_page(repo.page("procedures/pro-inc-001.md")).find("section", class_="sms-history-sheet")


def test_without_git_the_build_succeeds_and_pages_say_history_is_missing(origin, tmp_path):
    plain = LibraryRepo(tmp_path / "no-git", specs=dict(origin.specs))
    copy_tree(origin.root, plain.root, LIBRARY_FILES)
    assert not (plain.root / ".git").exists()

    result = plain.build()

    assert_built(result)
    sheet = sheet_of(plain)
    assert "not a git repository" in sheet.text and "no history" in sheet.text
    assert not list((plain.site / "procedures").glob("*.history"))
    assert "unknown" in read_page(plain.page("procedures/pro-inc-001.md")).find(class_="sms-build-info").text


def test_a_shallow_clone_builds_even_strict_with_a_notice_that_says_how_to_fetch_history(origin, tmp_path):
    clone = LibraryRepo(tmp_path / "shallow", specs=dict(origin.specs))
    origin.git("clone", "-q", "--depth", "1", f"file://{origin.root}", str(clone.root))

    result = clone.build("--strict")

    assert_built(result)
    assert not [line for line in result.output.splitlines() if line.startswith("WARNING")], result.output
    notices = [line for line in result.output.splitlines() if line.startswith("INFO")]
    assert any("shallow" in line and "git fetch --unshallow" in line for line in notices), result.output
    sheet = sheet_of(clone)
    assert "shallow clone" in sheet.text and "git fetch --unshallow" in sheet.text
    assert [r[0] for r in rows(read_page(clone.page("procedures/pro-inc-001.md")))] == ["1.1 (in force)"]


def test_a_detached_head_builds_the_checked_out_commit(origin, tmp_path):
    clone = LibraryRepo(tmp_path / "detached", specs=dict(origin.specs))
    origin.git("clone", "-q", str(origin.root), str(clone.root))
    clone.git("checkout", "-q", "--detach", "HEAD~1")

    result = clone.build()

    assert_built(result)
    page = read_page(clone.page("procedures/pro-inc-001.md"))
    assert page.find("td", class_="sms-meta-version").text == "1.0"
    assert [r[0] for r in rows(page)] == ["1.0 (in force)"]
    assert "HEAD is detached" in sheet_of(clone).text
    assert "detached HEAD" in page.find(class_="sms-build-info").text

