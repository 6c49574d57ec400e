"""Atomic publication: a build that fails at any point — validation, a template, git, a
strict warning, the process killed half-way, a read-only folder, a full disk — leaves the
published site byte for byte as it was; two builds at once both publish the whole site; a
`site` that is a symbolic link stays one; leftovers of a killed build never block the next.

(`mkdocs serve` publishes nothing: tests/test_preview.py.)"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from support import Completed, LibraryRepo, clean_docs, doc, snapshot, subprocess_env
from support_hardening import (
    assert_no_traceback,
    built,
    chown_tree,
    run_door,
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


# --------------------------------------------------------------------------- where the site is published

ROOT = os.geteuid() == 0


def leftovers(folder: Path) -> list[str]:
    """What builds left beside the site they publish: staging folders, old sites, lock files."""
    return sorted(path.name for path in folder.iterdir() if ".sms-" in path.name)


def error_lines(build: Completed) -> list[str]:
    """The lines in which sms-docs reports an error (its INFO lines left out)."""
    return [line for line in build.output.splitlines() if "sms-docs:" in line and not line.startswith("INFO")]


def edit_and_commit(repo: LibraryRepo, marker: str) -> None:
    """A new approved version of PRO-INC-001 whose body carries `marker`."""
    spec = repo.spec("PRO-INC-001")
    repo.add(doc("PRO-INC-001", "procedure", parents=["PRC-INC"], title=spec.fields["title"], version="1.1",
                 change="A step was added.", approved=date(2026, 2, 1), body=spec.body + f"\n{marker}\n"))
    repo.commit(f"PRO-INC-001 1.1: {marker}")


class Mounts:
    """Real file systems for the tests that need one: a tmpfs of a given size, a folder made
    read-only (a read-only mount as root, permissions otherwise). Everything is undone at
    the end, wherever a build moved it."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.read_only_folders: dict[Path, str] = {}  # folder -> how it was made read-only

    def tmpfs(self, where: Path, size: int = 64 * 1024 * 1024) -> None:
        where.mkdir(parents=True, exist_ok=True)
        mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where))

    def resize(self, where: Path, size: int) -> None:
        mount("-o", f"remount,size={size}", str(where))

    def used(self, where: Path) -> int:
        stat = os.statvfs(where)
        return (stat.f_blocks - stat.f_bfree) * stat.f_frsize

    def read_only(self, folder: Path) -> None:
        if not ROOT:
            self.read_only_folders[folder] = "chmod"
            for path in [folder, *folder.rglob("*")]:
                path.chmod(path.stat().st_mode & ~0o222)
        elif os.path.ismount(folder):
            self.read_only_folders[folder] = "remount"
            mount("-o", "remount,ro", str(folder))
        else:
            self.read_only_folders[folder] = "bind"
            mount("--bind", str(folder), str(folder))
            mount("-o", "remount,bind,ro", str(folder))

    def writable(self, folder: Path) -> None:
        how = self.read_only_folders.pop(folder)
        if how == "chmod":
            for path in [folder, *folder.rglob("*")]:
                path.chmod(path.stat().st_mode | 0o200)
        elif how == "remount":
            mount("-o", "remount,rw", str(folder))
        else:
            subprocess.run(["umount", str(folder)], check=True)

    def unremovable(self, folder: Path) -> None:
        """A folder inside the site that removing the old site cannot take away: a mount point
        (as root), or a folder without write permission holding a file (otherwise)."""
        folder.mkdir()
        if ROOT:
            self.tmpfs(folder, 1024 * 1024)
            (folder / "kept.txt").write_text("on a file system of its own\n", encoding="utf-8")
        else:
            (folder / "kept.txt").write_text("in a folder without write permission\n", encoding="utf-8")
            folder.chmod(0o555)

    def mount_points(self, under: Path) -> list[Path]:
        with open("/proc/self/mounts", encoding="utf-8") as table:
            points = [Path(line.split()[1].replace("\\040", " ")) for line in table]
        return [p for p in points if p == under or p.is_relative_to(under)]

    def undo(self) -> None:
        if ROOT:
            for point in sorted(self.mount_points(self.base), key=lambda p: len(p.parts), reverse=True):
                subprocess.run(["umount", "-l", str(point)], check=False)
        for path in [self.base, *self.base.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o700)


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    assert done.returncode == 0, f"mount {' '.join(args)}: {done.stderr}"


@pytest.fixture
def mounts(tmp_path: Path) -> Iterator[Mounts]:
    helper = Mounts(tmp_path)
    try:
        yield helper
    finally:
        helper.undo()


def test_two_builds_started_at_once_both_publish_the_whole_site(make_library):
    many = [doc(f"PRO-RACE-{n:03d}", "procedure", parents=["PRC-INC"]) for n in range(40)]
    repo = make_library(*clean_docs(), *many)
    assert built(repo).returncode == 0
    single = snapshot(repo.site)
    missing: list[float] = []  # the moments a reader found no site at all
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            if not (repo.site / "index.html").is_file():
                missing.append(time.monotonic())
            time.sleep(0.0005)

    watcher = threading.Thread(target=reader, daemon=True)
    watcher.start()
    logs = []
    try:
        for _ in range(3):
            processes = [
                subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=repo.root, env=subprocess_env(),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)
            ]
            outputs = [process.communicate(timeout=300) for process in processes]
            for process, (_, stderr) in zip(processes, outputs, strict=True):
                assert process.returncode == 0 and "Traceback" not in stderr, stderr[-3000:]
                logs.append(stderr)
            assert snapshot(repo.site) == single, "two builds at once published another site than one build"
            assert leftovers(repo.root) == []
    finally:
        stop.set()
        watcher.join()
    assert missing == [], f"a reader found no site {len(missing)} times while the builds published"
    # Started together, one build waits for the other (unless a machine this busy started one late each time).
    assert any("waiting for it to finish" in log for log in logs), logs[-1][-3000:]


