"""The panels around a document's body: breadcrumbs, banners, metadata, parents and children."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..library import Library
from ..model import Document, Status
from ..publication import Placement, placement
from .links import SiteMap
from .render import render


@dataclass(frozen=True)
class Link:
    text: str
    url: str | None
    note: str = ""


@dataclass(frozen=True)
class Banner:
    kind: str  # draft | obsolete | overdue | suspect | pending
    title: str
    text: str
    link: Link | None = None


class DocumentView:
    """Everything a document page shows besides its body, computed once per page."""

    def __init__(self, doc: Document, library: Library, sitemap: SiteMap, page_url: str, today: date) -> None:
        self.doc = doc
        self.library = library
        self.sitemap = sitemap
        self.page_url = page_url
        self.today = today
        self.settings = library.settings
        self.extra_banners: list[Banner] = []  # from history: suspect, not yet in force
        self.history_url: str | None = None

    def link(self, doc: Document) -> Link:
        note = "" if doc.status is Status.APPROVED or doc.is_external else str(doc.status or "")
        return Link(f"{doc.id} {doc.title}", self.sitemap.doc_url(doc, self.page_url), note)

    @property
    def next_review(self) -> date | None:
        return self.doc.next_review(self.settings.review_interval_months)

    def breadcrumbs(self) -> list[Link]:
        # An unpublished ancestor (restricted, or a draft) keeps its place but not its id or title.
        return [
            self.link(d) if placement(d, self.settings) is not Placement.HIDDEN else Link("Unpublished document", None)
            for d in self.library.ancestry(self.doc)[:-1]
        ]

    def parents(self) -> list[Link]:
        return [self.link(p) for p in self.library.parents_of(self.doc) if placement(p, self.settings) is not Placement.HIDDEN]

    def children(self) -> list[Link]:
        # Retired children are in the archive: a current page does not lead staff to them.
        keep = (Placement.CURRENT, Placement.DRAFT) if self.doc.status is not Status.RETIRED else tuple(Placement)
        return [
            self.link(c) for c in self.library.children_of(self.doc)
            if placement(c, self.settings) in keep and placement(c, self.settings) is not Placement.HIDDEN
        ]

    def references(self) -> list[Link]:
        """The external documents this document relies on."""
        return [
            self.link(ext) for ext in self.library.references_of(self.doc)
            if placement(ext, self.settings) is not Placement.HIDDEN
        ]

    def referenced_by(self) -> list[Link]:
        """For an external document: the current documents that rely on it."""
        return [
            self.link(d) for d in self.library.referenced_by(self.doc)
            if placement(d, self.settings) in (Placement.CURRENT, Placement.DRAFT)
        ]

    def banners(self) -> list[Banner]:
        doc = self.doc
        banners = []
        if doc.status is Status.DRAFT:
            banners.append(Banner("draft", "Draft", "Not approved. Do not use this document for operations."))
        if doc.status is Status.RETIRED:
            replacements = [
                self.link(other) for other in self.library.documents
                if doc.id and any(s.casefold() == doc.key for s in other.supersedes) and other.is_current
                and placement(other, self.settings) is not Placement.HIDDEN
            ]
            text = "This document is retired and kept for reference only. Do not use it."
            banners.append(Banner("obsolete", "Obsolete", text, replacements[0] if replacements else None))
        review = self.next_review
        if (doc.status is Status.APPROVED or doc.is_external) and review and review < self.today:
            banners.append(
                Banner("overdue", "Review overdue", f"The scheduled review was due on {review.isoformat()}.")
            )
        return banners + self.extra_banners

    def header_html(self) -> str:
        return render("document_header.html", view=self, doc=self.doc)

    def footer_html(self) -> str:
        return render("document_footer.html", view=self, doc=self.doc)
