"""The site navigation shaped by the hierarchy: policy › process › procedure.

Each document appears once, under its primary parent, so a page carries only its own
branch when Material prunes the navigation.
"""

from __future__ import annotations

from collections.abc import Iterable

from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ..library import Library
from ..model import DocType, Document

# Deeper policy chains are flattened: themes render the navigation recursively.
MAX_DEPTH = 6


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
    for top in _tops(library, pages):
        tree.append(_branch(top, library, pages, placed, 1))
    leftovers = [doc for doc in library.documents if doc.key in pages and doc.key not in placed]
    for doc_type in DocType:
        strays = [doc for doc in leftovers if doc.doc_type is doc_type]
        if strays:
            tree.append(Section(f"Other {doc_type.value}s", [pages[d.key or ""] for d in strays]))
    if tree:
        items.append(Section("Library", tree))
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
    children: list[StructureItem] = []
    for child in library.children_of(doc):
        child_key = child.key or ""
        if child_key in placed or child_key not in pages or library.primary_parent(child) is not doc:
            continue
        if depth < MAX_DEPTH and library.children_of(child):
            children.append(_branch(child, library, pages, placed, depth + 1))
        else:
            placed.add(child_key)
            children.append(pages[child_key])
    if not children:
        return page
    return Section(page.title or key, [page, *children])


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
