"""Injection: a payload planted in every value that reaches the site — front matter, roles,
titles, file names, commit messages, author names, old versions, diff text, raw HTML the
rules let through — is escaped or neutralised in every built file, and register.csv cells
cannot run as spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from support import LibraryRepo, clean_docs, default_body, doc, parse_html, read_page
from support_hardening import built, check_json, files_containing, run_door, safe_doc, site_texts

from sms_docs_plugin.site.safety import may_carry_markup

SCRIPT = "<script>alert('x')</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "TPL{{7*7}}END"
HOSTILE = f"{SCRIPT} {IMG} {TEMPLATE}"
# Git drops < and > from author names; an entity shows whether a page decodes names twice.
AUTHOR_OLD = ("Mallory &lt;b&gt; O'Hare", "mallory@example.org")
AUTHOR_NEW = ('Eve "the" &amp; Quote', "eve@example.org")
HOSTILE_PATH = "procedures/x\"'><img src=x onerror=alert(1)>.md"
FORMULAS = {
    "PRO-CSV-001": {"title": '=HYPERLINK("http://x","click")', "owner": "@SUM(A1)", "approver": "+cmd|' /C calc'!A0"},
    "PRO-CSV-002": {"title": "-2+3", "owner": "=1+1", "approver": "@Head"},
}


def hostile_body(doc_id: str, doc_type: str, *lines: str) -> str:
    return default_body(doc_id, doc_type, "Body heading") + "\n" + "\n\n".join(lines) + "\n"


def commit_as(repo: LibraryRepo, message: str, author: tuple[str, str], when: str) -> None:
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", message, f"--author={author[0]} <{author[1]}>", when=when)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> LibraryRepo:
    root = tmp_path_factory.mktemp("hostile") / "library"
    options = {"severity": {"SMS103": "warning", "SMS203": "warning"}}
    policy = safe_doc(
        "POL-SMS", "policy", title=f"Policy {HOSTILE}", owner=f"Owner {HOSTILE}", approver=f"Approver {HOSTILE}",
        tags=[HOSTILE], clauses=[HOSTILE, "8.6.1"], change=f"Change {HOSTILE}", classification=f"Class {HOSTILE}",
    )
    policy.body += f"\nIn code: `{HOSTILE}`.\n"
    old = safe_doc(
        "PRO-INC-001", "procedure", parents=["PRC-INC"], title=f"Old {HOSTILE}", owner=f"Old owner {HOSTILE}",
        approver=f"Old approver {HOSTILE}",
        body=hostile_body(
            "PRO-INC-001", "procedure",
            f"Old line `{SCRIPT}` kept.",
            f"Old line `{IMG}` dropped.",
            # Raw HTML in an old version: committed before any rule, published as a past version.
            SCRIPT,
            '<img src=x onerror=alert(1)>',
            "[old link](javascript:alert(1))",
        ),
    )
    docs = [
        policy,
        doc("POL-INC", "policy", parents=["POL-SMS"]),
        doc("PRC-INC", "process", parents=["POL-INC"]),
        old,
        safe_doc("PRO-DNG-001", "procedure", parents=["PRC-INC", SCRIPT], title="Dangling parent"),
        safe_doc("PRO-RET-001", "procedure", parents=["PRC-INC"], status="retired", title=f"Retired {HOSTILE}"),
        safe_doc("PRO-DRF-001", "procedure", parents=["PRC-INC"], status="draft", title=f"Draft {HOSTILE}"),
        safe_doc("PRO-PATH-001", "procedure", parents=["PRC-INC"], path=HOSTILE_PATH, title="Hostile file name"),
        *(safe_doc(doc_id, "procedure", parents=["PRC-INC"], **fields) for doc_id, fields in FORMULAS.items()),
    ]
    repo = LibraryRepo.create(root, docs, options, commit=False)
    # An unknown field whose name is the payload (SMS104, a warning).
    text = (root / policy.path).read_text(encoding="utf-8")
    text = text.replace("\n---\n", f"\n{json.dumps(HOSTILE)}: 1\n---\n", 1)
    repo.write(policy.path, text)
    commit_as(repo, f"First {HOSTILE}", AUTHOR_OLD, "2026-01-15T10:00:00+00:00")
    new = safe_doc(
        "PRO-INC-001", "procedure", parents=["PRC-INC"], title=f"New {HOSTILE}", owner=f"New owner {HOSTILE}",
        approver=f"New approver {HOSTILE}", version="1.1", approved=date(2026, 2, 1), change=f"Why {HOSTILE}",
        body=hostile_body(
            "PRO-INC-001", "procedure",
            f"Old line `{SCRIPT}` kept.",
            f"New line `{IMG}` added {TEMPLATE}.",
        ),
    )
    repo.add(new)
    commit_as(repo, f"Second {HOSTILE}\n\nBody {SCRIPT}", AUTHOR_NEW, "2026-02-01T10:00:00+00:00")
    result, report = check_json(repo)
    assert not [f for f in report["findings"] if f["severity"] == "error"], report["findings"]
    build = built(repo)
    assert build.returncode == 0, build.stderr[-4000:]
    return repo


def html_files(repo: LibraryRepo) -> dict[str, str]:
    return {rel: text for rel, text in site_texts(repo.site).items() if rel.endswith(".html")}


def visible_text(repo: LibraryRepo, rel: str) -> str:
    return parse_html((repo.site / rel).read_text(encoding="utf-8")).text


# --------------------------------------------------------------------------- escaped everywhere


def test_the_payloads_never_appear_unescaped_in_any_html_file(hostile_site):
    pages = html_files(hostile_site)
    assert len(pages) > 20
    for rel, text in pages.items():
        assert SCRIPT not in text, f"raw <script> payload in {rel}"
        assert "<img src=x onerror" not in text, f"raw <img onerror> payload in {rel}"


@pytest.mark.parametrize("payload", [SCRIPT, "<img src=x onerror"])
def test_only_the_register_data_files_hold_the_raw_payload(hostile_site, payload):
    """Every file, binary and compressed ones included: the raw text is kept only where it
    is data for programs (CSV and JSON carry values exactly; no browser runs them)."""
    assert files_containing(hostile_site.site, payload) == ["register.csv", "register.json"]


def test_no_page_carries_a_script_handler_or_script_link_from_the_library(hostile_site):
    for rel, text in html_files(hostile_site).items():
        for node in parse_html(text).iter():
            if node.tag == "script":
                assert "alert(" not in node.text, f"a <script> from the library runs in {rel}"
            for name, value in node.attrs.items():
                assert not (name.startswith("on") and "alert" in value), f"<{node.tag} {name}={value!r}> in {rel}"
                if name in ("href", "src", "action", "formaction", "xlink:href"):
                    assert not value.strip().lower().startswith("javascript:"), f"{name}={value!r} in {rel}"


def test_the_search_index_holds_no_raw_markup_from_the_library(hostile_site):
    index = (hostile_site.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "<script>" not in index and "<img src=x" not in index
    json.loads(index)


def test_the_xml_files_are_well_formed_and_escape_the_payloads(hostile_site):
    for rel in ("changes.xml", "sitemap.xml"):
        text = (hostile_site.site / rel).read_text(encoding="utf-8")
        ET.fromstring(text.encode("utf-8"))
        assert SCRIPT not in text and "<img src=x" not in text, rel
    feed = ET.fromstring((hostile_site.site / "changes.xml").read_bytes())
    texts = " ".join(element.text or "" for element in feed.iter())
    assert f"Why {HOSTILE}" in texts, "the feed carries the change as text"


def test_template_syntax_in_values_is_never_evaluated(hostile_site):
    holders = [rel for rel, text in site_texts(hostile_site.site).items() if "TPL49END" in text]
    assert holders == []
    page = visible_text(hostile_site, hostile_site.doc_page("POL-SMS").relative_to(hostile_site.site).as_posix())
    assert f"Policy {HOSTILE}" in page


# --------------------------------------------------------------------------- each value reached a page as text


def where(repo: LibraryRepo, needle: str) -> list[str]:
    """The HTML pages showing `needle` as visible text (so it was planted, and escaped)."""
    return [rel for rel in html_files(repo) if needle in visible_text(repo, rel)]


@pytest.mark.parametrize(
    ("needle", "page"),
    [
        (f"Policy {HOSTILE}", "policies/pol-sms/index.html"),
        (f"Owner {HOSTILE}", "policies/pol-sms/index.html"),
        (f"Approver {HOSTILE}", "policies/pol-sms/index.html"),
        (f"Owner {HOSTILE}", "roles/index.html"),
        (f"Change {HOSTILE}", "policies/pol-sms/index.html"),
        (f"Class {HOSTILE}", "assessment/index.html"),
        (HOSTILE, "coverage/index.html"),
        (f"Policy {HOSTILE}", "procedures/pro-inc-001/index.html"),
        (f"New {HOSTILE}", "register/index.html"),
        (SCRIPT, "register/index.html"),
        (f"Retired {HOSTILE}", "archive/index.html"),
        (f"Draft {HOSTILE}", "reviews/index.html"),
        (f"Old {HOSTILE}", "procedures/pro-inc-001.v1.0/index.html"),
        (f"Old owner {HOSTILE}", "procedures/pro-inc-001.v1.0/index.html"),
        (SCRIPT, "procedures/pro-inc-001.v1.0/index.html"),
        (f"Why {HOSTILE}", "procedures/pro-inc-001.history/index.html"),
        (f"First {HOSTILE}", "procedures/pro-inc-001.history/index.html"),
        (f"Second {HOSTILE}", "procedures/pro-inc-001.history/index.html"),
        (AUTHOR_OLD[0], "procedures/pro-inc-001.history/index.html"),
        (AUTHOR_NEW[0], "procedures/pro-inc-001.history/index.html"),
        (AUTHOR_NEW[0], "changes/index.html"),
        (f"New line `{IMG}` added {TEMPLATE}.", "procedures/pro-inc-001.changes/index.html"),
        (f"Old line `{IMG}` dropped.", "procedures/pro-inc-001.changes/index.html"),
        (f"New {HOSTILE}", "hierarchy/index.html"),
    ],
)
def test_each_planted_value_is_shown_as_text(hostile_site, needle, page):
    assert (hostile_site.site / page).is_file(), f"{page} was not built"
    assert needle in visible_text(hostile_site, page), f"{needle!r} is not shown as text on {page}"


def test_a_hostile_file_name_is_a_quoted_link_never_markup(hostile_site):
    register = read_page(hostile_site.site / "register" / "index.html")
    hrefs = [href for text, href in register.links() if text == "PRO-PATH-001"]
    assert hrefs and "%3Cimg" in hrefs[0] and "<" not in hrefs[0], hrefs


# --------------------------------------------------------------------------- data files keep the data


def register_rows(repo: LibraryRepo) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO((repo.site / "register.csv").read_text(encoding="utf-8")))
    return {row["id"]: row for row in rows}


def test_register_csv_cells_never_start_a_formula(hostile_site):
    for doc_id, row in register_rows(hostile_site).items():
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), f"{doc_id} {column}: {cell!r}"


def test_register_csv_keeps_formula_like_values_behind_a_quote(hostile_site):
    rows = register_rows(hostile_site)
    for doc_id, fields in FORMULAS.items():
        for column, value in fields.items():
            assert rows[doc_id][column] == "'" + value, (doc_id, column, rows[doc_id][column])
    # Only published parents are listed: the hostile dangling parent id is not a document.
    assert rows["PRO-DNG-001"]["parents"] == "PRC-INC"


def test_register_json_keeps_every_value_exactly(hostile_site):
    data = json.loads((hostile_site.site / "register.json").read_text(encoding="utf-8"))
    documents = {d["id"]: d for d in data["documents"]}
    assert documents["POL-SMS"]["title"] == f"Policy {HOSTILE}"
    assert documents["PRO-CSV-001"]["title"] == FORMULAS["PRO-CSV-001"]["title"]
    assert documents["PRO-PATH-001"]["path"] == HOSTILE_PATH


# --------------------------------------------------------------------------- raw HTML the rules let through


def test_raw_html_that_the_rules_let_through_never_runs(make_library):
    """SMS405 turned off (and tags it may not recognise): the build still keeps script out."""
    body = hostile_body(
        "PRO-RAW-001", "procedure",
        SCRIPT,
        "<script\n>alert('split')</script\n>",
        '<img src=x onerror="alert(2)">',
        "A <img\nsrc=x onerror=alert(3)> tag over two lines.",
        "<svg/onload=alert(4)>",
        "[link](javascript:alert(5)) and [other](JaVaScRiPt:alert(6))",
        "[ref link][r]\n\n[r]: javascript:alert(7)",
        "Paragraph with attributes\n{: onclick=\"alert(8)\" }",
        "[attr link](#x){ onmouseover=\"alert(9)\" }",
        '<a href="java&#x09;script:alert(10)">entity</a>',
        "<iframe src=\"data:text/html,<script>alert(11)</script>\"></iframe>",
        '<p style="x" onmouseover=alert(12)>raw paragraph</p>',
    )
    repo = make_library(
        *clean_docs(),
        doc("PRO-RAW-001", "procedure", parents=["PRC-INC"], body=body),
        options={"severity": {"SMS405": "off"}},
        commit=False,
    )
    repo.write_config({"severity": {"SMS405": "off"}}, markdown_extensions=["attr_list"])
    repo.commit("Raw HTML")
    build = built(repo)
    assert build.returncode == 0, build.stderr[-3000:]
    page = repo.doc_page("PRO-RAW-001").read_text(encoding="utf-8")
    article = parse_html(page)
    for node in article.iter():
        if node.tag in ("script", "iframe"):
            assert "alert(" not in node.text + str(node.attrs), f"<{node.tag}> from the document: {node.attrs}"
        for name, value in node.attrs.items():
            assert not name.startswith("on") or "alert" not in value, f"<{node.tag} {name}={value!r}>"
            if name in ("href", "src"):
                assert "script:" not in value.lower().replace("\t", ""), f"<{node.tag} {name}={value!r}>"
    text = article.text
    assert "raw paragraph" in text and "Paragraph with attributes" in text, "the prose around the HTML is kept"


def test_the_register_on_the_command_line_neutralises_formulas_too(hostile_site):
    result = run_door(hostile_site, ["register", "--format", "csv"], cli=True)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["PRO-CSV-001"]["title"] == "'" + FORMULAS["PRO-CSV-001"]["title"]
    for doc_id, row in rows.items():
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@")), f"{doc_id} {column}: {cell!r}"


@pytest.mark.parametrize(
    "source",
    ["[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x](DATA:text/html,x)", "[x](java\u017fcript:alert(1))",
     "[x](vb\u0130script:x)", "a < b", "{: .x }", "&amp;"],
)
def test_a_past_version_that_may_carry_markup_is_rewritten(source):
    assert may_carry_markup(f"# Title\n\nSome text.\n\n{source}\n")


@pytest.mark.parametrize("source", ["Plain words: a list, a colon.", "Données: plain words, not a scheme."])
def test_plain_markdown_skips_the_rewrite(source):
    assert not may_carry_markup(source)
