"""History cannot be broken or forged by what a commit contains (spec §4).

Commit messages and author names are data. The reader takes only hashes and file changes
from `git log` and parses the commit objects itself, so a separator character, NUL-free
control bytes, or a body that imitates the log format neither crashes a run nor adds a
commit to the history sheet, the changes page or the feed.
"""

from __future__ import annotations

import subprocess

from history_support import body_with, commit_as, new_library, revise
from support import LibraryRepo, clean_docs, read_page, subprocess_env
from support_hardening import assert_no_traceback, built, check_json

FAKE_SHA = "f" * 40
# The fields the old reader split on: a record separator, then unit-separated fields.
FORGED_BODY = "\x1e" + "\x1f".join([FAKE_SHA, "", "Forged Author", "forged@example.org", "2020-01-01T00:00:00+00:00",
                                   "2020-01-01T00:00:00+00:00", "Forged subject", "Forged body"]) + "\x1f"


def _commit_raw(repo: LibraryRepo, message: str, author: str = "Bob Writer", day: str = "2026-02-01") -> str:
    """A commit whose message (and author) git stores exactly as given."""
    repo.git("add", "-A")
    env = subprocess_env(GIT_AUTHOR_DATE=f"{day}T10:00:00+00:00", GIT_COMMITTER_DATE=f"{day}T10:00:00+00:00",
                         GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL="bob@example.org")
    done = subprocess.run(["git", "commit", "-q", "--cleanup=verbatim", "-F", "-"], cwd=repo.root, env=env,
                          input=message.encode("utf-8"), capture_output=True)
    assert done.returncode == 0, done.stderr
    return repo.head


def _library(tmp_path) -> LibraryRepo:
    return new_library(tmp_path / "lib", *clean_docs(), author="Ada First", day="2026-01-05")


def test_separator_characters_in_a_commit_message_neither_crash_nor_split_it(tmp_path):
    repo = _library(tmp_path)
    revise(repo, "PRO-INC-001", version="1.1", approved="2026-02-01", change="Second.",
           body=body_with(repo, "PRO-INC-001", "A second step."))
    sha = _commit_raw(repo, "Version 1.1 \x1e with a record separator\n\nand a \x1f unit separator in the body\n")
    commit_as(repo, "A later commit", "Carol Writer", "2026-02-02")

    result, report = check_json(repo)
    assert result.returncode == 0, result.output
    history = repo.run_cli("history", "PRO-INC-001")
    assert_no_traceback(history)
    assert history.returncode == 0 and sha[:10] in history.stdout


def test_a_unit_separator_in_an_author_name_neither_crashes_nor_shifts_fields(tmp_path):
    repo = _library(tmp_path)
    revise(repo, "PRO-INC-001", version="1.1", approved="2026-02-01", change="Second.",
           body=body_with(repo, "PRO-INC-001", "A second step."))
    _commit_raw(repo, "Version 1.1\n", author="Bob\x1fWriter")

    result, _ = check_json(repo)
    assert result.returncode == 0, result.output
    history = repo.run_cli("history", "PRO-INC-001")
    assert history.returncode == 0 and "Bob" in history.stdout and "2026-02-01" in history.stdout


def test_a_commit_body_imitating_the_log_format_adds_no_commit(tmp_path):
    repo = _library(tmp_path)
    revise(repo, "PRO-INC-001", version="1.1", approved="2026-02-01", change="Second.",
           body=body_with(repo, "PRO-INC-001", "A second step."))
    real = _commit_raw(repo, "Version 1.1\n\n" + FORGED_BODY + "\n")

    result = built(repo, "--strict")
    assert result.returncode == 0, result.output

    texts = "".join(path.read_text(encoding="utf-8", errors="replace") for path in repo.site.rglob("*")
                    if path.is_file() and path.suffix in (".html", ".xml", ".json"))
    assert "Forged Author" not in texts and FAKE_SHA[:10] not in texts
    history = read_page(repo.site / "procedures" / "pro-inc-001.history" / "index.html")
    commits = [row.find("td").text for row in history.find_all("tr") if row.find_all("td")]
    assert commits == [real[:10], repo.git("rev-list", "--max-parents=0", "HEAD").strip()[:10]]


def test_terminal_escapes_in_a_commit_subject_do_not_reach_the_terminal(tmp_path):
    repo = _library(tmp_path)
    revise(repo, "PRO-INC-001", version="1.1", approved="2026-02-01", change="Second.",
           body=body_with(repo, "PRO-INC-001", "A second step."))
    _commit_raw(repo, "Version 1.1 \x1b[2J\x1b]0;owned\x07 cleared the screen\n")

    history = repo.run_cli("history", "PRO-INC-001")

    assert history.returncode == 0
    assert "\x1b" not in history.stdout and "\\x1b[2J" in history.stdout


def test_control_characters_in_an_old_version_are_not_published_raw(tmp_path):
    repo = _library(tmp_path)
    revise(repo, "PRO-INC-001", version="1.1", approved="2026-02-01", change="Old text.",
           body=body_with(repo, "PRO-INC-001", "Old text with a \x1b[31m red escape."))
    _commit_raw(repo, "Version 1.1, with an escape, before SMS101 read bodies\n")
    revise(repo, "PRO-INC-001", version="1.2", approved="2026-02-02", change="Clean text.",
           body=repo.spec("PRO-INC-001").body.replace("Old text with a \x1b[31m red escape.", "Clean text."))
    commit_as(repo, "1.2", "Carol Writer", "2026-02-02")

    result = built(repo)
    assert result.returncode == 0, result.output[-3000:]

    for path in repo.site.rglob("*.html"):
        assert "\x1b" not in path.read_text(encoding="utf-8"), path
    past = (repo.site / "procedures" / "pro-inc-001.v1.1" / "index.html").read_text(encoding="utf-8")
    assert "Old text with a \ufffd[31m red escape." in past  # shown, with the character made visible
