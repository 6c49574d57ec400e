"""Which documents the site publishes, and where: one decision used by every page generator."""

from __future__ import annotations

from enum import Enum

from .model import Classification, Document, Status
from .settings import Settings


class Placement(Enum):
    CURRENT = "current"  # in the navigation and the search index
    DRAFT = "draft"  # published only when asked, watermarked, out of the navigation
    ARCHIVE = "archive"  # retired: watermarked obsolete, out of the navigation and search
    HIDDEN = "hidden"  # not published at all


def placement(doc: Document, settings: Settings) -> Placement:
    if doc.classification is Classification.RESTRICTED and not settings.include_restricted:
        return Placement.HIDDEN
    if doc.is_external:
        return Placement.CURRENT  # in use while it is registered; it has no status of its own
    if doc.status is Status.RETIRED:
        return Placement.ARCHIVE
    if doc.status is Status.DRAFT or doc.status is None:
        return Placement.DRAFT if settings.publish_drafts else Placement.HIDDEN
    return Placement.CURRENT
