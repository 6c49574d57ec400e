"""The library: every controlled document loaded from the folders, and the graph between them."""

from __future__ import annotations

import os
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import store
from .frontmatter import git_blob_id, load_document
from .model import DocType, Document, Finding, Status, make_finding
from .settings import Settings

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass
class Library:
    settings: Settings
    documents: list[Document] = field(default_factory=list)  # sorted by path
    load_findings: list[Finding] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)  # non-Markdown files beside documents

    @cached_property
    def by_key(self) -> dict[str, Document]:
        """Id (case-folded) -> document; with duplicates, the first by path wins."""
        index: dict[str, Document] = {}
        for doc in self.documents:
            if doc.key and doc.key not in index:
                index[doc.key] = doc
        return index

    @cached_property
    def by_path(self) -> dict[str, Document]:
        return {doc.path: doc for doc in self.documents}

    @cached_property
    def id_prefixes(self) -> set[str]:
        """First parts of the ids in use (POL, PRC, PRO...): a word like them is an id reference."""
        return {doc.id.split("-", 1)[0] for doc in self.documents if doc.id}

    def get(self, doc_id: str) -> Document | None:
        return self.by_key.get(doc_id.casefold())

    def parents_of(self, doc: Document) -> list[Document]:
        found = (self.get(parent) for parent in doc.parents)
        return [parent for parent in found if parent is not None and parent is not doc]

    @cached_property
    def _children(self) -> dict[str, list[Document]]:
        children: dict[str, list[Document]] = defaultdict(list)
        for doc in self.documents:
            if self.by_key.get(doc.key or "") is not doc:
                continue
            # A document listing one parent twice is still one child (a set of keys, not a scan).
            for key in dict.fromkeys(parent.key or "" for parent in self.parents_of(doc)):
                children[key].append(doc)
        for siblings in children.values():
            siblings.sort(key=lambda d: (d.doc_type.level, d.id or ""))
        return children

    def children_of(self, doc: Document) -> list[Document]:
        return self._children.get(doc.key or "", [])

    def of_type(self, doc_type: DocType) -> list[Document]:
        return [doc for doc in self.documents if doc.doc_type is doc_type]

    @cached_property
    def _referenced_by(self) -> dict[str, list[Document]]:
        found: dict[str, list[Document]] = defaultdict(list)
        for doc in self.documents:
            if self.by_key.get(doc.key or "") is not doc:
                continue
            for key in dict.fromkeys(ref.casefold() for ref in doc.references):
                found[key].append(doc)
        for documents in found.values():
            documents.sort(key=lambda d: (d.doc_type.level, d.id or ""))
        return found

    def referenced_by(self, external: Document) -> list[Document]:
        """The documents whose `references` name this external document."""
        return self._referenced_by.get(external.key or "", [])

    def references_of(self, doc: Document) -> list[Document]:
        """The external documents this document relies on (unknown ids are SMS409's)."""
        found = (self.get(ref) for ref in dict.fromkeys(doc.references))
        return [ext for ext in found if ext is not None and ext.is_external]

    @cached_property
    def root_policy(self) -> Document | None:
        """The service management policy: configured, or the one policy without parents."""
        if self.settings.root_policy:
            return self.get(self.settings.root_policy)
        roots = self.top_policies
        return roots[0] if len(roots) == 1 else None

    @cached_property
    def top_policies(self) -> list[Document]:
        return [
            doc for doc in self.of_type(DocType.POLICY) if not doc.parents and doc.status is not Status.RETIRED
        ]

    def primary_parent(self, doc: Document) -> Document | None:
        """The parent used for breadcrumbs and navigation when there are several."""
        parents = [p for p in self.parents_of(doc) if p.doc_type is doc.doc_type.parent_type]
        current = [p for p in parents if p.status is not Status.RETIRED]
        return (current or parents or [None])[0]

    def ancestry(self, doc: Document) -> list[Document]:
        """Primary parents from the top down to `doc` itself; stops at a cycle."""
        chain = [doc]
        seen = {id(doc)}
        parent = self.primary_parent(doc)
        while parent is not None and id(parent) not in seen:
            chain.append(parent)
            seen.add(id(parent))
            parent = self.primary_parent(parent)
        return list(reversed(chain))


