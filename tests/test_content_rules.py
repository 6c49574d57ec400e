"""Content rules SMS401–SMS405 (SPEC §3; ISO/IEC 20000-5 Annex D.2 e, j, m, o).

Roles not names, no near-duplicates, templates followed, no links to obsolete, draft or
unknown documents, no raw HTML. Each rule gets one library shared by its tests, checked by
the real `sms-docs check --format json`; option variants are extra config files beside
mkdocs.yml (`sms-docs -f VARIANT check`), so a verdict can be compared under two settings
on the very same files.
"""

from __future__ import annotations

import re

import pytest
from findings_support import (
    assert_finding,
    body_line,
    body_with,
    check_json,
    commit_by,
    findings_at,
    library_at,
    line_with,
    words,
)
from support import clean_docs, describe, doc, of_code, only

DRAFT = {"status": "draft", "version": "0.1", "approver": None, "approved": None}


def retired(change: str) -> dict:
    return {"status": "retired", "version": "2.0", "change": change}


# --------------------------------------------------------------------------- a clean library


def test_library_that_follows_every_content_rule_has_no_findings_and_builds_strictly(tmp_path):
    steps = (
        "1. **Service Desk Analyst** — Log the call as in [PRO-INC-001](pro-inc-001.md), under PRC-INC.\n"
        "2. **Incident Manager** — Check the status page <https://status.example.org> and "
        "type `<Enter>` to refresh.\n"
        "3. **Incident Manager** — Follow [the process](../processes/prc-inc.md#activities) of POL-INC "
        "and ISO-20000, in UTF-8.\n"
        "4. **Incident Manager** — Hand over as in [the night shift](on%20call/pro-inc-003.md)."
    )
    library = library_at(
        tmp_path / "library",
        *clean_docs(),
        doc("PRO-INC-002", "procedure", parents=["PRC-INC"],
            body=body_with("PRO-INC-002", "procedure", "Escalate", {"Steps": steps})),
        doc("PRO-INC-003", "procedure", parents=["PRC-INC"], path="procedures/on call/pro-inc-003.md"),
        options={"people": ["Jane Roe"]},
        author="Grace Hopper",
    )
    assert check_json(library, "--strict")["findings"] == []
    built = library.build("--strict")  # every link the rules let through works in the site
    assert built.returncode == 0, built.output


# --------------------------------------------------------------------------- SMS401


NAMES_STEPS = (
    "1. **Service Desk Analyst** — Ask Grace Hopper to approve the change.\n"
    "2. **Incident Manager** — Phone Jane Roe if the change fails.\n"
    "3. **Incident Manager** — Grace Hopper closes the record."
)
ROLES_STEPS = (
    "1. **Service Desk Analyst** — Ask the Change Manager to approve the change.\n"
    "2. **Incident Manager** — Run `notify --to 'Grace Hopper'` to page the on-call engineer.\n"
    "3. **Incident Manager** — Check that the deploy job finished.\n"
    "\n"
    "```text\n"
    "Approved-by: Grace Hopper\n"
    "Contact: Jane Roe\n"
    "```"
)


@pytest.fixture(scope="module")
def names_library(tmp_path_factory):
    """Committed by Grace Hopper, then by a one-word handle `deploy`; `people: [Jane Roe]`."""
    named = doc("PRO-INC-002", "procedure", parents=["PRC-INC"],
                body=body_with("PRO-INC-002", "procedure", "Named", {"Steps": NAMES_STEPS}))
    roles = doc("PRO-INC-003", "procedure", parents=["PRC-INC"],
                body=body_with("PRO-INC-003", "procedure", "Roles", {"Steps": ROLES_STEPS}))
    repo = library_at(tmp_path_factory.mktemp("sms401") / "library", *clean_docs(), named,
                      options={"people": ["Jane Roe"]}, author="Grace Hopper")
    repo.add(doc("PRO-INC-004", "procedure", parents=["PRC-INC"],
                 body=body_with("PRO-INC-004", "procedure", "Handle", {"Steps": "1. **Release Manager** — deploy it."})))
    commit_by(repo, "Add a procedure", author="deploy")
    repo.add(roles)  # uncommitted: the rule reads the working tree
    return repo, check_json(repo)["findings"]


def test_git_authors_full_name_in_a_body_is_sms401_warning_at_its_line(names_library):
    repo, findings = names_library
    spec = repo.spec("PRO-INC-002")
    hits = [f for f in findings_at(findings, spec.path, "SMS401") if "Grace Hopper" in f["message"]]
    assert len(hits) == 1, describe(findings)  # named twice, reported once, at the first mention
    assert_finding(hits[0], "SMS401", "warning", spec.path, line_with(spec, "Ask Grace Hopper"),
                   "`Grace Hopper`", "role")
    assert hits[0]["id"] == "PRO-INC-002"


