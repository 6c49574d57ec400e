"""Hierarchy rules SMS201–SMS208 (SPEC §3; ISO/IEC 20000-5 Annex C and D.2 n).

policy › process › procedure: no duplicates, no orphans, no dangling or wrong-level
parents, no cycles, nothing hanging on drafts, every policy reachable, no gaps.
"""

from __future__ import annotations

import pytest
from support import clean_docs, describe, doc, of_code, only


def assert_finding(finding: dict, code: str, severity: str, path: str, line: int, *phrases: str) -> None:
    assert (finding["code"], finding["severity"], finding["path"], finding["line"]) == (code, severity, path, line), (
        describe([finding])
    )
    for phrase in phrases:
        assert phrase in finding["message"], f"{phrase!r} not in {finding['message']!r}"


def codes(findings: list[dict]) -> list[str]:
    return sorted(f["code"] for f in findings)


def test_clean_hierarchy_has_no_findings(clean_library, findings_of):
    assert findings_of(clean_library) == []


def test_many_to_many_parents_are_allowed(make_library, findings_of):
    library = make_library(
        *clean_docs(),
        doc("POL-CHG", "policy", parents=["POL-SMS"]),
        doc("PRC-CHG", "process", parents=["POL-CHG", "POL-INC"]),
        doc("PRO-CHG-001", "procedure", parents=["PRC-CHG", "PRC-INC"]),
    )
    assert findings_of(library) == []


# --------------------------------------------------------------------------- SMS201


def test_duplicate_id_is_sms201_on_the_second_file(make_library, findings_of):
    again = doc("PRO-INC-001", "procedure", parents=["PRC-INC"], path="procedures/zz-copy.md")
    library = make_library(*clean_docs(), again)
    finding = only(findings_of(library), "SMS201")
    assert_finding(
        finding, "SMS201", "error", "procedures/zz-copy.md", again.line_of("id"), "procedures/pro-inc-001.md", "new id"
    )
    assert finding["line"] == 2


def test_ids_differing_only_in_case_are_duplicates(make_library, findings_of):
    again = doc("pro-inc-001", "procedure", parents=["PRC-INC"], path="procedures/zz-copy.md")
    library = make_library(*clean_docs(), again)
    found = findings_of(library)
    assert_finding(only(found, "SMS201"), "SMS201", "error", "procedures/zz-copy.md", 2, "procedures/pro-inc-001.md")
    # The lower-case id is also invalid in itself, and the fix is named.
    assert_finding(only(found, "SMS103"), "SMS103", "error", "procedures/zz-copy.md", 2, "`PRO-INC-001`")


def test_duplicate_ids_across_types_are_duplicates(make_library, findings_of):
    # procedures/ sorts before processes/: the process is the second holder of the id.
    library = make_library(*clean_docs(), doc("PRC-INC", "procedure", parents=["PRC-INC"], path="procedures/x.md"))
    finding = only(findings_of(library), "SMS201")
    assert_finding(finding, "SMS201", "error", "processes/prc-inc.md", 2, "procedures/x.md")


# --------------------------------------------------------------------------- SMS202


def test_procedure_without_parents_is_an_orphan(make_library, findings_of):
    orphan = doc("PRO-INC-002", "procedure")  # no `parents` key at all
    library = make_library(*clean_docs(), orphan)
    finding = only(findings_of(library), "SMS202")
    # The key is absent: the finding points at the front matter's first line.
    assert_finding(finding, "SMS202", "error", "procedures/pro-inc-002.md", 1, "orphan", "parents: [", "process")
    assert finding["id"] == "PRO-INC-002"


def test_process_with_empty_parents_is_an_orphan_at_the_parents_line(make_library, findings_of):
    orphan = doc("PRC-CHG", "process", parents=[])
    library = make_library(*clean_docs(), orphan, doc("PRO-CHG-001", "procedure", parents=["PRC-CHG"]))
    finding = only(findings_of(library), "SMS202")
    assert_finding(finding, "SMS202", "error", "processes/prc-chg.md", orphan.line_of("parents"), "orphan", "policy")
    assert finding["line"] == 10


def test_policy_without_parents_is_not_an_orphan(make_library, findings_of):
    library = make_library(*clean_docs())
    assert of_code(findings_of(library), "SMS202") == []
    assert "parents" not in library.spec("POL-SMS").fields


# --------------------------------------------------------------------------- SMS203


def test_parent_that_does_not_exist_is_sms203(make_library, findings_of):
    spec = doc("PRO-INC-002", "procedure", parents=["PRC-INC", "PRC-NOPE"])
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS203")
    assert_finding(finding, "SMS203", "error", "procedures/pro-inc-002.md", spec.line_of("parents"), "`PRC-NOPE`")
    assert "correct the id or remove it" in finding["message"]


# --------------------------------------------------------------------------- SMS204


def test_procedure_under_a_policy_is_sms204(make_library, findings_of):
    spec = doc("PRO-INC-002", "procedure", parents=["POL-INC"])
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS204")
    assert_finding(
        finding, "SMS204", "error", "procedures/pro-inc-002.md", spec.line_of("parents"),
        "`POL-INC` is a policy", "process",
    )


