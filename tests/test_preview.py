"""The author's preview (SPEC §5): `mkdocs serve` publishes nothing and
always renders the working tree, errors included, with each finding as a banner on its
page, a bar on every page that counts them and a findings page; `mkdocs build` of the same
tree still refuses to publish and leaves site/ as it was.

Every test runs a real `mkdocs serve` on a free port and reads its pages over HTTP.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urljoin

from history_support import body_with, commit_as, new_library, revise
from serve_support import Server, serving, wait_for
from support import LibraryRepo, Node, clean_docs, doc, parse_html, snapshot

from sms_docs_plugin.site.history_pages import KeptFromLastBuild

PAGE = "procedures/pro-inc-001/"


def page_of(server: Server, path: str) -> Node:
    status, text = server.get(path)
    assert status == 200, f"{path}: HTTP {status}"
    return parse_html(text)


def findings_shown(page: Node) -> list[tuple[str, str, str]]:
    """(severity class, code, text) of every finding banner on a page."""
    shown = []
    for banner in page.find_all("div", class_="sms-finding"):
        severity = next(c.removeprefix("sms-finding--") for c in banner.classes if c.startswith("sms-finding--"))
        shown.append((severity, banner.find("code", class_="sms-finding__code").text, banner.text))
    return shown


def findings_page(server: Server, page_path: str, page: Node) -> tuple[str, Node]:
    """The findings page, reached by the link of the bar on `page`."""
    link = page.find("a", class_="sms-preview-link").attrs["href"]
    path = urljoin(page_path, link)
    return path, page_of(server, path)


def test_an_edit_without_a_version_bump_shows_at_once_with_an_sms301_banner(clean_library: LibraryRepo, tmp_path):
    repo = clean_library
    assert repo.build().returncode == 0
    published = snapshot(repo.site)
    spec = repo.spec("PRO-INC-001")
    with serving(repo, tmp_path / "serve.log") as server:
        page = page_of(server, PAGE)
        assert findings_shown(page) == []
        assert "No findings" in page.find(class_="sms-preview-bar").text

        repo.write(spec.path, spec.text() + "\nEDITEDWITHOUTABUMP\n")
        edited = time.monotonic()
        assert wait_for(lambda: "EDITEDWITHOUTABUMP" in server.get(PAGE)[1], timeout=30), server.log[-3000:]
        took = time.monotonic() - edited
        assert took < 15, f"the preview took {took:.1f} s to show the edit"

        page = page_of(server, PAGE)
        shown = findings_shown(page)
        assert [(severity, code) for severity, code, _ in shown] == [("error", "SMS301")]
        assert "version" in shown[0][2]  # the message, which says how to fix it
        bar = page.find(class_="sms-preview-bar")
        assert "1 error" in bar.find("span", class_="sms-preview-count--error").text

        path, listing = findings_page(server, PAGE, page)
        group = listing.find("section", class_="sms-findings-file")
        assert spec.path in group.find("h2").text and "SMS301" in group.text
        link = group.find("h2").find("a").attrs["href"]
        assert urljoin(path, link).rstrip("/").endswith(PAGE.rstrip("/"))
        assert server.process.poll() is None and "Traceback" not in server.log

    build = repo.build()
    assert build.returncode != 0 and "SMS301" in build.output
    assert snapshot(repo.site) == published, "mkdocs build published a tree with an error"


def test_a_tree_with_errors_is_previewed_from_the_start_every_finding_on_its_page(make_library, tmp_path):
    typo = doc("PRO-INC-002", "procedure", parents=["PRC-INX"], title="Close an incident")  # SMS203
    unknown = doc("PRO-INC-003", "procedure", parents=["PRC-INC"], title="Reopen an incident", reveiw="2027-01-01")
    hostile = doc("PRO-INC-004", "procedure", parents=["PRC-INC", "<img src=x onerror=alert(1)>"])  # SMS203
    repo = make_library(*clean_docs(), typo, unknown, hostile)
    repo.write("procedures/broken.md", "no front matter at all\n")  # SMS101: a file with no page
    with serving(repo, tmp_path / "serve.log") as server:
        page = page_of(server, "procedures/pro-inc-002/")
        assert "Close an incident" in page.find("h1").text  # the page itself is there
        assert [(s, c) for s, c, _ in findings_shown(page)] == [("error", "SMS203")]
        assert "PRC-INX" in findings_shown(page)[0][2]

        page = page_of(server, "procedures/pro-inc-003/")
        assert [(s, c) for s, c, _ in findings_shown(page)] == [("warning", "SMS104")]

        assert findings_shown(page_of(server, PAGE)) == []  # a clean page has no banner, but the bar
        bar = page_of(server, PAGE).find(class_="sms-preview-bar")
        assert "3 errors" in bar.text and "1 warning" in bar.text

        page = page_of(server, "procedures/pro-inc-004/")
        assert [(s, c) for s, c, _ in findings_shown(page)] == [("error", "SMS203")]
        assert "<img src=x onerror=alert(1)>" in findings_shown(page)[0][2]  # shown as text
        assert page.find("div", class_="sms-findings").find_all("img") == []

        _, listing = findings_page(server, PAGE, page)
        files = {group.find("h2").text: group for group in listing.find_all("section", class_="sms-findings-file")}
        assert set(files) == {"procedures/broken.md", typo.path, unknown.path, hostile.path}
        assert listing.find("div", class_="sms-findings-page").find_all("img") == []
        assert "SMS101" in files["procedures/broken.md"].text
        assert files["procedures/broken.md"].find("h2").find_all("a") == []  # no page to link to
        assert files[typo.path].find("h2").find("a")
        assert "Traceback" not in server.log


def test_a_built_site_shows_no_preview_parts(make_library):
    unknown = doc("PRO-INC-003", "procedure", parents=["PRC-INC"], title="Reopen an incident", reveiw="2027-01-01")
    repo = make_library(*clean_docs(), unknown)
    build = repo.build()
    assert build.returncode == 0 and "SMS104" in build.output
    page = repo.doc_page("PRO-INC-003").read_text(encoding="utf-8")
    assert "sms-finding" not in page and "sms-preview" not in page
    assert "md-banner" not in page  # Material shows its announcement bar only when there is one
    assert not (repo.site / "findings").exists()
    assert not (repo.site / "assets" / "sms-docs" / "sms-preview.css").exists()


def _article(html_text: str) -> str:
    return str(parse_html(html_text).find("article").text)


def test_a_rebuild_reuses_nothing_stale_and_shows_what_a_build_shows(tmp_path):
    """A preview keeps the conversions and redlines of its last build for the next one: a
    document edited in between is compared afresh, and an untouched one reads as a fresh
    `mkdocs build` writes it."""
    day = "2026-01-05"
    repo = new_library(tmp_path / "lib", *clean_docs(), doc("PRO-INC-002", "procedure", ["PRC-INC"], title="Escalate"), day=day)
    for doc_id in ("PRO-INC-001", "PRO-INC-002"):
        revise(repo, doc_id, version="1.1", approved="2026-02-01", change="Adds a step.", body=body_with(repo, doc_id, "FIRSTADDED"))
    commit_as(repo, "Version 1.1", "Ada First", "2026-02-01")
    assert repo.build().returncode == 0
    built = {name: _article((repo.site / "procedures" / name / "index.html").read_text(encoding="utf-8"))
             for name in ("pro-inc-001.changes", "pro-inc-002.changes")}
    assert all("FIRSTADDED" in text for text in built.values())

    with serving(repo, tmp_path / "serve.log") as server:
        first = {name: _article(server.get(f"procedures/{name}/")[1]) for name in built}
        assert first == built
        revise(repo, "PRO-INC-001", version="1.2", approved="2026-03-01", change="Adds another step.",
               body=body_with(repo, "PRO-INC-001", "SECONDADDED"))
        assert wait_for(lambda: "SECONDADDED" in server.get("procedures/pro-inc-001.changes/")[1], timeout=30), server.log[-3000:]

        changes = parse_html(server.get("procedures/pro-inc-001.changes/")[1]).find("article")
        assert [mark.text.strip() for mark in changes.find_all("ins")] == ["SECONDADDED"]
        assert "FIRSTADDED" not in [mark.text.strip() for mark in changes.find_all("ins")]
        assert _article(server.get("procedures/pro-inc-002.changes/")[1]) == built["pro-inc-002.changes"]
        assert "Traceback" not in server.log


def test_a_preview_keeps_only_what_its_last_build_used():
    kept = KeptFromLastBuild(limit=3)
    made: list[str] = []

    def make(value: str) -> Callable[[], str]:
        return lambda: made.append(value) or value

    assert [kept.get((key,), make(key)) for key in ("a", "b", "a")] == ["a", "b", "a"]
    kept.build_done()
    assert kept.get(("a",), make("a")) == "a" and kept.get(("c",), make("c")) == "c"
    kept.build_done()  # "b" was not used by the last build: made again
    assert kept.get(("b",), make("b")) == "b" and kept.get(("a",), make("a")) == "a"
    assert made == ["a", "b", "c", "b"]
    for key in "defgh":
        kept.get((key,), make(key))
    assert len(kept.now) == 3  # at most `limit`, however many the build asks for