def test_name_from_the_people_option_is_sms401(names_library):
    repo, findings = names_library
    spec = repo.spec("PRO-INC-002")
    hits = [f for f in findings_at(findings, spec.path, "SMS401") if "Jane Roe" in f["message"]]
    assert len(hits) == 1, describe(findings)
    assert_finding(hits[0], "SMS401", "warning", spec.path, line_with(spec, "Phone Jane Roe"),
                   "names a person", "write the role instead")


def test_role_names_and_names_in_code_are_not_sms401(names_library):
    repo, findings = names_library
    assert findings_at(findings, repo.spec("PRO-INC-003").path) == []


def test_one_word_git_author_handle_is_not_a_name(names_library):
    # `deploy` committed PRO-INC-004, whose body uses the word "deploy".
    repo, findings = names_library
    assert findings_at(findings, repo.spec("PRO-INC-004").path) == []
    assert {f["code"] for f in findings} == {"SMS401"}, describe(findings)
    assert len(of_code(findings, "SMS401")) == 2


# --------------------------------------------------------------------------- SMS402


SHARED = words("shared", 300)
PARTLY = words("partly", 210)
ARCHIVED = words("archived", 300)


def steps_doc(doc_id: str, text: str, **fields: object):
    return doc(doc_id, "procedure", parents=["PRC-INC"],
               body=body_with(doc_id, "procedure", f"Title {doc_id}", {"Steps": text}), **fields)


@pytest.fixture(scope="module")
def duplicates_library(tmp_path_factory):
    """002/003 overlap ~90%, 004/005 ~70%, 007 (retired) and 008 (its successor) ~95%;
    thresholds 0.8 (default), 0.6 (`loose.yml`) and 0.95 (`strict.yml`)."""
    repo = library_at(
        tmp_path_factory.mktemp("sms402") / "library",
        *clean_docs(),
        steps_doc("PRO-INC-002", f"{SHARED} {words('first', 20)}"),
        steps_doc("PRO-INC-003", f"{words('second', 20)} {SHARED}"),
        steps_doc("PRO-INC-004", f"{PARTLY} {words('third', 90)}"),
        steps_doc("PRO-INC-005", f"{words('fourth', 90)} {PARTLY}"),
        steps_doc("PRO-INC-007", f"{ARCHIVED} {words('fifth', 10)}", **retired("Replaced by PRO-INC-008.")),
        steps_doc("PRO-INC-008", f"{ARCHIVED} {words('sixth', 10)}", supersedes=["PRO-INC-007"]),
        variants={"loose.yml": {"duplicate_threshold": 0.6}, "strict.yml": {"duplicate_threshold": 0.95}},
    )
    return repo, {
        name: of_code(check_json(repo, config=config)["findings"], "SMS402")
        for name, config in (("default", None), ("loose", "loose.yml"), ("strict", "strict.yml"))
    }


def pairs(findings: list[dict]) -> set[tuple[str, str]]:
    """(id of the finding's document, id the message names) of each SMS402."""
    result = set()
    for finding in findings:
        named = re.search(r"also in (\S+) \(", finding["message"])
        assert named, finding["message"]
        result.add((finding["id"], named.group(1)))
    return result


def test_largely_overlapping_bodies_are_sms402_naming_the_other_document(duplicates_library):
    repo, verdicts = duplicates_library
    second = repo.spec("PRO-INC-003")
    finding = only(verdicts["default"], "SMS402")
    assert_finding(finding, "SMS402", "warning", second.path, body_line(second),
                   "also in PRO-INC-002 (procedures/pro-inc-002.md)", "merge")
    share = int(re.search(r"(\d+)% of this text", finding["message"]).group(1))
    assert 85 <= share <= 95, finding["message"]


def test_duplicate_threshold_option_changes_the_verdict(duplicates_library):
    _, verdicts = duplicates_library
    assert pairs(verdicts["default"]) == {("PRO-INC-003", "PRO-INC-002")}
    assert pairs(verdicts["loose"]) == {("PRO-INC-003", "PRO-INC-002"), ("PRO-INC-005", "PRO-INC-004")}
    assert pairs(verdicts["strict"]) == set()


def test_distinct_bodies_are_not_near_duplicates(duplicates_library):
    _, verdicts = duplicates_library
    involved = {doc_id for pair in pairs(verdicts["loose"]) for doc_id in pair}
    assert involved.isdisjoint({"POL-SMS", "POL-INC", "PRC-INC", "PRO-INC-001"})


