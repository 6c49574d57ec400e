"""Relative links between published pages, so the site works from any folder or file share."""

from __future__ import annotations

from dataclasses import dataclass, field

from mkdocs.utils import get_relative_url

from ..model import Document


@dataclass
class SiteMap:
    """Where each published document (by id key) and generated page lives in the site."""

    doc_urls: dict[str, str] = field(default_factory=dict)
    page_urls: dict[str, str] = field(default_factory=dict)

    def doc_url(self, doc: Document | None, from_url: str) -> str | None:
        if doc is None or not doc.key or doc.key not in self.doc_urls:
            return None
        return get_relative_url(self.doc_urls[doc.key], from_url)

    def page_url(self, name: str, from_url: str) -> str | None:
        if name not in self.page_urls:
            return None
        return get_relative_url(self.page_urls[name], from_url)
