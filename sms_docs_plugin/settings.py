"""Settings: the plugin's options as plain, typed data for the model, rules and site.

The MkDocs `Config` class (config.py) validates the options; this is what the rest of
the code receives, so nothing outside plugin.py and cli.py depends on MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .model import DocType


@dataclass(frozen=True)
class Settings:
    root: Path  # the folder holding mkdocs.yml; library folders are relative to it
    library: dict[DocType, str] = field(
        default_factory=lambda: {DocType.POLICY: "policies", DocType.PROCESS: "processes", DocType.PROCEDURE: "procedures"}
    )
    root_policy: str | None = None
    review_interval_months: int = 12
    suspect_on: str = "major"
    publish_drafts: bool = False
    include_restricted: bool = False
    past_versions: bool = True
    allow_html: bool = False
    people: tuple[str, ...] = ()
    clauses: str | None = None
    templates: str | None = None
    teams: dict[str, str] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    duplicate_threshold: float = 0.8
    approvers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # type -> roles that may approve it
    approval_evidence: str = "none"  # none | trailer | signed

    def folder(self, doc_type: DocType) -> Path:
        return self.root / self.library[doc_type]
