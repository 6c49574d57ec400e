"""The JSON Schema of the front matter, for editors (for example the YAML language server)."""

from __future__ import annotations

from .model import ID_PATTERN, VERSION_PATTERN, Classification, DocType, Status

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_IDS = {
    "oneOf": [
        {"type": "string", "pattern": ID_PATTERN.pattern},
        {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN.pattern}},
    ]
}


def front_matter_schema() -> dict[str, object]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sms-docs.invalid/front-matter.schema.json",
        "title": "sms-docs controlled document front matter",
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "type", "title", "version", "status", "owner"],
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
        },
        "if": {"properties": {"status": {"const": "approved"}}},
        "then": {"required": ["approver", "approved"]},
    }
