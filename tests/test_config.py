"""The `sms-docs` block of mkdocs.yml as authors write it by hand."""

from __future__ import annotations

from support import clean_docs, doc


def _hand_written(repo, plugin_block: str, theme: str = "theme:\n  name: material\n") -> None:
    repo.write(
        "mkdocs.yml",
        f"site_name: Test SMS library\ndocs_dir: content\n{theme}plugins:\n  - search\n{plugin_block}",
    )
    repo.commit("Configuration by hand")


def test_an_unquoted_off_turns_a_rule_off_although_yaml_reads_it_as_false(make_library):
    repo = make_library(*clean_docs(), doc("PRO-INC-002", "procedure"))
    _hand_written(repo, "  - sms-docs:\n      severity: {SMS202: off}\n")

    checked = repo.check("--format", "json")
    built = repo.build("--strict")

    assert checked.returncode == 0, checked.output
    assert "SMS202" not in checked.output
    assert built.returncode == 0, built.output


def test_without_the_default_off_the_same_library_fails(make_library):
    repo = make_library(*clean_docs(), doc("PRO-INC-002", "procedure"))
    _hand_written(repo, "  - sms-docs\n")

    assert repo.check().returncode == 1


def test_material_web_fonts_are_switched_off_so_the_site_makes_no_outside_request(make_library):
    repo = make_library(*clean_docs())
    _hand_written(repo, "  - sms-docs\n")

    result = repo.build()

    assert result.returncode == 0, result.output
    pages = [p.read_text(encoding="utf-8") for p in repo.site.rglob("*.html")]
    assert pages and not any("fonts.googleapis.com" in page or "fonts.gstatic.com" in page for page in pages)
