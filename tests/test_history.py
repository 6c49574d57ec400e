"""The library's git history (SPEC §4): versions, the commits folded into them, renames,
reviews, and that the whole library is read in one pass.

Every repository is real: built in tmp_path with git, fixed dates and a different author
per commit. `read_history` is the reader the build and `sms-docs check` both use.
"""

from __future__ import annotations

import subprocess
from datetime import date, datetime

import pytest
from history_support import GitCounter, body_with, commit_as, history_of, move, new_library, revise
from support import LibraryRepo, doc

from sms_docs_plugin import history as history_module
from sms_docs_plugin.history import LibraryHistory

PROCEDURE = "procedures/pro-inc-001.md"
APPROVED = date(2025, 1, 10)


def docs(approved: date = APPROVED, **procedure_fields: object) -> list:
    """Root policy › policy › process › procedure, all approved on `approved`."""
    return [
        doc("POL-SMS", "policy", title="Service management policy", approved=approved),
        doc("POL-INC", "policy", parents=["POL-SMS"], title="Incident management policy", approved=approved),
        doc("PRC-INC", "process", parents=["POL-INC"], title="Incident management", approved=approved),
        doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title="Log an incident", approved=approved,
            **procedure_fields),
    ]


@pytest.fixture
def library(tmp_path) -> LibraryRepo:
    return new_library(tmp_path / "lib", *docs(), author="Ada First", day="2025-01-10")


def versions_of(repo: LibraryRepo, path: str = PROCEDURE):
    lineage = history_of(repo).for_path(path)
    assert lineage is not None, f"no history for {path}"
    return lineage.records


def lineage_versions(repo: LibraryRepo, path: str = PROCEDURE):
    lineage = history_of(repo).for_path(path)
    assert lineage is not None, f"no history for {path}"
    return lineage.versions


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T10:00:00+00:00")


# --------------------------------------------------------------------------- versions


def test_three_versions_are_found_with_their_commit_date_author_change_and_approver(library):
    first = library.head
    revise(library, "PRO-INC-001", version="1.1", approved="2025-03-01", approver="Head of Service Desk",
           change="Added the priority matrix.", body=body_with(library, "PRO-INC-001", "Priority matrix."))
    second = commit_as(library, "Version 1.1 of the logging procedure", "Bob Writer", "2025-03-01")
    revise(library, "PRO-INC-001", version="2.0", approved="2025-06-01", approver="Service Manager",
           change="Rewritten for the new tool.", body=body_with(library, "PRO-INC-001", "New tool."))
    third = commit_as(library, "Version 2.0 of the logging procedure", "Carol Editor", "2025-06-01")

    records = versions_of(library)

    assert [r.version for r in records] == ["1.0", "1.1", "2.0"]
    assert [r.head.commit.sha for r in records] == [first, second, third]
    assert [r.date for r in records] == [at("2025-01-10"), at("2025-03-01"), at("2025-06-01")]
    assert [r.authors for r in records] == [["Ada First"], ["Bob Writer"], ["Carol Editor"]]
    assert [r.head.field_text("change") for r in records] == [
        "", "Added the priority matrix.", "Rewritten for the new tool."
    ]
    assert [r.head.field_text("approver") for r in records] == [
        "Head of Service", "Head of Service Desk", "Service Manager"
    ]
    assert [r.head.field_text("approved") for r in records] == ["2025-01-10", "2025-03-01", "2025-06-01"]
    assert records[2].head.commit.subject == "Version 2.0 of the logging procedure"
    assert all(not r.irregular for r in records)


