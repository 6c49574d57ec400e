"""The files of the library and of the site's own folder: each at an address of its own, under
a name the site can hold (SMS106), and no active content beside the documents unless raw
HTML is allowed (SMS405)."""

from __future__ import annotations

import os
import posixpath
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..library import Library
from ..model import Document, Finding, make_finding
from ..publication import GENERATED_PAGE, PAGE_SUFFIXES, RESERVED, folded, site_addresses
from .context import RuleContext

# Bytes of a document's file name without its suffix. The site writes pages named after it
# with up to 55 more bytes (`.changes.html`, `.v12.3-2.html`...), and a name has at most 255.
STEM_LIMIT = 200

GENERATED, DOCUMENT, LIBRARY_FILE, SITE_PAGE = range(4)  # who keeps a contested address, first first


@dataclass(frozen=True)
class _Source:
    """Something the site publishes at an address."""

    src_uri: str  # its path in the site's sources (library files: from the repository root)
    what: str  # how a message names it
    rank: int
    path: str = ""  # the file, as findings show it; "" for the plugin's own pages
    doc: Document | None = field(default=None, compare=False)


def check(ctx: RuleContext) -> Iterator[Finding]:
    library = ctx.library
    for doc in library.documents:
        yield from _name(doc)
    yield from _clashes(_sources(ctx))
    if not ctx.settings.allow_html:
        for rel, what in sorted(library.active_assets.items()):
            yield make_finding(
                "SMS405",
                rel,
                1,
                f"this file holds {what}, which a browser runs when the file is opened from the site, so it "
                "is not published; remove it (export drawings as plain SVG or PNG), or set `allow_html: true` "
                "in mkdocs.yml if your library needs active content",
            )


def _name(doc: Document) -> Iterator[Finding]:
    name = posixpath.basename(doc.path)
    stem, suffix = posixpath.splitext(name)
    if suffix not in PAGE_SUFFIXES:
        yield make_finding(
            "SMS106",
            doc.path,
            1,
            f"MkDocs renders only lower-case suffixes such as `.md`, so `{name}` would be published as its raw "
            f"source; it is not published: rename it to `{stem}.md`",
            doc.id,
        )
    size = len(stem.encode("utf-8", "surrogateescape"))
    if size > STEM_LIMIT:
        yield make_finding(
            "SMS106",
            doc.path,
            1,
            f"the file name is too long for the pages the site writes beside it (its version history, one page "
            f"per version): {size} bytes without `{suffix}`, at most {STEM_LIMIT}; shorten it",
            doc.id,
        )


def _sources(ctx: RuleContext) -> list[_Source]:
    library = ctx.library
    sources = [_Source(name, what, GENERATED) for name, what in RESERVED.items() if not name.endswith("/")]
    for doc in library.documents:
        stem = posixpath.splitext(doc.path)[0]
        sources.append(_Source(f"{stem}.history.md", f"the version history page of {doc.path}", GENERATED))
        sources.append(_Source(f"{stem}.changes.md", f"the changes page of {doc.path}", GENERATED))
        sources.append(_Source(doc.path, f"the document {doc.path}", DOCUMENT, doc.path, doc))
    sources += [_Source(rel, rel, LIBRARY_FILE, rel) for rel in library.assets]
    sources += [_Source(uri, path, SITE_PAGE, path) for uri, path in _site_folder_files(ctx, library)]
    return sources


def _clashes(sources: list[_Source]) -> Iterator[Finding]:
    exact: defaultdict[str, list[_Source]] = defaultdict(list)
    loose: defaultdict[str, list[_Source]] = defaultdict(list)
    for source in sources:
        for address in site_addresses(source.src_uri):
            exact[address].append(source)
            loose[folded(address)].append(source)
    reported: set[_Source] = set()

    def report(source: _Source, message: str) -> Iterator[Finding]:
        if source.path and source not in reported:
            reported.add(source)
            yield make_finding("SMS106", source.path, 1, message, source.doc.id if source.doc else None)

    for address, group in sorted(exact.items()):
        keeper, *others = _ordered(group)
        for other in others:
            yield from report(other, _taken(address, keeper))
    for _, group in sorted(loose.items()):
        keeper, *others = _ordered(group)
        for other in others:
            if keeper.src_uri != other.src_uri:
                yield from report(other, _alike(keeper, other))
    # The plugin's own assets and the superseded versions of each document, by pattern.
    documents = {folded(posixpath.splitext(s.src_uri)[0]): s for s in sources if s.rank == DOCUMENT}
    for source in sources:
        if source.rank == GENERATED:
            continue
        if folded(source.src_uri).startswith("assets/sms-docs/"):
            yield from report(source, _taken("assets/sms-docs/", _Source("", RESERVED["assets/sms-docs/"], GENERATED)))
        stem, suffix = posixpath.splitext(source.src_uri)
        match = GENERATED_PAGE.match(stem) if suffix.lower() in PAGE_SUFFIXES else None
        owner = documents.get(folded(match["stem"])) if match and match["version"] else None
        if owner is not None and owner is not source:
            what = f"the page of version {match['version']} of {owner.path}"  # type: ignore[index]
            yield from report(source, _taken(f"{stem}/", _Source("", what, GENERATED)))


def _ordered(group: list[_Source]) -> list[_Source]:
    return sorted(dict.fromkeys(group), key=lambda s: (s.rank, s.src_uri))


def _taken(address: str, keeper: _Source) -> str:
    if keeper.rank == GENERATED:
        return f"the site writes {keeper.what} at `{address}`, so this file would be lost there; rename it"
    return (
        f"this file and {keeper.what} publish at the same address `{address}`, so one of them would be lost; "
        "rename or move one of them"
    )


def _alike(keeper: _Source, other: _Source) -> str:
    if keeper.src_uri.casefold() == other.src_uri.casefold():
        how = "differ only in letter case"
    else:
        how = "differ only in how their accented letters are encoded (Unicode normalisation)"
    return (
        f"this file and {keeper.what} {how}, so they publish at the same address on hosts that ignore case "
        "or normalise names (Windows, macOS, many web servers): one of them would be lost there; rename one of them"
    )


def _site_folder_files(ctx: RuleContext, library: Library) -> list[tuple[str, str]]:
    """(source path in the site, path from the repository root) of every file in docs_dir,
    as MkDocs lists them: dot files and the top `templates` folder left out."""
    root = ctx.settings.root
    folder = ctx.settings.docs_folder
    if not folder.is_dir():
        return []
    library_folders = [ctx.settings.folder(doc_type).resolve() for doc_type in ctx.settings.library]
    found = []
    for current, dirnames, filenames in os.walk(folder):
        base = Path(current)
        dirnames[:] = sorted(
            name for name in dirnames
            if not name.startswith(".") and not (base == folder and name == "templates")
            and (base / name).resolve() not in library_folders
        )
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = base / name
            uri = path.relative_to(folder).as_posix()
            shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else uri
            found.append((uri, shown))
    return found

