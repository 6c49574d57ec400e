"""Versioning rules SMS301–SMS307 (SPEC §3): each one triggered, with its path, line and a
message that says how to fix it, and its clean case.

Every library is a real git repository in tmp_path; commits carry fixed dates and a
different author each. "Today" is 2026-06-01 (SOURCE_DATE_EPOCH, see tests/support.py).
"""

from __future__ import annotations

from datetime import date

import pytest
from history_support import body_with, commit_as, new_library, revise
from support import LibraryRepo, describe, doc, of_code, only

PROCEDURE = "procedures/pro-inc-001.md"
PROCESS = "processes/prc-inc.md"
POLICY = "policies/pol-inc.md"
ROOT_POLICY = "policies/pol-sms.md"
START = date(2026, 1, 5)


def docs(approved: date = START) -> list:
    """Root policy › process-specific policy › process › procedure, all approved on `approved`."""
    return [
        doc("POL-SMS", "policy", title="Service management policy", approved=approved),
        doc("POL-INC", "policy", parents=["POL-SMS"], title="Incident management policy", approved=approved),
        doc("PRC-INC", "process", parents=["POL-INC"], title="Incident management", approved=approved),
        doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title="Log an incident", approved=approved),
    ]


def make(root, options: dict | None = None) -> LibraryRepo:
    return new_library(root, *docs(), options=options, author="Ada First", day="2026-01-05")


@pytest.fixture
def library(tmp_path) -> LibraryRepo:
    return make(tmp_path / "lib")


def bump(repo: LibraryRepo, doc_id: str, version: str, day: str, author: str, *, change: str | None = None,
         **fields: object):
    """Commit a proper new version: new number, its own change and approval date, a changed body."""
    spec = revise(repo, doc_id, version=version, approved=day, change=change or f"Version {version} of {doc_id}.",
                  body=body_with(repo, doc_id, f"Text of version {version}."), **fields)
    commit_as(repo, f"{doc_id} version {version}", author, day)
    return spec


def assert_finding(finding: dict, code: str, severity: str, path: str, line: int, *phrases: str) -> None:
    assert (finding["code"], finding["severity"], finding["path"], finding["line"]) == (code, severity, path, line), (
        describe([finding])
    )
    for phrase in phrases:
        assert phrase in finding["message"], f"{phrase!r} not in {finding['message']!r}"


def test_a_library_with_proper_versions_has_no_versioning_findings(library, findings_of):
    bump(library, "PRO-INC-001", "1.1", "2026-02-01", "Bob Writer")
    bump(library, "PRO-INC-001", "2.0", "2026-03-01", "Carol Editor")
    revise(library, "PRO-INC-001", review="2027-03-01")
    commit_as(library, "Review", "Rita Reviewer", "2026-04-01")

    assert findings_of(library) == []


# --------------------------------------------------------------------------- SMS301


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"body": "# Log an incident\n\n## Purpose\n\nChanged.\n\n## Steps\n\n1. Changed.\n"}, id="body"),
        pytest.param({"owner": "Incident Manager"}, id="front-matter"),
    ],
)
def test_editing_an_approved_document_without_a_bump_is_sms301(library, findings_of, run_cli, change):
    spec = revise(library, "PRO-INC-001", **change)  # uncommitted

    finding = only(findings_of(library), "SMS301")

    assert_finding(finding, "SMS301", "error", PROCEDURE, spec.line_of("version"),
                   "approved version 1.0", "the last commit", '"1.1"', '"2.0"', "`change`")
    assert run_cli(library, "check").exit_code == 1


def test_moving_only_the_review_date_needs_no_new_version(library, findings_of):
    revise(library, "PRO-INC-001", review="2027-02-01")  # uncommitted periodic review

    assert findings_of(library) == []


def test_editing_a_draft_needs_no_new_version(library, findings_of):
    revise(library, "PRO-INC-001", version="1.1", status="draft", change="Adds escalation.",
           drop=("approver", "approved"))
    commit_as(library, "Start 1.1 as a draft", "Bob Writer", "2026-02-01")
    revise(library, "PRO-INC-001", body=body_with(library, "PRO-INC-001", "Escalate to level 2."))  # uncommitted
    assert of_code(findings_of(library), "SMS301") == []

    commit_as(library, "More drafting", "Carol Editor", "2026-02-02")
    assert findings_of(library) == []


def test_committing_an_unbumped_edit_on_a_branch_fails_check_with_base(library, run_cli):
    library.git("checkout", "-q", "-b", "feature")
    spec = revise(library, "PRO-INC-001", body=body_with(library, "PRO-INC-001", "Changed on the branch."))
    commit_as(library, "Change the procedure", "Bob Writer", "2026-02-01")

    result = run_cli(library, "check", "--base", "main", "--format", "json")

    assert result.exit_code == 1, result.stdout + result.stderr
    finding = only(result.json["findings"], "SMS301")
    assert_finding(finding, "SMS301", "error", PROCEDURE, spec.line_of("version"),
                   "pull request (main)", "set `version`")
    # The branch's own commit is SMS301's to judge, not reported twice as an irregular past commit.
    assert of_code(result.json["findings"], "SMS302") == []


