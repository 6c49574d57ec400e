"""SMS407 (history or reasons for writing in the body) and SMS408 (template placeholder text
left in an approved document), ISO/IEC TR 20000-5 Annex D.2 f and D.4 f (SPEC §3)."""

from __future__ import annotations

import pytest
from findings_support import assert_finding, body_with, line_with
from support import clean_docs, doc, of_code, only

STEPS = "1. **Service Desk Analyst** — log the call."


def procedure(body: str, **fields: object):
    return doc("PRO-INC-002", "procedure", parents=["PRC-INC"], title="Log an incident", body=body, **fields)


def with_steps(extra: str) -> str:
    """A complete procedure body whose `## Steps` section ends with `extra`."""
    return body_with("PRO-INC-002", "procedure", "Log an incident", {"Steps": f"{STEPS}\n\n{extra}"})


# --------------------------------------------------------------------------- SMS407


@pytest.mark.parametrize("heading", [
    "## Revision history", "### Document history", "## Change log", "## Changelog", "## Version history",
    "## 7. Revision History", "## Appendix A: Document control", "## Record of changes", "## History",
    "## Background", "## Why this procedure was written", "## Reasons for this document",
])
def test_history_or_background_section_is_sms407_at_its_heading(make_library, findings_of, heading):
    spec = procedure(with_steps(f"{heading}\n\nWritten after the 2024 outage; version 1.1 fixed typos."))
    finding = only(findings_of(make_library(*clean_docs(), spec)), "SMS407")
    assert_finding(finding, "SMS407", "warning", spec.path, line_with(spec, heading), "remove it")


def test_history_table_is_sms407_at_its_header_row(make_library, findings_of):
    table = "| Version | Date | Author | Change |\n|---|---|---|---|\n| 1.0 | 2025-01-01 | A. Writer | First |"
    spec = procedure(with_steps(table))
    finding = only(findings_of(make_library(*clean_docs(), spec)), "SMS407")
    assert_finding(finding, "SMS407", "warning", spec.path, line_with(spec, "| Version | Date |"),
                   "document history sheet", "`change`")


@pytest.mark.parametrize("text", [
    "## Change record\n\nThe RFC record holds the risk assessment.",
    "## Version control of configuration items\n\nEach CI has a version.",
    "| Component | Version | Release date |\n|---|---|---|\n| Agent | 4.2 | 2026-01-10 |",
    "| Priority | Response |\n|---|---|\n| P1 | 15 minutes |",
    "```markdown\n## Revision history\n| Version | Date | Author |\n|---|---|---|\n```",
    "The history of the incident is in its work notes.",
])
def test_sections_and_tables_about_the_subject_are_not_sms407(make_library, findings_of, text):
    library = make_library(*clean_docs(), procedure(with_steps(text)))
    assert of_code(findings_of(library), "SMS407") == []


def test_a_retired_document_is_not_checked_for_sms407(make_library, findings_of):
    spec = procedure(with_steps("## Revision history\n\nOld."), status="retired")
    assert of_code(findings_of(make_library(*clean_docs(), spec)), "SMS407") == []


def test_a_draft_is_warned_about_sms407_too(make_library, findings_of):
    spec = procedure(with_steps("## Revision history\n\nOld."), status="draft", approver=None, approved=None)
    assert of_code(findings_of(make_library(*clean_docs(), spec)), "SMS407")


# --------------------------------------------------------------------------- SMS408


def test_template_placeholder_in_an_approved_document_is_sms408_error(make_library, findings_of, run_cli):
    placeholder = "The task this procedure completes, in one or two sentences."
    spec = procedure(body_with("PRO-INC-002", "procedure", "Log an incident", {"Purpose": placeholder}))
    library = make_library(*clean_docs(), spec)
    finding = only(findings_of(library), "SMS408")
    assert_finding(finding, "SMS408", "error", spec.path, line_with(spec, placeholder),
                   "placeholder text from the procedure template", "replace it")
    assert run_cli(library, "check").exit_code == 1


def test_placeholder_list_items_match_whatever_their_marker_and_emphasis(make_library, findings_of):
    steps = "1. Role name — the first step.\n2. **Role name** — the next step."
    spec = procedure(body_with("PRO-INC-002", "procedure", "Log an incident", {"Steps": steps}))
    findings = of_code(findings_of(make_library(*clean_docs(), spec)), "SMS408")
    assert [f["line"] for f in findings] == [line_with(spec, "the first step"), line_with(spec, "the next step")]


def test_replaced_placeholders_and_drafts_are_not_sms408(make_library, findings_of):
    placeholder = "The task this procedure completes, in one or two sentences."
    library = make_library(
        *clean_docs(),
        procedure(body_with("PRO-INC-002", "procedure", "Log", {"Purpose": "The task of logging every call."})),
        doc("PRO-INC-003", "procedure", parents=["PRC-INC"], status="draft", approver=None, approved=None,
            body=body_with("PRO-INC-003", "procedure", "Draft", {"Purpose": placeholder})),
    )
    assert of_code(findings_of(library), "SMS408") == []


def test_placeholders_come_from_the_configured_templates(make_library, findings_of):
    template = "# {{ title }}\n\n## Purpose\n\nSay here what the checklist is for.\n\n## Steps\n\n1. Step.\n"
    spec = procedure("# Log\n\n## Purpose\n\nSay here what the checklist is for.\n\n## Steps\n\n1. Log the call.\n")
    library = make_library(*clean_docs(), spec, options={"templates": "library-templates"})
    library.write("library-templates/procedure.md", template)
    library.commit("Own templates")
    finding = only(findings_of(library), "SMS408")
    assert finding["line"] == line_with(spec, "Say here what")
