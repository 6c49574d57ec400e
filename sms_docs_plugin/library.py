"""The library: every controlled document loaded from the folders, and the graph between them."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from . import store
from .attachments import HTML_SUFFIXES, SCANNED_SUFFIXES, active_content
from .codes import CODES
from .frontmatter import document_texts, git_blob_id, load_document
from .model import DocType, Document, Finding, Status, make_finding
from .plaindata import ShapeError, dumps, loads
from .settings import Settings

# Every suffix MkDocs renders as a page, in any case: a file MkDocs would publish as a page
# is a document, checked like one, never an unchecked attachment.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


@dataclass
class Library:
    settings: Settings
    documents: list[Document] = field(default_factory=list)  # sorted by path
    load_findings: list[Finding] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)  # non-Markdown files beside documents
    active_assets: dict[str, str] = field(default_factory=dict)  # asset -> what in it a browser would run

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

    def holds_id(self, doc: Document) -> bool:
        """Whether `doc` is the document its id names: it has an id, and it is not a second
        file with an id already taken (SMS201 reports that one; the other rules skip it)."""
        return doc.key is not None and self.by_key.get(doc.key) is doc

    def parents_of(self, doc: Document) -> list[Document]:
        found = (self.get(parent) for parent in doc.parents)
        return [parent for parent in found if parent is not None and parent is not doc]

    @cached_property
    def _children(self) -> dict[str, list[Document]]:
        return self._index(lambda doc: (parent.key or "" for parent in self.parents_of(doc)))

    def _index(self, keys_of: Callable[[Document], Iterable[str]]) -> dict[str, list[Document]]:
        """Key -> the current documents that name it, in hierarchy order. A document naming a
        key twice is listed once (a set of keys, not a scan)."""
        found: dict[str, list[Document]] = defaultdict(list)
        for doc in self.documents:
            if not self.holds_id(doc):
                continue
            for key in dict.fromkeys(keys_of(doc)):
                found[key].append(doc)
        for documents in found.values():
            documents.sort(key=lambda d: (d.doc_type.level, d.id or ""))
        return found

    def children_of(self, doc: Document) -> list[Document]:
        return self._children.get(doc.key or "", [])

    def of_type(self, doc_type: DocType) -> list[Document]:
        return [doc for doc in self.documents if doc.doc_type is doc_type]

    @cached_property
    def _referenced_by(self) -> dict[str, list[Document]]:
        return self._index(lambda doc: (ref.casefold() for ref in doc.references))

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
            try:
                if not path.name.lower().endswith(MARKDOWN_SUFFIXES):
                    library.assets.append(rel)
                    if path.name.lower().endswith(HTML_SUFFIXES + SCANNED_SUFFIXES):
                        active = active_content(path.name, path.read_bytes())
                        if active is not None:
                            library.active_assets[rel] = active
                    continue
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


@dataclass
class _Parsed:
    """One file as loading left it, kept between runs."""

    path: str
    type: DocType
    blob: str  # the id git gives the file's bytes
    file: str  # the absolute path it was read from
    document: Document | None
    findings: list[Finding]

    @property
    def loaded(self) -> Loaded:
        return self.document, self.findings


@dataclass
class _Kept:
    code: str  # the fingerprint of the code that parsed them
    entries: list[_Parsed]


# `mkdocs serve` rebuilds after every edit; files that did not change are not parsed again.
_LOADED: dict[tuple[str, DocType], tuple[tuple[int, int], _Parsed]] = {}


class _ParsedDocuments:
    """Documents parsed by earlier runs, by path and content, kept in the git folder: a
    pre-commit check re-parses only the files that changed since the last run.

    Kept as JSON and read back only into the declared types (plaindata): CI restores this
    folder from a cache, so the file may be anyone's, and reading it must never run code.
    A file of any other shape is ignored. The documents' text is not kept: it is read again
    from the file, which is read anyway to know whether it changed."""

    _NAME = "documents-v2.json"

    def __init__(self, root: Path) -> None:
        self.key = store.code_fingerprint()
        self.path = folder / self._NAME if (folder := store.folder(root)) else None
        self.before: dict[tuple[str, str], _Parsed] = {}
        self.now: dict[tuple[str, str], _Parsed] = {}
        data = store.read(self.path) if self.path else None
        if data:
            try:
                kept = loads(data, _Kept)
            except ShapeError:
                return
            if kept.code == self.key and all(map(_plausible, kept.entries)):  # type: ignore[union-attr]
                self.before = {(entry.path, entry.type.value): entry for entry in kept.entries}  # type: ignore[union-attr]

    def get(self, rel: str, doc_type: DocType, path: Path, raw: bytes) -> _Parsed:
        key, blob = (rel, doc_type.value), git_blob_id(raw)
        entry = self.before.get(key)
        texts = document_texts(raw, rel) if entry is not None and entry.document is not None else None
        if entry is None or (entry.blob, entry.file) != (blob, str(path)) or (entry.document and texts is None):
            entry = _Parsed(rel, doc_type, blob, str(path), *load_document(raw, rel, path, doc_type))
        elif entry.document is not None and texts is not None:
            entry.document.text, entry.document.body = texts
        self.now[key] = entry
        return entry

    def save(self) -> None:
        if self.path is None or self.now == self.before:
            return
        entries = [
            replace(entry, document=replace(entry.document, text="", body="")) if entry.document else entry
            for entry in self.now.values()
        ]
        try:
            data = dumps(_Kept(self.key, entries), _Kept)
        except (ShapeError, RecursionError):
            return  # a value no kept type allows: parse again next time
        store.write(self.path, data)


def _plausible(entry: _Parsed) -> bool:
    """Beyond the types: the entry describes the file it is kept for."""
    doc = entry.document
    if doc is not None and (doc.path != entry.path or doc.folder_type is not entry.type or doc.blob != entry.blob):
        return False
    return all(finding.code in CODES and finding.path == entry.path for finding in entry.findings)


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
    return entry.loaded


def _walk(folder: Path, root: Path, library: Library) -> list[Path]:
    """Files under `folder`, sorted; symbolic links leaving the repository are refused, and
    other repositories (submodules) inside are not read."""
    found: list[Path] = []
    if _other_repository(folder, library):
        return found
    for current, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        base = Path(current)
        for name in list(dirnames):
            if name.startswith("."):
                dirnames.remove(name)
            elif (base / name).is_symlink():
                dirnames.remove(name)
                _check_link(base / name, root, library)
            elif _other_repository(base / name, library):
                dirnames.remove(name)
        for name in sorted(filenames):
            path = base / name
            if name.startswith("."):
                continue
            if path.is_symlink() and not _check_link(path, root, library):
                continue
            found.append(path)
    return found


def _other_repository(folder: Path, library: Library) -> bool:
    """A submodule (a `.git` file) or a repository of its own (a `.git` folder): its files have
    their history in another repository and are reviewed there, so they are not documents here."""
    if not os.path.lexists(folder / ".git"):
        return False
    rel = folder.relative_to(library.settings.root).as_posix()
    library.load_findings.append(
        make_finding(
            "SMS107",
            rel,
            1,
            "this folder is another git repository (a submodule), so its files were not read: their history "
            "is not in this repository; copy the documents into the library, or move the submodule out of it",
        )
    )
    return True


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
