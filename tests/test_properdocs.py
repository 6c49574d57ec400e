"""The sample builds under ProperDocs, the maintained fork of MkDocs 1.6, as under MkDocs
(SPEC §1: the same mkdocs.yml builds with either).

ProperDocs is installed with the test extras; its `properdocs` command reads mkdocs.yml
when there is no properdocs.yml, and runs our plugin from its `properdocs.plugins` entry.
"""

from __future__ import annotations

import importlib.metadata
import subprocess

import pytest
from sample_site import SAMPLE_EPOCH, build_sample, sample_repo
from support import VENV_BIN, Completed, LibraryRepo, snapshot, subprocess_env

PROPERDOCS = VENV_BIN / "properdocs"


def properdocs_build(repo: LibraryRepo, *args: str) -> Completed:
    done = subprocess.run(
        [str(PROPERDOCS), "build", *args], cwd=repo.root, env=subprocess_env(SOURCE_DATE_EPOCH=SAMPLE_EPOCH),
        capture_output=True, text=True, check=False,
    )
    return Completed(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[LibraryRepo, dict[str, str], dict[str, str]]:
    """The sample built with `mkdocs build --strict`, then with `properdocs build --strict`."""
    assert PROPERDOCS.is_file(), "ProperDocs is part of the test extras: run `make setup`"
    repo = sample_repo(tmp_path_factory.mktemp("properdocs") / "sample")
    by_mkdocs = build_sample(repo)
    assert by_mkdocs.returncode == 0, by_mkdocs.output
    mkdocs_site = snapshot(repo.site)
    by_properdocs = properdocs_build(repo, "--strict")
    assert by_properdocs.returncode == 0, by_properdocs.output
    return repo, mkdocs_site, snapshot(repo.site)


def test_plugin_is_registered_for_properdocs_as_for_mkdocs():
    for group in ("mkdocs.plugins", "properdocs.plugins"):
        [entry] = [e for e in importlib.metadata.entry_points(group=group) if e.name == "sms-docs"]
        assert entry.value == "sms_docs_plugin.plugin:SmsDocsPlugin", group


def test_sample_builds_strictly_under_properdocs_with_every_page_mkdocs_builds(both):
    _, by_mkdocs, by_properdocs = both
    assert sorted(by_properdocs) == sorted(by_mkdocs)
    for page in ("register/index.html", "hierarchy/index.html", "archive/index.html", "register.csv",
                 "procedures/incident/pro-inc-002-log-and-classify/index.html"):
        assert page in by_properdocs, page


def test_document_pages_under_properdocs_carry_the_panel_and_relations(both):
    repo, by_mkdocs, by_properdocs = both
    page = (repo.site / "procedures/incident/pro-inc-002-log-and-classify/index.html").read_text(encoding="utf-8")
    for marker in ('class="sms-meta-id"', "PRO-INC-002", 'class="sms-breadcrumbs"', 'class="sms-doc-footer"'):
        assert marker in page, marker
    assert by_properdocs["register.csv"] == by_mkdocs["register.csv"]


def test_strict_properdocs_build_failing_on_a_warning_keeps_the_site(both):
    # ProperDocs logs its own warnings under `properdocs`, not `mkdocs`: the plugin must count
    # them too, or a strict build that aborts would already have published its site.
    repo, _, by_properdocs = both
    repo.write("content/index.md", (repo.root / "content/index.md").read_text(encoding="utf-8") + "\n[Gone](gone.md)\n")
    repo.commit("A broken link in the home page")
    failed = properdocs_build(repo, "--strict")
    assert failed.returncode != 0
    assert "gone.md" in failed.output
    assert snapshot(repo.site) == by_properdocs