def test_retired_document_is_not_a_near_duplicate_of_its_successor(duplicates_library):
    # The archive keeps the old text; the successor may reuse it.
    _, verdicts = duplicates_library
    involved = {doc_id for pair in pairs(verdicts["loose"]) for doc_id in pair}
    assert involved.isdisjoint({"PRO-INC-007", "PRO-INC-008"})


def test_near_duplicate_verdicts_do_not_depend_on_pythonhashseed(tmp_path):
    # Short identical pairs have few shingles, so whether a sampled shingle links them
    # would change from run to run if the sample depended on Python's string hashing.
    specs = [*clean_docs(), steps_doc("PRO-INC-002", SHARED), steps_doc("PRO-INC-003", SHARED)]
    for number in range(6):
        text = words(f"tiny{number}x", 10)
        specs += [doc(f"PRO-T{number}-001", "procedure", parents=["PRC-INC"], body=text, path=f"procedures/t{number}a.md"),
                  doc(f"PRO-T{number}-002", "procedure", parents=["PRC-INC"], body=text, path=f"procedures/t{number}b.md")]
    library = library_at(tmp_path / "library", *specs)
    outputs = {
        seed: library.run_cli("check", "--format", "json", PYTHONHASHSEED=seed).stdout for seed in ("0", "1", "4242")
    }
    assert len(set(outputs.values())) == 1, "the findings differ between PYTHONHASHSEED values"
    assert "also in PRO-INC-002" in outputs["0"]


def test_words_are_compared_in_lower_case_and_split_at_any_other_character_than_a_z_and_0_9(tmp_path):
    # A dash, a curly quote or a non-breaking space between two words separates them as a
    # space does, so the second body repeats the first one's 300 words.
    plain = words("shared", 300)
    separators = ["—", "’", "\u00a0", "…"]
    fancy = "".join(word.upper() + separators[number % 4] for number, word in enumerate(plain.split()))
    library = library_at(tmp_path / "library", *clean_docs(), steps_doc("PRO-INC-002", plain), steps_doc("PRO-INC-003", fancy))
    finding = only(check_json(library)["findings"], "SMS402")
    assert finding["id"] == "PRO-INC-003" and "also in PRO-INC-002" in finding["message"], finding["message"]


# --------------------------------------------------------------------------- SMS403


CUSTOM_PROCEDURE = "# {{ title }}\n\n## Purpose\n\nWhy.\n\n## Checklist\n\n- [ ] Ready.\n\n## Steps\n\n1. **Role** — Do it.\n"


@pytest.fixture(scope="module")
def template_library(tmp_path_factory):
    """Default templates in mkdocs.yml; `custom.yml` points `templates:` at a folder with a
    procedure template only (Purpose, Checklist, Steps)."""
    no_records = body_with("PRO-INC-002", "procedure", "No records",
                           headings=["Purpose", "When to use", "Roles", "Inputs", "Steps"])
    swapped = body_with("PRO-INC-003", "procedure", "Swapped",
                        headings=["Purpose", "When to use", "Inputs", "Roles", "Steps", "Records"])
    loose_headings = body_with("PRO-INC-004", "procedure", "Loose",
                               headings=["purpose", "When To Use:", "Roles ##", "Inputs", "Steps", "Records"])
    fenced = body_with("PRO-INC-005", "procedure", "Fenced",
                       {"Steps": "1. Do it.\n\n```markdown\n## Records\n```"},
                       headings=["Purpose", "When to use", "Roles", "Inputs", "Steps"])
    custom = body_with("PRO-INC-006", "procedure", "Custom", headings=["Purpose", "Checklist", "Steps"])
    no_scope = body_with("POL-CHG", "policy", "Change", headings=["Purpose", "Policy statements", "Roles and responsibilities"])
    repo = library_at(
        tmp_path_factory.mktemp("sms403") / "library",
        *clean_docs(),
        doc("PRO-INC-002", "procedure", parents=["PRC-INC"], body=no_records),
        doc("PRO-INC-003", "procedure", parents=["PRC-INC"], body=swapped),
        doc("PRO-INC-004", "procedure", parents=["PRC-INC"], body=loose_headings),
        doc("PRO-INC-005", "procedure", parents=["PRC-INC"], body=fenced),
        doc("PRO-INC-006", "procedure", parents=["PRC-INC"], body=custom),
        doc("POL-CHG", "policy", parents=["POL-SMS"], body=no_scope),
        variants={"custom.yml": {"templates": "library-templates"}},
    )
    repo.write("library-templates/procedure.md", CUSTOM_PROCEDURE)
    return repo, {
        "default": of_code(check_json(repo)["findings"], "SMS403"),
        "custom": of_code(check_json(repo, config="custom.yml")["findings"], "SMS403"),
    }


