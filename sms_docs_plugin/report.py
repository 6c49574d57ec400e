"""Findings as text, JSON or GitHub workflow annotations."""

from __future__ import annotations

import json

from .model import Finding


def format_text(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}: {finding.code} {finding.severity}: {finding.message}"


def format_github(finding: Finding) -> str:
    level = {"error": "error", "warning": "warning"}.get(str(finding.severity), "notice")
    return f"::{level} file={_property(finding.path)},line={finding.line},title={finding.code}::{finding.code}: {_data(finding.message)}"


def format_github_notice(path: str, message: str) -> str:
    return f"::notice file={_property(path)}::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(",", "%2C").replace(":", "%3A")


def format_json(findings: list[Finding], documents: int) -> str:
    return json.dumps({"findings": [f.to_dict() for f in findings], "documents": documents}, indent=2)
