"""Helpers for the git-history tests: commits by named authors on fixed dates, revisions
of a document, a counting `git` wrapper, and built sites shared by a module.

Everything runs real git in a temporary folder; nothing is mocked.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from support import FOLDERS, DocSpec, LibraryRepo, clean_docs, template_sections

from sms_docs_plugin.history import LibraryHistory, read_history

REAL_GIT = shutil.which("git") or "/usr/bin/git"


def when(day: str, hour: int = 10) -> str:
    """A fixed commit date: `when("2025-03-01")` -> 2025-03-01T10:00:00+00:00."""
    return f"{day}T{hour:02d}:00:00+00:00"


def commit_as(repo: LibraryRepo, message: str, author: str, day: str, hour: int = 10) -> str:
    """Stage everything and commit as `author` on `day`; returns the commit's full hash."""
    email = author.lower().replace(" ", ".").replace("<", "").replace(">", "") + "@example.org"
    repo.git("add", "-A")
    repo.git("commit", "-q", "--allow-empty", f"--author={author} <{email}>", "-m", message, when=when(day, hour))
    return repo.head


def new_library(root: Path, *specs: DocSpec, options: dict | None = None, author: str = "Ada First",
                day: str = "2025-01-10", message: str = "Initial library") -> LibraryRepo:
    """A library whose first commit is by `author` on `day` (LibraryRepo.create, then that commit)."""
    repo = LibraryRepo.create(root, specs or clean_docs(), options, commit=False)
    commit_as(repo, message, author, day)
    return repo


def revise(repo: LibraryRepo, doc_id: str, *, body: str | None = None, path: str | None = None,
           drop: tuple[str, ...] = (), **fields: object) -> DocSpec:
    """Rewrite a document with some fields (and optionally its body or path) changed.

    A new `path` is written without `git mv`; use `move` to rename in git first.
    """
    old = repo.spec(doc_id)
    values = {k: v for k, v in old.fields.items() if k not in drop}
    values.update(fields)
    values = {k: v for k, v in values.items() if v is not None}
    spec = replace(old, fields=values, body=old.body if body is None else body, path=path or old.path)
    repo.add(spec)
    return spec


def move(repo: LibraryRepo, doc_id: str, new_path: str) -> DocSpec:
    """`git mv` a document to `new_path` (folders created as needed)."""
    old = repo.spec(doc_id)
    (repo.root / new_path).parent.mkdir(parents=True, exist_ok=True)
    repo.git("mv", old.path, new_path)
    spec = replace(old, path=new_path)
    repo.specs[doc_id] = spec
    return spec


def history_of(repo: LibraryRepo) -> LibraryHistory:
    """The library's history as the build reads it (the three default folders)."""
    return read_history(repo.root, FOLDERS.values())


def body_with(repo: LibraryRepo, doc_id: str, line: str) -> str:
    """The document's body with one more line at the end."""
    return repo.spec(doc_id).body + f"\n{line}\n"


def body_with_steps(doc_id: str, doc_type: str, title: str, steps: list[str]) -> str:
    """A body with every section of the type's template, whose `## Steps` lists `steps`."""
    lines = [f"# {title}", ""]
    for heading in template_sections(doc_type):
        lines += [f"## {heading}", ""]
        if heading == "Steps":
            lines += [f"{number}. {step}" for number, step in enumerate(steps, start=1)] + [""]
        else:
            lines += [f"{doc_id} {heading.lower()}.", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- counting git


@dataclass
class GitCounter:
    """A `git` on PATH that logs each call's arguments to a file, then execs the real git."""

    bin_dir: Path
    log: Path

    @classmethod
    def install(cls, folder: Path) -> GitCounter:
        bin_dir = folder / "counting-bin"
        bin_dir.mkdir(parents=True)
        log = folder / "git-calls.log"
        log.write_text("")
        script = bin_dir / "git"
        script.write_text(
            "#!/bin/sh\n"
            f'printf "%s\\n" "$*" >> "{log}"\n'
            f'exec "{REAL_GIT}" "$@"\n'
        )
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return cls(bin_dir, log)

    @property
    def path(self) -> str:
        return f"{self.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"

    def calls(self) -> list[list[str]]:
        """The subcommand and arguments of each call, global options (-C DIR, -c K=V, --flag) removed."""
        result = []
        for line in self.log.read_text().split("\n"):  # not splitlines: formats hold \x1e, \x1f
            if not line:
                continue
            words = line.split()
            while words and words[0] in ("-C", "-c"):
                words = words[2:]
            while words and words[0].startswith("--"):
                words = words[1:]
            result.append(words)
        return result

    def count(self, subcommand: str) -> int:
        return sum(1 for words in self.calls() if words and words[0] == subcommand)

    def reset(self) -> None:
        self.log.write_text("")


# --------------------------------------------------------------------------- built sites


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".csv", ".txt"))


def assert_built(result, what: str = "mkdocs build") -> None:  # noqa: ANN001
    assert result.returncode == 0, f"{what} failed:\n{result.output}"
