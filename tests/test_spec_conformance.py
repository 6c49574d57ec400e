"""Promises of SPEC.md (second edition) found broken in a section-by-section audit, each
pinned on a small library built for it: real git, real `sms-docs`, real `mkdocs build`."""

from __future__ import annotations

from support import clean_docs, doc, external_doc, read_page, resolve_href

ORPHAN = "procedures/pro-orphan-001.md"


def test_check_base_github_annotations_say_which_findings_were_there_before_the_change(make_library, run_cli):
    # SPEC §6: "With `--base`, each finding says whether the change introduced it", in every format.
    library = make_library(*clean_docs(), doc("PRO-ORPHAN-001", "procedure", parents=None, title="Old orphan"))
    library.git("checkout", "-q", "-b", "change")
    library.add(doc("PRO-ORPHAN-002", "procedure", parents=None, title="New orphan"))
    library.commit("Add another orphan")

    lines = run_cli(library, "check", "--base", "main", "--format", "github").stdout.splitlines()

    old = next(line for line in lines if ORPHAN in line)
    new = next(line for line in lines if "pro-orphan-002.md" in line)
    assert old.startswith(f"::error file={ORPHAN},line=1,title=SMS202") and "before this change" in old
    assert new.startswith("::error file=procedures/pro-orphan-002.md,") and "before this change" not in new
    without_base = run_cli(library, "check", "--format", "github").stdout
    assert "before this change" not in without_base


def test_roles_page_marks_only_what_a_document_has_as_status(make_library):
    # SPEC §5 Roles: per role, what it owns and approves; an external document has no status,
    # so it gets no mark (the page once showed the word "None" beside it).
    library = make_library(*clean_docs(), external_doc("EXT-ISO-1", owner="Service Owner"),
                           doc("PRO-OLD-001", "procedure", parents=["PRC-INC"], status="retired"))
    result = library.build("--strict")
    assert result.returncode == 0, result.output

    roles = read_page(library.site / "roles" / "index.html").find("div", class_="sms-records")
    items = {item.text.split()[0]: item for item in roles.find_all("li")}
    assert "EXT-ISO-1" in items and "None" not in items["EXT-ISO-1"].text
    assert not items["EXT-ISO-1"].find_all("span", class_="sms-mark")
    assert items["PRO-OLD-001"].find("span", class_="sms-mark").text == "retired"


def test_a_withdrawn_document_on_the_archive_is_watermarked_obsolete(make_library):
    # SPEC §5 Archive: "retired and withdrawn documents, watermarked obsolete"; §4 Withdrawn.
    library = make_library(*clean_docs(), doc("PRO-GONE-001", "procedure", parents=["PRC-INC"], title="Gone"))
    library.remove("procedures/pro-gone-001.md")
    library.commit("Remove a procedure", when="2026-02-01T10:00:00+00:00")
    result = library.build()
    assert result.returncode == 0, result.output

    archive = library.site / "archive" / "index.html"
    links = dict(read_page(archive).links())
    assert "PRO-GONE-001" in links
    page = read_page(resolve_href(archive, links["PRO-GONE-001"], library.site))
    assert page.find("div", class_="sms-watermark").text == "OBSOLETE"
    assert "withdrawn" in page.find("h1").text
