"""Front-matter rules SMS101–SMS105 (SPEC §2, §3): each one triggered, with its path and line.

Every library here is a real folder with a git repository; the findings come from
`sms-docs check --format json`, run in-process.
"""

from __future__ import annotations

import pytest
from support import Raw, clean_docs, describe, doc, line_of, of_code, only

TARGET = "procedures/pro-inc-002.md"


def procedure(**fields: object) -> object:
    """The document under test: a procedure that is valid unless `fields` break it."""
    fields.setdefault("parents", ["PRC-INC"])
    return doc("PRO-INC-002", "procedure", **fields)


def findings_for(findings: list[dict], path: str = TARGET) -> list[dict]:
    return [f for f in findings if f["path"] == path]


def assert_finding(finding: dict, code: str, severity: str, path: str, line: int, *phrases: str) -> None:
    assert (finding["code"], finding["severity"], finding["path"], finding["line"]) == (code, severity, path, line), (
        describe([finding])
    )
    for phrase in phrases:
        assert phrase in finding["message"], f"{phrase!r} not in {finding['message']!r}"


# --------------------------------------------------------------------------- the clean case


def test_clean_library_has_no_findings(clean_library, run_cli):
    result = run_cli(clean_library, "check", "--format", "json")
    assert result.exit_code == 0
    assert result.json == {"findings": [], "documents": 4}


def test_file_with_bom_and_crlf_line_ends_loads_clean(make_library, findings_of):
    spec = procedure()
    raw = ("\ufeff" + spec.text()).replace("\n", "\r\n").encode("utf-8")
    library = make_library(*clean_docs())
    library.write(TARGET, raw)
    library.commit("Add a procedure written on Windows")
    assert findings_of(library) == []


def test_bom_and_crlf_do_not_shift_line_numbers(make_library, findings_of):
    spec = procedure(colour="blue")
    raw = ("\ufeff" + spec.text()).replace("\n", "\r\n").encode("utf-8")
    library = make_library(*clean_docs())
    library.write(TARGET, raw)
    library.commit("Add a procedure written on Windows")
    finding = only(findings_of(library), "SMS104")
    assert_finding(finding, "SMS104", "warning", TARGET, spec.line_of("colour"))
    assert finding["line"] == 11


def test_documents_in_sub_folders_are_loaded_and_reported_with_posix_paths(make_library, run_cli):
    nested = doc("PRO-INC-003", "procedure", parents=["PRC-INC"], subdir="incident/major", colour="red")
    library = make_library(*clean_docs(), nested)
    result = run_cli(library, "check", "--format", "json")
    assert result.json["documents"] == 5
    finding = only(result.json["findings"], "SMS104")
    assert finding["path"] == "procedures/incident/major/pro-inc-003.md"


def test_all_problems_of_a_file_are_reported_in_one_run(make_library, findings_of):
    spec = procedure(status="published", approved=Raw("2026-13-40"), colour="blue")
    library = make_library(*clean_docs(), spec)
    found = findings_for(findings_of(library))
    assert sorted((f["code"], f["line"]) for f in found) == [
        ("SMS103", spec.line_of("status")),
        ("SMS103", spec.line_of("approved")),
        ("SMS104", spec.line_of("colour")),
    ]


def test_problems_in_several_files_are_all_reported(make_library, findings_of):
    library = make_library(*clean_docs(), procedure(status="published"))
    library.write("processes/prc-broken.md", "no front matter here\n")
    library.write("policies/pol-broken.md", b"---\nid: POL-BAD\ntitle: Caf\xe9\n---\n")
    library.commit()
    codes = {(f["path"], f["code"]) for f in findings_of(library)}
    assert {(TARGET, "SMS103"), ("processes/prc-broken.md", "SMS101"), ("policies/pol-broken.md", "SMS101")} <= codes


def test_findings_carry_the_id_of_their_document(make_library, findings_of):
    spec = procedure(colour="blue", status="published")
    library = make_library(*clean_docs(), spec)
    found = findings_for(findings_of(library))
    assert {f["code"] for f in found} == {"SMS103", "SMS104"}
    assert all(f["id"] == "PRO-INC-002" for f in found), describe(found)


# --------------------------------------------------------------------------- SMS101


def test_file_without_front_matter_is_sms101_at_line_1(make_library, findings_of):
    library = make_library(*clean_docs())
    library.write(TARGET, "# Log a thing\n\nNo front matter at all.\n")
    library.commit()
    finding = only(findings_of(library), "SMS101")
    assert_finding(finding, "SMS101", "error", TARGET, 1, "front matter", "---")


