"""What one document's text can do: YAML aliases that expand a small file into a huge page,
control characters and terminal escapes, right-to-left overrides, and characters in ids
that look like others or show as nothing. Each is a finding that names the character by
its code point, and none reaches the site or the terminal raw."""

from __future__ import annotations

import time

import pytest
from support import LibraryRepo, Raw, clean_docs, default_body, doc, line_of
from support_hardening import built, check_json, checked, files_containing, site_files

# --------------------------------------------------------------------------- YAML aliases


def alias_bomb(field: str) -> str:
    """About 80 KB of front matter whose `field` repeats a 1 KB alias ten thousand times."""
    spec = doc("PRO-BOMB-001", "procedure", ["PRC-INC"])
    text = spec.text()
    anchor = "x_anchor: &big " + "B" * 1000 + "\n"
    repeated = f"{field}: [" + ", ".join(["*big"] * 10_000) + "]\n"
    return text.replace("\n---\n", f"\n{anchor}{repeated}---\n", 1)


def billion_laughs() -> str:
    spec = doc("PRO-BOMB-001", "procedure", ["PRC-INC"])
    levels = ['l0: &l0 "lol"']
    for level in range(1, 10):
        levels.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return spec.text().replace("\n---\n", "\n" + "\n".join(levels) + "\n---\n", 1)


@pytest.mark.parametrize("field", ["clauses", "tags", "supersedes"])
def test_aliases_repeated_in_a_list_are_a_finding_at_its_line_and_build_nothing_big(make_library, field):
    repo = make_library(*clean_docs(), commit=False)
    text = alias_bomb(field)
    assert len(text) < 90_000
    repo.write("procedures/pro-bomb-001.md", text)
    repo.commit("An alias bomb")
    started = time.monotonic()
    result, report = check_json(repo)
    assert time.monotonic() - started < 60
    found = [f for f in report["findings"] if f["path"] == "procedures/pro-bomb-001.md" and f["code"] == "SMS103"]
    assert [f["line"] for f in found] == [line_of(text, field)], report["findings"]
    assert "alias" in found[0]["message"]
    assert result.returncode == 1
    build = built(repo)
    assert build.returncode != 0 and f":{line_of(text, field)}: SMS103 error" in build.stderr


def test_an_unknown_field_of_nested_aliases_is_a_finding_and_keeps_the_parse_cache_small(make_library):
    repo = make_library(*clean_docs(), commit=False)
    text = billion_laughs()
    repo.write("procedures/pro-bomb-001.md", text)
    repo.commit("A billion laughs")
    result, report = check_json(repo)
    found = [f for f in report["findings"] if f["code"] == "SMS103"]
    assert found and all("alias" in f["message"] for f in found), report["findings"]
    lines = {line_of(text, f"l{level}") for level in range(10)}
    assert {f["line"] for f in found} <= lines and line_of(text, "l9") in {f["line"] for f in found}
    kept = sum(path.stat().st_size for path in (repo.root / ".git" / "sms-docs").glob("documents*"))
    assert kept < 1_000_000


def test_an_alias_used_once_or_twice_is_fine(make_library):
    spec = doc("PRO-ALIAS-001", "procedure", ["PRC-INC"], owner=Raw("&role Service Owner"), tags=Raw("[*role, x]"))
    repo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    assert result.returncode == 0, report["findings"]


def test_a_list_or_a_front_matter_too_big_to_be_a_document_is_a_finding(make_library):
    spec = doc("PRO-LONG-001", "procedure", ["PRC-INC"], tags=[f"t{n}" for n in range(2000)])
    repo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    found = [f for f in report["findings"] if f["code"] == "SMS103"]
    assert [f["line"] for f in found] == [spec.line_of("tags")], report["findings"]
    assert "1,000" in found[0]["message"]


# --------------------------------------------------------------------------- control characters

BODY_MARKER = "CTRLBODY51"


def body_with(doc_id: str, line: str) -> str:
    return default_body(doc_id, "procedure", "Body heading") + f"\n{line}\n"


@pytest.mark.parametrize(
    ("char", "name"),
    [("\0", "U+0000 NULL"), ("\x1b", "U+001B ESCAPE"), ("\x07", "U+0007 BELL"), ("\x7f", "U+007F DELETE")],
)
def test_a_control_character_in_a_body_is_a_finding_at_its_line_and_never_published(make_library, char, name):
    body = body_with("PRO-CTL-001", f"Before {BODY_MARKER}{char}[31m after.")
    spec = doc("PRO-CTL-001", "procedure", ["PRC-INC"], body=body)
    repo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    found = [f for f in report["findings"] if f["path"] == spec.path]
    assert [f["code"] for f in found] == ["SMS101"], report["findings"]
    assert found[0]["line"] == spec.text().split("\n").index(f"Before {BODY_MARKER}{char}[31m after.") + 1
    assert name in found[0]["message"]
    assert result.returncode == 1

    off = make_library(*clean_docs(), spec, options={"severity": {"SMS101": "off"}})
    build = built(off)
    assert build.returncode == 0, build.stderr[-3000:]
    raw = char.encode()
    assert files_containing(off.site, BODY_MARKER), "the text around the character is published"
    assert not [rel for rel, data in site_files(off.site).items() if raw in data and BODY_MARKER.encode() in data]


