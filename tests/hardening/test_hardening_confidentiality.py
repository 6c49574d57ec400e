"""Restricted and retired material: unique markers planted in the title and the body of a
restricted and of a retired document, then every file of the built site is searched.

What the site promises (SPEC §5), by default:
- restricted: the title and the text appear in no file at all — not its pages, not the
  record pages, not the search index, the sitemap or the feed, not as the breadcrumb or
  the replacement named on another document's page;
- retired: the text appears only on the document's own pages (its page, its version
  history, its superseded versions and its diff); the title appears there and on the record
  pages that list every controlled document (register page and files, archive, changes
  and its feed, roles), never in the search index, the sitemap, the hierarchy, the
  coverage or a current document's page, nor in any page's navigation.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from support import LibraryRepo, clean_docs, default_body, doc, parse_html
from support_hardening import built, check_json, files_containing, site_texts

RESTRICTED_TITLE = "RESTRICTEDTITLE4d2c"
RESTRICTED_BODY = "RESTRICTEDBODY91be"
RETIRED_TITLE = "RETIREDTITLE77aa"
RETIRED_BODY = "RETIREDBODY0c1f"

RETIRED_OWN = ("procedures/pro-old-001/", "procedures/pro-old-001.")
RETIRED_TITLE_RECORDS = {
    "archive/index.html",
    "register/index.html",
    "register.csv",
    "register.json",
    "changes/index.html",
    "changes.xml",
    "roles/index.html",
}


def body(doc_id: str, doc_type: str, marker: str) -> str:
    return default_body(doc_id, doc_type, "Heading") + f"\nThe text {marker} of this document.\n"


def confidential_docs(version: str = "1.0", **extra) -> list:
    restricted = {"classification": "restricted", "version": version, **extra}
    return [
        doc("PRC-RES", "process", parents=["POL-INC"], title=f"Restricted process {RESTRICTED_TITLE}",
            body=body("PRC-RES", "process", RESTRICTED_BODY), **restricted),
        doc("PRO-RES-001", "procedure", parents=["PRC-RES"], title=f"Restricted procedure {RESTRICTED_TITLE}",
            body=body("PRO-RES-001", "procedure", RESTRICTED_BODY), **restricted),
        # Public documents hanging on restricted ones: their pages must not name them.
        doc("PRO-PUB-001", "procedure", parents=["PRC-RES"], title="Public under a restricted process"),
        doc("PRO-OLD-002", "procedure", parents=["PRC-INC"], status="retired", title="Replaced by a restricted one"),
        doc("PRO-RSUP-001", "procedure", parents=["PRC-INC"], supersedes=["PRO-OLD-002"],
            title=f"Restricted successor {RESTRICTED_TITLE}", body=body("PRO-RSUP-001", "procedure", RESTRICTED_BODY),
            **restricted),
        doc("PRO-NEW-001", "procedure", parents=["PRC-INC"], supersedes=["PRO-OLD-001"], title="Successor"),
    ]


def retired(status: str, version: str, **fields):
    return doc("PRO-OLD-001", "procedure", parents=["PRC-INC"], status=status, version=version,
               title=f"Retired procedure {RETIRED_TITLE}", body=body("PRO-OLD-001", "procedure", RETIRED_BODY), **fields)


def build_library(root: Path, options: dict | None = None) -> LibraryRepo:
    """Two commits: everything approved, then the retired document retired and the
    restricted ones revised, so each has a version history and superseded versions."""
    repo = LibraryRepo.create(root, [*clean_docs(), *confidential_docs(), retired("approved", "1.0")], options)
    later = {"approved": date(2026, 2, 1), "change": f"Revised {RESTRICTED_TITLE}."}
    repo.add(*confidential_docs("1.1", **later)[:2], confidential_docs("1.1", **later)[4])
    repo.add(retired("retired", "1.1", approved=date(2026, 2, 1), change=f"Retired {RETIRED_TITLE}."))
    repo.commit("Retire one, revise the restricted ones", when="2026-02-01T10:00:00+00:00")
    result, report = check_json(repo)
    assert result.returncode == 0, report["findings"]
    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    return repo


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> LibraryRepo:
    return build_library(tmp_path_factory.mktemp("confidential") / "library")


def own_page(rel: str) -> bool:
    return rel.startswith(RETIRED_OWN)


# --------------------------------------------------------------------------- restricted


@pytest.mark.parametrize("marker", [RESTRICTED_TITLE, RESTRICTED_BODY])
def test_restricted_text_is_in_no_file_of_the_site(site, marker):
    assert files_containing(site.site, marker) == []


def test_restricted_documents_are_absent_even_by_id_from_pages_and_search(site):
    texts = site_texts(site.site)
    index = texts["search/search_index.json"]
    for restricted_id in ("PRC-RES", "PRO-RES-001", "PRO-RSUP-001"):
        assert restricted_id not in index
        assert restricted_id not in texts["sitemap.xml"]
        assert restricted_id not in texts["changes.xml"]


def test_a_public_document_under_a_restricted_one_keeps_its_place_without_naming_it(site):
    page = parse_html(site.doc_page("PRO-PUB-001").read_text(encoding="utf-8"))
    crumbs = page.find("nav", class_="sms-breadcrumbs").text
    assert "POL-SMS" in crumbs and "PRC-RES" not in crumbs and RESTRICTED_TITLE not in crumbs


def test_the_markers_are_published_when_the_build_is_told_to_include_restricted(tmp_path):
    repo = build_library(tmp_path / "library", {"include_restricted": True})
    assert files_containing(repo.site, RESTRICTED_TITLE), "the restricted title marker was never planted"
    assert files_containing(repo.site, RESTRICTED_BODY), "the restricted body marker was never planted"


# --------------------------------------------------------------------------- retired


def test_retired_text_is_only_on_the_retired_documents_own_pages(site):
    holders = files_containing(site.site, RETIRED_BODY)
    assert "procedures/pro-old-001/index.html" in holders, "the retired document's own page lost its text"
    assert any(".v1.0/" in rel for rel in holders), "its superseded version lost its text"
    assert [rel for rel in holders if not own_page(rel)] == []


def test_retired_title_is_only_on_its_own_pages_and_the_records_listing_every_document(site):
    holders = files_containing(site.site, RETIRED_TITLE)
    assert "archive/index.html" in holders and "register.csv" in holders
    strays = [rel for rel in holders if not own_page(rel) and rel not in RETIRED_TITLE_RECORDS]
    assert strays == []


def test_retired_document_is_out_of_the_search_index(site):
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for entry in index["docs"]:
        assert not entry["location"].startswith("procedures/pro-old-001"), entry["location"]
        assert RETIRED_TITLE not in entry["title"] + entry["text"]
        assert RETIRED_BODY not in entry["text"]


def test_retired_document_is_in_no_pages_navigation(site):
    for rel, text in site_texts(site.site).items():
        if not rel.endswith(".html"):
            continue
        page = parse_html(text)
        for node in page.iter():
            if any(c.startswith(("md-nav", "md-tabs", "md-path")) for c in node.classes) and node.tag == "nav":
                assert "PRO-OLD-001" not in node.text and RETIRED_TITLE not in node.text, f"navigation of {rel}"


def test_current_pages_do_not_lead_to_the_retired_document(site):
    for doc_id in ("PRC-INC", "PRO-NEW-001", "POL-INC"):
        text = site.doc_page(doc_id).read_text(encoding="utf-8")
        assert RETIRED_TITLE not in text and RETIRED_BODY not in text, doc_id