def test_a_branch_that_bumps_the_version_with_a_change_passes_check_with_base(library, run_cli):
    library.git("checkout", "-q", "-b", "feature")
    revise(library, "PRO-INC-001", body=body_with(library, "PRO-INC-001", "Draft wording."))
    commit_as(library, "Change the procedure", "Bob Writer", "2026-02-01")
    bump(library, "PRO-INC-001", "1.1", "2026-02-02", "Bob Writer", change="Adds the branch's step.")

    result = run_cli(library, "check", "--base", "main", "--format", "json")

    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.json["findings"] == []


def test_check_with_an_unknown_base_ref_is_a_setup_error(library, run_cli):
    result = run_cli(library, "check", "--base", "no-such-branch")

    assert result.exit_code == 2, result.stdout + result.stderr
    assert "no-such-branch" in result.stderr and "fetch" in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- SMS302


def test_a_version_that_went_backwards_is_an_sms302_error(library, findings_of):
    bump(library, "PRO-INC-001", "2.0", "2026-02-01", "Bob Writer")
    spec = bump(library, "PRO-INC-001", "1.5", "2026-03-01", "Carol Editor")

    finding = only(findings_of(library), "SMS302")

    assert_finding(finding, "SMS302", "error", PROCEDURE, spec.line_of("version"),
                   "version 1.5 is not above the earlier version 2.0", "set `version` above 2.0")


def test_a_past_dip_that_a_later_version_superseded_is_an_sms302_notice(library, findings_of, run_cli):
    bump(library, "PRO-INC-001", "2.0", "2026-02-01", "Bob Writer")
    bump(library, "PRO-INC-001", "1.5", "2026-03-01", "Carol Editor")
    dip = library.git("rev-parse", "--short=10", "HEAD").strip()
    spec = bump(library, "PRO-INC-001", "3.0", "2026-04-01", "Dan Fixer")

    finding = only(findings_of(library), "SMS302")

    assert_finding(finding, "SMS302", "notice", PROCEDURE, spec.line_of("version"),
                   f"commit {dip} (2026-03-01)", "not above the earlier version 2.0", "superseded")
    assert run_cli(library, "check").exit_code == 0
    assert run_cli(library, "check", "--strict").exit_code == 0  # a notice never fails, not even --strict


def test_a_committed_edit_without_a_bump_is_an_sms302_error_until_a_new_version_supersedes_it(library, findings_of):
    spec = revise(library, "PRO-INC-001", body=body_with(library, "PRO-INC-001", "Slipped in."))
    commit_as(library, "Quick fix", "Bob Writer", "2026-02-01")
    slip = library.git("rev-parse", "--short=10", "HEAD").strip()

    current = only(findings_of(library), "SMS302")
    assert_finding(current, "SMS302", "error", PROCEDURE, spec.line_of("version"),
                   f"commit {slip}", "changed approved version 1.0 without a new version", "issue a new version")

    bump(library, "PRO-INC-001", "1.1", "2026-02-10", "Carol Editor", change="Records the quick fix.")
    past = only(findings_of(library), "SMS302")
    assert_finding(past, "SMS302", "notice", PROCEDURE, spec.line_of("version"),
                   f"commit {slip}", "without a new version", "superseded")


# --------------------------------------------------------------------------- SMS303


def test_a_second_version_without_change_is_sms303(library, findings_of):
    spec = revise(library, "PRO-INC-001", version="1.1", approved="2026-02-01",
                  body=body_with(library, "PRO-INC-001", "New step."))
    commit_as(library, "Version 1.1", "Bob Writer", "2026-02-01")

    finding = only(findings_of(library), "SMS303")

    assert_finding(finding, "SMS303", "error", PROCEDURE, spec.line_of("version"), "no `change`", "add `change:`")


@pytest.mark.parametrize("missing", ["approver", "approved"])
def test_a_new_approved_version_without_approver_or_approval_date_is_sms303(library, findings_of, missing):
    fields = {"version": "1.1", "approved": "2026-02-01", "change": "Adds a step."}
    fields.pop(missing, None)
    spec = revise(library, "PRO-INC-001", body=body_with(library, "PRO-INC-001", "New step."), drop=(missing,),
                  **fields)
    assert f"{missing}:" not in spec.text()
    commit_as(library, "Version 1.1", "Bob Writer", "2026-02-01")

    found = [f for f in of_code(findings_of(library), "SMS303") if f"`{missing}`" in f["message"]]

    assert len(found) == 1, describe(findings_of(library))
    assert_finding(found[0], "SMS303", "error", PROCEDURE, spec.line_of("version"), "version 1.1", f"no `{missing}`")


