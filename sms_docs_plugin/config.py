"""The `sms-docs` block of mkdocs.yml: every option with its default, validated by MkDocs."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .codes import CODES
from .model import DocType
from .settings import Settings

SEVERITY_VALUES = ("error", "warning", "notice", "off")


class SmsDocsConfig(Config):
    library = c.Type(dict, default={"policy": "policies", "process": "processes", "procedure": "procedures"})
    """Folder of each document type, relative to mkdocs.yml; sub-folders are allowed."""
    root_policy = c.Optional(c.Type(str))
    """Id of the service management policy; default: the one policy with no parent."""
    review_interval_months = c.Type(int, default=12)
    """Next review when a document gives no `review` date: `approved` plus this many months."""
    suspect_on = c.Choice(("major", "any"), default="major")
    """Which new versions of a parent make its children suspect (SMS306)."""
    publish_drafts = c.Type(bool, default=False)
    """Publish draft documents, watermarked as drafts."""
    include_restricted = c.Type(bool, default=False)
    """Publish `restricted` documents; otherwise they are absent from every generated file."""
    past_versions = c.Type(bool, default=True)
    """Publish every superseded version and its diff."""
    allow_html = c.Type(bool, default=False)
    """Allow raw HTML in controlled documents (SMS405)."""
    people = c.ListOfItems(c.Type(str), default=[])
    """Names of individuals to flag in bodies, besides the git authors (SMS401)."""
    clauses = c.Optional(c.Type(str))
    """A YAML file replacing the ISO/IEC 20000-1 clause list of the coverage page."""
    templates = c.Optional(c.Type(str))
    """A folder overriding the per-type templates (SMS403)."""
    teams = c.Type(dict, default={})
    """Role -> code-owner team, for `sms-docs codeowners`."""
    severity = c.Type(dict, default={})
    """Severity per rule code: error, warning or off."""
    duplicate_threshold = c.Type(float, default=0.8)
    """Share of overlapping word shingles above which two bodies are near-duplicates (SMS402)."""
    approvers = c.Type(dict, default={})
    """Document type -> the roles that may approve it (SMS310)."""
    approval_evidence = c.Choice(("none", "trailer", "signed"), default="none")
    """What proves who approved a version: nothing, an Approved-by trailer, a signed commit (SMS312)."""

    def validate(self):  # type: ignore[override]
        failed, warnings = super().validate()
        for key, problem in self._problems():
            failed.append((key, c.ValidationError(problem)))
        return failed, warnings

    def _problems(self) -> list[tuple[str, str]]:
        problems = []
        library = self.get("library")
        severity = self.get("severity")
        if not isinstance(library, dict) or not isinstance(severity, dict):
            return problems  # the type check of the option itself reports it
        unknown = set(library) - {t.value for t in DocType}
        if unknown:
            problems.append(("library", f"unknown document types {sorted(unknown)}; use policy, process, procedure"))
        for code, level in severity.items():
            level = _level(level)
            if code not in CODES:
                problems.append(("severity", f"unknown rule code {code!r}"))
            elif level not in SEVERITY_VALUES:
                problems.append(("severity", f"{code}: {level!r} is not one of {', '.join(SEVERITY_VALUES)}"))
        return problems

    def to_settings(self, root: Path) -> Settings:
        folders = {DocType.POLICY: "policies", DocType.PROCESS: "processes", DocType.PROCEDURE: "procedures"}
        folders.update({DocType(k): str(v) for k, v in self.library.items()})
        return Settings(
            root=root,
            library=folders,
            root_policy=self.root_policy,
            review_interval_months=self.review_interval_months,
            suspect_on=self.suspect_on,
            publish_drafts=self.publish_drafts,
            include_restricted=self.include_restricted,
            past_versions=self.past_versions,
            allow_html=self.allow_html,
            people=tuple(self.people),
            clauses=self.clauses,
            templates=self.templates,
            teams={str(k): str(v) for k, v in self.teams.items()},
            severity={str(k): _level(v) for k, v in self.severity.items()},
            duplicate_threshold=self.duplicate_threshold,
            approvers={str(k): tuple(str(r) for r in (v if isinstance(v, list) else [v])) for k, v in self.approvers.items()},
            approval_evidence=self.approval_evidence,
        )


def _level(value: object) -> str:
    """YAML 1.1 reads an unquoted `off` as false; `SMS305: off` means off."""
    return "off" if value is False else str(value)
