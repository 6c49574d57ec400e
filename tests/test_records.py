"""Records (SPEC §2 `records`, §3 SMS406, §5 Records): each process and procedure
declares the records it produces, with where they are kept and for how long, and the site
publishes them as the records retention schedule (ISO/IEC TR 20000-5, Annex D.3 g)."""

from __future__ import annotations

import pytest
from findings_support import assert_finding, library_at, line_with
from support import LibraryRepo, Raw, clean_docs, doc, of_code, only, read_page

RECORDS = Raw('[{name: Incident record, location: Service desk tool, retention: "2y"}]')


def procedure(records: object = None, **fields: object):
    """PRO-INC-002 under PRC-INC; `records=None` leaves the field out."""
    return doc("PRO-INC-002", "procedure", parents=["PRC-INC"], title="Log an incident", records=records, **fields)


def spec_with_block(block: str, **fields: object):
    """PRO-INC-002 with `records:` written as the YAML block `block` (indented lines)."""
    return procedure(Raw("\n" + block), **fields)


# --------------------------------------------------------------------------- the field


def test_declared_records_with_location_and_retention_are_clean(make_library, findings_of):
    library = make_library(*clean_docs(), spec_with_block(
        '  - name: Incident record\n    location: Service desk tool\n    retention: "2y"\n'
        "    owner: Service Desk Lead\n    disposal: Deleted by the tool's purge job\n"
        "  - {name: Call recording, location: Telephony platform, retention: 90d}\n"
        "  - {name: Major incident report, location: SMS share, retention: permanent}"
    ))
    assert findings_of(library) == []


@pytest.mark.parametrize(
    ("block", "needle", "phrase"),
    [
        ("  name: Incident record", "records:", "must be a list"),
        ("  - Incident record", "  - Incident record", "must be a mapping"),
        ("  - {location: Service desk tool, retention: 2y}", "  - {location", "has no `name`"),
        ("  - {name: Incident record, location: Service desk tool, retention: 7 years}", "  - {name", "is not a period"),
        ("  - name: Incident record\n    location: Service desk tool\n    retention: 10",
         "    retention: 10", "is not a period"),
        ("  - {name: Incident record, location: [a, b], retention: 2y}", "  - {name", "single value"),
    ],
    ids=["not-a-list", "not-a-mapping", "no-name", "words", "no-unit", "list-value"],
)
def test_records_of_the_wrong_shape_are_sms103_on_their_line(make_library, findings_of, block, needle, phrase):
    spec = spec_with_block(block)
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS103")
    assert_finding(finding, "SMS103", "error", spec.path, line_with(spec, needle), phrase)


def test_unknown_field_of_a_record_is_sms104_with_a_suggestion(make_library, findings_of):
    spec = spec_with_block("  - name: Incident record\n    location: Service desk tool\n    retension: 2y\n    retention: 2y")
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS104")
    assert_finding(finding, "SMS104", "warning", spec.path, line_with(spec, "retension"), "did you mean `retention`?")


def test_a_policy_declares_no_records(make_library, findings_of):
    spec = doc("POL-CHG", "policy", parents=["POL-SMS"], records=RECORDS)
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS104")
    assert_finding(finding, "SMS104", "warning", spec.path, spec.line_of("records"), "processes and procedures")


def test_a_process_may_declare_records(make_library, findings_of):
    process = doc("PRC-INC", "process", parents=["POL-INC"], title="Incident management", records=RECORDS)
    library = make_library(*[d for d in clean_docs() if d.id != "PRC-INC"], process)
    assert findings_of(library) == []


# --------------------------------------------------------------------------- SMS406


def test_records_section_without_records_is_sms406_at_the_heading(make_library, findings_of):
    spec = procedure()
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS406")
    assert_finding(finding, "SMS406", "warning", spec.path, line_with(spec, "## Records"),
                   "declares no `records`", "where it is kept and how long")


@pytest.mark.parametrize(("block", "missing"), [
    ("  - {name: Incident record, retention: 2y}", "`location`"),
    ("  - {name: Incident record, location: Service desk tool}", "`retention`"),
    ("  - {name: Incident record}", "`location` and no `retention`"),
])
def test_record_without_location_or_retention_is_sms406_at_the_record(make_library, findings_of, block, missing):
    spec = spec_with_block("  - {name: Call log, location: Telephony, retention: 90d}\n" + block)
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS406")
    assert_finding(finding, "SMS406", "warning", spec.path, line_with(spec, "{name: Incident record"),
                   "record `Incident record`", missing)


def test_records_section_in_code_or_as_the_title_is_not_a_records_section(make_library, findings_of):
    body = (
        "# Record a known error\n\n## Purpose\n\nPRO-INC-002 purpose.\n\n## When to use\n\nPRO-INC-002 when.\n\n"
        "## Roles\n\nPRO-INC-002 roles.\n\n## Inputs\n\nPRO-INC-002 inputs.\n\n## Steps\n\n1. Do it.\n\n"
        "```markdown\n## Records\n```\n"
    )
    library = make_library(*clean_docs(), procedure(body=body))
    findings = findings_of(library)
    assert of_code(findings, "SMS406") == []
    assert [f["code"] for f in findings] == ["SMS403"]  # the template's section is missing, which is another rule