def test_commits_between_versions_fold_into_the_next_version(library):
    revise(library, "PRO-INC-001", body=body_with(library, "PRO-INC-001", "A fix made without a bump."))
    unbumped = commit_as(library, "Quick fix", "Bob Writer", "2025-02-01")
    commit_as(library, "Touch only other documents", "Zed Other", "2025-02-02")  # does not touch it
    revise(library, "PRC-INC", body=body_with(library, "PRC-INC", "Unrelated process edit."), version="1.1",
           change="Unrelated.", approved="2025-02-03")
    commit_as(library, "Process 1.1", "Zed Other", "2025-02-03")
    revise(library, "PRO-INC-001", version="1.1", change="Records the fix.", approved="2025-02-10")
    bump = commit_as(library, "Version 1.1", "Carol Editor", "2025-02-10")

    records = versions_of(library)

    assert [r.version for r in records] == ["1.0", "1.1"]
    assert [r.commit.sha for r in records[1].revisions] == [unbumped, bump]
    assert records[1].authors == ["Bob Writer", "Carol Editor"]
    assert "Zed Other" not in records[0].authors + records[1].authors
    # The edit of approved 1.0 without a bump is kept in the record, marked irregular.
    assert [r.commit.sha for r, _ in records[1].irregular] == [unbumped]
    assert "without a new version" in records[1].irregular[0][1]


def test_a_draft_edited_then_approved_under_the_same_number_is_one_version(library):
    revise(library, "PRO-INC-001", version="1.1", status="draft", change="Adds escalation.",
           drop=("approver", "approved"), body=body_with(library, "PRO-INC-001", "Escalate."))
    drafted = commit_as(library, "Start 1.1 as a draft", "Bob Writer", "2025-02-01")
    revise(library, "PRO-INC-001", body=body_with(library, "PRO-INC-001", "Escalate to level 2."))
    edited = commit_as(library, "Draft edits", "Carol Editor", "2025-02-05")
    revise(library, "PRO-INC-001", status="approved", approver="Head of Service", approved="2025-02-10")
    approved = commit_as(library, "Approve 1.1", "Dan Approver", "2025-02-10")

    records = versions_of(library)

    assert [r.version for r in records] == ["1.0", "1.1"]
    assert [r.commit.sha for r in records[1].revisions] == [drafted, edited, approved]
    assert records[1].authors == ["Bob Writer", "Carol Editor", "Dan Approver"]
    assert records[1].head.status == "approved"
    assert records[1].date == at("2025-02-10")
    assert not records[1].irregular  # drafting is not a breach


def test_rename_with_git_mv_then_bump_keeps_the_whole_history(library):
    move(library, "PRO-INC-001", "procedures/pro-inc-log.md")
    renamed = commit_as(library, "Rename the file", "Bob Writer", "2025-02-01")
    revise(library, "PRO-INC-001", version="1.1", change="After the rename.", approved="2025-02-10",
           body=body_with(library, "PRO-INC-001", "More."))
    bumped = commit_as(library, "Version 1.1", "Carol Editor", "2025-02-10")

    history = history_of(library)
    lineage = history.for_path("procedures/pro-inc-log.md")

    assert history.for_path(PROCEDURE) is None  # no ghost left at the old path
    assert lineage is not None
    records = lineage.records
    assert [r.version for r in records] == ["1.0", "1.1"]
    assert [r.path for r in lineage.revisions] == [PROCEDURE, "procedures/pro-inc-log.md", "procedures/pro-inc-log.md"]
    assert records[0].authors == ["Ada First"]
    # The pure rename changed nothing: it is a move, recorded as such, and never a review.
    assert [r.commit.sha for r in records[1].revisions] == [bumped]
    assert [(m.revision.commit.sha, m.from_path) for m in records[0].moves] == [(renamed, PROCEDURE)]
    assert records[0].reviews == []


def test_move_to_a_sub_folder_with_a_bump_in_the_same_commit_keeps_the_whole_history(library):
    revise(library, "PRO-INC-001", version="1.1", change="First revision.", approved="2025-02-01",
           body=body_with(library, "PRO-INC-001", "Step two."))
    commit_as(library, "Version 1.1", "Bob Writer", "2025-02-01")
    move(library, "PRO-INC-001", "procedures/incident/logging.md")
    revise(library, "PRO-INC-001", version="2.0", change="Moved under incident.", approved="2025-03-01",
           body=body_with(library, "PRO-INC-001", "Step three."))
    commit_as(library, "Move into a sub-folder and issue 2.0", "Carol Editor", "2025-03-01")

    lineage = history_of(library).for_path("procedures/incident/logging.md")

    assert lineage is not None
    records = lineage.records
    assert [r.version for r in records] == ["1.0", "1.1", "2.0"]
    assert [r.authors for r in records] == [["Ada First"], ["Bob Writer"], ["Carol Editor"]]
    assert records[0].head.path == PROCEDURE
    assert records[2].head.path == "procedures/incident/logging.md"


