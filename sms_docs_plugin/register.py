"""The registers of the library: the master list of documents (with its csv and json), the
records retention schedule and the list of external documents.

Shared by the site (the Register, Records and External documents pages, register.csv and
register.json) and the CLI (`sms-docs register`), so the two always print the same list.
Only published documents are listed: a restricted document is absent unless the build is
told to include restricted material, and a restricted parent's id is not disclosed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from .library import Library
from .model import DocType, Document, Record, describe_retention
from .publication import Placement, placement

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REGISTER_FIELDS = (
    "id", "title", "type", "version", "status", "owner", "approver", "approved", "effective",
    "next_review", "classification", "parents", "path", "publisher", "edition", "location", "upcoming",
)
_TYPE_ORDER = {doc_type: index for index, doc_type in enumerate(DocType)}


def register_order(doc: Document) -> tuple[int, str, str]:
    """Policies, processes, procedures, then external documents; by id within each."""
    return (_TYPE_ORDER[doc.doc_type], (doc.id or "").casefold(), doc.path)


def published(library: Library) -> list[Document]:
    """Every document the site publishes (current, archived, drafts when asked), one per id,
    in register order."""
    settings = library.settings
    return sorted(
        (
            doc for doc in library.documents
            if library.holds_id(doc) and placement(doc, settings) is not Placement.HIDDEN
        ),
        key=register_order,
    )


@dataclass
class RegisterRow:
    doc: Document
    next_review: date | None
    parents: list[str]  # published parents only: a restricted parent's id is not disclosed
    upcoming: str = ""  # an approved version not yet in force: "1.1 from 2027-01-05"

    def as_dict(self) -> dict[str, object]:
        doc = self.doc
        effective = doc.effective()
        return {
            "id": doc.id or "",
            "title": doc.title,
            "type": doc.doc_type.value,
            "version": doc.version,
            "status": str(doc.status or ""),
            "owner": doc.owner,
            "approver": doc.approver,
            "approved": doc.approved.isoformat() if doc.approved else "",
            "effective": effective.isoformat() if effective else "",
            "next_review": self.next_review.isoformat() if self.next_review else "",
            "classification": doc.classification.value,
            "parents": list(self.parents),
            "path": doc.path,
            "publisher": doc.publisher,
            "edition": doc.edition,
            "location": doc.location,
            "upcoming": self.upcoming,
        }


def register_rows(library: Library, upcoming: Mapping[str, str] | None = None) -> list[RegisterRow]:
    """The rows of the register: the documents of `library` (as they stand, in force), with
    `upcoming` (document key -> "1.1 from 2027-01-05") for versions approved for later."""
    upcoming = upcoming or {}
    docs = published(library)
    shown = {id(doc) for doc in docs}
    interval = library.settings.review_interval_months
    return [
        RegisterRow(
            doc,
            doc.next_review(interval),
            [parent.id or "" for parent in library.parents_of(doc) if id(parent) in shown],
            upcoming.get(doc.key or "", ""),
        )
        for doc in docs
    ]


def register_csv(rows: list[RegisterRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REGISTER_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        values = row.as_dict()
        values["parents"] = " ".join(row.parents)  # one cell
        writer.writerow({key: _csv_safe(str(value)) for key, value in values.items()})
    return out.getvalue()


def register_json(rows: list[RegisterRow], generated: date, commit: str | None) -> str:
    data = {"generated": generated.isoformat(), "commit": commit, "documents": [row.as_dict() for row in rows]}
    return json.dumps(data, indent=2, ensure_ascii=False)


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; a leading quote stops that."""
    return "'" + value if value.startswith(CSV_FORMULA_START) else value


# -- records retention schedule (ISO/IEC TR 20000-5, Annex D.3 g) --------------------------


@dataclass
class ScheduledRecord:
    """One record of the schedule, with every document that declares it."""

    name: str
    location: str
    retention: str
    owner: str
    disposal: str
    producers: list[Document] = field(default_factory=list)

    @property
    def retention_text(self) -> str:
        return describe_retention(self.retention) if self.retention else ""


@dataclass
class RecordGroup:
    process: Document | None  # None: records of procedures whose process is not published
    records: list[ScheduledRecord]


def retention_schedule(library: Library) -> list[RecordGroup]:
    """Every record the current processes and procedures declare, grouped by process (a
    procedure's records under its primary process); a record several documents of one
    process declare alike is one row with each of them as a producer."""
    current = [doc for doc in published(library) if placement(doc, library.settings) is Placement.CURRENT]
    shown = {id(doc) for doc in current}
    groups: dict[int, tuple[Document | None, dict[tuple[str, str, str], ScheduledRecord]]] = {}
    for doc in current:
        if not doc.records:
            continue
        process = doc if doc.doc_type is DocType.PROCESS else library.primary_parent(doc)
        if process is not None and (id(process) not in shown or process.doc_type is not DocType.PROCESS):
            process = None
        _, rows = groups.setdefault(id(process), (process, {}))
        for record in doc.records:
            key = (record.name.casefold(), record.location.casefold(), record.retention)
            row = rows.get(key)
            if row is None:
                row = rows[key] = _scheduled(record, doc)
            if doc not in row.producers:
                row.producers.append(doc)
    ordered = sorted(groups.values(), key=lambda group: (group[0] is None, register_order(group[0]) if group[0] else ()))
    return [
        RecordGroup(process, sorted(rows.values(), key=lambda r: (r.name.casefold(), r.location.casefold())))
        for process, rows in ordered
    ]


def _scheduled(record: Record, doc: Document) -> ScheduledRecord:
    # A record without an owner of its own is kept by the owner of the document that produces it.
    return ScheduledRecord(record.name, record.location, record.retention, record.owner or doc.owner, record.disposal)


# -- external documents ------------------------------------------------------------------------


@dataclass
class ExternalEntry:
    doc: Document
    next_review: date | None
    referenced_by: list[Document]  # current, published documents that rely on it


def external_documents(library: Library) -> list[ExternalEntry]:
    docs = published(library)
    current = {id(doc) for doc in docs if placement(doc, library.settings) is Placement.CURRENT}
    return [
        ExternalEntry(doc, doc.review_date, [d for d in library.referenced_by(doc) if id(d) in current])
        for doc in docs
        if doc.is_external
    ]

