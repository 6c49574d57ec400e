"""The documentation assessment (SPEC §5 Assessment): the library held against
ISO/IEC TR 20000-5 (DTR 2009) Annex D.2 in the standard's letters and order, a to q, each
with a verdict in plain words and its evidence. Every automatic verdict flips when its
evidence appears; the clause list (the `clauses` option) drives items a, b, c and l."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from findings_support import body_with, words
from support import LibraryRepo, doc, external_doc, read_page

LETTERS = list("abcdefghijklmnopq")
VERDICTS = ("no deficiency found", "deficiency found", "for a person to judge")
OK, FOUND, JUDGE = VERDICTS
CLAUSES = """standard: Test standard 1:2020
clauses:
  - {number: "1", title: "Policy", documents: [policy]}
  - {number: "2", title: "Processes", documents: [process]}
  - {number: "3", title: "Procedures", documents: [procedure]}
  - {number: "4", title: "Planning", documents: [plan]}
  - {number: "5", title: "Evidence", documents: [records]}
"""


def complete(**changes: object) -> list:
    """A library with no deficiency an automatic item can find; `changes` maps an id to the
    fields to change (None drops the document)."""
    docs = {
        "POL-SMS": dict(doc_type="policy", title="Service management policy", clauses=["1"]),
        "POL-INC": dict(doc_type="policy", parents=["POL-SMS"], clauses=["4"], tags=["plan"]),
        "PRC-INC": dict(doc_type="process", parents=["POL-INC"], clauses=["2"]),
        "PRC-REQ": dict(doc_type="process", parents=["POL-INC"]),
        "PRO-INC-001": dict(doc_type="procedure", parents=["PRC-INC"], clauses=["3", "5"]),
        "PRO-REQ-001": dict(doc_type="procedure", parents=["PRC-REQ"]),
    }
    for doc_id, fields in changes.items():
        if fields is None:
            docs.pop(doc_id, None)
        else:
            docs[doc_id] = {**docs.get(doc_id, {}), **fields}  # type: ignore[dict-item]
    return [
        doc(doc_id, str(fields.pop("doc_type")), **fields)
        for doc_id, fields in ((k, dict(v)) for k, v in docs.items())
    ]


@pytest.fixture
def assessed(make_library, run_cli) -> Callable[..., dict[str, str]]:
    """Build a library with the test clause list and return {letter: verdict}."""

    def run(*docs, options: dict | None = None, clauses: str = CLAUSES, then: Callable[[LibraryRepo], None] | None = None,
            commit: bool = True) -> dict[str, str]:
        library = make_library(*docs, options={"clauses": "clauses.yaml", **(options or {})}, commit=False)
        library.write("clauses.yaml", clauses)
        if commit:
            library.commit("Library")
        if then is not None:
            then(library)
        result = run_cli(library, "assessment", "--format", "json")
        assert result.exit_code == 0, result.stderr
        items = result.json["items"]
        assert [item["letter"] for item in items] == LETTERS
        return {item["letter"]: item["verdict"] for item in items}

    return run


def test_complete_library_has_no_deficiency_and_one_item_for_a_person(assessed):
    verdicts = assessed(*complete())
    assert verdicts == {letter: OK for letter in LETTERS} | {"q": JUDGE}


@pytest.mark.parametrize(("letter", "changes"), [
    ("a", {"POL-SMS": {"clauses": None}}),
    ("b", {"PRC-INC": {"clauses": None}, "PRC-REQ": {"clauses": ["9"]}}),
    ("c", {"PRO-INC-001": {"clauses": ["5"]}, "PRO-REQ-001": {"clauses": ["3"], "doc_type": "procedure",
                                                               "status": "draft", "approver": None, "approved": None}}),
    ("e", {"PRO-INC-001": {"body": body_with("PRO-INC-001", "procedure", "Log", {"Steps": "1. Jane Smith logs it."})}}),
    ("f", {"PRO-INC-001": {"body": body_with("PRO-INC-001", "procedure", "Log", {"Steps": "1. Log.\n\n## Revision history\n\nv1."})}}),
    ("i", {"POL-A": {"doc_type": "policy", "parents": ["POL-SMS"]}, "POL-B": {"doc_type": "policy", "parents": ["POL-SMS"]}}),
    ("k", {"PRO-INC-001": {"body": "# Log\n\n## Purpose\n\nLog calls.\n"}}),
    ("l", {"POL-INC": {"tags": None}}),
    ("n", {"PRO-REQ-001": {"parents": None}}),
    ("o", {"POL-INC": {"clauses": None, "tags": None}}),
    ("p", {"PRO-REQ-001": {"records": None, "body": body_with("PRO-REQ-001", "procedure", "Fulfil", headings=[
        "Purpose", "When to use", "Roles", "Inputs", "Steps"])}}),
])
def test_each_automatic_verdict_flips_when_its_evidence_appears(assessed, letter, changes):
    verdicts = assessed(*complete(**changes), options={"people": ["Jane Smith"]})
    assert verdicts[letter] == FOUND, verdicts


def test_d_superseded_document_still_in_use_is_a_deficiency_and_retiring_it_clears_it(assessed):
    new = {"doc_type": "procedure", "parents": ["PRC-INC"], "supersedes": ["PRO-INC-001"], "clauses": ["3", "5"]}
    assert assessed(*complete(**{"PRO-INC-009": new}))["d"] == FOUND
    retired = complete(**{"PRO-INC-009": new, "PRO-INC-001": {"status": "retired"}})
    assert assessed(*retired)["d"] == OK


def test_g_change_without_a_new_version_is_a_deficiency(assessed):
    def edit(library: LibraryRepo) -> None:
        spec = library.spec("PRO-INC-001")
        library.write(spec.path, spec.text() + "\nOne more line.\n")

    assert assessed(*complete(), then=edit)["g"] == FOUND


def test_g_and_h_need_a_person_without_git_history(assessed):
    verdicts = assessed(*complete(), commit=False)
    assert (verdicts["g"], verdicts["h"]) == (JUDGE, JUDGE)


def test_h_new_version_without_change_is_a_deficiency(assessed):
    def bump(library: LibraryRepo) -> None:
        spec = library.spec("PRO-INC-001")
        library.write(spec.path, spec.text().replace('version: "1.0"', 'version: "1.1"'))
        library.commit("Version 1.1 without a change")

    assert assessed(*complete(), then=bump)["h"] == FOUND


def test_j_document_longer_than_the_configured_limit_is_a_deficiency(assessed):
    long_steps = {"Steps": words("step", 120)}
    docs = complete(**{"PRO-INC-001": {"body": body_with("PRO-INC-001", "procedure", "Log", long_steps)}})
    assert assessed(*docs)["j"] == OK
    assert assessed(*docs, options={"max_words": {"procedure": 100}})["j"] == FOUND


def test_l_an_external_document_tagged_with_the_kind_counts_when_referenced(assessed):
    external = external_doc("EXT-PLAN", tags=["plan"])
    docs = complete(**{"POL-INC": {"tags": None, "references": ["EXT-PLAN"]}})
    assert assessed(*docs)["l"] == FOUND
    assert assessed(*docs, external)["l"] == OK


def test_m_near_duplicate_documents_are_a_deficiency(assessed):
    text = words("same", 300)
    twin = body_with("PRO-INC-001", "procedure", "Log", {"Steps": text})
    other = body_with("PRO-REQ-001", "procedure", "Fulfil", {"Steps": text})
    verdicts = assessed(*complete(**{"PRO-INC-001": {"body": twin}, "PRO-REQ-001": {"body": other}}))
    assert verdicts["m"] == FOUND


def test_q_overdue_review_is_a_deficiency(assessed):
    assert assessed(*complete(**{"PRC-REQ": {"review": "2026-02-01"}}))["q"] == FOUND


def test_a_clause_list_that_names_nothing_to_document_leaves_a_to_c_and_l_to_a_person(assessed):
    bare = "standard: Another standard\nclauses:\n  - {number: \"1\", title: \"Policy\"}\n"
    verdicts = assessed(*complete(), clauses=bare)
    assert [verdicts[letter] for letter in "abcl"] == [JUDGE] * 4


def test_assessment_leaves_out_restricted_documents(assessed):
    secret = {"doc_type": "policy", "parents": ["POL-SMS"], "classification": "restricted", "clauses": ["1"]}
    verdicts = assessed(*complete(**{"POL-SMS": {"clauses": None}, "POL-SECRET": secret}))
    assert verdicts["a"] == FOUND  # a policy the site does not publish does not count as evidence


# --------------------------------------------------------------------------- the page


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    library = LibraryRepo.create(tmp_path_factory.mktemp("assessment") / "library",
                                 complete(**{"POL-INC": {"tags": None}}), {"clauses": "clauses.yaml"}, commit=False)
    library.write("clauses.yaml", CLAUSES)
    library.commit("Library")
    built = library.build("--strict")
    assert built.returncode == 0, built.output
    return library, read_page(library.site / "assessment" / "index.html")


def test_assessment_page_names_all_17_letters_in_order_with_a_verdict_each(page):
    _, html = page
    rows = html.find("table", id="sms-assessment").find("tbody").find_all("tr")
    assert [row.attrs["id"] for row in rows] == [f"item-{letter}" for letter in LETTERS]
    for row in rows:
        cells = row.find_all("td")
        assert cells[0].text == row.attrs["id"][-1]
        assert cells[2].text in VERDICTS, cells[2].text
        assert row.attrs["data-verdict"] == cells[2].text
        assert cells[3].find("p", class_="sms-verdict-summary").text


def test_assessment_page_names_the_edition_it_follows(page):
    _, html = page
    text = html.find("div", class_="sms-records").text
    assert "ISO/IEC TR 20000-5" in text and "DTR 2009" in text and "Annex D.2" in text


def test_assessment_page_evidence_links_documents_and_record_pages(page):
    library, html = page
    item_a = html.find("tr", id="item-a")
    links = dict(item_a.links())
    assert links["POL-SMS"].endswith("pol-sms/") and "Coverage" in links
    item_l = html.find("tr", id="item-l")
    assert item_l.find_all("td")[2].text == FOUND
    assert "4 Planning, plan: not found" in item_l.text


def test_cli_assessment_prints_the_same_verdicts_as_the_page(page, run_cli):
    library, html = page
    result = run_cli(library, "assessment")
    assert result.exit_code == 0
    for row in html.find("table", id="sms-assessment").find("tbody").find_all("tr"):
        letter, verdict = row.find_all("td")[0].text, row.find_all("td")[2].text
        assert f"\n{letter}  " in result.stdout and f"   {verdict}: " in result.stdout



@pytest.mark.parametrize("limits", [{"external": 100}, {"procedure": 0}, {"procedure": "long"}])
def test_max_words_must_be_positive_numbers_per_type(make_library, run_cli, limits):
    library = make_library(*complete(), options={"max_words": limits})
    result = run_cli(library, "assessment")
    assert result.exit_code == 2 and "max_words" in result.stderr
