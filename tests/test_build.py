"""`mkdocs build` of real libraries (SPEC §3, §5): pages, panels, links, escaping,
and a failed build that leaves the previously published site exactly as it was.

The built sites are shared per module: one default build and one with drafts published.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import (
    TODAY,
    LibraryRepo,
    Node,
    clean_docs,
    copy_tree,
    default_body,
    doc,
    line_of,
    read_page,
    resolve_href,
    snapshot,
)

XSS = "<script>alert(1)</script>"
XSS_TITLE = f'Escalate {XSS} & "co"'
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
REPO_ROOT = Path(__file__).resolve().parent.parent


def published_docs() -> list:
    return [
        *clean_docs(),
        # A process whose title is an attack; its body does not repeat the title.
        doc("PRC-XSS", "process", parents=["POL-INC"], title=XSS_TITLE,
            body=default_body("PRC-XSS", "process", "Escalation")),
        doc("PRO-XSS-001", "procedure", parents=["PRC-XSS"], title="Escalate to the supplier"),
        doc("PRO-INC-002", "procedure", parents=["PRC-INC"], title="Draft triage", status="draft",
            approver=None, approved=None),
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> LibraryRepo:
    repo = LibraryRepo.create(tmp_path_factory.mktemp("built") / "library", published_docs())
    result = repo.build()
    assert result.returncode == 0, result.output
    return repo


@pytest.fixture(scope="module")
def built_with_drafts(tmp_path_factory) -> LibraryRepo:
    repo = LibraryRepo.create(
        tmp_path_factory.mktemp("drafts") / "library", published_docs(), {"publish_drafts": True}
    )
    result = repo.build()
    assert result.returncode == 0, result.output
    return repo


def meta_panel(page: Node) -> dict[str, str]:
    """The metadata panel as label -> value (rows of <th>label</th><td>value</td> pairs)."""
    table = page.find("table", class_="sms-meta")
    values: dict[str, str] = {}
    for row in table.find_all("tr"):
        cells = [c for c in row.children if isinstance(c, Node) and c.tag in ("th", "td")]
        for label, value in zip(cells[::2], cells[1::2], strict=False):
            values[label.text] = value.text
    return values


def relations(page: Node) -> dict[str, Node]:
    """The lists of related documents after the body, by their heading ("Parents", ...)."""
    footer = page.find(class_="sms-doc-footer")
    return {title.text: title.parent for title in footer.find_all(class_="sms-relations-title") if title.parent}


def linked_pages(repo: LibraryRepo, page_path: Path, node: Node) -> list[Path]:
    return [resolve_href(page_path, href, repo.site) for _, href in node.links()]


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --------------------------------------------------------------------------- pages


def test_build_publishes_a_page_for_every_current_document(built):
    for doc_id in ("POL-SMS", "POL-INC", "PRC-INC", "PRO-INC-001", "PRC-XSS", "PRO-XSS-001"):
        page = built.doc_page(doc_id)
        assert page.is_file(), f"no page for {doc_id}"
        assert read_page(page).find("h1").text.startswith(doc_id)
    assert (built.site / "index.html").is_file()


def test_build_writes_into_site_and_leaves_no_staging_folder(built):
    assert built.site.is_dir()
    assert sorted(p.name for p in built.root.iterdir() if p.name.startswith("site")) == ["site"]


def test_metadata_panel_shows_the_front_matter(built):
    panel = meta_panel(read_page(built.doc_page("PRO-INC-001")))
    assert panel["Id"] == "PRO-INC-001"
    assert panel["Version"] == "1.0"
    assert panel["Status"] == "approved"
    assert panel["Owner"] == "Service Owner"
    assert panel["Approver"] == "Head of Service"
    assert panel["Approved"] == "2026-01-15"
    assert panel["Effective"] == "2026-01-15"  # defaults to `approved`
    assert panel["Next review"] == "2027-01-15"  # `approved` + 12 months
    assert panel["Classification"] == "internal"


def test_breadcrumbs_run_policy_process_procedure_with_working_links(built):
    path = built.doc_page("PRO-INC-001")
    crumbs = read_page(path).find("nav", class_="sms-breadcrumbs")
    assert [text.split()[0] for text, _ in crumbs.links()] == ["POL-SMS", "POL-INC", "PRC-INC"]
    assert linked_pages(built, path, crumbs) == [
        built.doc_page("POL-SMS"),
        built.doc_page("POL-INC"),
        built.doc_page("PRC-INC"),
    ]
    assert crumbs.text.endswith("PRO-INC-001")


def test_parents_are_listed_as_links(built):
    path = built.doc_page("PRO-INC-001")
    lists = relations(read_page(path))
    assert list(lists) == ["Parents"]  # a procedure has no children
    assert linked_pages(built, path, lists["Parents"]) == [built.doc_page("PRC-INC")]


def test_children_are_listed_as_links(built):
    path = built.doc_page("POL-INC")
    lists = relations(read_page(path))
    assert linked_pages(built, path, lists.pop("Parents")) == [built.doc_page("POL-SMS")]
    (children,) = lists.values()
    assert sorted(linked_pages(built, path, children)) == sorted([built.doc_page("PRC-INC"), built.doc_page("PRC-XSS")])


def test_navigation_nests_the_procedure_under_its_process_and_policies(built):
    path = built.doc_page("PRO-INC-001")
    page = read_page(path)
    primary = page.find("nav", class_="md-nav--primary")
    active = next(a for a in primary.find_all("a", class_="md-nav__link") if a.attrs.get("href") == "./")
    sections: list[Path] = []
    node = active.parent
    while node is not None and node is not primary:
        if node.tag == "li" and "md-nav__item--nested" in node.classes:
            first = next(a for a in node.find_all("a") if a.attrs.get("href") not in (None, "./"))
            target = resolve_href(path, first.attrs["href"], built.site)
            if not sections or sections[-1] != target:
                sections.append(target)
        node = node.parent
    assert list(reversed(sections)) == [built.doc_page("POL-SMS"), built.doc_page("POL-INC"), built.doc_page("PRC-INC")]


def test_footer_names_the_commit_and_build_date_on_every_page(built):
    for path in (built.site / "index.html", built.doc_page("PRO-INC-001"), built.doc_page("POL-SMS")):
        page = read_page(path)
        commit = page.find("code", class_="sms-build-commit").text
        assert len(commit) >= 7 and built.head.startswith(commit), f"{path}: {commit} is not HEAD {built.head}"
        assert page.find("time", class_="sms-build-date").text == TODAY.isoformat(), path


def test_site_makes_no_request_outside_itself(built):
    for path in html_files(built.site):
        page = read_page(path)
        for node in page.find_all("link") + page.find_all("script") + page.find_all("img"):
            url = node.attrs.get("href") or node.attrs.get("src") or ""
            assert not url.startswith(("http:", "https:", "//")), f"{path}: {url}"


# --------------------------------------------------------------------------- drafts


def test_draft_is_not_published_by_default(built):
    assert not built.doc_page("PRO-INC-002").exists()
    process = built.doc_page("PRC-INC")
    for link_text, _href in read_page(process).links():
        assert "PRO-INC-002" not in link_text
    index = json.loads((built.site / "search" / "search_index.json").read_text())
    assert not any("pro-inc-002" in entry["location"] for entry in index["docs"])


def test_draft_is_published_with_a_banner_when_asked(built_with_drafts):
    page = read_page(built_with_drafts.doc_page("PRO-INC-002"))
    banner = page.find(class_="sms-banner--draft")
    assert "Draft" in banner.text
    assert meta_panel(page)["Status"] == "draft"


def test_approved_document_has_no_draft_banner(built_with_drafts):
    page = read_page(built_with_drafts.doc_page("PRO-INC-001"))
    assert page.find_all(class_="sms-banner--draft") == []


# --------------------------------------------------------------------------- escaping


def test_script_in_a_title_is_never_emitted_as_html(built):
    for path in html_files(built.site):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        assert "&amp;lt;script" not in text, f"{path}: escaped twice"


def test_script_in_a_title_shows_escaped_in_title_heading_and_nav(built):
    path = built.doc_page("PRC-XSS")
    text = path.read_text(encoding="utf-8")
    page = read_page(path)
    assert page.find("title").text.startswith(f"PRC-XSS {XSS_TITLE}")
    assert page.find("h1").text == f"PRC-XSS {XSS_TITLE}"
    assert f"<title>PRC-XSS Escalate {XSS_ESCAPED}" in text
    nav = page.find("nav", class_="md-nav--primary")
    assert f"PRC-XSS {XSS_TITLE}" in nav.text


def test_script_in_a_parent_title_shows_escaped_in_breadcrumbs_and_lists(built):
    child = read_page(built.doc_page("PRO-XSS-001"))
    assert any(text == f"PRC-XSS {XSS_TITLE}" for text, _ in child.find("nav", class_="sms-breadcrumbs").links())
    assert any(text == f"PRC-XSS {XSS_TITLE}" for text, _ in child.find(class_="sms-doc-footer").links())
    parent = read_page(built.doc_page("POL-INC"))
    assert any(text == f"PRC-XSS {XSS_TITLE}" for text, _ in parent.find(class_="sms-doc-footer").links())


def test_search_index_holds_no_raw_script(built):
    raw = (built.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>alert" not in raw
    entries = json.loads(raw)["docs"]
    xss = [e for e in entries if e["location"].startswith("processes/prc-xss/")]
    assert xss, "the process is in the search index"
    for entry in entries:
        assert "<script>alert" not in entry["title"] and "<script>alert" not in entry["text"]


# --------------------------------------------------------------------------- failed builds keep the site


@pytest.fixture
def published(make_library) -> LibraryRepo:
    """A clean library with a site already built from it."""
    repo = make_library(*clean_docs(), name="published")
    result = repo.build()
    assert result.returncode == 0, result.output
    assert repo.site_snapshot(), "the first build wrote a site"
    return repo


def test_build_with_an_orphan_fails_naming_file_and_line(published):
    before = published.site_snapshot()
    orphan = doc("PRO-INC-002", "procedure")
    published.add(orphan)
    published.commit("Add a procedure without parents")
    result = published.build()
    assert result.returncode != 0
    assert "procedures/pro-inc-002.md:1: SMS202 error:" in result.output
    assert "Traceback" not in result.output
    assert published.site_snapshot() == before
    assert not any(p.name != "site" for p in published.root.iterdir() if p.name.startswith("site"))


def test_build_with_broken_yaml_fails_naming_the_yaml_line_and_keeps_the_site(published):
    before = published.site_snapshot()
    text = doc("PRO-INC-002", "procedure", parents=["PRC-INC"]).text().replace(
        "owner: Service Owner", "owner: Service: Owner"
    )
    published.write("procedures/pro-inc-002.md", text)
    published.commit()
    result = published.build()
    assert result.returncode != 0
    assert f"procedures/pro-inc-002.md:{line_of(text, 'owner')}: SMS101 error:" in result.output
    assert published.site_snapshot() == before


def test_strict_build_fails_on_a_warning_and_keeps_the_site(published):
    before = published.site_snapshot()
    published.add(doc("PRC-CHG", "process", parents=["POL-INC"]))  # a gap: SMS208, a warning
    published.commit("Add a process without procedures")
    result = published.build("--strict")
    assert result.returncode != 0
    assert "processes/prc-chg.md:2: SMS208 warning:" in result.output
    assert published.site_snapshot() == before


def test_warning_alone_does_not_fail_a_normal_build(published):
    published.add(doc("PRC-CHG", "process", parents=["POL-INC"]))
    published.commit("Add a process without procedures")
    result = published.build()
    assert result.returncode == 0, result.output
    assert "SMS208" in result.output
    assert published.page("processes/prc-chg.md").is_file()


def test_build_after_a_failure_publishes_again(published):
    published.add(doc("PRO-INC-002", "procedure"))
    published.commit("Orphan")
    assert published.build().returncode != 0
    published.remove("procedures/pro-inc-002.md")
    published.add(doc("PRO-INC-003", "procedure", parents=["PRC-INC"]))
    published.commit("Fix the orphan")
    result = published.build()
    assert result.returncode == 0, result.output
    assert published.page("procedures/pro-inc-003.md").is_file()


def test_severity_raised_in_mkdocs_yml_fails_the_build(make_library):
    repo = make_library(*clean_docs(), doc("PRC-CHG", "process", parents=["POL-INC"]),
                        options={"severity": {"SMS208": "error"}})
    result = repo.build()
    assert result.returncode != 0
    assert "processes/prc-chg.md:2: SMS208 error:" in result.output
    assert not repo.site.exists()


def test_build_with_options_of_the_wrong_shape_fails_without_a_traceback(make_library):
    repo = make_library(*clean_docs(), options={"severity": ["SMS208"]})
    result = repo.build()
    assert result.returncode != 0
    assert "Traceback" not in result.output


def test_severity_off_in_mkdocs_yml_lets_the_build_pass(make_library):
    repo = make_library(*clean_docs(), doc("PRO-INC-002", "procedure"), options={"severity": {"SMS202": "off"}})
    result = repo.build("--strict")
    assert result.returncode == 0, result.output


# --------------------------------------------------------------------------- the sample library

SAMPLE = ("mkdocs.yml", "content", "policies", "processes", "procedures", "external")


def test_sample_library_builds_strict_and_an_orphan_fails_both_doors(tmp_path):
    missing = [name for name in SAMPLE if not (REPO_ROOT / name).exists()]
    if missing or not any((REPO_ROOT / "procedures").rglob("*.md")):
        pytest.skip(f"the sample library is not in the repository yet (missing: {', '.join(missing) or 'documents'})")
    root = tmp_path / "sample"
    copy_tree(REPO_ROOT, root, SAMPLE)
    repo = LibraryRepo(root)
    repo.git("init", "-q", "-b", "main")
    repo.git("config", "user.name", "Sample Author")
    repo.git("config", "user.email", "sample@example.org")
    repo.commit("The sample library")

    # The sample is dated for the real calendar: no fixed build date here.
    first = repo.build("--strict", SOURCE_DATE_EPOCH=None)
    assert first.returncode == 0, first.output
    before = snapshot(repo.site)
    assert any(path.endswith(".html") for path in before)

    orphan = doc("PRO-ZZZ-001", "procedure", title="A procedure nobody hung anywhere")
    repo.add(orphan)
    repo.commit("Add a procedure without parents")

    build = repo.build(SOURCE_DATE_EPOCH=None)
    assert build.returncode != 0
    assert "procedures/pro-zzz-001.md:1: SMS202 error:" in build.output
    assert snapshot(repo.site) == before

    check = repo.check(SOURCE_DATE_EPOCH=None)
    assert check.returncode == 1
    assert "procedures/pro-zzz-001.md:1: SMS202 error:" in check.stdout


# --------------------------------------------------------------------------- a large library's navigation


@pytest.fixture(scope="module")
def crowded(tmp_path_factory) -> LibraryRepo:
    """40 policies under the root policy, in two sub-folders; 35 procedures under one process."""
    specs = [doc("POL-SMS", "policy", title="Service management policy")]
    for n in range(1, 41):
        subdir = "change-management" if n <= 20 else "incident-management"
        specs.append(doc(f"POL-P{n:02d}", "policy", parents=["POL-SMS"], subdir=subdir, title=f"Policy {n:02d}"))
    specs.append(doc("PRC-X", "process", parents=["POL-P01"], title="Busy process"))
    specs += [doc(f"PRO-X-{n:03d}", "procedure", parents=["PRC-X"], title=f"Step {n:02d}") for n in range(1, 36)]
    repo = LibraryRepo.create(tmp_path_factory.mktemp("crowded") / "library", specs)
    result = repo.build()
    assert result.returncode == 0, result.output
    return repo


def nav_targets(repo: LibraryRepo, page_path: Path) -> tuple[set[Path], list[str]]:
    """The pages linked from a page's primary navigation, and the texts of its entries
    (a closed section is pruned to one link to its first page)."""
    primary = read_page(page_path).find("nav", class_="md-nav--primary")
    targets = {resolve_href(page_path, href, repo.site).resolve() for _, href in primary.links() if not href.startswith("#")}
    labels = [node.text.strip() for node in primary.find_all(class_="md-nav__link")]
    return targets, labels


def test_many_policies_are_grouped_by_sub_folder_and_a_page_carries_only_its_own_group(crowded):
    targets, labels = nav_targets(crowded, crowded.doc_page("PRO-X-001"))

    assert "Change management" in " ".join(labels) and "Incident management" in " ".join(labels), labels
    assert crowded.doc_page("POL-P02").resolve() in targets  # same group, on the open branch
    assert crowded.doc_page("POL-P22").resolve() not in targets  # the other group stays closed (pruned)


def test_many_procedures_in_one_folder_are_grouped_by_title(crowded):
    targets, labels = nav_targets(crowded, crowded.doc_page("PRO-X-001"))

    assert any(label.startswith("Step 01 – Step 30") for label in labels), labels
    assert any(label.startswith("Step 31 – Step 35") for label in labels), labels
    assert crowded.doc_page("PRO-X-030").resolve() in targets
    assert crowded.doc_page("PRO-X-032").resolve() not in targets


def test_every_document_of_a_crowded_library_is_still_in_the_navigation(crowded):
    reachable: set[Path] = set()
    for spec in crowded.specs.values():
        reachable |= nav_targets(crowded, crowded.doc_page(spec.id))[0]
    assert {crowded.doc_page(spec.id).resolve() for spec in crowded.specs.values()} <= reachable
