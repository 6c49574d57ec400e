"""The history model: commits, the revisions of a document, and the versions they make.

Plain data and pure functions: `group_versions` turns a document's revisions into versions
once, with the irregular revisions as data, and `DocHistory.in_force` answers which
version was in force on a date. Rules, pages and the CLI all ask these, never git.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from ..model import Version
from .scan import FIELD_INDEX, KEPT_FIELDS

_VERSION, _STATUS, _ID = FIELD_INDEX["version"], FIELD_INDEX["status"], FIELD_INDEX["id"]
_REVIEW = FIELD_INDEX["review"]
_TRAILER = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$")
_PERSON = re.compile(r"^(?P<name>[^<>]*[^<>\s])\s*<(?P<email>[^<>\s@]+@[^<>\s]+)>$")
APPROVED, RETIRED, DRAFT = "approved", "retired", "draft"


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    authored: datetime
    committed: datetime
    subject: str
    body: str
    position: int  # order in the pass, oldest first; later commits have larger positions
    signed: bool = False  # carries a signature (verified only when approval evidence asks)

    @property
    def short(self) -> str:
        return self.sha[:10]

    @property
    def message(self) -> str:
        return f"{self.subject}\n\n{self.body}".strip()

    @property
    def day(self) -> date:
        return self.committed.date()

    def trailers(self, key: str) -> list[str]:
        """Values of `Key: value` trailers in the message's last paragraph (keys compared
        ignoring case), as `git interpret-trailers` reads them."""
        paragraphs = [p for p in re.split(r"\n[ \t]*\n", self.message) if p.strip()]
        if len(paragraphs) < 2:
            return []
        values: list[str] = []
        for line in paragraphs[-1].split("\n"):
            match = _TRAILER.match(line)
            if match is None:
                if line[:1] in (" ", "\t") and values:
                    continue  # a folded trailer value
                return []  # not a trailer block
            if match.group(1).casefold() == key.casefold():
                values.append(match.group(2).strip())
        return values


def person_of_record(value: str) -> str | None:
    """`Name <email>` from an `Approved-by:` trailer, or None when it is not in that form."""
    match = _PERSON.match(value.strip())
    return f"{match.group('name')} <{match.group('email')}>" if match else None


@dataclass(slots=True)
class Revision:
    """One state of one document: a commit that wrote it, or the uncommitted working tree.

    Slots and a tuple of values rather than a dict: a library's history holds tens of
    thousands of revisions, and this halves the memory they take."""

    commit: Commit | None  # None for the working tree
    path: str
    blob: str
    values: tuple[str, ...]  # the KEPT_FIELDS, in that order
    content_key: str  # hash of everything but `review`: equal keys mean "no change"
    version: str = field(init=False)
    status: str = field(init=False)

    def __post_init__(self) -> None:
        # Read hundreds of thousands of times while grouping versions: plain attributes.
        self.version = self.values[_VERSION]
        self.status = self.values[_STATUS]

    @property
    def fields(self) -> dict[str, str]:
        return dict(zip(KEPT_FIELDS, self.values, strict=True))

    @property
    def doc_id(self) -> str:
        return self.values[_ID]

    @property
    def review(self) -> str:
        return self.values[_REVIEW]

    @property
    def version_key(self) -> Version | None:
        return Version.parse(self.version) if self.version else None

    def field_text(self, name: str) -> str:
        index = FIELD_INDEX.get(name)
        return self.values[index] if index is not None else ""

    @property
    def position(self) -> int:
        return self.commit.position if self.commit else 1 << 60

    @property
    def label(self) -> str:
        return self.commit.short if self.commit else "working tree"

    @property
    def day(self) -> date | None:
        return self.commit.day if self.commit else None


@dataclass(frozen=True, slots=True)
class Move:
    revision: Revision
    from_path: str


@dataclass
class VersionRecord:
    """A version of a document: the commit that made it approved (or retired), with the
    commits folded into it since the version before (drafting, unversioned edits)."""

    revisions: list[Revision]  # the last one is the version's own commit
    reviews: list[Revision] = field(default_factory=list)  # review-only commits after it
    moves: list[Move] = field(default_factory=list)  # commits that only moved the file after it
    irregular: list[tuple[Revision, str]] = field(default_factory=list)  # folded revisions that broke the rules
    starts: date = date.max  # approved: `effective` (else `approved`); retired: the day it was retired
    in_force_from: date | None = None  # None when a later version took effect first
    in_force_to: date | None = None  # the day the next version took effect; None while still in force

    @property
    def head(self) -> Revision:
        return self.revisions[-1]

    @property
    def version(self) -> str:
        return self.head.version

    @property
    def retired(self) -> bool:
        return self.head.status == RETIRED

    @property
    def authors(self) -> list[str]:
        names: list[str] = []
        for revision in self.revisions:
            if revision.commit and revision.commit.author not in names:
                names.append(revision.commit.author)
        return names

    @property
    def date(self) -> datetime | None:
        return self.head.commit.committed if self.head.commit else None

    def field(self, name: str) -> str:
        return self.head.field_text(name)

    @property
    def was_in_force(self) -> bool:
        return self.in_force_from is not None and not self.retired


@dataclass
class Versions:
    """What `group_versions` makes of a document's revisions."""

    records: list[VersionRecord]
    pending: list[Revision]  # after the last version: a draft in progress, or edits not yet versioned
    irregular: list[tuple[Revision, str]]  # every revision that broke the versioning rules, oldest first
    pending_moves: list[Move] = field(default_factory=list)

    def reason(self, revision: Revision) -> str:
        return next((why for rev, why in self.irregular if rev is revision), "")


