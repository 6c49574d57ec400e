"""The catalogue of rule codes: default severity and a one-line title for each.

Kept apart from the rules so the CLI, the schema, the site and the docs can name a
code without importing the rule that produces it.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


E, W = Severity.ERROR, Severity.WARNING

CODES: dict[str, tuple[Severity, str]] = {
    "SMS101": (E, "no front matter, unreadable file or YAML that does not parse"),
    "SMS102": (E, "required field missing"),
    "SMS103": (E, "field value invalid"),
    "SMS104": (W, "unknown field"),
    "SMS105": (E, "type does not match folder"),
    "SMS106": (E, "file cannot have an address of its own in the site"),
    "SMS107": (W, "folder not read: a git submodule or another repository"),
    "SMS201": (E, "duplicate id"),
    "SMS202": (E, "orphan: process or procedure with no parents"),
    "SMS203": (E, "dangling parent: parent id does not exist"),
    "SMS204": (E, "parent at the wrong level of the hierarchy"),
    "SMS205": (E, "cycle in the hierarchy"),
    "SMS206": (E, "approved document whose parents are all draft or retired"),
    "SMS207": (W, "policy not reachable from the root service management policy"),
    "SMS208": (W, "gap: policy without processes or process without procedures"),
    "SMS301": (E, "content changed without a version bump"),
    "SMS302": (E, "version not above every earlier version"),
    "SMS303": (E, "new version lacks change, approver or approved"),
    "SMS304": (E, "approval date before the previous version's or in the future"),
    "SMS305": (W, "review overdue"),
    "SMS306": (W, "suspect: a parent changed after this document was approved"),
    "SMS307": (E, "retired document brought back without a new version"),
    "SMS401": (W, "name of an individual where a role belongs"),
    "SMS402": (W, "near-duplicate documents"),
    "SMS403": (E, "required template section missing"),
    "SMS404": (E, "link to a retired, draft or unknown document"),
    "SMS405": (E, "raw HTML in a controlled document"),
}
