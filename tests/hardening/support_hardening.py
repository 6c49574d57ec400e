"""Helpers of the hardening tests: the doors run as real processes, every built file read,
a real `mkdocs serve` on a free port.

The library repositories themselves come from tests/support.py (`LibraryRepo`, `doc`).
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

from serve_support import Server, fetch, free_port, serving, wait_for  # noqa: F401 - shared with the preview tests
from support import Completed, LibraryRepo, default_body, doc, subprocess_env

# Extensions of the built files that are text; everything else is read as bytes only.
TEXT_SUFFIXES = (".html", ".json", ".xml", ".csv", ".txt", ".js", ".css", ".svg", ".map")


# --------------------------------------------------------------------------- running the doors


def assert_no_traceback(result: Completed, door: str = "command") -> None:
    """Bad input is a finding or a clear error, never a Python traceback."""
    for stream in (result.stdout, result.stderr):
        assert "Traceback (most recent call last)" not in stream, f"{door} crashed:\n{result.output[-6000:]}"
        assert "RecursionError" not in stream, f"{door} hit the recursion limit:\n{result.output[-6000:]}"


def check_json(repo: LibraryRepo, *args: str, timeout: float | None = None) -> tuple[Completed, dict]:
    """`sms-docs check --format json` as a real process; asserts no traceback and exit 0 or 1."""
    result = run_door(repo, ["check", "--format", "json", *args], cli=True, timeout=timeout)
    assert_no_traceback(result, "sms-docs check")
    assert result.returncode in (0, 1), f"check exited {result.returncode}:\n{result.output[-4000:]}"
    return result, json.loads(result.stdout)


def checked(repo: LibraryRepo, *args: str) -> Completed:
    """`sms-docs check ARGS` as a real process, with no traceback."""
    result = repo.check(*args)
    assert_no_traceback(result, "sms-docs check")
    return result


def built(repo: LibraryRepo, *args: str, timeout: float | None = None, **env: str | None) -> Completed:
    """`mkdocs build ARGS` as a real process, with no traceback."""
    result = run_door(repo, ["build", *args], cli=False, timeout=timeout, **env)
    assert_no_traceback(result, "mkdocs build")
    return result


def run_door(
    repo: LibraryRepo | Path, args: list[str], *, cli: bool, timeout: float | None = None, **env: str | None
) -> Completed:
    root = repo.root if isinstance(repo, LibraryRepo) else repo
    if cli:
        script = Path(sys.executable).parent / "sms-docs"
        command = [str(script)] if script.exists() else [sys.executable, "-m", "sms_docs_plugin.cli"]
    else:
        command = [sys.executable, "-m", "mkdocs"]
    done = subprocess.run(
        [*command, *args],
        cwd=root,
        env=subprocess_env(**env),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout or 300,
    )
    return Completed(done.returncode, done.stdout, done.stderr)


def codes(findings: list[dict]) -> list[str]:
    return [f["code"] for f in findings]


# --------------------------------------------------------------------------- documents


def safe_doc(doc_id: str, doc_type: str, parents: list[str] | str | None = None, **fields: object):
    """A valid document whose body heading does not repeat the title: titles here carry
    hostile text that must reach the page through the front matter alone."""
    body = fields.pop("body", None)
    if body is None:
        body = default_body(doc_id, doc_type, "Body heading")
    return doc(doc_id, doc_type, parents, body=body, **fields)


# --------------------------------------------------------------------------- the built site


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site (sitemap.xml.gz decompressed under its own name)."""
    files = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if rel.endswith(".gz"):
            data = gzip.decompress(data)
        files[rel] = data
    return files


def site_texts(site: Path) -> dict[str, str]:
    """Every text file of a built site, decoded."""
    return {
        rel: data.decode("utf-8", "replace")
        for rel, data in site_files(site).items()
        if rel.endswith(TEXT_SUFFIXES) or rel.endswith(".xml.gz")
    }


def files_containing(site: Path, needle: str) -> list[str]:
    """The site files whose bytes contain `needle` (UTF-8), binary files included."""
    raw = needle.encode("utf-8")
    return [rel for rel, data in site_files(site).items() if raw in data]


def outside_files(root: Path, before: set[str]) -> list[str]:
    """Files under `root` that were not there before, outside site/ and the build's folders."""
    now = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    return sorted(
        rel for rel in now - before
        if not rel.startswith(("site/", "site.sms-new/", "site.sms-old/", ".git/"))
    )


def tree_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


# --------------------------------------------------------------------------- git


def chown_tree(root: Path, user: str = "nobody", group: str = "nogroup") -> None:
    """Give a folder to another user, as a repository checked out by a different account."""
    done = subprocess.run(["chown", "-R", f"{user}:{group}", str(root)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def copy_repo(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)
    return target