def load_library(settings: Settings) -> Library:
    """Read every Markdown file of the library folders, in a stable order."""
    library = Library(settings)
    root = settings.root.resolve()
    parsed = _ParsedDocuments(root)
    for doc_type in DocType:
        folder = settings.folder(doc_type)
        if not folder.is_dir():
            continue
        for path in _walk(folder, root, library):
            rel = path.relative_to(settings.root).as_posix()
            if not path.name.lower().endswith(MARKDOWN_SUFFIXES):
                library.assets.append(rel)
                continue
            try:
                doc, findings = _load(path, rel, doc_type, parsed)
            except OSError as exc:
                library.load_findings.append(make_finding("SMS101", rel, 1, f"the file cannot be read: {exc.strerror}"))
                continue
            library.load_findings.extend(findings)
            if doc is not None:
                library.documents.append(doc)
    library.documents.sort(key=lambda d: d.path)
    parsed.save()
    return library


Loaded = tuple[Document | None, list[Finding]]
_Entry = tuple[str, str, Loaded]  # blob id, absolute path, what loading gave

# `mkdocs serve` rebuilds after every edit; files that did not change are not parsed again.
_LOADED: dict[tuple[str, DocType], tuple[tuple[int, int], _Entry]] = {}


class _ParsedDocuments:
    """Documents parsed by earlier runs, by path and content, kept in the git folder: a
    pre-commit check re-parses only the files that changed since the last run."""

    _NAME = "documents-v1.pickle"

    def __init__(self, root: Path) -> None:
        self.key = store.code_fingerprint()
        self.path = folder / self._NAME if (folder := store.folder(root)) else None
        self.before: dict[tuple[str, str], _Entry] = {}
        self.now: dict[tuple[str, str], _Entry] = {}
        data = store.read(self.path) if self.path else None
        if data:
            try:
                key, entries = pickle.loads(data)  # noqa: S301 - our own file in .git
            except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
                return
            if key == self.key:
                self.before = entries

    def get(self, rel: str, doc_type: DocType, path: Path, raw: bytes) -> _Entry:
        key, blob = (rel, doc_type.value), git_blob_id(raw)
        entry = self.before.get(key)
        if entry is None or entry[:2] != (blob, str(path)):
            entry = (blob, str(path), load_document(raw, rel, path, doc_type))
        self.now[key] = entry
        return entry

    def save(self) -> None:
        if self.path is not None and self.now != self.before:
            store.write(self.path, pickle.dumps((self.key, self.now), protocol=pickle.HIGHEST_PROTOCOL))


def _load(path: Path, rel: str, doc_type: DocType, parsed: _ParsedDocuments) -> Loaded:
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    key = (str(path), doc_type)
    cached = _LOADED.get(key)
    if cached is not None and cached[0] == stamp:
        entry = parsed.now[(rel, doc_type.value)] = cached[1]
    else:
        entry = parsed.get(rel, doc_type, path, path.read_bytes())
        _LOADED[key] = (stamp, entry)
    return entry[2]


def _walk(folder: Path, root: Path, library: Library) -> list[Path]:
    """Files under `folder`, sorted; symbolic links leaving the repository are refused."""
    found: list[Path] = []
    for current, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        base = Path(current)
        for name in list(dirnames):
            if name.startswith("."):
                dirnames.remove(name)
            elif (base / name).is_symlink():
                dirnames.remove(name)
                _check_link(base / name, root, library)
        for name in sorted(filenames):
            path = base / name
            if name.startswith("."):
                continue
            if path.is_symlink() and not _check_link(path, root, library):
                continue
            found.append(path)
    return found


def _check_link(path: Path, root: Path, library: Library) -> bool:
    """True when a symlinked file may be read: it stays inside the repository."""
    rel = path.relative_to(library.settings.root).as_posix()
    target = path.resolve()
    if not target.is_relative_to(root):
        library.load_findings.append(
            make_finding(
                "SMS101",
                rel,
                1,
                "symbolic link to a file outside the repository; refused: put the document itself in the library",
            )
        )
        return False
    # Linked folders inside the repository would list their documents twice.
    return path.is_file()
