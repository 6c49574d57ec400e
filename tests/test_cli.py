"""`sms-docs check` (SPEC §6): its three output formats and its exit codes.

Formats are checked in-process (cli.main); exit codes as a user sees them, from a real
`sms-docs` process.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from support import LibraryRepo, clean_docs, doc, subprocess_env

ORPHAN = "procedures/pro-inc-002.md"


@pytest.fixture
def broken_library(make_library):
    """One error (an orphan procedure, SMS202 at line 1) and one warning (a gap, SMS208)."""
    return make_library(
        *clean_docs(),
        doc("PRO-INC-002", "procedure"),
        doc("PRC-CHG", "process", parents=["POL-INC"]),
    )


@pytest.fixture
def warning_library(make_library):
    """Only a warning: a process without procedures (SMS208)."""
    return make_library(*clean_docs(), doc("PRC-CHG", "process", parents=["POL-INC"]))


# --------------------------------------------------------------------------- text


def test_text_format_prints_path_line_code_severity_message(broken_library, run_cli):
    result = run_cli(broken_library, "check")
    findings = run_cli(broken_library, "check", "--format", "json").json["findings"]
    expected = [f"{f['path']}:{f['line']}: {f['code']} {f['severity']}: {f['message']}" for f in findings]
    assert result.stdout.splitlines() == expected
    # Sorted by path, then line: procedures/ before processes/.
    assert result.stdout.splitlines()[0].startswith("procedures/pro-inc-002.md:1: SMS202 error: orphan")
    assert result.stdout.splitlines()[1].startswith("processes/prc-chg.md:2: SMS208 warning: gap")


def test_text_format_matches_the_documented_line_shape(broken_library, run_cli):
    for line in run_cli(broken_library, "check").stdout.splitlines():
        assert re.fullmatch(r"[\w./-]+\.md:\d+: SMS\d{3} (error|warning): \S.*", line), line


def test_text_format_summary_goes_to_stderr(broken_library, run_cli):
    result = run_cli(broken_library, "check")
    assert "6 documents checked: 1 error(s), 1 warning(s)" in result.stderr
    assert "documents checked" not in result.stdout


def test_clean_library_prints_no_findings(clean_library, run_cli):
    result = run_cli(clean_library, "check")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "4 documents checked: 0 error(s), 0 warning(s)" in result.stderr


# --------------------------------------------------------------------------- json


def test_json_format_has_exactly_the_documented_shape(broken_library, run_cli):
    data = run_cli(broken_library, "check", "--format", "json").json
    assert set(data) == {"findings", "documents"}
    assert data["documents"] == 6
    for finding in data["findings"]:
        assert set(finding) == {"code", "severity", "path", "line", "message", "id"}
    assert data["findings"] == [
        {
            "code": "SMS202",
            "severity": "error",
            "path": ORPHAN,
            "line": 1,
            "message": data["findings"][0]["message"],
            "id": "PRO-INC-002",
        },
        {
            "code": "SMS208",
            "severity": "warning",
            "path": "processes/prc-chg.md",
            "line": 2,
            "message": data["findings"][1]["message"],
            "id": "PRC-CHG",
        },
    ]
    assert all(isinstance(f["line"], int) and f["message"] for f in data["findings"])


def test_json_paths_are_relative_to_the_repository_root_whatever_the_working_folder(broken_library, run_cli):
    elsewhere = broken_library.root / "content"
    data = run_cli(elsewhere, "-f", str(broken_library.root / "mkdocs.yml"), "check", "--format", "json").json
    assert [f["path"] for f in data["findings"]] == [ORPHAN, "processes/prc-chg.md"]


def test_json_id_is_null_for_a_file_without_an_id(make_library, run_cli):
    library = make_library(*clean_docs())
    library.write(ORPHAN, "no front matter\n")
    library.commit()
    (finding,) = run_cli(library, "check", "--format", "json").json["findings"]
    assert (finding["code"], finding["id"]) == ("SMS101", None)


def test_json_for_a_clean_library(clean_library, run_cli):
    result = run_cli(clean_library, "check", "--format", "json")
    assert result.json == {"findings": [], "documents": 4}


# --------------------------------------------------------------------------- github


def test_github_format_prints_workflow_annotations(broken_library, run_cli):
    lines = run_cli(broken_library, "check", "--format", "github").stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"::error file={ORPHAN},line=1,title=SMS202::SMS202: orphan")
    assert lines[1].startswith("::warning file=processes/prc-chg.md,line=2,title=SMS208::SMS208: gap")


def test_github_annotations_escape_newlines_and_percent(make_library, run_cli):
    # A message quoting a YAML error may span lines; an annotation must stay on one.
    library = make_library(*clean_docs())
    library.write(ORPHAN, '---\nid: PRO-INC-002\ntitle: "100% unterminated\n---\n')
    library.commit()
    lines = run_cli(library, "check", "--format", "github").stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"::error file={ORPHAN},line=")


# --------------------------------------------------------------------------- exit codes (real processes)


def test_exit_0_when_clean(clean_library):
    result = clean_library.check()
    assert result.returncode == 0, result.output


def test_exit_1_on_errors(broken_library):
    result = broken_library.check()
    assert result.returncode == 1
    assert f"{ORPHAN}:1: SMS202 error:" in result.stdout


def test_exit_0_with_warnings_only(warning_library):
    result = warning_library.check()
    assert result.returncode == 0
    assert "processes/prc-chg.md:2: SMS208 warning:" in result.stdout


def test_exit_1_with_warnings_under_strict(warning_library):
    result = warning_library.check("--strict")
    assert result.returncode == 1
    assert "SMS208 warning" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_exit_codes_do_not_depend_on_the_format(broken_library, warning_library, fmt):
    assert broken_library.check("--format", fmt).returncode == 1
    assert warning_library.check("--format", fmt).returncode == 0
    assert warning_library.check("--format", fmt, "--strict").returncode == 1


def test_exit_2_when_mkdocs_yml_is_missing(clean_library):
    clean_library.remove("mkdocs.yml")
    result = clean_library.check()
    assert result.returncode == 2
    assert "mkdocs.yml" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "options",
    [
        {"severity": {"SMS208": "loud"}},
        {"severity": {"SMS999": "error"}},
        {"review_interval_months": "twelve"},
        {"library": {"guideline": "guidelines"}},
        {"suspect_on": "sometimes"},
        {"severity": ["SMS208"]},
    ],
    ids=["severity-level", "severity-code", "interval-type", "library-type", "suspect-on", "severity-list"],
)
def test_exit_2_when_plugin_options_are_invalid(clean_library, options):
    clean_library.write_config(options)
    result = clean_library.check()
    assert result.returncode == 2
    assert "invalid sms-docs options" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "site_name: x\nplugins:\n  - search\n  - sms-docs: true\n",
        "- site_name\n- plugins\n",
    ],
    ids=["options-not-a-mapping", "config-not-a-mapping"],
)
def test_exit_2_when_mkdocs_yml_has_the_wrong_shape(clean_library, text):
    clean_library.write("mkdocs.yml", text)
    result = clean_library.check()
    assert result.returncode == 2
    assert result.stderr.startswith("sms-docs: mkdocs.yml")
    assert "Traceback" not in result.stderr


def test_exit_2_when_mkdocs_yml_is_not_yaml(clean_library):
    clean_library.write("mkdocs.yml", "site_name: [unclosed\n")
    result = clean_library.check()
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_exit_2_on_usage_error(clean_library):
    result = clean_library.run_cli("check", "--format", "xml")
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_check_reads_the_same_options_block_as_the_build(warning_library):
    warning_library.write_config({"severity": {"SMS208": "error"}})
    result = warning_library.check()
    assert result.returncode == 1
    assert "processes/prc-chg.md:2: SMS208 error:" in result.stdout


def test_check_accepts_mkdocs_yml_with_python_tags(clean_library):
    # Material's own documentation configures emoji with !!python/name tags.
    text = (clean_library.root / "mkdocs.yml").read_text()
    text += (
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
    )
    clean_library.write("mkdocs.yml", text)
    result = clean_library.check()
    assert result.returncode == 0, result.stderr


def test_check_renders_no_html(broken_library, clean_library):
    clean_library.check()
    assert not (clean_library.root / "site").exists()
    assert not any(clean_library.root.glob("site*"))


def test_check_as_a_python_module(clean_library):
    done = subprocess.run(
        [sys.executable, "-m", "sms_docs_plugin.cli", "check", "--format", "json"],
        cwd=clean_library.root, env=subprocess_env(), capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"documents": 4' in done.stdout


@pytest.mark.parametrize("command", [["register"], ["check"], ["history", "PRO-INC-001"]])
def test_a_reader_that_stops_reading_ends_the_command_quietly(make_library, command):
    """`sms-docs register | head -1`: the pipe closes before everything is written."""
    repo = make_library(*clean_docs(), doc("PRO-ORPHAN-001", "procedure", ["PRC-MISSING"]))
    process = subprocess.Popen(
        [sys.executable, "-m", "sms_docs_plugin.cli", *command],
        cwd=repo.root, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command has written anything
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)

    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert process.returncode in (0, 1)


# --------------------------------------------------------------------------- what is kept between runs


def test_a_later_check_sees_each_edit_although_parsed_documents_are_kept_between_runs(clean_library):
    assert clean_library.check().returncode == 0
    assert (clean_library.root / ".git" / "sms-docs" / "documents-v2.json").is_file()
    orphan = clean_library.spec("PRO-INC-001").path
    text = (clean_library.root / orphan).read_text()
    clean_library.write(orphan, text.replace("parents: [PRC-INC]", "parents: []"))

    broken = clean_library.check()
    assert broken.returncode == 1 and f"{orphan}:" in broken.stdout and "SMS202" in broken.stdout

    clean_library.write(orphan, text)
    assert clean_library.check().returncode == 0


def test_a_moved_file_is_reported_under_its_new_path(clean_library):
    clean_library.check()
    old = clean_library.spec("PRO-INC-001").path
    new = old.replace("procedures/", "procedures/moved/")
    clean_library.write(new, (clean_library.root / old).read_text().replace("parents: [PRC-INC]", "parents: []"))
    clean_library.remove(old)
    clean_library.check()
    clean_library.write(new, (clean_library.root / new).read_text() + "\n")

    result = clean_library.check()

    assert f"{new}:" in result.stdout and f"{old}:" not in result.stdout


@pytest.mark.parametrize("kept", ["documents-v2.json", "history-v3.marshal", "blobs-v4.marshal"])
def test_a_damaged_file_kept_between_runs_is_ignored(clean_library, kept):
    first = clean_library.check("--format", "json")
    folder = clean_library.root / ".git" / "sms-docs"
    (folder / kept).write_bytes(b"\x80\x05not what was written")
    if kept.startswith("blobs"):
        (folder / "history-v3.marshal").unlink()  # else the stored history of HEAD is used, not the blobs

    again = clean_library.check("--format", "json")

    assert again.returncode == first.returncode == 0, again.output
    assert again.stdout == first.stdout


def test_a_library_in_a_folder_of_a_larger_repository_names_files_from_the_repository_root(tmp_path, run_cli):
    """JSON and GitHub annotations give paths from the repository's root (SPEC §6), where
    GitHub finds the files; text lines stay relative to the library, where the author runs it."""
    outer = tmp_path / "monorepo"
    library = LibraryRepo.create(outer / "handbook", [*clean_docs(), doc("PRO-ORPHAN-001", "procedure", ["PRC-MISSING"])], commit=False)
    shutil.rmtree(library.root / ".git")
    library.git("init", "-q", "-b", "main", str(outer))
    (outer / "README.md").write_text("Other things live here too.\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(outer), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(outer), "-c", "user.name=A B", "-c", "user.email=a@b.c", "commit", "-qm", "All"], check=True)
    orphan = library.spec("PRO-ORPHAN-001").path

    as_json = run_cli(library, "check", "--format", "json")
    github = run_cli(library, "check", "--format", "github")
    text = run_cli(library, "check")

    assert {f["path"] for f in as_json.json["findings"]} == {f"handbook/{orphan}"}
    assert f"file=handbook/{orphan}," in github.stdout
    assert text.stdout.startswith(f"{orphan}:")
    assert as_json.exit_code == github.exit_code == text.exit_code == 1
