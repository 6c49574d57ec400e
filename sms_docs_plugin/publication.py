"""Which documents and files the site publishes, and where: one decision used by every page
generator and by the rule that keeps every file at an address of its own (SMS106)."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING

from .attachments import linked_paths
from .model import Classification, Document, Status
from .settings import Settings

if TYPE_CHECKING:
    from .library import Library

# What MkDocs renders as a page (it compares suffixes case-sensitively).
PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")

# Pages and files the plugin writes at the top of the site (site/plan.py), with what they are:
# no file of the library or of the site's own folder may take their address.
RESERVED = {
    "register.md": "the Register page",
    "hierarchy.md": "the Hierarchy page",
    "coverage.md": "the Coverage page",
    "assessment.md": "the Assessment page",
    "reviews.md": "the Reviews page",
    "roles.md": "the Roles page",
    "changes.md": "the Changes page",
    "archive.md": "the Archive page",
    "records.md": "the Records retention page",
    "external-documents.md": "the External documents page",
    "findings.md": "the findings page of `mkdocs serve`",
    "archive/withdrawn/": "the pages of withdrawn documents",  # the whole folder
    "register.csv": "the register in CSV",
    "register.json": "the register in JSON",
    "changes.xml": "the feed of changes",
    "assets/sms-docs/": "the plugin's style sheet and script",  # the whole folder
}
# Beside each document `<name>.md` the site writes `<name>.history`, `<name>.changes` and one
# `<name>.v<version>` page per superseded version (site/versions.py).
GENERATED_PAGE = re.compile(r"^(?P<stem>.+)\.(?:history|changes|v(?P<version>\d+\.\d+)(?:-\d+)?)$")


class Placement(Enum):
    CURRENT = "current"  # in the navigation and the search index
    DRAFT = "draft"  # published only when asked, watermarked, out of the navigation
    ARCHIVE = "archive"  # retired: watermarked obsolete, out of the navigation and search
    HIDDEN = "hidden"  # not published at all


def placement(doc: Document, settings: Settings) -> Placement:
    if doc.classification is Classification.RESTRICTED and not settings.include_restricted:
        return Placement.HIDDEN
    if not doc.path.endswith(PAGE_SUFFIXES):
        return Placement.HIDDEN  # MkDocs would copy its source, front matter and all, instead of a page (SMS106)
    if doc.is_external:
        return Placement.CURRENT  # in use while it is registered; it has no status of its own
    if doc.status is Status.RETIRED:
        return Placement.ARCHIVE
    if doc.status is Status.DRAFT or doc.status is None:
        return Placement.DRAFT if settings.publish_drafts else Placement.HIDDEN
    return Placement.CURRENT


def published_assets(library: Library, settings: Settings, shown: Iterable[Document] = ()) -> list[str]:
    """The files beside documents that the site publishes: those a published document links,
    in the working tree or as the site shows it (`shown`: the versions in force). A restricted
    or draft document's attachments go with it (SPEC §1), and active content (HTML pages,
    SVG with script) only where raw HTML is allowed."""
    linked: set[str] = set()
    for doc in (*library.documents, *shown):
        if placement(doc, settings) is not Placement.HIDDEN:
            linked |= linked_paths(doc)
    return [
        asset
        for asset in library.assets
        if asset in linked and (settings.allow_html or asset not in library.active_assets)
    ]


def site_addresses(src_uri: str) -> set[str]:
    """Where a file of the site lands, with or without `use_directory_urls`: `a/b.md` is
    `a/b/` or `a/b.html`; `a/index.md` and `a/README.md` are `a/`; other files keep their path
    (and `a/index.html` is `a/` too)."""
    folder, name = posixpath.split(src_uri)
    stem, suffix = posixpath.splitext(name)
    if suffix.lower() in PAGE_SUFFIXES:
        if stem in ("index", "README"):
            return {_folder(folder)}
        return {_folder(posixpath.join(folder, stem)), posixpath.join(folder, stem + ".html")}
    if name == "index.html":
        return {src_uri, _folder(folder)}
    return {src_uri}


def _folder(path: str) -> str:
    return f"{path}/" if path else "/"


def folded(address: str) -> str:
    """An address as hosts that ignore case or Unicode normalisation see it (Windows, macOS)."""
    return unicodedata.normalize("NFC", address).casefold()


def shadowed_pages(library: Library, src_uris: Iterable[str]) -> list[str]:
    """Pages of the site's own folder at the address of a library document, whether or not that
    document is published, or of a page the plugin writes: never published themselves (a
    restricted document's copy stays out, and the plugin's pages are its own)."""
    taken = {folded(address) for doc in library.documents for address in site_addresses(doc.path)}
    taken |= {folded(address) for name in RESERVED for address in site_addresses(name)}
    return [
        uri
        for uri in src_uris
        if folded(uri).startswith("assets/sms-docs/") or any(folded(address) in taken for address in site_addresses(uri))
    ]