def test_delete_and_re_add_under_the_same_id_in_one_commit_is_followed(library):
    new_body = (
        "# Record a service interruption\n\n## Purpose\n\nEntirely rewritten: every sentence differs now, "
        "so git cannot see a rename.\n\n## Steps\n\n1. Open a ticket in the new tool.\n2. Attach evidence.\n"
        "3. Notify the duty manager.\n4. Close with a resolution code.\n"
    )
    library.remove(PROCEDURE)
    revise(library, "PRO-INC-001", path="procedures/interruptions.md", version="2.0", approved="2025-04-01",
           change="Rewritten from scratch.", body=new_body)
    sha = commit_as(library, "Replace the procedure", "Bob Writer", "2025-04-01")
    status = library.git("show", "--name-status", "--format=", "-M", sha)
    # The case under test: git itself sees a delete and an add, not a rename.
    assert sorted(status.splitlines()) == ["A\tprocedures/interruptions.md", f"D\t{PROCEDURE}"], status

    history = history_of(library)
    lineage = history.for_path("procedures/interruptions.md")

    assert lineage is not None and not lineage.deleted
    assert lineage not in history.ended  # one document, not a deleted one plus a new one
    assert [r.version for r in lineage.records] == ["1.0", "2.0"]
    assert [r.authors for r in lineage.records] == [["Ada First"], ["Bob Writer"]]
    assert history.for_path(PROCEDURE) is None


def test_a_review_only_commit_is_a_periodic_review_not_a_version(library):
    revise(library, "PRO-INC-001", review="2027-01-10")
    review = commit_as(library, "Annual review: still valid", "Rita Reviewer", "2025-12-01")

    records = versions_of(library)

    assert [r.version for r in records] == ["1.0"]
    assert [r.commit.sha for r in records[0].reviews] == [review]
    assert records[0].reviews[0].field_text("review") == "2027-01-10"
    assert records[0].authors == ["Ada First"]  # a reviewer is not an author of the text
    assert not records[0].irregular


def test_a_review_date_moved_together_with_a_text_edit_is_not_a_review(library):
    revise(library, "PRO-INC-001", review="2027-01-10", body=body_with(library, "PRO-INC-001", "Sneaked in."))
    sneaked = commit_as(library, "Review (and a small edit)", "Rita Reviewer", "2025-12-01")

    records = versions_of(library)

    assert records[0].reviews == []
    assert [r.commit.sha for r, _ in lineage_versions(library).irregular] == [sneaked]


def test_a_deleted_document_has_no_current_history(library):
    library.remove(PROCEDURE)
    commit_as(library, "Remove the procedure", "Bob Writer", "2025-02-01")

    history = history_of(library)

    assert history.for_path(PROCEDURE) is None
    removed = [lineage for lineage in history.ended if lineage.revisions[-1].fields.get("id") == "PRO-INC-001"]
    assert len(removed) == 1 and removed[0].deleted
    assert [r.version for r in removed[0].records] == ["1.0"]


def test_old_front_matter_values_read_as_yaml_reads_them(library):
    revise(library, "PRO-INC-001", version="1.1", approved="2025-02-01",
           change='Adds the "P1" rule, a back\\slash and it\'s quoted', owner="Desk's Manager",
           body=body_with(library, "PRO-INC-001", "P1."))
    text = (library.root / PROCEDURE).read_text()
    assert 'change: "Adds the \\"P1\\" rule' in text  # written with YAML escapes (the case under test)
    library.write(PROCEDURE, text.replace('owner: "Desk\'s Manager"', "owner: 'Desk''s Manager'"))
    commit_as(library, "Version 1.1", "Bob Writer", "2025-02-01")

    head = versions_of(library)[-1].head

    assert head.field_text("change") == 'Adds the "P1" rule, a back\\slash and it\'s quoted'
    assert head.field_text("owner") == "Desk's Manager"
    assert head.version == "1.1"