def test_process_under_a_procedure_is_sms204(make_library, findings_of):
    spec = doc("PRC-CHG", "process", parents=["PRO-INC-001"])
    library = make_library(*clean_docs(), spec, doc("PRO-CHG-001", "procedure", parents=["PRC-CHG"]))
    finding = only(findings_of(library), "SMS204")
    assert_finding(finding, "SMS204", "error", "processes/prc-chg.md", 10, "`PRO-INC-001` is a procedure", "policy")


def test_policy_under_a_process_is_sms204(make_library, findings_of):
    spec = doc("POL-CHG", "policy", parents=["PRC-INC"])
    library = make_library(*clean_docs(), spec)
    assert_finding(only(findings_of(library), "SMS204"), "SMS204", "error", "policies/pol-chg.md", 10, "`PRC-INC`")


# --------------------------------------------------------------------------- SMS205


def test_document_that_is_its_own_parent_is_sms205(make_library, findings_of):
    spec = doc("PRC-INC", "process", parents=["POL-INC", "PRC-INC"], title="Incident management")
    docs = [d for d in clean_docs() if d.id != "PRC-INC"] + [spec]
    library = make_library(*docs)
    found = findings_of(library)
    finding = only(found, "SMS205")
    assert_finding(finding, "SMS205", "error", "processes/prc-inc.md", spec.line_of("parents"), "itself")
    assert of_code(found, "SMS204") == []  # a self-link is a cycle, not also a wrong level


def test_cycle_of_three_is_reported_once(make_library, findings_of):
    cycle = [
        doc("POL-A", "policy", parents=["POL-C"]),
        doc("POL-B", "policy", parents=["POL-A"]),
        doc("POL-C", "policy", parents=["POL-B"]),
    ]
    library = make_library(*clean_docs(), *cycle)
    finding = only(findings_of(library), "SMS205")
    # Reported on the member first by path, at its `parents` line, naming the whole loop.
    assert_finding(finding, "SMS205", "error", "policies/pol-a.md", 10, "POL-A", "POL-B", "POL-C", "remove one")


# --------------------------------------------------------------------------- SMS206


def test_approved_document_under_only_draft_parents_is_sms206(make_library, findings_of):
    library = make_library(
        *clean_docs(),
        doc("PRC-CHG", "process", parents=["POL-INC"], status="draft", approver=None, approved=None),
        doc("PRO-CHG-001", "procedure", parents=["PRC-CHG"]),
    )
    finding = only(findings_of(library), "SMS206")
    assert_finding(finding, "SMS206", "error", "procedures/pro-chg-001.md", 10, "PRC-CHG is draft", "approve a parent")


def test_approved_document_under_a_retired_parent_is_sms206(make_library, findings_of):
    library = make_library(
        *clean_docs(),
        doc("PRC-OLD", "process", parents=["POL-INC"], status="retired"),
        doc("PRO-OLD-001", "procedure", parents=["PRC-OLD"]),
    )
    finding = only(findings_of(library), "SMS206")
    assert_finding(finding, "SMS206", "error", "procedures/pro-old-001.md", 10, "PRC-OLD is retired")


def test_one_current_parent_among_drafts_is_enough(make_library, findings_of):
    library = make_library(
        *clean_docs(),
        doc("PRC-CHG", "process", parents=["POL-INC"], status="draft", approver=None, approved=None),
        doc("PRO-CHG-001", "procedure", parents=["PRC-CHG", "PRC-INC"]),
    )
    assert of_code(findings_of(library), "SMS206") == []


def test_draft_under_a_draft_is_not_sms206(make_library, findings_of):
    library = make_library(
        *clean_docs(),
        doc("PRC-CHG", "process", parents=["POL-INC"], status="draft", approver=None, approved=None),
        doc("PRO-CHG-001", "procedure", parents=["PRC-CHG"], status="draft", approver=None, approved=None),
    )
    assert findings_of(library) == []


# --------------------------------------------------------------------------- SMS207


def test_policy_under_a_missing_policy_is_unreachable(make_library, findings_of):
    stray = doc("POL-CHG", "policy", parents=["POL-GONE"])
    library = make_library(*clean_docs(), stray, doc("PRC-CHG", "process", parents=["POL-CHG"]),
                           doc("PRO-CHG-001", "procedure", parents=["PRC-CHG"]))
    found = findings_of(library)
    assert codes(found) == ["SMS203", "SMS207"], describe(found)
    assert_finding(only(found, "SMS207"), "SMS207", "warning", "policies/pol-chg.md", 10, "`POL-SMS`", "not reachable")


def test_two_policies_without_parents_are_both_sms207(make_library, findings_of):
    second = doc("POL-ISM", "policy", title="Information security policy")
    library = make_library(
        *clean_docs(), second, doc("PRC-ISM", "process", parents=["POL-ISM"]),
        doc("PRO-ISM-001", "procedure", parents=["PRC-ISM"]),
    )
    found = of_code(findings_of(library), "SMS207")
    assert [(f["path"], f["line"], f["severity"]) for f in found] == [
        ("policies/pol-ism.md", 2, "warning"),
        ("policies/pol-sms.md", 2, "warning"),
    ]
    assert all("POL-ISM" in f["message"] and "POL-SMS" in f["message"] and "root_policy" in f["message"] for f in found)


