"""The rule engine: one list of rule families, run the same way by the build and the CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from ..codes import Severity
from ..model import Finding
from . import content, control, documentation, external, hierarchy, records, versioning
from .context import RuleContext

RuleFamily = Callable[[RuleContext], Iterable[Finding]]

# Front-matter findings (SMS1xx) come from loading; these families run on the loaded library.
FAMILIES: tuple[RuleFamily, ...] = (
    hierarchy.check,
    versioning.check,
    control.check,
    content.check,
    records.check,
    documentation.check,
    external.check,
)


def run_rules(ctx: RuleContext) -> list[Finding]:
    """Every finding of every rule, severities as configured, in a stable order."""
    findings = list(ctx.library.load_findings)
    for family in FAMILIES:
        findings.extend(family(ctx))
    return apply_severities(findings, ctx.settings.severity)


def apply_severities(findings: Iterable[Finding], overrides: dict[str, str]) -> list[Finding]:
    result = []
    for finding in findings:
        level = overrides.get(finding.code)
        if level == "off":
            continue
        if level:
            finding = replace(finding, severity=Severity(level))
        result.append(finding)
    return sorted(set(result), key=lambda f: f.sort_key)


def failing(findings: Iterable[Finding], strict: bool) -> list[Finding]:
    """What fails a build or a check: errors, and warnings under --strict; never notices.
    With `--base`, only what the change introduced."""
    levels = (Severity.ERROR, Severity.WARNING) if strict else (Severity.ERROR,)
    return [f for f in findings if f.severity in levels and f.new is not False]
