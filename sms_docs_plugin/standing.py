"""How each document stands on a date: the version in force, what is upcoming, what was
withdrawn. The site shows documents as they stand, the rules judge the working tree.

"Which version of this document is in force on date D" is answered once, by
`DocHistory.in_force`; this module turns the answer into the document the site shows (the
working tree when it is that version, otherwise that version's text from git), and into
the library as it stands, with its graph of parents and children.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .frontmatter import load_document
from .history import APPROVED, DocHistory, LibraryHistory, Revision, VersionRecord
from .library import Library
from .model import Classification, DocType, Document, Status

IN_FORCE, NOT_YET, DRAFT, RETIRED, WITHDRAWN = "in force", "not yet in force", "draft", "retired", "withdrawn"


@dataclass
class Standing:
    doc: Document  # the working tree: what the rules judged
    shown: Document  # what the site shows as the document: the version in force, when there is one
    timeline: DocHistory | None
    in_force: VersionRecord | None
    shown_record: VersionRecord | None  # the version `shown` is (None: no approved version yet, or no history)
    day: date
    upcoming: list[VersionRecord] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.shown.status is Status.RETIRED:
            return RETIRED
        if self.shown.status is not Status.APPROVED:
            return DRAFT
        if self.in_force is not None:
            return IN_FORCE
        effective = self.shown.effective()
        return NOT_YET if self.upcoming or (effective is not None and effective > self.day) else IN_FORCE

    @property
    def takes_effect(self) -> date | None:
        """When the version shown takes effect, while it is not yet in force."""
        return self.shown.effective() if self.state == NOT_YET else None


@dataclass
class Withdrawn:
    """A document whose file left the library: kept on the archive with its last version."""

    lineage: DocHistory
    record: VersionRecord  # its last version
    doc: Document  # that version, as it was

    @property
    def commit(self):  # noqa: ANN201 - the history's Commit
        return self.lineage.ended


@dataclass
class LibraryStanding:
    standings: dict[str, Standing]  # document key -> how it stands
    library: Library  # the library as it stands: every document as the site shows it
    withdrawn: list[Withdrawn]
    day: date

    def of(self, doc: Document) -> Standing | None:
        return self.standings.get(doc.key or "")


def stand(library: Library, history: LibraryHistory, timelines: dict[str, DocHistory], day: date) -> LibraryStanding:
    standings: dict[str, Standing] = {}
    shown_docs: list[Document] = []
    older: list[tuple[Document, VersionRecord]] = []
    for doc in library.documents:
        timeline = timelines.get(doc.key or "") if history.available else None
        if timeline is None or not doc.key:
            shown_docs.append(doc)
            if doc.key and doc.key not in standings:
                standings[doc.key] = Standing(doc, doc, None, None, None, day)
            continue
        in_force = timeline.in_force(day)
        upcoming = timeline.upcoming(day)
        records = timeline.records
        shown, record = doc, records[-1] if records else None
        if in_force is not None and not _is_working_tree(doc, timeline, in_force):
            older.append((doc, in_force))
            record = in_force
        standings[doc.key] = Standing(doc, shown, timeline, in_force, record, day, upcoming)
        shown_docs.append(shown)
    # The older versions' texts, read together.
    history.prefetch(record.head for _, record in older)
    for doc, record in older:
        standing = standings[doc.key or ""]
        parsed = _parse(history, record.head, doc)
        if parsed is not None:
            standing.shown = parsed
            shown_docs[shown_docs.index(doc)] = parsed
    withdrawn = _withdrawn(history, library.settings.library)
    return LibraryStanding(standings, Library(library.settings, shown_docs, assets=library.assets), withdrawn, day)


def _is_working_tree(doc: Document, timeline: DocHistory, record: VersionRecord) -> bool:
    """The working tree is still the version in force (edits not yet versioned included)."""
    return doc.status is Status.APPROVED and doc.version == record.version and record is timeline.records[-1]


def _parse(history: LibraryHistory, revision: Revision, like: Document) -> Document | None:
    text = history.text_of(revision)
    doc, _ = load_document(text.encode("utf-8"), like.path, like.abs_path, like.folder_type)
    return doc


def _withdrawn(history: LibraryHistory, folders: dict[str, str]) -> list[Withdrawn]:
    found = []
    if not history.available:
        return found
    candidates = []
    for lineage in history.ended:
        records = lineage.records
        if not records or not any(r.head.status == APPROVED for r in records):
            continue  # never approved: a draft that went is no controlled document
        candidates.append((lineage, records[-1]))
    history.prefetch(record.head for _, record in candidates)
    for lineage, record in candidates:
        folder_type = _folder_type(folders, record.head.path)
        if folder_type is None:
            continue
        doc, _ = load_document(
            history.text_of(record.head).encode("utf-8"), record.head.path, history.root / record.head.path, folder_type
        )
        if doc is not None:
            found.append(Withdrawn(lineage, record, doc))
    found.sort(key=lambda w: (w.doc.id or "", w.lineage.ended.position if w.lineage.ended else 0))
    return found


def _folder_type(folders: dict[str, str], path: str) -> DocType | None:
    for name, folder in folders.items():
        if path.startswith(folder.strip("/") + "/") and name in {t.value for t in DocType}:
            return DocType(name)
    return None


def is_restricted(revision: Revision) -> bool:
    return revision.field_text("classification") == Classification.RESTRICTED.value
