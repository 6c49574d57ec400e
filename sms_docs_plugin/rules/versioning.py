"""Versioning rules SMS301–SMS307: an approved document never changes without a new version.

They read each document's history as `history.model.group_versions` made it (computed once
per document and shared with the site): versions are approved or retired states, drafts are
folded into the version they led to, and irregular revisions are data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ..codes import Severity
from ..history import APPROVED, RETIRED, DocHistory, Revision, VersionRecord, content_key
from ..library import Library
from ..model import Document, Finding, Status, Version, make_finding
from .context import RuleContext


def check(ctx: RuleContext) -> Iterator[Finding]:
    documents = [doc for doc in ctx.library.documents if ctx.library.holds_id(doc)]
    for doc in documents:
        yield from _review_and_dates(ctx, doc)
    if not ctx.has_history:
        return
    for doc in documents:
        timeline = ctx.timelines[doc.key or ""]
        yield from _revived(doc, timeline)
        if doc.status is Status.RETIRED:
            continue  # archived: only its id and its return from retirement are checked
        yield from _unversioned_change(ctx, doc, timeline)
        yield from _order(ctx, doc, timeline)
        yield from _new_version(doc, timeline.records)
    yield from _suspects(ctx, documents)


def _review_and_dates(ctx: RuleContext, doc: Document) -> Iterator[Finding]:
    if doc.status is not Status.APPROVED:
        return
    if doc.approved and doc.approved > ctx.today:
        yield make_finding(
            "SMS304",
            doc.path,
            doc.line("approved"),
            f"approved {doc.approved.isoformat()} is in the future; give the date the version was actually "
            "approved (use `effective` for a later start)",
            doc.id,
        )
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


def _reference(ctx: RuleContext, timeline: DocHistory) -> Revision | None:
    """What the document is compared with: HEAD, or the base of a pull request."""
    committed = timeline.committed
    if ctx.pull_request_commits is None:
        return committed[-1] if committed else None
    before = [r for r in committed if r.commit and r.commit.sha not in ctx.pull_request_commits]
    return before[-1] if before else None


def _unversioned_change(ctx: RuleContext, doc: Document, timeline: DocHistory) -> Iterator[Finding]:
    reference = _reference(ctx, timeline)
    if reference is None or reference.status != APPROVED:
        return
    # Equal blobs are equal files: most documents are unchanged, and hashing is skipped for them.
    if doc.version != reference.version or doc.blob == reference.blob or content_key(doc.text) == reference.content_key:
        return
    against = f"the base of this pull request ({ctx.base_ref})" if ctx.base_ref else "the last commit"
    yield make_finding(
        "SMS301",
        doc.path,
        doc.line("version"),
        f"approved version {doc.version} was changed since {against} without a new version; "
        f"set `version` to {next_versions(doc.version)} and say why in `change` (a change to `review` alone needs no new version)",
        doc.id,
    )


def next_versions(version: str) -> str:
    key = Version.parse(version)
    if key is None:
        return "a higher MAJOR.MINOR"
    return f'"{key.major}.{key.minor + 1}" (editorial) or "{key.major + 1}.0" (significant)'


def _order(ctx: RuleContext, doc: Document, timeline: DocHistory) -> Iterator[Finding]:
    records = timeline.records
    current = doc.version_key
    if current is None:
        return
    own = records[-1] if records and records[-1].version == doc.version and not records[-1].retired else None
    earlier = [key for record in records if record is not own and (key := record.head.version_key) is not None]
    if doc.status is Status.APPROVED and earlier and current <= max(earlier):
        yield make_finding(
            "SMS302",
            doc.path,
            doc.line("version"),
            f"version {doc.version} is not above the earlier version {max(earlier)} in this document's history; "
            f"set `version` above {max(earlier)}",
            doc.id,
        )
    pull_request = ctx.pull_request_commits
    for revision, why in timeline.versions.irregular:
        if revision.commit is None or (pull_request is not None and revision.commit.sha in pull_request):
            continue  # uncommitted or pull-request changes are SMS301's to judge
        if own is not None and revision is own.head:
            continue  # the current version itself: reported above
        # A past slip that a later version has superseded is a record of the past: history
        # cannot be rewritten, so it must not fail every build from now on.
        superseded = any(record.head.position > revision.position for record in records)
        when = f"commit {revision.commit.short} ({revision.commit.day.isoformat()}) {why}"
        if superseded:
            yield make_finding(
                "SMS302", doc.path, doc.line("version"),
                f"{when}; a later version superseded it, so this is a record of the past, not something to fix",
                doc.id, severity=Severity.NOTICE,
            )
        else:
            yield make_finding(
                "SMS302", doc.path, doc.line("version"),
                f"{when}; issue a new version ({next_versions(doc.version)}) that records the change",
                doc.id,
            )


def _new_version(doc: Document, records: list[VersionRecord]) -> Iterator[Finding]:
    if doc.status is not Status.APPROVED or not records or records[-1].version != doc.version:
        return
    previous = next((r for r in reversed(records[:-1]) if r.version != doc.version and not r.retired), None)
    if previous is None:
        return  # the first approved version needs no `change`
    if not doc.change:
        yield make_finding(
            "SMS303",
            doc.path,
            doc.line("version"),
            f"version {doc.version} is a new version but has no `change`; add `change:` with one or two "
            "sentences saying why this version exists",
            doc.id,
        )
    elif doc.change.strip() == previous.field("change").strip():
        yield make_finding(
            "SMS303",
            doc.path,
            doc.line("change"),
            f"`change` is copied unchanged from version {previous.version}; say why version {doc.version} exists",
            doc.id,
        )
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
    before = previous.field("approved")
    if doc.approved and before and doc.approved.isoformat() < before:
        yield make_finding(
            "SMS304",
            doc.path,
            doc.line("approved"),
            f"approved {doc.approved.isoformat()} is earlier than version {previous.version}'s approval on "
            f"{before}; give this version's own approval date",
            doc.id,
        )


def _revived(doc: Document, timeline: DocHistory) -> Iterator[Finding]:
    if doc.status is Status.RETIRED:
        return
    retired = [r for r in timeline.revisions if r.status == RETIRED and r.commit is not None]
    if retired and retired[-1].version == doc.version:
        yield make_finding(
            "SMS307",
            doc.path,
            doc.line("version"),
            f"this document was retired at version {doc.version} (commit {retired[-1].label}) and is back "
            f"without a new version; bring it back as {next_versions(doc.version)} with a `change` saying why",
            doc.id,
        )


# -- SMS306 ----------------------------------------------------------------------------------

Trigger = tuple[int, Document, VersionRecord]  # (position of the parent's new version, the parent, that version)


@dataclass(frozen=True)
class Suspicion:
    """A document waiting for review because a document above it got a new version."""

    parent: Document
    version: str  # the parent's new version
    since: date | None  # when that version was approved


def suspicions(library: Library, timelines: dict[str, DocHistory], suspect_on: str) -> dict[str, Suspicion]:
    """Document key -> why it is suspect: a parent's new major version (any new version with
    `suspect_on: any`) after the document's own last version or review. Propagates down the
    tree: a procedure is suspect when any ancestor changed after it."""
    documents = [doc for doc in library.documents if library.holds_id(doc) and doc.key in timelines]
    triggers: dict[str, Trigger] = {}
    for doc in documents:
        record = last_trigger(timelines[doc.key or ""].records, suspect_on == "any")
        if record is not None:
            triggers[doc.key or ""] = (record.head.position, doc, record)
    above = _latest_above(library, documents, triggers)
    found = {}
    for doc in documents:
        if doc.status is not Status.APPROVED or (doc.key or "") not in above:
            continue
        position, parent, record = above[doc.key or ""]
        if position > last_cleared(timelines[doc.key or ""].records):
            try:
                since = date.fromisoformat(record.field("approved"))
            except ValueError:
                since = record.head.day
            found[doc.key or ""] = Suspicion(parent, record.version, since)
    return found


def _suspects(ctx: RuleContext, documents: list[Document]) -> Iterator[Finding]:
    for doc in documents:
        suspicion = ctx.suspicions.get(doc.key or "")
        if suspicion is None:
            continue
        yield make_finding(
            "SMS306",
            doc.path,
            doc.line("version"),
            f"suspect: {suspicion.parent.id} got version {suspicion.version} after this document's last approval; "
            "review this document against it and issue a new version, or, if it still holds, move `review` in a "
            "commit of its own to record the review",
            doc.id,
        )


def last_trigger(records: list[VersionRecord], any_version: bool) -> VersionRecord | None:
    """The latest version of a document that makes its children suspect."""
    approved = [r for r in records if not r.retired]
    for index in range(len(approved) - 1, 0, -1):
        new, old = approved[index].head.version_key, approved[index - 1].head.version_key
        if new is None or old is None:
            continue
        if new.major > old.major or (any_version and new > old):
            return approved[index]
    return None


def last_cleared(records: list[VersionRecord]) -> int:
    """When the document was last approved or reviewed: a move or a draft clears nothing."""
    if not records:
        return -1
    current = records[-1]
    return max([current.head.position, *(r.position for r in current.reviews)])


def _latest_above(library: Library, documents: list[Document], triggers: dict[str, Trigger]) -> dict[str, Trigger]:
    """For each document, the latest trigger among all its ancestors (iterative, cycle-safe)."""
    result: dict[str, Trigger | None] = {}
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
            best: Trigger | None = None
            for parent in library.parents_of(doc):
                for candidate in (triggers.get(parent.key or ""), result.get(parent.key or "")):
                    if candidate is not None and (best is None or candidate[0] > best[0]):
                        best = candidate
            result[key] = best
            stack.pop()
    return {key: value for key, value in result.items() if value is not None}