def test_front_matter_that_is_never_closed_is_sms101(make_library, findings_of):
    library = make_library(*clean_docs())
    library.write(TARGET, "---\nid: PRO-INC-002\ntype: procedure\n# Log a thing\n")
    library.commit()
    assert_finding(only(findings_of(library), "SMS101"), "SMS101", "error", TARGET, 1, "never closed", "`---`")


def test_broken_yaml_is_sms101_at_the_line_of_the_yaml_error(make_library, findings_of):
    spec = procedure(owner=Raw("Incident: Manager"))
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS101")
    assert_finding(finding, "SMS101", "error", TARGET, spec.line_of("owner"), "not valid YAML", "fix")
    assert finding["line"] == 7
    # An unparsable file yields that one finding, not a cascade of missing fields.
    assert [f["code"] for f in findings_for(findings_of(library))] == ["SMS101"]


def test_non_utf8_file_is_sms101_at_the_line_of_the_bad_byte(make_library, findings_of):
    text = procedure(title="Cafe opening checks").text()
    raw = text.encode("utf-8").replace(b"Cafe", b"Caf\xe9")  # Latin-1 é
    library = make_library(*clean_docs())
    library.write(TARGET, raw)
    library.commit()
    finding = only(findings_of(library), "SMS101")
    assert_finding(finding, "SMS101", "error", TARGET, line_of(text, "title"), "UTF-8", "save it as UTF-8")
    assert finding["line"] == 4


def test_front_matter_that_is_not_a_mapping_is_sms101(make_library, findings_of):
    library = make_library(*clean_docs())
    library.write(TARGET, "---\n- id: PRO-INC-002\n- type: procedure\n---\n# Body\n")
    library.commit()
    assert_finding(only(findings_of(library), "SMS101"), "SMS101", "error", TARGET, 1, "mapping")


def test_duplicate_key_is_sms101_at_its_second_occurrence(make_library, findings_of):
    spec = procedure()
    text = spec.text().replace("owner: Service Owner\n", "owner: Service Owner\nowner: Incident Manager\n")
    library = make_library(*clean_docs())
    library.write(TARGET, text)
    library.commit()
    finding = only(findings_of(library), "SMS101")
    assert_finding(finding, "SMS101", "error", TARGET, 8, "`owner`", "twice", "keep one")


# --------------------------------------------------------------------------- SMS102


@pytest.mark.parametrize("name", ["id", "type", "title", "version", "status", "owner"])
def test_missing_required_field_is_sms102(make_library, findings_of, name):
    library = make_library(*clean_docs(), procedure(**{name: None}))
    found = findings_for(findings_of(library))
    assert [f["code"] for f in found] == ["SMS102"], describe(found)
    # The key is absent, so the finding points at the front matter's opening line.
    assert_finding(found[0], "SMS102", "error", TARGET, 1, f"`{name}`", "missing", "add")


def test_empty_required_field_is_sms102_at_its_line(make_library, findings_of):
    spec = procedure(owner=Raw(""))
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS102")
    assert_finding(finding, "SMS102", "error", TARGET, spec.line_of("owner"), "`owner`", "empty", "role")


@pytest.mark.parametrize("name", ["approver", "approved"])
def test_approved_document_needs_approver_and_approval_date(make_library, findings_of, name):
    library = make_library(*clean_docs(), procedure(**{name: None}))
    found = findings_for(findings_of(library))
    assert [f["code"] for f in found] == ["SMS102"], describe(found)
    assert_finding(found[0], "SMS102", "error", TARGET, 1, f"`{name}`")


def test_draft_needs_neither_approver_nor_approval_date(make_library, findings_of):
    library = make_library(*clean_docs(), procedure(status="draft", approver=None, approved=None))
    assert findings_of(library) == []


# --------------------------------------------------------------------------- SMS103


@pytest.mark.parametrize("bad_id", ["PRO_INC_002", "INC", "PRO-INC-", "9PRO-INC"])
def test_id_not_matching_the_pattern_is_sms103(make_library, findings_of, bad_id):
    spec = procedure(id=bad_id)
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS103")
    assert_finding(finding, "SMS103", "error", TARGET, spec.line_of("id"), bad_id, "PRO-INC-002")


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("type", "guideline", "policy, process, procedure"),
        ("status", "published", "draft, approved, retired"),
        ("classification", "secret", "public, internal, restricted"),
    ],
)
def test_unknown_choice_is_sms103_listing_the_allowed_values(make_library, findings_of, name, value, allowed):
    spec = procedure(**{name: value})
    library = make_library(*clean_docs(), spec)
    found = findings_for(findings_of(library))
    assert [f["code"] for f in found] == ["SMS103"], describe(found)
    assert_finding(found[0], "SMS103", "error", TARGET, spec.line_of(name), f"`{value}`", allowed)


