"""Findings as text, JSON or GitHub workflow annotations."""

from __future__ import annotations

import json

from .characters import escape_for_terminal
from .model import Finding


def format_text(finding: Finding) -> str:
    # File names and messages quote the library's text: its control characters would act on the terminal.
    path, message = escape_for_terminal(finding.path), escape_for_terminal(finding.message)
    return f"{path}:{finding.line}: {finding.code} {finding.severity}: {message}"


def format_github(finding: Finding) -> str:
    level = "error" if finding.severity == "error" else "warning"
    message = escape_for_terminal(finding.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    path = escape_for_terminal(
        finding.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(",", "%2C").replace(":", "%3A")
    )
    return f"::{level} file={path},line={finding.line},title={finding.code}::{finding.code}: {message}"


def format_json(findings: list[Finding], documents: int) -> str:
    return json.dumps({"findings": [f.to_dict() for f in findings], "documents": documents}, indent=2)
