"""Authoring through pull requests (SPEC §6): `sms-docs new`, `schema`, `register`,
`codeowners`, the pre-commit hook and the CI workflows, and the newcomer's whole path from
`sms-docs new` to a published page.

Libraries are real git repositories in a temporary folder; `sms-docs` runs in-process
(`run_cli`) or as a real process, `mkdocs build` always as a real process.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from findings_support import (
    REPO_ROOT,
    as_editor_sees,
    check_json,
    commit_by,
    library_at,
    sample_documents,
    schema_errors,
    split_front_matter,
)
from support import (
    AUTHOR,
    COMMIT_DATE,
    LibraryRepo,
    clean_docs,
    describe,
    doc,
    read_page,
    snapshot,
    subprocess_env,
    template_sections,
)

from sms_docs_plugin.register import REGISTER_FIELDS
from sms_docs_plugin.schema import front_matter_schema

ID_PATTERN = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"  # SPEC §2, written out here as the oracle
DRAFT = {"status": "draft", "version": "0.1", "approver": None, "approved": None}


def authoring_docs() -> list:
    """Root policy › incident policy › incident process with two procedures in procedures/incident/."""
    return [
        doc("POL-SMS", "policy", title="Service management policy", owner="Service Owner"),
        doc("POL-INC", "policy", parents=["POL-SMS"], title="Incident management policy", owner="Head of Service Desk"),
        doc("PRC-INC", "process", parents=["POL-INC"], title="Incident management", owner="Incident Manager"),
        doc("PRO-INC-001", "procedure", parents=["PRC-INC"], subdir="incident", title="Log an incident"),
        doc("PRO-INC-002", "procedure", parents=["PRC-INC"], subdir="incident", title="Classify an incident"),
    ]


@pytest.fixture
def library(make_library) -> LibraryRepo:
    return make_library(*authoring_docs())


def new(run_cli, repo: LibraryRepo, *args: str) -> tuple[str, Path]:
    """`sms-docs new ARGS`; asserts success and the one-line `ID PATH` answer, returns both."""
    result = run_cli(repo, "new", *args)
    assert result.exit_code == 0, result.stderr
    match = re.fullmatch(r"(\S+) (\S+)\n", result.stdout)
    assert match, f"expected `ID PATH`, got {result.stdout!r}"
    path = repo.root / match.group(2)
    assert path.is_file(), f"{match.group(2)} was not written"
    return match.group(1), path


def worktree(repo: LibraryRepo) -> dict[str, str]:
    """Every file of the library outside `.git` (where the tool keeps its cache) -> its hash."""
    return {path: digest for path, digest in snapshot(repo.root).items() if not path.startswith(".git/")}


def h2(body: str) -> list[str]:
    return [line[3:].strip() for line in body.split("\n") if line.startswith("## ")]


# --------------------------------------------------------------------------- sms-docs new


def test_new_procedure_takes_the_next_number_under_its_process_beside_its_siblings(library, run_cli):
    result = run_cli(library, "new", "procedure", "--title", "Reopen a closed incident", "--parent", "PRC-INC")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "PRO-INC-003 procedures/incident/pro-inc-003-reopen-a-closed-incident.md\n"
    assert (library.root / "procedures/incident/pro-inc-003-reopen-a-closed-incident.md").is_file()


def test_new_procedure_front_matter_is_a_valid_draft(library, run_cli):
    _, path = new(run_cli, library, "procedure", "--title", "Reopen a closed incident", "--parent", "PRC-INC")
    front, _ = split_front_matter(path.read_text(encoding="utf-8"))
    assert list(front)[:6] == ["id", "type", "title", "version", "status", "owner"]  # the guide's key order
    assert front["id"] == "PRO-INC-003"
    assert front["type"] == "procedure"
    assert front["title"] == "Reopen a closed incident"
    assert front["version"] == "0.1"  # a string, as YAML reads it back
    assert front["status"] == "draft"
    assert front["parents"] == ["PRC-INC"]
    assert "approver" not in front and "approved" not in front
    assert schema_errors(as_editor_sees(front), front_matter_schema()) == []


def test_new_procedure_body_has_its_templates_sections_in_order(library, run_cli):
    _, path = new(run_cli, library, "procedure", "--title", "Reopen a closed incident", "--parent", "PRC-INC")
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    assert body.lstrip("\n").startswith("# Reopen a closed incident\n")
    assert h2(body) == template_sections("procedure") == ["Purpose", "When to use", "Roles", "Inputs", "Steps", "Records"]


def test_new_draft_passes_check_without_any_finding(library, run_cli, findings_of):
    new(run_cli, library, "procedure", "--title", "Reopen a closed incident", "--parent", "PRC-INC")
    assert findings_of(library, "--strict") == []
    assert run_cli(library, "check").exit_code == 0


def test_second_new_procedure_takes_the_following_number(library, run_cli):
    first, _ = new(run_cli, library, "procedure", "--title", "Reopen a closed incident", "--parent", "PRC-INC")
    second, path = new(run_cli, library, "procedure", "--title", "Merge duplicate incidents", "--parent", "PRC-INC")
    assert (first, second) == ("PRO-INC-003", "PRO-INC-004")
    assert path.relative_to(library.root).as_posix() == "procedures/incident/pro-inc-004-merge-duplicate-incidents.md"


def test_id_deleted_in_git_history_is_never_reused(make_library, run_cli):
    gone = doc("PRO-INC-003", "procedure", parents=["PRC-INC"], subdir="incident", title="Escalate by fax")
    repo = make_library(*authoring_docs(), gone)
    repo.remove(gone.path)
    repo.commit("Delete the fax procedure")
    assert not (repo.root / gone.path).exists()
    new_id, _ = new(run_cli, repo, "procedure", "--title", "Escalate by pager", "--parent", "PRC-INC")
    assert new_id == "PRO-INC-004"


def test_id_a_document_gave_up_in_history_is_never_reused(make_library, run_cli):
    # PRO-INC-003 moved to the request process and became PRO-REQ-001: its old id stays used.
    moved = doc("PRO-INC-003", "procedure", parents=["PRC-INC"], subdir="incident")
    repo = make_library(*authoring_docs(), doc("PRC-REQ", "process", parents=["POL-INC"]), moved)
    repo.write(moved.path, moved.text().replace("id: PRO-INC-003", "id: PRO-REQ-001").replace("[PRC-INC]", "[PRC-REQ]"))
    repo.commit("Move the procedure to request management")
    new_id, _ = new(run_cli, repo, "procedure", "--title", "Escalate by pager", "--parent", "PRC-INC")
    assert new_id == "PRO-INC-004"


def test_first_procedure_of_a_process_is_number_001_in_the_procedure_folder(library, run_cli):
    library.add(doc("PRC-REQ", "process", parents=["POL-INC"], title="Service request management"))
    library.commit("Add the request process")
    result = run_cli(library, "new", "procedure", "--title", "Reset a password", "--parent", "PRC-REQ")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "PRO-REQ-001 procedures/pro-req-001-reset-a-password.md\n"


def test_new_procedure_with_several_parents_lists_them_and_numbers_under_the_first(library, run_cli):
    library.add(doc("PRC-REQ", "process", parents=["POL-INC"], title="Service request management"))
    new_id, path = new(run_cli, library, "procedure", "--title", "Restore access", "--parent", "prc-inc",
                       "--parent", "PRC-REQ")
    front, _ = split_front_matter(path.read_text(encoding="utf-8"))
    assert new_id == "PRO-INC-003"
    assert front["parents"] == ["PRC-INC", "PRC-REQ"]  # the parent's id as the library spells it


def test_new_process_id_comes_from_its_title_and_never_collides(library, run_cli):
    first, path = new(run_cli, library, "process", "--title", "Problem management", "--parent", "POL-INC")
    second, _ = new(run_cli, library, "process", "--title", "Problem management", "--parent", "POL-INC")
    assert (first, second) == ("PRC-PRO", "PRC-PRO2")
    assert path.relative_to(library.root).as_posix() == "processes/prc-pro-problem-management.md"
    front, body = split_front_matter(path.read_text(encoding="utf-8"))
    assert (front["type"], front["parents"], front["owner"]) == ("process", ["POL-INC"], "Head of Service Desk")
    assert h2(body) == template_sections("process")
    assert re.match(ID_PATTERN, first) and re.match(ID_PATTERN, second)


def test_new_policy_id_and_template(library, run_cli):
    new_id, path = new(run_cli, library, "policy", "--title", "Information security policy", "--parent", "POL-SMS")
    assert new_id == "POL-IS"
    front, body = split_front_matter(path.read_text(encoding="utf-8"))
    assert (front["id"], front["type"], front["parents"], front["owner"]) == ("POL-IS", "policy", ["POL-SMS"], "Service Owner")
    assert h2(body) == template_sections("policy")


def test_new_policy_without_a_parent_hangs_under_the_root_policy_and_takes_its_owner(library, run_cli, findings_of):
    _, path = new(run_cli, library, "policy", "--title", "Supplier policy")
    front, _ = split_front_matter(path.read_text(encoding="utf-8"))
    assert front["parents"] == ["POL-SMS"]
    assert front["owner"] == library.spec("POL-SMS").fields["owner"]
    # Only the gap every new policy has until a process implements it: no hierarchy error.
    assert [f["code"] for f in findings_of(library)] == ["SMS208"]


def test_the_first_policy_of_an_empty_library_needs_an_owner_and_is_the_root(make_library, run_cli, findings_of):
    empty = make_library()
    refused = run_cli(empty, "new", "policy", "--title", "Service management policy")
    assert refused.exit_code == 2
    assert "--owner" in refused.stderr
    _, path = new(run_cli, empty, "policy", "--title", "Service management policy", "--owner", "Service Management Lead")
    front, _ = split_front_matter(path.read_text(encoding="utf-8"))
    assert front["owner"] == "Service Management Lead"
    assert "parents" not in front


def test_new_refuses_a_parent_that_does_not_exist(library, run_cli):
    before = worktree(library)
    result = run_cli(library, "new", "procedure", "--title", "Reopen", "--parent", "PRC-NOPE")
    assert result.exit_code == 2
    assert "PRC-NOPE" in result.stderr and "does not exist" in result.stderr
    assert result.stdout == ""
    assert worktree(library) == before


@pytest.mark.parametrize(
    ("doc_type", "parent", "expected"),
    [
        ("procedure", "POL-INC", "must be a process"),
        ("procedure", "PRO-INC-001", "must be a process"),
        ("process", "PRC-INC", "must be a policy"),
        ("process", "PRO-INC-001", "must be a policy"),
        ("policy", "PRC-INC", "must be a policy"),
    ],
)
def test_new_refuses_a_parent_at_the_wrong_level(library, run_cli, doc_type, parent, expected):
    before = worktree(library)
    result = run_cli(library, "new", doc_type, "--title", "Something new", "--parent", parent)
    assert result.exit_code == 2
    assert parent in result.stderr and expected in result.stderr
    assert worktree(library) == before


def test_new_procedure_without_a_parent_is_refused(library, run_cli):
    result = run_cli(library, "new", "procedure", "--title", "Reopen")
    assert result.exit_code == 2
    assert "--parent" in result.stderr


def test_owner_defaults_to_the_parents_owner_and_can_be_given(library, run_cli):
    _, inherited = new(run_cli, library, "procedure", "--title", "Reopen", "--parent", "PRC-INC")
    _, given = new(run_cli, library, "procedure", "--title", "Merge", "--parent", "PRC-INC", "--owner", "Service Desk Lead")
    assert split_front_matter(inherited.read_text(encoding="utf-8"))[0]["owner"] == "Incident Manager"
    assert split_front_matter(given.read_text(encoding="utf-8"))[0]["owner"] == "Service Desk Lead"


@pytest.mark.parametrize(
    "title",
    [
        'Escalate: "major" incidents',
        "Who's on call? #1 priority",
        "100% uptime - [draft] {v2} & more",
        "Yes",
        "Off",
        "Null",
        "  Reopen   a closed\tincident  ",
        "Ends with a colon:",
        "Back\\slash and 'quotes'",
    ],
)
def test_title_round_trips_through_yaml(library, run_cli, findings_of, title):
    _, path = new(run_cli, library, "procedure", "--title", title, "--parent", "PRC-INC", "--owner", "On: Call")
    front, body = split_front_matter(path.read_text(encoding="utf-8"))
    assert front["title"] == " ".join(title.split())
    assert front["owner"] == "On: Call"
    assert body.lstrip("\n").startswith(f"# {' '.join(title.split())}\n")
    rel = path.relative_to(library.root).as_posix()
    assert [f for f in findings_of(library) if f["path"] == rel] == []


def test_new_uses_the_libraries_own_template_folder(make_library, run_cli):
    repo = make_library(*authoring_docs(), options={"templates": "house-templates"})
    repo.write("house-templates/procedure.md", "# {{ title }}\n\n## Purpose\n\nWhy.\n\n## Checklist\n\n- [ ] Ready.\n")
    _, path = new(run_cli, repo, "procedure", "--title", "Reopen", "--parent", "PRC-INC")
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    assert h2(body) == ["Purpose", "Checklist"]
    assert "# Reopen\n" in body


# --------------------------------------------------------------------------- the newcomer's path


def test_newcomer_creates_checks_approves_and_publishes_a_procedure(make_library):
    """The issue's "Done when", step by step as the author's guide tells it."""
    repo = make_library(*authoring_docs())
    made = repo.run_cli("new", "procedure", "--title", "Reopen a closed incident", "--parent", "PRC-INC",
                        "--owner", "Incident Manager")
    assert made.returncode == 0, made.output
    new_id, rel = made.stdout.split()
    assert new_id == "PRO-INC-003"

    checked = repo.check()
    assert checked.returncode == 0, checked.output  # a draft is fine

    # "A new document is normally drafted as "0.1" with status: draft, and becomes "1.0" when first approved."
    path = repo.root / rel
    text = path.read_text(encoding="utf-8")
    text = text.replace('version: "0.1"', 'version: "1.0"').replace("status: draft", "status: approved")
    text = text.replace("owner: Incident Manager\n",
                        "owner: Incident Manager\napprover: Head of Service Desk\napproved: 2026-05-20\n"
                        'records: [{name: Reopened incident record, location: Service desk tool, retention: "2y"}]\n')
    # The template's placeholder sentences make way for the procedure's own text (SMS408).
    front, body = text.split("\n---\n", 1)
    body = "\n".join(
        line if not line or line.startswith("#") else f"PRO-INC-003 {line.lstrip('-0123456789. ')}, for reopened incidents."
        for line in body.split("\n")
    )
    path.write_text(front + "\n---\n" + body, encoding="utf-8")
    repo.commit("Approve PRO-INC-003")
    strict = repo.check("--strict")
    assert strict.returncode == 0, strict.output

    built = repo.build("--strict")
    assert built.returncode == 0, built.output
    page = repo.page(rel)
    assert page.is_file(), f"no page for {rel}"
    html = read_page(page)
    assert "PRO-INC-003" in html.find("h1").text
    assert "Reopen a closed incident" in html.find("h1").text
    register = json.loads((repo.site / "register.json").read_text(encoding="utf-8"))
    [row] = [r for r in register["documents"] if r["id"] == "PRO-INC-003"]
    assert (row["version"], row["status"], row["approver"]) == ("1.0", "approved", "Head of Service Desk")


# --------------------------------------------------------------------------- sms-docs schema


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    """`sms-docs schema` as a real process, in a library folder."""
    result = library_at(tmp_path_factory.mktemp("schema") / "library", *clean_docs()).run_cli("schema")
    assert result.returncode == 0, result.output
    return json.loads(result.stdout)


def test_schema_is_a_json_schema_with_the_required_fields(schema):
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["type"] == "object"
    assert set(schema["required"]) == {"id", "type", "title", "owner"}
    # A policy, process or procedure also needs a version and a status; an external document
    # its publisher, edition, location and review date (SPEC §2).
    controlled, external = schema["oneOf"]
    assert set(controlled["required"]) == {"version", "status"}
    assert set(external["required"]) == {"id", "type", "title", "owner", "publisher", "edition", "location", "review"}
    assert set(schema["properties"]) >= {
        "id", "type", "title", "version", "status", "owner", "approver", "approved", "effective", "review",
        "parents", "clauses", "change", "classification", "supersedes", "tags", "records", "references",
        "publisher", "edition", "location",
    }


def test_schema_id_pattern_is_the_specifications(schema):
    pattern = schema["properties"]["id"]["pattern"]
    assert pattern == ID_PATTERN
    assert re.search(pattern, "PRO-INC-002") and re.search(pattern, "POL-SMS")
    for bad in ("pro-inc-002", "PRO", "PRO--1", "1PRO-A", "PRO-INC-"):
        assert not re.search(pattern, bad), bad


def test_schema_version_is_a_string_pattern(schema):
    version = schema["properties"]["version"]
    assert version["type"] == "string"
    for good in ("0.1", "2.1", "1.10", "10.0"):
        assert re.search(version["pattern"], good), good
    for bad in ("1", "1.0.0", "01.0", "v1.0", "1.a"):
        assert not re.search(version["pattern"], bad), bad


def test_schema_enums_and_approval_condition(schema):
    properties = schema["properties"]
    assert set(properties["type"]["enum"]) == {"policy", "process", "procedure", "external"}
    assert set(properties["status"]["enum"]) == {"draft", "approved", "retired"}
    assert set(properties["classification"]["enum"]) == {"public", "internal", "restricted"}
    assert schema["if"] == {"properties": {"status": {"const": "approved"}}, "required": ["status"]}
    assert set(schema["then"]["required"]) == {"approver", "approved"}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"version": 1.1}, "version"),  # unquoted: YAML gives a number
        ({"id": "pro-inc-002"}, "id"),
        ({"status": "published"}, "status"),
        ({"approver": None}, "approver"),
        ({"approved": "2 March 2026"}, "approved"),
        ({"parents": ["PRC-INC", "prc-x"]}, "parents"),
        ({"aproved": "2026-03-02"}, "aproved"),
    ],
)
def test_schema_rejects_invalid_front_matter(schema, change, problem):
    front = {
        "id": "PRO-INC-002", "type": "procedure", "title": "Log", "version": "2.1", "status": "approved",
        "owner": "Incident Manager", "approver": "Head of Service Desk", "approved": "2026-03-02",
        "parents": ["PRC-INC"],
    }
    assert schema_errors(front, schema) == []
    front.update(change)
    front = {k: v for k, v in front.items() if v is not None}
    errors = schema_errors(front, schema)
    assert errors and any(problem in e for e in errors), errors


@pytest.mark.parametrize("path", sample_documents(), ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_every_sample_document_satisfies_the_schema(schema, path):
    front, _ = split_front_matter(path.read_text(encoding="utf-8-sig"))
    assert schema_errors(as_editor_sees(front), schema) == []


def test_the_sample_has_documents_of_every_type():
    folders = {p.relative_to(REPO_ROOT).parts[0] for p in sample_documents()}
    assert folders == {"policies", "processes", "procedures", "external"}


# --------------------------------------------------------------------------- sms-docs register


@pytest.fixture(scope="module")
def register_library(tmp_path_factory) -> LibraryRepo:
    repo = library_at(
        tmp_path_factory.mktemp("register") / "library",
        *clean_docs(),
        doc("PRO-INC-002", "procedure", parents=["PRC-INC"], title="Handle a security breach", classification="restricted"),
        doc("PRO-INC-003", "procedure", parents=["PRC-INC"], title="Draft triage", **DRAFT),
        doc("PRO-INC-004", "procedure", parents=["PRC-INC"], title="Escalate by fax", status="retired", version="2.0",
            change="Paging replaced fax."),
        doc("PRO-INC-005", "procedure", parents=["PRC-INC"], title='Escalate, then "close"', effective="2026-02-01"),
        variants={"restricted.yml": {"include_restricted": True}},
    )
    built = repo.build()
    assert built.returncode == 0, built.output
    return repo


def test_register_csv_is_the_sites_register_csv(register_library, run_cli):
    result = run_cli(register_library, "register", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (register_library.site / "register.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == REGISTER_FIELDS
    assert {"id", "title", "type", "version", "status", "owner", "approver", "approved", "next_review", "parents"} <= set(rows[0])
    assert {r["id"] for r in rows} == {"POL-INC", "POL-SMS", "PRC-INC", "PRO-INC-001", "PRO-INC-004", "PRO-INC-005"}
    escalate = next(r for r in rows if r["id"] == "PRO-INC-005")
    assert escalate["title"] == 'Escalate, then "close"'
    assert (escalate["version"], escalate["parents"], escalate["effective"]) == ("1.0", "PRC-INC", "2026-02-01")


def test_csv_is_the_default_register_format(register_library, run_cli):
    assert run_cli(register_library, "register").stdout == run_cli(register_library, "register", "--format", "csv").stdout


def test_register_json_is_the_sites_register_json(register_library, run_cli):
    result = run_cli(register_library, "register", "--format", "json")
    assert result.exit_code == 0, result.stderr
    site = json.loads((register_library.site / "register.json").read_text(encoding="utf-8"))
    assert result.json == site
    assert result.json["commit"] == register_library.head
    assert {d["id"] for d in result.json["documents"]} == {"POL-INC", "POL-SMS", "PRC-INC", "PRO-INC-001", "PRO-INC-004",
                                                          "PRO-INC-005"}


def test_register_leaves_out_restricted_documents_and_drafts(register_library, run_cli):
    for fmt in ("csv", "json"):
        out = run_cli(register_library, "register", "--format", fmt).stdout
        assert "PRO-INC-002" not in out and "security breach" not in out, fmt
        assert "PRO-INC-003" not in out, fmt


def test_register_lists_restricted_documents_when_the_build_includes_them(register_library, run_cli):
    result = run_cli(register_library, "-f", "restricted.yml", "register", "--format", "json")
    ids = [d["id"] for d in result.json["documents"]]
    assert "PRO-INC-002" in ids


# --------------------------------------------------------------------------- sms-docs codeowners


TEAMS = {"Service Owner": "@org/owners", "Head of Service": "@org/heads", "Service Delivery Manager": "@org/heads"}


@pytest.fixture
def owned_library(make_library) -> LibraryRepo:
    return make_library(
        *clean_docs(),
        doc("PRO-INC-002", "procedure", parents=["PRC-INC"], owner="Incident Manager"),
        doc("PRO-INC-003", "procedure", parents=["PRC-INC"], owner="Night Shift Lead", approver="Duty Manager"),
        doc("PRO-INC-004", "procedure", parents=["PRC-INC"], **DRAFT),
        doc("PRO-INC-005", "procedure", parents=["PRC-INC"], owner="Service Delivery Manager",
            path="procedures/on call/pro-inc-005.md"),
        options={"teams": TEAMS},
    )


def owner_lines(text: str) -> dict[str, list[str]]:
    rules = {}
    for line in text.split("\n"):
        if line and not line.startswith("#"):
            path, *teams = re.split(r"(?<!\\) ", line)
            rules[path] = teams
    return rules


def test_codeowners_maps_each_document_to_its_owner_and_approver_teams(owned_library, run_cli):
    result = run_cli(owned_library, "codeowners")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "wrote .github/CODEOWNERS\n"
    text = (owned_library.root / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert owner_lines(text) == {
        "/policies/pol-inc.md": ["@org/owners", "@org/heads"],
        "/policies/pol-sms.md": ["@org/owners", "@org/heads"],
        "/processes/prc-inc.md": ["@org/owners", "@org/heads"],
        "/procedures/pro-inc-001.md": ["@org/owners", "@org/heads"],
        "/procedures/pro-inc-002.md": ["@org/heads"],  # the owner role has no team
        "/procedures/pro-inc-004.md": ["@org/owners"],  # a draft has no approver yet
        "/procedures/on\\ call/pro-inc-005.md": ["@org/heads"],  # two roles, one team, named once
    }
    assert text.startswith("# ")  # says it is generated


def test_codeowners_lists_roles_without_a_team_on_stderr(owned_library, run_cli):
    result = run_cli(owned_library, "codeowners", "--output", "-")
    assert result.exit_code == 0
    assert "Duty Manager, Incident Manager, Night Shift Lead" in result.stderr
    assert "Service Owner" not in result.stderr and "Head of Service," not in result.stderr


def test_codeowners_output_dash_prints_what_it_would_write(owned_library, run_cli):
    printed = run_cli(owned_library, "codeowners", "--output", "-")
    assert not (owned_library.root / ".github/CODEOWNERS").exists()
    run_cli(owned_library, "codeowners")
    assert printed.stdout == (owned_library.root / ".github/CODEOWNERS").read_text(encoding="utf-8")


def test_codeowners_without_teams_writes_no_rules_and_names_every_role(clean_library, run_cli):
    result = run_cli(clean_library, "codeowners", "--output", "-")
    assert result.exit_code == 0
    assert owner_lines(result.stdout) == {}
    assert "Head of Service, Service Owner" in result.stderr


# --------------------------------------------------------------------------- pre-commit and CI


def test_pre_commit_hook_runs_sms_docs_check_on_the_whole_library():
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "sms-docs-check"]
    assert shlex.split(hook["entry"])[:2] == ["sms-docs", "check"]
    assert hook["pass_filenames"] is False
    assert hook["language"] in ("python", "system")
    assert hook.get("name")
    scripts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["sms-docs"] == "sms_docs_plugin.cli:main"  # what `language: python` installs


def workflows() -> dict[str, dict]:
    found = {}
    for path in sorted((REPO_ROOT / ".github/workflows").glob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
        found[path.name] = data
    return found


def steps_of(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def checkout_depth(workflow: dict) -> object:
    [checkout] = [s for s in steps_of(workflow) if str(s.get("uses", "")).startswith("actions/checkout@")]
    return checkout.get("with", {}).get("fetch-depth")


def test_workflow_files_parse_and_each_has_jobs_with_steps():
    found = workflows()
    assert len(found) >= 2, found.keys()
    for name, workflow in found.items():
        assert workflow["on"], name
        assert steps_of(workflow), name


def test_pull_request_workflow_checks_against_the_base_with_github_annotations():
    [workflow] = [w for w in workflows().values() if "pull_request" in w["on"]]
    assert checkout_depth(workflow) == 0
    runs = [s["run"] for s in steps_of(workflow) if "sms-docs check" in s.get("run", "")]
    assert len(runs) == 1, runs
    words = shlex.split(runs[0])
    assert words[:2] == ["sms-docs", "check"]
    assert words[words.index("--format") + 1] == "github"
    assert "base_ref" in words[words.index("--base") + 1]


def test_publish_workflow_builds_strictly_from_full_history():
    [workflow] = [w for w in workflows().values() if "push" in w["on"]]
    assert checkout_depth(workflow) == 0
    assert any("mkdocs build --strict" in s.get("run", "") for s in steps_of(workflow))


def test_pull_request_workflows_check_command_annotates_an_unversioned_change(tmp_path):
    """The workflow's own command line, run in a clone with `origin/main` as GitHub checks it out."""
    [workflow] = [w for w in workflows().values() if "pull_request" in w["on"]]
    [run] = [s["run"] for s in steps_of(workflow) if "sms-docs check" in s.get("run", "")]
    upstream = library_at(tmp_path / "upstream", *clean_docs())
    clone = tmp_path / "clone"
    env = subprocess_env(GIT_AUTHOR_DATE=COMMIT_DATE, GIT_COMMITTER_DATE=COMMIT_DATE)
    subprocess.run(["git", "clone", "-q", str(upstream.root), str(clone)], check=True, env=env)
    repo = LibraryRepo(clone)
    repo.git("config", "user.name", AUTHOR[0])
    repo.git("config", "user.email", AUTHOR[1])
    repo.git("checkout", "-q", "-b", "feature")
    spec = upstream.spec("PRO-INC-001")
    repo.write(spec.path, spec.text() + "\nA changed step, but no new version.\n")
    commit_by(repo, "Change a step")
    command = shlex.split(run.replace("${{ github.base_ref }}", "main"))
    assert command[0] == "sms-docs"
    result = repo.run_cli(*command[1:])
    assert result.returncode == 1, result.output
    assert re.search(r"^::error file=procedures/pro-inc-001\.md,line=\d+.*SMS301", result.stdout, re.M), result.output


# --------------------------------------------------------------------------- the sample


def test_sample_library_passes_its_own_content_rules(tmp_path):
    """The project's sample (a copy of its committed state) has no SMS4xx finding."""
    clone = tmp_path / "sample"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True, env=subprocess_env())
    findings = check_json(LibraryRepo(clone), SOURCE_DATE_EPOCH=None)["findings"]
    content = [f for f in findings if f["code"].startswith("SMS4")]
    assert content == [], describe(content)