@pytest.mark.parametrize("name", ["approved", "effective", "review"])
@pytest.mark.parametrize("value", ["2026-13-40", "2026/03/02", "2 March 2026"])
def test_bad_date_is_sms103_asking_for_iso_format(make_library, findings_of, name, value):
    spec = procedure(**{name: Raw(value)})
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS103")
    assert_finding(finding, "SMS103", "error", TARGET, spec.line_of(name), value, "YYYY-MM-DD")


@pytest.mark.parametrize("value", ["1.2.3", "v1.0", "1", "01.0", "1.x"])
def test_version_not_major_minor_is_sms103(make_library, findings_of, value):
    spec = procedure(version=value)  # written as a quoted string
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS103")
    assert_finding(finding, "SMS103", "error", TARGET, spec.line_of("version"), value, "MAJOR.MINOR")


@pytest.mark.parametrize("value", ["1.10", "2.0", "3"])
def test_unquoted_numeric_version_is_sms103_saying_to_quote_it(make_library, findings_of, value):
    spec = procedure(version=Raw(value))
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS103")
    assert_finding(finding, "SMS103", "error", TARGET, spec.line_of("version"), "quote", f'version: "{value}"')
    assert finding["line"] == 5


def test_quoted_version_is_kept_as_text(make_library, findings_of):
    library = make_library(*clean_docs(), procedure(version="1.10"))
    assert findings_of(library) == []


def test_single_parent_id_without_a_list_is_accepted(make_library, findings_of):
    library = make_library(*clean_docs())
    library.write(TARGET, procedure().text().replace("parents: [PRC-INC]", "parents: PRC-INC"))
    library.commit()
    assert findings_of(library) == []


# --------------------------------------------------------------------------- SMS104


def test_misspelt_field_is_sms104_with_did_you_mean(make_library, findings_of):
    spec = procedure(approver=None, aprover="Head of Service")
    library = make_library(*clean_docs(), spec)
    found = findings_for(findings_of(library))
    finding = only(found, "SMS104")
    assert_finding(
        finding, "SMS104", "warning", TARGET, spec.line_of("aprover"), "`aprover`", "did you mean `approver`"
    )
    # The real field is still missing, and that is said too.
    assert only(found, "SMS102")["message"].startswith("required field `approver`")


def test_unknown_field_without_near_miss_says_to_remove_it(make_library, findings_of):
    spec = procedure(colour="blue")
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS104")
    assert_finding(finding, "SMS104", "warning", TARGET, spec.line_of("colour"), "`colour`", "remove")
    assert "did you mean" not in finding["message"]


def test_unknown_field_alone_does_not_fail_the_check(make_library, run_cli):
    library = make_library(*clean_docs(), procedure(colour="blue"))
    assert run_cli(library, "check").exit_code == 0


# --------------------------------------------------------------------------- SMS105


def test_type_not_matching_its_folder_is_sms105(make_library, findings_of):
    spec = doc("PRC-CHG", "process", parents=["POL-INC"], folder="policies")
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS105")
    assert_finding(
        finding, "SMS105", "error", "policies/prc-chg.md", spec.line_of("type"), "`process`", "move", "type: policy"
    )
    assert finding["line"] == 3
    assert finding["id"] == "PRC-CHG"


def test_procedure_in_the_processes_folder_is_sms105(make_library, findings_of):
    spec = doc("PRO-INC-009", "procedure", parents=["PRC-INC"], folder="processes")
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS105")
    assert_finding(finding, "SMS105", "error", "processes/pro-inc-009.md", 3, "procedure", "type: process")


def test_folder_names_are_configurable(make_library, findings_of):
    folders = {"policy": "pol", "process": "prc", "procedure": "pro"}
    docs = [doc(d.id, d.type, d.fields.get("parents"), folder=folders[d.type]) for d in clean_docs()]
    library = make_library(*docs, options={"library": folders})
    assert findings_of(library) == []
    library.add(doc("PRO-INC-002", "procedure", parents=["PRC-INC"], folder="prc"))
    library.commit()
    assert only(findings_of(library), "SMS105")["path"] == "prc/pro-inc-002.md"
    assert of_code(findings_of(library), "SMS101") == []