def test_missing_template_section_is_sms403_error_at_the_body(template_library):
    repo, verdicts = template_library
    spec = repo.spec("PRO-INC-002")
    [finding] = findings_at(verdicts["default"], spec.path)
    assert_finding(finding, "SMS403", "error", spec.path, body_line(spec),
                   "`## Records`", "sms-docs new procedure")
    assert "`## Steps`" not in finding["message"]


def test_sections_out_of_the_templates_order_are_sms403(template_library):
    repo, verdicts = template_library
    spec = repo.spec("PRO-INC-003")
    [finding] = findings_at(verdicts["default"], spec.path)
    assert_finding(finding, "SMS403", "error", spec.path, line_with(spec, "## Inputs"),
                   "`## Inputs` comes before `## Roles`", "move the sections into that order")


def test_heading_inside_fenced_code_is_not_a_section(template_library):
    repo, verdicts = template_library
    spec = repo.spec("PRO-INC-005")
    [finding] = findings_at(verdicts["default"], spec.path)
    assert "`## Records`" in finding["message"]


def test_headings_match_regardless_of_case_and_trailing_marks(template_library):
    repo, verdicts = template_library
    assert findings_at(verdicts["default"], repo.spec("PRO-INC-004").path) == []


def test_complete_documents_of_each_type_are_clean(template_library):
    repo, verdicts = template_library
    for doc_id in ("POL-SMS", "POL-INC", "PRC-INC", "PRO-INC-001"):
        assert findings_at(verdicts["default"], repo.spec(doc_id).path) == [], doc_id


def test_templates_option_changes_the_required_sections(template_library):
    repo, verdicts = template_library
    by_id = {f["id"]: f for f in verdicts["custom"]}
    # The complete default procedure now lacks the custom `## Checklist`...
    assert_finding(by_id["PRO-INC-001"], "SMS403", "error", repo.spec("PRO-INC-001").path,
                   body_line(repo.spec("PRO-INC-001")), "`## Checklist`")
    # ...a document missing `## Records` is judged only on the custom sections...
    assert "`## Records`" not in by_id["PRO-INC-002"]["message"]
    assert "`## Checklist`" in by_id["PRO-INC-002"]["message"]
    # ...and a document written for the custom template is clean, though not under the default.
    assert "PRO-INC-006" not in by_id
    assert any(f["id"] == "PRO-INC-006" for f in verdicts["default"])


def test_type_without_an_override_keeps_the_packaged_template(template_library):
    repo, verdicts = template_library
    for verdict in ("default", "custom"):
        [finding] = findings_at(verdicts[verdict], repo.spec("POL-CHG").path)
        assert "`## Scope`" in finding["message"], verdict
        assert not findings_at(verdicts[verdict], repo.spec("PRC-INC").path), verdict


# --------------------------------------------------------------------------- SMS404


LINKER_STEPS = (
    "1. **Incident Manager** — Escalate as in [the fax procedure](pro-inc-009.md).\n"
    "2. **Incident Manager** — Triage with [the new triage](pro-inc-006.md#steps).\n"
    "3. **Incident Manager** — Page as PRO-INC-008 describes.\n"
    "4. **Incident Manager** — Never use PRO-XYZ-999 for this.\n"
    "5. **Incident Manager** — Tell [the problem team](../../processes/prc-prb.md).\n"
    "6. **Incident Manager** — Log it as in [PRO-INC-001](../pro-inc-001.md) under PRC-INC, "
    "per ISO-20000 and SLA-P1, in UTF-8.\n"
    "7. **Incident Manager** — Check [the breach procedure](pro-inc-007.md).\n"
    "8. **Incident Manager** — Read [the lost page](pro-inc-077.md) and [the guide](../../content/index.md)."
)


