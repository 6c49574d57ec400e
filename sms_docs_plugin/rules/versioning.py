"""Versioning rules SMS301–SMS307: an approved document never changes without a new version."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ..codes import Severity
from ..history import DocHistory, Revision, VersionRecord, content_key, with_working_tree
from ..model import Document, Finding, Status, Version, make_finding
from .context import RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    documents = [doc for doc in ctx.library.documents if doc.key and ctx.library.get(doc.id or "") is doc]
    for doc in documents:
        yield from _review_and_dates(ctx, doc)
    history = ctx.history
    if history is None or not history.available:
        return
    lineages = {doc.key: _lineage(ctx, doc) for doc in documents}
    records = {key: lineage.versions() for key, lineage in lineages.items()}
    for doc in documents:
        doc_records = records[doc.key]
        yield from _unversioned_change(ctx, doc, lineages[doc.key])
        yield from _order(ctx, doc, doc_records)
        yield from _new_version(doc, doc_records)
        yield from _revived(doc, lineages[doc.key])
    yield from _suspects(ctx, documents, records)


def _lineage(ctx: RuleContext, doc: Document) -> DocHistory:
    assert ctx.history is not None
    return with_working_tree(ctx.history.for_path(doc.path) or ctx.history.moved_here(doc), doc)


def _review_and_dates(ctx: RuleContext, doc: Document) -> Iterator[Finding]:
    if doc.approved and doc.approved > ctx.today:
        yield make_finding(
            "SMS304",
            doc.path,
            doc.line("approved"),
            f"approved {doc.approved.isoformat()} is in the future; give the date the version was actually "
            "approved (use `effective` for a later start)",
            doc.id,
        )
    if doc.status is not Status.APPROVED:
        return
    review = doc.next_review(ctx.settings.review_interval_months)
    if review and review < ctx.today:
        yield make_finding(
            "SMS305",
            doc.path,
            doc.line("review") if "review" in doc.lines else doc.line("approved"),
            f"review overdue since {review.isoformat()}: review the document, then either issue a new version "
            "or, if nothing needs to change, move `review` to the next date in a commit of its own",
            doc.id,
        )


def _reference(ctx: RuleContext, lineage: DocHistory) -> Revision | None:
    """What the document is compared with: HEAD, or the merge base of a pull request."""
    committed = lineage.committed
    if ctx.pull_request_commits is None:
        return committed[-1] if committed else None
    before = [r for r in committed if r.commit and r.commit.sha not in ctx.pull_request_commits]
    return before[-1] if before else None


def _unversioned_change(ctx: RuleContext, doc: Document, lineage: DocHistory) -> Iterator[Finding]:
    reference = _reference(ctx, lineage)
    if reference is None or reference.status != "approved" or doc.status is Status.RETIRED:
        return
    # Equal blobs are equal files: most documents are unchanged, and hashing is skipped for them.
    if doc.version != reference.version or doc.blob == reference.blob or content_key(doc.text) == reference.content_key:
        return
    against = f"the base of this pull request ({ctx.base_ref})" if ctx.base_ref else "the last commit"
    bumped = _next_versions(doc.version)
    yield make_finding(
        "SMS301",
        doc.path,
        doc.line("version"),
        f"approved version {doc.version} was changed since {against} without a new version; "
        f"set `version` to {bumped} and say why in `change` (a change to `review` alone needs no new version)",
        doc.id,
    )


def _next_versions(version: str) -> str:
    key = Version.parse(version)
    if key is None:
        return "a higher MAJOR.MINOR"
    return f'"{key.major}.{key.minor + 1}" (editorial) or "{key.major + 1}.0" (significant)'


def _order(ctx: RuleContext, doc: Document, records: list[VersionRecord]) -> Iterator[Finding]:
    current = doc.version_key
    if current is None or not records:
        return
    earlier = [key for record in records[:-1] if (key := record.head.version_key) is not None]
    if earlier and current <= max(earlier):
        yield make_finding(
            "SMS302",
            doc.path,
            doc.line("version"),
            f"version {doc.version} is not above the earlier version {max(earlier)} in this document's history; "
            f"set `version` above {max(earlier)}",
            doc.id,
        )
        return
    reference = ctx.pull_request_commits
    for index, record in enumerate(records):
        for revision in record.irregular:
            if revision.commit is None or (reference is not None and revision.commit.sha in reference):
                continue  # uncommitted or pull-request changes are SMS301's to judge
            # Superseded: a later version exists, or this edit was folded into the new version
            # that followed it (its own number is not the number of the version it sits in).
            superseded = index < len(records) - 1 or revision.version != record.version
            finding = make_finding(
                "SMS302",
                doc.path,
                doc.line("version"),
                f"commit {revision.commit.short} ({revision.commit.committed.date().isoformat()}) {revision.irregular}"
                + (
                    "; a later version superseded it, so this is a record of the past, not something to fix"
                    if superseded
                    else f"; issue a new version ({_next_versions(doc.version)}) that records the change"
                ),
                doc.id,
            )
            yield replace(finding, severity=Severity.WARNING) if superseded else finding


def _new_version(doc: Document, records: list[VersionRecord]) -> Iterator[Finding]:
    if len(records) < 2 or records[-1].version != doc.version:
        return
    previous = records[-2].head
    if not doc.change:
        yield make_finding(
            "SMS303",
            doc.path,
            doc.line("version"),
            f"version {doc.version} is a new version but has no `change`; add `change:` with one or two "
            "sentences saying why this version exists",
            doc.id,
        )
    elif doc.change.strip() == previous.field_text("change").strip():
        yield make_finding(
            "SMS303",
            doc.path,
            doc.line("change"),
            f"`change` is copied unchanged from version {previous.version}; say why version {doc.version} exists",
            doc.id,
        )
    if doc.status is Status.APPROVED:
        for name in ("approver", "approved"):
            if not getattr(doc, name):
                yield make_finding(
                    "SMS303",
                    doc.path,
                    doc.line("version"),
                    f"version {doc.version} is a new approved version but has no `{name}`; record "
                    + ("the role that authorized it" if name == "approver" else "the date it was approved"),
                    doc.id,
                )
    before = previous.field_text("approved")
    if doc.approved and before and doc.approved.isoformat() < before:
        yield make_finding(
            "SMS304",
            doc.path,
            doc.line("approved"),
            f"approved {doc.approved.isoformat()} is earlier than version {previous.version}'s approval on "
            f"{before}; give this version's own approval date",
            doc.id,
        )


def _revived(doc: Document, lineage: DocHistory) -> Iterator[Finding]:
    if doc.status is Status.RETIRED:
        return
    retired = [r for r in lineage.revisions if r.status == "retired" and r.commit is not None]
    if retired and retired[-1].version == doc.version:
        yield make_finding(
            "SMS307",
            doc.path,
            doc.line("version"),
            f"this document was retired at version {doc.version} (commit {retired[-1].label}) and is back "
            f"without a new version; bring it back as {_next_versions(doc.version)} with a `change` saying why",
            doc.id,
        )


def _suspects(ctx: RuleContext, documents: list[Document], records: dict[str | None, list[VersionRecord]]) -> Iterator[Finding]:
    """SMS306: a parent's new major version after the child's own last approval or review.

    Propagates down the tree: a procedure is suspect when any ancestor changed after it.
    """
    any_version = ctx.settings.suspect_on == "any"
    triggers: dict[str, tuple[int, Document, str]] = {}
    for doc in documents:
        trigger = _last_trigger(records[doc.key], any_version)
        if trigger is not None:
            triggers[doc.key or ""] = (trigger[0], doc, trigger[1])
    above = _latest_above(ctx, documents, triggers)
    for doc in documents:
        if doc.status is not Status.APPROVED:
            continue
        found = above.get(doc.key or "")
        if found is None:
            continue
        position, parent, version = found
        if position > _last_cleared(records[doc.key]):
            yield make_finding(
                "SMS306",
                doc.path,
                doc.line("version"),
                f"suspect: {parent.id} got version {version} after this document's last approval; review this "
                "document against it and issue a new version, or, if it still holds, move `review` in a commit "
                "of its own to record the review",
                doc.id,
            )


def _last_trigger(records: list[VersionRecord], any_version: bool) -> tuple[int, str] | None:
    for index in range(len(records) - 1, 0, -1):
        new, old = records[index].head.version_key, records[index - 1].head.version_key
        if new is None or old is None:
            continue
        if new.major > old.major or (any_version and new > old):
            start = next(r for r in records[index].revisions if r.version == records[index].version)
            return start.position, records[index].version
    return None


def _last_cleared(records: list[VersionRecord]) -> int:
    if not records:
        return -1
    current = records[-1]
    return max(r.position for r in [*current.revisions, *current.reviews])


def _latest_above(
    ctx: RuleContext, documents: list[Document], triggers: dict[str, tuple[int, Document, str]]
) -> dict[str, tuple[int, Document, str]]:
    """For each document, the latest trigger among all its ancestors (iterative, cycle-safe)."""
    library = ctx.library
    result: dict[str, tuple[int, Document, str] | None] = {}
    for start in documents:
        stack = [start]
        while stack:
            doc = stack[-1]
            key = doc.key or ""
            if key in result:
                stack.pop()
                continue
            pending = [p for p in library.parents_of(doc) if (p.key or "") not in result and p not in stack]
            if pending:
                stack.extend(pending)
                continue
            best: tuple[int, Document, str] | None = None
            for parent in library.parents_of(doc):
                for candidate in (triggers.get(parent.key or ""), result.get(parent.key or "")):
                    if candidate is not None and (best is None or candidate[0] > best[0]):
                        best = candidate
            result[key] = best
            stack.pop()
    return {key: value for key, value in result.items() if value is not None}
