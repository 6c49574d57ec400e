"""The published sample site, read as files (SPEC §5): every page of §5 exists,
restricted and retired text appears only where the spec allows, drafts and restricted
documents come in only when the build is told, the footer names the commit and date, and
two builds of one commit are byte-identical.

The sample library of this repository is copied into a temporary git repository (one
commit, fixed dates) and built with a real `mkdocs build --strict` (tests/sample_site.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sample_site import (
    DRAFT_ID,
    DRAFT_SOURCE,
    ONLY_IN_DRAFT,
    ONLY_IN_RESTRICTED,
    ONLY_IN_RETIRED,
    REPO_ROOT,
    RESTRICTED_ID,
    RESTRICTED_MARKER,
    RESTRICTED_SOURCE,
    RETIRED_ID,
    RETIRED_MARKER,
    RETIRED_SOURCE,
    SAMPLE_TODAY,
    build_sample,
    built_sample,
    page_folder,
    site_files,
)
from support import LibraryRepo, Node, parse_html, read_page, resolve_href, snapshot

ATOM = "{http://www.w3.org/2005/Atom}"
RECORD_PAGES = (
    "register", "hierarchy", "coverage", "assessment", "reviews", "records", "external-documents", "roles", "changes",
    "archive",
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> LibraryRepo:
    """The sample built as it is configured: no drafts, no restricted documents."""
    return built_sample(tmp_path_factory.mktemp("site-a") / "northwind")


@pytest.fixture(scope="module")
def sample_with_everything(tmp_path_factory: pytest.TempPathFactory) -> LibraryRepo:
    """The sample built with `publish_drafts: true` and `include_restricted: true`."""
    return built_sample(
        tmp_path_factory.mktemp("site-opts") / "northwind",
        {"publish_drafts": True, "include_restricted": True},
    )


def page_of(repo: LibraryRepo, source: str) -> Path:
    return repo.site / page_folder(source) / "index.html"


def own_pages_of(source: str) -> str:
    """The site prefix shared by a document's page, its history page and its past versions."""
    return source.removesuffix(".md")


def register_ids(repo: LibraryRepo) -> tuple[list[str], list[str], list[str]]:
    """Ids in register/ (the documents' table, then the external documents'), register.csv
    and register.json, in order."""
    page = read_page(repo.site / "register" / "index.html")
    tables = [page.find("table", id="sms-register"), *page.find_all("table", id="sms-register-external")]
    html_ids = [row.find("td").text for table in tables for row in table.find("tbody").find_all("tr")]
    csv_ids = [row["id"] for row in csv.DictReader(io.StringIO((repo.site / "register.csv").read_text("utf-8")))]
    json_ids = [d["id"] for d in json.loads((repo.site / "register.json").read_text("utf-8"))["documents"]]
    return html_ids, csv_ids, json_ids


def search_locations(repo: LibraryRepo) -> list[dict]:
    return json.loads((repo.site / "search" / "search_index.json").read_text("utf-8"))["docs"]


def primary_nav(page: Node) -> Node:
    return page.find("nav", class_="md-nav--primary")


def following(node: Node) -> list[Node | str]:
    """The siblings after `node`, in order."""
    siblings = node.parent.children if node.parent else []
    index = next(i for i, sibling in enumerate(siblings) if sibling is node)
    return siblings[index + 1:]


# --------------------------------------------------------------------------- the sample's own facts


def test_marker_words_are_where_the_tests_expect_them_in_the_sources():
    """The oracle of the leak tests: each marker and probe word is in its document only."""
    sources = {
        path.relative_to(REPO_ROOT).as_posix(): path.read_text("utf-8").lower()
        for folder in ("content", "policies", "processes", "procedures")
        for path in (REPO_ROOT / folder).rglob("*.md")
    }
    for source, words in (
        (RETIRED_SOURCE, (RETIRED_MARKER, *ONLY_IN_RETIRED)),
        (RESTRICTED_SOURCE, (RESTRICTED_MARKER, *ONLY_IN_RESTRICTED)),
        (DRAFT_SOURCE, ONLY_IN_DRAFT),
    ):
        for word in words:
            holders = [name for name, text in sources.items() if re.search(rf"\b{re.escape(word.lower())}", text)]
            assert holders == [source], f"{word!r} is in {holders}"


# --------------------------------------------------------------------------- every page of §5


@pytest.mark.parametrize("name", RECORD_PAGES)
def test_every_record_page_exists_with_its_heading(sample, name):
    path = sample.site / name / "index.html"
    page = read_page(path)
    assert page.find("h1", class_="sms-title").text, name
    # Every record page is in the Records section of the navigation (open on a record page).
    nav = primary_nav(read_page(sample.site / "register" / "index.html"))
    targets = {resolve_href(sample.site / "register" / "index.html", href, sample.site) for _, href in nav.links()
               if not href.startswith("#")}
    assert path.resolve() in targets, f"{name} is not in the navigation"


