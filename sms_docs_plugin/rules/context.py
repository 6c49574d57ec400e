"""What every rule receives: the library, the settings, the date and (when read) the history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..library import Library
from ..markdown_text import Outline, outline, prose
from ..model import Document
from ..settings import Settings

if TYPE_CHECKING:
    from ..history import DocHistory, LibraryHistory
    from ..history.approval import Approvals
    from .versioning import Suspicion


@dataclass
class RuleContext:
    library: Library
    today: date
    history: LibraryHistory | None = None
    base_ref: str | None = None
    pull_request_commits: set[str] | None = None  # commits in base..HEAD when checking a pull request
    timelines: dict[str, DocHistory] = field(default_factory=dict)  # doc key -> history with the working tree
    approvals: Approvals | None = None
    suspicions: dict[str, Suspicion] = field(default_factory=dict)  # doc key -> why it awaits review
    _read: dict[str, tuple[Outline, str]] = field(default_factory=dict, repr=False)

    def read(self, doc: Document) -> tuple[Outline, str]:
        """A document's outline and its prose (code and escaped text blanked), read once for
        every rule that looks at its body."""
        read = self._read.get(doc.path)
        if read is None:
            shape = outline(doc.body)
            read = self._read[doc.path] = (shape, prose(doc.body, shape))
        return read

    @property
    def has_history(self) -> bool:
        return self.history is not None and self.history.available

    @property
    def settings(self) -> Settings:
        return self.library.settings
