"""The `sms-docs` options (spec §7): one schema, the same verdict from both doors.

Every bad option is a setup error: `sms-docs check` exits 2 and `mkdocs build` fails,
both naming the option and what to do, never with a traceback and never publishing.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from support import Completed, LibraryRepo, clean_docs, doc

from sms_docs_plugin.clauses import packaged_clause_list
from sms_docs_plugin.options import SCHEMA, OptionsError, parse_options

CLAUSES_WITHOUT_A_NUMBER = "standard: House rules\nclauses:\n  - {title: Scope}\n"


def assert_refused_by_both_doors(repo: LibraryRepo, message: str, *check_args: str) -> tuple[Completed, Completed]:
    checked = repo.check(*check_args)
    built = repo.build()
    for door, result in (("sms-docs check", checked), ("mkdocs build", built)):
        assert "Traceback" not in result.output, f"{door} crashed:\n{result.output}"
        assert message in result.output, f"{door} does not say {message!r}:\n{result.output}"
    assert checked.returncode == 2, checked.output
    assert built.returncode == 2, built.output  # a setup error, as from the CLI (SPEC §7)
    assert not repo.site.exists()
    return checked, built


BAD_OPTIONS = [
    ({"bogus_option": 1}, {}, "bogus_option: unknown option; the options are library, root_policy"),
    ({"publish_draft": True}, {}, "publish_draft: unknown option (did you mean `publish_drafts`?)"),
    ({"review_interval_months": "twelve"}, {}, "review_interval_months: expected a whole number, got the text 'twelve'"),
    ({"review_interval_months": 100000}, {}, "review_interval_months: 100000 is out of range; give a number of months from 1 to 120"),
    ({"review_interval_months": -3}, {}, "review_interval_months: -3 is out of range"),
    ({"review_interval_months": 0}, {}, "review_interval_months: 0 is out of range"),
    ({"publish_drafts": "yes please"}, {}, "publish_drafts: expected true or false, got the text 'yes please'"),
    ({"people": "Jane Doe"}, {}, "people: expected a list of text such as"),
    ({"suspect_on": "sometimes"}, {}, "suspect_on: the text 'sometimes' is not one of major, any"),
    ({"approval_evidence": "maybe"}, {}, "approval_evidence: the text 'maybe' is not one of none, trailer, signed"),
    ({"duplicate_threshold": 2}, {}, "duplicate_threshold: expected a share above 0 and at most 1"),
    ({"max_words": {"procedure": 0}}, {}, "max_words.procedure: expected a positive number of words"),
    ({"max_words": {"external": 10}}, {}, "max_words.external: not a type of document with a body"),
    ({"clauses": "clauses.yml"}, {"clauses.yml": "clauses:\n  - {number: '4', documents: policy: x}\n"},
     "clauses: `clauses.yml`: not valid YAML"),
    ({"clauses": "clauses.yml"}, {"clauses.yml": "clauses:\n  - {number: '4', documents: [7]}\n"}, "`documents` must be a list of kinds"),
    ({"clauses": "nonexist.yml"}, {}, "clauses: `nonexist.yml` is not a file"),
    ({"clauses": "clauses.yml"}, {"clauses.yml": "- 4.1\n- 4.2\n"}, "clauses: `clauses.yml`: expected a mapping with a `clauses` list"),
    ({"clauses": "clauses.yml"}, {"clauses.yml": "standard: X\nclauses: {number: '4'}\n"}, "`clauses` must be a non-empty list"),
    ({"clauses": "clauses.yml"}, {"clauses.yml": CLAUSES_WITHOUT_A_NUMBER}, "clauses: `clauses.yml`: clause 1 has no `number`"),
    ({"clauses": "clauses.yml"}, {"clauses.yml": "clauses:\n  - {number: 8.10}\n"}, "clause 1: the number 8.1 must be quoted"),
    ({"clauses": "clauses.yml"}, {"clauses.yml": "clauses: [\n"}, "clauses: `clauses.yml`: not valid YAML"),
    ({"templates": "my-templates"}, {}, "templates: `my-templates` is not a folder"),
    ({"library": {"policy": "/srv/elsewhere/policies"}}, {}, "library.policy: `/srv/elsewhere/policies` is outside the repository"),
    ({"library": {"policy": "../policies"}}, {}, "library.policy: `../policies` leads out of the repository"),
    ({"library": {"policy": "policies/../.."}}, {}, "library.policy: `policies/../..` leads out of the repository"),
    ({"library": {"policy": "."}}, {}, "library.policy: `.` is the folder of mkdocs.yml itself"),
    ({"library": {"process": "policies"}}, {}, "library: policy and process share the folder `policies`"),
    ({"library": {"process": "Policies"}}, {}, "library: policy and process share the folder `policies`"),
    ({"library": {"procedure": "processes/procedures"}}, {},
     "library: the procedure folder `processes/procedures` is inside the process folder `processes`"),
    ({"library": {"guideline": "guidelines"}}, {}, "library.guideline: unknown document type; the types are policy, process"),
    ({"library": {"policy": ["policies"]}}, {}, "library.policy: expected text"),
    ({"library": {"policy": "content"}}, {}, "library.policy: `content` is docs_dir (`content`)"),
    ({"library": {"policy": "content/policies"}}, {}, "library.policy: `content/policies` is inside docs_dir (`content`)"),
    ({"library": {"policy": "site"}}, {}, "library.policy: `site` is site_dir (`site`)"),
    ({"severity": {"SMS999": "error"}}, {}, "severity.SMS999: unknown rule code"),
    ({"severity": {"sms202": "off"}}, {}, "severity.sms202: unknown rule code (did you mean `SMS202`?)"),
    ({"severity": {"SMS202": "loud"}}, {}, "severity.SMS202: the text 'loud' is not a severity; use one of error, warning, notice, off"),
    ({"severity": ["SMS208"]}, {}, "severity: expected a mapping such as"),
    ({"teams": {"Incident Manager": ["a", "b"]}}, {}, "teams.Incident Manager: expected the name of a team"),
    ({"approvers": {"guideline": ["Head of Service"]}}, {}, "approvers.guideline: not a type of approved document"),
    ({"approvers": {"policy": "Top Management"}}, {}, "approvers.policy: expected a list of text such as"),
    ({"approvers": {"policy": []}}, {}, "approvers.policy: the list is empty, so no one could approve"),
    ({"approvers": {"policy": [1, 2]}}, {}, "approvers.policy: expected a list of text"),
]


@pytest.mark.parametrize(
    ("options", "files", "message"), BAD_OPTIONS, ids=[f"{n}-{case[2].split(':')[0]}" for n, case in enumerate(BAD_OPTIONS)]
)
def test_a_bad_option_is_a_setup_error_from_both_doors(make_library, options, files, message):
    repo = make_library(*clean_docs(), options=options)
    for rel, text in files.items():
        repo.write(rel, text)

    assert_refused_by_both_doors(repo, message)


def test_an_unknown_option_fails_check_without_strict_as_it_fails_the_build(make_library):
    repo = make_library(*clean_docs(), options={"bogus_option": 1, "publish_drafts": False})

    checked, built = assert_refused_by_both_doors(repo, "bogus_option: unknown option")

    assert "Unrecognised configuration name" not in built.output  # one verdict, in our words


def test_every_problem_is_reported_at_once(make_library):
    repo = make_library(*clean_docs(), options={"review_interval_months": -3, "suspect_on": "never", "bogus": 1})

    checked, built = assert_refused_by_both_doors(repo, "review_interval_months: -3 is out of range")

    for result in (checked, built):
        assert "suspect_on: the text 'never'" in result.output
        assert "bogus: unknown option" in result.output


def test_a_library_folder_containing_docs_dir_is_a_setup_error(make_library):
    repo = make_library(*clean_docs())
    repo.write("policies/pages/index.md", "# Home\n")
    repo.write_config(None, docs_dir="policies/pages")

    assert_refused_by_both_doors(repo, "library.policy: `policies` contains docs_dir (`policies/pages`)")


@pytest.mark.parametrize(("options", "doc_type", "link"), [({"library": {"external": "linked"}}, "external", "linked"),
                                                         (None, "external", "external")])
def test_a_library_folder_linked_out_of_the_repository_is_a_setup_error(make_library, tmp_path, options, doc_type, link):
    outside = (tmp_path / "outside").resolve()
    outside.mkdir()
    repo = make_library(*clean_docs(), options=options)
    os.symlink(outside, repo.root / link)

    assert_refused_by_both_doors(repo, f"library.{doc_type}: `{link}` is a symbolic link to {outside}, outside the repository")


def test_an_option_from_an_environment_variable_is_read_alike_by_both_doors(make_library):
    repo = make_library(*clean_docs())
    text = (repo.root / "mkdocs.yml").read_text()
    repo.write("mkdocs.yml", text.replace("- sms-docs", "- sms-docs:\n    review_interval_months: !ENV [SMS_REVIEW_MONTHS, 12]"))

    assert repo.check().returncode == 0
    checked = repo.check(SMS_REVIEW_MONTHS="100000")
    built = repo.build(SMS_REVIEW_MONTHS="100000")

    assert checked.returncode == built.returncode == 2
    assert "review_interval_months: 100000 is out of range" in checked.stderr
    assert "review_interval_months: 100000 is out of range" in built.output


def test_check_reads_options_from_an_inherited_file_as_mkdocs_does(make_library):
    repo = make_library(*clean_docs(), doc("PRO-INC-002", "procedure"))  # an orphan: SMS202
    repo.write("base.yml", "plugins:\n  - search\n  - sms-docs:\n      severity: {SMS202: warning}\n")
    repo.write("mkdocs.yml", "INHERIT: base.yml\nsite_name: Test SMS library\ndocs_dir: content\ntheme:\n  name: material\n")

    checked = repo.check()
    built = repo.build()

    assert checked.returncode == 0, checked.output
    assert "SMS202 warning" in checked.output
    assert built.returncode == 0, built.output


def test_check_tolerates_the_tags_of_mkdocs_and_material(make_library):
    repo = make_library(*clean_docs())
    text = (repo.root / "mkdocs.yml").read_text()
    repo.write("mkdocs.yml", text + (
        "extra:\n  analytics: !ENV [NO_SUCH_VARIABLE, null]\n"
        "markdown_extensions:\n"
        "  - pymdownx.snippets:\n      base_path: !relative $config_dir\n"
        "  - pymdownx.superfences:\n"
        "      custom_fences:\n"
        "        - name: mermaid\n          class: mermaid\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
        "  - pymdownx.tabbed:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n"
    ))

    checked = repo.check()
    built = repo.build()

    assert checked.returncode == 0, checked.output
    assert built.returncode == 0, built.output


def test_a_library_without_options_takes_every_default(make_library):
    repo = make_library(*clean_docs())
    repo.write("mkdocs.yml", "site_name: Test SMS library\ndocs_dir: content\ntheme:\n  name: material\nplugins:\n  - sms-docs:\n")

    checked = repo.check()
    built = repo.build("--strict")

    assert checked.returncode == 0, checked.output
    assert built.returncode == 0, built.output


def test_enabled_is_mkdocs_own_switch_and_not_an_unknown_option(make_library):
    repo = make_library(*clean_docs(), options={"enabled": True, "review_interval_months": 6})

    assert repo.check().returncode == 0
    assert repo.build().returncode == 0


def test_valid_options_of_every_kind_are_accepted_by_both_doors(make_library):
    options = {
        "library": {"policy": "library/policies", "process": "library/processes", "procedure": "library/procedures",
                    "external": "library/external"},
        "root_policy": "POL-SMS",
        "review_interval_months": 24,
        "suspect_on": "any",
        "publish_drafts": True,
        "include_restricted": False,
        "past_versions": False,
        "allow_html": False,
        "people": ["Jane Doe"],
        "clauses": "house-clauses.yml",
        "templates": "house-templates",
        "teams": {"Service Owner": "@org/service"},
        "severity": {"SMS402": "warning", "SMS104": "off"},
        "approvers": {"policy": ["Head of Service"], "procedure": ["Head of Service", "Service Owner"]},
        "approval_evidence": "trailer",
        "duplicate_threshold": 0.9,
        "max_words": {"procedure": 1800},
    }
    assert set(options) == set(SCHEMA)
    docs = [replace(spec, path=f"library/{spec.path}") for spec in clean_docs()]
    repo = make_library(*docs, options=options, commit=False)
    repo.write("house-templates/.keep", "")
    # Each clause may say more than its number and title; the coverage page shows the list.
    repo.write("house-clauses.yml", (
        "standard: House standard 2026\nclauses:\n"
        "  - {number: '1', title: Whole house, documents: [policy]}\n"
        "  - {number: '1.1', title: Front door}\n"
    ))
    repo.commit("House library\n\nApproved-by: Pat Approver <pat@example.org>")  # approval_evidence: trailer

    checked = repo.check()
    built = repo.build()

    assert checked.returncode == 0, checked.output
    assert built.returncode == 0, built.output
    coverage = "\n".join(p.read_text() for p in repo.site.rglob("*.html") if "Front door" in p.read_text())
    assert "House standard 2026" in coverage


# --------------------------------------------------------------------------- the schema itself

SPEC_DEFAULTS = {  # spec §7, as written there
    "library": {"policy": "policies", "process": "processes", "procedure": "procedures", "external": "external"},
    "root_policy": None,
    "review_interval_months": 12,
    "suspect_on": "major",
    "publish_drafts": False,
    "include_restricted": False,
    "past_versions": True,
    "allow_html": False,
    "people": (),
    "clauses": None,
    "templates": None,
    "teams": {},
    "severity": {},
    "approvers": {},
    "approval_evidence": "none",
}


def test_the_defaults_are_those_of_the_spec(tmp_path):
    settings = parse_options({}, tmp_path)

    assert set(SCHEMA) == {*SPEC_DEFAULTS, "duplicate_threshold", "max_words"}  # ours, beyond the spec
    for name, default in SPEC_DEFAULTS.items():
        assert getattr(settings, name) == default, name
        assert SCHEMA[name].default == default, name
    assert settings.duplicate_threshold == 0.8
    assert settings.max_words == {"policy": 4000, "process": 4000, "procedure": 2500}
    assert settings.clause_list == packaged_clause_list()
    assert settings.clause_list.standard == "ISO/IEC 20000-1:2018"
    assert all(option.doc for option in SCHEMA.values())


def test_notice_is_a_severity_an_author_may_set(tmp_path):
    settings = parse_options({"severity": {"SMS305": "notice", "SMS202": False}}, tmp_path)

    assert settings.severity == {"SMS305": "notice", "SMS202": "off"}


def test_library_folders_are_kept_relative_and_normalised(tmp_path):
    root = tmp_path.resolve()
    settings = parse_options({"library": {"policy": "./docs//policies/", "process": str(root / "lib" / "processes")}}, root)

    assert settings.library["policy"] == "docs/policies"
    assert settings.library["process"] == "lib/processes"
    assert settings.folder("procedure") == root / "procedures"


def test_the_options_must_be_a_mapping(tmp_path):
    with pytest.raises(OptionsError) as refused:
        parse_options(["severity"], tmp_path)

    assert "the options must be a mapping" in str(refused.value)


def test_the_packaged_clause_list_has_unique_numbered_clauses():
    clauses = packaged_clause_list().clauses

    assert len(clauses) > 50
    assert len({c.number for c in clauses}) == len(clauses)
    assert all(c.number and c.title for c in clauses)


def test_clause_numbers_given_as_whole_numbers_are_read_as_text(tmp_path: Path):
    (tmp_path / "c.yml").write_text("clauses:\n  - {number: 4, title: Context}\n")

    settings = parse_options({"clauses": "c.yml"}, tmp_path)

    assert [c.number for c in settings.clause_list.clauses] == ["4"]
    assert settings.clause_list.standard == ""
