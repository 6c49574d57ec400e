"""Version history of documents: the history sheet, the history page, superseded versions."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import date

from ..frontmatter import split, without_title
from ..history import DocHistory, LibraryHistory, Revision, VersionRecord, with_working_tree
from ..model import Document
from .diff import body_diff_html, field_changes
from .render import render


@dataclass
class VersionEntry:
    """One row of a document history sheet."""

    record: VersionRecord
    index: int
    is_current: bool
    src_uri: str | None  # the page of this version; None for the current one (the document page)
    url: str | None = None  # relative to the page being rendered; set by that page

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


_LINK = re.compile(r"(!?\[[^\]]*\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")


def relink(body: str, doc_path: str, exists: set[str]) -> str:
    """Old versions may link to documents that are gone: keep links that still resolve, unlink the rest."""
    folder = posixpath.dirname(doc_path)

    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
            return match.group(0)
        path = target.split("#", 1)[0]
        resolved = posixpath.normpath(posixpath.join(folder, path)) if path else doc_path
        if resolved in exists:
            return match.group(0)
        text = match.group(1)
        return text[1:-2] if not text.startswith("!") else text[2:-2]

    return _LINK.sub(fix, body)


def past_version_markdown(
    doc: Document,
    entry: VersionEntry,
    previous: VersionEntry | None,
    history: LibraryHistory,
    current_url: str,
    history_url: str,
    previous_url: str | None,
    exists: set[str],
) -> str:
    text = history.text_of(entry.head)
    body = relink(split(text).body, entry.head.path or doc.path, exists)
    body = without_title(body)
    diff = None
    if previous is not None:
        old_text = history.text_of(previous.head)
        diff = {"fields": field_changes(old_text, text), "body": body_diff_html(old_text, text)}
    header = render(
        "version_header.html",
        doc=doc,
        entry=entry,
        current_url=current_url,
        history_url=history_url,
    )
    footer = render("version_footer.html", entry=entry, previous=previous, previous_url=previous_url, diff=diff)
    return f"{header}\n\n{body}\n\n{footer}\n"
