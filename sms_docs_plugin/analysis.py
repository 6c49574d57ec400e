"""One analysis of a library: load, read history, run every rule. The plugin and the CLI both call it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .gitrepo import access_problem
from .history import HistoryError, LibraryHistory, commits_since, read_history
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
    history: LibraryHistory
    notices: list[str] = field(default_factory=list)


def build_date() -> date:
    """Today, or the day `SOURCE_DATE_EPOCH` names, so reproducible builds agree on dates."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return date.today()


def analyse(settings: Settings, *, today: date | None = None, base_ref: str | None = None) -> Analysis:
    """Raises HistoryError when git refuses the repository or `base_ref` does not exist."""
    problem = access_problem(settings.root)
    if problem is not None:
        raise HistoryError(problem)
    library = load_library(settings)
    day = today or build_date()
    history = read_history(settings.root, settings.library.values())
    pull_request = commits_since(settings.root, base_ref) if base_ref and history.available else None
    ctx = RuleContext(library=library, today=day, history=history, base_ref=base_ref, pull_request_commits=pull_request)
    return Analysis(library=library, findings=run_rules(ctx), today=day, history=history, notices=list(history.notices))
