"""Documents of external origin (SPEC §1 `external/`, §2, §3 SMS409 and SMS305, §5 External
documents): standards, contracts, vendor manuals and laws the SMS relies on are
registered in the external folder, referenced by the documents that rely on them, reviewed
on schedule, listed in the register and on their own page, outside the policy tree."""

from __future__ import annotations

import csv
import io
import json

import pytest
from findings_support import assert_finding, library_at
from support import LibraryRepo, clean_docs, doc, external_doc, of_code, only, read_page

ISO = "EXT-ISO20000-1"


def relying(*refs: str, **fields: object):
    """PRO-INC-002 under PRC-INC, relying on the external documents `refs`."""
    return doc("PRO-INC-002", "procedure", parents=["PRC-INC"], title="Log an incident", references=list(refs), **fields)


# --------------------------------------------------------------------------- front matter


def test_registered_and_referenced_external_document_is_clean(make_library, findings_of):
    library = make_library(*clean_docs(), external_doc(ISO), relying(ISO))
    assert findings_of(library) == []


def test_external_document_body_may_be_empty_and_it_needs_no_version_or_status(make_library, findings_of):
    spec = external_doc(ISO, body="")
    assert "version" not in spec.fields and "status" not in spec.fields
    assert findings_of(make_library(*clean_docs(), spec)) == []


@pytest.mark.parametrize("field", ["publisher", "edition", "location", "review", "owner", "title"])
def test_external_document_without_a_required_field_is_sms102(make_library, findings_of, field):
    spec = external_doc(ISO, **{field: None})
    finding = only(findings_of(make_library(*clean_docs(), spec)), "SMS102")
    assert_finding(finding, "SMS102", "error", spec.path, 1, f"`{field}`")


@pytest.mark.parametrize(("field", "value", "phrase"), [
    ("version", "1.0", "`edition` says which edition applies"),
    ("status", "approved", "has no versions of its own"),
    ("parents", ["POL-SMS"], "list its id in `references`"),
    ("records", "x", "processes and procedures"),
])
def test_fields_an_external_document_does_not_have_are_sms104(make_library, findings_of, field, value, phrase):
    spec = external_doc(ISO, **{field: value})
    finding = only(findings_of(make_library(*clean_docs(), spec)), "SMS104")
    assert_finding(finding, "SMS104", "warning", spec.path, spec.line_of(field), "not a field of an external document", phrase)


def test_external_fields_on_a_procedure_are_sms104(make_library, findings_of):
    spec = relying(publisher="ISO")
    finding = only(findings_of(make_library(*clean_docs(), spec)), "SMS104")
    assert_finding(finding, "SMS104", "warning", spec.path, spec.line_of("publisher"), "only external documents")


def test_external_type_in_the_policies_folder_is_sms105(make_library, findings_of):
    spec = external_doc(ISO, path="policies/ext-iso.md")
    finding = only(findings_of(make_library(*clean_docs(), spec)), "SMS105")
    assert finding["path"] == "policies/ext-iso.md"


def test_external_folder_name_is_configurable(make_library, findings_of):
    library = make_library(*clean_docs(), external_doc(ISO, path="outside/ext-iso.md"), relying(ISO),
                           options={"library": {"external": "outside"}})
    assert findings_of(library) == []


# --------------------------------------------------------------------------- SMS409


def test_reference_to_an_unknown_external_id_is_sms409(make_library, findings_of, run_cli):
    spec = relying(ISO, "EXT-GDPR")
    library = make_library(*clean_docs(), external_doc(ISO), spec)
    finding = only(findings_of(library), "SMS409")
    assert_finding(finding, "SMS409", "error", spec.path, spec.line_of("references"),
                   "`EXT-GDPR`", "type: external")
    assert run_cli(library, "check").exit_code == 1


def test_reference_to_a_library_document_is_sms409(make_library, findings_of):
    spec = relying("PRC-INC")
    finding = only(findings_of(make_library(*clean_docs(), spec)), "SMS409")
    assert_finding(finding, "SMS409", "error", spec.path, spec.line_of("references"),
                   "PRC-INC, which is a process, not an external document")


def test_references_compare_ids_ignoring_case(make_library, findings_of):
    library = make_library(*clean_docs(), external_doc(ISO), relying(ISO.lower().replace("ext", "EXT")))
    assert of_code(findings_of(library), "SMS409") == []