@pytest.fixture(scope="module")
def links_library(tmp_path_factory):
    incident = {"subdir": "incident", "parents": ["PRC-INC"]}
    linker = doc("PRO-INC-002", "procedure", **incident,
                 body=body_with("PRO-INC-002", "procedure", "Linker", {"Steps": LINKER_STEPS}))
    reference_style = doc("PRO-INC-003", "procedure", **incident, body=body_with(
        "PRO-INC-003", "procedure", "Reference", {"Steps": "1. Follow [the old way][fax].\n\n[fax]: pro-inc-009.md"}))
    successor = doc("PRO-INC-005", "procedure", **incident, supersedes=["PRO-INC-009"], body=body_with(
        "PRO-INC-005", "procedure", "Successor", {"Purpose": "Replaces the fax escalation of PRO-INC-009."}))
    draft = doc("PRO-INC-006", "procedure", **incident, **DRAFT, body=body_with(
        "PRO-INC-006", "procedure", "Draft", {"Steps": "1. See [fax](pro-inc-009.md), PRO-INC-008 and PRO-XYZ-999."}))
    repo = library_at(
        tmp_path_factory.mktemp("sms404") / "library",
        *clean_docs(),
        linker, reference_style, successor, draft,
        doc("PRO-INC-009", "procedure", **incident, **retired("Paging replaced fax; see PRO-INC-005.")),
        doc("PRO-INC-008", "procedure", **incident, **retired("Pagers are gone.")),
        doc("PRC-PRB", "process", parents=["POL-INC"], **DRAFT),
        doc("PRO-INC-007", "procedure", **incident, classification="restricted", body=body_with(
            "PRO-INC-007", "procedure", "Restricted", {"Steps": "1. Then follow [the forensics](pro-inc-010.md)."})),
        doc("PRO-INC-010", "procedure", **incident, classification="restricted"),
        variants={"restricted.yml": {"include_restricted": True}},
    )
    return repo, of_code(check_json(repo)["findings"], "SMS404")


@pytest.fixture(scope="module")
def links_with_restricted_published(links_library):
    repo, _ = links_library
    return of_code(check_json(repo, config="restricted.yml")["findings"], "SMS404")


def linker_finding(links_library, needle: str) -> tuple[dict, int]:
    repo, findings = links_library
    spec = repo.spec("PRO-INC-002")
    line = line_with(spec, needle)
    [finding] = [f for f in findings_at(findings, spec.path) if f["line"] == line]
    return finding, line


def test_link_to_a_retired_document_is_sms404_naming_its_successor(links_library):
    finding, line = linker_finding(links_library, "[the fax procedure]")
    assert_finding(finding, "SMS404", "error", "procedures/incident/pro-inc-002.md", line,
                   "PRO-INC-009", "retired", "refer to PRO-INC-005, which supersedes it")


def test_link_to_a_draft_is_sms404(links_library):
    finding, line = linker_finding(links_library, "[the new triage]")
    assert_finding(finding, "SMS404", "error", "procedures/incident/pro-inc-002.md", line,
                   "PRO-INC-006", "draft")


def test_link_up_two_folders_to_a_draft_process_is_sms404(links_library):
    finding, line = linker_finding(links_library, "[the problem team]")
    assert_finding(finding, "SMS404", "error", "procedures/incident/pro-inc-002.md", line, "PRC-PRB", "draft")


def test_id_reference_to_a_retired_document_is_sms404(links_library):
    finding, line = linker_finding(links_library, "Page as PRO-INC-008")
    assert_finding(finding, "SMS404", "error", "procedures/incident/pro-inc-002.md", line,
                   "PRO-INC-008", "retired", "refer to the current document instead")


def test_id_reference_with_a_library_prefix_that_does_not_exist_is_sms404(links_library):
    finding, line = linker_finding(links_library, "PRO-XYZ-999")
    assert_finding(finding, "SMS404", "error", "procedures/incident/pro-inc-002.md", line,
                   "`PRO-XYZ-999`", "not a document of the library", "correct the id")


def test_links_and_ids_of_approved_documents_and_foreign_prefixes_are_fine(links_library):
    repo, findings = links_library
    linker = findings_at(findings, repo.spec("PRO-INC-002").path)
    assert len(linker) == 7, describe(linker)
    assert line_with(repo.spec("PRO-INC-002"), "ISO-20000") not in {f["line"] for f in linker}


def test_link_to_a_file_missing_from_the_library_is_sms404(links_library):
    # The build would warn about the broken link; `check` says so first. Links outside
    # the library folders (ordinary site pages) are MkDocs' business.
    finding, line = linker_finding(links_library, "[the lost page]")
    assert_finding(finding, "SMS404", "error", "procedures/incident/pro-inc-002.md", line,
                   "`pro-inc-077.md`", "not a document of the library", "correct the link")