# --------------------------------------------------------------------------- one pass


def test_the_whole_library_is_read_with_one_git_log_and_one_batch_of_blobs(tmp_path, monkeypatch, library):
    procedures = [
        doc(f"PRO-INC-{n:03d}", "procedure", parents=["PRC-INC"], title=f"Procedure {n}", approved=APPROVED)
        for n in range(1, 28)
    ]
    specs = [*docs()[:3], *procedures]
    assert len(specs) == 30
    repo = new_library(tmp_path / "lib30", *specs)
    for round_number, author in enumerate(["Bob Writer", "Carol Editor"], start=1):
        for spec in procedures:
            revise(repo, spec.id, version=f"1.{round_number}", change=f"Revision {round_number}.",
                   approved=f"2025-0{round_number + 1}-01", body=body_with(repo, spec.id, f"Round {round_number}."))
        commit_as(repo, f"Round {round_number}", author, f"2025-0{round_number + 1}-01")
    move(repo, "PRO-INC-027", "procedures/moved/pro-inc-027.md")
    commit_as(repo, "Move one", "Dan Mover", "2025-04-01")
    counter = GitCounter.install(tmp_path)
    monkeypatch.setenv("PATH", counter.path)

    history_of(library)  # 4 documents, one commit
    small = counter.calls()
    counter.reset()
    history = history_of(repo)  # 30 documents, 4 commits, 82 blobs

    assert counter.count("log") == 1, counter.calls()
    assert counter.calls().count(["cat-file", "--batch"]) == 1, counter.calls()  # every blob in one batch
    # Nothing runs per file or per commit: 30 documents cost the same git calls as 4.
    assert sorted(counter.calls()) == sorted(small), (small, counter.calls())
    assert len(history.documents) == 30
    versions = {path: [r.version for r in lineage.records] for path, lineage in history.documents.items()}
    assert versions["procedures/pro-inc-001.md"] == ["1.0", "1.1", "1.2"]
    assert versions["procedures/moved/pro-inc-027.md"] == ["1.0", "1.1", "1.2"]
    assert versions["processes/prc-inc.md"] == ["1.0"]


def test_the_texts_of_past_versions_are_read_in_one_batch(tmp_path, monkeypatch, library):
    for number, (author, day) in enumerate([("Bob Writer", "2025-02-01"), ("Carol Editor", "2025-03-01")], start=1):
        revise(library, "PRO-INC-001", version=f"1.{number}", change=f"Revision {number}.", approved=day,
               body=body_with(library, "PRO-INC-001", f"Line of version 1.{number}."))
        commit_as(library, f"Version 1.{number}", author, day)
    history = history_of(library)
    counter = GitCounter.install(tmp_path)
    monkeypatch.setenv("PATH", counter.path)
    heads = [record.head for record in history.for_path(PROCEDURE).records]

    history.prefetch(heads)
    texts = [history.text_of(head) for head in heads]

    assert counter.calls() == [["cat-file", "--batch"]]
    assert ['version: "1.0"' in texts[0], 'version: "1.1"' in texts[1], 'version: "1.2"' in texts[2]] == [True] * 3
    assert "Line of version 1.1." not in texts[0] and "Line of version 1.1." in texts[1]
    assert "Line of version 1.2." in texts[2]


def test_unchanged_history_is_not_read_again_and_a_new_commit_is(tmp_path, monkeypatch, library):
    history_of(library)
    counter = GitCounter.install(tmp_path)
    monkeypatch.setenv("PATH", counter.path)

    history_of(library)
    assert counter.count("log") == 0, counter.calls()

    revise(library, "PRO-INC-001", version="1.1", change="Later.", approved="2025-02-01")
    commit_as(library, "Version 1.1", "Bob Writer", "2025-02-01")
    assert [r.version for r in history_of(library).for_path(PROCEDURE).records] == ["1.0", "1.1"]
    assert counter.count("log") == 1, counter.calls()


