"""One analysis of a library: load, read history, run every rule. The plugin and the CLI both call it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .library import Library, load_library
from .model import Finding
from .rules import run_rules
from .rules.context import RuleContext
from .settings import Settings


@dataclass
class Analysis:
    library: Library
    findings: list[Finding]
    today: date
    notices: list[str] = field(default_factory=list)


def build_date() -> date:
    """Today, or the day `SOURCE_DATE_EPOCH` names, so reproducible builds agree on dates."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return date.today()


def analyse(settings: Settings, *, today: date | None = None, base_ref: str | None = None) -> Analysis:
    library = load_library(settings)
    day = today or build_date()
    ctx = RuleContext(library=library, today=day, base_ref=base_ref)
    return Analysis(library=library, findings=run_rules(ctx), today=day)
