"""`sms-docs adopt [PATH] [--dry-run] [--approve-as ROLE]` (SPEC §6).

Four folders written for these tests (tests/adoption_corpora/), each structured the way
real policy sets are: `security-policies` (one folder named "Security Policies", escaped
placeholders, admonitions, footnotes, partial front matter, a non-ASCII file name, an image
beside the documents), `qms` (numbered type folders with sub-folders, SOP numbers in file
names, links up and down between documents, a form beside its SOP, definition and task
lists), `handbook` (no type folder at all: types from titles and sections, content tabs,
code inside a list) and `existing-site` (an MkDocs site with comments and `!!python/name`
tags in mkdocs.yml, documents in docs/, invalid and partial front matter, a procedure
with no process). Each is copied into a fresh git repository, adopted, checked with the
real `sms-docs check` and built with the real `mkdocs build`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from support import AUTHOR, LibraryRepo, describe, read_page, resolve_href

from sms_docs_plugin.adoption.config_file import EXTENSIONS, completed_config, extension_names, plugin_options, read_config
from sms_docs_plugin.model import ID_PATTERN

CORPORA = Path(__file__).resolve().parent / "adoption_corpora"
CORPUS_NAMES = sorted(path.name for path in CORPORA.iterdir() if path.is_dir())
LIBRARY = ("policies", "processes", "procedures")
ROLE = "Head of Service"


def corpus_repo(root: Path, name: str) -> LibraryRepo:
    """The corpus copied into `root`, a git repository with nothing committed yet."""
    shutil.copytree(CORPORA / name, root)
    repo = LibraryRepo(root)
    repo.git("init", "-q", "-b", "main")
    repo.git("config", "user.name", AUTHOR[0])
    repo.git("config", "user.email", AUTHOR[1])
    repo.git("config", "commit.gpgsign", "false")
    return repo


def files(root: Path) -> dict[str, str]:
    """Every file of the folder but git's and the built site's -> sha256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] not in (".git", "site")
    }