def test_a_change_copied_from_the_previous_version_is_sms303(library, findings_of):
    bump(library, "PRO-INC-001", "1.1", "2026-02-01", "Bob Writer", change="Adds the escalation step.")
    spec = bump(library, "PRO-INC-001", "1.2", "2026-03-01", "Carol Editor", change="Adds the escalation step.")

    finding = only(findings_of(library), "SMS303")

    assert_finding(finding, "SMS303", "error", PROCEDURE, spec.line_of("change"),
                   "copied unchanged from version 1.1", "say why version 1.2 exists")


def test_a_copied_change_with_quotes_in_it_is_still_sms303(library, findings_of):
    bump(library, "PRO-INC-001", "1.1", "2026-02-01", "Bob Writer", change='Adds the "P1" rule.')
    spec = bump(library, "PRO-INC-001", "1.2", "2026-03-01", "Carol Editor", change='Adds the "P1" rule.')
    assert 'change: "Adds the \\"P1\\" rule."' in spec.text()  # a YAML escape in both versions

    finding = only(findings_of(library), "SMS303")

    assert_finding(finding, "SMS303", "error", PROCEDURE, spec.line_of("change"), "copied unchanged from version 1.1")


def test_a_second_version_with_its_own_change_is_clean(library, findings_of):
    bump(library, "PRO-INC-001", "1.1", "2026-02-01", "Bob Writer", change="Adds the escalation step.")
    bump(library, "PRO-INC-001", "1.2", "2026-03-01", "Carol Editor", change="Names the on-call role.")

    assert findings_of(library) == []


# --------------------------------------------------------------------------- SMS304


def test_approved_earlier_than_the_previous_version_is_sms304(library, findings_of):
    spec = bump(library, "PRO-INC-001", "1.1", "2025-12-01", "Bob Writer")

    finding = only(findings_of(library), "SMS304")

    assert_finding(finding, "SMS304", "error", PROCEDURE, spec.line_of("approved"),
                   "2025-12-01 is earlier than version 1.0's approval on 2026-01-05", "own approval date")


def test_approved_in_the_future_is_sms304(library, findings_of):
    spec = bump(library, "PRO-INC-001", "1.1", "2026-07-01", "Bob Writer")

    finding = only(findings_of(library), "SMS304")

    assert_finding(finding, "SMS304", "error", PROCEDURE, spec.line_of("approved"),
                   "2026-07-01 is in the future", "`effective`")


def test_approved_on_the_same_day_as_the_previous_version_and_today_is_clean(library, findings_of):
    bump(library, "PRO-INC-001", "1.1", "2026-01-05", "Bob Writer")
    assert findings_of(library) == []

    bump(library, "PRO-INC-001", "1.2", "2026-06-01", "Carol Editor")  # today
    assert findings_of(library) == []


# --------------------------------------------------------------------------- SMS305


def test_an_overdue_review_is_an_sms305_notice(library, findings_of, run_cli):
    spec = revise(library, "PRO-INC-001", review="2026-05-31")
    commit_as(library, "Set the review date", "Rita Reviewer", "2026-01-06")

    finding = only(findings_of(library), "SMS305")

    assert_finding(finding, "SMS305", "notice", PROCEDURE, spec.line_of("review"),
                   "review overdue since 2026-05-31", "move `review`")
    assert run_cli(library, "check").exit_code == 0
    assert run_cli(library, "check", "--strict").exit_code == 0  # a date passing never fails a build


def test_a_review_due_from_the_default_interval_points_at_approved(tmp_path, findings_of):
    specs = docs()
    specs[3] = doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title="Log an incident", approved="2025-05-31")
    repo = new_library(tmp_path / "lib", *specs, day="2025-05-31")

    finding = only(findings_of(repo), "SMS305")

    assert_finding(finding, "SMS305", "notice", PROCEDURE, specs[3].line_of("approved"), "since 2026-05-31")


def test_a_review_due_today_or_later_is_clean(library, findings_of):
    revise(library, "PRO-INC-001", review="2026-06-01")
    revise(library, "PRC-INC", review="2026-09-01")
    commit_as(library, "Set review dates", "Rita Reviewer", "2026-01-06")

    assert findings_of(library) == []


# --------------------------------------------------------------------------- SMS306


def suspects(findings: list[dict]) -> dict[str, dict]:
    return {f["path"]: f for f in of_code(findings, "SMS306")}


