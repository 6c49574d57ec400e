"""The site navigation shaped by the hierarchy: policy › process › procedure.

Each document appears once, under its primary parent, so a page carries only its own
branch when Material prunes the navigation. A parent with many children shows them in
groups (by the sub-folder they sit in, else by title), so no level of the navigation
grows with the size of the library: every page carries it, and a list of hundreds of
policies on every page made the site grow with the square of its size.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ..library import Library
from ..model import HIERARCHY, Document

# Deeper policy chains are flattened: themes render the navigation recursively.
MAX_DEPTH = 6
# More children than this are shown in groups.
GROUP_LIMIT = 30


def library_navigation(
    nav: Navigation,
    library: Library,
    pages: dict[str, Page],
    records: list[Page],
) -> Navigation:
    """`nav` without the library's folders, plus the hierarchy and the record pages."""
    library_pages = {id(page) for page in pages.values()} | {id(page) for page in records}
    items = _without(nav.items, library_pages)
    placed: set[str] = set()
    tree: list[StructureItem] = []
    tree += _grouped([(top, _branch(top, library, pages, placed, 1)) for top in _tops(library, pages)], library)
    leftovers = [doc for doc in library.documents if doc.key in pages and doc.key not in placed]
    for doc_type in HIERARCHY:
        strays = [doc for doc in leftovers if doc.doc_type is doc_type]
        if strays:
            tree.append(Section(f"Other {doc_type.value}s", [pages[d.key or ""] for d in strays]))
    if tree:
        items.append(Section("Library", tree))
    # Documents of external origin are not in the policy tree: they have a section of their own.
    externals = sorted((doc for doc in leftovers if doc.is_external), key=lambda d: d.id or "")
    if externals:
        items.append(Section("External documents", _grouped([(d, pages[d.key or ""]) for d in externals], library)))
    if records:
        items.append(Section("Records", list(records)))
    return _finish(items)


def _tops(library: Library, pages: dict[str, Page]) -> list[Document]:
    root = library.root_policy
    tops = [root] if root is not None and root.key in pages else []
    tops += [p for p in library.top_policies if p is not root and p.key in pages]
    return tops


def _branch(doc: Document, library: Library, pages: dict[str, Page], placed: set[str], depth: int) -> StructureItem:
    key = doc.key or ""
    placed.add(key)
    page = pages[key]
    children: list[tuple[Document, StructureItem]] = []
    for child in library.children_of(doc):
        child_key = child.key or ""
        if child_key in placed or child_key not in pages or library.primary_parent(child) is not doc:
            continue
        if depth < MAX_DEPTH and library.children_of(child):
            children.append((child, _branch(child, library, pages, placed, depth + 1)))
        else:
            placed.add(child_key)
            children.append((child, pages[child_key]))
    if not children:
        return page
    return Section(page.title or key, [page, *_grouped(children, library)])


def _grouped(children: list[tuple[Document, StructureItem]], library: Library) -> list[StructureItem]:
    if len(children) <= GROUP_LIMIT:
        return [item for _, item in children]
    by_folder: dict[str, list[tuple[Document, StructureItem]]] = {}
    for child in children:
        by_folder.setdefault(_folder_label(child[0], library), []).append(child)
    if len(by_folder) == 1 or len(by_folder) > GROUP_LIMIT:
        return _by_title(children)
    grouped: list[StructureItem] = [item for _, item in by_folder.pop("", [])]  # not in a sub-folder
    for label in sorted(by_folder, key=str.casefold):
        members = by_folder[label]
        items = _by_title(members) if len(members) > GROUP_LIMIT else [item for _, item in members]
        grouped.append(Section(label, items))
    return grouped


def _folder_label(doc: Document, library: Library) -> str:
    """`policies/change-management/x.md` -> "Change management"; "" directly in the folder."""
    folder = library.settings.library[doc.doc_type].strip("/")
    parts = doc.path.split("/")[:-1]
    if parts[: len(folder.split("/"))] == folder.split("/"):
        parts = parts[len(folder.split("/")) :]
    label = " / ".join(part.replace("-", " ").replace("_", " ") for part in parts)
    return label[:1].upper() + label[1:]


def _by_title(children: list[tuple[Document, StructureItem]]) -> list[StructureItem]:
    """Runs of children in title order, each named after its first and last title; runs of
    about the square root of their number, so neither the runs nor their list grow long."""
    ordered = sorted(children, key=lambda child: (child[0].title.casefold(), child[0].id or ""))
    size = max(GROUP_LIMIT, math.isqrt(len(ordered) - 1) + 1)
    groups: list[StructureItem] = []
    for start in range(0, len(ordered), size):
        run = ordered[start : start + size]
        first, last = run[0][0].title or run[0][0].id or "", run[-1][0].title or run[-1][0].id or ""
        groups.append(Section(f"{first[:24]} – {last[:24]}", [item for _, item in run]))
    return groups


def _without(items: Iterable[StructureItem], drop: set[int]) -> list[StructureItem]:
    kept: list[StructureItem] = []
    for item in items:
        if isinstance(item, Section):
            item.children = _without(item.children, drop)
            if item.children:
                kept.append(item)
        elif id(item) not in drop:
            kept.append(item)
    return kept


def _finish(items: list[StructureItem]) -> Navigation:
    pages: list[Page] = []

    def walk(children: list[StructureItem], parent: Section | None) -> None:
        for item in children:
            item.parent = parent
            if isinstance(item, Section):
                walk(item.children, item)
            elif isinstance(item, Page):
                pages.append(item)

    walk(items, None)
    for previous, current in zip([None, *pages], pages, strict=False):
        current.previous_page = previous
        if previous is not None:
            previous.next_page = current
    if pages:
        pages[-1].next_page = None
    return Navigation(items, pages)