@pytest.mark.parametrize("link", ["absolute", "relative", "dangling"])
def test_a_site_that_is_a_symbolic_link_is_published_at_its_target_and_stays_a_link(clean_library, tmp_path, link):
    repo = clean_library
    www = tmp_path / "srv" / "www"
    target = www / "library"
    www.mkdir(parents=True)
    if link != "dangling":
        target.mkdir(mode=0o751)  # as the deployment set it up: the web server's group may enter
        target.chmod(0o751)
        (target / "stale.html").write_text("from the previous deployment\n", encoding="utf-8")
    pointer = os.path.relpath(target, repo.root) if link == "relative" else str(target)
    (repo.root / "site").symlink_to(pointer, target_is_directory=True)
    for marker in ("", "SHOWNTHROUGHTHELINK"):
        if marker:
            edit_and_commit(repo, marker)
        build = built(repo)
        assert build.returncode == 0, build.stderr[-3000:]
        assert (repo.root / "site").is_symlink() and os.readlink(repo.root / "site") == pointer
        assert (target / "index.html").is_file() and not (target / "stale.html").exists()
        assert marker in repo.doc_page("PRO-INC-001").read_text(encoding="utf-8")
        assert leftovers(repo.root) == [] and leftovers(www) == []
        if link != "dangling":
            assert stat.S_IMODE(target.stat().st_mode) == 0o751, "the new site lost the folder's mode"


def test_leftovers_of_killed_builds_do_not_block_the_next_build(published):
    repo, before = published
    for name in ("site.sms-new", "site.sms-old", "site.sms-old-12345"):
        (repo.root / name / "assets").mkdir(parents=True)
        (repo.root / name / "assets" / "half-written.js").write_text("half", encoding="utf-8")
    (repo.root / "site.sms-lock").write_text("4242\n", encoding="utf-8")  # its build was killed: not held
    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    assert snapshot(repo.site) == before
    assert leftovers(repo.root) == []


def test_an_old_file_that_cannot_be_removed_does_not_block_publication(published, mounts):
    repo, before = published
    mounts.unremovable(repo.site / "stuck")
    for _ in range(2):  # the second build is not blocked by what the first could not remove
        build = built(repo)
        assert build.returncode == 0, build.stderr[-3000:]
        assert snapshot(repo.site) == before
        assert "could not remove" in build.output
    mounts.undo()
    assert built(repo).returncode == 0
    assert leftovers(repo.root) == []


@pytest.mark.parametrize("read_only", ["site", "its-parent"])
def test_a_read_only_site_gives_a_clear_error_and_stays_as_it_was(make_library, tmp_path, mounts, read_only):
    repo = make_library(*clean_docs())
    www = tmp_path / "www"
    if ROOT:
        mounts.tmpfs(www)  # a file system of its own, to remount read-only
    else:
        www.mkdir()
    site = www / "library"
    repo.write_config(repo.options, site_dir=str(site))
    assert built(repo).returncode == 0
    before = snapshot(site)
    folder = site if read_only == "site" else www
    mounts.read_only(folder)
    edit_and_commit(repo, "WRITTENAFTERTHEREPAIR")
    build = built(repo)
    assert build.returncode == 1
    lines = error_lines(build)
    assert len(lines) == 1, build.output[-3000:]
    assert str(site) in lines[0] and ("read-only" in lines[0] or "permission" in lines[0].lower()), lines[0]
    assert snapshot(site) == before
    assert leftovers(www) == []
    mounts.writable(folder)
    assert built(repo).returncode == 0
    assert "WRITTENAFTERTHEREPAIR" in (site / "procedures" / "pro-inc-001" / "index.html").read_text(encoding="utf-8")


@pytest.mark.skipif(not ROOT, reason="filling a disk needs a small file system of its own: mounting a tmpfs needs root")
def test_a_full_disk_gives_a_clear_error_and_leaves_the_site_as_it_was(make_library, tmp_path, mounts):
    many = [doc(f"PRO-DISK-{n:03d}", "procedure", parents=["PRC-INC"]) for n in range(20)]
    repo = make_library(*clean_docs(), *many)
    disk = tmp_path / "disk"
    mounts.tmpfs(disk)
    site = disk / "site"
    repo.write_config(repo.options, site_dir=str(site))
    assert built(repo).returncode == 0
    used = mounts.used(disk)
    mounts.resize(disk, used + used // 2)  # room for the published site, not for a second one beside it
    before = snapshot(site)
    edit_and_commit(repo, "WRITTENONCETHEREISROOM")
    build = built(repo)
    assert build.returncode == 1
    lines = error_lines(build)
    assert len(lines) == 1 and "space" in lines[0], build.output[-3000:]
    assert snapshot(site) == before
    assert leftovers(disk) == []
    mounts.resize(disk, used * 4)
    assert built(repo).returncode == 0
    assert "WRITTENONCETHEREISROOM" in (site / "procedures" / "pro-inc-001" / "index.html").read_text(encoding="utf-8")