def test_link_to_a_restricted_document_is_sms404_unless_restricted_documents_are_published(
    links_library, links_with_restricted_published
):
    # The site leaves restricted documents out, so the link would be broken (the author's guide).
    finding, line = linker_finding(links_library, "[the breach procedure]")
    assert_finding(finding, "SMS404", "error", "procedures/incident/pro-inc-002.md", line,
                   "PRO-INC-007", "restricted", "include_restricted: true")
    repo, _ = links_library
    assert [f["line"] for f in findings_at(links_with_restricted_published, repo.spec("PRO-INC-002").path)
            ].count(line) == 0


def test_restricted_document_may_link_to_another_restricted_one(links_library):
    repo, findings = links_library
    assert findings_at(findings, repo.spec("PRO-INC-007").path) == []


def test_reference_style_link_to_a_retired_document_is_sms404(links_library):
    repo, findings = links_library
    spec = repo.spec("PRO-INC-003")
    [finding] = findings_at(findings, spec.path)
    assert_finding(finding, "SMS404", "error", spec.path, line_with(spec, "[fax]: pro-inc-009.md"), "PRO-INC-009")


def test_successor_naming_what_it_supersedes_is_not_told_to_refer_to_itself(links_library):
    repo, findings = links_library
    spec = repo.spec("PRO-INC-005")
    [finding] = findings_at(findings, spec.path)
    assert_finding(finding, "SMS404", "error", spec.path, line_with(spec, "Replaces the fax"),
                   "PRO-INC-009", "this document supersedes it", "`supersedes:`")
    assert "refer to PRO-INC-005" not in finding["message"]


def test_links_from_a_draft_are_not_checked(links_library):
    repo, findings = links_library
    assert findings_at(findings, repo.spec("PRO-INC-006").path) == []


# --------------------------------------------------------------------------- SMS405


HTML_STEPS = (
    "1. **Service Desk Analyst** — Read the banner.\n"
    '\n<div class="note">Call the desk first.</div>\n'
)
SAFE_STEPS = (
    "1. **Service Desk Analyst** — Press `<kbd>Enter</kbd>` and check <https://status.example.org/incidents>.\n"
    "2. **Service Desk Analyst** — Mail <mailto:desk@example.org> or <desk@example.org> when priority < P2.\n"
    "\n"
    "```html\n"
    "<div class=\"note\">Shown as code</div>\n"
    "```\n"
    "\n"
    "~~~\n"
    "<table><tr><td>also code</td></tr></table>\n"
    "~~~"
)


@pytest.fixture(scope="module")
def html_library(tmp_path_factory):
    repo = library_at(
        tmp_path_factory.mktemp("sms405") / "library",
        *clean_docs(),
        steps_doc("PRO-INC-002", HTML_STEPS),
        steps_doc("PRO-INC-003", SAFE_STEPS),
        variants={"html.yml": {"allow_html": True}},
    )
    return repo, {
        "default": check_json(repo)["findings"],
        "allowed": check_json(repo, config="html.yml")["findings"],
    }


def test_raw_html_is_sms405_error_at_its_line(html_library):
    repo, verdicts = html_library
    spec = repo.spec("PRO-INC-002")
    finding = only(verdicts["default"], "SMS405")
    assert_finding(finding, "SMS405", "error", spec.path, line_with(spec, "<div"),
                   '`<div class="note">`', "Markdown", "allow_html: true")


def test_allow_html_option_silences_sms405(html_library):
    _, verdicts = html_library
    assert of_code(verdicts["allowed"], "SMS405") == []
    assert verdicts["allowed"] == [f for f in verdicts["default"] if f["code"] != "SMS405"]


def test_html_in_code_and_autolinks_is_not_sms405(html_library):
    repo, verdicts = html_library
    assert findings_at(verdicts["default"], repo.spec("PRO-INC-003").path) == []


# --------------------------------------------------------------------------- the text the rules read


