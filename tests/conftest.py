"""Fixtures: real library repositories in tmp_path, and the two doors run on them.

- `make_library(*docs, options=...)` writes mkdocs.yml, content/index.md and the documents,
  then `git init` and one commit with fixed dates. It returns a `LibraryRepo`
  (tests/support.py) that can write raw files, commit, build and check.
- `clean_library`: root policy › process-specific policy › process › procedure, no finding.
- `run_cli(repo, *args)`: `sms-docs` in-process (cli.main) from the library folder.
- `findings_of(repo)`: the findings of `sms-docs check --format json`, in-process.
- `repo.check(...)` / `repo.build(...)`: `sms-docs check` and `mkdocs build` as real processes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import SOURCE_DATE_EPOCH, DocSpec, LibraryRepo, clean_docs

from sms_docs_plugin.cli import main as cli_main


@pytest.fixture(autouse=True)
def _quiet_and_dated(monkeypatch: pytest.MonkeyPatch) -> None:
    # Material prints a banner about MkDocs 2 unless told not to; a fixed "today"
    # keeps review dates from falling due as the suite ages.
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)


MakeLibrary = Callable[..., LibraryRepo]


@pytest.fixture
def make_library(tmp_path: Path) -> MakeLibrary:
    counter = iter(range(1000))

    def make(*docs: DocSpec, options: dict | None = None, commit: bool = True, name: str | None = None) -> LibraryRepo:
        root = tmp_path / (name or f"library{next(counter)}")
        return LibraryRepo.create(root, docs, options, commit=commit)

    return make


@pytest.fixture
def clean_library(make_library: MakeLibrary) -> LibraryRepo:
    return make_library(*clean_docs(), name="clean")


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict:
        return json.loads(self.stdout)


RunCli = Callable[..., CliResult]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """`sms-docs ARGS` in-process, from the library folder, as a user would run it there."""

    def run(repo: LibraryRepo | Path, *args: str) -> CliResult:
        monkeypatch.chdir(repo.root if isinstance(repo, LibraryRepo) else repo)
        capsys.readouterr()
        try:
            code = cli_main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


FindingsOf = Callable[..., list[dict]]


@pytest.fixture
def findings_of(run_cli: RunCli) -> FindingsOf:
    """Every finding of `sms-docs check --format json` on a library, as the JSON dicts."""

    def findings(repo: LibraryRepo, *extra: str) -> list[dict]:
        result = run_cli(repo, "check", "--format", "json", *extra)
        assert result.exit_code in (0, 1), f"check exited {result.exit_code}: {result.stderr}"
        return result.json["findings"]

    return findings
