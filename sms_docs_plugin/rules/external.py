"""External-document rules: SMS409 (a reference to an external document that is not
registered) and SMS305 for external documents (their review falls due like any other's).

A document of external origin (ISO/IEC 20000-1 7.5.3) has no versions of our own, so the
versioning rules leave it alone; its owner still checks, by its review date, that the
edition relied on is the one in force and that the controlled copy is where it says."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import DocType, Document, Finding, Status, make_finding
from .context import RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    library = ctx.library
    for doc in library.documents:
        if not library.holds_id(doc):
            continue
        if doc.is_external:
            yield from _review(ctx, doc)
        elif doc.status is not Status.RETIRED:
            yield from _references(ctx, doc)


def _references(ctx: RuleContext, doc: Document) -> Iterator[Finding]:
    for ref in dict.fromkeys(doc.references):
        target = ctx.library.get(ref)
        if target is None:
            message = (
                f"`references` names `{ref}`, which is not an external document of the library; correct the id, "
                f"or register the document in the {ctx.settings.library.get(DocType.EXTERNAL, 'external')} folder "
                "with `type: external`"
            )
        elif not target.is_external:
            message = (
                f"`references` names {target.id}, which is a {target.doc_type}, not an external document; "
                "`references` lists external documents only: mention library documents in the body or in `parents`"
            )
        else:
            continue
        yield make_finding("SMS409", doc.path, doc.line("references"), message, doc.id)


def _review(ctx: RuleContext, doc: Document) -> Iterator[Finding]:
    review = doc.review_date
    if review and review < ctx.today:
        yield make_finding(
            "SMS305",
            doc.path,
            doc.line("review"),
            f"review overdue since {review.isoformat()}: check that edition {doc.edition or '(not given)'} is still "
            "the one in force and that the controlled copy is where `location` says, then move `review` to the "
            "next date (and update `edition` or `location` if they changed)",
            doc.id,
        )

