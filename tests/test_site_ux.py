"""The published sample read as files, for the parts of the site a browser is not needed for:
history pages' own tables of contents, scroll boxes, retired marks, Atom links, the hierarchy
with every parent link, and headings. The browser tests (tests/browser/) check the same pages
as a reader sees them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from sample_site import (
    PAST_VERSION,
    RETIRED_ID,
    RETIRED_SOURCE,
    build_sample,
    built_sample,
    page_folder,
    sample_with_new_version,
)
from support import LibraryRepo, Node, clean_docs, doc, read_page, resolve_href

from sms_docs_plugin.site.page_toc import own_toc

ATOM = "{http://www.w3.org/2005/Atom}"
PROCEDURE = "procedures/incident/pro-inc-002-log-and-classify"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> LibraryRepo:
    return built_sample(tmp_path_factory.mktemp("ux-sample") / "northwind")


@pytest.fixture(scope="module")
def versioned(tmp_path_factory: pytest.TempPathFactory) -> LibraryRepo:
    repo = sample_with_new_version(tmp_path_factory.mktemp("ux-versioned") / "northwind")
    result = build_sample(repo)
    assert result.returncode == 0, result.output
    return repo


def ids_of(page: Node) -> set[str]:
    return {node.attrs["id"] for node in page.iter() if node.attrs.get("id")}


def in_page_targets(page: Node) -> list[str]:
    return [href[1:] for _, href in page.links() if href.startswith("#") and len(href) > 1]


# --------------------------------------------------------------------------- history pages (item 5)


@pytest.mark.parametrize("suffix", [".history", f".v{PAST_VERSION}", ".changes"])
def test_history_pages_carry_their_own_table_of_contents_and_skip_link(versioned, suffix):
    page = read_page(versioned.site / f"{PROCEDURE}{suffix}" / "index.html")
    ids = ids_of(page)
    dangling = sorted({target for target in in_page_targets(page) if target not in ids})
    assert dangling == [], dangling

    article = page.find("article")
    sections = [(h.attrs["id"], h.text.replace("¶", "").strip()) for h in article.find_all("h2")]
    assert sections, "no section"
    for nav in page.find_all("nav", class_="md-nav--secondary"):
        listed = [(a.attrs["href"][1:], a.text.strip()) for a in nav.find_all("a", class_="md-nav__link")]
        assert listed == sections
    skip = page.find("a", class_="md-skip")
    target = skip.attrs["href"][1:]
    assert target in {node.attrs.get("id") for node in article.iter()}


def test_the_document_page_keeps_its_own_table_of_contents(versioned):
    page = read_page(versioned.site / PROCEDURE / "index.html")
    assert page.find("a", class_="md-skip").attrs["href"] == "#purpose"
    toc = page.find("nav", class_="md-nav--secondary")
    assert "#steps" in [a.attrs["href"] for a in toc.find_all("a", class_="md-nav__link")]


SHELL = (
    '<a href="#purpose" class="md-skip">Skip to content</a>'
    '<nav class="md-nav md-nav--secondary" aria-label="Table of contents"><label class="md-nav__title" for="__toc">'
    'Table of contents</label><ul class="md-nav__list" data-md-component="toc" data-md-scrollfix>'
    '<li class="md-nav__item"><a href="#purpose" class="md-nav__link">Purpose</a>'
    '<nav class="md-nav" aria-label="Purpose"><ul class="md-nav__list"><li><a href="#scope">Scope</a></li></ul></nav>'
    "</li></ul></nav><main>"
)


def test_own_toc_lists_the_written_contents_sections_and_skips_to_its_start():
    content = '<div class="sms-doc-header">x</div><h2 id="changes">Changes &amp; more</h2><h2>Version 1.0</h2>'
    shell, written = own_toc(SHELL, content)
    assert '<a href="#sms-content" class="md-skip">Skip to content</a>' in shell
    assert written.startswith('<div id="sms-content" class="sms-doc-header">')
    assert '<h2 id="sms-content-2">Version 1.0</h2>' in written
    assert "#purpose" not in shell and "#scope" not in shell
    assert '<a href="#changes" class="md-nav__link"><span class="md-ellipsis">Changes &amp; more</span></a>' in shell
    assert shell.endswith("</nav><main>") and shell.count("<nav") == shell.count("</nav>") == 1


def test_own_toc_of_content_without_sections_leaves_an_empty_table_of_contents():
    shell, written = own_toc(SHELL, '<p id="top">Nothing else.</p>')
    assert '<a href="#top" class="md-skip">' in shell and written == '<p id="top">Nothing else.</p>'
    assert '<nav class="md-nav md-nav--secondary" aria-label="Table of contents"></nav><main>' in shell


# --------------------------------------------------------------------------- scroll boxes (item 3)


@pytest.mark.parametrize("name", ["register", "changes", "coverage", "reviews", "archive"])
def test_every_table_of_a_record_page_sits_in_its_own_scroll_box(sample, name):
    page = read_page(sample.site / name / "index.html")
    boxes = page.find("article").find_all("div", class_="sms-scroll")
    tables = page.find("article").find_all("table")
    assert tables
    assert sum(len(box.find_all("table")) for box in boxes) == len(tables)
    for box in boxes:
        assert box.attrs.get("tabindex") == "0" and box.attrs.get("role") == "region" and box.attrs.get("aria-label")


def test_the_history_sheet_sits_in_its_own_scroll_box(sample):
    sheet = read_page(sample.site / PROCEDURE / "index.html").find("section", class_="sms-history-sheet")
    assert sheet.find("div", class_="sms-scroll").find("table", class_="sms-history")


# --------------------------------------------------------------------------- retired (item 6)


def test_retired_documents_are_marked_in_roles_and_changes(sample):
    for name in ("roles", "changes"):
        article = read_page(sample.site / name / "index.html").find("article")
        holders = [node for node in article.iter() if node.tag in ("li", "tr") and RETIRED_ID in node.text]
        assert holders, f"{name} does not list {RETIRED_ID}"
        assert all(holder.find("span", class_="sms-mark--retired").text == "retired" for holder in holders)
        current = [node for node in article.iter() if node.tag in ("li", "tr") and "PRO-INC-002" in node.text]
        assert current and not any(node.find_all("span", class_="sms-mark") for node in current)


def test_a_retired_page_has_no_current_version_and_no_next_review(sample):
    page = read_page(sample.site / page_folder(RETIRED_SOURCE) / "index.html")
    meta = page.find("table", class_="sms-meta")
    review = next(row for row in meta.find_all("tr") if "Next review" in row.text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", review.text), review.text
    sheet = page.find("section", class_="sms-history-sheet").text
    assert "(retired" in sheet and "current" not in sheet


def test_the_atom_feed_marks_retired_documents(make_library):
    # The feed holds the 50 newest versions: a small library, so the retired one is among them.
    retired = doc("PRO-INC-009", "procedure", parents=["PRC-INC"], title="Escalate by fax", status="retired")
    repo = make_library(*clean_docs(), retired)
    assert repo.build("--strict").returncode == 0
    feed = ET.fromstring((repo.site / "changes.xml").read_text("utf-8"))
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    marked = [title for title in titles if title.startswith("PRO-INC-009 ")]
    assert marked and all("(retired)" in title for title in marked)
    assert not any("(retired)" in title for title in titles if not title.startswith("PRO-INC-009 "))


def test_the_register_gives_a_retired_document_no_next_review(sample):
    import json

    rows = {row["id"]: row for row in json.loads((sample.site / "register.json").read_text("utf-8"))["documents"]}
    assert rows[RETIRED_ID]["status"] == "retired" and rows[RETIRED_ID]["next_review"] == ""
    assert all(row["next_review"] for row in rows.values() if row["status"] == "approved")


# --------------------------------------------------------------------------- Atom links (item 7)


def feed_links(repo: LibraryRepo) -> list[tuple[str, str]]:
    feed = ET.fromstring((repo.site / "changes.xml").read_text("utf-8"))
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    links = []
    for entry in entries:
        link = entry.find(f"{ATOM}link")  # an Element without children is falsy: compare with None
        links.append((entry.findtext(f"{ATOM}title"), link.get("href", "") if link is not None else ""))
    return links


def test_without_site_url_every_feed_entry_links_to_its_page_relative_to_the_feed(versioned):
    links = feed_links(versioned)
    for title, href in links:
        assert href and not href.startswith(("http:", "https:", "/")), (title, href)
        target = resolve_href(versioned.site / "changes.xml", href, versioned.site)
        assert target.is_file(), (title, href)
        assert title.split()[0] in target.read_text("utf-8"), (title, href)
    # A superseded version's entry opens that version's own page, not today's.
    old = [href for title, href in links if title.startswith("PRO-INC-002 ") and title.endswith(f"version {PAST_VERSION}")]
    assert old == [f"{PROCEDURE}.v{PAST_VERSION}/"], old


@pytest.mark.parametrize("page", ["index.html", f"{PROCEDURE}/index.html", f"{PROCEDURE}.history/index.html", "register/index.html"])
def test_every_page_names_the_feed_for_feed_readers(versioned, page):
    path = versioned.site / page
    alternates = [node for node in read_page(path).find_all("link") if node.attrs.get("type") == "application/atom+xml"]
    assert len(alternates) == 1 and alternates[0].attrs.get("rel") == "alternate", alternates
    assert resolve_href(path, alternates[0].attrs["href"], versioned.site) == versioned.site / "changes.xml"


def test_with_site_url_feed_links_are_absolute(tmp_path: Path):
    repo = sample_with_new_version(tmp_path / "northwind")
    config = repo.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "site_url: https://sms.example.org/library/\n", encoding="utf-8")
    repo.commit("site_url")
    assert build_sample(repo).returncode == 0
    for title, href in feed_links(repo):
        assert href.startswith("https://sms.example.org/library/"), (title, href)


# --------------------------------------------------------------------------- hierarchy (item 10)


def tree_edges(page: Node) -> set[tuple[str, str]]:
    """(parent, child) of every line of the text tree, from the nesting depth of its lines."""
    edges = set()
    above: list[str] = []
    for line in page.find("ul", class_="sms-tree-list").find_all("li"):
        depth = int(line.attrs["data-depth"])
        del above[depth:]
        if depth:
            edges.add((above[-1], line.attrs["data-id"]))
        above.append(line.attrs["data-id"])
    return edges


def test_the_hierarchy_tree_has_every_parent_link_between_shown_documents(sample):
    page = read_page(sample.site / "hierarchy" / "index.html")
    shown = {line.attrs["data-id"] for line in page.find("ul", class_="sms-tree-list").find_all("li")}
    expected = set()
    for path in sorted(Path(sample.root).glob("p*/**/*.md")):
        front = yaml.safe_load(path.read_text("utf-8").split("---", 2)[1])
        for parent in front.get("parents") or []:
            if front["id"] in shown and parent in shown:
                expected.add((parent, front["id"]))
    edges = tree_edges(page)
    assert ("PRC-ISM", "PRO-AST-002") in expected
    assert edges == expected


def test_the_hierarchy_diagram_has_one_row_per_tree_line_and_no_arcs(sample):
    page = read_page(sample.site / "hierarchy" / "index.html")
    svg = page.find("svg", class_="sms-tree")
    lines = page.find("ul", class_="sms-tree-list").find_all("li")
    assert len(svg.find_all("text")) == len(lines)
    assert not [p for p in svg.find_all("path") if "C" in p.attrs["d"]]
    also = [line for line in lines if "sms-tree-also" in line.classes]
    assert also and len(svg.find_all("text", class_="sms-tree-also")) == len(also)


# --------------------------------------------------------------------------- headings (item 11)


def test_parents_and_document_history_are_headings(sample):
    page = read_page(sample.site / PROCEDURE / "index.html")
    assert page.find("h2", id="sms-parents").text == "Parents"
    assert page.find("h2", id="document-history").text == "Document history"
    roles = read_page(sample.site / "roles" / "index.html")
    assert [h.text.split()[0] for h in roles.find_all("h3", class_="sms-relations-title")][:2] == ["Owns", "Approves"]
