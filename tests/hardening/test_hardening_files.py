"""The files of a library: what beside a document is published, one address per file, names
the site can hold, submodules, and active content (HTML, script in SVG) in the library folders.

SPEC §1: files beside a document are published only with a published document that links
them; a restricted or draft document's attachments are not published. Two files never
share an address silently (SMS106), and a file name the build cannot write is a finding at
check time, not a crash of the build.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from support import LibraryRepo, clean_docs, default_body, doc, read_page, subprocess_env
from support_hardening import built, check_json, codes, files_containing, site_files

# --------------------------------------------------------------------------- attachments

PUBLIC = "procedures/pro-pub-001.md"


def linking_body(doc_id: str, *lines: str) -> str:
    return default_body(doc_id, "procedure", "Body heading") + "\n" + "\n\n".join(lines) + "\n"


def attachment(marker: str) -> bytes:
    return f"%PDF-1.4\n% {marker}\n".encode()


def svg(marker: str, extra: str = "") -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg"><title>{marker}</title>{extra}</svg>\n'.encode()


ATTACHMENTS = {
    "procedures/pub-flow.svg": svg("PUBFLOW1a"),
    "procedures/forms/pub form.pdf": attachment("PUBFORM2b"),
    "procedures/pub-guide.pdf": attachment("PUBGUIDE3c"),
    "procedures/shared.svg": svg("SHARED4d"),
    "procedures/res-secret.svg": svg("RESSECRET5e"),
    "procedures/res-secret.pdf": attachment("RESSECRET6f"),
    "procedures/draft-plan.pdf": attachment("DRAFTPLAN7a"),
    "procedures/loose.pdf": attachment("LOOSE8b"),
    "procedures/code-only.svg": svg("CODEONLY9c"),
    "procedures/old-annex.pdf": attachment("OLDANNEX0d"),
}
UNPUBLISHED = ("RESSECRET", "DRAFTPLAN", "LOOSE", "CODEONLY", "OLDANNEX")


def attachment_docs(version: str = "1.1", old_link: bool = False) -> list:
    public_lines = [
        "![The flow](pub-flow.svg)",
        "[The form](<forms/pub form.pdf>) and [the guide][guide], also [shared](./shared.svg#top).",
        "[guide]: pub-guide.pdf \"The guide\"",
        "In code only: `![x](code-only.svg)`",
    ]
    if old_link:
        public_lines.append("[The old annex](old-annex.pdf)")
    fields = {"version": version, "approved": date(2026, 2, 1), "change": "Dropped the old annex."}
    if old_link:
        fields = {}
    return [
        doc("PRO-PUB-001", "procedure", ["PRC-INC"], path=PUBLIC, body=linking_body("PRO-PUB-001", *public_lines),
            **fields),
        doc("PRO-RES-001", "procedure", ["PRC-INC"], classification="restricted",
            body=linking_body("PRO-RES-001", "![secret](res-secret.svg) [pdf](res-secret.pdf) ![s](shared.svg)")),
        doc("PRO-DRA-001", "procedure", ["PRC-INC"], status="draft",
            body=linking_body("PRO-DRA-001", "[plan](draft-plan.pdf)")),
    ]


@pytest.fixture(scope="module")
def attachments_repo(tmp_path_factory) -> LibraryRepo:
    """PRO-PUB-001 1.0 linked the old annex; 1.1 no longer does."""
    root = tmp_path_factory.mktemp("attachments") / "library"
    repo = LibraryRepo.create(root, [*clean_docs(), *attachment_docs("1.0", old_link=True)], commit=False)
    for rel, data in ATTACHMENTS.items():
        repo.write(rel, data)
    repo.commit("Documents with attachments")
    repo.add(attachment_docs()[0])
    repo.commit("Drop the old annex", when="2026-02-01T10:00:00+00:00")
    return repo


@pytest.fixture(scope="module")
def attachments_site(attachments_repo: LibraryRepo) -> LibraryRepo:
    result, report = check_json(attachments_repo)
    assert result.returncode == 0, report["findings"]
    build = built(attachments_repo, "--strict")
    assert build.returncode == 0, build.stderr[-3000:]
    return attachments_repo


def test_an_attachment_linked_by_a_published_document_is_published(attachments_site):
    site = attachments_site.site
    for rel in ("procedures/pub-flow.svg", "procedures/forms/pub form.pdf", "procedures/pub-guide.pdf",
                "procedures/shared.svg"):
        assert (site / rel).read_bytes() == ATTACHMENTS[rel], rel
    page = read_page(attachments_site.page(PUBLIC))
    hrefs = {href for _, href in page.links()}
    assert "../pub-guide.pdf" in hrefs and "../forms/pub%20form.pdf" in hrefs, sorted(hrefs)


def test_attachments_of_restricted_or_draft_documents_and_unlinked_files_are_not_published(attachments_site):
    for marker in UNPUBLISHED:
        assert files_containing(attachments_site.site, marker) == [], marker
    names = {Path(rel).name for rel in site_files(attachments_site.site)}
    assert not names & {"res-secret.svg", "res-secret.pdf", "draft-plan.pdf", "loose.pdf", "code-only.svg",
                        "old-annex.pdf"}


def test_a_past_version_links_an_unpublished_attachment_as_text(attachments_site):
    past = attachments_site.site / "procedures" / "pro-pub-001.v1.0" / "index.html"
    page = read_page(past)
    assert "The old annex" in page.text
    assert not [href for _, href in page.links() if "old-annex" in href]
    assert [href for _, href in page.links() if href.endswith("pub-guide.pdf")], "a published attachment stays linked"


def test_attachments_follow_their_documents_when_drafts_and_restricted_documents_are_published(
    attachments_repo, tmp_path
):
    attachments_repo.write_config({"publish_drafts": True, "include_restricted": True})
    try:
        build = built(attachments_repo, "--site-dir", str(tmp_path / "site"))
        assert build.returncode == 0, build.stderr[-3000:]
        site = tmp_path / "site"
        for rel in ("procedures/res-secret.svg", "procedures/res-secret.pdf", "procedures/draft-plan.pdf"):
            assert (site / rel).read_bytes() == ATTACHMENTS[rel], rel
        assert files_containing(site, "LOOSE8b") == [] and files_containing(site, "OLDANNEX0d") == []
    finally:
        attachments_repo.write_config(None)


# --------------------------------------------------------------------------- active content

ACTIVE = {
    "procedures/script.svg": svg("ACTIVESVG1", "<script>alert(1)</script>"),
    "procedures/handler.svg": svg("ACTIVESVG2", '<rect onload="alert(1)"/>'),
    "procedures/link.svg": svg("ACTIVESVG3", '<a href=" jav&#x61;script:alert(1)"><text>x</text></a>'),
    "procedures/page.html": b"<html><body><p>ACTIVEHTML4</p></body></html>",
}
INERT = {"procedures/clean.svg": svg("INERTSVG5", '<a href="https://example.org/"><text>x</text></a>')}


def active_library(make_library, **options) -> LibraryRepo:
    links = " ".join(f"[{Path(rel).stem}]({Path(rel).name})" for rel in [*ACTIVE, *INERT])
    repo = make_library(
        *clean_docs(),
        doc("PRO-PUB-001", "procedure", ["PRC-INC"], body=linking_body("PRO-PUB-001", links)),
        options=options or None,
        commit=False,
    )
    for rel, data in {**ACTIVE, **INERT}.items():
        repo.write(rel, data)
    repo.commit("Active attachments")
    return repo


def test_active_content_beside_documents_is_an_html_finding_when_html_is_not_allowed(make_library):
    repo = active_library(make_library)
    result, report = check_json(repo)
    found = sorted((f["path"], f["line"]) for f in report["findings"] if f["code"] == "SMS405")
    assert found == sorted((rel, 1) for rel in ACTIVE), report["findings"]
    assert result.returncode == 1
    messages = {f["path"]: f["message"] for f in report["findings"]}
    assert "<script>" in messages["procedures/script.svg"] and "allow_html" in messages["procedures/script.svg"]
    assert "onload" in messages["procedures/handler.svg"]
    assert "javascript:" in messages["procedures/link.svg"]
    build = built(repo)
    assert build.returncode != 0 and "procedures/script.svg:1: SMS405 error" in build.stderr


def test_active_content_is_never_published_when_html_is_not_allowed_even_with_the_rule_off(make_library):
    repo = active_library(make_library, severity={"SMS405": "off"})
    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    assert "'script.svg'" in build.stderr, "MkDocs says the link leads nowhere"
    for marker in ("ACTIVESVG1", "ACTIVESVG2", "ACTIVESVG3", "ACTIVEHTML4"):
        assert files_containing(repo.site, marker) == [], marker
    assert (repo.site / "procedures" / "clean.svg").read_bytes() == INERT["procedures/clean.svg"]


def test_active_content_is_published_when_html_is_allowed(make_library):
    repo = active_library(make_library, allow_html=True)
    result, report = check_json(repo)
    assert "SMS405" not in codes(report["findings"]) and result.returncode == 0, report["findings"]
    build = built(repo, "--strict")
    assert build.returncode == 0, build.stderr[-3000:]
    for rel, data in ACTIVE.items():
        assert (repo.site / rel).read_bytes() == data


# --------------------------------------------------------------------------- two files, one address


def pair(first: str, second: str) -> list:
    """Two procedures whose files publish at one address (the second written as is)."""
    return [
        doc("PRO-ONE-001", "procedure", ["PRC-INC"], path=first),
        doc("PRO-TWO-001", "procedure", ["PRC-INC"], path=second),
    ]


@pytest.mark.parametrize(
    ("first", "second", "words"),
    [
        ("procedures/pro-a.md", "procedures/pro-a/index.md", "same address"),
        ("procedures/pro-a.md", "procedures/pro-a.markdown", "same address"),
        ("procedures/x/README.md", "procedures/x/index.md", "same address"),
        ("procedures/pro-x.md", "procedures/pro-x.history.md", "version history"),
        ("procedures/pro-x.md", "procedures/pro-x.changes.md", "changes"),
        ("procedures/pro-x.md", "procedures/pro-x.v1.0.md", "version 1.0"),
        ("procedures/Abc.md", "procedures/abc.md", "case"),
        ("procedures/caf\u00e9.md", "procedures/cafe\u0301.md", "Unicode"),
    ],
)
def test_two_files_at_one_address_are_an_error_naming_both(make_library, run_cli, first, second, words):
    repo = make_library(*clean_docs(), *pair(first, second))
    result = run_cli(repo, "check", "--format", "json")
    findings = [f for f in result.json["findings"] if f["code"] == "SMS106"]
    assert len(findings) == 1, result.json["findings"]
    finding = findings[0]
    assert finding["severity"] == "error" and finding["line"] == 1
    assert {finding["path"], *[p for p in (first, second) if p in finding["message"]]} == {first, second}, finding
    assert words in finding["message"], finding["message"]
    assert result.exit_code == 1


def test_a_page_of_the_site_folder_at_a_document_address_is_an_error(make_library, run_cli):
    repo = make_library(*clean_docs(), commit=False)
    repo.write("content/procedures/pro-inc-001.md", "# A copy\n")
    repo.write("content/register.md", "# My own register\n")
    repo.commit("Pages at taken addresses")
    result = run_cli(repo, "check", "--format", "json")
    found = {f["path"]: f["message"] for f in result.json["findings"] if f["code"] == "SMS106"}
    assert set(found) == {"content/procedures/pro-inc-001.md", "content/register.md"}, result.json["findings"]
    assert "procedures/pro-inc-001.md" in found["content/procedures/pro-inc-001.md"]
    assert "Register" in found["content/register.md"]
    assert result.exit_code == 1


def test_a_page_of_the_site_folder_never_replaces_a_page_of_the_plugin(make_library):
    repo = make_library(*clean_docs(), options={"severity": {"SMS106": "off"}}, commit=False)
    repo.write("content/register.md", "# My own register OWNREGISTER\n")
    repo.commit("A page at the register's address")
    build = built(repo, "--strict")
    assert build.returncode == 0, build.stderr[-3000:]
    assert files_containing(repo.site, "OWNREGISTER") == []
    assert "PRO-INC-001" in (repo.site / "register" / "index.html").read_text(encoding="utf-8")


RESTRICTED_MARKER = "RESTRICTEDCOPY3e9a"


def test_a_copy_of_a_restricted_document_in_the_site_folder_is_never_published(make_library):
    restricted = doc("PRO-RES-001", "procedure", ["PRC-INC"], classification="restricted",
                     title=f"Secret {RESTRICTED_MARKER}")
    repo = make_library(*clean_docs(), restricted, options={"severity": {"SMS106": "off"}}, commit=False)
    repo.write("content/procedures/pro-res-001.md", restricted.text())
    repo.commit("A copy in the site folder")
    on = make_library(*clean_docs(), restricted, commit=False)
    on.write("content/procedures/pro-res-001.md", restricted.text())
    on.commit("A copy in the site folder")

    result, report = check_json(on)
    assert [(f["path"], f["code"]) for f in report["findings"]] == [("content/procedures/pro-res-001.md", "SMS106")]
    failed = built(on)
    assert failed.returncode != 0 and "content/procedures/pro-res-001.md:1: SMS106 error" in failed.stderr

    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    assert files_containing(repo.site, RESTRICTED_MARKER) == []


def test_every_page_the_plugin_generates_is_reserved(clean_library, run_cli):
    """The check knows every address the plugin itself writes at the top of the site."""
    from sms_docs_plugin.publication import RESERVED

    build = built(clean_library)
    assert build.returncode == 0, build.stderr[-3000:]
    generated = {
        path.name for path in clean_library.site.iterdir()
        if path.name not in {"index.html", "404.html", "assets", "search", "sitemap.xml", "sitemap.xml.gz",
                             "policies", "processes", "procedures"}
    }
    reserved = {name.removesuffix(".md") for name in RESERVED if "/" not in name}
    assert generated == reserved - {"findings"}  # the findings page is written only by `mkdocs serve`


# --------------------------------------------------------------------------- names the site cannot hold


def test_a_file_name_too_long_for_its_generated_pages_is_a_finding_not_a_crash(make_library):
    name = "p" * 248 + ".md"  # fits the file system; `<stem>.history` does not
    repo = make_library(*clean_docs(), doc("PRO-LONG-001", "procedure", ["PRC-INC"], path=f"procedures/{name}"))
    result, report = check_json(repo)
    found = [f for f in report["findings"] if f["code"] == "SMS106"]
    assert [(f["path"], f["line"]) for f in found] == [(f"procedures/{name}", 1)], report["findings"]
    assert "too long" in found[0]["message"]
    build = built(repo)
    assert build.returncode != 0 and "SMS106 error" in build.stderr
    assert "ENAMETOOLONG" not in build.output and "File name too long" not in build.output


def test_a_name_of_ordinary_length_is_accepted(make_library):
    name = "p" * 190 + ".md"
    repo = make_library(*clean_docs(), doc("PRO-LONG-001", "procedure", ["PRC-INC"], path=f"procedures/{name}"))
    result, report = check_json(repo)
    assert result.returncode == 0, report["findings"]


@pytest.mark.parametrize("name", ["pro-up-001.MD", "pro-up-001.Md", "pro-up-001.MARKDOWN"])
def test_a_document_whose_suffix_mkdocs_does_not_render_is_a_finding_and_not_published_raw(make_library, name):
    spec = doc("PRO-UP-001", "procedure", ["PRC-INC"], path=f"procedures/{name}", title="Upper SUFFIXMARK")
    repo = make_library(*clean_docs(), spec, options={"severity": {"SMS106": "off"}})
    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    assert files_containing(repo.site, "status: approved") == [], "the source with its front matter is published"
    on = make_library(*clean_docs(), spec)
    result, report = check_json(on)
    found = [f for f in report["findings"] if f["code"] == "SMS106"]
    assert [f["path"] for f in found] == [f"procedures/{name}"] and ".md" in found[0]["message"], report["findings"]


@pytest.mark.parametrize("suffix", [".mkd", ".mdown", ".mkdn"])
def test_other_markdown_suffixes_are_documents_checked_like_md_files(make_library, suffix):
    repo = make_library(*clean_docs(), commit=False)
    repo.write(f"procedures/sneaky{suffix}", "# Unchecked page SNEAKYMARK\n")
    repo.commit("A page in another Markdown suffix")
    result, report = check_json(repo)
    assert [(f["path"], f["code"]) for f in report["findings"]] == [(f"procedures/sneaky{suffix}", "SMS101")]
    assert result.returncode == 1


# --------------------------------------------------------------------------- submodules


def git(cwd: Path, *args: str) -> None:
    done = subprocess.run(["git", *args], cwd=cwd, env=subprocess_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_submodule_in_a_library_folder_is_not_read_and_says_so(make_library, tmp_path):
    vendor = tmp_path / "vendor"
    vendor.mkdir()
    (vendor / "pro-ven-001.md").write_text(doc("PRO-VEN-001", "procedure", ["PRC-INC"]).text(), encoding="utf-8")
    git(vendor, "init", "-q", "-b", "main")
    git(vendor, "add", "-A")
    git(vendor, "commit", "-q", "-m", "Vendor procedures")
    repo = make_library(*clean_docs())
    git(repo.root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(vendor), "procedures/vendor")
    repo.commit("Vendor procedures as a submodule")
    embedded = repo.root / "processes" / "embedded"
    embedded.mkdir()
    (embedded / "prc-emb.md").write_text(doc("PRC-EMB", "process", ["POL-INC"]).text(), encoding="utf-8")
    git(embedded, "init", "-q", "-b", "main")

    result, report = check_json(repo)
    assert report["documents"] == 4, "the submodule's documents are not read"
    found = sorted((f["path"], f["code"], f["severity"]) for f in report["findings"])
    assert found == [("procedures/vendor", "SMS107", "warning"), ("processes/embedded", "SMS107", "warning")]
    assert all("not read" in f["message"] for f in report["findings"])
    assert result.returncode == 0
    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    assert files_containing(repo.site, "PRO-VEN-001") == [] and files_containing(repo.site, "PRC-EMB") == []


def test_a_version_number_too_long_for_its_page_name_is_a_finding(make_library):
    spec = doc("PRO-VER-001", "procedure", ["PRC-INC"], version="1." + "9" * 60)
    repo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    found = [f for f in report["findings"] if f["code"] == "SMS103"]
    assert [f["line"] for f in found] == [spec.line_of("version")] and "digits" in found[0]["message"], found
    assert result.returncode == 1
