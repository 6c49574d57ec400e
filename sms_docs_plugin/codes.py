"""The catalogue of rule codes: default severity and a one-line title for each.

Kept apart from the rules so the CLI, the schema, the site and the docs can name a
code without importing the rule that produces it.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # fails every build and check
    WARNING = "warning"  # fails under --strict
    NOTICE = "notice"  # the library's state as time passes: shown, never fails anything


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTICE

CODES: dict[str, tuple[Severity, str]] = {
    "SMS101": (E, "no front matter, unreadable file or YAML that does not parse"),
    "SMS102": (E, "required field missing"),
    "SMS103": (E, "field value invalid"),
    "SMS104": (W, "unknown field"),
    "SMS105": (E, "type does not match folder"),
    "SMS201": (E, "duplicate id"),
    "SMS202": (E, "orphan: process or procedure with no parents"),
    "SMS203": (E, "dangling parent: parent id does not exist"),
    "SMS204": (E, "parent at the wrong level of the hierarchy"),
    "SMS205": (E, "cycle in the hierarchy"),
    "SMS206": (E, "approved document whose parents are all draft or retired"),
    "SMS207": (W, "policy not reachable from the root service management policy"),
    "SMS208": (W, "gap: policy without processes or process without procedures"),
    "SMS301": (E, "content changed without a version bump"),
    "SMS302": (E, "version not above every earlier version (a past slip a later version superseded: notice)"),
    "SMS303": (E, "new version lacks change, approver or approved"),
    "SMS304": (E, "approval date before the previous version's or in the future"),
    "SMS305": (N, "review overdue"),
    "SMS306": (N, "suspect: a parent got a new major version after this document was approved"),
    "SMS307": (E, "retired document brought back without a new version"),
    "SMS308": (E, "withdrawn without retirement: an approved document deleted or given a new id"),
    "SMS309": (E, "id reused: the id belonged to another document in the history"),
    "SMS310": (E, "approver not authorised to approve this type of document"),
    "SMS311": (W, "self-approval: the approver is the owner"),
    "SMS312": (E, "no approval evidence on the commit that brought the version in"),
    "SMS401": (W, "name of an individual where a role belongs (body, owner or approver)"),
    "SMS402": (W, "near-duplicate documents"),
    "SMS403": (E, "required template section missing"),
    "SMS404": (E, "link to a retired, draft or unknown document"),
    "SMS405": (E, "raw HTML in a controlled document"),
    "SMS406": (W, "records section without declared records, or a record without location or retention"),
    "SMS407": (W, "history or reasons for writing the document in its body"),
    "SMS408": (E, "template placeholder text left in an approved document"),
    "SMS409": (E, "reference to an external document that does not exist"),
}
