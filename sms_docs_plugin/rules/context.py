"""What every rule receives: the library, the settings, the date and (when read) the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..library import Library
from ..settings import Settings

if TYPE_CHECKING:
    from ..history import LibraryHistory


@dataclass
class RuleContext:
    library: Library
    today: date
    history: LibraryHistory | None = None
    base_ref: str | None = None
    pull_request_commits: set[str] | None = None  # commits in base..HEAD when checking a pull request

    @property
    def settings(self) -> Settings:
        return self.library.settings