def test_a_major_policy_version_makes_its_processes_and_their_procedures_suspect(library, findings_of):
    bump(library, "POL-INC", "2.0", "2026-02-01", "Bob Writer")

    found = suspects(findings_of(library))

    assert sorted(found) == sorted([PROCESS, PROCEDURE]), describe(list(found.values()))
    assert_finding(found[PROCESS], "SMS306", "notice", PROCESS, library.spec("PRC-INC").line_of("version"),
                   "POL-INC got version 2.0", "issue a new version", "move `review`")
    assert_finding(found[PROCEDURE], "SMS306", "notice", PROCEDURE, library.spec("PRO-INC-001").line_of("version"),
                   "POL-INC got version 2.0")


def test_a_major_root_policy_version_reaches_every_level_below_it(library, findings_of):
    bump(library, "POL-SMS", "2.0", "2026-02-01", "Bob Writer")

    assert sorted(suspects(findings_of(library))) == sorted([POLICY, PROCESS, PROCEDURE])


def test_a_minor_policy_version_makes_nothing_suspect(library, findings_of):
    bump(library, "POL-INC", "1.1", "2026-02-01", "Bob Writer")

    assert findings_of(library) == []


def test_with_suspect_on_any_a_minor_policy_version_makes_children_suspect(tmp_path, findings_of):
    repo = make(tmp_path / "lib", options={"suspect_on": "any"})
    bump(repo, "POL-INC", "1.1", "2026-02-01", "Bob Writer")

    found = suspects(findings_of(repo))

    assert sorted(found) == sorted([PROCESS, PROCEDURE])
    assert "POL-INC got version 1.1" in found[PROCESS]["message"]


def test_a_new_version_of_the_child_clears_it_but_not_the_procedures_below(library, findings_of):
    bump(library, "POL-INC", "2.0", "2026-02-01", "Bob Writer")
    bump(library, "PRC-INC", "1.1", "2026-02-10", "Carol Editor", change="Aligned with policy 2.0.")

    found = suspects(findings_of(library))

    assert sorted(found) == [PROCEDURE]
    assert "POL-INC got version 2.0" in found[PROCEDURE]["message"]

    bump(library, "PRO-INC-001", "1.1", "2026-02-20", "Dan Writer", change="Aligned with policy 2.0.")
    assert findings_of(library) == []


def test_a_review_only_commit_on_the_child_clears_it(library, findings_of):
    bump(library, "POL-INC", "2.0", "2026-02-01", "Bob Writer")
    revise(library, "PRC-INC", review="2027-02-15")
    commit_as(library, "Reviewed against policy 2.0: still valid", "Rita Reviewer", "2026-02-15")

    assert sorted(suspects(findings_of(library))) == [PROCEDURE]

    revise(library, "PRO-INC-001", review="2027-02-16")
    commit_as(library, "Reviewed against policy 2.0: still valid", "Rita Reviewer", "2026-02-16")
    assert findings_of(library) == []


def test_a_parent_version_older_than_the_childs_approval_does_not_make_it_suspect(library, findings_of):
    bump(library, "POL-INC", "2.0", "2026-02-01", "Bob Writer")
    bump(library, "PRC-INC", "2.0", "2026-02-10", "Carol Editor")
    bump(library, "PRO-INC-001", "1.1", "2026-02-20", "Dan Writer")
    bump(library, "POL-INC", "2.1", "2026-03-01", "Bob Writer")  # minor: not a trigger

    assert findings_of(library) == []


# --------------------------------------------------------------------------- SMS307


def retire(repo: LibraryRepo) -> None:
    revise(repo, "PRO-INC-001", status="retired")
    commit_as(repo, "Retire the logging procedure", "Bob Writer", "2026-02-01")


def test_a_retired_document_brought_back_with_the_same_version_is_sms307(library, findings_of):
    retire(library)
    spec = revise(library, "PRO-INC-001", status="approved")
    commit_as(library, "Bring it back", "Carol Editor", "2026-03-01")
    retired_at = library.git("rev-parse", "--short=10", "HEAD~1").strip()

    finding = only(findings_of(library), "SMS307")

    assert_finding(finding, "SMS307", "error", PROCEDURE, spec.line_of("version"),
                   "retired at version 1.0", retired_at, "bring it back as", "`change`")


def test_a_retired_document_brought_back_as_a_new_version_is_clean(library, findings_of):
    retire(library)
    revise(library, "PRO-INC-001", status="approved")
    bump(library, "PRO-INC-001", "1.1", "2026-03-01", "Carol Editor", change="Back in use for the new desk.")

    assert findings_of(library) == []


# --------------------------------------------------------------------------- the build reports them too


def test_mkdocs_build_fails_on_a_versioning_error_with_its_path_and_line(library):
    spec = revise(library, "PRO-INC-001", body=body_with(library, "PRO-INC-001", "Unversioned edit."))

    result = library.build()

    assert result.returncode != 0
    assert f"{PROCEDURE}:{spec.line_of('version')}: SMS301 error" in result.output, result.output
    assert not (library.root / "site").exists()