# The rules read a body outside code (SPEC §3: code, fenced or indented, and backslash-escaped
# text are not prose), one line at a time. A fenced block closes only with a fence of its own
# character at least as long (or runs to the end); an indented block starts after a blank
# line; the indented content of a list item or an admonition is prose; inline code does not
# count, and nothing a rule looks for runs on into the next line.
FENCED_NAMES_STEPS = (
    "```text\n"
    "Contact: Grace Hopper\n"
    "~~~\n"
    "Ada Lovelace: a ~~~ line does not close a ``` block\n"
    "````\n"
    "1. **Incident Manager** — Ask Grace Hopper first.\n"
    "2. **Incident Manager** — Run `page Jane Roe` to page the on-call engineer.\n"
    "3. **Incident Manager** — Ask MaryJane Roe-Smith or the Ada Lovelaces team.\n"
    "4. **Incident Manager** — Phone Jane Roe.\n"
    "\n"
    "    Joan Clarke writes the list item's second paragraph."
)
INDENTED_NAMES = (
    "Who keeps the pager:\n"
    "\n"
    "    Ada Lovelace (an indented code block)\n"
    "\n"
    "!!! note\n"
    "    Alan Turing is named in an admonition, which is prose."
)
FENCED_NAMES_RECORDS = "- The paging log.\n\n```\nAda Lovelace keeps it.\n"  # never closed
HTML_LINES = (
    "<b>one</b> and <i>two</i> on one line.\n"
    "A tag broken over <span\n"
    'class="note">two lines</span is no tag.\n'
    "Mail <https://example.org/desk> or <mailto:desk@example.org>.\n"
    "<br/>\n"
    "<!-- a comment -->\n"
    "<hr>"
)
ESCAPED_HTML = (
    "Type this:\n"
    "\n"
    "    <div>an indented code block</div>\n"
    "\n"
    "1. **\\<enter role of process owner\\>** — *\\<describe the step\\>*.\n"
    "2. **Incident Manager** — Press `` `<kbd>` `` then \\<Enter\\>.\n"
    "\n"
    "!!! example\n"
    "    ```html\n"
    "    <table><tr><td>code in an admonition</td></tr></table>\n"
    "    ```"
)
HTML_IN_ADMONITION = "!!! warning\n\n    Never press <kbd>Del</kbd> here."
ESCAPED_OPENING_ONLY = "1. **Incident Manager** — Press \\<kbd>Enter</kbd> to confirm."
REFERENCE_STEPS = (
    "```\n"
    "See [fax](pro-inc-009.md) and PRO-INC-009.\n"
    "```\n"
    "1. **Incident Manager** — Run `open pro-inc-009.md` or [the fax](\n"
    "pro-inc-009.md) as needed.\n"
    "2. **Incident Manager** — Do not page as PRO-INC-009 did.\n"
    "3. **Incident Manager** — Nor as in [PRO-INC-009](pro-inc-009.md).\n"
    "4. **Incident Manager** — Not \\[the fax\\](pro-inc-009.md) either, nor `PRO-INC-009`.\n"
    "\n"
    "        [fax](pro-inc-009.md) in an indented code block\n"
    "\n"
    "5. **Incident Manager** — And never [the fax again](pro-inc-009.md)."
)
SWAPPED_AFTER_FENCE = body_with(
    "PRO-INC-005", "procedure", "Swapped", {"Purpose": "```markdown\n## Roles\n```"},
    headings=["Purpose", "When to use", "Inputs", "Roles", "Steps", "Records"],
)
FIRST_LINE_HEADING = "\n".join(
    f"## {heading}\n\nPRO-INC-006 {heading.lower()}.\n" for heading in ["Inputs", "Purpose", "When to use", "Roles", "Steps", "Records"]
)
SETEXT_AND_ATTRIBUTES = (
    "# Setext\n\nPurpose\n-------\n\nPRO-INC-007 purpose.\n\n## When to use {#when}\n\nPRO-INC-007 when.\n\n"
    "## Roles ##\n\nPRO-INC-007 roles.\n\n    ## Inputs\n\n## Steps\n\nPRO-INC-007 steps.\n\n## Records\n\nPRO-INC-007 records.\n"
)


@pytest.fixture(scope="module")
def prose_library(tmp_path_factory):
    """Committed by Grace Hopper, `people: [Jane Roe, Ada Lovelace, Alan Turing, Joan Clarke]`;
    PRO-INC-009 is retired."""
    incident = {"parents": ["PRC-INC"]}
    specs = [
        doc("PRO-INC-002", "procedure", **incident, body=body_with(
            "PRO-INC-002", "procedure", "Names",
            {"Purpose": INDENTED_NAMES, "Steps": FENCED_NAMES_STEPS, "Records": FENCED_NAMES_RECORDS})),
        steps_doc("PRO-INC-003", HTML_LINES),
        steps_doc("PRO-INC-004", REFERENCE_STEPS),
        doc("PRO-INC-005", "procedure", **incident, body=SWAPPED_AFTER_FENCE),
        doc("PRO-INC-006", "procedure", **incident, body=FIRST_LINE_HEADING),
        doc("PRO-INC-007", "procedure", **incident, body=SETEXT_AND_ATTRIBUTES),
        steps_doc("PRO-INC-008", ESCAPED_HTML),
        steps_doc("PRO-INC-010", HTML_IN_ADMONITION),
        steps_doc("PRO-INC-011", ESCAPED_OPENING_ONLY),
        doc("PRO-INC-009", "procedure", **incident, **retired("Paging replaced fax.")),
    ]
    repo = library_at(tmp_path_factory.mktemp("prose") / "library", *clean_docs(), *specs,
                      options={"people": ["Jane Roe", "Ada Lovelace", "Alan Turing", "Joan Clarke"]}, author="Grace Hopper")
    return repo, check_json(repo)["findings"]


