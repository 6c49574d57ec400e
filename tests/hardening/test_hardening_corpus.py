"""A corpus of bad libraries, each a small git repository built here: every one gives
findings or a clear error through both doors (`sms-docs check`, `mkdocs build`), never a
traceback, and nothing outside the repository is ever read into the site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support import LibraryRepo, Raw, clean_docs, doc, line_of, read_page
from support_hardening import (
    assert_no_traceback,
    built,
    check_json,
    checked,
    chown_tree,
    codes,
    copy_repo,
    files_containing,
    outside_files,
    run_door,
    safe_doc,
    tree_files,
)

GIT_STRICT = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def bad_library(make_library, path: str, content: str | bytes, **options) -> LibraryRepo:
    """The clean library plus one bad file, committed."""
    repo = make_library(*clean_docs(), options=options or None, commit=False)
    repo.write(path, content)
    repo.commit("Add a bad document")
    return repo


def spec_text(doc_id: str = "PRO-BAD-001", **fields) -> tuple[str, str]:
    """(path, text) of a procedure under PRC-INC with `fields` overridden."""
    parents = fields.pop("parents", None)
    spec = doc(doc_id, "procedure", ["PRC-INC"], **fields)
    if parents is not None:
        spec.fields["parents"] = parents
    return spec.path, spec.text()


# --------------------------------------------------------------------------- every SMS1xx case


def _cases() -> list[tuple[str, str, str | bytes, str, int, str]]:
    """(name, path, content, code, line, words of the message)."""
    cases = []

    def add(name, path, content, code, line, words):
        cases.append(pytest.param(path, content, code, line, words, id=name))

    add("no-front-matter", "procedures/plain.md", "# Just a heading\n\nSome text.\n", "SMS101", 1, "no front matter")
    add("unclosed-front-matter", "procedures/open.md", "---\nid: PRO-OPEN-001\ntype: procedure\n", "SMS101", 1,
        "never closed")
    text = "---\nid: PRO-TAB-001\n\ttype: procedure\n---\n# T\n"
    add("yaml-tab", "procedures/tab.md", text, "SMS101", 3, "not valid YAML")
    text = '---\nid: PRO-QUOTE-001\ntitle: "never closed\n---\n# T\n'
    add("yaml-unclosed-quote", "procedures/quote.md", text, "SMS101", 3, "not valid YAML")
    text = "---\nid: PRO-NUL-001\ntitle: a\0b\n---\n# T\n"
    add("yaml-control-character", "procedures/nul.md", text, "SMS101", 3, "not valid YAML")
    add("front-matter-a-list", "procedures/list.md", "---\n- id\n- type\n---\n# T\n", "SMS101", 1, "mapping")
    add("front-matter-a-scalar", "procedures/scalar.md", "---\njust words\n---\n# T\n", "SMS101", 1, "mapping")
    path, text = spec_text()
    twice = text.replace("owner: Service Owner\n", "owner: Service Owner\nowner: Other Role\n")
    add("key-twice", path, twice, "SMS101", line_of(text, "owner") + 1, "given twice")
    add("not-utf8", "procedures/latin1.md", b"---\nid: PRO-LAT-001\ntitle: caf\xe9\n---\n", "SMS101", 3, "not UTF-8")
    path, text = spec_text(owner=None)
    add("required-missing", path, text, "SMS102", 1, "`owner` is missing")
    path, text = spec_text(owner=Raw("~"))
    add("required-empty", path, text, "SMS102", line_of(text, "owner"), "`owner` is empty")
    for field, value, words in (
        ("id", "pro-bad-001", "PRO-BAD-001"),
        ("type", "guideline", "not one of policy, process, procedure"),
        ("status", "final", "not one of"),
        ("classification", "secret", "not one of"),
        ("approved", "2026-13-45", "YYYY-MM-DD"),
        ("review", "next year", "YYYY-MM-DD"),
        ("version", "v1", "MAJOR.MINOR"),
        ("version", Raw("1.10"), 'version: "1.10"'),
        ("version", Raw("2"), "quoted"),
        ("title", Raw("[a, b]"), "single value"),
        ("parents", Raw("{a: b}"), "list"),
    ):
        path, text = spec_text(**{field: value})
        add(f"invalid-{field}-{value}", path, text, "SMS103", line_of(text, field), words)
    path, text = spec_text(titel="Typo")
    add("unknown-field", path, text, "SMS104", line_of(text, "titel"), "did you mean `title`")
    spec = doc("PRC-MOVED", "process", parents=["POL-INC"], folder="procedures")
    add("type-not-folder", spec.path, spec.text(), "SMS105", spec.line_of("type"), "procedure folder")
    return cases


@pytest.mark.parametrize(("path", "content", "code", "line", "words"), _cases())
def test_every_front_matter_problem_is_a_finding_at_its_line_through_both_doors(
    make_library, path, content, code, line, words
):
    repo = bad_library(make_library, path, content)
    result, report = check_json(repo)
    found = [f for f in report["findings"] if f["path"] == path and f["code"] == code]
    assert found, f"no {code} for {path}: {report['findings']}"
    assert found[0]["line"] == line, found
    assert words in found[0]["message"], found[0]["message"]
    is_error = found[0]["severity"] == "error"
    assert result.returncode == (1 if is_error else 0)

    build = built(repo)
    if is_error:
        assert build.returncode != 0
        assert f"{path}:{line}: {code} error" in build.stderr
        assert not repo.site.exists(), "a failed build published a site"
    else:
        assert build.returncode == 0, build.stderr[-3000:]
        assert f"{path}:{line}: {code} warning" in build.stderr


# --------------------------------------------------------------------------- odd files


def test_an_empty_file_is_a_missing_front_matter_finding(make_library):
    repo = bad_library(make_library, "procedures/empty.md", b"")
    result, report = check_json(repo)
    assert result.returncode == 1
    assert [(f["path"], f["line"], f["code"]) for f in report["findings"]] == [("procedures/empty.md", 1, "SMS101")]
    assert built(repo).returncode != 0


def test_front_matter_without_a_body_is_read_and_judged_by_the_template_rule(make_library):
    path, text = spec_text()
    front_matter_only = text[: text.index("---\n", 4) + 3]  # the closing fence, no newline, no body
    repo = bad_library(make_library, path, front_matter_only)
    result, report = check_json(repo)
    assert report["documents"] == 5, "a document without a body is still a document"
    assert codes(report["findings"]) == ["SMS403"], report["findings"]
    assert result.returncode == 1
    assert built(repo).returncode != 0


def test_a_five_megabyte_document_is_checked_and_published(make_library):
    spec = doc("PRO-BIG-001", "procedure", parents=["PRC-INC"])
    words = " ".join(f"word{i}" for i in range(80))
    count = 11 * 1024 * 1024 // 2 // len(f"\nParagraph 1000: {words}.\n")
    paragraphs = "".join(f"\nParagraph {i}: {words}.\n" for i in range(count))
    repo = make_library(*clean_docs(), doc("PRO-BIG-001", "procedure", parents=["PRC-INC"], body=spec.body + paragraphs))
    assert (repo.root / spec.path).stat().st_size > 5 * 1024 * 1024
    result, report = check_json(repo)
    assert result.returncode == 0 and report["findings"] == [], report["findings"]
    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    page = repo.doc_page("PRO-BIG-001").read_text(encoding="utf-8")
    assert f"Paragraph {count - 1}: word0" in page, "the end of the document is published"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 4, id="png-header"),
        pytest.param(b"\0" * 4096, id="nul-bytes"),
        pytest.param(b"\xff\xfe-\0-\0-\0\n\0", id="utf16"),
    ],
)
def test_binary_bytes_named_md_are_a_finding(make_library, content):
    repo = bad_library(make_library, "procedures/picture.md", content)
    result, report = check_json(repo)
    assert result.returncode == 1
    assert [(f["path"], f["code"]) for f in report["findings"]] == [("procedures/picture.md", "SMS101")]
    build = built(repo)
    assert build.returncode != 0 and "procedures/picture.md:" in build.stderr


# --------------------------------------------------------------------------- symbolic links


OUTSIDE_MARKER = "OUTSIDE-THE-REPOSITORY-7f3a"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the repository, holding a document-looking file with a marker."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    spec = doc("PRO-OUT-001", "procedure", parents=["PRC-INC"], title=f"Title {OUTSIDE_MARKER}")
    (folder / "secret.md").write_text(spec.text() + f"\n{OUTSIDE_MARKER} in the body.\n", encoding="utf-8")
    (folder / "secret.png").write_bytes(b"\x89PNG" + OUTSIDE_MARKER.encode())
    return folder


def test_symbolic_links_leaving_the_repository_are_refused_and_never_read(make_library, outside):
    repo = make_library(*clean_docs(), options={"severity": {"SMS101": "warning"}}, commit=False)
    links = {
        "procedures/absolute.md": outside / "secret.md",
        "procedures/relative.md": Path(os.path.relpath(outside / "secret.md", repo.root / "procedures")),
        "procedures/image.png": outside / "secret.png",
        "procedures/folder": outside,
        "policies/sub/deep.md": outside / "secret.md",
    }
    for rel, target in links.items():
        (repo.root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, repo.root / rel)
    repo.commit("Links")

    result, report = check_json(repo)
    refused = sorted(f["path"] for f in report["findings"] if f["code"] == "SMS101")
    assert refused == sorted(links), report["findings"]
    assert all("outside the repository" in f["message"] for f in report["findings"] if f["code"] == "SMS101")
    assert OUTSIDE_MARKER not in result.stdout + result.stderr
    assert report["documents"] == 4, "a refused link must not become a document"

    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    assert OUTSIDE_MARKER not in build.stdout + build.stderr
    assert files_containing(repo.site, OUTSIDE_MARKER) == []
    assert files_containing(repo.site, "PRO-OUT-001") == []


def test_a_symbolic_link_leaving_the_repository_from_the_site_pages_is_not_published(make_library, outside):
    repo = make_library(*clean_docs(), commit=False)
    os.symlink(outside / "secret.md", repo.root / "content" / "leak.md")
    os.symlink(outside, repo.root / "content" / "leaked-folder")
    repo.commit("Links in the ordinary pages")
    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    assert "leak.md" in build.stderr and "outside the repository" in build.stderr
    assert files_containing(repo.site, OUTSIDE_MARKER) == []
    assert built(repo, "--strict").returncode != 0, "a refused link is a warning, so a strict build stops"


def test_a_symbolic_link_inside_the_repository_is_read_like_any_file(make_library):
    repo = make_library(*clean_docs(), commit=False)
    extra = doc("PRO-INC-002", "procedure", parents=["PRC-INC"], path="shared/pro-inc-002.md")
    repo.add(extra)
    os.symlink("../shared/pro-inc-002.md", repo.root / "procedures" / "pro-inc-002.md")
    repo.commit("A linked document")
    result, report = check_json(repo)
    assert result.returncode == 0 and report["documents"] == 5, report


# --------------------------------------------------------------------------- hostile ids and titles


HOSTILE_TITLES = [
    "Ünïcødé — “curly” ‘quotes’ 日本語 🚒",
    "Quotes 'single' \"double\" `back`",
    "../../../../etc/passwd",
    "..\\..\\windows\\system32",
    "<script>alert('title')</script>",
    "%2e%2e%2f%00 null",
]


def test_hostile_titles_are_published_as_text_and_write_nothing_outside_the_site(make_library):
    docs = clean_docs() + [
        safe_doc(f"PRO-TTL-{n:03d}", "procedure", parents=["PRC-INC"], title=title)
        for n, title in enumerate(HOSTILE_TITLES, start=1)
    ]
    repo = make_library(*docs)
    before = tree_files(repo.root)
    result, report = check_json(repo)
    assert result.returncode == 0, report["findings"]
    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    assert outside_files(repo.root, before) == []
    for n, title in enumerate(HOSTILE_TITLES, start=1):
        page = read_page(repo.doc_page(f"PRO-TTL-{n:03d}"))
        assert page.find("h1", class_="sms-title").text == f"PRO-TTL-{n:03d} {' '.join(title.split())}"
    assert files_containing(repo.site, "<script>alert('title')") == ["register.csv", "register.json"]


@pytest.mark.parametrize(
    ("raw_id", "words"),
    [
        ("PRO-ÜNI-001", "not valid"),
        ("pro-lower-001", "write it in capitals: `PRO-LOWER-001`"),
        ('"PRO-\\"Q\\"-001"', "not valid"),
        ("../../etc/passwd", "not valid"),
        ('"<script>alert(1)</script>"', "not valid"),
        ("PRO-INC-001/../../x", "not valid"),
        ('"PRO-A-001\\nPRO-B-002"', "not valid"),
    ],
)
def test_ids_with_unicode_quotes_paths_or_markup_are_invalid_ids(make_library, raw_id, words):
    path, text = spec_text(id=Raw(raw_id))
    repo = bad_library(make_library, path, text)
    result, report = check_json(repo)
    found = [f for f in report["findings"] if f["code"] == "SMS103" and f["path"] == path]
    assert found and found[0]["line"] == 2 and words in found[0]["message"], report["findings"]
    assert result.returncode == 1
    build = built(repo)
    assert build.returncode != 0 and f"{path}:2: SMS103 error" in build.stderr


# --------------------------------------------------------------------------- parents listing themselves


@pytest.mark.parametrize(
    ("doc_id", "doc_type", "parents"),
    [
        ("POL-SELF", "policy", ["POL-SELF"]),
        ("PRC-SELF", "process", ["PRC-SELF"]),
        ("PRO-SELF-001", "procedure", ["PRC-INC", "PRO-SELF-001"]),
        ("PRO-CASE-001", "procedure", ["PRC-INC", "pro-case-001"]),
    ],
)
def test_a_document_listing_itself_as_parent_is_a_cycle_finding(make_library, doc_id, doc_type, parents):
    spec = doc(doc_id, doc_type, parents=parents)
    repo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    cycles = [f for f in report["findings"] if f["code"] == "SMS205"]
    assert [(f["path"], f["line"]) for f in cycles] == [(spec.path, spec.line_of("parents"))], report["findings"]
    assert "itself" in cycles[0]["message"]
    assert result.returncode == 1
    build = built(repo)
    assert build.returncode != 0 and "SMS205" in build.stderr


# --------------------------------------------------------------------------- sizes


def write_many(repo: LibraryRepo, specs) -> None:
    for spec in specs:
        path = repo.root / spec.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(spec.text(), encoding="utf-8")


def test_ten_thousand_procedures_under_one_process_are_checked(make_library):
    repo = make_library(*clean_docs(), commit=False)
    procedures = [
        doc(f"PRO-MANY-{n:05d}", "procedure", parents=["PRC-INC"], subdir=f"batch{n // 1000}")
        for n in range(10_000)
    ]
    procedures[17] = doc("PRO-MANY-00017", "procedure", parents=None, subdir="batch0")  # one orphan
    procedures[9_999] = doc("PRO-MANY-09999", "procedure", parents=["PRC-GONE"], subdir="batch9")  # one dangling
    write_many(repo, procedures)
    repo.commit("Ten thousand procedures")

    result, report = check_json(repo, timeout=240)
    assert report["documents"] == 10_004
    found = [(f["code"], f["path"]) for f in report["findings"]]
    assert found == [
        ("SMS202", "procedures/batch0/pro-many-00017.md"),
        ("SMS203", "procedures/batch9/pro-many-09999.md"),
    ], found[:20]
    assert result.returncode == 1


def policy_chain(length: int, *, closed: bool = False):
    """POL-C0000 › POL-C0001 › … : each policy under the one before; `closed` makes the
    first one hang under the last, a cycle as long as the chain."""
    chain = [doc("POL-C0000", "policy", parents=[f"POL-C{length - 1:04d}"] if closed else None)]
    chain += [doc(f"POL-C{n:04d}", "policy", parents=[f"POL-C{n - 1:04d}"]) for n in range(1, length)]
    return chain


def chain_library(make_library, length: int, *, closed: bool = False) -> LibraryRepo:
    repo = make_library(commit=False)
    write_many(repo, policy_chain(length, closed=closed))
    bottom = f"POL-C{length - 1:04d}"
    repo.add(doc("PRC-BOTTOM", "process", parents=[bottom]), doc("PRO-BOTTOM-001", "procedure", parents=["PRC-BOTTOM"]))
    repo.commit("A deep chain")
    return repo


def test_a_thousand_deep_parent_chain_is_checked_without_recursion_error(make_library):
    repo = chain_library(make_library, 1000)
    result, report = check_json(repo, timeout=240)
    assert report["documents"] == 1002
    assert {f["code"] for f in report["findings"]} <= {"SMS208"}, report["findings"][:5]
    assert not [f for f in report["findings"] if f["severity"] == "error"]


def test_a_thousand_long_parent_cycle_is_one_cycle_finding_per_document_or_fewer(make_library):
    repo = chain_library(make_library, 1000, closed=True)
    result, report = check_json(repo, timeout=240)
    cycles = [f for f in report["findings"] if f["code"] == "SMS205"]
    assert cycles, "a cycle through a thousand policies is not reported"
    assert len(cycles) <= 1000
    assert result.returncode == 1


@pytest.mark.slow
def test_a_thousand_deep_parent_chain_is_published_without_recursion_error(make_library):
    repo = chain_library(make_library, 1000)
    build = built(repo, timeout=900)
    assert build.returncode == 0, build.stderr[-3000:]
    bottom = read_page(repo.doc_page("PRO-BOTTOM-001"))
    crumbs = bottom.find("nav", class_="sms-breadcrumbs").links()
    assert len(crumbs) == 1001, "every ancestor is in the breadcrumbs"
    assert crumbs[0][0].startswith("POL-C0000") and crumbs[-1][0].startswith("PRC-BOTTOM")
    assert repo.page("policies/pol-c0999.md").is_file()


# --------------------------------------------------------------------------- repositories git refuses


@pytest.fixture
def foreign_repo(clean_library: LibraryRepo, tmp_path: Path) -> Path:
    """A copy of a library owned by another user, as a checkout made by a different account."""
    if os.geteuid() != 0:
        pytest.skip("giving the repository to another user needs root (chown)")
    root = copy_repo(clean_library.root, tmp_path / "foreign")
    chown_tree(root)
    return root


def test_check_on_a_repository_of_another_user_says_how_to_allow_it_and_exits_2(foreign_repo):
    result = run_door(foreign_repo, ["check"], cli=True, **GIT_STRICT)
    assert_no_traceback(result, "sms-docs check")
    assert result.returncode == 2, result.output
    assert "dubious ownership" in result.stderr
    assert f"git config --global --add safe.directory {foreign_repo}" in result.stderr
    assert result.stdout == "", "no findings are printed from a library that could not be read"


def test_build_of_a_repository_of_another_user_fails_with_the_same_message(foreign_repo):
    result = run_door(foreign_repo, ["build"], cli=False, **GIT_STRICT)
    assert_no_traceback(result, "mkdocs build")
    assert result.returncode != 0
    assert "dubious ownership" in result.stderr
    assert f"safe.directory {foreign_repo}" in result.stderr
    assert not (foreign_repo / "site").exists()


def test_a_repository_of_another_user_allowed_by_safe_directory_is_checked(foreign_repo, tmp_path):
    config = tmp_path / "gitconfig"
    config.write_text(f"[safe]\n\tdirectory = {foreign_repo}\n", encoding="utf-8")
    result = run_door(foreign_repo, ["check"], cli=True, GIT_CONFIG_GLOBAL=str(config), GIT_CONFIG_NOSYSTEM="1")
    assert_no_traceback(result)
    assert result.returncode == 0, result.output


def test_a_corrupted_git_head_is_a_clear_error_not_a_library_without_history(clean_library):
    (clean_library.root / ".git" / "HEAD").write_text("garbage\n", encoding="utf-8")
    result = checked(clean_library)
    assert result.returncode == 2, result.output
    assert "git cannot read the repository" in result.stderr and ".git" in result.stderr
    build = built(clean_library)
    assert build.returncode != 0 and "git cannot read the repository" in build.stderr


def test_a_library_without_git_is_still_checked_and_built(make_library):
    repo = make_library(*clean_docs(), commit=False)
    shutil.rmtree(repo.root / ".git")
    result, report = check_json(repo)
    assert result.returncode == 0, report
    assert built(repo).returncode == 0


# --------------------------------------------------------------------------- output that CI reads


def test_github_annotations_stay_one_command_a_line_whatever_the_names_and_values(make_library):
    repo = make_library(
        *clean_docs(),
        doc("PRO-NL-001", "procedure", parents=None, path="procedures/a\n::warning file=x::injected.md"),
        doc("PRO-CR-001", "procedure", parents=["PRC-INC"], status="odd\r\n::error::forged"),
    )
    result = checked(repo, "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines), lines