def test_configured_root_policy_makes_other_parentless_policies_unreachable(make_library, findings_of):
    second = doc("POL-ISM", "policy", title="Information security policy")
    library = make_library(
        *clean_docs(), second, doc("PRC-ISM", "process", parents=["POL-ISM"]),
        doc("PRO-ISM-001", "procedure", parents=["PRC-ISM"]),
        options={"root_policy": "POL-SMS"},
    )
    finding = only(findings_of(library), "SMS207")
    assert_finding(
        finding, "SMS207", "warning", "policies/pol-ism.md", second.line_of("id"), "`POL-SMS`", "parents: [POL-SMS]"
    )


def test_policies_in_a_cycle_are_unreachable(make_library, findings_of):
    library = make_library(
        *clean_docs(),
        doc("POL-A", "policy", parents=["POL-B"]),
        doc("POL-B", "policy", parents=["POL-A"]),
    )
    found = findings_of(library)
    assert [f["path"] for f in of_code(found, "SMS207")] == ["policies/pol-a.md", "policies/pol-b.md"]
    assert len(of_code(found, "SMS205")) == 1


# --------------------------------------------------------------------------- SMS208


def test_policy_without_processes_is_a_gap(make_library, findings_of):
    spec = doc("POL-CHG", "policy", parents=["POL-SMS"])
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS208")
    assert_finding(
        finding, "SMS208", "warning", "policies/pol-chg.md", spec.line_of("id"), "no processes", "parents: [POL-CHG]"
    )


def test_process_without_procedures_is_a_gap(make_library, findings_of):
    spec = doc("PRC-CHG", "process", parents=["POL-INC"])
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS208")
    assert_finding(finding, "SMS208", "warning", "processes/prc-chg.md", 2, "no procedures", "--parent PRC-CHG")


def test_root_policy_needs_no_process_of_its_own(make_library, findings_of):
    # POL-SMS has only a policy below it; the process sits under that policy.
    library = make_library(*clean_docs())
    assert of_code(findings_of(library), "SMS208") == []


def test_retired_procedures_do_not_fill_a_gap(make_library, findings_of):
    library = make_library(
        *clean_docs(),
        doc("PRC-CHG", "process", parents=["POL-INC"]),
        doc("PRO-CHG-001", "procedure", parents=["PRC-CHG"], status="retired"),
    )
    assert only(findings_of(library), "SMS208")["path"] == "processes/prc-chg.md"


# --------------------------------------------------------------------------- severities


def gap_library(make_library, options=None):
    return make_library(*clean_docs(), doc("PRC-CHG", "process", parents=["POL-INC"]), options=options)


def test_gap_is_a_warning_that_does_not_fail_check(make_library, run_cli):
    result = run_cli(gap_library(make_library), "check", "--format", "json")
    assert result.exit_code == 0
    assert [f["severity"] for f in result.json["findings"]] == ["warning"]


def test_severity_can_be_raised_to_error_in_mkdocs_yml(make_library, run_cli):
    result = run_cli(gap_library(make_library, {"severity": {"SMS208": "error"}}), "check", "--format", "json")
    assert result.exit_code == 1
    assert [(f["code"], f["severity"]) for f in result.json["findings"]] == [("SMS208", "error")]


def test_severity_off_silences_a_rule(make_library, run_cli):
    library = gap_library(make_library, {"severity": {"SMS208": "off"}})
    result = run_cli(library, "check", "--format", "json", "--strict")
    assert result.exit_code == 0
    assert result.json["findings"] == []


def test_error_can_be_lowered_to_a_warning(make_library, run_cli):
    library = make_library(*clean_docs(), doc("PRO-INC-002", "procedure"), options={"severity": {"SMS202": "warning"}})
    result = run_cli(library, "check", "--format", "json")
    assert result.exit_code == 0
    assert [(f["code"], f["severity"]) for f in result.json["findings"]] == [("SMS202", "warning")]


@pytest.mark.parametrize("strict", [False, True])
def test_every_finding_of_one_library_in_one_run(make_library, findings_of, strict):
    library = make_library(
        *clean_docs(),
        doc("PRO-INC-001", "procedure", parents=["PRC-INC"], path="procedures/zz-copy.md"),  # SMS201
        doc("PRO-ORPHAN-001", "procedure"),  # SMS202
        doc("PRO-DANGLE-001", "procedure", parents=["PRC-GONE"]),  # SMS203
        doc("PRO-WRONG-001", "procedure", parents=["POL-INC"]),  # SMS204
        doc("PRC-CHG", "process", parents=["POL-INC"]),  # SMS208
    )
    extra = ("--strict",) if strict else ()
    assert codes(findings_of(library, *extra)) == ["SMS201", "SMS202", "SMS203", "SMS204", "SMS208"]