def group_versions(revisions: list[Revision]) -> Versions:
    """Versions from a document's revisions, oldest first.

    A version is the commit where the document became approved or retired under a version
    number, or first appeared approved. Commits before it since the last version (drafts,
    edits) are folded into it: drafts are never versions of their own. A commit that changes
    nothing but `review` is a review of the version before it; one that only moves the file
    is a move, never a review. An edit of an approved version that keeps its number, and a
    version number not above every earlier one, are irregular.
    """
    records: list[VersionRecord] = []
    pending: list[Revision] = []
    pending_moves: list[Move] = []
    irregular: list[tuple[Revision, str]] = []
    folded_irregular: list[tuple[Revision, str]] = []
    previous: Revision | None = None
    highest: Version | None = None
    for revision in revisions:
        if previous is None and not revision.doc_id:
            continue  # an adopted file's history starts where its front matter became valid
        if previous is not None and revision.content_key == previous.content_key:
            reviewed = revision.review != previous.review
            moved = revision.path != previous.path
            # Bookkeeping of a draft in progress belongs to the draft, not to the version before.
            owner = records[-1] if records and not pending else None
            if reviewed:
                (owner.reviews if owner else pending).append(revision)
            if moved:
                (owner.moves if owner else pending_moves).append(Move(revision, previous.path))
            if not reviewed and not moved and owner is None:
                pending.append(revision)
            previous = revision
            continue
        makes_version = revision.status in (APPROVED, RETIRED) and (
            previous is None or (revision.version, revision.status) != (previous.version, previous.status)
        )
        if makes_version:
            record = VersionRecord(pending + [revision], irregular=folded_irregular)
            key = revision.version_key
            retiring_same = revision.status == RETIRED and records and records[-1].version == revision.version
            if key is not None and highest is not None and key <= highest and not retiring_same:
                why = f"version {revision.version} is not above the earlier version {highest}"
                irregular.append((revision, why))
                record.irregular.append((revision, why))
            if key is not None and (highest is None or key > highest):
                highest = key
            records.append(record)
            pending, folded_irregular = [], []
        else:
            if previous is not None and previous.status == APPROVED and revision.status == APPROVED \
                    and revision.version == previous.version:
                why = f"changed approved version {revision.version} without a new version"
                irregular.append((revision, why))
                folded_irregular.append((revision, why))
            pending.append(revision)
        previous = revision
    _periods(records)
    return Versions(records, pending, irregular, pending_moves)


def _periods(records: list[VersionRecord]) -> None:
    """When each version was in force: from its start until a later version's start. A later
    version that took effect first means this one never was."""
    later: date | None = None
    for record in reversed(records):
        starts = record.starts = _start(record)
        if later is None or starts < later:
            record.in_force_from, record.in_force_to = starts, later
            later = starts
        else:
            record.in_force_from = record.in_force_to = None


def _start(record: VersionRecord) -> date:
    head = record.head
    if head.status == RETIRED:
        return head.day or date.max  # retired in the working tree: not yet retired on any date
    # A version takes effect on its `effective` date, and never before it was approved: an
    # `effective` left over from the version before does not move it back in time.
    days = [day for name in ("effective", "approved") if (day := _date(head.field_text(name))) is not None]
    return max(days) if days else head.day or date.max


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@dataclass
class DocHistory:
    """One document's line of revisions, following renames that keep its id."""

    path: str  # current path, or the last one of a withdrawn document
    revisions: list[Revision] = field(default_factory=list)  # oldest first, reviews and moves included
    ended: Commit | None = None  # the commit that deleted the file or gave it another id
    end_note: str = ""  # how it ended, for the archive: "deleted", "renamed to ... with the new id ..."

    @property
    def deleted(self) -> bool:
        return self.ended is not None

    @property
    def doc_id(self) -> str:
        return next((r.doc_id for r in reversed(self.revisions) if r.doc_id), "")

    @property
    def committed(self) -> list[Revision]:
        return [r for r in self.revisions if r.commit is not None]

    @cached_property
    def versions(self) -> Versions:
        """Computed once, shared by the rules and the pages."""
        versions = group_versions(self.revisions)
        if self.ended is not None:
            for record in versions.records:
                if record.in_force_from is not None and record.in_force_to is None:
                    record.in_force_to = max(self.ended.day, record.in_force_from)  # withdrawn that day
        return versions

    @property
    def records(self) -> list[VersionRecord]:
        return self.versions.records

    def in_force(self, day: date) -> VersionRecord | None:
        """The version in force on `day`: the latest approved version whose start is on or
        before it. None before the first one, and once retired or withdrawn."""
        if self.ended is not None and self.ended.day <= day:
            return None
        record = self.on(day)
        return record if record is not None and not record.retired else None

    def on(self, day: date) -> VersionRecord | None:
        """The latest version that had started by `day`, retirement included."""
        found = None
        for record in self.records:
            if record.starts <= day:
                found = record
        return found

    def upcoming(self, day: date) -> list[VersionRecord]:
        """Approved versions that will take effect after `day` (a version overtaken by a later
        one that takes effect first never will)."""
        if self.ended is not None:
            return []
        return [r for r in self.records if not r.retired and r.in_force_from is not None and r.in_force_from > day]
