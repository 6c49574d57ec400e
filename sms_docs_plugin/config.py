"""The `sms-docs` block of mkdocs.yml: every option with its default, validated by MkDocs."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .codes import CODES
from .model import HIERARCHY, DocType
from .settings import Settings

SEVERITY_VALUES = ("error", "warning", "off")


class SmsDocsConfig(Config):
    library = c.Type(
        dict, default={"policy": "policies", "process": "processes", "procedure": "procedures", "external": "external"}
    )
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
    max_words = c.Type(dict, default={})
    """Words per type above which the assessment calls a document excessively detailed (D.2 j)."""

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
            problems.append(
                ("library", f"unknown document types {sorted(unknown)}; use policy, process, procedure, external")
            )
        max_words = self.get("max_words")
        if isinstance(max_words, dict):
            for key, value in max_words.items():
                if key not in {t.value for t in HIERARCHY}:
                    problems.append(("max_words", f"unknown document type {key!r}; use policy, process, procedure"))
                elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
                    problems.append(("max_words", f"{key}: {value!r} is not a positive number of words"))
        for code, level in severity.items():
            level = _level(level)
            if code not in CODES:
                problems.append(("severity", f"unknown rule code {code!r}"))
            elif level not in SEVERITY_VALUES:
                problems.append(("severity", f"{code}: {level!r} is not one of {', '.join(SEVERITY_VALUES)}"))
        return problems

    def to_settings(self, root: Path) -> Settings:
        folders = dict(Settings(root).library)
        folders.update({DocType(k): str(v) for k, v in self.library.items()})
        max_words = dict(Settings(root).max_words)
        max_words.update({DocType(k): int(v) for k, v in self.max_words.items()})
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
            max_words=max_words,
        )


def _level(value: object) -> str:
    """YAML 1.1 reads an unquoted `off` as false; `SMS305: off` means off."""
    return "off" if value is False else str(value)
