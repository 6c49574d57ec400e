"""Settings: the plugin's options as plain, typed data for the model, rules and site.

The field defaults here are the defaults of the options, declared once; options.py reads
and validates the `sms-docs` block of mkdocs.yml into this for both doors, so nothing
outside plugin.py and cli.py depends on MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .clauses import ClauseList, packaged_clause_list


@dataclass(frozen=True)
class Settings:
    root: Path  # the folder holding mkdocs.yml; library folders are relative to it
    # Document type name -> folder, relative to `root`. Keyed by name, not DocType, so a
    # type the model does not know yet (`external`) already has its folder; DocType is a
    # str enum, so `library[DocType.POLICY]` finds the "policy" key.
    library: dict[str, str] = field(
        default_factory=lambda: {"policy": "policies", "process": "processes", "procedure": "procedures", "external": "external"}
    )
    root_policy: str | None = None
    review_interval_months: int = 12
    suspect_on: str = "major"
    publish_drafts: bool = False
    include_restricted: bool = False
    past_versions: bool = True
    allow_html: bool = False
    people: tuple[str, ...] = ()
    clauses: str | None = None  # the configured file, as written; its content is `clause_list`
    clause_list: ClauseList = field(default_factory=packaged_clause_list)
    templates: str | None = None
    teams: dict[str, str] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    approvers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # type -> roles that may approve it
    approval_evidence: str = "none"  # none | trailer | signed (SMS312)
    duplicate_threshold: float = 0.8
    # Words above which a document is excessively detailed (ISO/IEC TR 20000-5 D.2 j), by type.
    max_words: dict[str, int] = field(default_factory=lambda: {"policy": 4000, "process": 4000, "procedure": 2500})

    def folder(self, doc_type: str) -> Path:
        return self.root / self.library[doc_type]