def test_register_lists_current_and_retired_documents_in_page_csv_and_json(sample):
    html_ids, csv_ids, json_ids = register_ids(sample)
    assert html_ids == csv_ids == json_ids
    assert len(html_ids) > 40
    assert RETIRED_ID in html_ids
    assert RESTRICTED_ID not in html_ids and DRAFT_ID not in html_ids
    header = (sample.site / "register.csv").read_text("utf-8").split("\n", 1)[0].split(",")
    for column in ("id", "title", "type", "version", "status", "owner", "approver", "approved", "next_review", "parents"):
        assert column in header, header
    data = json.loads((sample.site / "register.json").read_text("utf-8"))
    assert data["commit"] == sample.head
    assert data["generated"] == SAMPLE_TODAY.isoformat()


def test_register_lists_policies_processes_procedures_then_external_documents_each_by_id(sample):
    data = json.loads((sample.site / "register.json").read_text("utf-8"))["documents"]
    order = {"policy": 0, "process": 1, "procedure": 2, "external": 3}
    keys = [(order[d["type"]], d["id"]) for d in data]
    assert keys == sorted(keys)
    assert [d["id"] for d in data][:1] == ["POL-AUD"]
    procedure = next(d for d in data if d["id"] == "PRO-INC-002")
    assert procedure["parents"] == ["PRC-INC"]  # a list in JSON


def test_register_table_has_the_columns_of_the_spec_and_links_every_row(sample):
    path = sample.site / "register" / "index.html"
    table = read_page(path).find("table", id="sms-register")
    headings = [th.text for th in table.find("thead").find_all("th")]
    assert headings == ["Id", "Title", "Type", "Version", "Status", "Owner", "Approver", "Approved", "Next review",
                        "Parents"]
    for row in table.find("tbody").find_all("tr"):
        link = row.find("a")
        assert resolve_href(path, link.attrs["href"], sample.site).is_file(), link.attrs["href"]


def test_hierarchy_has_a_diagram_drawn_at_build_time_and_a_tree(sample):
    path = sample.site / "hierarchy" / "index.html"
    page = read_page(path)
    svg = page.find("svg", class_="sms-tree")
    labels = [text.text for text in svg.find_all("text")]
    assert "POL-SMS Service management policy" in labels
    assert "PRO-INC-002 Log and classify an incident" in labels
    assert not any(label.startswith((RETIRED_ID, RESTRICTED_ID, DRAFT_ID)) for label in labels)
    for _, href in svg.links():
        assert resolve_href(path, href, sample.site).is_file(), href
    tree = page.find("ul", class_="sms-tree-list")
    assert [a.text for a in tree.find_all("a")][:1] == ["POL-SMS"]
    assert len(tree.find_all("li")) == len(labels)


def test_coverage_marks_the_two_gaps_and_counts_covered_clauses(sample):
    page = read_page(sample.site / "coverage" / "index.html")
    gaps = page.find_all("tr", class_="sms-gap")
    covered = page.find_all("tr", class_="sms-covered")
    assert [row.attrs["data-clause"] for row in gaps] == ["8.2.3", "8.4.2"]
    summary = page.find("p", class_="sms-summary").text
    assert f"{len(covered)} of {len(covered) + len(gaps)} clauses" in summary, summary
    clauses = [row.attrs["data-clause"] for row in page.find_all("tr") if "data-clause" in row.attrs]
    for number in ("4", "5", "6", "7", "8", "9", "10", "8.6.1", "8.6.2", "8.6.3", "8.7.3"):
        assert number in clauses, number


def test_assessment_scores_items_a_to_q_each_with_a_verdict_and_evidence(sample):
    page = read_page(sample.site / "assessment" / "index.html")
    rows = page.find("table", id="sms-assessment").find("tbody").find_all("tr")
    assert [row.attrs["id"] for row in rows] == [f"item-{letter}" for letter in "abcdefghijklmnopq"]
    for row in rows:
        cells = row.find_all("td")
        assert cells[2].text in ("no deficiency found", "deficiency found", "for a person to judge"), (
            row.attrs["id"], cells[2].text)
        assert cells[3].find("p", class_="sms-verdict-summary").text, f"{row.attrs['id']} says nothing"
    # b: the deliberate gap in clause 8.4.2 (demand management) has no process; o: both gaps.
    item_b, item_o = page.find("tr", id="item-b"), page.find("tr", id="item-o")
    assert item_b.find_all("td")[2].text == "deficiency found" and "8.4.2" in item_b.text
    assert "8.2.3" in item_o.text and "8.4.2" in item_o.text