def test_a_retired_document_is_not_checked_for_references(make_library, findings_of):
    library = make_library(*clean_docs(), relying("EXT-GONE", status="retired"))
    assert of_code(findings_of(library), "SMS409") == []


# --------------------------------------------------------------------------- hierarchy and reviews


def test_external_document_is_no_orphan_and_no_parent(make_library, findings_of):
    spec = doc("PRO-INC-002", "procedure", parents=["PRC-INC", ISO])
    library = make_library(*clean_docs(), external_doc(ISO), spec)
    findings = findings_of(library)
    assert of_code(findings, "SMS202") == []
    assert_finding(only(findings, "SMS204"), "SMS204", "error", spec.path, spec.line_of("parents"),
                   "is an external document", "`references`")


def test_overdue_review_of_an_external_document_is_sms305(make_library, findings_of):
    spec = external_doc(ISO, review="2026-03-01")
    finding = only(findings_of(make_library(*clean_docs(), spec)), "SMS305")
    assert finding["line"] == spec.line_of("review")
    assert "2026-03-01" in finding["message"] and "edition" in finding["message"]


def test_external_review_in_the_future_is_not_overdue(make_library, findings_of):
    library = make_library(*clean_docs(), external_doc(ISO, review="2026-06-02"))
    assert of_code(findings_of(library), "SMS305") == []


# --------------------------------------------------------------------------- sms-docs new external


def test_new_external_writes_a_registration_to_fill_in(make_library, run_cli, findings_of):
    library = make_library(*clean_docs())
    result = run_cli(library, "new", "external", "--title", "Data protection act", "--owner", "Service Owner")
    assert result.exit_code == 0, result.stderr
    new_id, rel = result.stdout.split()
    assert new_id.startswith("EXT-") and rel.startswith("external/")
    text = (library.root / rel).read_text("utf-8")
    assert "type: external" in text and "version" not in text and "status" not in text
    missing = {f["message"].split("`")[1] for f in of_code(findings_of(library), "SMS102")}
    assert missing == {"publisher", "edition", "location"}


def test_new_external_refuses_parents(make_library, run_cli):
    library = make_library(*clean_docs())
    result = run_cli(library, "new", "external", "--title", "Vendor runbook", "--owner", "X Y", "--parent", "POL-SMS")
    assert result.exit_code == 2 and "references" in result.stderr


# --------------------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> LibraryRepo:
    repo = library_at(
        tmp_path_factory.mktemp("external") / "library",
        *clean_docs(),
        external_doc(ISO, title="Service management system requirements", publisher="ISO", edition="2018",
                     location="Document store / Standards", owner="Service Management Lead", review="2027-01-31"),
        external_doc("EXT-RUNBOOK", title="Storage array runbook", publisher="Array Vendor <Inc>",
                     edition="v4.2", location="Vendor portal", review="2026-05-01"),
        external_doc("EXT-SECRET", title="Confidential contract", classification="restricted"),
        relying(ISO, "EXT-RUNBOOK", "EXT-SECRET"),
        doc("PRO-INC-003", "procedure", parents=["PRC-INC"], references=[ISO], status="draft",
            approver=None, approved=None),
    )
    built = repo.build()
    assert built.returncode == 0, built.output
    return repo


def test_external_document_page_shows_publisher_edition_location_and_who_relies_on_it(site):
    page = read_page(site.page(f"external/{ISO.lower()}.md"))
    panel = page.find("table", class_="sms-meta").text
    for text in ("ISO", "2018", "Document store / Standards", "Service Management Lead", "2027-01-31", "External document"):
        assert text in panel, text
    assert "Version" not in panel and "Status" not in panel
    relied = {text for text, _ in page.find("section", class_="sms-doc-footer").links()}
    assert relied == {"PRO-INC-002 Log an incident"}  # the draft is not published
    assert not page.find_all("section", class_="sms-history-sheet")
    assert not (site.site / "external" / f"{ISO.lower()}.history").exists()  # no versions of its own


def test_overdue_external_document_page_has_an_overdue_banner(site):
    page = read_page(site.page("external/ext-runbook.md"))
    assert "2026-05-01" in page.find("div", class_="sms-banner--overdue").text
    assert "Array Vendor <Inc>" in page.find("table", class_="sms-meta").text  # escaped, shown as written


