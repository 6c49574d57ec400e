"""Atomic publication: a build that fails at any point — validation, a template, git, a
strict warning, the process killed half-way — leaves the published site byte for byte as
it was; and `mkdocs serve` keeps serving the last good site until the next good edit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import pytest
from support import LibraryRepo, clean_docs, doc, snapshot, subprocess_env
from support_hardening import (
    assert_no_traceback,
    built,
    chown_tree,
    run_door,
    serving,
    wait_for,
)

GIT_STRICT = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.fixture
def published(clean_library: LibraryRepo) -> tuple[LibraryRepo, dict[str, str]]:
    """The clean library built once: the site a failed build must not touch."""
    build = built(clean_library)
    assert build.returncode == 0, build.stderr[-3000:]
    before = snapshot(clean_library.site)
    assert len(before) > 20
    return clean_library, before


def assert_untouched(repo: LibraryRepo, before: dict[str, str]) -> None:
    assert snapshot(repo.site) == before, "a failed build changed the published site"
    assert not (repo.root / "site.sms-old").exists()


def assert_recovers(repo: LibraryRepo, before: dict[str, str]) -> None:
    """After the failure is repaired, the next build publishes again."""
    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    assert snapshot(repo.site) != {} and not (repo.root / "site.sms-new").exists()


def test_a_validation_error_leaves_the_site_as_it_was(published):
    repo, before = published
    repo.add(doc("PRO-ORPHAN-001", "procedure", parents=None))
    build = built(repo)
    assert build.returncode != 0 and "SMS202" in build.stderr
    assert_untouched(repo, before)
    assert not (repo.root / "site.sms-new").exists(), "the staging folder of a refused build is left behind"
    repo.remove(repo.spec("PRO-ORPHAN-001").path)
    assert_recovers(repo, before)


@pytest.mark.parametrize(
    "template",
    [
        pytest.param("{{ no_such_macro() }}", id="undefined-macro"),
        pytest.param("{% if page and page.file.src_uri.startswith('procedures/') %}{{ 1 // 0 }}{% endif %}",
                     id="raises-on-a-late-page"),
        pytest.param("{% include 'partials/no-such-partial.html' %}", id="missing-include"),
    ],
)
def test_a_template_error_leaves_the_site_as_it_was(published, template):
    repo, before = published
    repo.write("overrides/main.html", '{% extends "base.html" %}\n{% block content %}' + template + "{{ super() }}{% endblock %}\n")
    repo.write_config(repo.options, theme={"name": "material", "font": False, "custom_dir": "overrides"})
    # MkDocs itself reports a template error with its traceback: the user's theme, not the library.
    build = run_door(repo, ["build"], cli=False)
    assert build.returncode != 0, "the broken template did not fail the build"
    assert_untouched(repo, before)
    repo.remove("overrides/main.html")
    assert_recovers(repo, before)


def test_a_strict_build_stopped_by_a_warning_leaves_the_site_as_it_was(published):
    repo, before = published
    spec = repo.spec("PRO-INC-001")
    repo.write(spec.path, spec.text().replace("---\n", "---\nreviewd: 2026-01-01\n", 1))
    build = built(repo, "--strict")
    assert build.returncode != 0 and "SMS104" in build.stderr
    assert_untouched(repo, before)


def test_a_corrupted_git_head_leaves_the_site_as_it_was(published):
    repo, before = published
    head = repo.root / ".git" / "HEAD"
    good = head.read_text(encoding="utf-8")
    head.write_text("garbage\n", encoding="utf-8")
    build = built(repo)
    assert build.returncode != 0
    assert "git" in build.stderr and "Traceback" not in build.stderr
    assert_untouched(repo, before)
    head.write_text(good, encoding="utf-8")
    assert_recovers(repo, before)


def test_a_repository_of_another_user_leaves_the_site_as_it_was(published):
    if os.geteuid() != 0:
        pytest.skip("giving the repository to another user needs root (chown)")
    repo, before = published
    chown_tree(repo.root)
    build = run_door(repo, ["build"], cli=False, **GIT_STRICT)
    assert_no_traceback(build, "mkdocs build")
    assert build.returncode != 0 and "dubious ownership" in build.stderr
    assert_untouched(repo, before)


def test_a_build_killed_half_way_leaves_the_site_as_it_was(make_library):
    many = [doc(f"PRO-KILL-{n:03d}", "procedure", parents=["PRC-INC"]) for n in range(150)]
    repo = make_library(*clean_docs(), *many)
    assert built(repo).returncode == 0
    before = snapshot(repo.site)
    repo.add(doc("PRO-KILL-999", "procedure", parents=["PRC-INC"]))
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build"], cwd=repo.root, env=subprocess_env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    staging = repo.root / "site.sms-new"
    try:
        writing = wait_for(lambda: len(list(staging.rglob("index.html"))) >= 20, timeout=120, interval=0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert writing, "the build never started writing its pages; the test could not kill it half-way"
    assert_untouched(repo, before)
    assert_recovers(repo, before)
    assert repo.doc_page("PRO-KILL-999").is_file()


# --------------------------------------------------------------------------- mkdocs serve


def test_serve_keeps_the_last_good_site_through_a_bad_edit_and_shows_the_next_good_one(make_library, tmp_path):
    spec = doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title="Log an incident")
    repo = make_library(*clean_docs()[:3], doc("PRO-INC-001", "procedure", parents=["PRC-INC"],
                                                 body=spec.body + "\nFIRSTGOODTEXT\n"))
    url = "procedures/pro-inc-001/"
    with serving(repo, tmp_path / "serve.log") as server:
        status, page = server.get(url)
        assert status == 200 and "FIRSTGOODTEXT" in page

        # An orphan: the rebuild is refused; the server keeps the last good page.
        broken = doc("PRO-INC-001", "procedure", parents=None, body=spec.body + "\nBROKENTEXT\n")
        repo.add(broken)
        assert wait_for(lambda: "SMS202" in server.log, timeout=90), f"no refused rebuild:\n{server.log[-3000:]}"
        assert wait_for(lambda: "FIRSTGOODTEXT" in server.get(url)[1], timeout=60), (
            f"the last good page is no longer served after a bad edit:\n{server.log[-3000:]}"
        )
        status, page = server.get(url)
        assert status == 200 and "BROKENTEXT" not in page
        assert server.process.poll() is None, "the server stopped on a bad edit"

        time.sleep(1.5)  # a distinct modification time for the watcher
        fixed = doc("PRO-INC-001", "procedure", parents=["PRC-INC"], version="1.1", change="New step.",
                    approved=date(2026, 2, 1), body=spec.body + "\nSECONDGOODTEXT\n")
        repo.add(fixed)
        assert wait_for(lambda: "SECONDGOODTEXT" in server.get(url)[1], timeout=90), server.log[-3000:]
        assert "Traceback" not in server.log
