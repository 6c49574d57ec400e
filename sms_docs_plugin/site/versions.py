"""Version history of documents: the history sheet, the history page, superseded versions."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import date

from ..history import DocHistory, LibraryHistory, Revision, VersionRecord, with_working_tree
from ..model import Document


@dataclass
class VersionEntry:
    """One row of a document history sheet."""

    record: VersionRecord
    index: int
    is_current: bool
    src_uri: str | None  # the page of this version; None for the current one (the document page)
    url: str | None = None  # relative to the page being rendered; set by that page
    url_path: str | None = None  # where its page is written in the site, e.g. a/b.v1.0/index.html
    changes_url_path: str | None = None  # the current version only: where its diff page is written
    changes_url: str | None = None

    @property
    def number(self) -> str:
        return self.record.version

    @property
    def head(self) -> Revision:
        return self.record.head

    def field(self, name: str) -> str:
        return self.head.field_text(name)

    @property
    def authors(self) -> str:
        return ", ".join(self.record.authors) or "—"

    @property
    def committed(self) -> bool:
        return self.head.commit is not None

    @property
    def date(self) -> str:
        return self.head.commit.committed.date().isoformat() if self.head.commit else "uncommitted"


def version_src_uri(doc: Document, number: str) -> str:
    stem, _ = posixpath.splitext(doc.path)
    return f"{stem}.v{number}.md"


def changes_src_uri(doc: Document) -> str:
    """The page showing what the current version changed, against the version before it."""
    stem, _ = posixpath.splitext(doc.path)
    return f"{stem}.changes.md"


def history_src_uri(doc: Document) -> str:
    stem, _ = posixpath.splitext(doc.path)
    return f"{stem}.history.md"


def document_lineage(history: LibraryHistory | None, doc: Document) -> DocHistory | None:
    if history is None or not history.available:
        return None
    return with_working_tree(history.for_path(doc.path) or history.moved_here(doc), doc)


def version_entries(doc: Document, lineage: DocHistory | None, publish_past: bool) -> list[VersionEntry]:
    if lineage is None:
        return []
    records = lineage.versions()
    entries = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        current = index == len(records) - 1
        # A number reused after a dip still gets a page of its own.
        name = record.version if record.version not in seen else f"{record.version}-{index + 1}"
        seen.add(record.version)
        uri = None if current or not publish_past else version_src_uri(doc, name)
        entries.append(VersionEntry(record, index, current, uri))
    return entries


def in_force_before(entries: list[VersionEntry], today: date) -> VersionEntry | None:
    """The version still in force while the current one's effective date is ahead."""
    for entry in reversed(entries[:-1]):
        effective = entry.field("effective") or entry.field("approved")
        if entry.head.status == "approved" and (not effective or effective <= today.isoformat()):
            return entry
    return None
