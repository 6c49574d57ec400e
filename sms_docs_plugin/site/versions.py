"""Version history of documents for the pages: the history sheet, the history page, and
the pages of past and upcoming versions. What a version is and when it was in force comes
from the history model; this decides what each page links and shows."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import date

from ..history import Revision, VersionRecord, Versions
from ..history.approval import Approvals
from ..model import Document
from ..standing import Standing, is_restricted

SUPERSEDED, NEVER, UPCOMING, IN_FORCE, RETIREMENT, CURRENT = (
    "superseded", "never in force", "upcoming", "in force", "retired", "current",
)


@dataclass
class VersionEntry:
    """One row of a document history sheet: one approved (or retirement) version."""

    record: VersionRecord
    index: int
    state: str  # superseded | never in force | upcoming | in force | retired | current (no date known)
    shown: bool  # the version the document page shows
    src_uri: str | None  # the page of this version; None for the shown one, or when not published
    restricted: bool  # restricted at the time: no page, no text, no change note unless restricted is published
    person: str | None = None  # the person of record, from approval evidence
    irregular: dict[int, str] = field(default_factory=dict)  # id(revision) -> why it broke the rules
    url: str | None = None  # relative to the page being rendered; set by that page
    url_path: str | None = None  # where its page is written in the site, e.g. a/b.v1.0/index.html
    changes_url_path: str | None = None  # the shown version only: where its diff page is written
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
    def change(self) -> str:
        return "" if self.restricted else self.field("change")

    @property
    def authors(self) -> str:
        return ", ".join(self.record.authors) or "—"

    @property
    def committed(self) -> bool:
        return self.head.commit is not None

    @property
    def date(self) -> str:
        return self.head.commit.committed.date().isoformat() if self.head.commit else "uncommitted"

    @property
    def in_force_from(self) -> date | None:
        return self.record.in_force_from if not self.record.retired else None

    @property
    def in_force_to(self) -> date | None:
        to = self.record.in_force_to
        return None if to is None or to == date.max else to

    @property
    def in_force_period(self) -> str:
        """When this version was in force, as every page prints it ("today" while it still is)."""
        if self.record.retired or (self.in_force_from is None and self.state != NEVER):
            return "—"
        if self.state == NEVER:
            return "never in force"
        assert self.in_force_from is not None
        if self.state == UPCOMING:
            end = self.in_force_to.isoformat() if self.in_force_to else ""
            return f"{self.in_force_from.isoformat()} – {end} (upcoming)"
        return f"{self.in_force_from.isoformat()} – {self.in_force_to.isoformat() if self.in_force_to else 'today'}"

    @property
    def has_page(self) -> bool:
        return self.src_uri is not None

    def why(self, revision: Revision) -> str:
        return self.irregular.get(id(revision), "")


def version_src_uri(doc: Document, number: str) -> str:
    stem, _ = posixpath.splitext(doc.path)
    return f"{stem}.v{number}.md"


def changes_src_uri(doc: Document) -> str:
    """The page showing what the version shown changed, against the approved version before it."""
    stem, _ = posixpath.splitext(doc.path)
    return f"{stem}.changes.md"


def history_src_uri(doc: Document) -> str:
    stem, _ = posixpath.splitext(doc.path)
    return f"{stem}.history.md"


def version_entries(
    standing: Standing, *, publish_past: bool, include_restricted: bool, approvals: Approvals | None
) -> list[VersionEntry]:
    """The versions of a document, oldest first, as its pages list them."""
    timeline = standing.timeline
    if timeline is None:
        return []
    versions: Versions = timeline.versions
    irregular = {id(revision): why for revision, why in versions.irregular}
    entries = []
    seen: set[str] = set()
    day = standing.day
    upcoming = {id(record) for record in standing.upcoming}
    for index, record in enumerate(versions.records):
        shown = record is standing.shown_record
        if record.retired:
            state = RETIREMENT
        elif id(record) in upcoming:
            state = UPCOMING
        elif record is standing.in_force:
            state = IN_FORCE
        elif record.in_force_from is None or record.in_force_from > day:
            state = NEVER
        else:
            state = SUPERSEDED
        restricted = is_restricted(record.head) and not include_restricted
        # A number reused after a dip still gets a page of its own.
        # A number reused after a dip still gets a page of its own; a number too long for a
        # file name (an old commit's, never checked by today's SMS103) gets its position.
        name = record.version if record.version not in seen else f"{record.version}-{index + 1}"
        if len(name) > 24:
            name = f"n{index + 1}"
        seen.add(record.version)
        published = not shown and not record.retired and not restricted and (publish_past or state == UPCOMING)
        evidence = approvals.evidence(record.head.commit) if approvals is not None and not record.retired else None
        entries.append(
            VersionEntry(
                record=record,
                index=index,
                state=state,
                shown=shown,
                src_uri=version_src_uri(standing.doc, name) if published else None,
                restricted=restricted,
                person=evidence.person if evidence else None,
                irregular={id(r): irregular[id(r)] for r in record.revisions if id(r) in irregular},
            )
        )
    return entries


def previous_comparable(entries: list[VersionEntry], entry: VersionEntry) -> VersionEntry | None:
    """The approved version a version is compared with: the one before it that is not a
    retirement and whose text may be shown."""
    for candidate in reversed(entries[: entries.index(entry)]):
        if not candidate.record.retired:
            return None if candidate.restricted else candidate
    return None