def test_relying_document_lists_the_external_documents_it_relies_on(site):
    page = read_page(site.doc_page("PRO-INC-002"))
    footer = page.find("section", class_="sms-doc-footer")
    assert {text for text, _ in footer.links()} >= {f"{ISO} Service management system requirements",
                                                   "EXT-RUNBOOK Storage array runbook"}
    assert "EXT-SECRET" not in footer.text and "Confidential contract" not in footer.text


def test_external_documents_page_lists_each_with_who_relies_on_it(site):
    table = read_page(site.site / "external-documents" / "index.html").find("table", id="sms-external")
    assert [th.text for th in table.find("thead").find_all("th")] == [
        "Id", "Title", "Publisher", "Edition", "Location", "Owner", "Next review", "Referenced by"]
    rows = {tr.find("td").text: [td.text for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")}
    assert list(rows) == [ISO, "EXT-RUNBOOK"]
    assert rows[ISO] == [ISO, "Service management system requirements", "ISO", "2018", "Document store / Standards",
                         "Service Management Lead", "2027-01-31", "PRO-INC-002"]
    assert "(overdue)" in rows["EXT-RUNBOOK"][6]


def test_register_has_an_external_section_and_external_rows_in_csv_and_json(site):
    page = read_page(site.site / "register" / "index.html")
    main = [tr.find("td").text for tr in page.find("table", id="sms-register").find("tbody").find_all("tr")]
    assert ISO not in main
    external = [tr.find("td").text for tr in page.find("table", id="sms-register-external").find("tbody").find_all("tr")]
    assert external == [ISO, "EXT-RUNBOOK"]
    rows = list(csv.DictReader(io.StringIO((site.site / "register.csv").read_text("utf-8"))))
    iso = next(r for r in rows if r["id"] == ISO)
    assert (iso["type"], iso["publisher"], iso["edition"], iso["location"]) == (
        "external", "ISO", "2018", "Document store / Standards")
    assert [r["id"] for r in rows][-2:] == [ISO, "EXT-RUNBOOK"]  # after the policies, processes and procedures
    data = json.loads((site.site / "register.json").read_text("utf-8"))
    iso_json = next(d for d in data["documents"] if d["id"] == ISO)
    assert iso_json["type"] == "external" and iso_json["edition"] == "2018" and iso_json["parents"] == []
    assert "EXT-SECRET" not in (site.site / "register.csv").read_text("utf-8")


def test_external_documents_have_their_own_navigation_section_outside_the_library_tree(site):
    page = read_page(site.page(f"external/{ISO.lower()}.md"))
    nav = page.find("nav", class_="md-nav--primary")
    sections = {li.text.split()[0]: li for li in nav.find_all("li", class_="md-nav__item--nested")}
    assert ISO in sections["External"].text
    assert sections["External"].text.startswith("External documents")
    assert ISO not in sections["Library"].text


def test_hierarchy_page_leaves_external_documents_out(site):
    assert ISO not in (site.site / "hierarchy" / "index.html").read_text("utf-8")


def test_reviews_page_lists_an_overdue_external_document(site):
    page = read_page(site.site / "reviews" / "index.html")
    assert "EXT-RUNBOOK" in page.text


def test_restricted_external_document_is_in_no_built_file(site):
    for path in site.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".xml"):
            text = path.read_text("utf-8", errors="replace")
            assert "Confidential contract" not in text and "ext-secret" not in text.lower(), path


def test_sms_docs_register_prints_external_documents(site, run_cli):
    result = run_cli(site, "register", "--format", "json")
    assert [d["id"] for d in result.json["documents"] if d["type"] == "external"] == [ISO, "EXT-RUNBOOK"]


def test_external_folder_missing_is_fine(clean_library, findings_of):
    assert not (clean_library.root / "external").exists()
    assert findings_of(clean_library) == []



def test_history_of_an_external_document_lists_its_registration_commits(make_library, run_cli):
    library = make_library(*clean_docs(), external_doc(ISO), relying(ISO))

    result = run_cli(library, "history", ISO)

    assert result.exit_code == 0, result.stderr
    assert "edition " in result.stdout and "not yet a version" not in result.stdout
    assert "Initial library" in result.stdout