def documents(root: Path) -> dict[str, dict]:
    """Library path -> front matter of every document in the library folders."""
    found = {}
    for folder in LIBRARY:
        for path in sorted((root / folder).rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            assert text.startswith("---\n"), f"{path} has no front matter"
            found[path.relative_to(root).as_posix()] = yaml.safe_load(text.split("---\n", 2)[1])
    return found


def check_findings(repo: LibraryRepo) -> list[dict]:
    result = repo.check("--format", "json")
    assert result.returncode in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def errors(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["severity"] == "error"]


def page_of(repo: LibraryRepo, library_path: str) -> Path:
    return repo.site / library_path.removesuffix(".md") / "index.html"


class Adopted:
    """A corpus after `sms-docs adopt`, `sms-docs check` and `mkdocs build`."""

    def __init__(self, repo: LibraryRepo, name: str, approve: bool) -> None:
        self.repo, self.name, self.approve = repo, name, approve
        self.before = files(repo.root)
        self.run = repo.run_cli("adopt", *(("--approve-as", ROLE) if approve else ()))
        self.after = files(repo.root)
        self.findings = check_findings(repo)
        self.built = repo.build()
        self.docs = documents(repo.root)

    def doc(self, suffix: str) -> tuple[str, dict]:
        [found] = [(path, fields) for path, fields in self.docs.items() if path.endswith(suffix)]
        return found


@pytest.fixture(scope="module", params=[(name, approve) for name in CORPUS_NAMES for approve in (False, True)],
                ids=lambda p: f"{p[0]}-{'approved' if p[1] else 'drafts'}")
def adopted(request, tmp_path_factory) -> Adopted:
    name, approve = request.param
    return Adopted(corpus_repo(tmp_path_factory.mktemp("adopt") / name, name), name, approve)


@pytest.fixture(scope="module")
def by_name(tmp_path_factory) -> Callable[[str, bool], Adopted]:
    """Each corpus adopted once as drafts and once approved, for the tests about one corpus."""
    cache: dict[tuple[str, bool], Adopted] = {}

    def get(name: str, approve: bool) -> Adopted:
        if (name, approve) not in cache:
            root = tmp_path_factory.mktemp("adopt-one") / name
            cache[(name, approve)] = Adopted(corpus_repo(root, name), name, approve)
        return cache[(name, approve)]

    return get


# --------------------------------------------------------------------------- every corpus


def test_adopted_library_checks_without_error_and_builds(adopted):
    assert adopted.run.returncode == 0, adopted.run.output
    assert errors(adopted.findings) == [], describe(adopted.findings)
    assert "sms-docs check: 0 error(s)" in adopted.run.stdout
    assert adopted.built.returncode == 0, adopted.built.output
    assert (adopted.repo.site / "index.html").is_file()


def test_every_document_gets_complete_front_matter_with_a_valid_unique_id(adopted):
    assert adopted.docs, "no document in the library folders"
    ids = [fields["id"] for fields in adopted.docs.values()]
    assert all(ID_PATTERN.match(doc_id) for doc_id in ids), ids
    assert len({doc_id.casefold() for doc_id in ids}) == len(ids), ids
    for path, fields in adopted.docs.items():
        assert {"id", "type", "title", "version", "status", "owner"} <= fields.keys(), path
        assert path.startswith({"policy": "policies/", "process": "processes/", "procedure": "procedures/"}[fields["type"]])
        assert isinstance(fields["version"], str), f"{path}: version must be a quoted string"
        if fields["type"] != "policy":
            assert fields["parents"], path


def test_approve_as_approves_every_adopted_document_today_and_publishes_it(adopted):
    for path, fields in adopted.docs.items():
        if not adopted.approve:
            assert fields["status"] == "draft", path
            continue
        assert fields["status"] == "approved", path
        assert fields["approver"] == ROLE, path
        assert str(fields["approved"]) == "2026-06-01", path  # SOURCE_DATE_EPOCH of the suite
        assert page_of(adopted.repo, path).is_file(), f"{path} is not published"


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_links_between_adopted_documents_lead_to_their_pages(by_name, name):
    adopted = by_name(name, True)  # drafts are not published
    checked = 0
    site = adopted.repo.site
    for path in adopted.docs:
        page = page_of(adopted.repo, path)
        article = read_page(page).find("article")
        for _, href in article.links():
            if href.startswith(("#", "http:", "https:", "mailto:")):
                continue
            assert resolve_href(page, unquote(href), site).exists(), f"{path}: {href} leads nowhere"
            checked += 1
    assert checked, "no link between documents was followed"


def test_second_run_changes_nothing(adopted):
    again = adopted.repo.run_cli("adopt", *(("--approve-as", ROLE) if adopted.approve else ()))
    assert again.returncode == 0, again.output
    assert "nothing to change" in again.stdout
    assert files(adopted.repo.root) == adopted.after


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_dry_run_writes_nothing_and_prints_the_plan_the_run_carries_out(tmp_path, name):
    repo = corpus_repo(tmp_path / name, name)
    before = files(repo.root)
    dry = repo.run_cli("adopt", "--dry-run")
    assert dry.returncode == 0, dry.output
    assert files(repo.root) == before
    assert dry.stdout.splitlines()[-1].startswith("dry run: nothing written (")
    run = repo.run_cli("adopt")
    assert run.stdout.splitlines()[: len(dry.stdout.splitlines()) - 1] == dry.stdout.splitlines()[:-1]


# --------------------------------------------------------------------------- guesses and their reasons


def test_types_come_from_folders_then_titles_then_sections(by_name):
    handbook = by_name("handbook", False)
    out = handbook.run.stdout
    assert handbook.doc("information-security-policy.md")[1]["type"] == "policy"
    assert "type     process (its title says `process`)" in out
    assert handbook.doc("log-an-incident.md")[0] == "procedures/handbook/log-an-incident.md"
    assert "type     procedure (its sections read like a procedure's)" in out
    assert "type     policy (nothing names its type" in out  # `Acceptable use`
    qms = by_name("qms", False)
    assert "type     procedure (its folder `03 SOPs` is named so)" in qms.run.stdout


def test_ids_come_from_type_and_file_name_and_keep_a_number_the_file_name_starts_with(by_name):
    qms = by_name("qms", False)
    assert qms.doc("SOP-001 Raise a change request.md")[1]["id"] == "SOP-001"
    assert qms.doc("document-control.md")[1]["id"] == "PRC-DOCUMENT-CONTROL"
    security = by_name("security-policies", False)
    path, fields = security.doc("Zugriffskontrolle – Richtlinie.md")
    assert path == "policies/Zugriffskontrolle – Richtlinie.md"  # the name is kept
    assert fields["id"] == "POL-ZUGRIFFSKONT-RICHTLINIE" and fields["title"] == "Zugriffskontrolle – Richtlinie"


def test_parents_come_from_links_down_and_up_and_the_top_policy_with_the_reason_printed(by_name):
    qms = by_name("qms", False)
    out = qms.run.stdout
    assert qms.doc("SOP-002 Approve a change.md")[1]["parents"] == ["PRC-CHANGE-MANAGEMENT"]
    assert "parents  PRC-CHANGE-MANAGEMENT (PRC-CHANGE-MANAGEMENT link(s) to it)" in out
    assert qms.doc("SOP-010 Control documents.md")[1]["parents"] == ["PRC-DOCUMENT-CONTROL"]
    assert "parents  PRC-DOCUMENT-CONTROL (it links to PRC-DOCUMENT-CONTROL)" in out
    security = by_name("security-policies", False)
    assert security.doc("Clean Desk Policy.md")[1]["parents"] == ["POL-INFORMATION-SECURITY"]
    assert "under the top policy POL-INFORMATION-SECURITY: it links to more of the other policies" in security.run.stdout
    assert "parents" not in security.doc("Information Security Policy.md")[1]


def test_owner_is_read_from_the_text_or_left_to_a_role_to_fill(by_name):
    security = by_name("security-policies", False)
    assert security.doc("Information Security Policy.md")[1]["owner"] == "Chief Information Security Officer"
    assert security.doc("Clean Desk Policy.md")[1]["owner"] == "Policy Owner"
    assert "owner    Policy Owner (no owner is named in its text: set the accountable role)" in security.run.stdout


def test_partial_front_matter_is_kept_and_completed(by_name):
    security = by_name("security-policies", False)
    text = (security.repo.root / "policies/Acceptable Use Policy.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Acceptable Use Policy\nowner: Information Security Manager\nclassification: internal\nid: ")
    site = by_name("existing-site", False)
    backup = (site.repo.root / "policies/backup.md").read_text(encoding="utf-8")
    assert 'version: "2.1"' in backup and "author: Operations team" in backup  # the number quoted; an unknown field kept
    assert site.doc("/backup.md")[1]["status"] == "draft"  # approved, but by no one: not approved
    assert "names no approver or date" in site.run.stdout
    assert site.doc("retention.md")[1]["id"] == "POL-RETENTION"  # `pol-retention` in capitals
    approved = by_name("existing-site", True).doc("/backup.md")[1]
    assert (approved["status"], approved["approver"], approved["version"]) == ("approved", ROLE, "2.1")


def test_a_procedure_with_no_process_in_the_library_is_adopted_as_a_process(by_name):
    site = by_name("existing-site", False)
    path, fields = site.doc("restore-a-backup.md")
    assert (path, fields["type"], fields["parents"]) == ("processes/restore-a-backup.md", "process", ["POL-BACKUP"])
    assert "the library has no process for a procedure to hang under, so it is adopted as a process" in site.run.stdout


# --------------------------------------------------------------------------- files, templates, mkdocs.yml


def test_files_move_into_the_library_folders_with_what_sits_beside_them(by_name):
    qms = by_name("qms", False)
    root = qms.repo.root
    assert (root / "procedures/change-management/change-request-form.csv").is_file()  # moved with its folder
    assert not (root / "01 Policies").exists(), "a folder the moves emptied is removed"
    assert (root / "03 SOPs/documents/README.md").is_file()  # a folder's description is no document
    security = by_name("security-policies", True)
    assert (security.repo.root / "policies/diagrams/access-flow.png").is_file()
    assert (security.repo.root / "README.md").read_text(encoding="utf-8").count(
        "](policies/Information%20Security%20Policy.md)") == 1, "the README's link follows the document"


def test_a_folder_description_inside_a_library_folder_becomes_a_site_page(tmp_path):
    repo = corpus_repo(tmp_path / "handbook", "handbook")
    repo.write("policies/README.md", "# Policies\n\nWhat the policies are for.\n")
    result = repo.run_cli("adopt")
    assert result.returncode == 0, result.output
    assert (repo.root / "content/policies/README.md").is_file() and not (repo.root / "policies/README.md").exists()
    assert errors(check_findings(repo)) == []


def test_templates_are_the_sections_every_document_of_a_type_has(by_name):
    handbook = by_name("handbook", False)
    template = (handbook.repo.root / "templates/procedure.md").read_text(encoding="utf-8")
    assert [line for line in template.split("\n") if line.startswith("## ")] == ["## Purpose", "## Steps"]
    qms = by_name("qms", False)
    template = (qms.repo.root / "templates/procedure.md").read_text(encoding="utf-8")
    assert [line for line in template.split("\n") if line.startswith("## ")] == ["## Summary", "## Responsibilities", "## Steps"]


def test_templates_hold_the_library_to_its_own_structure_from_day_one(tmp_path):
    repo = corpus_repo(tmp_path / "handbook", "handbook")
    assert repo.run_cli("adopt").returncode == 0
    new = repo.run_cli("new", "procedure", "--title", "Close an incident", "--parent", "PRC-INCIDENT-MANAGEMENT")
    assert new.returncode == 0, new.output
    created = repo.root / new.stdout.split()[1]
    assert [line for line in created.read_text(encoding="utf-8").split("\n") if line.startswith("## ")] == ["## Purpose", "## Steps"]
    escalate = repo.root / "procedures/handbook/escalate.md"
    escalate.write_text(escalate.read_text(encoding="utf-8").replace("## Steps", "## What to do"), encoding="utf-8")
    [finding] = errors(check_findings(repo))
    assert (finding["code"], finding["path"]) == ("SMS403", "procedures/handbook/escalate.md")
    assert "`## Steps`" in finding["message"]


def test_a_new_mkdocs_yml_has_material_search_sms_docs_templates_and_the_extensions_in_use(by_name):
    handbook = by_name("handbook", False)
    config = yaml.safe_load((handbook.repo.root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["name"] == "material" and config["docs_dir"] == "content"
    assert config["plugins"] == ["search", {"sms-docs": {"templates": "templates"}}]
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert {"pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tilde"} <= set(names)
    assert "admonition" not in names, "only what the documents use"
    assert (handbook.repo.root / "content/index.md").is_file()
    security = yaml.safe_load((by_name("security-policies", False).repo.root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert {"admonition", "pymdownx.details", "footnotes", "tables"} <= {
        next(iter(e)) if isinstance(e, dict) else e for e in security["markdown_extensions"]
    }


def test_an_existing_mkdocs_yml_keeps_its_comments_and_tags_and_gets_the_plugin(by_name):
    site = by_name("existing-site", False)
    original = (CORPORA / "existing-site/mkdocs.yml").read_text(encoding="utf-8")
    now = (site.repo.root / "mkdocs.yml").read_text(encoding="utf-8")
    assert now.startswith(original.rstrip("\n"))
    assert now[len(original.rstrip("\n")) :] == "\n  - sms-docs:\n      templates: templates\n"


def test_extensions_the_documents_use_render(by_name):
    handbook = by_name("handbook", True)
    page = page_of(handbook.repo, "procedures/handbook/log-an-incident.md").read_text(encoding="utf-8")
    assert "tabbed-set" in page
    assert "Caller: &lt;name&gt;" in page and "<pre" in page, "the fenced code inside the list is code"
    security = by_name("security-policies", True)
    page = read_page(page_of(security.repo, "policies/Acceptable Use Policy.md"))
    assert page.find("div", class_="admonition").text.startswith("Personal use")
    assert "<details" in page_of(security.repo, "policies/Zugriffskontrolle – Richtlinie.md").read_text(encoding="utf-8")


def test_escaped_placeholders_are_not_raw_html(by_name):
    security = by_name("security-policies", True)
    assert [f for f in security.findings if f["code"] == "SMS405"] == []
    text = read_page(page_of(security.repo, "policies/Acceptable Use Policy.md")).find("article").text
    assert "<enter role of process owner>" in text


# --------------------------------------------------------------------------- git history


def test_an_id_used_in_git_history_is_never_given_again(tmp_path):
    repo = corpus_repo(tmp_path / "handbook", "handbook")
    old = "---\nid: POL-ACCEPTABLE-USE\ntype: policy\ntitle: Old\nversion: \"1.0\"\nstatus: draft\nowner: Owner\n---\n# Old\n"
    repo.write("policies/old.md", old)
    repo.commit("An old policy")
    repo.git("rm", "-q", "policies/old.md")
    repo.commit("Withdraw the old policy")
    result = repo.run_cli("adopt")
    assert result.returncode == 0, result.output
    assert documents(repo.root)["policies/handbook/acceptable-use.md"]["id"] == "POL-ACCEPTABLE-USE-2"


def approve_all(repo: LibraryRepo) -> None:
    """Every draft of the library approved by ROLE, as an author would approve it by hand."""
    for path in documents(repo.root):
        file = repo.root / path
        file.write_text(file.read_text(encoding="utf-8").replace(
            "status: draft\n", f"status: approved\napprover: {ROLE}\napproved: 2026-05-04\n", 1), encoding="utf-8")


def test_adopted_drafts_approved_later_check_clean(tmp_path):
    repo = corpus_repo(tmp_path / "qms", "qms")
    assert repo.run_cli("adopt").returncode == 0
    repo.commit("Adopt the QMS as drafts")
    again = repo.run_cli("adopt", "--approve-as", ROLE)
    assert "stay drafts, as their front matter says" in again.stdout  # adopt approves only what it adopts
    approve_all(repo)
    repo.commit("Approve the QMS")
    assert errors(check_findings(repo)) == []
    assert repo.build().returncode == 0


def test_files_committed_before_adoption_check_clean_after_it(tmp_path):
    # Files already in the library folders: git sees the same files gain front matter, so
    # their version 1.0 follows commits without one; `change` says why it exists.
    repo = LibraryRepo.create(tmp_path / "library", commit=False)
    (repo.root / "mkdocs.yml").unlink()
    repo.write("policies/information-security-policy.md", "# Information security policy\n\n## Purpose\n\nProtect.\n")
    repo.write("processes/incident-management.md", "# Incident management\n\n## Purpose\n\nRestore.\n\n"
               "[Escalate](../procedures/escalate.md) a major incident.\n")
    repo.write("procedures/escalate.md", "# Escalate a major incident\n\n## Purpose\n\nCall the duty manager.\n")
    repo.commit("The handbook as it was")
    assert repo.run_cli("adopt").returncode == 0
    found = errors(check_findings(repo))
    assert found == [], describe(found)
    assert documents(repo.root)["procedures/escalate.md"]["change"] == "Brought under document control with sms-docs adopt."
    repo.commit("Adopt the handbook")
    approve_all(repo)
    repo.commit("Approve the handbook")
    found = errors(check_findings(repo))
    assert found == [], describe(found)


# --------------------------------------------------------------------------- setup errors


def test_unreadable_mkdocs_yml_is_a_setup_error_and_changes_nothing(tmp_path):
    repo = corpus_repo(tmp_path / "handbook", "handbook")
    repo.write("mkdocs.yml", "site_name: [unclosed\n")
    before = files(repo.root)
    result = repo.run_cli("adopt")
    assert result.returncode == 2
    assert "mkdocs.yml" in result.stderr and "Traceback" not in result.output
    assert files(repo.root) == before


def test_approve_as_needs_a_role(tmp_path):
    repo = corpus_repo(tmp_path / "handbook", "handbook")
    result = repo.run_cli("adopt", "--approve-as", " ")
    assert result.returncode == 2 and "--approve-as needs the approving role" in result.stderr


# --------------------------------------------------------------------------- mkdocs.yml in every shape MkDocs accepts


@pytest.mark.parametrize(
    "config",
    [
        pytest.param("site_name: X\n", id="no plugins"),
        pytest.param("site_name: X\nplugins: [search]\nmarkdown_extensions: [toc]\n", id="flow lists"),
        pytest.param("site_name: X\nplugins:\n- search\n- sms-docs\n", id="bare entry"),
        pytest.param("site_name: X\nplugins:\n  - search\n  - sms-docs:\n      severity: {SMS208: warning}\n", id="options"),
        pytest.param("site_name: X\nplugins:\n  - sms-docs: {severity: {SMS208: warning}}\n", id="inline options"),
        pytest.param("site_name: X\nplugins:\n  search: {}\n", id="mapping"),
        pytest.param("site_name: X  # ours\nmarkdown_extensions:\n  - toc:\n      permalink: true\n# kept\n", id="comments"),
    ],
)
def test_mkdocs_yml_gets_the_plugin_its_templates_and_extensions_once_whatever_its_shape(config):
    needed = [e for e in EXTENSIONS if e.name in ("admonition", "pymdownx.tabbed")]
    text = completed_config(config, read_config(config), "templates", needed)
    data = read_config(text)
    assert plugin_options(data)["templates"] == "templates"
    assert str(data["plugins"]).count("sms-docs") == 1
    assert {"admonition", "pymdownx.tabbed"} <= extension_names(data)
    if "severity" in config:
        assert plugin_options(data)["severity"] == {"SMS208": "warning"}
    for line in config.splitlines():
        if "#" in line:
            assert line in text.splitlines(), f"{line!r} was lost"
    assert completed_config(text, data, "templates", needed) == text


def test_files_adopt_cannot_read_are_left_with_the_reason_and_nothing_crashes(tmp_path):
    repo = corpus_repo(tmp_path / "odd", "handbook")
    repo.write("misc/binary.md", b"\x89PNG\x00\x00")
    repo.write("misc/unclosed.md", "---\nid: X-1\n# never closed\n")
    repo.write("policies/broken.md", "---\nid: [unclosed\n---\n# Broken\n")
    repo.write("misc/empty.md", "")
    repo.write("misc/Политика.md", "# Только кириллица\n\n## Purpose\n\nТекст.\n")
    repo.write("misc/crlf-policy.md", b"\xef\xbb\xbf# A policy\r\n\r\n## Purpose\r\n\r\nText.\r\n")
    result = repo.run_cli("adopt")
    assert result.returncode == 1, result.output  # the broken front matter stays an error for its author
    assert "Traceback" not in result.output
    assert "misc/binary.md: left where it is (not UTF-8 text" in result.stdout
    assert "misc/unclosed.md: left where it is (its front matter opened by `---` on line 1 is never closed" in result.stdout
    assert "policies/broken.md: left where it is (line 3: front matter is not valid YAML" in result.stdout
    assert [f["code"] for f in errors(check_findings(repo))] == ["SMS101"]
    text = (repo.root / "policies/misc/Политика.md").read_text(encoding="utf-8")
    assert yaml.safe_load(text.split("---\n", 2)[1])["id"] == "POL-001"  # no ASCII letter in the name: a number
    raw = (repo.root / "policies/misc/crlf-policy.md").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf---\r\nid: POL-CRLF\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
