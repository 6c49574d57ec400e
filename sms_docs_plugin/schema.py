"""The JSON Schema of the front matter, for editors (for example the YAML language server)."""

from __future__ import annotations

from .frontmatter import EXTERNAL_REQUIRED
from .model import HIERARCHY, ID_PATTERN, RETENTION_PATTERN, VERSION_PATTERN, Classification, DocType, Status

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_IDS = {
    "oneOf": [
        {"type": "string", "pattern": ID_PATTERN.pattern},
        {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN.pattern}},
    ]
}


_TEXT = {"type": "string", "minLength": 1}
_RECORD = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": _TEXT | {"description": "What is recorded, e.g. Incident record."},
        "location": _TEXT | {"description": "Where it is kept (SMS406 when missing)."},
        "retention": {
            "type": "string",
            "pattern": f"^(?:{RETENTION_PATTERN.pattern[1:-1]}|permanent)$",
            "description": 'How long it is kept: "7y", "18m", "90d" or permanent (SMS406 when missing).',
        },
        "owner": {"type": "string", "description": "Role that keeps it; default: the document's owner."},
        "disposal": {"type": "string", "description": "How it is disposed of at the end of its retention."},
    },
}


def front_matter_schema() -> dict[str, object]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sms-docs.invalid/front-matter.schema.json",
        "title": "sms-docs controlled document front matter",
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "type", "title", "owner"],
        "properties": {
            "id": {"type": "string", "pattern": ID_PATTERN.pattern, "description": "Stable identifier, e.g. PRO-INC-002; never reused."},
            "type": {"enum": [t.value for t in DocType], "description": "Must match the folder the file is in."},
            "title": {"type": "string", "minLength": 1, "description": "Short title."},
            "version": {
                "type": "string",
                "pattern": VERSION_PATTERN.pattern,
                "description": 'MAJOR.MINOR as a quoted string, e.g. "2.1".',
            },
            "status": {"enum": [s.value for s in Status]},
            "owner": {"type": "string", "minLength": 1, "description": "The accountable role (not a person)."},
            "approver": {"type": "string", "description": "Role that authorized this version (required when approved)."},
            "approved": _DATE | {"description": "Date this version was approved (required when approved)."},
            "effective": _DATE | {"description": "Date it takes effect; defaults to approved."},
            "review": _DATE | {"description": "Date of the next scheduled review."},
            "parents": _IDS | {"description": "Parent ids: processes for a procedure, policies for a process or policy."},
            "clauses": {"type": "array", "items": {"type": "string"}, "description": 'ISO/IEC 20000-1 clauses, e.g. "8.5.1".'},
            "change": {"type": "string", "description": "Why this version exists (from the second version on)."},
            "classification": {"enum": [c.value for c in Classification], "default": "internal"},
            "supersedes": _IDS | {"description": "Ids of documents this one replaces."},
            "tags": {"type": "array", "items": {"type": "string"}},
            "records": {
                "type": "array",
                "items": _RECORD,
                "description": "Records this process or procedure produces: the records retention schedule.",
            },
            "references": _IDS | {"description": "Ids of the external documents this document relies on."},
            "publisher": _TEXT | {"description": "External documents: who issues it (a standards body, a supplier)."},
            "edition": {
                "oneOf": [_TEXT, {"type": "number"}],
                "description": 'External documents: the edition relied on, e.g. "2018".',
            },
            "location": _TEXT | {"description": "External documents: where the controlled copy is kept."},
        },
        "if": {"properties": {"status": {"const": "approved"}}, "required": ["status"]},
        "then": {"required": ["approver", "approved"]},
        # A document of external origin is registered, not versioned here; the others have a
        # version and a status. The build reports fields that do not belong to a type (SMS104).
        "oneOf": [
            {
                "properties": {"type": {"enum": [t.value for t in HIERARCHY]}},
                "required": ["version", "status"],
            },
            {
                "properties": {"type": {"const": DocType.EXTERNAL.value}},
                "required": list(EXTERNAL_REQUIRED),
            },
        ],
    }
