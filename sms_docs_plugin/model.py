"""The document model: what a controlled document is once its front matter is read.

Plain data, no MkDocs and no git: the loader fills it, the rules read it, the site
renders it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from .codes import CODES, Severity


class DocType(StrEnum):
    POLICY = "policy"
    PROCESS = "process"
    PROCEDURE = "procedure"
    # A document of external origin (a standard, a contract, a vendor manual, a law): it sits
    # beside the hierarchy, not in it, and documents rely on it through `references`.
    EXTERNAL = "external"

    @property
    def level(self) -> int:
        return _LEVELS[self]

    @property
    def in_hierarchy(self) -> bool:
        return self is not DocType.EXTERNAL

    @property
    def parent_type(self) -> DocType:
        """The only type a document of this type may hang under."""
        return DocType.POLICY if self is not DocType.PROCEDURE else DocType.PROCESS

    @property
    def label(self) -> str:
        return "External document" if self is DocType.EXTERNAL else self.value.capitalize()


_LEVELS = {DocType.POLICY: 0, DocType.PROCESS: 1, DocType.PROCEDURE: 2, DocType.EXTERNAL: 3}
# The three levels of policy › process › procedure, top down.
HIERARCHY = (DocType.POLICY, DocType.PROCESS, DocType.PROCEDURE)


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"


class Classification(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    RESTRICTED = "restricted"


ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
VERSION_PATTERN = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
RETENTION_PATTERN = re.compile(r"^([1-9][0-9]*)([dmy])$")
PERMANENT = "permanent"
_UNITS = {"d": "day", "m": "month", "y": "year"}


def valid_retention(text: str) -> bool:
    return text == PERMANENT or RETENTION_PATTERN.match(text) is not None


def describe_retention(text: str) -> str:
    """"7y" -> "7 years", "1m" -> "1 month"; anything else as written."""
    match = RETENTION_PATTERN.match(text)
    if not match:
        return text
    count, unit = int(match.group(1)), _UNITS[match.group(2)]
    return f"{count} {unit}{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class Record:
    """A record a process or procedure produces, as its `records` field declares it."""

    name: str
    location: str = ""
    retention: str = ""  # "7y", "18m", "90d" or "permanent"; "" when not declared (SMS406)
    owner: str = ""  # the document's owner when not given
    disposal: str = ""
    line: int = 1  # where the record starts in the front matter


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> Version | None:
        return _parse_version(text)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


@functools.lru_cache(maxsize=4096)
def _parse_version(text: str) -> Version | None:
    # History asks for the same few numbers hundreds of thousands of times.
    match = VERSION_PATTERN.match(text.strip())
    if not match:
        return None
    return Version(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class Finding:
    """One problem found by a rule: data, printed by whoever asked for it."""

    code: str
    severity: Severity
    path: str
    line: int
    message: str
    doc_id: str | None = None
    new: bool | None = None  # with `--base`: whether the change being checked introduced it

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line, self.code, self.message)

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "code": self.code,
            "severity": str(self.severity),
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "id": self.doc_id,
        }
        if self.new is not None:
            data["new"] = self.new
        return data


def make_finding(
    code: str, path: str, line: int, message: str, doc_id: str | None = None, severity: Severity | None = None
) -> Finding:
    """A finding at the code's default severity (or the one a rule gives a variant of it,
    such as a past SMS302 slip); configured overrides apply later."""
    return Finding(code, severity or CODES[code][0], path, line, message, doc_id)


@dataclass
class Document:
    """A controlled document: validated front matter, body and where each key sits.

    Fields that were missing or invalid are left at their defaults; the loader has
    already reported them, so the rules can use whatever is present.
    """

    path: str  # POSIX path relative to the project root, as findings show it
    abs_path: Path
    folder_type: DocType
    text: str  # the whole file, decoded and with LF line ends
    blob: str = ""  # the id git gives the file's bytes: compares the working tree with history
    body: str = ""
    body_line: int = 1
    lines: dict[str, int] = field(default_factory=dict)
    front_matter: dict[str, object] = field(default_factory=dict)
    id: str | None = None
    type: DocType | None = None
    title: str = ""
    version: str = ""
    status: Status | None = None
    owner: str = ""
    approver: str = ""
    approved: date | None = None
    effective_date: date | None = None
    review_date: date | None = None
    parents: list[str] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)
    change: str = ""
    classification: Classification = Classification.INTERNAL
    supersedes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # ids of external documents relied on
    publisher: str = ""  # external documents only, like `edition` and `location`
    edition: str = ""
    location: str = ""

    @property
    def doc_type(self) -> DocType:
        """The type the hierarchy uses: the declared one when valid, else the folder's."""
        return self.type or self.folder_type

    @property
    def is_external(self) -> bool:
        return self.doc_type is DocType.EXTERNAL

    @property
    def key(self) -> str | None:
        """Ids are compared case-insensitively."""
        return self.id.casefold() if self.id else None

    @property
    def version_key(self) -> Version | None:
        return Version.parse(self.version) if self.version else None

    @property
    def is_current(self) -> bool:
        return self.status is Status.APPROVED

    @property
    def display_title(self) -> str:
        return f"{self.id} {self.title}".strip() if self.id else self.title or self.path

    def line(self, key: str) -> int:
        """The line of a front-matter key, or of the opening `---` when the key is absent."""
        return self.lines.get(key, 1)

    def effective(self) -> date | None:
        return self.effective_date or self.approved

    def next_review(self, interval_months: int) -> date | None:
        if self.status is Status.RETIRED:
            return None  # archived: no one reviews it again
        if self.review_date:
            return self.review_date
        if self.approved:
            return add_months(self.approved, interval_months)
        return None


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # 31 January + 1 month lands on the last day of February, not in March.
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")