def test_drafts_and_retired_documents_are_not_held_to_sms406(make_library, findings_of):
    library = make_library(
        *clean_docs(),
        procedure(status="draft", approver=None, approved=None),
        doc("PRO-INC-003", "procedure", parents=["PRC-INC"], status="retired", records=None),
    )
    assert of_code(findings_of(library), "SMS406") == []


def test_sms406_severity_is_configurable(make_library, findings_of):
    library = make_library(*clean_docs(), procedure(), options={"severity": {"SMS406": "error"}})
    assert only(findings_of(library), "SMS406")["severity"] == "error"


# --------------------------------------------------------------------------- the Records page


@pytest.fixture(scope="module")
def schedule(tmp_path_factory) -> LibraryRepo:
    shared = '{name: Incident record, location: Service desk tool, retention: "2y"}'
    repo = library_at(
        tmp_path_factory.mktemp("records") / "library",
        doc("POL-SMS", "policy", title="Service management policy"),
        doc("POL-INC", "policy", parents=["POL-SMS"]),
        doc("PRC-INC", "process", parents=["POL-INC"], title="Incident management",
            records=Raw("[{name: Incident trend report, location: SMS share, retention: 3y, owner: Incident Manager}]")),
        doc("PRO-INC-001", "procedure", parents=["PRC-INC"],
            records=Raw(f"[{shared}, {{name: Call recording, location: Telephony, retention: 90d, "
                        "disposal: Overwritten by the platform}]")),
        doc("PRO-INC-002", "procedure", parents=["PRC-INC"], owner="Service Desk Lead", records=Raw(f"[{shared}]")),
        doc("PRC-CHG", "process", parents=["POL-INC"], title="Change management", records=None),
        doc("PRO-CHG-001", "procedure", parents=["PRC-CHG"],
            records=Raw("[{name: Change record, location: Change tool, retention: permanent}]")),
        doc("PRO-CHG-002", "procedure", parents=["PRC-CHG"], status="retired",
            records=Raw("[{name: Fax log, location: Binder, retention: 1y}]")),
        doc("PRO-CHG-003", "procedure", parents=["PRC-CHG"], classification="restricted",
            records=Raw("[{name: Secret register, location: Vault, retention: 1y}]")),
    )
    built = repo.build("--strict")
    assert built.returncode == 0, built.output
    return repo


def schedule_tables(repo: LibraryRepo) -> dict[str, list[list[str]]]:
    page = read_page(repo.site / "records" / "index.html")
    tables = page.find_all("table", class_="sms-retention")
    headings = [h for h in page.find_all("h2") if h.attrs.get("id", "").startswith("records-")]
    assert len(tables) == len(headings)
    return {
        h.text: [[td.text for td in tr.find_all("td")] for tr in t.find("tbody").find_all("tr")]
        for h, t in zip(headings, tables, strict=True)
    }


def test_records_page_groups_the_schedule_by_process(schedule):
    tables = schedule_tables(schedule)
    assert list(tables) == ["PRC-CHG Change management", "PRC-INC Incident management"]
    header = read_page(schedule.site / "records" / "index.html").find("table", class_="sms-retention").find("thead")
    assert [th.text for th in header.find_all("th")] == [
        "Record", "Location", "Retention", "Owner", "Disposal", "Produced by"]


def test_records_page_rows_merge_producers_and_default_the_owner(schedule):
    incident = {row[0]: row for row in schedule_tables(schedule)["PRC-INC Incident management"]}
    assert incident["Incident record"] == [
        "Incident record", "Service desk tool", "2 years", "Service Owner", "—", "PRO-INC-001, PRO-INC-002"]
    assert incident["Call recording"] == [
        "Call recording", "Telephony", "90 days", "Service Owner", "Overwritten by the platform", "PRO-INC-001"]
    assert incident["Incident trend report"][2:4] == ["3 years", "Incident Manager"]


def test_records_page_lists_current_published_documents_only(schedule):
    change = schedule_tables(schedule)["PRC-CHG Change management"]
    assert change == [["Change record", "Change tool", "permanent", "Service Owner", "—", "PRO-CHG-001"]]
    text = (schedule.site / "records" / "index.html").read_text("utf-8")
    assert "Fax log" not in text and "Secret register" not in text and "PRO-CHG-003" not in text


def test_records_page_links_the_producing_documents(schedule):
    page = read_page(schedule.site / "records" / "index.html")
    hrefs = dict(page.links())
    assert hrefs["PRO-INC-002"].endswith("pro-inc-002/") and hrefs["PRC-INC"].endswith("prc-inc/")


def test_records_page_is_in_the_records_navigation(schedule):
    page = read_page(schedule.site / "register" / "index.html")
    nav = page.find("nav", class_="md-nav--primary")
    assert "Records retention" in [text for text, _ in nav.links()]


def test_records_page_without_declared_records_says_how_to_declare_them(make_library):
    library = make_library(*clean_docs()[:3], doc("PRO-INC-001", "procedure", parents=["PRC-INC"], records=None,
                                                   body="# Log an incident\n\n## Purpose\n\nLog.\n\n## When to use\n\n"
                                                   "Always.\n\n## Roles\n\nDesk.\n\n## Inputs\n\nA call.\n\n"
                                                   "## Steps\n\n1. Log it.\n\n## Records\n\nNone yet.\n"))
    built = library.build()
    assert built.returncode == 0, built.output
    text = read_page(library.site / "records" / "index.html").text
    assert "No current process or procedure declares its records" in text

