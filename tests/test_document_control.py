"""Document control an auditor can trust (SPEC §3 SMS302/305/306/308-312, §4, §6): the version
in force and upcoming versions, drafts that are never versions, moves that are not reviews,
merges, withdrawals and ids, approval authority and evidence, notices that never stop a
build, and pull requests judged on what they change.

Every scenario is a real git repository built in tmp_path and checked or built for real.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from history_support import body_with, commit_as, move, new_library, revise
from support import LibraryRepo, doc, of_code, only, read_page

A = "2026-01-05"  # first approval; "today" (SOURCE_DATE_EPOCH) is 2026-06-01
PROCEDURE = "procedures/pro-inc-001.md"


def specs(**procedure: object) -> list:
    procedure = {"approved": A} | procedure
    return [
        doc("POL-SMS", "policy", title="Service management policy", approved=A),
        doc("POL-INC", "policy", parents=["POL-SMS"], title="Incident management policy", approved=A),
        doc("PRC-INC", "process", parents=["POL-INC"], title="Incident management", approved=A),
        doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title="Log an incident", **procedure),
    ]


@pytest.fixture
def library(tmp_path) -> LibraryRepo:
    return new_library(tmp_path / "lib", *specs(), author="Ada First", day=A)


def check_json(repo: LibraryRepo, *args: str) -> tuple[int, list[dict]]:
    result = repo.check("--format", "json", *args)
    assert result.returncode in (0, 1), result.output
    assert "Traceback" not in result.output
    return result.returncode, json.loads(result.stdout)["findings"]


def built(repo: LibraryRepo, *args: str) -> None:
    result = repo.build(*args)
    assert result.returncode == 0, result.output


def page_text(repo: LibraryRepo, rel: str) -> str:
    return read_page(repo.page(rel)).text


# --------------------------------------------------------------------------- in force


def test_a_version_approved_for_a_later_date_does_not_take_over_the_page_search_or_register(library, run_cli):
    revise(library, "PRO-INC-001", version="2.0", approved="2026-05-20", effective="2026-07-01",
           change="New escalation rules.", body=body_with(library, "PRO-INC-001", "Escalate to the duty manager."))
    commit_as(library, "PRO-INC-001 2.0, in force from July", "Bob Writer", "2026-05-20")

    built(library, "--strict")

    page = page_text(library, PROCEDURE)
    assert "Escalate to the duty manager." not in page  # 2.0 is not in force yet
    assert "Version 1.0" not in page or "superseded" not in page.split("Document history")[0]
    meta = read_page(library.page(PROCEDURE)).find("td", class_="sms-meta-version").text
    assert meta == "1.0"
    assert "takes effect on 2026-07-01" in page and "Read version 2.0" in page
    upcoming = library.site / "procedures" / "pro-inc-001.v2.0" / "index.html"
    assert upcoming.is_file()
    upcoming_text = read_page(upcoming).text
    assert "Approved, in force from 2026-07-01" in upcoming_text and "Escalate to the duty manager." in upcoming_text
    index = json.loads((library.site / "search" / "search_index.json").read_text())
    texts = " ".join(entry["text"] for entry in index["docs"])
    assert "Escalate to the duty manager." not in texts
    register = json.loads((library.site / "register.json").read_text())
    row = next(r for r in register["documents"] if r["id"] == "PRO-INC-001")
    assert row["version"] == "1.0"
    sheet = read_page(library.page(PROCEDURE)).find("section", class_="sms-history-sheet").text
    assert "2026-01-05 – 2026-07-01" in sheet  # 1.0 in force until 2.0 takes over
    assert "2026-07-01 – (upcoming)" in sheet or "2026-07-01 – (upcoming)" in " ".join(sheet.split())

    at = run_cli(library, "history", "PRO-INC-001", "--at", "2026-06-15")
    assert at.exit_code == 0, at.stderr
    assert at.stdout.splitlines()[1].startswith("in force on 2026-06-15: version 1.0")
    later = run_cli(library, "history", "PRO-INC-001", "--at", "2026-07-02")
    assert "in force on 2026-07-02: version 2.0" in later.stdout
    before = run_cli(library, "history", "PRO-INC-001", "--at", "2025-12-01")
    assert "in force on 2025-12-01: none" in before.stdout


def test_in_force_periods_follow_effective_dates_not_commit_dates(library):
    revise(library, "PRO-INC-001", version="1.1", approved="2026-02-01", effective="2026-02-10",
           change="Second.", body=body_with(library, "PRO-INC-001", "Second version text."))
    commit_as(library, "1.1", "Bob Writer", "2026-02-01")
    revise(library, "PRO-INC-001", version="1.2", approved="2026-03-01", change="Third.",
           body=body_with(library, "PRO-INC-001", "Third version text."))
    commit_as(library, "1.2", "Bob Writer", "2026-03-20")  # committed later than approved

    built(library, "--strict")

    history = read_page(library.site / "procedures" / "pro-inc-001.history" / "index.html")
    periods = {s.attrs["data-version"]: (s.attrs["data-from"], s.attrs["data-to"]) for s in history.find_all("section")
               if "data-version" in s.attrs}
    assert periods == {"1.0": ("2026-01-05", "2026-02-10"), "1.1": ("2026-02-10", "2026-03-01"), "1.2": ("2026-03-01", "")}
    assert history.find("form", class_="sms-in-force-box") is not None
    past = read_page(library.site / "procedures" / "pro-inc-001.v1.1" / "index.html").text
    assert "in force from 2026-02-10 to 2026-03-01" in past
    changes = read_page(library.site / "changes" / "index.html").find("table").text
    assert "2026-03-01" in changes and "2026-03-20" not in changes  # dated by approval, not by commit


# --------------------------------------------------------------------------- drafts are not versions


def test_draft_revisions_are_never_published_as_versions(tmp_path):
    repo = new_library(tmp_path / "lib", *specs(status="draft", version="0.1", approver=None, approved=None),
                       author="Ada First", day=A)
    revise(repo, "PRO-INC-001", version="0.2", body=body_with(repo, "PRO-INC-001", "Draft two."))
    commit_as(repo, "Draft 0.2", "Bob Writer", "2026-02-01")
    revise(repo, "PRO-INC-001", version="1.0", status="approved", approver="Head of Service", approved="2026-03-01")
    commit_as(repo, "Approve 1.0", "Carol Approver", "2026-03-01")

    built(repo, "--strict")

    assert not list(repo.site.rglob("pro-inc-001.v0.*"))
    assert not (repo.site / "procedures" / "pro-inc-001.changes").exists()  # nothing approved to compare with
    rows = read_page(repo.page(PROCEDURE)).find("section", class_="sms-history-sheet").find_all("tr")[1:]
    assert [row.find("td").text.split()[0] for row in rows] == ["1.0"]
    assert "First version" in rows[0].text
    assert "Ada First" in rows[0].text and "Bob Writer" in rows[0].text  # the drafting commits fold into 1.0


def test_a_draft_of_the_next_version_leaves_the_approved_one_on_the_site(library):
    revise(library, "PRO-INC-001", version="1.1", status="draft", drop=("approver", "approved"),
           change="Work in progress.", body=body_with(library, "PRO-INC-001", "Half-written new step."))
    commit_as(library, "Start 1.1", "Bob Writer", "2026-03-01")

    built(library, "--strict")

    page = page_text(library, PROCEDURE)
    assert "Half-written new step." not in page
    assert read_page(library.page(PROCEDURE)).find("td", class_="sms-meta-version").text == "1.0"
    assert not list(library.site.rglob("pro-inc-001.v1.1"))


# --------------------------------------------------------------------------- moves are not reviews


def test_a_move_is_recorded_as_a_move_never_as_a_review(library, run_cli):
    move(library, "PRO-INC-001", "procedures/incident/pro-inc-001.md")
    commit_as(library, "Move into a sub-folder", "Bob Writer", "2026-02-01")

    built(library, "--strict")

    history = read_page(library.site / "procedures" / "incident" / "pro-inc-001.history" / "index.html").text
    assert f"Moved from {PROCEDURE}" in history
    assert "Reviewed, no change" not in history
    sheet = read_page(library.page("procedures/incident/pro-inc-001.md")).find("section", class_="sms-history-sheet")
    assert "reviewed" not in sheet.text
    printed = run_cli(library, "history", "PRO-INC-001").stdout
    assert f"moved from {PROCEDURE}" in printed and "reviewed" not in printed


def test_a_move_does_not_clear_a_suspect_flag_and_a_review_does(library, findings_of):
    revise(library, "PRC-INC", version="2.0", approved="2026-02-01", change="Redesigned the process.",
           body=body_with(library, "PRC-INC", "New design."))
    commit_as(library, "PRC-INC 2.0", "Bob Writer", "2026-02-01")
    move(library, "PRO-INC-001", "procedures/incident/pro-inc-001.md")
    commit_as(library, "Move the procedure", "Carol Mover", "2026-02-02")

    assert of_code(findings_of(library), "SMS306")

    revise(library, "PRO-INC-001", review="2027-02-02")
    commit_as(library, "Reviewed against PRC-INC 2.0: still holds", "Rita Reviewer", "2026-02-03")
    assert not of_code(findings_of(library), "SMS306")


# --------------------------------------------------------------------------- merges


def test_a_version_resolved_in_a_merge_commit_belongs_to_the_merge(library):
    library.git("checkout", "-q", "-b", "branch")
    revise(library, "PRO-INC-001", version="1.1", approved="2026-02-01", change="Branch change.",
           body=body_with(library, "PRO-INC-001", "Branch step."))
    commit_as(library, "Branch 1.1", "Bob Writer", "2026-02-01")
    library.git("checkout", "-q", "main")
    revise(library, "PRO-INC-001", version="1.1", approved="2026-02-02", change="Main change.",
           body=body_with(library, "PRO-INC-001", "Main step."))
    commit_as(library, "Main 1.1", "Carol Writer", "2026-02-02")
    merge = subprocess.run(["git", "merge", "-q", "branch"], cwd=library.root, capture_output=True, text=True)
    assert merge.returncode != 0  # a real conflict
    revise(library, "PRO-INC-001", version="1.2", approved="2026-02-03", change="Both changes, reconciled.",
           body=body_with(library, "PRO-INC-001", "Main step, then branch step."))
    merged = commit_as(library, "Merge branch: reconcile 1.2", "Dan Merger", "2026-02-03")

    built(library, "--strict")
    sheet = read_page(library.page(PROCEDURE)).find("section", class_="sms-history-sheet").text
    assert "1.2" in sheet and "uncommitted" not in sheet and "not yet committed" not in sheet
    history = read_page(library.site / "procedures" / "pro-inc-001.history" / "index.html").text
    assert merged[:10] in history

    library.add(doc("PRO-INC-002", "procedure", parents=["PRC-INC"], title="Close an incident", approved=A))
    commit_as(library, "Another document", "Eve Writer", "2026-02-04")
    built(library, "--strict")
    history = read_page(library.site / "procedures" / "pro-inc-001.history" / "index.html").text
    assert merged[:10] in history and "Version 1.2" in history


# --------------------------------------------------------------------------- withdrawal and ids


def test_deleting_an_approved_document_fails_check_and_retiring_first_passes(library):
    library.git("rm", "-q", PROCEDURE)
    code, findings = check_json(library)
    assert code == 1
    finding = only(findings, "SMS308")
    assert finding["path"] == PROCEDURE and finding["line"] == 1 and "status: retired" in finding["message"]

    library.git("checkout", "-q", "HEAD", "--", PROCEDURE)
    revise(library, "PRO-INC-001", status="retired")
    commit_as(library, "Retire PRO-INC-001", "Bob Writer", "2026-02-01")
    library.git("rm", "-q", PROCEDURE)
    code, findings = check_json(library)
    assert not of_code(findings, "SMS308")


def test_a_withdrawal_in_a_pull_request_is_reported_against_its_base(library):
    library.git("checkout", "-q", "-b", "withdraw")
    library.git("rm", "-q", PROCEDURE)
    commit_as(library, "Remove the procedure", "Bob Writer", "2026-02-01")

    code, findings = check_json(library, "--base", "main")
    assert code == 1
    assert only(findings, "SMS308")["new"] is True


def test_a_withdrawn_document_stays_in_the_archive_with_its_commit_and_date(library):
    library.git("rm", "-q", PROCEDURE)
    gone = commit_as(library, "Remove the procedure", "Bob Writer", "2026-02-01")

    built(library)  # SMS208 (the process lost its procedure) is a warning: not --strict

    archive = read_page(library.site / "archive" / "index.html")
    row = next(tr for tr in archive.find_all("tr") if "PRO-INC-001" in tr.text)
    assert "withdrawn" in row.text and gone[:10] in row.text and "2026-02-01" in row.text
    (text, href), = [link for link in row.links() if link[0] == "PRO-INC-001"]
    page = read_page((library.site / "archive" / href).resolve() / "index.html" if href.endswith("/")
                     else (library.site / "archive" / href).resolve()).text
    assert "Withdrawn" in page and "PRO-INC-001" in page
    index = json.loads((library.site / "search" / "search_index.json").read_text())
    assert not any("withdrawn" in entry["location"] for entry in index["docs"])


def test_an_id_is_never_reused(library):
    library.git("rm", "-q", PROCEDURE)
    commit_as(library, "Remove the procedure", "Bob Writer", "2026-02-01")
    library.add(doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title="Something else entirely",
                    path="procedures/other.md", approved="2026-02-02"))
    commit_as(library, "New procedure under an old id", "Carol Writer", "2026-02-02")

    code, findings = check_json(library)

    assert code == 1
    finding = only(findings, "SMS309")
    assert finding["path"] == "procedures/other.md" and "Log an incident" in finding["message"]


def test_a_deleted_document_restored_unchanged_is_the_same_document(library):
    library.git("rm", "-q", PROCEDURE)
    commit_as(library, "Remove by mistake", "Bob Writer", "2026-02-01")
    library.git("revert", "--no-edit", "HEAD")

    _, findings = check_json(library)

    assert not of_code(findings, "SMS309")


def test_a_file_renamed_with_a_new_id_is_a_new_document_and_the_old_one_is_withdrawn(tmp_path):
    secret = "Call the on-call director on the private line."
    repo = new_library(tmp_path / "lib", *specs(classification="restricted"), author="Ada First", day=A)
    revise(repo, "PRO-INC-001", body=body_with(repo, "PRO-INC-001", secret), version="1.1", approved="2026-01-10",
           change="Adds the escalation line.")
    commit_as(repo, "Restricted 1.1", "Ada First", "2026-01-10")
    repo.git("mv", PROCEDURE, "procedures/pro-inc-009.md")
    public_body = repo.spec("PRO-INC-001").body.replace("PRO-INC-001", "PRO-INC-009").replace(secret, "")
    revise(repo, "PRO-INC-001", path="procedures/pro-inc-009.md", id="PRO-INC-009", classification="internal",
           body=public_body)
    repo.specs["PRO-INC-009"] = repo.specs["PRO-INC-001"]
    commit_as(repo, "Rename with a new id", "Bob Writer", "2026-02-01")

    _, findings = check_json(repo)
    assert not of_code(findings, "SMS308") or all(f["new"] is not True for f in of_code(findings, "SMS308"))

    built(repo)
    for path in repo.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv"):
            assert secret not in path.read_text(encoding="utf-8", errors="replace"), path
    history = read_page(repo.site / "procedures" / "pro-inc-009.history" / "index.html").text
    assert "Ada First" not in history  # the old document's history is not carried over


def test_renaming_with_a_new_id_in_a_pull_request_is_a_withdrawal(library):
    library.git("checkout", "-q", "-b", "rename")
    library.git("mv", PROCEDURE, "procedures/pro-inc-009.md")
    revise(library, "PRO-INC-001", path="procedures/pro-inc-009.md", id="PRO-INC-009")
    commit_as(library, "Rename with a new id", "Bob Writer", "2026-02-01")

    code, findings = check_json(library, "--base", "main")

    finding = only(findings, "SMS308")
    assert finding["path"] == "procedures/pro-inc-009.md" and finding["new"] is True and code == 1


# --------------------------------------------------------------------------- approval authority and evidence


def test_an_approver_outside_the_approvers_option_is_not_authorised(tmp_path):
    options = {"approvers": {"procedure": ["Head of Service Desk"], "policy": ["Chief Executive Officer"]}}
    repo = new_library(tmp_path / "lib", *specs(approver="Head of Service Desk"), options=options)
    _, findings = check_json(repo)
    policies = of_code(findings, "SMS310")
    assert {f["id"] for f in policies} == {"POL-SMS", "POL-INC"}  # "Head of Service" may not approve policies
    assert all("Chief Executive Officer" in f["message"] for f in policies)

    clean = new_library(tmp_path / "clean", *specs(approver="Head of Service Desk"),
                        options={"approvers": {"procedure": ["Head of Service Desk"]}})
    assert not of_code(check_json(clean)[1], "SMS310")


def test_self_approval_is_a_warning(tmp_path):
    repo = new_library(tmp_path / "lib", *specs(owner="Incident Manager", approver="Incident Manager"))
    code, findings = check_json(repo)
    finding = only(findings, "SMS311")
    assert finding["severity"] == "warning" and finding["id"] == "PRO-INC-001" and code == 0
    assert repo.check("--strict").returncode == 1


def test_a_person_as_owner_or_approver_is_flagged(tmp_path):
    repo = new_library(tmp_path / "lib", *specs(owner="Jane Example", approver="Test Person"))
    _, findings = check_json(repo)
    flagged = {(f["line"], f["message"].split("`")[1]) for f in of_code(findings, "SMS401")}
    spec = repo.spec("PRO-INC-001")
    assert flagged == {(spec.line_of("owner"), "owner: Jane Example"), (spec.line_of("approver"), "approver: Test Person")}
    clean = new_library(tmp_path / "clean", *specs(owner="Incident Manager", approver="Head of Service Desk"))
    assert not of_code(check_json(clean)[1], "SMS401")
    roles = new_library(tmp_path / "roles", *specs(owner="Records Custodian", approver="Zebracorn Role"))
    assert not of_code(check_json(roles)[1], "SMS401")


def test_approval_evidence_trailer_on_the_merge_commit_gives_the_person_of_record(library):
    library.write_config({"approval_evidence": "trailer"})
    commit_as(library, "Require approval evidence", "Ada First", "2026-01-06")
    _, findings = check_json(library)
    assert {f["id"] for f in of_code(findings, "SMS312")} == {"POL-SMS", "POL-INC", "PRC-INC", "PRO-INC-001"}

    library.git("checkout", "-q", "-b", "v1.1")
    revise(library, "PRO-INC-001", version="1.1", approved="2026-02-01", change="Adds a step.",
           body=body_with(library, "PRO-INC-001", "A new step."))
    commit_as(library, "PRO-INC-001 1.1", "Bob Writer", "2026-02-01")
    # In the pull request the trailer cannot exist yet: it comes with the merge.
    _, in_pr = check_json(library, "--base", "main")
    assert not [f for f in of_code(in_pr, "SMS312") if f["id"] == "PRO-INC-001"]
    library.git("checkout", "-q", "main")
    library.git("merge", "-q", "--no-ff", "v1.1", "-m",
                "Merge PRO-INC-001 1.1\n\nApproved-by: Pat Approver <pat@example.org>")

    _, findings = check_json(library)
    assert "PRO-INC-001" not in {f["id"] for f in of_code(findings, "SMS312")}
    library.write_config({"approval_evidence": "trailer", "severity": {"SMS312": "warning"}})
    built(library)
    sheet = read_page(library.page(PROCEDURE)).find("section", class_="sms-history-sheet").text
    assert "Pat Approver <pat@example.org>" in sheet


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is needed to sign commits")
def test_approval_evidence_signed_accepts_a_verified_signature_only(library, tmp_path):
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "approver", "-f", str(key)], check=True)
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"approver@example.org {(tmp_path / 'key.pub').read_text()}")
    for name, value in (("gpg.format", "ssh"), ("user.signingkey", str(key)),
                        ("gpg.ssh.allowedSignersFile", str(allowed)), ("user.email", "approver@example.org")):
        library.git("config", name, value)
    library.write_config({"approval_evidence": "signed"})
    commit_as(library, "Require signed approvals", "Ada First", "2026-01-06")
    revise(library, "PRO-INC-001", version="1.1", approved="2026-02-01", change="Adds a step.",
           body=body_with(library, "PRO-INC-001", "A new step."))
    unsigned = check_json(library)[1]
    library.git("add", "-A")
    library.git("commit", "-q", "-S", "-m", "PRO-INC-001 1.1, signed")

    _, findings = check_json(library)

    assert "PRO-INC-001" not in {f["id"] for f in of_code(findings, "SMS312")}
    assert "POL-SMS" in {f["id"] for f in of_code(findings, "SMS312")}  # its version's commit is not signed
    assert "PRO-INC-001" not in {f["id"] for f in of_code(unsigned, "SMS312")}  # not committed yet: not judged


# --------------------------------------------------------------------------- notices never stop a build


def test_an_overdue_review_and_a_suspect_document_are_notices_that_never_fail(tmp_path):
    repo = new_library(tmp_path / "lib", *specs(review="2026-03-01"), author="Ada First", day=A)
    revise(repo, "PRC-INC", version="2.0", approved="2026-02-01", change="Redesigned.",
           body=body_with(repo, "PRC-INC", "New design."))
    commit_as(repo, "PRC-INC 2.0", "Bob Writer", "2026-02-01")

    result = repo.check("--strict")
    assert result.returncode == 0, result.output
    assert "SMS305 notice" in result.stdout and "SMS306 notice" in result.stdout
    build = repo.build("--strict")
    assert build.returncode == 0, build.output
    header = read_page(repo.page(PROCEDURE)).find("div", class_="sms-doc-header").text
    assert "Review overdue" in header
    assert "Under review. Its process PRC-INC changed on 2026-02-01" in header
    assert "`" not in header  # written for staff, not for authors
    raised = new_library(tmp_path / "raised", *specs(review="2026-03-01"), options={"severity": {"SMS305": "error"}})
    assert raised.check().returncode == 1


def test_a_past_slip_a_later_version_superseded_is_a_notice(library):
    revise(library, "PRO-INC-001", body=body_with(library, "PRO-INC-001", "Unversioned edit."))
    commit_as(library, "Quick fix without a bump", "Bob Writer", "2026-02-01")
    code, findings = check_json(library)
    assert only(findings, "SMS302")["severity"] == "error" and code == 1  # not yet superseded: fix it

    revise(library, "PRO-INC-001", version="1.1", approved="2026-02-02", change="Records the quick fix.")
    commit_as(library, "1.1", "Bob Writer", "2026-02-02")
    code, findings = check_json(library)
    assert only(findings, "SMS302")["severity"] == "notice" and code == 0
    built(library, "--strict")


def test_retired_documents_are_not_held_to_the_hierarchy_templates_or_html_rules(tmp_path):
    retired = doc("PRO-INC-002", "procedure", parents=None, title="Old logging", status="retired",
                  body="# Old logging\n\n<b>Kept as it was.</b>\n")
    repo = new_library(tmp_path / "lib", *specs(), retired)
    code, findings = check_json(repo)
    assert [f for f in findings if f["id"] == "PRO-INC-002"] == [] and code == 0


# --------------------------------------------------------------------------- pull requests and reminders


def test_check_base_marks_findings_new_and_only_new_ones_fail(tmp_path):
    repo = new_library(tmp_path / "lib", *specs(), doc("PRC-GAP", "process", parents=["POL-INC"], title="A gap",
                                                       approved=A))
    repo.git("checkout", "-q", "-b", "change")
    repo.add(doc("PRO-INC-002", "procedure", parents=None, title="Orphan", approved="2026-02-01"))
    commit_as(repo, "Add an orphan", "Bob Writer", "2026-02-01")

    code, findings = check_json(repo, "--base", "main")
    assert only(findings, "SMS202")["new"] is True and code == 1
    assert only(findings, "SMS208")["new"] is False  # the gap was there before the change

    repo.git("rm", "-q", "procedures/pro-inc-002.md")
    commit_as(repo, "Drop the orphan", "Bob Writer", "2026-02-02")
    code, findings = check_json(repo, "--base", "main", "--strict")
    assert code == 0 and only(findings, "SMS208")["new"] is False


def test_a_base_that_is_an_option_never_reaches_git_as_one(library):
    result = library.check("--base=--output=pwned.txt")
    assert result.returncode == 2 and "Traceback" not in result.output
    assert not (library.root / "pwned.txt").exists()


def test_reviews_lists_overdue_due_and_suspect_documents(tmp_path, run_cli):
    repo = new_library(tmp_path / "lib", *specs(review="2026-06-20"),
                       doc("PRO-INC-002", "procedure", parents=["PRC-INC"], title="Close", approved=A,
                           review="2026-05-01"), author="Ada First", day=A)
    revise(repo, "PRC-INC", version="2.0", approved="2026-02-01", change="Redesigned.",
           body=body_with(repo, "PRC-INC", "New design."))
    commit_as(repo, "PRC-INC 2.0", "Bob Writer", "2026-02-01")

    result = run_cli(repo, "reviews", "--format", "json")

    assert result.exit_code == 0
    states = {(d["id"], d["state"]) for d in json.loads(result.stdout)["documents"]}
    assert states == {("PRO-INC-002", "overdue"), ("PRO-INC-001", "due"), ("PRO-INC-001", "suspect"),
                      ("PRO-INC-002", "suspect")}
    row = json.loads(result.stdout)["documents"][0]
    assert set(row) >= {"id", "title", "path", "owner", "review", "state"}
    narrow = run_cli(repo, "reviews", "--due-within", "5", "--format", "json")
    assert ("PRO-INC-001", "due") not in {(d["id"], d["state"]) for d in json.loads(narrow.stdout)["documents"]}
    github = run_cli(repo, "reviews", "--format", "github")
    assert github.stdout.startswith("::notice file=")


def test_a_version_that_was_restricted_is_not_published_when_a_later_one_is_internal(tmp_path):
    secret = "The master key is kept in the finance safe."
    repo = new_library(tmp_path / "lib", *specs(classification="restricted"), author="Ada First", day=A)
    revise(repo, "PRO-INC-001", body=body_with(repo, "PRO-INC-001", secret), version="1.1", approved="2026-01-10",
           change=f"Adds where the key is: {secret}")
    commit_as(repo, "Restricted 1.1", "Ada First", "2026-01-10")
    revise(repo, "PRO-INC-001", body=repo.spec("PRO-INC-001").body.replace(secret, "Ask the duty manager."),
           version="2.0", approved="2026-02-01", classification="internal", change="Now for every staff member.")
    commit_as(repo, "Internal 2.0", "Bob Writer", "2026-02-01")

    built(repo, "--strict")

    for path in repo.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".csv"):
            assert secret not in path.read_text(encoding="utf-8", errors="replace"), path
    assert not list(repo.site.rglob("pro-inc-001.v1.*"))
    assert not (repo.site / "procedures" / "pro-inc-001.changes").exists()  # no diff against restricted text
    sheet = read_page(repo.page(PROCEDURE)).find("section", class_="sms-history-sheet").text
    assert "restricted version" in sheet and "2.0" in sheet


def test_the_trailer_of_an_inner_merge_is_evidence_too(library, run_cli):
    library.git("checkout", "-q", "-b", "release")
    library.git("checkout", "-q", "-b", "v1.1")
    revise(library, "PRO-INC-001", version="1.1", approved="2026-02-01", change="Adds a step.",
           body=body_with(library, "PRO-INC-001", "A new step."))
    commit_as(library, "PRO-INC-001 1.1", "Bob Writer", "2026-02-01")
    library.git("checkout", "-q", "release")
    library.git("merge", "-q", "--no-ff", "v1.1", "-m", "Merge 1.1 into the release\n\nApproved-by: Pat Approver <pat@example.org>")
    library.git("checkout", "-q", "main")
    library.git("merge", "-q", "--no-ff", "release", "-m", "Merge the release")  # no trailer here

    printed = run_cli(library, "history", "PRO-INC-001").stdout
    assert "(Pat Approver <pat@example.org>)" in printed


def test_the_register_shows_the_version_in_force_and_the_upcoming_one(library, run_cli):
    revise(library, "PRO-INC-001", version="2.0", approved="2026-05-20", effective="2026-07-01",
           change="New escalation rules.", body=body_with(library, "PRO-INC-001", "Escalate to the duty manager."))
    commit_as(library, "PRO-INC-001 2.0, in force from July", "Bob Writer", "2026-05-20")

    rows = json.loads(run_cli(library, "register", "--format", "json").stdout)["documents"]
    row = next(r for r in rows if r["id"] == "PRO-INC-001")
    assert (row["version"], row["upcoming"]) == ("1.0", "2.0 from 2026-07-01")
    built(library, "--strict")
    register = read_page(library.site / "register" / "index.html")
    cells = next(tr for tr in register.find_all("tr") if "PRO-INC-001" in tr.text).text
    assert "1.0 (next: 2.0 from 2026-07-01)" in cells