def _fresh_history(repo: LibraryRepo) -> LibraryHistory:
    """The history as a new process reads it: the in-memory copy of the last read dropped,
    so only what is stored in the git folder carries over."""
    history_module._CACHE.clear()
    return history_of(repo)


def _snapshot(history: LibraryHistory) -> list:
    commits = [(c.sha, c.position, c.author, c.committed, c.subject, c.body, c.parents) for c in history.commits]
    lineages = [
        (path, lineage.path, lineage.deleted, [(r.commit.sha, r.path, r.blob, r.fields, r.content_key) for r in lineage.revisions])
        for path, lineage in sorted(history.documents.items())
    ]
    removed = [(lineage.path, [r.blob for r in lineage.revisions]) for lineage in history.ended]
    return [commits, lineages, removed]


def test_new_commits_on_top_of_the_stored_history_are_read_alone_and_agree_with_a_full_read(tmp_path, monkeypatch, library):
    _fresh_history(library)  # stores the history of the first commit
    revise(library, "PRO-INC-001", version="1.1", change="Second.", approved="2025-02-01",
           body=body_with(library, "PRO-INC-001", "A second step."))
    commit_as(library, "Version 1.1", "Bob Writer", "2025-02-01")
    move(library, "PRO-INC-001", "procedures/incidents/pro-inc-001.md")
    library.add(doc("PRO-INC-002", "procedure", parents=["PRC-INC"], title="Close an incident", approved="2025-03-01"))
    commit_as(library, "Move one, add one", "Carol Editor", "2025-03-01")
    library.git("rm", "-q", "procedures/pro-inc-002.md")
    commit_as(library, "Withdraw the new one", "Dan Mover", "2025-04-01")
    counter = GitCounter.install(tmp_path)
    monkeypatch.setenv("PATH", counter.path)

    incremental = _fresh_history(library)

    logs = [words for words in counter.calls() if words[0] == "log"]
    assert len(logs) == 1 and any(word.endswith("..HEAD") for word in logs[0]), logs
    versions = [r.version for r in incremental.for_path("procedures/incidents/pro-inc-001.md").records]
    assert versions == ["1.0", "1.1"]
    assert [lineage.path for lineage in incremental.ended] == ["procedures/pro-inc-002.md"]
    (library.root / ".git" / "sms-docs" / "history-v3.marshal").unlink()
    assert _snapshot(incremental) == _snapshot(_fresh_history(library))


def test_the_same_commit_read_again_in_a_new_process_runs_no_git_log(tmp_path, monkeypatch, library):
    first = _fresh_history(library)
    counter = GitCounter.install(tmp_path)
    monkeypatch.setenv("PATH", counter.path)

    again = _fresh_history(library)

    assert counter.count("log") == 0 and ["cat-file", "--batch"] not in counter.calls(), counter.calls()
    assert _snapshot(again) == _snapshot(first)


def test_a_rewritten_history_is_read_again_in_full(tmp_path, monkeypatch, library):
    revise(library, "PRO-INC-001", version="1.1", change="Second.", approved="2025-02-01")
    commit_as(library, "Version 1.1", "Bob Writer", "2025-02-01")
    _fresh_history(library)
    library.git("reset", "-q", "--hard", "HEAD~1")  # the stored HEAD is no longer an ancestor
    revise(library, "PRO-INC-001", version="2.0", change="Rewritten.", approved="2025-02-02")
    commit_as(library, "Version 2.0", "Carol Editor", "2025-02-02")
    counter = GitCounter.install(tmp_path)
    monkeypatch.setenv("PATH", counter.path)

    history = _fresh_history(library)

    logs = [words for words in counter.calls() if words[0] == "log"]
    assert len(logs) == 1 and not any(".." in word for word in logs[0]), logs
    assert [r.version for r in history.for_path(PROCEDURE).records] == ["1.0", "2.0"]


