"""Relative links between published pages, so the site works from any folder or file share."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from ..model import Document


@dataclass
class SiteMap:
    """Where each published document (by id key) and generated page lives in the site."""

    doc_urls: dict[str, str] = field(default_factory=dict)
    page_urls: dict[str, str] = field(default_factory=dict)

    def doc_url(self, doc: Document | None, from_url: str) -> str | None:
        if doc is None or not doc.key or doc.key not in self.doc_urls:
            return None
        return relative_url(self.doc_urls[doc.key], from_url)

    def page_url(self, name: str, from_url: str) -> str | None:
        if name not in self.page_urls:
            return None
        return relative_url(self.page_urls[name], from_url)


def relative_url(url: str, from_url: str) -> str:
    """The link from the page at `from_url` to `url` (both site URLs such as `a/b/` or
    `a/b.html`), as MkDocs writes links: kept here so the page parts need no MkDocs."""
    if from_url != ".":
        head, tail = posixpath.split(from_url)
        from_url = head if "." in tail else from_url
    relative = posixpath.relpath("/" + url, "/" + from_url)
    return relative + "/" if url.endswith("/") else relative