def test_reviews_page_has_its_four_lists(sample):
    page = read_page(sample.site / "reviews" / "index.html")
    headings = {h.attrs.get("id"): h.text for h in page.find_all("h2")}
    for anchor in ("overdue", "due-soon", "suspect", "drafts"):
        assert anchor in headings, headings
    # The unpublished draft is listed for its owner, without a link to a page that does not exist.
    after = following(page.find("h2", id="drafts"))
    text = " ".join(node.text if isinstance(node, Node) else node for node in after)
    assert DRAFT_ID in text
    assert not any(DRAFT_ID.lower() in href for _, href in page.links())


def test_roles_page_lists_what_each_role_owns_and_approves(sample):
    page = read_page(sample.site / "roles" / "index.html")
    roles = {h.text: h for h in page.find_all("h2") if h.attrs.get("id", "").startswith("role-")}
    assert "Head of Service Desk" in roles and "Managing Director" in roles, list(roles)
    block = following(roles["Head of Service Desk"])
    owned = next(node for node in block if isinstance(node, Node) and "sms-relations" in node.classes)
    assert "PRO-INC-002" in owned.text


def test_changes_page_and_its_atom_feed(sample):
    page = read_page(sample.site / "changes" / "index.html")
    rows = page.find("table", id="sms-changes").find("tbody").find_all("tr")
    assert len(rows) > 40
    feed_links = [href for text, href in page.links() if "Atom" in text]
    assert feed_links and resolve_href(sample.site / "changes" / "index.html", feed_links[0], sample.site).name == (
        "changes.xml"
    )
    feed = ET.fromstring((sample.site / "changes.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text
    assert feed.find(f"{ATOM}id").text and feed.find(f"{ATOM}updated").text
    entries = feed.findall(f"{ATOM}entry")
    assert entries, "the feed has no entries"
    for entry in entries:
        for child in ("title", "id", "updated", "author"):
            assert entry.find(f"{ATOM}{child}") is not None, (child, ET.tostring(entry))
    assert any("PRO-INC-002" in entry.find(f"{ATOM}title").text for entry in entries)


def test_archive_lists_the_retired_document_watermarked_obsolete(sample):
    path = sample.site / "archive" / "index.html"
    links = dict(read_page(path).links())
    assert RETIRED_ID in links
    target = resolve_href(path, links[RETIRED_ID], sample.site)
    assert target == page_of(sample, RETIRED_SOURCE)
    retired = read_page(target)
    assert retired.find("div", class_="sms-watermark").text == "OBSOLETE"
    assert retired.find("div", class_="sms-banner--obsolete")


def test_document_page_has_panel_history_sheet_and_version_history(sample):
    path = page_of(sample, "procedures/incident/pro-inc-002-log-and-classify.md")
    page = read_page(path)
    assert page.find("td", class_="sms-meta-id").text == "PRO-INC-002"
    assert page.find("nav", class_="sms-breadcrumbs")
    sheet = page.find("section", class_="sms-history-sheet")
    assert sheet.find("table", class_="sms-history").find("tbody").find_all("tr")
    history = [href for text, href in page.links() if text == "Version history"]
    assert history and resolve_href(path, history[0], sample.site).is_file()


# --------------------------------------------------------------------------- restricted and retired text


def test_restricted_document_is_nowhere_in_the_site(sample):
    offences = []
    for name, text in site_files(sample.site):
        for needle in (RESTRICTED_MARKER, RESTRICTED_ID, "Handle a suspected data breach", *ONLY_IN_RESTRICTED):
            if needle.lower() in text.lower():
                offences.append(f"{name}: {needle}")
    assert offences == []
    assert not page_of(sample, RESTRICTED_SOURCE).exists()


def test_retired_text_appears_only_on_the_retired_documents_own_pages(sample):
    own = own_pages_of(RETIRED_SOURCE)  # its page, its .history page, its .vN pages
    holders = [
        name for name, text in site_files(sample.site)
        if RETIRED_MARKER in text or any(re.search(rf"\b{w}\b", text, re.I) for w in ONLY_IN_RETIRED)
    ]
    assert holders, "the retired document's text is not published at all"
    assert page_folder(RETIRED_SOURCE) + "index.html" in holders
    assert [name for name in holders if not name.startswith(own)] == []


def test_retired_document_is_out_of_the_search_index_the_feeds_and_the_sitemap_text(sample):
    index = (sample.site / "search" / "search_index.json").read_text("utf-8")
    assert RETIRED_MARKER not in index
    assert not [d["location"] for d in search_locations(sample) if "pro-inc-009" in d["location"]]
    for name in ("register.csv", "register.json", "changes.xml", "sitemap.xml"):
        assert RETIRED_MARKER not in (sample.site / name).read_text("utf-8"), name


def test_retired_document_is_outside_every_pages_navigation(sample):
    offences = []
    for path in sorted(sample.site.rglob("*.html")):
        nav = parse_html(path.read_text("utf-8")).find_all("nav", class_="md-nav--primary")
        for node in nav:
            offences += [f"{path.relative_to(sample.site)}: {href}" for _, href in node.links() if "pro-inc-009" in href]
    assert offences == []


def test_metadata_panels_and_history_sheets_are_kept_out_of_the_search_index(sample):
    docs = search_locations(sample)
    procedure = [d for d in docs if d["location"].startswith("procedures/incident/pro-inc-002-log-and-classify/")]
    assert procedure, "PRO-INC-002 is not in the search index"
    text = " ".join(d["text"] for d in procedure)
    assert "Next review" not in text and "Classification" not in text, text[:300]
    assert "Document history" not in text and "First version" not in text
    # Nothing of the generated pages is searchable: results point at documents and guides.
    for name in RECORD_PAGES:
        assert not [d for d in docs if d["location"].startswith(f"{name}/")], name


# --------------------------------------------------------------------------- drafts and restricted on request


def test_drafts_are_absent_by_default(sample):
    assert not page_of(sample, DRAFT_SOURCE).exists()
    offences = [
        name for name, text in site_files(sample.site)
        if any(re.search(rf"\b{w}\b", text, re.I) for w in ONLY_IN_DRAFT)
    ]
    assert offences == []
    assert not [d for d in search_locations(sample) if "pro-prb-003" in d["location"]]


def test_a_draft_is_published_watermarked_when_the_build_is_told(sample_with_everything):
    repo = sample_with_everything
    page = read_page(page_of(repo, DRAFT_SOURCE))
    assert page.find("div", class_="sms-watermark").text == "DRAFT"
    assert page.find("div", class_="sms-banner--draft")
    assert ONLY_IN_DRAFT[0] in page.text.lower()


def test_a_restricted_document_is_published_when_the_build_is_told(sample_with_everything):
    repo = sample_with_everything
    page = page_of(repo, RESTRICTED_SOURCE)
    assert RESTRICTED_MARKER in page.read_text("utf-8")
    html_ids, csv_ids, json_ids = register_ids(repo)
    assert RESTRICTED_ID in html_ids and RESTRICTED_ID in csv_ids and RESTRICTED_ID in json_ids
    assert [d for d in search_locations(repo) if "pro-ism-003" in d["location"]]


# --------------------------------------------------------------------------- footer and reproducibility


def test_every_page_footer_names_the_commit_and_the_build_date(sample):
    short = sample.head[:12]
    pages = sorted(sample.site.rglob("*.html"))
    assert len(pages) > 60
    for path in pages:
        page = read_page(path)
        info = page.find("div", class_="sms-build-info")
        assert info.find("code", class_="sms-build-commit").text == short, path
        assert info.find("time", class_="sms-build-date").attrs["datetime"] == SAMPLE_TODAY.isoformat(), path
        assert "uncommitted" not in info.text, (path, info.text)


def differences(first: Path, second: Path) -> str:
    """Which files of two sites differ and how: files that differ the same way are grouped."""
    a, b = snapshot(first), snapshot(second)
    lines = [f"only in the first: {name}" for name in sorted(set(a) - set(b))]
    lines += [f"only in the second: {name}" for name in sorted(set(b) - set(a))]
    ways: dict[str, list[str]] = {}
    for name in sorted(n for n in set(a) & set(b) if a[n] != b[n]):
        one = (first / name).read_bytes().decode("utf-8", "replace").splitlines()
        two = (second / name).read_bytes().decode("utf-8", "replace").splitlines()
        pair = next(((x, y) for x, y in zip(one, two, strict=False) if x != y), None)
        how = f"{pair[0].strip()[:200]!r}\n    became {pair[1].strip()[:200]!r}" if pair else "(binary or length)"
        ways.setdefault(how, []).append(name)
    for how, names in ways.items():
        listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        lines.append(f"{len(names)} file(s) differ ({listed}):\n    {how}")
    return "\n".join(lines)


def test_two_clones_of_one_commit_build_byte_identical_sites(sample, tmp_path):
    # Another checkout of the same commit, in another folder (as CI and a laptop would have).
    clone = tmp_path / "checkout-elsewhere"
    sample.git("clone", "-q", str(sample.root), str(clone))
    again = LibraryRepo(clone)
    assert again.head == sample.head
    result = build_sample(again)
    assert result.returncode == 0, result.output
    report = differences(sample.site, again.site)
    assert report == "", "two builds of one commit differ:\n" + report


def test_building_the_same_checkout_again_changes_nothing(sample, tmp_path):
    # The first build left site/ in the working tree; that is output, not a change to the library.
    result = build_sample(sample, "--site-dir", str(tmp_path / "second"))
    assert result.returncode == 0, result.output
    report = differences(sample.site, tmp_path / "second")
    assert report == "", "a second build of the same checkout differs:\n" + report