def test_tabs_and_ordinary_text_in_a_body_are_fine(make_library):
    spec = doc("PRO-TAB-001", "procedure", ["PRC-INC"], body=body_with("PRO-TAB-001", "A\ttab and “quotes” — ok."))
    repo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    assert result.returncode == 0, report["findings"]


TERMINAL = "\x1b]0;pwned\x07\x1b[2J"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_terminal_escapes_never_reach_the_output_of_check(make_library, fmt):
    spec = doc("PRO-ESC-001", "procedure", ["PRC-INC"], title=f"Title {TERMINAL}",
               path="procedures/pro-esc-\x1b[31m-001.md")
    repo = make_library(*clean_docs(), spec, doc("PRO-ESC-002", "procedure", ["PRC-NO\x1b[2J"]))
    result = checked(repo, "--format", fmt)
    assert result.returncode == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b" in result.stdout


def test_a_control_character_in_a_title_names_it(make_library):
    spec = doc("PRO-ESC-001", "procedure", ["PRC-INC"], title=f"Title {TERMINAL}")
    repo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    found = [f for f in report["findings"] if f["code"] == "SMS103"]
    assert [f["line"] for f in found] == [spec.line_of("title")], report["findings"]
    assert "U+001B ESCAPE" in found[0]["message"] and "U+0007 BELL" in found[0]["message"]


@pytest.mark.parametrize(
    ("field", "char", "name"),
    [
        ("title", "\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("title", "\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("owner", "\u202b", "U+202B RIGHT-TO-LEFT EMBEDDING"),
        ("change", "\u2069", "U+2069 POP DIRECTIONAL ISOLATE"),
        ("tags", "\u202d", "U+202D LEFT-TO-RIGHT OVERRIDE"),
    ],
)
def test_a_right_to_left_override_in_a_text_field_is_a_finding_naming_it(make_library, field, char, name):
    value = f"Approved {char}lanoitan{char}"
    spec = doc("PRO-RTL-001", "procedure", ["PRC-INC"], **{field: [value] if field == "tags" else value})
    repo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    found = [f for f in report["findings"] if f["code"] == "SMS103"]
    assert [f["line"] for f in found] == [spec.line_of(field)], report["findings"]
    assert name in found[0]["message"]
    assert result.returncode == 1


def test_right_to_left_text_itself_is_fine(make_library):
    spec = doc("PRO-RTL-001", "procedure", ["PRC-INC"], title="سياسة الحوادث — מדיניות")
    repo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    assert result.returncode == 0, report["findings"]


# --------------------------------------------------------------------------- ids that look alike


@pytest.mark.parametrize(
    ("raw_id", "name", "ascii_id"),
    [
        ("PRO-INC-\u200b002", "U+200B ZERO WIDTH SPACE", "PRO-INC-002"),
        ("PRO\u2010INC-002", "U+2010 HYPHEN", "PRO-INC-002"),
        ("PR\u041e-INC-002", "U+041E CYRILLIC CAPITAL LETTER O", "PRO-INC-002"),
        ("PRO-INC-00\uff12", "U+FF12 FULLWIDTH DIGIT TWO", "PRO-INC-002"),
        ("PRO-INC-002\u00a0", "U+00A0 NO-BREAK SPACE", "PRO-INC-002"),
    ],
)
def test_an_id_with_a_look_alike_or_invisible_character_names_it(make_library, raw_id, name, ascii_id):
    spec = doc("PRO-INC-002", "procedure", ["PRC-INC"], id=raw_id)
    repo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    found = [f for f in report["findings"] if f["code"] == "SMS103"]
    assert [f["line"] for f in found] == [spec.line_of("id")], report["findings"]
    assert name in found[0]["message"] and f"`{ascii_id}`" in found[0]["message"]
    assert result.returncode == 1


def test_a_look_alike_id_still_clashes_with_the_id_it_imitates(make_library):
    twin = doc("PRO-INC-001", "procedure", ["PRC-INC"], id="PRO-INC-\u200b001", path="procedures/twin.md")
    repo = make_library(*clean_docs(), twin)
    result, report = check_json(repo)
    assert {"SMS103", "SMS201"} <= {f["code"] for f in report["findings"]}, report["findings"]


@pytest.mark.parametrize("field", ["parents", "supersedes"])
def test_a_no_break_space_after_an_id_in_a_list_is_a_finding_and_the_id_is_still_found(make_library, field):
    fields = {"parents": ["PRC-INC\u00a0"]} if field == "parents" else {"supersedes": ["PRO-INC-001\u00a0"]}
    spec = doc("PRO-NBS-001", "procedure", **({"parents": ["PRC-INC"]} | fields))
    repo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    found = [(f["code"], f["line"]) for f in report["findings"]]
    assert found == [("SMS103", spec.line_of(field))], report["findings"]
    assert "U+00A0 NO-BREAK SPACE" in report["findings"][0]["message"]


def test_ids_named_in_findings_show_which_character_is_wrong(make_library):
    """A dangling parent that only differs by an invisible character says so, not just "does not exist"."""
    spec = doc("PRO-ZW-001", "procedure", ["PRC-\u200bINC"])
    repo: LibraryRepo = make_library(*clean_docs(), spec)
    result, report = check_json(repo)
    messages = " ".join(f["message"] for f in report["findings"])
    assert "U+200B ZERO WIDTH SPACE" in messages, report["findings"]
