"""`sms-docs new`: a new draft from its type's template, with the next free id."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .analysis import build_date
from .document_templates import template_text
from .history import LibraryHistory
from .library import Library
from .model import DocType, Document, add_months

DEFAULT_PREFIX = {DocType.POLICY: "POL", DocType.PROCESS: "PRC", DocType.PROCEDURE: "PRO", DocType.EXTERNAL: "EXT"}
_STOP_WORDS = {
    "a", "an", "and", "the", "of", "for", "to", "in", "on", "by", "with", "management", "policy",
    "process", "procedure", "service", "services",
}


class AuthoringError(Exception):
    """The request cannot be carried out; the message says why."""


@dataclass
class NewDocument:
    id: str
    path: Path
    text: str


def plan_new(
    library: Library,
    history: LibraryHistory | None,
    doc_type: DocType,
    title: str,
    parent_ids: list[str],
    owner: str | None,
) -> NewDocument:
    title = " ".join(title.split())
    if not title:
        raise AuthoringError("--title must not be empty")
    if doc_type is DocType.EXTERNAL and parent_ids:
        raise AuthoringError(
            "an external document has no parents; the documents that rely on it list its id in `references`"
        )
    parents = [_parent(library, doc_type, parent_id) for parent_id in parent_ids]
    if doc_type is DocType.POLICY and not parents and library.root_policy is not None:
        parents = [library.root_policy]  # every policy but the root hangs under it (SMS2xx)
    if doc_type.in_hierarchy and doc_type is not DocType.POLICY and not parents:
        raise AuthoringError(f"a {doc_type} needs at least one --parent {doc_type.parent_type} id")
    role = owner or (parents[0].owner if parents else "")
    if not role:
        raise AuthoringError("--owner ROLE is required (the accountable role, not a person)")
    used = _used_ids(library, history)
    new_id = _next_id(library, doc_type, title, parents, used)
    folder = _folder(library, doc_type, parents)
    path = folder / f"{new_id.lower()}-{_slug(title)}.md"
    body = template_text(library.settings, doc_type).replace("{{ title }}", title)
    if doc_type is DocType.EXTERNAL:
        return NewDocument(new_id, path, "\n".join(_external_front(new_id, title, role, library)) + body)
    front = [
        "---",
        f"id: {new_id}",
        f"type: {doc_type.value}",
        f"title: {yaml_text(title)}",
        'version: "0.1"',
        "status: draft",
        f"owner: {yaml_text(role)}",
    ]
    if parents:
        front.append(f"parents: [{', '.join(p.id or '' for p in parents)}]")
    front += ["clauses: []", "classification: internal", "---", ""]
    return NewDocument(new_id, path, "\n".join(front) + body)


def _external_front(new_id: str, title: str, owner: str, library: Library) -> list[str]:
    """Registered, not versioned: the author fills in who publishes it, which edition the SMS
    relies on and where the controlled copy is kept (`check` reports them until then)."""
    review = add_months(build_date(), library.settings.review_interval_months)
    return [
        "---",
        f"id: {new_id}",
        "type: external",
        f"title: {yaml_text(title)}",
        f"owner: {yaml_text(owner)}",
        "publisher:",
        "edition:",
        "location:",
        f"review: {review.isoformat()}",
        "classification: internal",
        "---",
        "",
    ]


def _parent(library: Library, doc_type: DocType, parent_id: str) -> Document:
    parent = library.get(parent_id)
    if parent is None:
        raise AuthoringError(f"parent {parent_id} does not exist in the library")
    if doc_type is DocType.POLICY and parent.doc_type is not DocType.POLICY or (
        doc_type is not DocType.POLICY and parent.doc_type is not doc_type.parent_type
    ):
        raise AuthoringError(
            f"{parent.id} is a {parent.doc_type}; a {doc_type}'s parent must be a {doc_type.parent_type}"
        )
    return parent


def _used_ids(library: Library, history: LibraryHistory | None) -> set[str]:
    """Ids in use now or ever used in git history: an id is never reused."""
    used = {doc.key for doc in library.documents if doc.key}
    return used | ids_in_history(history) if history is not None else used


def ids_in_history(history: LibraryHistory) -> set[str]:
    """Every id (case-folded) a document of the library has had in git history."""
    used = set()
    for lineage in history.all_lineages():
        for revision in lineage.revisions:
            value = revision.field_text("id")
            if value:
                used.add(value.casefold())
    return used


def _prefix(library: Library, doc_type: DocType) -> str:
    counts = Counter(d.id.split("-", 1)[0] for d in library.of_type(doc_type) if d.id)
    return counts.most_common(1)[0][0] if counts else DEFAULT_PREFIX[doc_type]


def _next_id(library: Library, doc_type: DocType, title: str, parents: list[Document], used: set[str]) -> str:
    prefix = _prefix(library, doc_type)
    if doc_type is DocType.PROCEDURE:
        process = parents[0].id or ""
        code = process.split("-", 1)[1] if "-" in process else process
        stem = f"{prefix}-{code}-"
        numbers = [int(key[len(stem):]) for key in used if key.startswith(stem.casefold()) and key[len(stem):].isdigit()]
        return f"{stem}{(max(numbers) + 1) if numbers else 1:03d}"
    words = [w for w in re.findall(r"[A-Za-z0-9]+", title) if w.lower() not in _STOP_WORDS] or re.findall(
        r"[A-Za-z0-9]+", title
    )
    code = (words[0][:3] if len(words) == 1 else "".join(w[0] for w in words[:3])).upper() if words else "DOC"
    candidate, number = f"{prefix}-{code}", 2
    while candidate.casefold() in used:
        candidate, number = f"{prefix}-{code}{number}", number + 1
    return candidate


def _folder(library: Library, doc_type: DocType, parents: list[Document]) -> Path:
    """Beside the parent's other children of this type, when they share a folder."""
    base = library.settings.folder(doc_type)
    if parents:
        siblings = [c for c in library.children_of(parents[0]) if c.doc_type is doc_type]
        if siblings:
            return siblings[0].abs_path.parent
    return base


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "document"


def yaml_text(value: str) -> str:
    """Quote a value whenever YAML could read it as something other than plain text
    (a title such as `Yes`, `Off` or `Null` is a boolean or nothing to YAML)."""
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9 ,()'/&.-]*", value) and not value.endswith(":") and ": " not in value
    if plain and _reads_back(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reads_back(value: str) -> bool:
    try:
        return yaml.safe_load(f"key: {value}") == {"key": value}
    except yaml.YAMLError:
        return False