def test_deepening_a_shallow_clone_shows_the_history_it_fetched(library, tmp_path):
    for number, day in enumerate(["2025-02-01", "2025-03-01"], start=1):
        revise(library, "PRO-INC-001", version=f"1.{number}", change=f"Revision {number}.", approved=day)
        commit_as(library, f"Version 1.{number}", "Bob Writer", day)
    clone = LibraryRepo(tmp_path / "shallow")
    library.git("clone", "-q", "--depth", "1", f"file://{library.root}", str(clone.root))
    assert [r.version for r in _fresh_history(clone).for_path(PROCEDURE).records] == ["1.2"]

    clone.git("fetch", "-q", "--deepen", "1")  # HEAD is the same commit; its history is not

    assert [r.version for r in _fresh_history(clone).for_path(PROCEDURE).records] == ["1.1", "1.2"]


# --------------------------------------------------------------------------- what history is missing


def test_a_folder_without_git_has_no_history_and_says_so(tmp_path):
    repo = LibraryRepo.create(tmp_path / "plain", docs(), commit=False)
    subprocess.run(["rm", "-rf", str(repo.root / ".git")], check=True)

    history = history_of(repo)

    assert not history.available
    assert history.documents == {}
    assert any("not a git repository" in notice for notice in history.notices)


def test_a_shallow_clone_reads_what_it_has_and_says_how_to_fetch_the_rest(library, tmp_path):
    revise(library, "PRO-INC-001", version="1.1", change="Second.", approved="2025-02-01")
    commit_as(library, "Version 1.1", "Bob Writer", "2025-02-01")
    clone = tmp_path / "shallow"
    library.git("clone", "-q", "--depth", "1", f"file://{library.root}", str(clone))

    history = history_of(LibraryRepo(clone))

    assert history.available and history.state.shallow
    assert [r.version for r in history.for_path(PROCEDURE).records] == ["1.1"]
    notice = " ".join(history.notices)
    assert "shallow clone" in notice and "git fetch --unshallow" in notice


def test_a_detached_head_reads_the_history_of_the_checked_out_commit(library):
    revise(library, "PRO-INC-001", version="1.1", change="Second.", approved="2025-02-01")
    commit_as(library, "Version 1.1", "Bob Writer", "2025-02-01")
    library.git("checkout", "-q", "--detach", "HEAD~1")

    history = history_of(library)

    assert history.state.detached
    assert [r.version for r in history.for_path(PROCEDURE).records] == ["1.0"]
    assert any("detached" in notice for notice in history.notices)


# --------------------------------------------------------------------------- sms-docs history ID


def test_history_command_prints_every_version_with_date_approver_change_and_authors(library, run_cli):
    revise(library, "PRO-INC-001", version="1.1", approved="2025-03-01", approver="Head of Service Desk",
           change="Added the priority matrix.", body=body_with(library, "PRO-INC-001", "Matrix."))
    commit_as(library, "Version 1.1", "Bob Writer", "2025-03-01")
    revise(library, "PRO-INC-001", version="2.0", approved="2025-06-01", approver="Service Manager",
           change="Rewritten for the new tool.", body=body_with(library, "PRO-INC-001", "Tool."))
    commit_as(library, "Version 2.0", "Carol Editor", "2025-06-01")

    result = run_cli(library, "history", "PRO-INC-001")

    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for expected in ("1.0", "1.1", "2.0", "2025-03-01", "2025-06-01", "Head of Service Desk", "Service Manager",
                     "Added the priority matrix.", "Rewritten for the new tool.", "Ada First", "Bob Writer",
                     "Carol Editor"):
        assert expected in out, f"{expected!r} not in:\n{out}"
    # Versions in a stable order (newest or oldest first), never interleaved.
    positions = [out.index(text) for text in ("Rewritten for the new tool.", "Added the priority matrix.")]
    assert positions == sorted(positions) or positions == sorted(positions, reverse=True)


def test_history_command_finds_an_id_case_insensitively(library, run_cli):
    result = run_cli(library, "history", "pro-inc-001")

    assert result.exit_code == 0, result.stderr
    assert "Ada First" in result.stdout


def test_history_command_with_an_unknown_id_exits_2(library, run_cli):
    result = run_cli(library, "history", "PRO-NOPE-999")

    assert result.exit_code == 2, result.stdout + result.stderr
    assert "PRO-NOPE-999" in result.stderr
