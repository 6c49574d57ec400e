"""Findings as text, JSON or GitHub workflow annotations."""

from __future__ import annotations

import json

from .characters import escape_for_terminal
from .model import Finding

# With `--base`, what a finding that the change did not introduce says in text and annotations.
BEFORE_CHANGE = "[before this change]"


def format_text(finding: Finding) -> str:
    # File names and messages quote the library's text: its control characters would act on the terminal.
    path, message = escape_for_terminal(finding.path), escape_for_terminal(finding.message)
    return f"{path}:{finding.line}: {finding.code} {finding.severity}: {message}"


def format_github(finding: Finding) -> str:
    level = {"error": "error", "warning": "warning"}.get(str(finding.severity), "notice")
    before = f" {BEFORE_CHANGE}" if finding.new is False else ""
    return (f"::{level} file={_property(finding.path)},line={finding.line},title={finding.code}::"
            f"{finding.code}: {_data(finding.message)}{before}")


def format_github_notice(path: str, message: str) -> str:
    return f"::notice file={_property(path)}::{_data(message)}"


def _data(text: str) -> str:
    # Escaped after the line ends GitHub knows: the other control characters would act on the log's terminal.
    return escape_for_terminal(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    return _data(text).replace(",", "%2C").replace(":", "%3A")


def format_json(findings: list[Finding], documents: int) -> str:
    return json.dumps({"findings": [f.to_dict() for f in findings], "documents": documents}, indent=2)