def test_names_in_code_blocks_inline_code_and_other_words_are_skipped_and_lines_stay_right(prose_library):
    repo, findings = prose_library
    spec = repo.spec("PRO-INC-002")
    hits = findings_at(findings, spec.path, "SMS401")
    assert {(f["line"], f["message"].split("`")[1]) for f in hits} == {
        (line_with(spec, "Ask Grace Hopper first"), "Grace Hopper"),
        (line_with(spec, "Phone Jane Roe"), "Jane Roe"),
        (line_with(spec, "Alan Turing"), "Alan Turing"),
        (line_with(spec, "Joan Clarke"), "Joan Clarke"),
    }, describe(hits)  # Ada Lovelace is named only in code: fenced, indented, and a block never closed
    assert findings_at(findings, spec.path) == hits, "the unclosed block at the end hides no section"


def test_raw_html_is_reported_on_the_first_three_lines_with_a_tag_once_each(prose_library):
    repo, findings = prose_library
    spec = repo.spec("PRO-INC-003")
    hits = findings_at(findings, spec.path, "SMS405")
    assert [f["line"] for f in hits] == [line_with(spec, "<b>one"), line_with(spec, "<br/>"),
                                         line_with(spec, "<!-- a comment")], describe(hits)
    assert "`<b>`" in hits[0]["message"]


def test_backslash_escaped_brackets_and_code_blocks_are_not_raw_html(prose_library):
    # `*\<enter role of process owner\>*` renders as text: a template's placeholder, not a tag.
    repo, findings = prose_library
    assert findings_at(findings, repo.spec("PRO-INC-008").path) == []


def test_html_in_an_admonition_is_raw_html(prose_library):
    repo, findings = prose_library
    spec = repo.spec("PRO-INC-010")
    [finding] = findings_at(findings, spec.path)
    assert_finding(finding, "SMS405", "error", spec.path, line_with(spec, "<kbd>Del"), "`<kbd>`")


def test_a_backslash_before_an_opening_bracket_does_not_escape_a_tag(prose_library):
    # MkDocs renders with Python-Markdown, which escapes `>` but not `<`: `\<kbd>` is a tag.
    repo, findings = prose_library
    spec = repo.spec("PRO-INC-011")
    [finding] = findings_at(findings, spec.path)
    assert_finding(finding, "SMS405", "error", spec.path, line_with(spec, "kbd>Enter"), "`<kbd>`")


def test_every_line_referring_to_a_retired_document_outside_code_is_sms404(prose_library):
    # The fenced block, the inline code, the link broken over two lines, the escaped link and
    # the indented block mention PRO-INC-009 too; only steps 2, 3 and 5 count, step 3 (a link
    # whose text is the id) once.
    repo, findings = prose_library
    spec = repo.spec("PRO-INC-004")
    hits = findings_at(findings, spec.path)
    assert [f["line"] for f in hits] == [line_with(spec, needle) for needle in
                                         ("Do not page as PRO-INC-009", "Nor as in", "the fax again")], describe(hits)
    for finding in hits:
        assert_finding(finding, "SMS404", "error", spec.path, finding["line"], "PRO-INC-009", "retired")


def test_heading_in_a_fenced_block_does_not_count_for_the_section_order(prose_library):
    repo, findings = prose_library
    spec = repo.spec("PRO-INC-005")
    [finding] = findings_at(findings, spec.path)
    assert_finding(finding, "SMS403", "error", spec.path, line_with(spec, "## Inputs"),
                   "`## Inputs` comes before `## Roles`")


def test_heading_on_the_first_line_of_the_body_is_a_section(prose_library):
    repo, findings = prose_library
    spec = repo.spec("PRO-INC-006")
    [finding] = findings_at(findings, spec.path)
    assert_finding(finding, "SMS403", "error", spec.path, body_line(spec), "`## Inputs` comes before `## Roles`")


def test_setext_headings_and_attribute_lists_are_sections_and_indented_code_is_not(prose_library):
    repo, findings = prose_library
    spec = repo.spec("PRO-INC-007")
    [finding] = findings_at(findings, spec.path)
    assert_finding(finding, "SMS403", "error", spec.path, body_line(spec), "`## Inputs`")
    assert "`## Purpose`" not in finding["message"] and "`## When to use`" not in finding["message"]
